"""URLs of the area «Đảng phí»: the organization's dues, a cell's month grid and the quick
entry of a cell's month, a member's dues facts and relief decisions (and their early end), the
collection book, the yearly party finance report."""

from django.urls import URLPattern, path

from dangbo.web.dues import book, finance, member, views

urlpatterns: list[URLPattern] = [
    path("dang-phi/", views.dues, name="dues"),
    path("dang-phi/chi-bo/<int:org>/", views.dues_cell, name="dues_cell"),
    path(
        "dang-phi/chi-bo/<int:org>/<int:year>/<int:month>/thu/",
        views.dues_cell_month,
        name="dues_cell_month",
    ),
    path("dang-phi/chi-bo/<int:org>/tinh/", views.dues_compute, name="dues_compute"),
    path("dang-phi/chi-bo/<int:org>/so-thu.xlsx", book.dues_book, name="dues_book"),
    path("dang-phi/chi-bo/<int:org>/so-thu.docx", book.dues_book_docx, name="dues_book_docx"),
    path("dang-phi/chi-bo/<int:org>/so-thu.pdf", book.dues_book_pdf, name="dues_book_pdf"),
    path(
        "dang-phi/to-chuc/<int:org>/bao-cao-tai-chinh-<int:year>.docx",
        finance.dues_finance_docx,
        name="dues_finance_docx",
    ),
    path(
        "dang-phi/to-chuc/<int:org>/bao-cao-tai-chinh-<int:year>.pdf",
        finance.dues_finance_pdf,
        name="dues_finance_pdf",
    ),
    path("dang-phi/dang-vien/<int:pk>/", member.dues_member, name="dues_member"),
    path("dang-phi/dang-vien/<int:pk>/can-cu/", member.dues_fact, name="dues_fact"),
    path("dang-phi/dang-vien/<int:pk>/mien-giam/", member.dues_relief, name="dues_relief"),
    path("dang-phi/mien-giam/<int:pk>/ket-thuc/", member.dues_relief_end, name="dues_relief_end"),
]
