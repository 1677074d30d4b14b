"""URLs of the area «Đảng phí»: the organization's dues, a cell's month grid and the quick
entry of a cell's month."""

from django.urls import URLPattern, path

from dangbo.web.dues import views

urlpatterns: list[URLPattern] = [
    path("dang-phi/", views.dues, name="dues"),
    path("dang-phi/chi-bo/<int:org>/", views.dues_cell, name="dues_cell"),
    path(
        "dang-phi/chi-bo/<int:org>/<int:year>/<int:month>/thu/",
        views.dues_cell_month,
        name="dues_cell_month",
    ),
    path("dang-phi/chi-bo/<int:org>/tinh/", views.dues_compute, name="dues_compute"),
    path("dang-phi/chi-bo/<int:org>/so-thu.xlsx", views.dues_book, name="dues_book"),
    path("dang-phi/chi-bo/<int:org>/so-thu.<str:fmt>", views.dues_book_doc, name="dues_book_doc"),
]
