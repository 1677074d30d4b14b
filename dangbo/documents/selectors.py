"""Reads of the document register: lookup by citation, the implementation chain, the
documents of a period, what a caller may see, and the report's list of documents."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any, cast

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from dangbo.citations import Citation, DocumentNumber
from dangbo.documents.models import (
    Direction,
    Document,
    DocumentLink,
    DocumentReceipt,
    Relation,
    SecurityMark,
)
from dangbo.organizations.models import Organization, OrgClosure

#: Upper bound on the length of a chain walked in SQL (a guard; cycles are refused on write).
MAX_CHAIN_DEPTH = 64


def clean_body(text: str | None) -> str:
    """An issuing body as stored: NFC, "Ð" typed for "Đ" corrected, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").replace("Ð", "Đ").split())


def body_key(text: str | None) -> str:
    """What two spellings of one body have in common ("Thành uỷ" = "Thành ủy")."""
    return clean_body(text).casefold().replace("uỷ", "ủy")


# --- lookup ------------------------------------------------------------------------------------
def documents_numbered(number: DocumentNumber, issued_on: date) -> list[Document]:
    """Every registered document with this number and date (different issuers may share it:
    each ward committee writes "ĐU")."""
    return list(
        Document.objects.filter(
            issuer_code=number.issuer_code,
            type_code=number.type_code,
            number=number.number,
            issued_on=issued_on,
        ).order_by("id")
    )


def document_find(
    number: DocumentNumber, issued_on: date, issuer_body: str | None = None
) -> Document | None:
    """The registered document a citation names, or None.

    A document whose issuing body reads the same is taken; failing that, the only document
    with this number and date (a citation may name its body differently, or not at all).
    Several candidates and none with the body cited: None (ambiguous).
    """
    candidates = documents_numbered(number, issued_on)
    if issuer_body:
        key = body_key(issuer_body)
        same = [d for d in candidates if body_key(d.issuer_body) == key]
        if same:
            return same[0]
    return candidates[0] if len(candidates) == 1 else None


def citation_find(citation: Citation) -> Document | None:
    return document_find(citation.number, citation.issued_on, citation.issuer_body)


# --- the link graph ----------------------------------------------------------------------------
def _tables() -> tuple[str, str]:
    q = connection.ops.quote_name
    return q(Document._meta.db_table), q(DocumentLink._meta.db_table)


def links_reach(start: Document | int, target: Document | int, relations: Iterable[str]) -> bool:
    """Whether `target` is reached from `start` following `relations` links from_doc → to_doc
    (one recursive query; terminates on cyclic data too)."""
    start_id = start.pk if isinstance(start, Document) else start
    target_id = target.pk if isinstance(target, Document) else target
    relations = list(relations)
    doc, link = _tables()
    marks = ", ".join(["%s"] * len(relations))
    sql = f"""
        WITH RECURSIVE reach(id) AS (
            SELECT d.id FROM {doc} d WHERE d.id = %s
            UNION
            SELECT l.to_doc_id FROM {link} l JOIN reach r ON l.from_doc_id = r.id
            WHERE l.relation IN ({marks})
        )
        SELECT 1 FROM reach WHERE id = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [start_id, *relations, target_id])
        return cursor.fetchone() is not None


@dataclass(frozen=True)
class ChainEntry:
    """One document of an implementation chain. `depth` < 0: the document implements it
    (−1 directly, −2 through one plan…); 0: the document itself; > 0: it implements the
    document (1 directly, 2 through one plan…)."""

    document: Document
    depth: int

    @property
    def direction(self) -> str:
        return "up" if self.depth < 0 else "down" if self.depth > 0 else "self"


def implementation_chain(doc: Document | int) -> list[ChainEntry]:
    """What `doc` implements, transitively (upward), and what implements it (downward), in
    one query, ordered from the top: Conclusion 34-KL/TW (−2), Plan 154-KH/TU (−1), Plan
    98-KH/QU (0), the ward plans (1). A document reached by two paths gets the shorter."""
    doc_id = getattr(doc, "pk", doc)
    docs, link = _tables()
    sql = f"""
        WITH RECURSIVE
        up(id, depth) AS (
            SELECT d.id, 0 FROM {docs} d WHERE d.id = %s
            UNION
            SELECT l.to_doc_id, up.depth + 1 FROM {link} l JOIN up ON l.from_doc_id = up.id
            WHERE l.relation = %s AND up.depth < %s
        ),
        down(id, depth) AS (
            SELECT d.id, 0 FROM {docs} d WHERE d.id = %s
            UNION
            SELECT l.from_doc_id, down.depth + 1 FROM {link} l JOIN down ON l.to_doc_id = down.id
            WHERE l.relation = %s AND down.depth < %s
        ),
        chain(id, depth) AS (
            SELECT id, 0 - MIN(depth) FROM up WHERE depth > 0 GROUP BY id
            UNION ALL
            SELECT id, 0 FROM up WHERE depth = 0
            UNION ALL
            SELECT id, MIN(depth) FROM down WHERE depth > 0 GROUP BY id
        )
        SELECT d.*, chain.depth AS chain_depth FROM {docs} d JOIN chain ON chain.id = d.id
        ORDER BY chain.depth, d.issued_on, d.id
    """
    params = [doc_id, Relation.IMPLEMENTS.value, MAX_CHAIN_DEPTH] * 2
    # chain_depth is the raw query's extra column, unknown to the model's type
    return [ChainEntry(d, cast(Any, d).chain_depth) for d in Document.objects.raw(sql, params)]


# --- the register for a period -----------------------------------------------------------------
def _in_tree(org: Organization, subtree: bool, *, org_ref: str, on_ref: str) -> Q:
    if not subtree:
        return Q(**{org_ref: org})
    return Q(
        Exists(
            OrgClosure.objects.filter(
                ancestor=org,
                descendant=OuterRef(org_ref),
                valid_from__lte=OuterRef(on_ref),
                valid_to__gt=OuterRef(on_ref),
            )
        )
    )


def _issued(org: Organization, start: date, end: date, subtree: bool) -> Q:
    return Q(direction=Direction.ISSUED, issued_on__gte=start, issued_on__lte=end) & _in_tree(
        org, subtree, org_ref="org", on_ref="issued_on"
    )


def _received(org: Organization, start: date, end: date, subtree: bool) -> Q:
    receipts = DocumentReceipt.objects.filter(
        _in_tree(org, subtree, org_ref="org", on_ref="received_on"),
        document=OuterRef("pk"),
        received_on__gte=start,
        received_on__lte=end,
    )
    return Q(Exists(receipts))


def _in_relation(relation: str) -> Q:
    return Q(Exists(DocumentLink.objects.filter(from_doc=OuterRef("pk"), relation=relation))) | Q(
        Exists(DocumentLink.objects.filter(to_doc=OuterRef("pk"), relation=relation))
    )


def documents_in_period(
    org: Organization,
    start: date,
    end: date,
    *,
    directions: Iterable[str] = (Direction.ISSUED, Direction.RECEIVED),
    relation: str | None = None,
    subtree: bool = True,
) -> QuerySet[Document]:
    """Documents issued (dated within [start, end]) or received (received within it) by a
    committee of `org`'s subtree as the tree stood on that date (`subtree=False`: by `org`
    itself). With `relation`, only documents at either end of a link of that relation (with
    ``Relation.IMPLEMENTS``: the documents implemented and the plans implementing them)."""
    directions = set(directions)
    unknown = directions - set(Direction.values)
    if unknown:
        raise ValueError(f"unknown directions: {sorted(unknown)}")
    conditions = []
    if Direction.ISSUED in directions:
        conditions.append(_issued(org, start, end, subtree))
    if Direction.RECEIVED in directions:
        conditions.append(_received(org, start, end, subtree))
    if not conditions:
        return Document.objects.none()
    qs = Document.objects.filter(reduce(operator.or_, conditions))
    if relation is not None:
        qs = qs.filter(_in_relation(Relation(relation)))
    return qs.order_by("issued_on", "type_code", "number", "id")


def visible_documents(qs: QuerySet[Document], *, cleared: bool) -> QuerySet[Document]:
    """`qs` as a caller may see it: secret-marked documents (Mật, Tối mật, Tuyệt mật) are left
    out unless the caller is cleared for them; cleared callers see them with
    ``Document.is_secret`` set."""
    return qs if cleared else qs.filter(security_mark=SecurityMark.NONE)


def documents_for_report(org: Organization, start: date, end: date) -> list[dict]:
    """The review report's list of documents studied and implemented (REPORTS §3, part I.1):
    the documents `org` received in [start, end] and the documents it issued in the period to
    implement a document, oldest first, secret ones left out. Each item is
    ``{"citation": "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
    "title": "…"}``."""
    implementing = Q(
        Exists(DocumentLink.objects.filter(from_doc=OuterRef("pk"), relation=Relation.IMPLEMENTS))
    )
    qs = Document.objects.filter(
        _received(org, start, end, False) | (_issued(org, start, end, False) & implementing)
    )
    qs = visible_documents(qs, cleared=False).order_by("issued_on", "type_code", "number", "id")
    return [{"citation": d.citation().format(), "title": d.title} for d in qs]


# --- what a reader may see -------------------------------------------------------------------
def _held_by(org_ids: Iterable[int]) -> Q:
    ids = list(org_ids)
    receipts = DocumentReceipt.objects.filter(document=OuterRef("pk"), org_id__in=ids)
    return Q(org_id__in=ids) | Q(Exists(receipts))


def documents_readable(
    org_ids: Iterable[int], cleared_org_ids: Iterable[int]
) -> QuerySet[Document]:
    """The documents a reader may see: issued by, or received by, an organization of
    `org_ids`; a secret-marked one only if it is also held by an organization of
    `cleared_org_ids` (where the reader is cleared). Every page, search and export of the
    register reads through this (and the report through :func:`documents_for_report`)."""
    return Document.objects.filter(_held_by(org_ids)).filter(
        Q(security_mark=SecurityMark.NONE) | _held_by(cleared_org_ids)
    )


def documents_search(
    qs: QuerySet[Document],
    *,
    direction: str = "",
    text: str = "",
    year: int | None = None,
    own: Iterable[int] | None = None,
) -> QuerySet[Document]:
    """`qs` narrowed to a register, a year of issue, and words of the number, title or
    issuing body (each word must appear; case-insensitive).

    The register is that of the committees `own` (default: whoever registered it): "đi"
    are the documents they issued, "đến" every other document they hold (a city's plan
    received by a ward is in the ward's "đến" register)."""
    if direction in Direction.values:
        issued = Q(direction=Direction.ISSUED)
        if own is not None:
            issued &= Q(org_id__in=list(own))
        qs = qs.filter(issued) if direction == Direction.ISSUED else qs.exclude(issued)
    if year:
        qs = qs.filter(issued_on__year=year)
    for word in clean_body(text).split()[:8]:
        qs = qs.filter(
            Q(number_text__icontains=word)
            | Q(title__icontains=word)
            | Q(issuer_body__icontains=word)
        )
    return qs.order_by("-issued_on", "-id")
