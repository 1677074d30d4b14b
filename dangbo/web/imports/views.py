"""Import of an office's Excel list: upload, column mapping and preview, then the write on
the task queue; a list with wrong rows comes back as the same workbook with an error column.

Every page needs the right to record ledger events; an upload is reached by whoever may
record events in its organization (404 otherwise, as a missing one).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_version_shown
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.imports.bundle import bundle_check, bundle_page, bundle_parts, bundle_sheets
from dangbo.web.imports.forms import MappingForm, UploadForm
from dangbo.web.imports.jobs import xlsx_import
from dangbo.web.imports.uploads import Upload, upload_create, upload_data, upload_get, upload_save
from dangbo.web.tasks.api import enqueue_and_redirect
from dangbo.xlsx_import.bundle import BUNDLE
from dangbo.xlsx_import.check import Plan
from dangbo.xlsx_import.fields import COLUMNS, NEW_PEOPLE, SheetKind
from dangbo.xlsx_import.preview import preview
from dangbo.xlsx_import.sheet import Table, guess_mapping, read_table
from dangbo.xlsx_import.workbooks import error_workbook, template_workbook
from dangbo.xlsx_import.write import ImportRefused, import_table

TOKEN = re.compile(r"^[0-9a-f]{32}$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORG_CHOICES_LIMIT = 300
ERRORS_SHOWN = 20


def _orgs(user: Any) -> list[tuple[int, str]]:
    today = date.today()
    versions = OrgVersion.objects.filter(
        org_id__in=scope_org_ids(user, Action.RECORD_EVENTS),
        valid_from__lte=today,
        valid_to__gt=today,
    ).order_by("code")[:ORG_CHOICES_LIMIT]
    return [(v.org_id, f"{v.name} ({v.code})") for v in versions]


def action_for(kind: str) -> Action:
    """The right an import of `kind` writes under: dues payments need the right to record
    dues, every other list the right to record ledger events."""
    return Action.RECORD_DUES if kind == SheetKind.DUES.value else Action.RECORD_EVENTS


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@require(Action.RECORD_EVENTS)
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form and the templates; a valid upload is kept and goes to its mapping."""
    form = UploadForm(request.POST or None, request.FILES or None, orgs=_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        org = get_org_for_user(
            request.user, form.cleaned_data["org"], action_for(form.cleaned_data["kind"])
        )
        upload = upload_create(
            form.cleaned_data["file"].read(),
            owner_id=int(request.user.pk or 0),
            org_id=org.pk,
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["on"].isoformat(),
            filename=form.cleaned_data["file"].name,
        )
        return redirect("web:import_map", token=upload.token)
    kinds = [(k.label, [c.header for c in COLUMNS[k] if c.required]) for k in SheetKind]
    return render(request, "web/imports/upload.html", {"form": form, "kinds": kinds})


@require(Action.RECORD_EVENTS)
def template(request: HttpRequest) -> HttpResponse:
    """The template to fill: ``?loai=su_kien`` for the event lists, ``?loai=dang_phi`` for
    the dues payments, else the member list."""
    kind = request.GET.get("loai")
    if kind == "dang_phi":
        return _xlsx(template_workbook(members=False, dues=True), "mau-thu-dang-phi.xlsx")
    members = kind != "su_kien"
    name = "mau-danh-sach-dang-vien.xlsx" if members else "mau-danh-sach-su-kien.xlsx"
    return _xlsx(template_workbook(members=members), name)


def _upload(request: HttpRequest, token: str) -> Upload:
    upload = upload_get(token) if TOKEN.match(token) else None
    if upload is None:
        raise Http404("Không tìm thấy tệp nhập.")
    get_org_for_user(request.user, upload.org_id, action_for(upload.kind))
    return upload


def _check(upload: Upload, table: Table) -> tuple[Plan | None, str]:
    """The checked plan (None when it cannot be checked) and the message of what stops it."""
    kind = SheetKind(upload.kind)
    mapping = upload.positions()
    if mapping is None:
        mapping = guess_mapping(table, kind)
    try:
        outcome = import_table(
            kind=kind,
            org=get_org(upload),
            on=date.fromisoformat(upload.on),
            table=table,
            mapping=mapping,
            actor="",
            dry_run=True,
        )
    except ImportRefused as exc:
        return exc.plan, exc.message
    except DomainError as exc:
        return None, exc.message
    return outcome.plan, ""


def get_org(upload: Upload) -> Organization:
    return Organization.objects.get(pk=upload.org_id)


@require(Action.RECORD_EVENTS)
def mapping(request: HttpRequest, token: str) -> HttpResponse:
    """The file's columns and the fields they fill, the preview of what will be written (or
    the rows that are wrong); POST «Xem trước» keeps the mapping chosen, «Ghi vào sổ»
    (offered once the confirmed mapping checks clean) puts the import on the task queue."""
    upload = _upload(request, token)
    if upload.kind == BUNDLE:
        return bundle_page(request, upload, _context(upload))
    kind = SheetKind(upload.kind)
    data = upload_data(upload)
    try:
        table = read_table(data, kind, upload.sheet)
    except DomainError as exc:
        return render(request, "web/imports/mapping.html", _context(upload, problem=exc.message))
    current = upload.positions()
    if current is None:
        current = guess_mapping(table, kind)
    form = MappingForm(request.POST or None, table=table, kind=kind, mapping=current)
    if request.method == "POST" and form.is_valid():
        chosen = form.mapping()
        sheet = request.POST.get("sheet") or upload.sheet
        if (
            request.POST.get("action") == "import"
            and chosen == upload.positions()
            and (sheet == upload.sheet)
        ):
            return enqueue_and_redirect(
                request,
                xlsx_import,
                upload.token,
                request.user.get_username(),
                title=f"Nhập {kind.label.lower()} từ «{upload.filename}»",
                org_id=upload.org_id,
                action=action_for(upload.kind),
            )
        upload.mapping = {str(k): v for k, v in chosen.items()}
        if sheet in table.sheets and sheet != upload.sheet:
            upload.sheet, upload.mapping = sheet, None
        upload_save(upload)
        return redirect("web:import_map", token=upload.token)
    plan, problem = _check(upload, table)
    ctx = _context(upload, problem=problem)
    ctx.update(
        table=table,
        form=form,
        plan=plan,
        preview=preview(plan) if plan else None,
        bad=[(r.number, "; ".join(r.errors)) for r in plan.bad[:ERRORS_SHOWN]] if plan else [],
        confirmed=upload.mapping is not None and plan is not None and plan.ok,
    )
    return render(request, "web/imports/mapping.html", ctx)


def _context(upload: Upload, *, problem: str = "") -> dict[str, Any]:
    kind = SheetKind(upload.kind) if upload.kind != BUNDLE else None
    org = get_org(upload)
    return {
        "upload": upload,
        "kind": kind,
        "version": org_version_shown(org, date.today()),
        "on": date.fromisoformat(upload.on),
        "opening": kind == SheetKind.MEMBERS,
        "new_people": kind in NEW_PEOPLE,
        "problem": problem,
    }


@require(Action.RECORD_EVENTS)
def errors(request: HttpRequest, token: str) -> HttpResponse:
    """The uploaded workbook itself with the column «Lỗi» on each wrong row (404 when no
    row is wrong)."""
    upload = _upload(request, token)
    data = upload_data(upload)
    plans: list[Plan] = []
    try:
        if upload.kind == BUNDLE:
            plans = (
                bundle_check(upload, bundle_parts(upload, bundle_sheets(upload, data)[1]))[0] or []
            )
        else:
            plan, _ = _check(upload, read_table(data, SheetKind(upload.kind), upload.sheet))
            plans = [plan] if plan else []
    except DomainError:
        pass
    if not any(p.bad for p in plans):
        raise Http404("Không có dòng nào có lỗi.")
    stem = upload.filename.rsplit(".", 1)[0]
    return _xlsx(error_workbook(data, *plans), f"{stem}-loi.xlsx")
