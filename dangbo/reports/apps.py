from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangbo.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        # Models are importable only once the registry is ready; an issued review report
        # closes its period for the targets app (which never imports reports).
        from dangbo.reports.selectors import issued_report_exists
        from dangbo.targets.selectors import period_closer_install

        period_closer_install(issued_report_exists)
