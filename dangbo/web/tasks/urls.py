"""URLs of the area «Việc chạy nền»."""

from django.urls import path

from dangbo.web.tasks import launch, views

urlpatterns = [
    path("viec-nen/<uuid:task_id>/", views.task_page, name="task"),
    path("viec-nen/<uuid:task_id>/tai-ve/", views.task_download, name="task_download"),
    path("viec-nen/<uuid:task_id>/chay-lai/", views.task_retry, name="task_retry"),
    path("viec-nen/bao-cao-don-vi/<int:pk>/", launch.unit_reports, name="task_unit_reports"),
    path(
        "viec-nen/co-cau-dang-vien/",
        launch.breakdown_snapshot,
        name="task_breakdown_snapshot",
    ),
]
