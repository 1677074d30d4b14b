"""URLs of the accounts pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
