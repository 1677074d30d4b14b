"""Who a congress of party members summons, read from the register on its opening day, with
the members the 190-QĐ/TW threshold may leave out and why.

Summoned: the full members (đảng viên chính thức) on the rolls of the organization's cells on
that day; probationary members attend without a vote and are listed apart. Possibly left out
of the threshold base, when absent: members exempt from party work (miễn sinh hoạt) and
members on a temporary transfer elsewhere. Suspension and detention are not in the register:
the clerk enters them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dangbo.membership.models import EventKind, MemberEvent, MembershipSpell, MemberStatus
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import subtree_ids
from dangbo.vn_format import sort_key_name

EXEMPT = "Miễn công tác và sinh hoạt đảng (không tính nếu vắng mặt)"
ELSEWHERE = "Sinh hoạt tạm thời nơi khác (không tính nếu vắng mặt)"


@dataclass(frozen=True)
class RollRow:
    person_id: int
    name: str
    status: str  # label of the status
    reason: str = ""  # why the threshold may leave this member out; empty when counted


@dataclass
class Roll:
    on: date
    full: list[RollRow] = field(default_factory=list)
    probationary: list[RollRow] = field(default_factory=list)

    @property
    def summoned(self) -> int:
        return len(self.full)

    @property
    def exempt(self) -> int:
        return sum(1 for r in self.full if r.reason == EXEMPT)

    @property
    def elsewhere(self) -> int:
        return sum(1 for r in self.full if r.reason == ELSEWHERE)

    @property
    def excluded(self) -> list[RollRow]:
        return [r for r in self.full if r.reason]


def _away_on(member_ids: list[int], on: date) -> set[int]:
    """Members on a temporary transfer out on `on` (left, not back, not past `until`)."""
    events = (
        MemberEvent.objects.filter(
            member_id__in=member_ids,
            kind__in=(EventKind.TEMPORARY_OUT, EventKind.TEMPORARY_BACK),
            effective_on__lte=on,
            reversed_by__isnull=True,
            reverses__isnull=True,
        )
        .order_by("member_id", "effective_on", "pk")
        .values_list("member_id", "kind", "until")
    )
    last: dict[int, tuple[str, date | None]] = {}
    for member_id, kind, until in events:
        last[member_id] = (kind, until)
    return {
        m
        for m, (kind, until) in last.items()
        if kind == EventKind.TEMPORARY_OUT and (until is None or until > on)
    }


def summoned_roll(org: Organization, on: date) -> Roll:
    """The roll of `org`'s congress of party members opening on `on` (in Vietnamese name
    order); empty when nobody is on the rolls of its cells that day."""
    spells = list(
        MembershipSpell.objects.filter(
            cell_id__in=subtree_ids(org, on=on), valid_from__lte=on, valid_to__gt=on
        )
        .exclude(status=MemberStatus.OUT)
        .select_related("member__person")
    )
    away = _away_on([s.member_id for s in spells], on)
    roll = Roll(on=on)
    for s in sorted(spells, key=lambda s: sort_key_name(s.member.person.full_name)):
        name = s.member.person.full_name
        if s.status == MemberStatus.PROBATIONARY:
            roll.probationary.append(
                RollRow(s.member.person_id, name, MemberStatus.PROBATIONARY.label)
            )
            continue
        reason = EXEMPT if s.exempt else ELSEWHERE if s.member_id in away else ""
        roll.full.append(RollRow(s.member.person_id, name, MemberStatus.OFFICIAL.label, reason))
    return roll
