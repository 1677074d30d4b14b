"""Document numbers: from 01 per document type within the issuing committee's term.

A committee's term, for numbering, starts the day after the congress that elected it
closes: documents dated during the congress are still numbered in the outgoing committee's
term. The congress's own documents (``congress_document``) share one sequence across all
types within the term it opens, with the issuer code ``ĐH`` ("01-NQ/ĐH", "02-BB/ĐH").
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from dangbo.citations import TYPE_NAMES, DocumentNumber
from dangbo.congresses.models import Congress
from dangbo.core.errors import InvalidInput
from dangbo.documents.models import IssuedNumber
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_version_shown, term_on


def _issuer_code(issuer: Organization, on: date) -> str:
    v = org_version_shown(issuer, on)
    if not v.doc_code:
        raise InvalidInput(
            f"«{v.name}» chưa có ký hiệu cơ quan ban hành (ví dụ ĐU, TU).", field="doc_code"
        )
    return v.doc_code


#: The issuer code of a congress's own documents.
CONGRESS_ISSUER_CODE = "ĐH"


def _congress_of(term: Term) -> Congress | None:
    return Congress.objects.filter(org_id=term.org_id, term=term).first()


def numbering_term(issuer: Organization, on: date) -> Term:
    """The term whose committee numbers `issuer`'s documents dated `on`: the term in force,
    unless `on` falls within the congress that opened it (up to its closing day), when the
    outgoing committee's term still numbers (the term before, when one was recorded)."""
    term = term_on(issuer, on)
    congress = _congress_of(term)
    if congress is not None and on <= congress.ends_on:
        previous = (
            Term.objects.filter(org=issuer, starts_on__lt=term.starts_on)
            .order_by("-starts_on")
            .first()
        )
        if previous is not None:
            return previous
    return term


def _congress_during(issuer: Organization, on: date) -> Congress:
    congress = (
        Congress.objects.filter(org=issuer, starts_on__lte=on, ends_on__gte=on)
        .select_related("term")
        .first()
    )
    if congress is None:
        raise InvalidInput(
            f"Ngày {on:%d/%m/%Y} không nằm trong thời gian đại hội của tổ chức; văn bản của "
            "đại hội chỉ được cấp số trong những ngày đại hội.",
            field="issued_on",
        )
    return congress


def number_next(
    *, issuer: Organization, type_code: str, on: date, congress_document: bool = False
) -> int:
    """The number the next document of this type would get (without reserving it); a
    congress document takes the next number of its congress's one sequence."""
    if congress_document:
        term = _congress_during(issuer, on).term
        numbers = IssuedNumber.objects.filter(issuer=issuer, term=term, congress_document=True)
    else:
        term = numbering_term(issuer, on)
        numbers = IssuedNumber.objects.filter(
            issuer=issuer, term=term, type_code=type_code, congress_document=False
        )
    last = numbers.aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


@transaction.atomic
def number_issue(
    *,
    issuer: Organization,
    type_code: str,
    on: date,
    title: str,
    actor: str,
    congress_document: bool = False,
) -> IssuedNumber:
    """Give out the next number of `type_code` in the issuer's current term, e.g. 154-BC/ĐU;
    a congress document the next of its congress's sequence, e.g. 03-NQ/ĐH."""
    if type_code not in TYPE_NAMES:
        raise InvalidInput(
            f"Loại văn bản «{type_code}» không có trong danh mục.", field="type_code"
        )
    if congress_document:
        term = _congress_during(issuer, on).term
        code = CONGRESS_ISSUER_CODE
    else:
        term = numbering_term(issuer, on)
        code = _issuer_code(issuer, on)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # serialise numbering per term
    number = number_next(
        issuer=issuer, type_code=type_code, on=on, congress_document=congress_document
    )
    text = DocumentNumber(number, type_code, code).format()
    return IssuedNumber.objects.create(
        issuer=issuer,
        term=term,
        type_code=type_code,
        number=number,
        text=text,
        issued_on=on,
        title=title,
        actor=actor,
        congress_document=congress_document,
    )
