"""URLs of the transfers pages."""

from django.urls import URLPattern, path

from dangbo.web.transfers import views

urlpatterns: list[URLPattern] = [
    path("chuyen-sinh-hoat/", views.transfers, name="transfers"),
    path("chuyen-sinh-hoat/<int:pk>/tiep-nhan/", views.transfer_receive, name="transfer_receive"),
    path("chuyen-sinh-hoat/gui/<int:member>/", views.transfer_send, name="transfer_send"),
]
