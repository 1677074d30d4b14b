from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dangbo.api"
    label = "api"
    verbose_name = "Giao diện lập trình (REST API)"
