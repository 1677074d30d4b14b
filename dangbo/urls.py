"""Root URLs: the office web application."""

from django.urls import include, path

urlpatterns = [path("", include("dangbo.web.urls"))]

handler403 = "dangbo.web.views.forbidden"
handler404 = "dangbo.web.views.not_found"
handler500 = "dangbo.web.views.server_error"
