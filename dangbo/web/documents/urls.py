"""URLs of the area «Văn bản»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
