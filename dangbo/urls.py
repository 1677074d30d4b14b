"""Root URLs: the office web application and the REST API."""

from django.urls import include, path

from dangbo.api.api import api

urlpatterns = [path("api/", api.urls), path("", include("dangbo.web.urls"))]

handler403 = "dangbo.web.views.forbidden"
handler404 = "dangbo.web.views.not_found"
handler500 = "dangbo.web.views.server_error"
