"""Reads the grading rules need: base organizations, their members and disciplines in a year,
the collective facts of an organization's grade, members not completed years running."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F

from dangbo.congresses.models import COMMITTEE_POSITIONS, CommitteeSeat
from dangbo.grading.models import Grade, MemberGrade, OrgGrade
from dangbo.inspections.models import OrgDiscipline
from dangbo.membership.models import EventKind, MemberEvent, MembershipSpell
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.vn_format import sorted_names


def base_orgs_of(cell_ids: Iterable[int], *, on: date) -> dict[int, int]:
    """The base organization of each organization in `cell_ids` as the tree stood on `on`:
    its nearest ancestor (itself included) whose kind is a base organization that day."""
    rows = OrgClosure.objects.filter(
        descendant_id__in=list(cell_ids),
        valid_from__lte=on,
        valid_to__gt=on,
        ancestor__versions__valid_from__lte=on,
        ancestor__versions__valid_to__gt=on,
        ancestor__versions__kind__is_base=True,
    ).values_list("descendant_id", "ancestor_id", "depth")
    nearest: dict[int, tuple[int, int]] = {}
    for cell, ancestor, depth in rows:
        if cell not in nearest or depth < nearest[cell][1]:
            nearest[cell] = (ancestor, depth)
    return {cell: ancestor for cell, (ancestor, _) in nearest.items()}


def base_org_on(org: Organization, *, on: date) -> Organization | None:
    """The base organization `org` (a cell, say) belonged to on `on`, or None."""
    found = base_orgs_of([org.pk], on=on).get(org.pk)
    return Organization.objects.get(pk=found) if found else None


def base_org_members(base_org: Organization, *, on: date) -> dict[int, bool]:
    """Members on the rolls of `base_org` on `on` → exempt that day.

    Read from the membership spells of the cells in its subtree on `on`, leaving out
    cells that sit under a nested base organization.
    """
    rows = list(
        MembershipSpell.objects.filter(
            valid_from__lte=on,
            valid_to__gt=on,
            cell__closure_up__ancestor=base_org,
            cell__closure_up__valid_from__lte=on,
            cell__closure_up__valid_to__gt=on,
        ).values_list("member_id", "cell_id", "exempt")
    )
    base_of = base_orgs_of({cell for _, cell, _ in rows}, on=on)
    return {m: exempt for m, cell, exempt in rows if base_of.get(cell) == base_org.pk}


def disciplined_in(member_ids: Iterable[int], year: int) -> set[int]:
    """Members with a (not reversed) discipline event dated in `year`."""
    return set(
        MemberEvent.objects.filter(
            member_id__in=list(member_ids),
            kind=EventKind.DISCIPLINE,
            effective_on__gte=date(year, 1, 1),
            effective_on__lte=date(year, 12, 31),
            reversed_by__isnull=True,
        ).values_list("member_id", flat=True)
    )


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class CollectiveFacts:
    """What an organization's grade of a year depends on besides its own assessment."""

    disciplined: bool
    members_not_completed: tuple[int, int]  # (not completed, graded)
    units_not_completed: tuple[int, int]  # (not completed, graded) of its direct units
    units_disciplined: tuple[str, ...]
    committee_disciplined: tuple[str, ...]


def collective_facts(org: Organization, year: int, *, on: date) -> CollectiveFacts:
    """The collective facts of `org`'s grade of `year` as recorded on the grading date `on`.

    Members: the grades of `year` of the members on the rolls of the cells under `org` (itself
    included) on their grading dates. Direct units: the grades of `year` of the organizations
    one level under `org` on their grading dates. Disciplined units: organizations strictly
    under `org` on the decision date, disciplined in `year`. Committee members: people holding
    a committee seat of `org` on the day of a discipline of theirs dated in `year`.
    """
    start, end = _year(year)
    disciplined = OrgDiscipline.objects.filter(
        org=org, decided_on__gte=start, decided_on__lte=end
    ).exists()
    member_rows = MemberGrade.objects.filter(
        year=year,
        member__spells__valid_from__lte=F("graded_on"),
        member__spells__valid_to__gt=F("graded_on"),
        member__spells__cell__closure_up__ancestor=org,
        member__spells__cell__closure_up__valid_from__lte=F("graded_on"),
        member__spells__cell__closure_up__valid_to__gt=F("graded_on"),
    ).exclude(grade="khong_xep_loai")
    graded = member_rows.values("id").distinct().count()
    not_completed = member_rows.filter(grade=Grade.NOT_COMPLETED).values("id").distinct().count()
    unit_rows = OrgGrade.objects.filter(
        year=year,
        org__closure_up__ancestor=org,
        org__closure_up__depth=1,
        org__closure_up__valid_from__lte=F("graded_on"),
        org__closure_up__valid_to__gt=F("graded_on"),
    )
    units = unit_rows.values("id").distinct().count()
    units_nc = unit_rows.filter(grade=Grade.NOT_COMPLETED).values("id").distinct().count()
    unit_ids = set(
        OrgDiscipline.objects.filter(
            decided_on__gte=start,
            decided_on__lte=end,
            org__closure_up__ancestor=org,
            org__closure_up__depth__gte=1,
            org__closure_up__valid_from__lte=F("decided_on"),
            org__closure_up__valid_to__gt=F("decided_on"),
        ).values_list("org_id", flat=True)
    )
    unit_names = [
        (OrgVersion.objects.filter(org_id=u, valid_from__lte=end).order_by("-valid_from").first())
        for u in sorted(unit_ids)
    ]
    committee = set()
    events = MemberEvent.objects.filter(
        kind=EventKind.DISCIPLINE,
        effective_on__gte=start,
        effective_on__lte=end,
        reversed_by__isnull=True,
    ).values_list("member__person_id", "member__person__full_name", "effective_on")
    for person_id, name, on_day in events:
        if CommitteeSeat.objects.filter(
            org=org,
            person_id=person_id,
            position__in=COMMITTEE_POSITIONS,
            starts_on__lte=on_day,
            ends_on__gt=on_day,
        ).exists():
            committee.add(name)
    return CollectiveFacts(
        disciplined=disciplined,
        members_not_completed=(not_completed, graded),
        units_not_completed=(units_nc, units),
        units_disciplined=tuple(sorted(v.name for v in unit_names if v is not None)),
        committee_disciplined=tuple(sorted_names(committee)),
    )


@dataclass(frozen=True)
class NotCompletedRunning:
    """A member graded "not completed" in each of `years` (grounds for removal)."""

    member_id: int
    name: str
    cell: str
    years: tuple[int, ...]
    graded_on: date


def not_completed_running(
    *, year: int, years: int = 2, within: int | None = None
) -> list[NotCompletedRunning]:
    """Members graded "not completed" in `year` and each of the `years` - 1 years before it
    (grounds for removal): name, cell on the last grading date, the years; within the subtree
    of organization `within` as the tree stood on that date, when given."""
    first = year - years + 1
    rows = MemberGrade.objects.filter(
        year__gte=first, year__lte=year, grade=Grade.NOT_COMPLETED
    ).values_list("member_id", "year")
    by_member: dict[int, set[int]] = {}
    for member_id, y in rows:
        by_member.setdefault(member_id, set()).add(y)
    wanted = {m for m, ys in by_member.items() if len(ys) == years}
    out: list[NotCompletedRunning] = []
    last = MemberGrade.objects.filter(member_id__in=wanted, year=year).values_list(
        "member_id", "member__person__full_name", "graded_on"
    )
    for member_id, name, graded_on in last:
        spell = (
            MembershipSpell.objects.filter(
                member_id=member_id, valid_from__lte=graded_on, valid_to__gt=graded_on
            )
            .values_list("cell_id", flat=True)
            .first()
        )
        if spell is None:
            continue
        if (
            within is not None
            and not OrgClosure.objects.filter(
                ancestor_id=within,
                descendant_id=spell,
                valid_from__lte=graded_on,
                valid_to__gt=graded_on,
            ).exists()
        ):
            continue
        cell = OrgVersion.objects.filter(
            org_id=spell, valid_from__lte=graded_on, valid_to__gt=graded_on
        ).first()
        out.append(
            NotCompletedRunning(
                member_id=member_id,
                name=name,
                cell=cell.name if cell else "",
                years=tuple(range(first, year + 1)),
                graded_on=graded_on,
            )
        )
    out.sort(key=lambda r: (r.cell, r.name))
    return out
