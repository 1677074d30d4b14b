"""URLs of the members pages."""

from django.urls import URLPattern, path

from dangbo.web.members import views

urlpatterns: list[URLPattern] = [
    path("dang-vien/ket-nap/", views.member_admit, name="member_admit"),
    path("dang-vien/tiep-nhan/", views.member_receive, name="member_receive"),
    path("dang-vien/<int:pk>/", views.member, name="member"),
    path("dang-vien/<int:pk>/ghi/<slug:slug>/", views.member_event, name="member_event"),
    path("dang-vien/<int:pk>/ky-luat/", views.member_discipline, name="member_discipline"),
    path("dang-vien/<int:pk>/de-xuat/<slug:slug>/", views.member_propose, name="member_propose"),
    path("dang-vien/<int:pk>/huy-bo/<int:event>/", views.member_reverse, name="member_reverse"),
    path("de-xuat/", views.proposals, name="proposals"),
    path("de-xuat/<int:pk>/", views.proposal, name="proposal"),
]
