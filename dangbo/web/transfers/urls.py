"""URLs of the transfers pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
