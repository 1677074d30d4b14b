"""URLs of the register pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
