"""The member projection (state columns and spells): written from the fold, checked, rebuilt.

Every ledger write rewrites the projection of the members it touches; the checks and the
rebuild fold the whole ledger again in chunks of members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field

from dangbo.core.errors import LedgerError
from dangbo.core.rows import insert, preparers
from dangbo.membership.aggregates import aggregates_rebuild, spells_changed
from dangbo.membership.ledger import Spell, State, fold
from dangbo.membership.models import Member, MembershipSpell
from dangbo.membership.planning import OrgIndex, live_events

#: A progress report: (done, total).
Progressing = Callable[[int, int], None]


def write_projection(member: Member, state: State, spells: list[Spell]) -> None:
    """Set the projection columns of `member` from the folded state (not saved)."""
    member.status = state.status
    member.out_reason = state.out_reason
    member.cell_id = state.cell
    member.host_cell_id = state.host_cell if (state.host_cell or 0) > 0 else None
    member.admitted_on = state.admitted_on
    member.last_admitted_on = state.last_admitted_on
    member.probation_from = state.probation_from
    member.official_on = state.official_on
    member.card_number = state.card_number
    member.badges = sorted(state.badges)
    member.exempt = state.exempt
    member.party_anchor = state.party_anchor
    member.out_since = state.out_since
    member.readmissions = state.readmissions


PROJECTION_FIELDS = [
    "status",
    "out_reason",
    "cell",
    "host_cell",
    "admitted_on",
    "last_admitted_on",
    "probation_from",
    "official_on",
    "card_number",
    "badges",
    "exempt",
    "party_anchor",
    "out_since",
    "readmissions",
]


def save_projections(members: list[Member]) -> None:
    """Write the projection columns of many members with one prepared UPDATE.

    (Django's bulk_update builds a CASE per column and is several ms per member; the values
    are prepared by one function per column, not through each field's ``get_db_prep_save``.)
    """
    if not members:
        return
    fields = [cast("Field[Any, Any]", Member._meta.get_field(f)) for f in PROJECTION_FIELDS]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(Member._meta.db_table)} SET "
        + ", ".join(f"{qn(f.column)} = %s" for f in fields)
        + f" WHERE {qn('id')} = %s"
    )
    prep = list(zip([f.attname for f in fields], preparers(Member, PROJECTION_FIELDS), strict=True))
    rows = [
        [getattr(m, a) if p is None else p(getattr(m, a)) for a, p in prep] + [m.pk]
        for m in members
    ]
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def spell_rows(member: Member, spells: list[Spell]) -> list[MembershipSpell]:
    """The spell rows to store for a member (not saved)."""
    return [
        MembershipSpell(
            member_id=member.pk,
            person_id=member.person_id,
            cell_id=s.cell,
            status=s.status,
            exempt=s.exempt,
            party_anchor=s.party_anchor,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
        )
        for s in spells
    ]


#: the columns of a stored spell, in the order of :func:`spell_tuple` after member and person
SPELL_COLUMNS = (
    "member",
    "person",
    "cell",
    "status",
    "exempt",
    "party_anchor",
    "valid_from",
    "valid_to",
)


def spell_tuple(s: Spell) -> tuple[Any, ...]:
    """A spell's stored values after its member and person: cell, status, exempt, party
    anchor, valid from, valid to."""
    return (s.cell, s.status, s.exempt, s.party_anchor, s.valid_from, s.valid_to)


def spells_replace(member_ids: list[int], rows: list[tuple[Any, ...]]) -> None:
    """Make the stored spells of `member_ids` exactly `rows` (:data:`SPELL_COLUMNS` values).

    Only the spells that differ are deleted and inserted, and the aggregates follow them in
    the same transaction (a spell's stock contribution out before it goes, in after it comes).
    """
    stored = MembershipSpell.objects.filter(member_id__in=member_ids).values_list(
        "id", "member_id", "cell_id", "status", "exempt", "party_anchor", "valid_from", "valid_to"
    )
    wanted = {(r[0], *r[2:]) for r in rows}
    kept: set[tuple[Any, ...]] = set()
    gone: list[int] = []
    for pk, *values in stored:
        key = tuple(values)
        if key in wanted and key not in kept:
            kept.add(key)
        else:
            gone.append(pk)
    if gone:
        spells_changed(gone, -1)
        MembershipSpell.objects.filter(pk__in=gone).delete()
    new = [r for r in rows if (r[0], *r[2:]) not in kept]
    if new:
        spells_changed(insert(MembershipSpell, SPELL_COLUMNS, new), 1)


def projection_differences(*, progress: Progressing | None = None) -> list[str]:
    """Rebuild every member's projection from the ledger and describe where it differs."""
    orgs = OrgIndex(preload=True)
    problems: list[str] = []
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    chunk = 2000
    for i in range(0, len(member_ids), chunk):
        ids = member_ids[i : i + chunk]
        events = live_events(ids)
        stored_spells: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
        for row in MembershipSpell.objects.filter(member_id__in=ids).values_list(
            "member_id", "cell_id", "status", "exempt", "party_anchor", "valid_from", "valid_to"
        ):
            stored_spells[row[0]].add(row[1:])
        for m in Member.objects.filter(pk__in=ids).select_related("person"):
            try:
                state, spells, _ = fold(events.get(m.pk, []), orgs)
            except LedgerError as exc:
                problems.append(f"{m.person.full_name} (#{m.pk}): sổ không hợp lệ — {exc.message}")
                continue
            fresh = Member(pk=m.pk)
            write_projection(fresh, state, spells)
            for f in PROJECTION_FIELDS:
                attr = f + "_id" if f in ("cell", "host_cell") else f
                if getattr(fresh, attr) != getattr(m, attr):
                    problems.append(
                        f"{m.person.full_name} (#{m.pk}): trường «{f}» lưu {getattr(m, attr)!r}, "
                        f"tính lại từ sổ được {getattr(fresh, attr)!r}"
                    )
            expected = {
                (s.cell, s.status, s.exempt, s.party_anchor, s.valid_from, s.valid_to)
                for s in spells
            }
            if expected != stored_spells.get(m.pk, set()):
                problems.append(
                    f"{m.person.full_name} (#{m.pk}): các khoảng sinh hoạt lưu khác với tính lại từ sổ"
                )
        if progress:
            progress(min(i + chunk, len(member_ids)), len(member_ids))
    return problems


@transaction.atomic
def projection_rebuild(*, progress: Progressing | None = None) -> int:
    """Rewrite every member's projection from the ledger; return how many members."""
    orgs = OrgIndex(preload=True)
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    chunk = 2000
    for i in range(0, len(member_ids), chunk):
        ids = member_ids[i : i + chunk]
        events = live_events(ids)
        members = list(Member.objects.filter(pk__in=ids))
        spells: list[MembershipSpell] = []
        for m in members:
            state, member_spells, _ = fold(events.get(m.pk, []), orgs)
            write_projection(m, state, member_spells)
            spells.extend(spell_rows(m, member_spells))
        MembershipSpell.objects.filter(member_id__in=ids).delete()
        MembershipSpell.objects.bulk_create(spells, batch_size=2000)
        save_projections(members)
        if progress:
            progress(min(i + chunk, len(member_ids)), len(member_ids))
    aggregates_rebuild()
    return len(member_ids)
