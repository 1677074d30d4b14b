"""URLs of the audit log: one page, read only."""

from django.urls import path

from dangbo.web.audit import views

urlpatterns = [path("nhat-ky/", views.audit_log, name="audit")]
