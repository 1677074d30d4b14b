"""URLs of the register pages."""

from django.urls import path

from dangbo.web.register import views

urlpatterns = [
    path("dang-vien/", views.register, name="register"),
    path("dang-vien/xuat-excel/", views.register_export, name="register_export"),
]
