"""Accounts (and their API tokens) are reached only through these helpers: 404 for "missing" and "not yours"."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.selectors import accounts_visible
from dangbo.api.models import ApiToken


def get_account_for_user(user: Any, pk: int) -> Any:
    """The account `pk` if `user` administers it (see `dangbo.accounts.selectors`); else 404."""
    account = accounts_visible(user).filter(pk=pk).first()
    if account is None:
        raise Http404("Không tìm thấy tài khoản.")
    return account


def get_assignment_for_user(user: Any, account_pk: int, pk: int) -> RoleAssignment:
    """The role assignment `pk` of the account `account_pk` the user administers; else 404."""
    account = get_account_for_user(user, account_pk)
    assignment = RoleAssignment.objects.filter(pk=pk, user=account).first()
    if assignment is None:
        raise Http404("Không tìm thấy phân công.")
    assignment.user = account
    return assignment


def get_api_token_for_user(user: Any, pk: int) -> ApiToken:
    """The API token `pk` if it is `user`'s own or belongs to an account `user` administers;
    else 404."""
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or (
        token.user_id != user.pk and not accounts_visible(user).filter(pk=token.user_id).exists()
    ):
        raise Http404("Không tìm thấy mã truy cập.")
    return token
