"""URLs of the area «Hội nghị»."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
