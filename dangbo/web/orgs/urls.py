"""URLs of the orgs pages: the tree, an organization's page and workbook, reorganizations."""

from django.urls import URLPattern, path

from dangbo.web.orgs import reorg, views

urlpatterns: list[URLPattern] = [
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/<int:pk>/", views.org_page, name="org"),
    path("to-chuc/<int:pk>/so-lieu.xlsx", views.org_figures_xlsx, name="org_figures_xlsx"),
    path("to-chuc/<int:pk>/thanh-lap/", reorg.org_found, name="org_found"),
    path("to-chuc/<int:pk>/doi-ten/", reorg.org_rename, name="org_rename"),
    path("to-chuc/<int:pk>/dieu-chuyen/", reorg.org_move, name="org_move"),
    path("to-chuc/<int:pk>/hop-nhat/", reorg.org_merge, name="org_merge"),
    path("to-chuc/<int:pk>/chia-tach/", reorg.org_split, name="org_split"),
    path("to-chuc/<int:pk>/giai-the/", reorg.org_dissolve, name="org_dissolve"),
]
