"""URLs of the area «Văn bản»."""

from django.urls import URLPattern, path

from dangbo.web.documents import edit, views

urlpatterns: list[URLPattern] = [
    path("van-ban/", views.documents, name="documents"),
    path("van-ban/so-van-ban.xlsx", views.documents_xlsx, name="documents_xlsx"),
    path("van-ban/vao-so-di/", edit.document_issue_view, name="document_issue"),
    path("van-ban/vao-so-den/", edit.document_receive_view, name="document_receive"),
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/<int:pk>/ban-ky/", views.document_scan, name="document_scan"),
    path("van-ban/<int:pk>/tai-ban-ky/", edit.document_scan_upload, name="document_scan_upload"),
    path("van-ban/<int:pk>/lien-ket/", edit.document_link_view, name="document_link"),
]
