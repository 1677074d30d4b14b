from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dangbo.web"
    verbose_name = "Ứng dụng web của văn phòng cấp ủy"
