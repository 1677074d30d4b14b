"""The document register (sổ văn bản đi, đến): the list with search, the xlsx export, a
document's page (citations as links, the implementation chain as a tree) and its signed scan.

Every read goes through :func:`dangbo.web.documents.access.readable_for_user`, so a secret
document never reaches a user without clearance: not in the list, the search, the export,
the chain, a citation link, nor the scan.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.citations import find_citations
from dangbo.core.dates import today
from dangbo.documents.models import Direction, Document, Relation
from dangbo.documents.scans import content_type_of
from dangbo.documents.selectors import citation_find, documents_search, implementation_chain
from dangbo.organizations.selectors import subtree_ids
from dangbo.reports.xlsx_tables import Column, Sheet, workbook
from dangbo.web.decorators import require
from dangbo.web.documents.access import get_document_for_user, readable_for_user, year_or_none
from dangbo.web.home.orgs import chosen_org
from dangbo.web.inspections.views import org_names
from dangbo.web.xlsx import xlsx_response

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
    """The list as filtered, as an xlsx workbook: a secret document is in it only for a user
    cleared to read it, as in the list."""
    chosen, qs, filters = _filtered(request)
    described = [
        dict(Direction.choices).get(filters["direction"], ""),
        f"năm {filters['year']}" if filters["year"] else "",
        f"tìm «{filters['text']}»" if filters["text"] else "",
    ]
    sheet = Sheet(
        name="Sổ văn bản",
        title="SỔ VĂN BẢN ĐI, ĐẾN",
        org=chosen.name,
        period="Điều kiện lọc: " + ("; ".join(d for d in described if d) or "tất cả"),
        lines=[f"Ngày xuất: {today():%d/%m/%Y}"],
        columns=[
            Column("STT", 6),
            Column("Sổ", 12),
            Column("Số, ký hiệu", 16),
            Column("Ngày ban hành", 13),
            Column("Ngày đến", 13),
            Column("Cơ quan ban hành", 32),
            Column("Trích yếu", 60),
            Column("Người ký", 20),
            Column("Độ mật", 10),
        ],
        rows=(
            [
                i,
                "Văn bản đi" if _issued_here(d, filters["own"]) else "Văn bản đến",
                d.number_text,
                d.issued_on,
                d.received_on,
                d.issuer_body,
                d.title,
                d.signer,
                d.get_security_mark_display(),
            ]
            for i, d in enumerate(qs.iterator(chunk_size=2000), start=1)
        ),
        landscape=True,
    )
    return xlsx_response(workbook(sheet), f"so-van-ban-{chosen.org.pk}.xlsx")


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
