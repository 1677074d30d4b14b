"""URLs of the members pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
