"""URLs of the area «Báo cáo»: the list, a new draft, a report's page, its editors,
preview, downloads and issue."""

from django.urls import URLPattern, path

from dangbo.web.reports import edit, views

urlpatterns: list[URLPattern] = [
    path("bao-cao/", views.report_list, name="reports"),
    path("bao-cao/moi/", edit.report_new, name="report_new"),
    path("bao-cao/<int:pk>/", views.report_page, name="report"),
    path("bao-cao/<int:pk>/xem-truoc/", views.report_preview, name="report_preview"),
    path("bao-cao/<int:pk>/bao-cao.docx", views.report_docx, name="report_docx"),
    path("bao-cao/<int:pk>/bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("bao-cao/<int:pk>/noi-dung/", edit.report_narrative, name="report_narrative"),
    path("bao-cao/<int:pk>/sua-so-lieu/", edit.report_override, name="report_override"),
    path("bao-cao/<int:pk>/noi-nhan/", edit.report_addressing, name="report_addressing"),
    path("bao-cao/<int:pk>/ban-hanh/", edit.report_issue, name="report_issue"),
]
