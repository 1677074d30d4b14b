from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangbo.reports"
    label = "reports"
    verbose_name = "Báo cáo"
