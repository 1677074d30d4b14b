"""URLs of the area «Hội nghị»: meetings are named by their readable reference
("P1-C1-2024-05-10-sinh_hoat_chi_bo")."""

from django.urls import URLPattern, path

from dangbo.web.meetings import edit, views

urlpatterns: list[URLPattern] = [
    path("hoi-nghi/", views.meetings, name="meetings"),
    path("hoi-nghi/ghi-moi/", views.meeting_new, name="meeting_new"),
    path("hoi-nghi/sinh-hoat-chi-bo/ghi-moi/", views.cell_meeting_new, name="cell_meeting_new"),
    path("hoi-nghi/<str:ref>/", views.meeting, name="meeting"),
    path("hoi-nghi/<str:ref>/sua/", edit.meeting_edit, name="meeting_edit"),
    path("hoi-nghi/<str:ref>/nhiem-vu/", views.meeting_task_add, name="meeting_task_add"),
    path(
        "hoi-nghi/<str:ref>/nhiem-vu/<int:task>/danh-gia/",
        views.meeting_task_review,
        name="meeting_task_review",
    ),
    path("hoi-nghi/<str:ref>/tin-bai/", views.meeting_news, name="meeting_news"),
    path("hoi-nghi/<str:ref>/tin-bai/sua/", views.meeting_news_edit, name="meeting_news_edit"),
    path(
        "hoi-nghi/<str:ref>/tin-bai.<str:fmt>",
        views.meeting_news_download,
        name="meeting_news_download",
    ),
]
