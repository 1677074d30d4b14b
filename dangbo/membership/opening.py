"""Opening balance (nhập sổ): an office starting with dangbo records its existing members as
they stood on an opening date, one ``nhap_so`` event each.

The opening event is the member's first: their standing (status, admission, recognition and
party-age dates, card, badges already awarded) rides on it, so party age and badges work
without the full history. The member is stock brought into the opening date, not an inflow
of any kind; figures of a period starting before the opening date are not available
(:func:`dangbo.figures.opened_on`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from dangbo.core.models import Decision
from dangbo.membership.events import event_record
from dangbo.membership.models import EventKind, Member, Person
from dangbo.organizations.models import Organization


def opening_details(
    *,
    status: str,
    admitted_on: date,
    official_on: date | None = None,
    party_anchor: date | None = None,
    card_number: str = "",
    badges: Sequence[int] = (),
) -> dict[str, Any]:
    """The details of an opening event (dates as ISO text; empty values left out)."""
    details: dict[str, Any] = {"status": status, "admitted_on": admitted_on.isoformat()}
    if official_on:
        details["official_on"] = official_on.isoformat()
    if party_anchor:
        details["party_anchor"] = party_anchor.isoformat()
    if card_number.strip():
        details["card_number"] = card_number.strip()
    if badges:
        details["badges"] = sorted(int(b) for b in badges)
    return details


@transaction.atomic
def member_open(
    *,
    person: Person,
    cell: Organization,
    on: date,
    status: str,
    admitted_on: date,
    official_on: date | None = None,
    party_anchor: date | None = None,
    card_number: str = "",
    badges: Sequence[int] = (),
    decision: Decision | None = None,
    actor: str,
) -> Member:
    """Record `person` as a member of `cell` in the opening balance of `on` (audited).

    Refused when the person already has a ledger event (the opening is the first), when the
    cell did not exist on the eve of `on`, or when a date of the standing is after `on`.
    """
    member, _ = Member.objects.get_or_create(person=person)
    event_record(
        member=member,
        kind=EventKind.OPENING,
        effective_on=on,
        to_org=cell,
        details=opening_details(
            status=status,
            admitted_on=admitted_on,
            official_on=official_on,
            party_anchor=party_anchor,
            card_number=card_number,
            badges=badges,
        ),
        decision=decision,
        actor=actor,
    )
    member.refresh_from_db()
    return member
