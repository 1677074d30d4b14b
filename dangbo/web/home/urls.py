"""URLs of the home page."""

from django.urls import path

from dangbo.web.home import views

urlpatterns = [path("", views.home, name="home")]
