"""Writes of the document register in the browser: issue (numbered by the numbering
service), receive, attach the signed scan, link two documents. Each goes through the
documents services; a refusal is shown beside its field and nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.citations import DocumentNumber
from dangbo.core.dates import today
from dangbo.core.errors import InvalidInput
from dangbo.documents.models import Document
from dangbo.documents.scans import document_attach_scan
from dangbo.documents.selectors import document_find
from dangbo.documents.services import (
    document_extract_citations,
    document_issue,
    document_link,
    document_receive,
)
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.web.decorators import require
from dangbo.web.documents.access import get_document_for_user, readable_for_user
from dangbo.web.documents.forms import IssueForm, LinkForm, ReceiveForm, ScanForm
from dangbo.web.forms import form_write


def _orgs(user: Any) -> list[tuple[int, str]]:
    """The committees and cells where the user keeps the register, committees first."""
    on = today()
    scope = scope_org_ids(user, Action.MANAGE_DOCUMENTS)
    return list(
        OrgVersion.objects.filter(org_id__in=scope, valid_from__lte=on, valid_to__gt=on)
        .order_by("kind__rank", "name")
        .values_list("org_id", "name")
    )


def _attach(doc: Document, upload: Any, actor: str) -> None:
    if upload is not None:
        document_attach_scan(doc=doc, upload=upload, size=upload.size, actor=actor)


def _register(request: HttpRequest, form_class: type, write: Any, heading: str) -> HttpResponse:
    orgs = _orgs(request.user)
    form = form_class(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        actor = request.user.get_username()
        upload = d.pop("scan")
        org = Organization.objects.get(pk=d.pop("org"))

        def run() -> Document:
            with transaction.atomic():
                doc = write(org=org, actor=actor, **d)
                _attach(doc, upload, actor)
                document_extract_citations(doc=doc, actor=actor)
                return doc

        ok, doc = form_write(form, run)
        if ok and doc is not None:
            messages.success(request, f"Đã vào sổ {doc}.")
            return redirect("web:document", pk=doc.pk)
    return render(
        request, "web/documents/form.html", {"form": form, "heading": heading, "multipart": True}
    )


@require(Action.MANAGE_DOCUMENTS)
def document_issue_view(request: HttpRequest) -> HttpResponse:
    """A document one of the user's committees issues: its number is the next of its type."""

    def write(**kw: Any) -> Document:
        kw["type_name"] = kw.get("type_name") or None
        return document_issue(**kw)

    return _register(request, IssueForm, write, "Vào sổ văn bản đi")


@require(Action.MANAGE_DOCUMENTS)
def document_receive_view(request: HttpRequest) -> HttpResponse:
    return _register(request, ReceiveForm, document_receive, "Vào sổ văn bản đến")


@require(Action.MANAGE_DOCUMENTS)
def document_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document_for_user(request.user, pk, Action.MANAGE_DOCUMENTS)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["scan"]
        actor = request.user.get_username()
        ok, _ = form_write(form, lambda: _attach(doc, upload, actor))
        if ok:
            messages.success(request, "Đã lưu bản ký.")
            return redirect("web:document", pk=doc.pk)
    return render(
        request,
        "web/documents/form.html",
        {"form": form, "heading": f"Tải bản ký — {doc}", "doc": doc, "multipart": True},
    )


@require(Action.MANAGE_DOCUMENTS)
def document_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Link this document to another (implements, replaces, reports on, cites) named by its
    number and date; a document the user may not reach is "not found"."""
    doc = get_document_for_user(request.user, pk, Action.MANAGE_DOCUMENTS)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = request.user.get_username()

        def run() -> Any:
            target = document_find(DocumentNumber.parse(d["number"]), d["issued_on"])
            reachable = readable_for_user(request.user, Action.MANAGE_DOCUMENTS)
            if target is None or not reachable.filter(pk=target.pk).exists():
                raise InvalidInput(
                    f"Không tìm thấy văn bản số {d['number']} ngày {d['issued_on']:%d/%m/%Y} "
                    "trong sổ.",
                    field="number",
                )
            return document_link(from_doc=doc, to_doc=target, relation=d["relation"], actor=actor)

        ok, _ = form_write(form, run)
        if ok:
            messages.success(request, "Đã ghi quan hệ giữa hai văn bản.")
            return redirect("web:document", pk=doc.pk)
    return render(
        request,
        "web/documents/form.html",
        {"form": form, "heading": f"Liên kết — {doc}", "doc": doc},
    )
