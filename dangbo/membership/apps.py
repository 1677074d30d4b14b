from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "dangbo.membership"
    label = "membership"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        # Models are importable only once the registry is ready; this installs the ledger as
        # the organization tree's member roll (the tree never imports membership).
        from dangbo.membership.roll import LedgerRoll
        from dangbo.organizations.members import member_roll_install

        member_roll_install(LedgerRoll())
