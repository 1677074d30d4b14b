"""URLs of the area «Xếp loại»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
