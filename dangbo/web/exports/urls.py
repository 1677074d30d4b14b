"""URLs of the exports (each beside the page it exports)."""

from django.urls import URLPattern, path

from dangbo.web.exports import views

urlpatterns: list[URLPattern] = [
    path("phat-trien-dang-vien/xuat-excel/", views.candidates_xlsx, name="candidates_xlsx"),
    path("huy-hieu/xuat-excel/", views.badges_xlsx, name="badges_xlsx"),
    path(
        "xep-loai/<int:pk>/<int:year>/xuat-excel/",
        views.grading_grid_xlsx,
        name="grading_grid_xlsx",
    ),
    path("chi-tieu/xuat-excel/", views.targets_xlsx, name="targets_xlsx"),
    path("to-chuc/<int:pk>/so-lieu-don-vi/", views.units_figures, name="org_units_figures"),
]
