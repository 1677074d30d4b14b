"""URLs of the area «Việc chạy nền»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
