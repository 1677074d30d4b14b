"""URLs of the area «Chỉ tiêu»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
