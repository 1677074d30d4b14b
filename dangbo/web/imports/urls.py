"""URLs of the area «Nhập từ Excel»."""

from django.urls import path

from dangbo.web.imports import views

urlpatterns = [
    path("nhap-excel/", views.imports, name="imports"),
    path("nhap-excel/mau/", views.template, name="import_template"),
    path("nhap-excel/<str:token>/", views.mapping, name="import_map"),
    path("nhap-excel/<str:token>/loi/", views.errors, name="import_errors"),
]
