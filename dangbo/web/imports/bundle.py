"""The mapping page of a workbook of event lists: one sheet per kind, each with its sheet
choice, its mapping and its preview; «Ghi vào sổ» writes every sheet together or none.

The choices are kept in the upload's `extra`: ``sheets`` (kind → sheet chosen) and
``mappings`` (kind → column position → field, once confirmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization
from dangbo.web.imports.forms import MappingForm
from dangbo.web.imports.uploads import Upload, upload_data, upload_save
from dangbo.web.tasks.api import enqueue_and_redirect
from dangbo.xlsx_import.bundle import (
    BUNDLE_LABEL,
    KINDS,
    BundleRefused,
    Sheets,
    find_sheets,
    import_sheets,
    read_sheets,
)
from dangbo.xlsx_import.check import Plan
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.preview import Preview, preview
from dangbo.xlsx_import.sheet import Mapping, Table, guess_mapping, sheet_names

ERRORS_SHOWN = 20


def bundle_sheets(upload: Upload, data: bytes) -> tuple[list[str], dict[SheetKind, Table]]:
    """The workbook's sheet names and the table of each kind's sheet."""
    names = sheet_names(data)
    chosen = {SheetKind(k): v for k, v in upload.extra.get("sheets", {}).items() if v}
    return names, read_sheets(data, find_sheets(names, chosen))


def saved_mappings(upload: Upload) -> dict[SheetKind, Mapping] | None:
    saved = upload.extra.get("mappings")
    if saved is None:
        return None
    return {SheetKind(k): {int(p): f for p, f in m.items()} for k, m in saved.items()}


def bundle_parts(upload: Upload, tables: dict[SheetKind, Table]) -> Sheets:
    """Each sheet with its mapping: the one confirmed, else the one guessed from headers."""
    saved = saved_mappings(upload) or {}
    return {k: (t, saved.get(k) or guess_mapping(t, k)) for k, t in tables.items()}


def bundle_check(upload: Upload, parts: Sheets) -> tuple[list[Plan] | None, str]:
    """The checked sheets (None when they cannot be checked) and what stops the import."""
    try:
        outcome = import_sheets(
            org=Organization.objects.get(pk=upload.org_id),
            on=date.fromisoformat(upload.on),
            sheets=parts,
            actor="",
            dry_run=True,
        )
    except BundleRefused as exc:
        return exc.plans, exc.message
    except DomainError as exc:
        return None, exc.message
    return outcome.plans, ""


@dataclass
class Section:
    kind: SheetKind
    table: Table
    form: MappingForm
    plan: Plan | None
    preview: Preview | None
    bad: list[tuple[int, str]]


def bundle_page(request: HttpRequest, upload: Upload, context: dict[str, Any]) -> HttpResponse:
    """GET: every sheet's mapping and preview; POST: keep the choices, or (once the confirmed
    choices check clean) put the import on the task queue."""
    data = upload_data(upload)
    context["label"] = BUNDLE_LABEL
    try:
        names, tables = bundle_sheets(upload, data)
    except DomainError as exc:
        return render(request, "web/imports/bundle.html", {**context, "problem": exc.message})
    parts = bundle_parts(upload, tables)
    forms = {
        k: MappingForm(request.POST or None, table=t, kind=k, mapping=m, prefix=k.value)
        for k, (t, m) in parts.items()
    }
    if request.method == "POST" and all(f.is_valid() for f in forms.values()):
        chosen = {k.value: {str(p): v for p, v in f.mapping().items()} for k, f in forms.items()}
        sheets = {k.value: request.POST.get(f"sheet_{k.value}", "") for k in KINDS}
        kept = {k: v for k, v in upload.extra.get("sheets", {}).items() if v}
        wanted = {k: v for k, v in sheets.items() if v}
        found = {k.value: t.sheet for k, t in tables.items()}
        same_sheets = all(found.get(k) == v for k, v in wanted.items())
        if (
            request.POST.get("action") == "import"
            and chosen == upload.extra.get("mappings")
            and same_sheets
        ):
            return enqueue_and_redirect(
                request,
                _job(),
                upload.token,
                request.user.get_username(),
                title=f"Nhập danh sách sự kiện từ «{upload.filename}»",
                org_id=upload.org_id,
                action=Action.RECORD_EVENTS,
            )
        if same_sheets:
            upload.extra["mappings"] = chosen
        else:
            upload.extra["mappings"] = None
        upload.extra["sheets"] = {**kept, **wanted}
        upload_save(upload)
        return redirect("web:import_map", token=upload.token)
    plans, problem = bundle_check(upload, parts)
    by_kind = {p.kind: p for p in plans or []}
    sections = [
        Section(
            kind=k,
            table=t,
            form=forms[k],
            plan=by_kind.get(k),
            preview=preview(by_kind[k]) if k in by_kind else None,
            bad=[(r.number, "; ".join(r.errors)) for r in by_kind[k].bad[:ERRORS_SHOWN]]
            if k in by_kind
            else [],
        )
        for k, (t, _) in parts.items()
    ]
    total = sum(len(p.rows) for p in plans or [])
    bad = sum(len(p.bad) for p in plans or [])
    return render(
        request,
        "web/imports/bundle.html",
        {
            **context,
            "problem": problem,
            "names": names,
            "kinds": KINDS,
            "found": {k.value: t.sheet for k, t in tables.items()},
            "sections": sections,
            "total": total,
            "bad_total": bad,
            "checked": plans is not None,
            "confirmed": saved_mappings(upload) is not None and plans is not None and not bad,
        },
    )


def _job() -> Any:
    from dangbo.web.imports.jobs import xlsx_import

    return xlsx_import
