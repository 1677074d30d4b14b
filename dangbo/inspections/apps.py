from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "dangbo.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát, kỷ luật"
