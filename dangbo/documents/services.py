"""Writes of the document register: issue, receive, link, and the links a text's citations make.

Every service is keyword-only, atomic and audited; refusals raise `DomainError` subclasses
with a Vietnamese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.db import IntegrityError, transaction

from dangbo.citations import TYPE_NAMES, Citation, CitationError, DocumentNumber, find_citations
from dangbo.core.errors import DomainError, InvalidInput, Violation
from dangbo.core.services import audit
from dangbo.documents.error_codes import DocumentErrorCode
from dangbo.documents.models import (
    ORDERED_RELATIONS,
    Direction,
    Document,
    DocumentLink,
    DocumentReceipt,
    Relation,
    SecurityMark,
)
from dangbo.documents.numbering import number_issue
from dangbo.documents.rules import (
    check_document_new,
    check_link_cycle,
    check_link_dates,
    check_link_new,
    check_link_to_itself,
    check_receipt_new,
    check_received_date,
)
from dangbo.documents.selectors import (
    body_key,
    citation_find,
    clean_body,
    documents_numbered,
    links_reach,
)
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_name_on, org_version_on

_TITLE_MAX: int = Document._meta.get_field("title").max_length or 300


class DuplicateDocument(DomainError):
    code = DocumentErrorCode.VAN_BAN_TRUNG


class LinkRefused(DomainError):
    code = DocumentErrorCode.LIEN_KET_VAN_BAN


def _refuse_link(violations: list[Violation]) -> None:
    for v in violations:
        raise LinkRefused(v.sentence())


# --- checks ------------------------------------------------------------------------------------
def _type(type_code: str, type_name: str | None) -> tuple[str, str]:
    code = (type_code or "").strip()
    if code not in TYPE_NAMES:
        raise InvalidInput(
            f"Ký hiệu loại văn bản «{code}» không có trong danh mục ({', '.join(TYPE_NAMES)}).",
            field="type_code",
        )
    names = TYPE_NAMES[code]
    if not type_name:
        return code, names[0]
    wanted = " ".join(type_name.split()).casefold()
    for name in names:
        if name.casefold() == wanted:
            return code, name
    raise InvalidInput(
        f"Tên loại văn bản «{type_name}» không khớp ký hiệu «{code}» (cần: {' hoặc '.join(names)}).",
        field="type_name",
    )


def _org_name(org: Organization, on: date) -> str:
    return org_name_on(org, on)


def _alive(org: Organization, on: date) -> None:
    org_version_on(org, on)


def _file_path(path: str) -> str:
    """A path relative to var/ ("van_ban/2022/154-KH-TU.pdf"); never absolute, never ".."."""
    text = (path or "").strip().replace("\\", "/")
    if not text:
        return ""
    p = PurePosixPath(text)
    if p.is_absolute() or ":" in p.parts[0] or ".." in p.parts:
        raise InvalidInput(
            f"Đường dẫn tệp «{path}» phải là đường dẫn tương đối trong thư mục var/ "
            "(không bắt đầu bằng «/», không chứa «..»).",
            field="file_path",
        )
    return str(p)


def _common(
    *, title: str, issuer_body: str, signer: str, security_mark: str, file_path: str
) -> dict:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Trường «trích yếu» không được để trống.", field="title")
    if len(title) > _TITLE_MAX:
        raise InvalidInput(
            f"Trích yếu dài {len(title)} ký tự, vượt quá {_TITLE_MAX} ký tự.", field="title"
        )
    body = clean_body(issuer_body)
    if not body:
        raise InvalidInput(
            "Trường «cơ quan ban hành» không được để trống, ví dụ «Ban Thường vụ Thành ủy».",
            field="issuer_body",
        )
    if security_mark not in SecurityMark.values:
        raise InvalidInput(
            f"Độ mật «{security_mark}» không hợp lệ (chọn: {', '.join(SecurityMark.values)}).",
            field="security_mark",
        )
    return {
        "title": title,
        "issuer_body": body,
        "signer": " ".join((signer or "").split()),
        "security_mark": security_mark,
        "file_path": _file_path(file_path),
    }


def _same_document(number: DocumentNumber, issued_on: date, issuer_body: str) -> Document | None:
    key = body_key(issuer_body)
    return next(
        (d for d in documents_numbered(number, issued_on) if body_key(d.issuer_body) == key), None
    )


def _label(doc: Document) -> str:
    return doc.citation().format()


def _snapshot(doc: Document) -> dict:
    return {
        "direction": doc.direction,
        "org": doc.org_id,
        "number": doc.number_text,
        "issued_on": doc.issued_on.isoformat(),
        "issuer_body": doc.issuer_body,
        "title": doc.title,
        "security_mark": doc.security_mark,
    }


# --- issue and receive -------------------------------------------------------------------------
@transaction.atomic
def document_issue(
    *,
    org: Organization,
    type_code: str,
    issued_on: date,
    title: str,
    issuer_body: str,
    type_name: str | None = None,
    signer: str = "",
    security_mark: str = SecurityMark.NONE,
    file_path: str = "",
    body_text: str = "",
    congress_document: bool = False,
    actor: str,
) -> Document:
    """Register a document `org` issues; its number is the next of `type_code` in `org`'s term
    (01, 02… per type, from 01 again in a new term), given out in this transaction; a
    document of `org`'s congress (`congress_document`) the next of the congress's one
    sequence ("03-NQ/ĐH")."""
    code, name = _type(type_code, type_name)
    fields = _common(
        title=title,
        issuer_body=issuer_body,
        signer=signer,
        security_mark=security_mark,
        file_path=file_path,
    )
    _alive(org, issued_on)
    issued = number_issue(
        issuer=org,
        type_code=code,
        on=issued_on,
        title=fields["title"],
        actor=actor,
        congress_document=congress_document,
    )
    number = DocumentNumber.parse(issued.text)
    clash = _same_document(number, issued_on, fields["issuer_body"])
    for v in check_document_new(label=_label(clash) if clash else "", exists=clash is not None):
        raise DuplicateDocument(v.sentence(), field="number")
    doc = Document.objects.create(
        direction=Direction.ISSUED,
        org=org,
        number_text=issued.text,
        number=number.number,
        type_code=code,
        type_name=name,
        issuer_code=number.issuer_code,
        issued_number=issued,
        issued_on=issued_on,
        body_text=body_text or "",
        actor=actor,
        **fields,
    )
    audit(actor=actor, action="document_issue", obj=doc, after=_snapshot(doc))
    return doc


@transaction.atomic
def document_receive(
    *,
    org: Organization,
    number: str,
    issued_on: date,
    received_on: date,
    issuer_body: str,
    title: str,
    type_name: str | None = None,
    signer: str = "",
    security_mark: str = SecurityMark.NONE,
    file_path: str = "",
    body_text: str = "",
    actor: str,
) -> Document:
    """Enter a document `org` received into its register ("154-KH/TU" as written on it).

    A document already registered (same number, date and issuing body — issued by another
    committee of the tree or received by one) is not registered twice: `org`'s receipt is
    added to it. The same committee receiving it twice is refused.
    """
    try:
        parsed = DocumentNumber.parse(number or "")
    except CitationError as e:
        raise CitationError(e.message, field="number") from None
    code, name = _type(parsed.type_code, type_name)
    fields = _common(
        title=title,
        issuer_body=issuer_body,
        signer=signer,
        security_mark=security_mark,
        file_path=file_path,
    )
    for v in check_received_date(received_on=received_on, issued_on=issued_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="received_on")
    _alive(org, received_on)
    doc = _same_document(parsed, issued_on, fields["issuer_body"])
    if doc is not None:
        if doc.direction == Direction.ISSUED and doc.org_id == org.pk:
            raise DuplicateDocument(
                f"«{_label(doc)}» do chính «{_org_name(org, issued_on)}» ban hành, "
                "không vào sổ văn bản đến.",
                field="number",
            )
        earlier = doc.receipts.filter(org=org).first()
        for v in check_receipt_new(
            label=_label(doc),
            org_name=_org_name(org, received_on),
            earlier_on=earlier.received_on if earlier else None,
        ):
            raise DuplicateDocument(v.sentence(), field="number")
    else:
        try:
            with transaction.atomic():
                doc = Document.objects.create(
                    direction=Direction.RECEIVED,
                    org=org,
                    number_text=parsed.format(),
                    number=parsed.number,
                    type_code=code,
                    type_name=name,
                    issuer_code=parsed.issuer_code,
                    issued_on=issued_on,
                    received_on=received_on,
                    body_text=body_text or "",
                    actor=actor,
                    **fields,
                )
        except IntegrityError:
            raise DuplicateDocument(
                f"Văn bản số {parsed} ngày {issued_on:%d/%m/%Y} của «{fields['issuer_body']}» "
                "vừa được vào sổ; hãy thử lại.",
                field="number",
            ) from None
        audit(actor=actor, action="document_receive", obj=doc, after=_snapshot(doc))
    receipt = DocumentReceipt.objects.create(
        document=doc, org=org, received_on=received_on, actor=actor
    )
    audit(
        actor=actor,
        action="document_receipt",
        obj=receipt,
        after={"document": doc.pk, "org": org.pk, "received_on": received_on.isoformat()},
    )
    return doc


_EDITABLE = ("title", "body_text", "signer", "security_mark", "file_path")


@transaction.atomic
def document_update(*, doc: Document, actor: str, **changes) -> Document:
    """Correct what a registered document says: title, body text, signer, security mark, file.
    Its number, date and issuing body are not edited (the number belongs to the register).
    Citations are not re-read here; call `document_extract_citations` after a text change."""
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise InvalidInput(
            f"Không sửa được trường «{', '.join(unknown)}» của văn bản đã vào sổ.", field=unknown[0]
        )
    before = _snapshot(doc)
    current = {f: getattr(doc, f) for f in _EDITABLE}
    current.update(changes)
    fields = _common(
        title=current["title"],
        issuer_body=doc.issuer_body,
        signer=current["signer"],
        security_mark=current["security_mark"],
        file_path=current["file_path"],
    )
    fields.pop("issuer_body")
    fields["body_text"] = current["body_text"] or ""
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.save(update_fields=list(fields))
    audit(actor=actor, action="document_update", obj=doc, before=before, after=_snapshot(doc))
    return doc


# --- links -------------------------------------------------------------------------------------
@transaction.atomic
def document_link(
    *, from_doc: Document, to_doc: Document, relation: str, actor: str
) -> DocumentLink:
    """Record that `from_doc` implements / replaces / reports on / cites `to_doc`.

    Refused: a document linked to itself, the same link twice, and for *implements* and
    *replaces* a document older than the one it implements or replaces, or a link that
    would close a cycle of those relations.
    """
    if relation not in Relation.values:
        raise InvalidInput(
            f"Quan hệ «{relation}» không hợp lệ (chọn: {', '.join(Relation.values)}).",
            field="relation",
        )
    relation = Relation(relation)
    names = {"from_label": str(from_doc)}
    _refuse_link(check_link_to_itself(**names, same=from_doc.pk == to_doc.pk))
    # serialise writes touching these two documents
    list(
        Document.objects.select_for_update()
        .filter(pk__in=[from_doc.pk, to_doc.pk])
        .values_list("pk")
    )
    names["to_label"] = str(to_doc)
    exists = DocumentLink.objects.filter(from_doc=from_doc, to_doc=to_doc, relation=relation)
    _refuse_link(check_link_new(**names, relation=relation, exists=exists.exists()))
    _refuse_link(
        check_link_dates(
            **names, relation=relation, from_on=from_doc.issued_on, to_on=to_doc.issued_on
        )
    )
    if relation in ORDERED_RELATIONS:
        cycle = links_reach(to_doc, from_doc, ORDERED_RELATIONS)
        _refuse_link(check_link_cycle(**names, relation=relation, closes_cycle=cycle))
    link = DocumentLink.objects.create(
        from_doc=from_doc, to_doc=to_doc, relation=relation, actor=actor
    )
    audit(
        actor=actor,
        action="document_link",
        obj=link,
        after={"from": from_doc.pk, "to": to_doc.pk, "relation": relation.value},
    )
    return link


@transaction.atomic
def document_unlink(*, link: DocumentLink, actor: str) -> None:
    before = {"from": link.from_doc_id, "to": link.to_doc_id, "relation": link.relation}
    audit(actor=actor, action="document_unlink", obj=link, before=before)
    link.delete()


@dataclass(frozen=True)
class CitedDocument:
    """A citation found in a document's `field` ("title" or "body_text"); the field's text
    [start:end] is its wording. `document` is the registered document it names, or None."""

    field: str
    start: int
    end: int
    citation: Citation
    document: Document | None

    @property
    def resolved(self) -> bool:
        return self.document is not None


@transaction.atomic
def document_extract_citations(*, doc: Document, actor: str) -> list[CitedDocument]:
    """Read the citations in `doc`'s title and body text, link `doc` *cites* every registered
    document they name, and drop *cites* links to documents the text no longer names.

    Citations of documents not in the register come back with ``document=None``; nothing is
    registered for them (a clerk enters them with `document_receive`, then runs this again).
    """
    found = []
    for field in ("title", "body_text"):
        for item in find_citations(getattr(doc, field) or ""):
            found.append(
                CitedDocument(
                    field, item.start, item.end, item.citation, citation_find(item.citation)
                )
            )
    targets = {
        c.document.pk: c.document
        for c in found
        if c.document is not None and c.document.pk != doc.pk
    }
    cites = DocumentLink.objects.filter(from_doc=doc, relation=Relation.CITES)
    for link in cites.exclude(to_doc_id__in=targets):
        document_unlink(link=link, actor=actor)
    have = set(cites.values_list("to_doc_id", flat=True))
    for pk, target in targets.items():
        if pk not in have:
            document_link(from_doc=doc, to_doc=target, relation=Relation.CITES, actor=actor)
    return found
