"""The document register (sổ văn bản đi, đến): the list with search, the xlsx export, a
document's page (citations as links, the implementation chain as a tree) and its signed scan.

Every read goes through :func:`dangbo.web.documents.access.readable_for_user`, so a secret
document never reaches a user without clearance: not in the list, the search, the export,
the chain, a citation link, nor the scan.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.citations import find_citations
from dangbo.core.dates import today
from dangbo.documents.models import Direction, Document, Relation
from dangbo.documents.scans import content_type_of
from dangbo.documents.selectors import citation_find, documents_search, implementation_chain
from dangbo.organizations.selectors import subtree_ids
from dangbo.web.decorators import require
from dangbo.web.documents.access import get_document_for_user, readable_for_user, year_or_none
from dangbo.web.home.orgs import chosen_org
from dangbo.web.inspections.views import org_names

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[Any, Any, dict[str, Any]]:
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    within = set(subtree_ids(chosen.org, on=on))
    filters: dict[str, Any] = {
        "direction": request.GET.get("so", ""),
        "text": request.GET.get("q", "").strip(),
        "year": year_or_none(request.GET.get("nam", ""), on),
    }
    qs = documents_search(readable_for_user(request.user, within=within), own=within, **filters)
    filters["own"] = within
    return chosen, qs, filters


@require(Action.VIEW_PARTY_WORK)
def documents(request: HttpRequest) -> HttpResponse:
    chosen, qs, filters = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "web/documents/list.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "page": page,
            "rows": [(d, _issued_here(d, filters["own"])) for d in page.object_list],
            "filters": filters,
            "directions": Direction.choices,
            "query": query.urlencode(),
            "can_manage": can(request.user, Action.MANAGE_DOCUMENTS),
        },
    )


@require(Action.VIEW_PARTY_WORK)
def documents_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered, as an xlsx workbook (secret documents as the list shows them)."""
    chosen, qs, filters = _filtered(request)
    wb = Workbook()
    ws = wb.active
    ws.title = "So van ban"
    ws.append(
        [
            "Sổ",
            "Số, ký hiệu",
            "Ngày ban hành",
            "Ngày đến",
            "Cơ quan ban hành",
            "Trích yếu",
            "Người ký",
            "Độ mật",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for d in qs:
        ws.append(
            [
                "Văn bản đi" if _issued_here(d, filters["own"]) else "Văn bản đến",
                d.number_text,
                d.issued_on,
                d.received_on,
                d.issuer_body,
                d.title,
                d.signer,
                d.get_security_mark_display(),
            ]
        )
    for col, width in zip("ABCDEFGH", (12, 16, 14, 14, 32, 60, 20, 10), strict=True):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-{chosen.org.pk}.xlsx"'
    return response


def _issued_here(doc: Document, own: set[int]) -> bool:
    """Whether `doc` is in the "đi" register of the committees `own` (else their "đến")."""
    return doc.direction == Direction.ISSUED and doc.org_id in own


def _citations(text: str) -> list[tuple[int, int, Document | None]]:
    """(start, end, registered document or None) of each citation in `text`."""
    return [(f.start, f.end, citation_find(f.citation)) for f in find_citations(text or "")]


def _linked_text(
    text: str, found: list[tuple[int, int, Document | None]], visible: set[int]
) -> list[tuple[str, str | None]]:
    """`text` cut into (part, URL or None): a citation of a document the reader may see
    becomes a link to its page."""
    parts: list[tuple[str, str | None]] = []
    at = 0
    for start, end, doc in found:
        if doc is None or doc.pk not in visible:
            continue
        parts.append((text[at:start], None))
        parts.append((text[start:end], reverse("web:document", args=[doc.pk])))
        at = end
    parts.append((text[at:], None))
    return [p for p in parts if p[0]]


def _tree(chain: list, visible: set[int]) -> list[dict[str, Any]]:
    """The implementation chain as rows with an indent: what the document implements above
    it, what implements it below (documents the reader may not see are left out)."""
    rows = [e for e in chain if e.document.pk in visible]
    top = min((e.depth for e in rows), default=0)
    return [{"doc": e.document, "indent": e.depth - top, "self": e.depth == 0} for e in rows]


@require(Action.VIEW_PARTY_WORK)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_document_for_user(request.user, pk)
    chain = implementation_chain(doc)
    links_out = list(doc.links_out.select_related("to_doc"))
    links_in = list(doc.links_in.select_related("from_doc"))
    in_title, in_body = _citations(doc.title), _citations(doc.body_text)
    ids = {e.document.pk for e in chain} | {lk.to_doc_id for lk in links_out}
    ids |= {lk.from_doc_id for lk in links_in}
    ids |= {d.pk for _, _, d in in_title + in_body if d is not None}
    visible = set(readable_for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    visible.add(doc.pk)
    scope = scope_org_ids(request.user, Action.VIEW_PARTY_WORK)
    receipts = list(doc.receipts.filter(org_id__in=scope).order_by("received_on", "id"))
    names = org_names({r.org_id for r in receipts}, today())
    receipts_shown = [(names.get(r.org_id, ""), r.received_on) for r in receipts]
    return render(
        request,
        "web/documents/detail.html",
        {
            "doc": doc,
            "title_parts": _linked_text(doc.title, in_title, visible),
            "body_parts": _linked_text(doc.body_text, in_body, visible),
            "tree": _tree(chain, visible),
            "links_out": [
                lk
                for lk in links_out
                if lk.to_doc_id in visible and lk.relation != Relation.IMPLEMENTS
            ],
            "links_in": [
                lk
                for lk in links_in
                if lk.from_doc_id in visible and lk.relation != Relation.IMPLEMENTS
            ],
            "receipts": receipts_shown,
            "can_manage": can(request.user, Action.MANAGE_DOCUMENTS),
        },
    )


@require(Action.VIEW_PARTY_WORK)
def document_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed scan, served inline after the scope and clearance checks; 404 without one."""
    doc = get_document_for_user(request.user, pk)
    if not doc.scan:
        raise Http404("Văn bản chưa có bản ký.")
    try:
        handle = doc.scan.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp bản ký.") from None
    response = FileResponse(handle, content_type=content_type_of(doc.scan.name))
    response["Content-Disposition"] = f'inline; filename="{doc.scan.name.rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # streamed: a FileResponse is no HttpResponse subclass
