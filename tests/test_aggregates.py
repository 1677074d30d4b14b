"""The figure aggregates after any sequence of writes through the services.

Property: after a random sequence of ledger writes, transfers, reversals, candidate steps,
gender corrections and reorganizations (found, move, merge, split, dissolve), for every
organization and several periods — whole years, single days, periods across each
reorganization — the figures read from the aggregates equal the figures computed from the
ledger on every field, their stocks equal a count made from the spells and the closure, the
rows equal a bulk rebuild, and `aggregate_differences` finds nothing. A refused write
(a rule violation, a ledger refusal) leaves the aggregate rows as they were.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import DomainError
from dangbo.figures import membership_figures
from dangbo.figures_ledger import ledger_figures
from dangbo.membership import people
from dangbo.membership.admission import (
    candidate_advance,
    candidate_create,
    member_admit,
    member_receive,
)
from dangbo.membership.aggregates import aggregate_differences, aggregates_rebuild
from dangbo.membership.events import event_reverse
from dangbo.membership.models import (
    STAGE_ORDER,
    Candidate,
    CandidateStage,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Person,
    TransferOut,
    TransferStatus,
)
from dangbo.membership.projection import projection_differences
from dangbo.membership.transfers import transfer_receive, transfer_send
from dangbo.organizations import services as org_services
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from tests.aggregates_check import agg_rows, assert_aggregates_match_ledger
from tests.conftest import ACTOR, admit, kind, make_person, record

START = date(2019, 1, 1)
ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
ACTIONS = (
    "admit",
    "admit",
    "receive",
    "recognize",
    "recognize",
    "move",
    "send",
    "arrive",
    "temporary",
    "exempt",
    "discipline",
    "card",
    "out",
    "reverse",
    "reverse",
    "gender",
    "candidate",
    "candidate",
    "found",
    "org_move",
    "merge",
    "split",
    "dissolve",
    "merge_wards",
)
REORGS = ("org_move", "merge", "split", "dissolve", "merge_wards")


def correct_gender(person: Person, gender: str) -> None:
    """Correct a person's recorded gender through the service."""
    people.person_correct(person=person, actor=ACTOR, gender=gender)


class Play:
    """Carries out the generated actions through the services, each on its own day."""

    def __init__(self) -> None:
        self.on = self.day = START
        self.reorg_days: list[date] = []
        self.op_days: list[date] = []
        self.done = self.refused = 0
        self.codes = 0

    # --- the tree and the roll as the database has them on the current day -----------------
    def alive(self, holds_members: bool) -> list[Organization]:
        ids = OrgVersion.objects.filter(
            valid_from__lte=self.on, valid_to__gt=self.on, kind__holds_members=holds_members
        ).values_list("org_id", flat=True)
        return list(Organization.objects.filter(pk__in=ids).order_by("pk"))

    def cells(self) -> list[Organization]:
        return self.alive(True)

    def wards(self) -> list[Organization]:
        return [o for o in self.alive(False) if self.parent(o) is not None]

    def parent(self, org: Organization) -> int | None:
        v = OrgVersion.objects.get(org=org, valid_from__lte=self.on, valid_to__gt=self.on)
        return v.parent_id

    def under(self, ward: Organization) -> list[Organization]:
        ids = set(
            OrgClosure.objects.filter(
                ancestor=ward, valid_from__lte=self.on, valid_to__gt=self.on
            ).values_list("descendant_id", flat=True)
        )
        return [c for c in self.cells() if c.pk in ids]

    def members(self, *statuses: str) -> list[Member]:
        return list(
            Member.objects.filter(status__in=statuses or ACTIVE)
            .select_related("person")
            .order_by("pk")
        )

    def new_cell(self, ward: Organization) -> Organization:
        self.codes += 1
        return org_services.org_found(
            kind=kind("chi_bo"),
            name=f"Chi bộ mới {self.codes}",
            code=f"M{self.codes}",
            parent=ward,
            on=self.on,
            actor=ACTOR,
        )

    # --- the actions ------------------------------------------------------------------------
    def act(self, action: str, p: int, q: int) -> None:
        """Carry out `action` if it applies; a refusal must leave the aggregates untouched."""
        before = agg_rows()
        try:
            with transaction.atomic():
                done = self._act(action, p, q)
        except DomainError:
            self.refused += 1
            assert agg_rows() == before, (action, self.on, "a refused write changed the rows")
            return
        if done:
            self.done += 1
            self.op_days.append(self.on)
            if action in REORGS or action == "found":
                self.reorg_days.append(self.day)

    def _act(self, action: str, p: int, q: int) -> bool:  # noqa: C901, PLR0911, PLR0912
        cells, on = self.cells(), self.on

        def pick(seq):
            return seq[p % len(seq)] if seq else None

        if action == "admit" and cells:
            admit(cells[q % len(cells)], on, gender="nu" if q % 2 else "nam")
        elif action == "receive" and cells:
            member_receive(
                person=make_person(gender="nu" if q % 3 == 0 else "nam", born=date(1970, 1, 1)),
                cell=cells[q % len(cells)],
                on=on,
                status=MemberStatus.OFFICIAL if q % 4 else MemberStatus.PROBATIONARY,
                admitted_on=date(1995, 1, 1) if q % 4 else on - timedelta(days=100),
                official_on=date(1996, 1, 1) if q % 4 else None,
                actor=ACTOR,
            )
        elif action == "recognize" and (m := pick(self.members(MemberStatus.PROBATIONARY))):
            record(m, EventKind.RECOGNITION, on)  # refused before twelve months of probation
        elif action == "move" and (m := pick(self.members())) and len(cells) > 1:
            to = [c for c in cells if c.pk != m.cell_id][q % (len(cells) - 1)]
            record(m, EventKind.TRANSFER, on, from_org=m.cell, to_org=to)
        elif action == "send" and (m := pick(self.members(MemberStatus.OFFICIAL))):
            wards = [w for w in self.wards() if m.cell_id not in {c.pk for c in self.under(w)}]
            if not wards:
                return False
            transfer_send(member=m, to_org=wards[q % len(wards)], on=on, actor=ACTOR)
        elif action == "arrive" and (
            t := pick(list(TransferOut.objects.filter(status=TransferStatus.PENDING)))
        ):
            inside = self.under(t.to_org) if t.to_org in self.alive(False) else []
            cell = inside[q % len(inside)] if inside else (cells[0] if cells else None)
            if cell is None:
                return False
            transfer_receive(transfer=t, cell=cell, on=on, actor=ACTOR)
        elif action == "temporary" and (m := pick(self.members())) and len(cells) > 1:
            host = [c for c in cells if c.pk != m.cell_id][q % (len(cells) - 1)]
            if m.host_cell_id:
                record(m, EventKind.TEMPORARY_BACK, on)
            else:
                until = on + timedelta(days=90)
                record(
                    m, EventKind.TEMPORARY_OUT, on, to_org=None if q % 3 == 0 else host, until=until
                )
        elif action == "exempt" and (m := pick(self.members(MemberStatus.OFFICIAL))):
            record(m, EventKind.EXEMPTION_END if m.exempt else EventKind.EXEMPTION, on)
        elif action == "discipline" and (m := pick(self.members())):
            forms = ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")
            record(m, EventKind.DISCIPLINE, on, form=forms[q % 4])
        elif action == "card" and (m := pick(self.members(MemberStatus.OFFICIAL))):
            record(m, EventKind.CARD, on, card_number=f"79{p % 10**6:06d}")
        elif action == "out" and (m := pick(self.members())):
            kinds = (EventKind.DEATH, EventKind.REMOVAL, EventKind.LEAVING)
            record(m, kinds[q % 3], on)
        elif action == "reverse":
            live = MemberEvent.objects.exclude(
                kind__in=(EventKind.REVERSAL, EventKind.REORGANIZATION)
            ).filter(reversed_by__isnull=True)
            if q % 5 == 0:  # a reorganization event: always refused
                live = MemberEvent.objects.filter(kind=EventKind.REORGANIZATION)
            if (e := pick(list(live.order_by("pk")))) is None:
                return False
            event_reverse(event=e, reason="ghi nhầm", on=on, actor=ACTOR)
        elif action == "gender" and (m := pick(self.members(*ACTIVE, MemberStatus.OUT))):
            correct_gender(m.person, "nam" if m.person.gender == "nu" else "nu")
        elif action == "candidate" and cells:
            self.candidate(p, q, cells)
        elif action in REORGS or action == "found":
            return self.reorganize(action, p, q, cells)
        else:
            return False
        return True

    def candidate(self, p: int, q: int, cells: list[Organization]) -> None:
        open_ = list(
            Candidate.objects.exclude(
                stage__in=(CandidateStage.DROPPED, CandidateStage.CEREMONY)
            ).order_by("pk")
        )
        if not open_ or q % 4 == 0:
            person = make_person(born=date(2000, 1, 1), gender="nu" if p % 2 else "nam")
            candidate_create(person=person, cell=cells[q % len(cells)], on=self.on, actor=ACTOR)
            return
        c = open_[p % len(open_)]
        nxt = STAGE_ORDER[STAGE_ORDER.index(CandidateStage(c.stage)) + 1]
        if nxt == CandidateStage.ADMITTED:
            member_admit(candidate=c, cell=c.cell, on=self.on, decision=None, actor=ACTOR)
            return
        sponsor = None
        if nxt == CandidateStage.SPONSORED:
            officials = self.members(MemberStatus.OFFICIAL)
            sponsor = officials[q % len(officials)] if officials else None
        candidate_advance(candidate=c, stage=nxt, on=self.on, sponsor=sponsor, actor=ACTOR)

    def reorganize(self, action: str, p: int, q: int, cells: list[Organization]) -> bool:
        """A reorganization on the current day or, for a move, a merge or a dissolution, up
        to 120 days before it: then events already recorded after its date change sides."""
        wards = self.wards()
        back = 0 if action in ("found", "split") else 60 * (q // 7 % 3)
        day = self.day = self.on - timedelta(days=back)
        if action == "found" and wards:
            self.new_cell(wards[q % len(wards)])
        elif action == "org_move" and cells and len(wards) > 1:
            cell = cells[p % len(cells)]
            to = [w for w in wards if w.pk != self.parent(cell)]
            org_services.org_move(org=cell, parent=to[q % len(to)], on=day, actor=ACTOR)
        elif action == "merge" and len(cells) > 1:
            source = cells[p % len(cells)]
            into = [c for c in cells if c != source][q % (len(cells) - 1)]
            org_services.org_merge(sources=[source], into=into, on=day, actor=ACTOR)
        elif action == "split" and cells:
            source = cells[p % len(cells)]
            parent = Organization.objects.get(pk=self.parent(source))
            eve = self.on - timedelta(days=1)
            ids = sorted(
                Member.objects.filter(
                    spells__cell=source, spells__valid_from__lte=eve, spells__valid_to__gt=eve
                ).values_list("pk", flat=True)
            )
            a, b = self.new_cell(parent), self.new_cell(parent)
            half = len(ids) // 2 if q % 2 else len(ids)
            org_services.org_split(
                source=source,
                parts=[{"into": a, "members": ids[:half]}, {"into": b, "members": ids[half:]}],
                on=self.on,
                dissolve_source=bool(q % 3),
                actor=ACTOR,
            )
        elif action == "dissolve" and cells:
            org_services.org_dissolve(org=cells[p % len(cells)], on=day, actor=ACTOR)
        elif action == "merge_wards" and len(wards) > 1:
            source, into = wards[p % len(wards)], wards[(p + 1) % len(wards)]
            org_services.org_merge(sources=[source], into=into, on=day, actor=ACTOR)
        else:
            return False
        return True

    # --- the periods to check ---------------------------------------------------------------
    def periods(self) -> list[tuple[date, date]]:
        last = self.on
        out = {(date(2018, 1, 1), last), (START, date(2019, 12, 31)), (last, last)}
        out |= {(date(y, 1, 1), date(y, 12, 31)) for y in range(START.year + 1, last.year + 1)}
        for d in self.reorg_days[:3]:
            eve = d - timedelta(days=1)
            out |= {(d, d), (eve, eve), (d - timedelta(days=40), d + timedelta(days=40))}
        out |= {(d, d) for d in self.op_days[:: max(1, len(self.op_days) // 3)]}
        return sorted(out)


def assert_consistent(play: Play) -> None:
    """Every check of the aggregates on the database as it stands."""
    assert projection_differences() == []
    assert assert_aggregates_match_ledger(play.periods()) > 0
    assert aggregate_differences() == []
    incremental = agg_rows()
    assert incremental, "no aggregate row at all"
    aggregates_rebuild()
    assert agg_rows() == incremental


steps = st.lists(
    st.tuples(
        st.integers(0, 75),
        st.sampled_from(ACTIONS),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
    ),
    min_size=10,
    max_size=35,
)


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, seed=st.integers(0, 10**6))
def test_aggregates_equal_the_ledger_after_any_sequence_of_writes(city_tree, steps, seed):
    with transaction.atomic():
        play = Play()
        for i in range(4):
            play.act("receive", seed + i, i)
            play.act("admit", seed, i)
        for gap, action, p, q in steps:
            play.on += timedelta(days=gap)
            play.act(action, p, q)
        play.on += timedelta(days=1)
        assert_consistent(play)
        transaction.set_rollback(True)


# --- one of each, written out -------------------------------------------------------------


@pytest.fixture
def played(city_tree):
    """Every kind of write, in a fixed order, over 2019–2021, with a reorganization a year."""
    play = Play()
    script = [
        ("receive", 1, 1), ("receive", 2, 2), ("receive", 3, 3), ("receive", 4, 4),
        ("admit", 5, 1), ("admit", 6, 2), ("candidate", 0, 0), ("move", 1, 1),
        ("gender", 2, 0), ("candidate", 0, 1), ("temporary", 3, 1), ("send", 0, 1),
        ("exempt", 1, 0), ("arrive", 0, 0), ("found", 0, 0), ("card", 0, 0),
        ("discipline", 2, 1), ("recognize", 0, 0), ("org_move", 1, 1), ("candidate", 0, 1),
        ("reverse", 3, 1), ("out", 1, 0), ("split", 0, 1), ("merge", 1, 0),
        ("org_move", 0, 7), ("merge_wards", 0, 0), ("gender", 1, 0), ("out", 2, 1),
    ]  # fmt: skip
    for i, (action, p, q) in enumerate(script):
        play.on = START + timedelta(days=40 * i)
        play.act(action, p, q)
    play.on += timedelta(days=1)
    return play


def test_every_kind_of_write_keeps_the_aggregates_equal_to_the_ledger(played):
    assert played.done >= 20 and len(played.reorg_days) >= 3, (played.done, played.reorg_days)
    assert_consistent(played)


def test_a_gender_correction_changes_the_women_of_every_past_period(played, city_tree):
    city = city_tree["city"]
    member = Member.objects.filter(status__in=ACTIVE).select_related("person").first()
    assert member is not None
    first = member.spells.order_by("valid_from").first()
    assert first is not None
    since, now = first.valid_from, played.on

    def women() -> tuple[int, int]:
        f = membership_figures(city, since, now, breakdowns=False)
        return f.women_start, f.women_end

    before, rows = women(), agg_rows()
    woman = member.person.gender == "nu"
    correct_gender(member.person, "nam" if woman else "nu")
    after = women()
    # the member counts (or no longer counts) among the women on every day of their spells
    step = -1 if woman else 1
    assert after == (before[0], before[1] + step)
    mid = since + (now - since) // 2
    if member.spells.filter(valid_from__lte=mid, valid_to__gt=mid).exists():
        f = membership_figures(city, mid, mid, breakdowns=False)
        assert f.women_end == ledger_figures(city, mid, mid).women_end
    assert agg_rows() != rows
    assert_consistent(played)


def test_refused_writes_leave_the_aggregates_unchanged(played, city_tree):
    on = played.on
    dead = Member.objects.filter(status=MemberStatus.OUT).first()
    reorganized = MemberEvent.objects.filter(kind=EventKind.REORGANIZATION).first()
    assert dead is not None and reorganized is not None
    live = admit(played.cells()[0], on)  # probationary since today
    rows = agg_rows()
    refusals = [
        # a member off the rolls dies again; a probationary member made official too early
        lambda: record(dead, EventKind.DEATH, on),
        lambda: record(live, EventKind.RECOGNITION, on),
        # a reorganization event is never reversed; a cell with members is not dissolved
        lambda: event_reverse(event=reorganized, reason="ghi nhầm", on=on, actor=ACTOR),
        lambda: org_services.org_dissolve(
            org=Organization.objects.get(pk=live.cell_id), on=on, actor=ACTOR
        ),
        # a person too young for the Party
        lambda: admit(played.cells()[0], on, born=on - timedelta(days=365 * 15)),
    ]
    for refuse in refusals:
        with pytest.raises(DomainError):
            refuse()
        assert agg_rows() == rows
    assert_consistent(played)
