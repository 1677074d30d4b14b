from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "dangbo.membership"
    label = "membership"
    verbose_name = "Đảng viên"
