"""URLs of the area «Tổng hợp»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
