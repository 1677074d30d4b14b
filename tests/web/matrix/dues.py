from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case, queued


def _cell(world, in_scope: bool) -> dict:
    return {"org": (world.org_in if in_scope else world.org_out).pk}


def _month(world, in_scope: bool) -> dict:
    return {**_cell(world, in_scope), "year": 2026, "month": 3}


def _member(world, in_scope: bool) -> dict:
    return {"pk": (world.member_in if in_scope else world.member_out).pk}


def _relief(world, in_scope: bool) -> dict:
    from datetime import date

    from dangbo.dues.models import DuesRelief

    relief = DuesRelief.objects.create(
        member=world.member_in if in_scope else world.member_out,
        reason="giam",
        percent=50,
        from_month=date(2026, 1, 1),
        to_month=date(2027, 1, 1),
        decision_number="1-QĐ/ĐU",
        decision_on=date(2025, 12, 20),
        actor="test",
    )
    return {"pk": relief.pk}


def _year(world, in_scope: bool) -> dict:
    return {**_cell(world, in_scope), "year": 2026}


CASES = [
    Case("web:dues", Action.VIEW_PARTY_WORK),
    Case("web:dues_cell", Action.VIEW_PARTY_WORK, _cell, query="?nam=2026"),
    Case("web:dues_cell_month", Action.RECORD_DUES, _month, methods=("GET", "POST")),
    Case("web:dues_compute", Action.RECORD_DUES, _cell, methods=("POST",), query="?nam=2026"),
    Case("web:dues_book", Action.VIEW_PARTY_WORK, _cell, query="?nam=2026&thang=3"),
    Case("web:dues_book_docx", Action.VIEW_PARTY_WORK, _cell, query="?nam=2026&thang=3"),
    Case(
        "web:dues_book_pdf",
        Action.VIEW_PARTY_WORK,
        _cell,
        methods=("GET", "POST"),
        query="?nam=2026&thang=3",
        expect=queued(Action.VIEW_PARTY_WORK),
    ),
    Case("web:dues_finance_docx", Action.VIEW_PARTY_WORK, _year),
    Case(
        "web:dues_finance_pdf",
        Action.VIEW_PARTY_WORK,
        _year,
        methods=("GET", "POST"),
        expect=queued(Action.VIEW_PARTY_WORK),
    ),
    Case("web:dues_member", Action.VIEW_PARTY_WORK, _member),
    Case("web:dues_fact", Action.RECORD_DUES, _member, methods=("GET", "POST")),
    Case("web:dues_relief", Action.RECORD_DUES, _member, methods=("GET", "POST")),
    Case("web:dues_relief_end", Action.RECORD_DUES, _relief, methods=("GET", "POST")),
]
