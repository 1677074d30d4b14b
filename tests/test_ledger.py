"""The ledger's structure: what fits a member's history, backdating, reversal, the candidate
pipeline and the rebuild check of the projection."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, LedgerError
from dangbo.core.models import AuditEntry
from dangbo.figures import membership_figures
from dangbo.membership.admission import (
    candidate_advance,
    candidate_create,
    class_certify,
    class_create,
    member_admit,
    member_receive,
)
from dangbo.membership.events import event_record, event_reverse
from dangbo.membership.models import (
    CandidateStage,
    CandidateStep,
    ClassKind,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
)
from dangbo.membership.projection import projection_differences, projection_rebuild
from dangbo.organizations import services as org_services
from tests.conftest import ACTOR, admit, make_person, record

D = date


def snapshot():
    return (
        MemberEvent.objects.count(),
        list(Member.objects.order_by("pk").values()),
        list(MembershipSpell.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def assert_ledger_error(action) -> LedgerError:
    before = snapshot()
    with pytest.raises(LedgerError) as caught:
        action()
    assert snapshot() == before
    return caught.value


def spells_of(member):
    return list(
        MembershipSpell.objects.filter(member=member)
        .order_by("valid_from")
        .values_list("cell_id", "status", "exempt", "valid_from", "valid_to")
    )


def official(cell, admitted: date, **person):
    m = admit(cell, admitted, **person)
    record(m, EventKind.RECOGNITION, admitted.replace(year=admitted.year + 1))
    return m


# --- events that do not fit the history ------------------------------------------------------

STAYING = [
    (EventKind.CARD, {"card_number": "79001"}),
    (EventKind.BADGE, {"badge_years": 30}),
    (EventKind.DISCIPLINE, {"form": "khien_trach"}),
    (EventKind.EXEMPTION, {}),
    (EventKind.RECOGNITION, {}),
    (EventKind.DEATH, {}),
    (EventKind.REMOVAL, {}),
    (EventKind.LEAVING, {}),
]


@pytest.mark.parametrize("kind, extra", STAYING)
def test_it_refuses_events_for_a_person_who_was_never_admitted(city_tree, kind, extra):
    never = Member.objects.create(person=make_person())
    err = assert_ledger_error(lambda: record(never, kind, D(2023, 3, 1), **extra))
    assert never.person.full_name in err.message
    assert not never.events.exists()


@pytest.mark.parametrize("kind, extra", STAYING)
def test_it_refuses_events_for_a_member_who_has_died(city_tree, kind, extra):
    m = official(city_tree["w1c1"], D(2020, 1, 10))
    record(m, EventKind.DEATH, D(2022, 5, 1))
    assert_ledger_error(lambda: record(m, kind, D(2023, 3, 1), **extra))


def test_it_refuses_a_card_dated_before_the_admission(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    err = assert_ledger_error(
        lambda: record(m, EventKind.CARD, D(2020, 12, 1), card_number="79002")
    )
    assert "không phải đảng viên" in err.message


def test_it_refuses_a_transfer_from_a_cell_the_member_is_not_in(city_tree):
    m = official(city_tree["w1c1"], D(2020, 1, 10))
    assert_ledger_error(
        lambda: record(
            m,
            EventKind.TRANSFER,
            D(2022, 3, 1),
            from_org=city_tree["w1c2"],
            to_org=city_tree["w2c1"],
        )
    )


def test_it_refuses_members_in_a_committee_that_is_not_a_cell(city_tree):
    person = make_person()
    before = snapshot()
    with pytest.raises(LedgerError) as caught:
        member_admit(
            person=person, cell=city_tree["w1"], on=D(2022, 3, 1), decision=None, actor=ACTOR
        )
    assert "không phải chi bộ" in caught.value.message
    assert snapshot() == before


def test_it_refuses_a_cell_that_did_not_exist_on_the_date(city_tree):
    person = make_person()
    before = snapshot()
    with pytest.raises(LedgerError) as caught:
        member_admit(
            person=person, cell=city_tree["w1c1"], on=D(2017, 12, 31), decision=None, actor=ACTOR
        )
    assert "không tồn tại vào ngày 31/12/2017" in caught.value.message
    assert snapshot() == before


def test_it_refuses_a_second_admission(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    assert_ledger_error(
        lambda: record(m, EventKind.ADMISSION, D(2022, 1, 10), to_org=city_tree["w1c2"])
    )


# --- backdated events ------------------------------------------------------------------------


def test_it_accepts_a_backdated_exemption_and_splits_the_membership_spells(city_tree):
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    m = official(c1, D(2020, 1, 10))
    record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c1, to_org=c2)
    record(m, EventKind.EXEMPTION, D(2022, 3, 1))
    assert spells_of(m) == [
        (c1.pk, "du_bi", False, D(2020, 1, 10), D(2021, 1, 10)),
        (c1.pk, "chinh_thuc", False, D(2021, 1, 10), D(2022, 3, 1)),
        (c1.pk, "chinh_thuc", True, D(2022, 3, 1), D(2023, 5, 1)),
        (c2.pk, "chinh_thuc", True, D(2023, 5, 1), FOREVER),
    ]
    assert (m.exempt, m.cell) == (True, c2)
    f = membership_figures(city_tree["w1"], D(2022, 1, 1), D(2022, 12, 31))
    assert (f["exempt_start"], f["exempt_end"], f["exemptions_granted"]) == (0, 1, 1)
    assert projection_differences() == []


def test_it_refuses_a_backdated_transfer_that_breaks_a_later_one(city_tree):
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    m = official(c1, D(2020, 1, 10))
    record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c1, to_org=c2)
    assert_ledger_error(
        lambda: record(m, EventKind.TRANSFER, D(2022, 5, 1), from_org=c1, to_org=city_tree["w2c1"])
    )


def test_it_refuses_a_backdated_death_before_a_recorded_card(city_tree):
    m = official(city_tree["w1c1"], D(2020, 1, 10))
    record(m, EventKind.CARD, D(2023, 2, 3), card_number="79003")
    assert_ledger_error(lambda: record(m, EventKind.DEATH, D(2022, 12, 1)))


def test_a_backdated_event_on_the_same_day_follows_the_ones_recorded_before(city_tree):
    c1, c2, c3 = city_tree["w1c1"], city_tree["w1c2"], city_tree["w2c1"]
    m = official(c1, D(2020, 1, 10))
    record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c1, to_org=c2)
    record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c2, to_org=c3)
    assert m.cell == c3
    assert spells_of(m)[-1] == (c3.pk, "chinh_thuc", False, D(2023, 5, 1), FOREVER)
    assert projection_differences() == []


# --- reversal --------------------------------------------------------------------------------


def test_reversing_a_transfer_removes_it_from_projection_and_figures(city_tree):
    c1, w2c1 = city_tree["w1c1"], city_tree["w2c1"]
    m = official(c1, D(2020, 1, 10))
    wrong = record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c1, to_org=w2c1)
    f = membership_figures(city_tree["w1"], D(2023, 1, 1), D(2023, 12, 31))
    assert (f["members_end"], f["transferred_out"]) == (0, 1)

    reversal = event_reverse(event=wrong, reason="Ghi nhầm chi bộ", on=D(2023, 6, 1), actor=ACTOR)
    m.refresh_from_db()
    assert reversal.kind == EventKind.REVERSAL and reversal.reverses == wrong
    assert MemberEvent.objects.filter(pk=wrong.pk).exists()  # the ledger keeps the wrong event
    assert m.cell == c1
    assert spells_of(m)[-1] == (c1.pk, "chinh_thuc", False, D(2021, 1, 10), FOREVER)
    w1 = membership_figures(city_tree["w1"], D(2023, 1, 1), D(2023, 12, 31))
    w2 = membership_figures(city_tree["w2"], D(2023, 1, 1), D(2023, 12, 31))
    assert (w1["members_end"], w1["transferred_out"]) == (1, 0)
    assert (w2["members_end"], w2["transferred_in"]) == (0, 0)
    assert projection_differences() == []


def test_reversing_the_only_admission_leaves_no_member(city_tree):
    m = admit(city_tree["w1c1"], D(2023, 3, 1))
    event_reverse(event=m.events.get(), reason="Trùng hồ sơ", on=D(2023, 4, 1), actor=ACTOR)
    m.refresh_from_db()
    assert (m.status, m.cell, spells_of(m)) == (None, None, [])
    f = membership_figures(city_tree["city"], D(2023, 1, 1), D(2023, 12, 31))
    assert (f["admitted"], f["members_end"]) == (0, 0)


def test_it_refuses_to_reverse_an_event_later_events_depend_on(city_tree):
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    m = official(c1, D(2020, 1, 10))
    first = record(m, EventKind.TRANSFER, D(2022, 5, 1), from_org=c1, to_org=c2)
    record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c2, to_org=city_tree["w2c1"])
    for event in (first, m.events.get(kind=EventKind.ADMISSION)):
        err = assert_ledger_error(
            lambda event=event: event_reverse(
                event=event, reason="Ghi nhầm", on=D(2023, 6, 1), actor=ACTOR
            )
        )
        assert "Hãy hủy các sự kiện sau đó trước" in err.message
    assert not MemberEvent.objects.filter(kind=EventKind.REVERSAL).exists()


def test_it_refuses_a_reversal_that_would_leave_the_member_in_an_ended_cell(city_tree):
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    m = official(c1, D(2020, 1, 10))
    moved = record(m, EventKind.TRANSFER, D(2023, 5, 1), from_org=c1, to_org=city_tree["w2c1"])
    org_services.org_merge(sources=[c1], into=c2, on=D(2024, 1, 1), actor=ACTOR)
    err = assert_ledger_error(
        lambda: event_reverse(event=moved, reason="Ghi nhầm", on=D(2024, 2, 1), actor=ACTOR)
    )
    assert "đã chấm dứt hoạt động" in err.message


def test_it_refuses_to_reverse_twice_or_without_a_reason(city_tree):
    m = admit(city_tree["w1c1"], D(2022, 3, 1))
    card_less = record(m, EventKind.DISCIPLINE, D(2022, 6, 1), form="khien_trach")
    with pytest.raises(InvalidInput):
        event_reverse(event=card_less, reason="  ", on=D(2022, 7, 1), actor=ACTOR)
    reversal = event_reverse(event=card_less, reason="Sai hình thức", on=D(2022, 7, 1), actor=ACTOR)
    with pytest.raises(DomainError) as caught:
        event_reverse(event=card_less, reason="Lần nữa", on=D(2022, 7, 2), actor=ACTOR)
    assert "đã được hủy bỏ" in caught.value.message
    with pytest.raises(DomainError):
        event_reverse(event=reversal, reason="Hủy việc hủy", on=D(2022, 7, 2), actor=ACTOR)
    assert MemberEvent.objects.filter(kind=EventKind.REVERSAL).count() == 1


# --- the candidate pipeline ------------------------------------------------------------------


def awareness_class(org, ends=date(2023, 3, 15)):
    return class_create(
        kind=ClassKind.AWARENESS,
        name="Lớp nhận thức về Đảng khóa 1",
        organizer=org,
        starts_on=D(2023, 3, 1),
        ends_on=ends,
        actor=ACTOR,
    )


def test_the_admission_pipeline_runs_in_order_up_to_the_ceremony(city_tree):
    cell = city_tree["w1c1"]
    sponsor = official(cell, D(2019, 1, 10))
    probationary = admit(cell, D(2022, 10, 1))
    person = make_person(born=D(2000, 2, 2))
    cand = candidate_create(person=person, cell=cell, on=D(2023, 1, 5), actor=ACTOR)
    assert cand.stage == CandidateStage.IDENTIFIED

    with pytest.raises(DomainError) as caught:  # cannot skip the awareness class
        candidate_advance(
            candidate=cand,
            stage=CandidateStage.SPONSORED,
            on=D(2023, 2, 1),
            sponsor=sponsor,
            actor=ACTOR,
        )
    assert "bước tiếp theo phải là «Học lớp bồi dưỡng nhận thức về Đảng»" in caught.value.message

    other = class_create(
        kind=ClassKind.OTHER,
        name="Lớp khác",
        organizer=city_tree["w1"],
        starts_on=D(2023, 2, 1),
        ends_on=D(2023, 2, 3),
        actor=ACTOR,
    )
    class_certify(
        training_class=other, person=person, certificate_number="K-1", on=D(2023, 2, 4), actor=ACTOR
    )
    cand.refresh_from_db()
    assert cand.stage == CandidateStage.IDENTIFIED  # only the awareness class advances

    class_certify(
        training_class=awareness_class(city_tree["w1"]),
        person=person,
        certificate_number="NT-15",
        on=D(2023, 3, 20),
        actor=ACTOR,
    )
    cand.refresh_from_db()
    assert cand.stage == CandidateStage.TRAINED

    with pytest.raises(DomainError) as caught:  # the sponsor must be an official member
        candidate_advance(
            candidate=cand,
            stage=CandidateStage.SPONSORED,
            on=D(2023, 4, 1),
            sponsor=probationary,
            actor=ACTOR,
        )
    assert caught.value.code == "nguoi_giup_do"
    candidate_advance(
        candidate=cand,
        stage=CandidateStage.SPONSORED,
        on=D(2023, 4, 1),
        sponsor=sponsor,
        actor=ACTOR,
    )
    for stage, on in (
        (CandidateStage.VERIFIED, D(2023, 5, 10)),
        (CandidateStage.DOSSIER, D(2023, 6, 1)),
        (CandidateStage.CELL_RESOLUTION, D(2023, 6, 10)),
    ):
        candidate_advance(candidate=cand, stage=stage, on=on, actor=ACTOR)

    before = snapshot()
    with pytest.raises(DomainError) as caught:  # no committee resolution yet
        member_admit(candidate=cand, cell=cell, on=D(2023, 6, 20), decision=None, actor=ACTOR)
    assert caught.value.code == "quy_trinh_ket_nap"
    assert snapshot() == before
    assert not Member.objects.filter(person=person).exists()

    candidate_advance(
        candidate=cand, stage=CandidateStage.COMMITTEE_RESOLUTION, on=D(2023, 6, 25), actor=ACTOR
    )
    member = member_admit(candidate=cand, cell=cell, on=D(2023, 7, 1), decision=None, actor=ACTOR)
    cand.refresh_from_db()
    assert (member.status, member.cell, member.admitted_on) == (
        MemberStatus.PROBATIONARY,
        cell,
        D(2023, 7, 1),
    )
    assert (cand.stage, cand.member, cand.sponsor) == (CandidateStage.ADMITTED, member, sponsor)
    candidate_advance(candidate=cand, stage=CandidateStage.CEREMONY, on=D(2023, 7, 20), actor=ACTOR)
    assert list(cand.steps.order_by("effective_on", "pk").values_list("stage", flat=True)) == [
        "xac_dinh",
        "hoc_lop",
        "phan_cong",
        "tham_tra",
        "ho_so",
        "nq_chi_bo",
        "nq_dang_uy",
        "ket_nap",
        "le_ket_nap",
    ]
    with pytest.raises(DomainError):
        candidate_advance(
            candidate=cand, stage=CandidateStage.DROPPED, on=D(2023, 8, 1), actor=ACTOR
        )


def test_the_pipeline_refuses_admission_by_step_and_backdated_steps(city_tree):
    cand = candidate_create(
        person=make_person(), cell=city_tree["w1c1"], on=D(2023, 1, 5), actor=ACTOR
    )
    with pytest.raises(InvalidInput):
        candidate_advance(
            candidate=cand, stage=CandidateStage.ADMITTED, on=D(2023, 2, 1), actor=ACTOR
        )
    with pytest.raises(InvalidInput) as caught:
        candidate_advance(
            candidate=cand, stage=CandidateStage.TRAINED, on=D(2023, 1, 4), actor=ACTOR
        )
    assert "trước bước trước đó (05/01/2023)" in caught.value.message
    with pytest.raises(DomainError):
        candidate_create(person=cand.person, cell=city_tree["w1c2"], on=D(2023, 1, 6), actor=ACTOR)
    with pytest.raises(InvalidInput):
        candidate_create(person=make_person(), cell=city_tree["w1"], on=D(2023, 1, 6), actor=ACTOR)
    candidate_advance(candidate=cand, stage=CandidateStage.DROPPED, on=D(2023, 3, 1), actor=ACTOR)
    with pytest.raises(DomainError):
        candidate_advance(
            candidate=cand, stage=CandidateStage.TRAINED, on=D(2023, 4, 1), actor=ACTOR
        )
    assert CandidateStep.objects.filter(candidate=cand).count() == 2


# --- the projection rebuild check ------------------------------------------------------------


def busy_ledger(tree):
    """A few members with many kinds of events, for the rebuild check."""
    c1, c2, c3 = tree["w1c1"], tree["w1c2"], tree["w2c1"]
    a = official(c1, D(2019, 3, 1), gender="nu")
    record(a, EventKind.CARD, D(2020, 9, 2), card_number="79100")
    record(a, EventKind.TEMPORARY_OUT, D(2021, 1, 5), to_org=c3, until=D(2021, 7, 5))
    record(a, EventKind.TEMPORARY_BACK, D(2021, 7, 5))
    record(a, EventKind.TRANSFER, D(2022, 2, 1), from_org=c1, to_org=c2)
    record(a, EventKind.EXEMPTION, D(2022, 6, 1))
    record(a, EventKind.EXEMPTION_END, D(2023, 6, 1))
    b = official(c2, D(2018, 5, 1))
    record(b, EventKind.DISCIPLINE, D(2020, 1, 1), form="canh_cao")
    record(b, EventKind.REMOVAL, D(2020, 6, 1))
    record(b, EventKind.READMISSION, D(2023, 6, 1), to_org=c3, details={"consent": "12-CV/TU"})
    c = official(c3, D(2018, 2, 1))
    record(c, EventKind.TRANSFER, D(2021, 3, 1), from_org=c3, to_org=None)
    record(c, EventKind.TRANSFER, D(2022, 3, 1), to_org=c1)
    record(c, EventKind.DEATH, D(2023, 1, 1))
    d = admit(c1, D(2022, 4, 4))
    wrong = record(d, EventKind.TRANSFER, D(2022, 9, 1), from_org=c1, to_org=c3)
    event_reverse(event=wrong, reason="Nhầm", on=D(2022, 9, 5), actor=ACTOR)
    record(d, EventKind.RECOGNITION, D(2023, 4, 4))
    return a, b, c, d


def test_projection_differences_is_empty_after_many_operations(city_tree):
    busy_ledger(city_tree)
    assert projection_differences() == []


def test_projection_differences_reports_a_tampered_member_row(city_tree):
    a, *_ = busy_ledger(city_tree)
    Member.objects.filter(pk=a.pk).update(status=MemberStatus.PROBATIONARY)
    problems = projection_differences()
    assert len(problems) == 1
    assert a.person.full_name in problems[0] and "status" in problems[0]


def test_projection_differences_reports_a_tampered_spell(city_tree):
    _, b, *_ = busy_ledger(city_tree)
    MembershipSpell.objects.filter(member=b).update(valid_from=D(2018, 5, 2))
    problems = projection_differences()
    assert len(problems) == 1 and b.person.full_name in problems[0]
    assert projection_rebuild() == Member.objects.count()
    assert projection_differences() == []


def test_posthumous_badge_after_the_cell_was_merged_names_the_proposing_cell(city_tree):
    # given: a member (admitted 1990, received from elsewhere in 2018) who died in 2024 in cell 1 of ward 1, merged into cell 2 in 2025
    from dangbo.organizations.services import org_merge

    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    m = member_receive(
        person=make_person(born=date(1960, 1, 1)),
        cell=c1,
        on=date(2018, 3, 1),
        status="chinh_thuc",
        admitted_on=date(1990, 5, 1),
        official_on=date(1991, 5, 1),
        actor=ACTOR,
    )
    event_record(member=m, kind=EventKind.DEATH, effective_on=date(2024, 3, 1), actor=ACTOR)
    org_merge(sources=[c1], into=c2, on=date(2025, 7, 1), actor=ACTOR)
    # when: the 30-year badge is conferred posthumously (party age at death: 33 years)
    with pytest.raises(LedgerError, match="Chi bộ đề nghị truy tặng"):
        event_record(
            member=m,
            kind=EventKind.BADGE,
            effective_on=date(2025, 9, 2),
            badge_years=30,
            posthumous=True,
            actor=ACTOR,
        )
    event_record(
        member=m,
        kind=EventKind.BADGE,
        effective_on=date(2025, 9, 2),
        badge_years=30,
        posthumous=True,
        to_org=c2,
        actor=ACTOR,
    )
    # then: the ward counts it, posthumously
    f = membership_figures(city_tree["w1"], date(2025, 1, 1), date(2025, 12, 31))
    assert (f["badges_awarded"], f["badges_posthumous"], f["badges_by_milestone"]) == (
        1,
        1,
        {"30": 1},
    )
