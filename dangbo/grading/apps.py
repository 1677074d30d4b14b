from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "dangbo.grading"
    label = "grading"
    verbose_name = "Đánh giá, xếp loại chất lượng"
