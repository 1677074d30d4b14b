"""URLs of the area «Chỉ tiêu»."""

from django.urls import URLPattern, path

from dangbo.web.targets import views

urlpatterns: list[URLPattern] = [
    path("chi-tieu/", views.targets, name="targets"),
    path("chi-tieu/moi/", views.target_new, name="target_new"),
    path("chi-tieu/tinh-tu-so-lieu/", views.targets_compute, name="targets_compute"),
    path("chi-tieu/<int:pk>/danh-gia/", views.target_evaluate, name="target_evaluate"),
    path("chi-tieu/<int:pk>/dieu-chinh/", views.target_revise_view, name="target_revise"),
]
