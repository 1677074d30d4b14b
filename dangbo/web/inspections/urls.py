"""URLs of the area «Kiểm tra, giám sát»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
