"""URLs of the area «Tổng hợp»."""

from django.urls import path

from dangbo.web.dashboards import views

urlpatterns = [
    path("tong-hop/", views.dashboards, name="dashboards"),
    path("tong-hop/<int:pk>/<slug:key>.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("tong-hop/<int:pk>/<slug:key>.png", views.dashboard_png, name="dashboard_png"),
]
