"""Documents in the interchange file: the issued-number register, documents, their links
and their signed scans (:mod:`dangbo.documents.scan_interchange`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from dangbo.citations import Citation, CitationError, DocumentNumber
from dangbo.documents.models import (
    ORDERED_RELATIONS,
    Document,
    DocumentLink,
    DocumentReceipt,
    IssuedNumber,
    Relation,
    SecurityMark,
)
from dangbo.documents.models import Direction as DocDirection
from dangbo.documents.rules import (
    check_document_new,
    check_link_cycle,
    check_link_new,
    check_link_to_itself,
    check_receipt_new,
    check_received_date,
)
from dangbo.documents.scan_interchange import (
    DOCUMENT_SCAN,
    check_scans,
    export_scans,
    write_scans,
)
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker, Rec
from dangbo.interchange.schema import COUNT_MAX, App, Field, RecordType, string
from dangbo.organizations.interchange import has_term, org_ok, version_on

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


ISSUED_NUMBER = RecordType(
    "issued_number",
    "number",
    "số văn bản đã cấp",
    (
        Field("issuer", "ref", required=True, target="organization"),
        Field("term", "date", required=True),
        string(IssuedNumber, "type_code", required=True),
        Field("number", "int", required=True, maximum=COUNT_MAX),
        string(IssuedNumber, "text", required=True),
        Field("issued_on", "date", required=True),
        string(IssuedNumber, "title", required=True),
        string(IssuedNumber, "actor"),
        Field("congress_document", "bool", default=False),
    ),
)
RECEIPT_FIELDS = (
    Field("org", "ref", required=True, target="organization"),
    Field("received_on", "date", required=True),
    string(DocumentReceipt, "actor"),
)
DOCUMENT = RecordType(
    "document",
    "document",
    "văn bản",
    (
        string(Document, "direction", required=True, choices=DocDirection.values),
        Field("org", "ref", required=True, target="organization"),
        string(Document, "number_text", required=True),
        Field("number", "int", required=True, maximum=COUNT_MAX),
        string(Document, "type_code", required=True),
        string(Document, "type_name", required=True),
        string(Document, "issuer_code", required=True),
        string(Document, "issuer_body", required=True),
        Field("issued_number", "ref", target="issued_number"),
        Field("issued_on", "date", required=True),
        Field("received_on", "date"),
        string(Document, "title", required=True),
        string(Document, "signer"),
        string(
            Document, "security_mark", default=SecurityMark.NONE.value, choices=SecurityMark.values
        ),
        string(Document, "file_path"),
        Field("body_text", "str", default="", private="secret"),
        string(Document, "actor"),
        Field("receipts", "list", default=[], items=RECEIPT_FIELDS),
    ),
    is_secret=lambda v: v.get("security_mark", SecurityMark.NONE) != SecurityMark.NONE,
)
DOCUMENT_LINK = RecordType(
    "document_link",
    "link",
    "quan hệ giữa văn bản",
    (
        Field("from_doc", "ref", required=True, target="document"),
        Field("to_doc", "ref", required=True, target="document"),
        string(DocumentLink, "relation", required=True, choices=Relation.values),
        string(DocumentLink, "actor"),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs = w.refs["organization"]
    terms_on = w.refs["term"]
    numbers = w.number(IssuedNumber, ISSUED_NUMBER)
    for n in IssuedNumber.objects.order_by("pk"):
        w.record(
            ISSUED_NUMBER,
            numbers[n.pk],
            {
                "issuer": orgs[n.issuer_id],
                "term": terms_on[n.term_id],
                "type_code": n.type_code,
                "number": n.number,
                "text": n.text,
                "issued_on": n.issued_on,
                "title": n.title,
                "actor": n.actor,
                "congress_document": n.congress_document,
            },
        )
    receipts: dict[int, list[dict]] = defaultdict(list)
    for r in DocumentReceipt.objects.order_by("pk"):
        receipts[r.document_id].append(
            {"org": orgs[r.org_id], "received_on": r.received_on, "actor": r.actor}
        )
    documents = w.number(Document, DOCUMENT)
    names = [f.name for f in DOCUMENT.fields if f.kind != "ref" and f.kind != "list"]
    for d in Document.objects.order_by("pk"):
        w.record(
            DOCUMENT,
            documents[d.pk],
            {
                **{n: getattr(d, n) for n in names},
                "org": orgs[d.org_id],
                "issued_number": numbers.get(d.issued_number_id),
                "receipts": receipts.get(d.pk, []),
            },
        )
    refs = w.number(DocumentLink, DOCUMENT_LINK)
    for k in DocumentLink.objects.order_by("pk"):
        w.record(
            DOCUMENT_LINK,
            refs[k.pk],
            {
                "from_doc": documents[k.from_doc_id],
                "to_doc": documents[k.to_doc_id],
                "relation": k.relation,
                "actor": k.actor,
            },
        )
    export_scans(w, documents)


# -- checks


def _check(ck: Checker) -> None:
    seen: dict[tuple, int] = {}
    for n in ck.recs["issued_number"]:
        if n.bad or not org_ok(ck, n.get("issuer")):
            continue
        ok = has_term(ck, n, "issuer")
        congress = bool(n.get("congress_document"))
        key = (
            n.get("issuer"),
            n.get("term"),
            "ĐH" if congress else n.get("type_code"),
            n.get("number"),
        )
        if key in seen:
            ck.err(
                n.line,
                "number",
                f"số này đã cấp ở dòng {seen[key]} (cùng loại, cùng nhiệm kỳ).",
            )
            ok = False
        seen.setdefault(key, n.line)
        n.bad = not ok
    seen.clear()
    numbered: dict[int, int] = {}
    for d in ck.recs["document"]:
        if d.bad:
            continue
        before = ck.errors
        if d.get("direction") == DocDirection.ISSUED and d.get("issued_number") is None:
            ck.err(d.line, "issued_number", "văn bản đi phải có số đã cấp (issued_number).")
        if d.get("direction") == DocDirection.RECEIVED and d.get("received_on") is None:
            ck.err(d.line, "received_on", "văn bản đến phải có ngày đến.")
        number = d.get("issued_number")
        if number is not None:
            if number in numbered:
                ck.err(
                    d.line,
                    "issued_number",
                    f"số này đã dùng cho văn bản ở dòng {numbered[number]}.",
                )
            numbered.setdefault(number, d.line)
        identity = (
            d.get("issuer_body"),
            d.get("issuer_code"),
            d.get("number"),
            d.get("type_code"),
            d.get("issued_on"),
        )
        for v in check_document_new(label=_label(d), exists=identity in seen):
            ck.violation(d.line, "number_text", v, where=f"dòng {seen[identity]}")
        seen.setdefault(identity, d.line)
        orgs: dict[int, date] = {}
        for i, r in enumerate(d.get("receipts"), start=1):
            for v in check_receipt_new(
                label=_label(d),
                org_name=_org_name(ck, r["org"], r["received_on"]),
                earlier_on=orgs.get(r["org"]),
            ):
                ck.violation(d.line, f"receipts[{i}].org", v)
            orgs.setdefault(r["org"], r["received_on"])
            for v in check_received_date(
                received_on=r["received_on"], issued_on=d.get("issued_on")
            ):
                ck.violation(d.line, f"receipts[{i}].received_on", v)
        d.bad = ck.errors > before
    docs = ck.recs["document"]

    def label(idx: int) -> str:
        d = docs[idx - 1]
        return f"{d.get('type_name')} số {d.get('number_text')}"

    links: dict[tuple, int] = {}
    ordered: dict[int, set[int]] = defaultdict(set)
    for k in ck.recs["document_link"]:
        if k.bad:
            continue
        link = (k.get("from_doc"), k.get("to_doc"), k.get("relation"))
        names = {"from_label": label(link[0]), "to_label": label(link[1])}
        refused = (
            check_link_to_itself(from_label=names["from_label"], same=link[0] == link[1])
            or check_link_new(**names, relation=link[2], exists=link in links)
            or check_link_cycle(
                **names,
                relation=link[2],
                closes_cycle=link[2] in ORDERED_RELATIONS and _reaches(ordered, link[1], link[0]),
            )
        )
        for v in refused:
            ck.violation(k.line, "relation" if link in links else "to_doc", v)
        if refused:
            k.bad = True
            continue
        links[link] = k.line
        if link[2] in ORDERED_RELATIONS:
            ordered[link[0]].add(link[1])
    check_scans(ck)


def _label(d: Rec) -> str:
    """The document as the services name it: «Kế hoạch số 02-KH/ĐU, ngày … của …»."""
    try:
        number = DocumentNumber.parse(d.get("number_text"))
    except CitationError:
        return f"{d.get('type_name')} số {d.get('number_text')}"
    return Citation(d.get("type_name"), number, d.get("issued_on"), d.get("issuer_body")).format()


def _org_name(ck: Checker, org: int, on: date) -> str:
    """The organization's name on `on` (its ref when the file has no such version)."""
    version = version_on(ck, org, on) if org_ok(ck, org) else None
    name: str = version["name"] if version else ck.recs["organization"][org - 1].ref
    return name


def _reaches(edges: dict[int, set[int]], start: int, goal: int) -> bool:
    """Whether `goal` can be reached from `start` along `edges`."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


# -- writing


def _write(imp: Importer) -> None:
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    now = imp.now
    Table(
        IssuedNumber,
        (
            "id",
            "issuer_id",
            "term_id",
            "type_code",
            "number",
            "text",
            "issued_on",
            "title",
            "actor",
            "recorded_at",
            "congress_document",
        ),
    ).insert(
        (
            imp.id("issued_number", n.idx),
            org(n.get("issuer")),
            imp.keys["term"][(n.get("issuer"), n.get("term"))],
            n.get("type_code"),
            n.get("number"),
            n.get("text"),
            n.get("issued_on"),
            n.get("title"),
            n.get("actor"),
            now,
            bool(n.get("congress_document")),
        )
        for n in imp.recs["issued_number"]
    )
    docs = imp.recs["document"]
    plain = tuple(f.name for f in DOCUMENT.fields if f.kind not in ("ref", "list"))
    Table(Document, ("id", "org_id", "issued_number_id", *plain, "recorded_at")).insert(
        (
            imp.id("document", d.idx),
            org(d.get("org")),
            imp.id("issued_number", d.get("issued_number")),
            *(d.get(n) for n in plain),
            now,
        )
        for d in docs
    )
    Table(DocumentReceipt, ("document_id", "org_id", "received_on", "actor", "recorded_at")).insert(
        (imp.id("document", d.idx), org(r["org"]), r["received_on"], r["actor"], now)
        for d in docs
        for r in d.get("receipts")
    )
    Table(DocumentLink, ("from_doc_id", "to_doc_id", "relation", "actor", "recorded_at")).insert(
        (
            imp.id("document", k.get("from_doc")),
            imp.id("document", k.get("to_doc")),
            k.get("relation"),
            k.get("actor"),
            now,
        )
        for k in imp.recs["document_link"]
    )
    write_scans(imp)


APP = App(
    name="documents",
    types=(ISSUED_NUMBER, DOCUMENT, DOCUMENT_LINK, DOCUMENT_SCAN),
    export=_export,
    check=_check,
    write=_write,
    ids=(("issued_number", IssuedNumber), ("document", Document)),
    tables=(IssuedNumber, Document, DocumentReceipt, DocumentLink),
    occupied=((IssuedNumber, "số văn bản đã cấp"), (Document, "văn bản")),
)
