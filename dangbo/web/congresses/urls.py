"""URLs of the area «Đại hội»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
