"""URLs of the candidates pages."""

from django.urls import URLPattern, path

from dangbo.web.candidates import views

urlpatterns: list[URLPattern] = [
    path("phat-trien-dang-vien/", views.candidates, name="candidates"),
    path(
        "phat-trien-dang-vien/<int:pk>/buoc-tiep/",
        views.candidate_advance,
        name="candidate_advance",
    ),
]
