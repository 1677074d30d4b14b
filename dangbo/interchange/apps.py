from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "dangbo.interchange"
    label = "interchange"
    verbose_name = "Tệp trao đổi dữ liệu"
