from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dangbo.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu"
