"""URLs of the area «Kiểm tra, giám sát»."""

from django.urls import URLPattern, path

from dangbo.web.inspections import edit, views

urlpatterns: list[URLPattern] = [
    path("kiem-tra/", views.inspections, name="inspections"),
    path("kiem-tra/uy-ban-kiem-tra/", views.inspection_committee, name="inspection_committee"),
    path("kiem-tra/mo/", edit.inspection_case_open, name="inspection_case_open"),
    path("kiem-tra/<int:pk>/", views.inspection_case, name="inspection_case"),
    path("kiem-tra/<int:pk>/buoc/", edit.inspection_case_step, name="inspection_case_step"),
    path(
        "kiem-tra/<int:pk>/ket-luan/",
        edit.inspection_case_conclude,
        name="inspection_case_conclude",
    ),
    path(
        "kiem-tra/<int:pk>/ky-luat/",
        edit.inspection_case_discipline,
        name="inspection_case_discipline",
    ),
]
