"""Document numbers: from 01 per document type within the issuing committee's term."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from dangbo.citations import TYPE_NAMES, DocumentNumber
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


def number_next(*, issuer: Organization, type_code: str, on: date) -> int:
    """The number the next document of this type would get (without reserving it)."""
    term = term_on(issuer, on)
    last = IssuedNumber.objects.filter(issuer=issuer, term=term, type_code=type_code).aggregate(
        m=Max("number")
    )["m"]
    return (last or 0) + 1


@transaction.atomic
def number_issue(
    *, issuer: Organization, type_code: str, on: date, title: str, actor: str
) -> IssuedNumber:
    """Give out the next number of `type_code` in the issuer's current term, e.g. 154-BC/ĐU."""
    if type_code not in TYPE_NAMES:
        raise InvalidInput(
            f"Loại văn bản «{type_code}» không có trong danh mục.", field="type_code"
        )
    term = term_on(issuer, on)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # serialise numbering per term
    number = number_next(issuer=issuer, type_code=type_code, on=on)
    text = DocumentNumber(number, type_code, _issuer_code(issuer, on)).format()
    return IssuedNumber.objects.create(
        issuer=issuer,
        term=term,
        type_code=type_code,
        number=number,
        text=text,
        issued_on=on,
        title=title,
        actor=actor,
    )
