from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangbo.accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dangbo.accounts.second_factor import ask_second_factor

        # after the password, an administrator with a TOTP device still owes its code
        user_logged_in.connect(ask_second_factor, dispatch_uid="dangbo_second_factor")
