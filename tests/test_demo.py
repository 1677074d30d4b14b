"""The demo data set: a small city generated twice, checked against the ledger's invariants.

One module-scoped generation (rolled back at the end) serves every test; the sizes are
small so the module runs in seconds.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from dangbo.core.dates import months_between, parse_period
from dangbo.core.models import IssuerLevel
from dangbo.demo.generate import CITY_CODE, REORG_ON, DemoSize, demo_generate, demo_reset
from dangbo.figures import identity_gap, membership_figures
from dangbo.membership.models import (
    Candidate,
    CandidateStage,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Person,
)
from dangbo.membership.services import projection_differences
from dangbo.organizations.models import Organization, OrgVersion

# the mark makes pytest-django create the test database (and wraps each test in a savepoint)
pytestmark = pytest.mark.django_db

SMALL = DemoSize(wards_per_district=(2, 3), cells_per_ward=(5, 7), members_per_ward=(25, 40))
PERIODS = [str(y) for y in range(2018, 2027)] + ["2025-H1", "2025-H2"]


def fingerprint() -> list[tuple]:
    """Everything the demo wrote, without database ids (they differ between runs)."""
    codes: dict[int, str] = {}
    for org_id, code in OrgVersion.objects.order_by("valid_from").values_list("org_id", "code"):
        codes[org_id] = codes.get(org_id, "") + "/" + code
    citizen = dict(Member.objects.values_list("pk", "person__citizen_id"))
    rows = [
        ("org", codes[o], v_from, v_to, name, kind)
        for o, v_from, v_to, name, kind in OrgVersion.objects.values_list(
            "org_id", "valid_from", "valid_to", "name", "kind__code")
    ]
    rows += [
        ("event", citizen[m], kind, on, codes.get(f), codes.get(t), form, badge, card, posthumous, early)
        for m, kind, on, f, t, form, badge, card, posthumous, early in MemberEvent.objects.values_list(
            "member_id", "kind", "effective_on", "from_org_id", "to_org_id", "form", "badge_years",
            "card_number", "posthumous", "early")
    ]
    rows += [
        ("step", cid, stage, on)
        for cid, stage, on in Candidate.objects.values_list(
            "person__citizen_id", "steps__stage", "steps__effective_on")
    ]
    rows += [("person",) + p for p in Person.objects.values_list("citizen_id", "full_name", "birth_date")]
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            first = demo_generate(size=SMALL)
            first_print = fingerprint()
            demo_reset()
            assert not Organization.objects.exists() and not MemberEvent.objects.exists()
            second = demo_generate(size=SMALL)
            yield {"first": first, "second": second, "first_print": first_print, "second_print": fingerprint()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_organization_satisfies_the_identity_in_every_period(demo):
    gaps = []
    for org in Organization.objects.all():
        for period in PERIODS:
            start, end = parse_period(period)
            gap = identity_gap(membership_figures(org, start, end))
            if gap:
                gaps.append((str(org), period, gap))
    assert gaps == []


def test_the_stored_projection_is_the_fold_of_the_ledger(demo):
    assert projection_differences() == []


def test_districts_end_on_reorganization_day_and_new_wards_sit_under_the_city(demo):
    city = OrgVersion.objects.get(code=CITY_CODE).org
    districts = Organization.objects.filter(versions__kind__code="huyen").distinct()
    assert districts.count() == 2
    assert {d.dissolved_on for d in districts} == {REORG_ON}
    old_wards = Organization.objects.filter(versions__kind__code="co_so").distinct()
    assert {w.dissolved_on for w in old_wards} == {REORG_ON}
    new_wards = OrgVersion.objects.filter(kind__code="xa")
    assert new_wards.exists()
    assert {(v.parent_id, v.valid_from) for v in new_wards} == {(city.pk, REORG_ON)}
    # every cell alive on 1/7/2025 hangs directly under a new ward
    new_ids = {v.org_id for v in new_wards}
    alive = OrgVersion.objects.filter(kind__code="chi_bo", valid_from__lte=REORG_ON, valid_to__gt=REORG_ON)
    assert alive.exists() and {v.parent_id for v in alive} <= new_ids
    # fewer cells after the merges, and none of the ended ones still holds a member
    before = OrgVersion.objects.filter(kind__code="chi_bo", valid_from__lte=REORG_ON - timedelta(days=1),
                                       valid_to__gt=REORG_ON - timedelta(days=1)).count()
    assert alive.count() < before
    ended = set(Organization.objects.filter(versions__kind__code="chi_bo", dissolved_on=REORG_ON)
                .values_list("pk", flat=True))
    assert len(ended) == before - alive.count()
    assert not MembershipSpell.objects.filter(cell_id__in=ended, valid_to__gt=REORG_ON).exists()


def test_each_district_hands_all_its_members_over_by_reorganization(demo):
    eve = REORG_ON - timedelta(days=1)
    for district in Organization.objects.filter(versions__kind__code="huyen").distinct():
        # counted from the 1950 versions, independently of the closure table
        wards = set(OrgVersion.objects.filter(parent=district).values_list("org_id", flat=True))
        cells = set(OrgVersion.objects.filter(parent_id__in=wards, valid_from__lte=eve)
                    .values_list("org_id", flat=True))
        on_eve = MembershipSpell.objects.filter(cell_id__in=cells, valid_from__lte=eve, valid_to__gt=eve).count()
        figures = membership_figures(district, date(2025, 1, 1), date(2025, 12, 31))
        assert on_eve > 0
        assert figures["members_end"] == 0
        assert figures["reorganized_out"] == on_eve
        assert figures["transferred_out"] + figures["died"] < on_eve


def test_two_runs_write_the_same_records(demo):
    assert len(demo["first_print"]) > 500
    assert demo["first_print"] == demo["second_print"]
    assert demo["first"].events == demo["second"].events


def test_only_the_deliberate_historical_exceptions_waive_rules(demo):
    waived = list(MemberEvent.objects.exclude(waived_rules=[]).select_related(
        "exception_decision", "member__person"))
    assert sorted((e.kind, tuple(e.waived_rules)) for e in waived) == [
        (EventKind.ADMISSION, ("tuoi_ket_nap_duoi_18",)),
        (EventKind.ADMISSION, ("tuoi_ket_nap_tren_60",)),
    ]
    over_60 = next(e for e in waived if e.waived_rules == ["tuoi_ket_nap_tren_60"])
    assert months_between(over_60.member.person.birth_date, over_60.effective_on) > 60 * 12
    assert over_60.exception_decision.issuer_level == IssuerLevel.PROVINCIAL
    assert over_60.member.as_candidate.stage == CandidateStage.CEREMONY
    assert all(e.exception_decision_id for e in waived)
    assert not MemberEvent.objects.filter(waived_rules=[], exception_decision__isnull=False).exists()


def test_admissions_since_2018_come_through_the_candidate_pipeline(demo):
    recent = MemberEvent.objects.filter(kind=EventKind.ADMISSION, effective_on__gte=SMALL.history_from)
    admitted = Candidate.objects.filter(member__isnull=False)
    assert recent.count() == admitted.count() > 0
    for candidate in admitted.prefetch_related("steps"):
        steps = sorted(candidate.steps.all(), key=lambda s: (s.effective_on, s.pk))
        stages = [s.stage for s in steps]
        assert stages[: stages.index(CandidateStage.ADMITTED) + 1] == [
            CandidateStage.IDENTIFIED, CandidateStage.TRAINED, CandidateStage.SPONSORED,
            CandidateStage.VERIFIED, CandidateStage.DOSSIER, CandidateStage.CELL_RESOLUTION,
            CandidateStage.COMMITTEE_RESOLUTION, CandidateStage.ADMITTED,
        ]
        sponsored_on = next(s.effective_on for s in steps if s.stage == CandidateStage.SPONSORED)
        assert MembershipSpell.objects.filter(member=candidate.sponsor, status=MemberStatus.OFFICIAL,
                                              valid_from__lte=sponsored_on, valid_to__gt=sponsored_on).exists()
    assert Candidate.objects.filter(stage=CandidateStage.DROPPED).exists()


def test_the_history_holds_every_common_kind_of_fact(demo):
    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    for kind in (EventKind.ADMISSION, EventKind.RECOGNITION, EventKind.TRANSFER, EventKind.CARD,
                 EventKind.BADGE, EventKind.EXEMPTION, EventKind.DEATH, EventKind.REORGANIZATION):
        assert kinds[kind] > 0, kind
    transfers = MemberEvent.objects.filter(kind=EventKind.TRANSFER)
    assert transfers.filter(from_org__isnull=True).exists()  # received from outside
    assert transfers.filter(to_org__isnull=True).exists()  # transferred out of the city
    assert transfers.filter(from_org__isnull=False, to_org__isnull=False).exists()
    # a probationary member (admitted, not yet recognized) is only ever reprimanded or warned
    history: dict[int, list] = {}
    for m, kind, on in MemberEvent.objects.order_by("effective_on", "pk").values_list(
            "member_id", "kind", "effective_on"):
        history.setdefault(m, []).append((kind, on))
    for e in MemberEvent.objects.filter(kind=EventKind.DISCIPLINE):
        before = [k for k, on in history[e.member_id] if on <= e.effective_on and k in (
            EventKind.ADMISSION, EventKind.READMISSION, EventKind.RECOGNITION)]
        if before[-1] != EventKind.RECOGNITION:
            assert e.form in ("khien_trach", "canh_cao")


def test_demo_command_loads_once_and_reloads_on_reset(demo, monkeypatch):
    monkeypatch.setattr("dangbo.core.management.commands.demo.demo_generate",
                        functools.partial(demo_generate, size=SMALL))
    people = Person.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "đã được nạp trước đó" in out.getvalue()
    assert Person.objects.count() == people
    with transaction.atomic():
        out = StringIO()
        call_command("demo", "--reset", stdout=out)
        assert "Đã xóa toàn bộ dữ liệu cũ" in out.getvalue()
        assert "Đã nạp dữ liệu mẫu" in out.getvalue()
        assert Person.objects.count() == people
        assert OrgVersion.objects.filter(code=CITY_CODE).count() == 1
        transaction.set_rollback(True)
