"""Admission as the Charter writes it: the probation runs 12 months from the ceremony the cell
holds (Charter art. 5), the age 18–60 is measured when the cell considers the candidate,
party age still runs from the decision; a posthumous badge at most 12 months early for
every milestone; refusals that name the wrong field once, without repeating their prefix."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import LedgerError, RuleViolation
from dangbo.core.models import IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import candidate_advance, candidate_create, member_admit
from dangbo.membership.agenda import recognitions_due
from dangbo.membership.models import CandidateStage, EventKind, MemberEvent, MemberStatus
from dangbo.membership.projection import projection_differences
from tests.conftest import (
    ACTOR,
    admit,
    make_person,
    provincial_decision,
    receive,
    record,
    ward_decision,
)
from tests.test_interchange import GOOD, errors_of, import_text, jsonl, with_line

Q24, Q294 = "Quy định 24-QĐ/TW", "Quy định 294-QĐ/TW"


def admitted(cell, on: date, *, ceremony: date | None = None, considered: date | None = None, **p):
    return member_admit(
        person=make_person(**p),
        cell=cell,
        on=on,
        decision=None,
        ceremony_on=ceremony,
        considered_on=considered,
        actor=ACTOR,
    )


def refused(action) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        action()
    return caught.value


# --- item 1: 12 months from the ceremony ---------------------------------------------------------


def test_probation_runs_12_months_from_the_admission_ceremony_charter_art_5(city_tree):
    """Charter art. 5 (Quy định 24-QĐ/TW): the probation is 12 months from the day the cell
    holds the admission ceremony, not from the decision; party age runs from the decision."""
    m = admitted(city_tree["w1c1"], date(2022, 3, 1), ceremony=date(2022, 3, 25))
    assert (m.admitted_on, m.party_anchor, m.probation_from) == (
        date(2022, 3, 1),
        date(2022, 3, 1),
        date(2022, 3, 25),
    )
    err = refused(lambda: record(m, EventKind.RECOGNITION, date(2023, 3, 1)))
    assert [(v.rule, v.regulation) for v in err.violations] == [("ngay_chinh_thuc", Q24)]
    assert "25/03/2023" in err.message and "lễ kết nạp ngày 25/03/2022" in err.message
    assert err.field == "effective_on"
    record(m, EventKind.RECOGNITION, date(2023, 3, 25))
    m.refresh_from_db()
    assert (m.status, m.official_on, m.party_anchor) == (
        MemberStatus.OFFICIAL,
        date(2023, 3, 25),
        date(2022, 3, 1),
    )
    assert m.party_age_months(date(2024, 3, 1)) == 24  # from the decision, not the ceremony
    assert projection_differences() == []


def test_recognition_decided_late_keeps_the_exact_end_of_the_probation(city_tree):
    """Quy định 294-QĐ/TW: the recognition takes effect on ceremony + 12 months even when the
    committee decides it weeks later."""
    m = admitted(city_tree["w1c1"], date(2024, 8, 5), ceremony=date(2024, 9, 2))
    late = decision_get_or_create(
        number="77-QĐ/ĐU", issued_on=date(2025, 10, 20), issuer="Đảng ủy phường", issuer_level="xa"
    )
    err = refused(lambda: record(m, EventKind.RECOGNITION, date(2025, 10, 20), decision=late))
    assert err.violations[0].regulation == Q294
    event = record(m, EventKind.RECOGNITION, date(2025, 9, 2), decision=late)
    assert (event.effective_on, event.waived_rules) == (date(2025, 9, 2), [])


def test_a_history_without_a_ceremony_counts_the_probation_from_the_decision(city_tree):
    """Old histories do not record the ceremony: the probation falls back to the decision."""
    m = admit(city_tree["w1c1"], date(2022, 3, 1))
    assert m.probation_from == date(2022, 3, 1)
    record(m, EventKind.RECOGNITION, date(2023, 3, 1))
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL


def test_the_ceremony_is_not_before_the_decision(city_tree):
    person = make_person()
    with pytest.raises(LedgerError) as caught:
        member_admit(
            person=person,
            cell=city_tree["w1c1"],
            on=date(2022, 3, 1),
            decision=None,
            ceremony_on=date(2022, 2, 20),
            actor=ACTOR,
        )
    assert caught.value.field == "details.ceremony_on"
    assert caught.value.message.count("kết nạp ngày 01/03/2022") == 1


def test_the_ceremony_within_30_working_days_of_the_decision(city_tree):
    """Quy định 24-QĐ/TW: the cell holds the ceremony within 30 working days of the decision;
    a later one is kept only with a committee's decision."""
    on = date(2022, 3, 1)  # a Tuesday: 30 working days end on 12/4/2022
    err = refused(lambda: admitted(city_tree["w1c1"], on, ceremony=date(2022, 4, 13)))
    assert [(v.rule, v.regulation) for v in err.violations] == [("ngay_le_ket_nap", Q24)]
    assert err.field == "details.ceremony_on"
    admitted(city_tree["w1c1"], on, ceremony=date(2022, 4, 12))
    m = member_admit(
        person=make_person(),
        cell=city_tree["w1c1"],
        on=on,
        decision=None,
        ceremony_on=date(2022, 4, 13),
        exception_decision=ward_decision(),
        actor=ACTOR,
    )
    assert m.events.get().waived_rules == ["ngay_le_ket_nap"]


def test_recognitions_due_count_from_the_ceremony(city_tree):
    """The home page lists the recognition on the day the ledger will require it."""
    c = city_tree["w1c1"]
    a = admitted(c, date(2023, 6, 1), ceremony=date(2023, 6, 28))
    b = admitted(c, date(2023, 6, 1))
    due = recognitions_due(city_tree["w1"].pk, on=date(2024, 6, 10))
    assert [(r.member_id, r.due_on) for r in due] == [
        (b.pk, date(2024, 6, 1)),
        (a.pk, date(2024, 6, 28)),
    ]
    assert [r.probation_from for r in due] == [date(2023, 6, 1), date(2023, 6, 28)]


def test_a_probationary_member_received_from_outside_counts_from_their_ceremony(city_tree):
    from dangbo.membership.admission import member_receive

    m = member_receive(
        person=make_person(),
        cell=city_tree["w1c1"],
        on=date(2023, 1, 5),
        status=MemberStatus.PROBATIONARY,
        admitted_on=date(2022, 10, 3),
        ceremony_on=date(2022, 10, 28),
        actor=ACTOR,
    )
    assert m.probation_from == date(2022, 10, 28)
    refused(lambda: record(m, EventKind.RECOGNITION, date(2023, 10, 3)))
    record(m, EventKind.RECOGNITION, date(2023, 10, 28))


def test_the_ceremony_date_is_imported_and_exported_in_the_event_details(db):
    """Interchange: `details.ceremony_on` of an admission; the recognition follows it."""
    text = with_line(7, {"details": {"ceremony_on": "2019-03-20"}})
    assert errors_of(text) == [(8, "effective_on")]  # recognized 12 months after the decision
    records = [dict(r) for r in GOOD]
    records[6] = {**records[6], "details": {"ceremony_on": "2019-03-20"}}
    records[7] = {**records[7], "effective_on": "2020-03-20"}
    import_text(jsonl(records))
    event = MemberEvent.objects.get(kind=EventKind.ADMISSION)
    assert event.details == {"ceremony_on": "2019-03-20"}
    assert event.member.probation_from == date(2019, 3, 20)


def test_a_ceremony_that_is_not_a_date_is_refused_on_its_field(db):
    text = with_line(7, {"details": {"ceremony_on": "20/03/2019"}})
    assert errors_of(text) == [(7, "details.ceremony_on")]


# --- item 2: age when the cell considers the candidate ------------------------------------------


def test_admission_age_is_measured_when_the_cell_considers_the_candidate(city_tree):
    """Quy định 24-QĐ/TW: age 18–60 on the day the cell's meeting considers the candidate, not
    on the decision date."""
    c = city_tree["w1c1"]
    # 59 years 11 months when the cell considered, 60 years 1 month at the decision: admitted
    m = admitted(c, date(2022, 4, 20), considered=date(2022, 3, 10), born=date(1962, 3, 15))
    assert m.events.get().waived_rules == []
    # 17 years 11 months when the cell considered, 18 at the decision: refused
    err = refused(
        lambda: admitted(c, date(2022, 5, 20), considered=date(2022, 5, 1), born=date(2004, 5, 10))
    )
    assert [(v.rule, v.regulation) for v in err.violations] == [("tuoi_ket_nap_duoi_18", Q24)]
    assert err.field == "details.considered_on"
    assert "17 tuổi 11 tháng vào ngày 01/05/2022 (ngày chi bộ xét)" in err.message


def test_a_candidates_age_is_read_on_the_cell_resolution_of_the_pipeline(city_tree):
    c = city_tree["w1c1"]
    candidate = candidate_create(
        person=make_person(born=date(1962, 3, 15)), cell=c, on=date(2021, 6, 1), actor=ACTOR
    )
    sponsor = receive(c, date(2019, 1, 1), admitted=date(2000, 1, 1))
    steps = [
        (CandidateStage.TRAINED, date(2021, 7, 1), {}),
        (CandidateStage.SPONSORED, date(2021, 8, 1), {"sponsor": sponsor}),
        (CandidateStage.VERIFIED, date(2021, 10, 1), {}),
        (CandidateStage.DOSSIER, date(2021, 12, 1), {}),
        (CandidateStage.CELL_RESOLUTION, date(2022, 3, 10), {}),
        (CandidateStage.COMMITTEE_RESOLUTION, date(2022, 3, 25), {}),
    ]
    for stage, on, extra in steps:
        candidate_advance(candidate=candidate, stage=stage, on=on, actor=ACTOR, **extra)
    m = member_admit(candidate=candidate, cell=c, on=date(2022, 4, 20), decision=None, actor=ACTOR)
    event = m.events.get()
    assert event.details["considered_on"] == "2022-03-10"
    assert event.waived_rules == []
    # the cell holds the ceremony: the admission now records it, the probation runs from it
    candidate_advance(
        candidate=candidate, stage=CandidateStage.CEREMONY, on=date(2022, 5, 19), actor=ACTOR
    )
    m.refresh_from_db()
    live = m.events.filter(reversed_by__isnull=True).exclude(kind=EventKind.REVERSAL).get()
    assert (live.kind, live.effective_on, live.details) == (
        EventKind.ADMISSION,
        date(2022, 4, 20),
        {"considered_on": "2022-03-10", "ceremony_on": "2022-05-19"},
    )
    assert (m.admitted_on, m.probation_from) == (date(2022, 4, 20), date(2022, 5, 19))
    record(m, EventKind.RECOGNITION, date(2023, 5, 19))
    assert projection_differences() == []


def test_the_cell_considers_before_the_decision(city_tree):
    with pytest.raises(LedgerError) as caught:
        admitted(city_tree["w1c1"], date(2022, 3, 1), considered=date(2022, 3, 2))
    assert caught.value.field == "details.considered_on"


# --- item 5: posthumous badges, at most 12 months early for every milestone -------------------


def _dead_veteran(cell, admitted_on: date, died: date):
    m = receive(cell, date(2019, 1, 1), admitted=admitted_on, born=date(1915, 1, 1))
    record(m, EventKind.DEATH, died)
    return m


@pytest.mark.parametrize("years", [30, 70, 90])
def test_a_posthumous_badge_is_at_most_12_months_early_for_every_milestone(city_tree, years):
    """Quy định 294-QĐ/TW (badges): a posthumous award may come 12 months before the milestone
    — for 70 years and more too (the 24 months are for the seriously ill, not the dead)."""
    died = date(2025, 8, 1)
    short = _dead_veteran(city_tree["w1c1"], date(died.year - years + 1, 9, 1), died)
    err = refused(
        lambda: record(
            short,
            EventKind.BADGE,
            date(2025, 9, 2),
            badge_years=years,
            posthumous=True,
            to_org=city_tree["w1c1"],
        )
    )
    assert [(v.rule, v.regulation) for v in err.violations] == [("tuoi_dang_huy_hieu", Q294)]
    assert f"là {years - 2} năm 11 tháng" in err.message
    ok = _dead_veteran(city_tree["w1c1"], date(died.year - years + 1, 8, 1), died)
    event = record(
        ok,
        EventKind.BADGE,
        date(2025, 9, 2),
        badge_years=years,
        posthumous=True,
        to_org=city_tree["w1c1"],
    )
    assert event.waived_rules == []


def test_the_seriously_ill_may_still_have_a_70_year_badge_24_months_early(city_tree):
    m = receive(
        city_tree["w1c1"], date(2019, 1, 1), admitted=date(1957, 9, 1), born=date(1930, 1, 1)
    )
    event = record(m, EventKind.BADGE, date(2025, 9, 2), badge_years=70, early=True)
    assert event.waived_rules == []


# --- item 13: one prefix, the wrong field -------------------------------------------------------


def test_a_ledger_refusal_names_the_member_and_the_event_once(city_tree):
    m = admit(city_tree["w1c1"], date(2022, 3, 1))
    record(m, EventKind.DEATH, date(2022, 6, 1))
    with pytest.raises(LedgerError) as caught:
        record(m, EventKind.EXEMPTION, date(2022, 9, 2))
    message = caught.value.message
    assert message.count("miễn công tác và sinh hoạt đảng ngày 02/09/2022") == 1, message
    assert message.count(":") == 1, message
    assert caught.value.field == "kind"


def test_an_insufficient_exception_decision_is_the_field_named(city_tree):
    """Over 60 with a ward's decision: the rule could be waived by the province, so what is
    wrong is the exception decision attached."""
    with pytest.raises(RuleViolation) as caught:
        member_admit(
            person=make_person(born=date(1950, 1, 1)),
            cell=city_tree["w1c1"],
            on=date(2022, 3, 1),
            decision=None,
            exception_decision=ward_decision(),
            actor=ACTOR,
        )
    assert caught.value.field == "exception_decision"
    m = member_admit(
        person=make_person(born=date(1950, 1, 1)),
        cell=city_tree["w1c1"],
        on=date(2022, 3, 1),
        decision=None,
        exception_decision=provincial_decision(),
        actor=ACTOR,
    )
    assert m.events.get().waived_rules == ["tuoi_ket_nap_tren_60"]
    assert m.events.get().exception_decision.issuer_level == IssuerLevel.PROVINCIAL


def test_a_refusal_names_its_regulation_once_before_the_rules_it_breaks(city_tree):
    """Two rules of Quy định 294-QĐ/TW refuse a readmission: the regulation is named once."""
    m = receive(city_tree["w1c1"], date(2019, 1, 1), admitted=date(2000, 1, 1))
    record(m, EventKind.LEAVING, date(2020, 3, 1))
    err = refused(
        lambda: record(m, EventKind.READMISSION, date(2025, 8, 1), to_org=city_tree["w1c1"])
    )
    assert [v.rule for v in err.violations] == ["khong_ket_nap_lai", "dong_y_ket_nap_lai"]
    assert err.message.count(Q294) == 1, err.message
    assert err.field == "kind"
