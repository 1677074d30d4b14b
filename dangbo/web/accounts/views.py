"""Account administration (MANAGE_ACCOUNTS) and the second factor of administrators.

Each page shows only the accounts the administrator manages (`dangbo.accounts.selectors`);
every write goes through one service of `dangbo.accounts.services` or
`dangbo.accounts.second_factor`, whose refusal is shown beside its field.
"""

from __future__ import annotations

from base64 import b32encode
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangbo.accounts import services
from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.accounts.second_factor import (
    PENDING_KEY,
    qr_svg,
    totp_check,
    totp_device,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_remove,
)
from dangbo.accounts.selectors import account_list, is_root_level, org_labels
from dangbo.api.tokens import token_list
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.web.accounts.access import get_account_for_user, get_assignment_for_user
from dangbo.web.accounts.forms import (
    AccountCreateForm,
    PasswordForm,
    RoleEndForm,
    RoleForm,
    TokenForm,
)
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error, form_write


def _within(request: HttpRequest) -> frozenset[int]:
    return scope_org_ids(request.user, Action.MANAGE_ACCOUNTS)


def _state(a: RoleAssignment, on: date) -> str:
    if a.valid_from > on:
        return "future"
    if a.valid_to is not None and a.valid_to < on:
        return "ended"
    return "current"


@require(Action.MANAGE_ACCOUNTS)
def accounts(request: HttpRequest) -> HttpResponse:
    """Every account the administrator manages, with its roles."""
    rows = list(account_list(request.user))
    labels = org_labels(a.org_id for u in rows for a in u.role_assignments.all())
    on = today()
    for u in rows:
        u.roles = [
            {"a": a, "org": labels.get(a.org_id, ""), "state": _state(a, on)}
            for a in u.role_assignments.all()
        ]
    root = is_root_level(request.user, Action.MANAGE_ACCOUNTS)  # known already: no query
    return render(request, "web/accounts/list.html", {"accounts": rows, "root_level": root})


def _detail(
    request: HttpRequest,
    account: Any,
    *,
    role_form: RoleForm | None = None,
    end_form: RoleEndForm | None = None,
    end_pk: int | None = None,
) -> HttpResponse:
    assignments = list(account.role_assignments.order_by("valid_from", "pk"))
    labels = org_labels(a.org_id for a in assignments)
    on = today()
    rows = [
        {
            "a": a,
            "org": labels.get(a.org_id, ""),
            "state": _state(a, on),
            "end_form": end_form if a.pk == end_pk else RoleEndForm(prefix=f"end{a.pk}"),
        }
        for a in assignments
    ]
    return render(
        request,
        "web/accounts/detail.html",
        {
            "account": account,
            "rows": rows,
            "role_form": role_form or RoleForm(prefix="role"),
            "is_self": account.pk == request.user.pk,
            "has_totp": totp_device(account) is not None,
            "tokens": token_list(account),
        },
    )


@require(Action.MANAGE_ACCOUNTS)
def account(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_account_for_user(request.user, pk))


@require(Action.MANAGE_ACCOUNTS)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, user = form_write(
            form,
            lambda: services.account_create(
                username=d["username"],
                full_name=d["full_name"],
                password=d["password"],
                role=d["role"],
                org=d["org"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                actor=request.user.get_username(),
                within=_within(request),
            ),
        )
        if ok and user is not None:
            messages.success(request, f"Đã tạo tài khoản «{user.get_username()}».")
            return redirect("web:account", pk=user.pk)
    return render(request, "web/accounts/create.html", {"form": form})


@require(Action.MANAGE_ACCOUNTS)
@require_POST
def account_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    form = RoleForm(request.POST, prefix="role")
    if form.is_valid():
        d = form.cleaned_data
        ok, _ = form_write(
            form,
            lambda: services.role_assign(
                user=account,
                role=d["role"],
                org=d["org"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                actor=request.user.get_username(),
                within=_within(request),
            ),
        )
        if ok:
            messages.success(request, "Đã giao vai trò.")
            return redirect("web:account", pk=account.pk)
    return _detail(request, account, role_form=form)


@require(Action.MANAGE_ACCOUNTS)
@require_POST
def account_role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, pk, assignment_pk)
    form = RoleEndForm(request.POST, prefix=f"end{assignment.pk}")
    if form.is_valid():
        ok, _ = form_write(
            form,
            lambda: services.role_end(
                assignment=assignment,
                on=form.cleaned_data["valid_to"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, "Đã kết thúc phân công.")
            return redirect("web:account", pk=pk)
    return _detail(request, assignment.user, end_form=form, end_pk=assignment.pk)


@require(Action.MANAGE_ACCOUNTS)
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable (``active=0``) or enable (``active=1``) the account."""
    account = get_account_for_user(request.user, pk)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        messages.error(request, "Yêu cầu không hợp lệ.")
        return redirect("web:account", pk=pk)
    change = services.account_enable if wanted == "1" else services.account_disable
    try:
        change(user=account, actor=request.user.get_username())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Đã mở khóa tài khoản." if wanted == "1" else "Đã khóa tài khoản."
        )
    return redirect("web:account", pk=pk)


@require(Action.MANAGE_ACCOUNTS)
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form,
            lambda: services.password_set(
                user=account,
                password=form.cleaned_data["password"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, "Đã đặt mật khẩu mới.")
            return redirect("web:account", pk=pk)
    return render(request, "web/accounts/password.html", {"form": form, "account": account})


@require(Action.MANAGE_ACCOUNTS)
@require_POST
def account_totp_remove(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    try:
        totp_remove(actor=request.user.get_username(), account=account)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã tắt xác thực hai bước của tài khoản.")
    return redirect("web:account", pk=pk)


@require(Action.MANAGE_ACCOUNTS)
def totp_setup(request: HttpRequest) -> HttpResponse:
    """The administrator's own second factor: start, scan the QR code, confirm with a code."""
    user = request.user
    form = TokenForm(request.POST if "token" in request.POST else None)
    if request.method == "POST":
        try:
            if "start" in request.POST:
                totp_enrol_start(user=user)
                return redirect("web:totp_setup")
            if form.is_valid():
                totp_enrol_confirm(user=user, token=form.cleaned_data["token"])
                messages.success(request, "Đã bật xác thực hai bước.")
                return redirect("web:totp_setup")
        except DomainError as exc:
            add_domain_error(form, exc)
    confirmed = totp_device(user)
    pending = None if confirmed else totp_device(user, confirmed=False)
    return render(
        request,
        "web/accounts/totp_setup.html",
        {
            "confirmed": confirmed,
            "pending": pending,
            "qr": qr_svg(pending) if pending else "",
            "manual_key": b32encode(pending.bin_key).decode() if pending else "",
            "form": form,
        },
    )


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("web:home")


@require(Action.MANAGE_ACCOUNTS)
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password; a session that owes none goes on."""
    if not request.session.get(PENDING_KEY):
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form, lambda: totp_check(user=request.user, token=form.cleaned_data["token"])
        )
        if ok:
            request.session.cycle_key()
            del request.session[PENDING_KEY]
            return redirect(_next(request))
    return render(request, "web/accounts/totp_verify.html", {"form": form, "next": _next(request)})
