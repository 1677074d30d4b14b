"""URLs of account administration, the second factor and the user's API tokens."""

from django.urls import path

from dangbo.web.accounts import api_tokens, views

urlpatterns = [
    path("tai-khoan/", views.accounts, name="accounts"),
    path("tai-khoan/them/", views.account_create, name="account_create"),
    path("tai-khoan/<int:pk>/", views.account, name="account"),
    path("tai-khoan/<int:pk>/vai-tro/", views.account_role_add, name="account_role_add"),
    path(
        "tai-khoan/<int:pk>/vai-tro/<int:assignment_pk>/ket-thuc/",
        views.account_role_end,
        name="account_role_end",
    ),
    path("tai-khoan/<int:pk>/trang-thai/", views.account_active, name="account_active"),
    path("tai-khoan/<int:pk>/mat-khau/", views.account_password, name="account_password"),
    path(
        "tai-khoan/<int:pk>/xac-thuc-hai-buoc/xoa/",
        views.account_totp_remove,
        name="account_totp_remove",
    ),
    path("ma-truy-cap/", api_tokens.api_tokens, name="api_tokens"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", api_tokens.api_token_revoke, name="api_token_revoke"),
    path("xac-thuc-hai-buoc/", views.totp_setup, name="totp_setup"),
    path("xac-thuc-hai-buoc/nhap-ma/", views.totp_verify, name="totp_verify"),
]
