"""URLs of the orgs pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
