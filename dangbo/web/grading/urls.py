"""URLs of the area «Xếp loại»."""

from django.urls import URLPattern, path

from dangbo.web.grading import views

urlpatterns: list[URLPattern] = [
    path("xep-loai/", views.grading, name="grading"),
    path("xep-loai/<int:pk>/<int:year>/", views.grading_grid, name="grading_grid"),
    path("xep-loai/<int:pk>/<int:year>/ghi/", views.grading_record, name="grading_record"),
    path("xep-loai/<int:pk>/<int:year>/ty-le/", views.grading_cap, name="grading_cap"),
    path("xep-loai/<int:pk>/<int:year>/huy/", views.grading_withdraw, name="grading_withdraw"),
    path("xep-loai/to-chuc/<int:pk>/<int:year>/", views.grading_org, name="grading_org"),
]
