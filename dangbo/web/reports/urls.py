"""URLs of the area «Báo cáo»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
