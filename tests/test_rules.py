"""Every rule of the membership rulebook: refused without a decision (citing the regulation in
force on the event's date, writing nothing), accepted with an exception decision that is
recorded together with the rules it waived."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import RuleViolation
from dangbo.core.models import AuditEntry, IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import member_admit, member_receive
from dangbo.membership.models import (
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
)
from tests.conftest import ACTOR, admit, make_person, provincial_decision, record, ward_decision

Q29, Q24, Q232, Q294 = (
    "Quy định 29-QĐ/TW",
    "Quy định 24-QĐ/TW",
    "Quy định 232-QĐ/TW",
    "Quy định 294-QĐ/TW",
)
#: the provincial standing committee's written consent a readmission cites
CONSENT = {"consent": "125-CV/TU"}


# --- helpers -------------------------------------------------------------------------------


def snapshot():
    """Everything a membership write could touch."""
    return (
        MemberEvent.objects.count(),
        list(Member.objects.order_by("pk").values()),
        list(MembershipSpell.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def assert_refused(action, rule: str, regulation: str) -> RuleViolation:
    """`action` raises a RuleViolation naming `rule` and `regulation`, and writes nothing."""
    before = snapshot()
    with pytest.raises(RuleViolation) as caught:
        action()
    err = caught.value
    assert rule in [v.rule for v in err.violations]
    assert all(v.regulation == regulation for v in err.violations)
    assert regulation in err.message
    assert snapshot() == before
    return err


def decision(level: str, number: str = "01-QĐ/NT"):
    return decision_get_or_create(
        number=number, issued_on=date(2020, 1, 1), issuer=f"Cơ quan cấp {level}", issuer_level=level
    )


def official_member(cell, admitted: date, **person):
    """An official member admitted on `admitted`, recognized exactly 12 months later."""
    m = admit(cell, admitted, **person)
    record(m, EventKind.RECOGNITION, admitted.replace(year=admitted.year + 1))
    m.refresh_from_db()
    return m


def veteran(cell, admitted: date, *, born: date = date(1940, 1, 1), on: date = date(2018, 1, 2)):
    """An official member admitted before the system existed, received into `cell` on `on`."""
    return member_receive(
        person=make_person(born=born),
        cell=cell,
        on=on,
        status=MemberStatus.OFFICIAL,
        admitted_on=admitted,
        official_on=admitted.replace(year=admitted.year + 1),
        actor=ACTOR,
    )


def admission_event(member) -> MemberEvent:
    return member.events.get(kind=EventKind.ADMISSION)


# --- admission age -------------------------------------------------------------------------


def test_it_admits_a_person_aged_exactly_18_years_0_months(city_tree):
    m = admit(city_tree["w1c1"], date(2022, 5, 10), born=date(2004, 5, 10))
    assert m.status == MemberStatus.PROBATIONARY
    assert admission_event(m).waived_rules == []


def test_it_rejects_admission_at_17_years_11_months(city_tree):
    person = make_person(born=date(2004, 5, 10))
    err = assert_refused(
        lambda: member_admit(
            person=person, cell=city_tree["w1c1"], on=date(2022, 5, 9), decision=None, actor=ACTOR
        ),
        "tuoi_ket_nap_duoi_18",
        Q24,
    )
    assert "17 tuổi 11 tháng" in err.message
    assert not Member.objects.filter(person=person).exists()


def test_it_counts_the_18th_birthday_of_a_29_february_child_on_28_february(city_tree):
    m = admit(city_tree["w1c1"], date(2022, 2, 28), born=date(2004, 2, 29))
    assert m.status == MemberStatus.PROBATIONARY
    person = make_person(born=date(2004, 2, 29))
    assert_refused(
        lambda: member_admit(
            person=person, cell=city_tree["w1c1"], on=date(2022, 2, 27), decision=None, actor=ACTOR
        ),
        "tuoi_ket_nap_duoi_18",
        Q24,
    )


@pytest.mark.parametrize(
    "on, regulation",
    [
        (date(2019, 3, 1), Q29),
        (date(2022, 3, 1), Q24),
        (date(2025, 3, 1), Q232),
        (date(2025, 8, 1), Q294),
    ],
)
def test_it_cites_the_regulation_in_force_on_the_admission_date(city_tree, on, regulation):
    person = make_person(born=on.replace(year=on.year - 17))
    assert_refused(
        lambda: member_admit(
            person=person, cell=city_tree["w1c1"], on=on, decision=None, actor=ACTOR
        ),
        "tuoi_ket_nap_duoi_18",
        regulation,
    )


def test_it_admits_a_17_year_old_with_an_exception_decision_and_records_the_waiver(city_tree):
    """A wartime admission under 18 is kept when the provincial committee confirmed it."""
    waiver = provincial_decision()
    m = member_admit(
        person=make_person(born=date(2004, 5, 10)),
        cell=city_tree["w1c1"],
        on=date(2022, 5, 9),
        decision=None,
        exception_decision=waiver,
        actor=ACTOR,
    )
    event = admission_event(m)
    assert event.waived_rules == ["tuoi_ket_nap_duoi_18"]
    assert event.exception_decision == waiver
    assert m.status == MemberStatus.PROBATIONARY


@pytest.mark.parametrize("on", [date(2022, 3, 15), date(2022, 4, 14)])
def test_it_admits_a_person_aged_60_years_0_months(city_tree, on):
    m = admit(city_tree["w1c1"], on, born=date(1962, 3, 15))
    assert m.status == MemberStatus.PROBATIONARY
    assert admission_event(m).waived_rules == []


def test_it_rejects_admission_over_60_without_provincial_decision(city_tree):
    person = make_person(born=date(1962, 3, 15))
    err = assert_refused(
        lambda: member_admit(
            person=person, cell=city_tree["w1c1"], on=date(2022, 4, 15), decision=None, actor=ACTOR
        ),
        "tuoi_ket_nap_tren_60",
        Q24,
    )
    assert "60 tuổi 1 tháng" in err.message


@pytest.mark.parametrize(
    "level", [IssuerLevel.CELL, IssuerLevel.BASE, IssuerLevel.COMMUNE, IssuerLevel.DISTRICT]
)
def test_it_rejects_admission_over_60_with_a_lower_level_exception_decision(city_tree, level):
    person = make_person(born=date(1962, 3, 15))
    waiver = decision(level)
    err = assert_refused(
        lambda: member_admit(
            person=person,
            cell=city_tree["w1c1"],
            on=date(2022, 4, 15),
            decision=None,
            exception_decision=waiver,
            actor=ACTOR,
        ),
        "tuoi_ket_nap_tren_60",
        Q24,
    )
    assert "chỉ quyết định của Trung ương hoặc Tỉnh ủy" in err.message
    assert err.field == "exception_decision"


@pytest.mark.parametrize("level", [IssuerLevel.PROVINCIAL, IssuerLevel.CENTRAL])
def test_it_admits_over_60_with_a_provincial_or_central_decision(city_tree, level):
    waiver = decision(level)
    m = member_admit(
        person=make_person(born=date(1962, 3, 15)),
        cell=city_tree["w1c1"],
        on=date(2022, 4, 15),
        decision=None,
        exception_decision=waiver,
        actor=ACTOR,
    )
    event = admission_event(m)
    assert event.waived_rules == ["tuoi_ket_nap_tren_60"]
    assert event.exception_decision == waiver


def test_it_applies_the_age_limit_to_readmission_too(city_tree):
    m = veteran(city_tree["w1c1"], date(2005, 5, 1), born=date(1960, 1, 10))
    record(m, EventKind.REMOVAL, date(2018, 1, 10))
    assert_refused(
        lambda: record(
            m, EventKind.READMISSION, date(2022, 1, 10), to_org=city_tree["w1c2"], details=CONSENT
        ),
        "tuoi_ket_nap_tren_60",
        Q24,
    )
    record(
        m,
        EventKind.READMISSION,
        date(2022, 1, 10),
        to_org=city_tree["w1c2"],
        details=CONSENT,
        exception_decision=provincial_decision(),
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY and m.cell == city_tree["w1c2"]


# --- official recognition: exactly 12 months --------------------------------------------------


def test_it_recognizes_on_the_exact_anniversary_of_a_31_january_admission(city_tree):
    m = admit(city_tree["w1c1"], date(2022, 1, 31))
    event = record(m, EventKind.RECOGNITION, date(2023, 1, 31))
    m.refresh_from_db()
    assert (m.status, m.official_on, event.waived_rules) == (
        MemberStatus.OFFICIAL,
        date(2023, 1, 31),
        [],
    )


@pytest.mark.parametrize("on", [date(2023, 1, 30), date(2023, 2, 1), date(2023, 2, 15)])
def test_it_rejects_an_official_date_other_than_admission_plus_12_months(city_tree, on):
    m = admit(city_tree["w1c1"], date(2022, 1, 31))
    err = assert_refused(lambda: record(m, EventKind.RECOGNITION, on), "ngay_chinh_thuc", Q24)
    assert "31/01/2023" in err.message


def test_it_recognizes_a_29_february_admission_on_28_february(city_tree):
    m = admit(city_tree["w1c1"], date(2020, 2, 29))
    assert_refused(
        lambda: record(m, EventKind.RECOGNITION, date(2021, 3, 1)), "ngay_chinh_thuc", Q29
    )
    record(m, EventKind.RECOGNITION, date(2021, 2, 28))
    m.refresh_from_db()
    assert m.official_on == date(2021, 2, 28)


def test_it_cites_294_for_a_late_recognition_in_august_2025(city_tree):
    m = admit(city_tree["w1c1"], date(2024, 8, 15))
    assert_refused(
        lambda: record(m, EventKind.RECOGNITION, date(2025, 8, 20)), "ngay_chinh_thuc", Q294
    )


def test_it_counts_probation_from_the_readmission_date(city_tree):
    m = veteran(city_tree["w1c1"], date(2010, 5, 1), born=date(1980, 1, 1))
    record(m, EventKind.REMOVAL, date(2019, 3, 1))
    record(m, EventKind.READMISSION, date(2022, 3, 1), to_org=city_tree["w1c1"], details=CONSENT)
    assert_refused(
        lambda: record(m, EventKind.RECOGNITION, date(2023, 2, 28)), "ngay_chinh_thuc", Q24
    )
    record(m, EventKind.RECOGNITION, date(2023, 3, 1))
    m.refresh_from_db()
    assert (m.status, m.official_on) == (MemberStatus.OFFICIAL, date(2023, 3, 1))


def test_it_accepts_a_late_official_date_with_an_exception_decision(city_tree):
    """An old history's recognition date confirmed by the committee that decides it."""
    m = admit(city_tree["w1c1"], date(2022, 1, 31))
    event = record(m, EventKind.RECOGNITION, date(2023, 2, 15), exception_decision=ward_decision())
    assert event.waived_rules == ["ngay_chinh_thuc"]
    m.refresh_from_db()
    assert m.official_on == date(2023, 2, 15)


# --- discipline of probationary members ------------------------------------------------------


@pytest.mark.parametrize("form", ["cach_chuc", "khai_tru"])
def test_it_rejects_dismissal_or_expulsion_of_a_probationary_member(city_tree, form):
    m = admit(city_tree["w1c1"], date(2022, 1, 10))
    assert_refused(
        lambda: record(m, EventKind.DISCIPLINE, date(2022, 6, 1), form=form), "ky_luat_du_bi", Q24
    )


@pytest.mark.parametrize("form", ["khien_trach", "canh_cao"])
def test_it_allows_reprimand_or_warning_of_a_probationary_member(city_tree, form):
    m = admit(city_tree["w1c1"], date(2022, 1, 10))
    event = record(m, EventKind.DISCIPLINE, date(2022, 6, 1), form=form)
    assert event.waived_rules == []
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY


def test_it_allows_expelling_an_official_member(city_tree):
    m = official_member(city_tree["w1c1"], date(2020, 1, 10))
    record(m, EventKind.DISCIPLINE, date(2022, 6, 1), form="khai_tru")
    m.refresh_from_db()
    assert (m.status, m.out_reason) == (MemberStatus.OUT, "khai_tru")


@pytest.mark.parametrize("level", [IssuerLevel.BASE, IssuerLevel.PROVINCIAL, IssuerLevel.CENTRAL])
def test_no_exception_decision_lets_a_probationary_member_be_expelled(city_tree, level):
    """Quy định 24-QĐ/TW: a probationary member is reprimanded or warned, never expelled; no
    regulation lets any level waive it."""
    m = admit(city_tree["w1c1"], date(2022, 1, 10))
    err = assert_refused(
        lambda: record(
            m,
            EventKind.DISCIPLINE,
            date(2022, 6, 1),
            form="khai_tru",
            exception_decision=decision(level),
        ),
        "ky_luat_du_bi",
        Q24,
    )
    assert err.field == "form"
    assert "không có ngoại lệ" in err.message


# --- party cards -----------------------------------------------------------------------------


def test_it_rejects_a_card_for_a_probationary_member(city_tree):
    m = admit(city_tree["w1c1"], date(2025, 2, 10))
    assert_refused(
        lambda: record(m, EventKind.CARD, date(2025, 9, 2), card_number="79000123"),
        "the_dang_vien",
        Q294,
    )


def test_it_issues_a_card_to_an_official_member(city_tree):
    m = official_member(city_tree["w1c1"], date(2021, 2, 10))
    event = record(m, EventKind.CARD, date(2022, 9, 2), card_number=" 79000124 ")
    m.refresh_from_db()
    assert (m.card_number, event.waived_rules) == ("79000124", [])


@pytest.mark.parametrize("level", [IssuerLevel.BASE, IssuerLevel.CENTRAL])
def test_no_exception_decision_issues_a_card_to_a_probationary_member(city_tree, level):
    """Quy định 24-QĐ/TW: cards go to full members only; the refusal names the event kind (the
    member's status is what is wrong), not the exception decision, and says it once."""
    m = admit(city_tree["w1c1"], date(2022, 2, 10))
    err = assert_refused(
        lambda: record(
            m,
            EventKind.CARD,
            date(2022, 9, 2),
            card_number="79000125",
            exception_decision=decision(level),
        ),
        "the_dang_vien",
        Q24,
    )
    assert err.field == "kind"
    assert "đảng viên dự bị" in err.message
    assert err.message.count("phát thẻ đảng viên ngày 02/09/2022") == 1


# --- badges ----------------------------------------------------------------------------------


def test_it_rejects_a_badge_at_a_non_milestone(city_tree):
    m = veteran(city_tree["w1c1"], date(1985, 3, 1), born=date(1960, 1, 1))
    err = assert_refused(
        lambda: record(m, EventKind.BADGE, date(2025, 9, 2), badge_years=35), "moc_huy_hieu", Q294
    )
    assert "không có mốc 35 năm" in err.message


def test_it_rejects_a_30_year_badge_with_party_age_29_years(city_tree):
    m = veteran(city_tree["w1c1"], date(1993, 2, 3), born=date(1970, 1, 1))
    err = assert_refused(
        lambda: record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=30),
        "tuoi_dang_huy_hieu",
        Q24,
    )
    assert "29 năm 0 tháng" in err.message


def test_it_awards_the_30_year_badge_on_the_30th_anniversary(city_tree):
    m = veteran(city_tree["w1c1"], date(1992, 2, 3), born=date(1970, 1, 1))
    event = record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=30)
    m.refresh_from_db()
    assert (m.badges, event.waived_rules) == ([30], [])


def test_it_awards_the_30_year_badge_early_at_29_years_0_months(city_tree):
    m = veteran(city_tree["w1c1"], date(1993, 2, 3), born=date(1970, 1, 1))
    event = record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=30, early=True)
    m.refresh_from_db()
    assert (m.badges, event.early, event.waived_rules) == ([30], True, [])


def test_it_rejects_an_early_30_year_badge_at_28_years_11_months(city_tree):
    m = veteran(city_tree["w1c1"], date(1993, 2, 4), born=date(1970, 1, 1))
    assert_refused(
        lambda: record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=30, early=True),
        "tuoi_dang_huy_hieu",
        Q24,
    )


def test_it_allows_only_12_months_early_for_the_65_year_badge(city_tree):
    early = veteran(city_tree["w1c1"], date(1958, 2, 3), born=date(1935, 1, 1))
    record(early, EventKind.BADGE, date(2022, 2, 3), badge_years=65, early=True)  # 64y0m
    too_early = veteran(city_tree["w1c1"], date(1958, 2, 4), born=date(1935, 1, 1))
    assert_refused(
        lambda: record(too_early, EventKind.BADGE, date(2022, 2, 3), badge_years=65, early=True),
        "tuoi_dang_huy_hieu",
        Q24,
    )


def test_it_allows_24_months_early_for_the_70_year_badge(city_tree):
    m = veteran(city_tree["w1c1"], date(1954, 2, 3), born=date(1930, 1, 1))
    assert_refused(
        lambda: record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=70),
        "tuoi_dang_huy_hieu",
        Q24,
    )
    record(m, EventKind.BADGE, date(2022, 2, 3), badge_years=70, early=True)  # 68y0m
    too_early = veteran(city_tree["w1c1"], date(1954, 2, 4), born=date(1930, 1, 1))
    err = assert_refused(
        lambda: record(too_early, EventKind.BADGE, date(2022, 2, 3), badge_years=70, early=True),
        "tuoi_dang_huy_hieu",
        Q24,
    )
    assert "67 năm 11 tháng" in err.message


def test_it_awards_a_posthumous_badge_by_party_age_at_death(city_tree):
    m = veteran(city_tree["w1c1"], date(1993, 6, 1), born=date(1970, 1, 1))
    record(m, EventKind.DEATH, date(2022, 9, 1))  # 29 years 3 months
    event = record(m, EventKind.BADGE, date(2022, 11, 7), badge_years=30, posthumous=True)
    m.refresh_from_db()
    assert (m.badges, event.posthumous, event.waived_rules) == ([30], True, [])


def test_it_rejects_a_posthumous_badge_when_party_age_at_death_is_short(city_tree):
    m = veteran(city_tree["w1c1"], date(1993, 10, 5), born=date(1970, 1, 1))
    record(m, EventKind.DEATH, date(2022, 9, 1))  # 28 years 10 months; 30 years by the award date
    err = assert_refused(
        lambda: record(m, EventKind.BADGE, date(2023, 11, 7), badge_years=30, posthumous=True),
        "tuoi_dang_huy_hieu",
        Q24,
    )
    assert "28 năm 10 tháng" in err.message


@pytest.mark.parametrize(
    "years, early, posthumous, rule",
    [
        (30, False, False, "tuoi_dang_huy_hieu"),
        (30, True, False, "tuoi_dang_huy_hieu"),
        (30, False, True, "tuoi_dang_huy_hieu"),
    ],
)
def test_only_a_central_decision_awards_a_badge_before_the_party_age(
    city_tree, years, early, posthumous, rule
):
    """The party age of a badge (the Central regulation on badges) is waived by the centre
    only; a ward's exception decision is refused and named as the wrong field."""
    m = veteran(city_tree["w1c1"], date(1995, 6, 1), born=date(1970, 1, 1))
    if posthumous:
        record(m, EventKind.DEATH, date(2022, 9, 1))
    err = assert_refused(
        lambda: record(
            m,
            EventKind.BADGE,
            date(2022, 11, 7),
            badge_years=years,
            early=early,
            posthumous=posthumous,
            exception_decision=ward_decision(),
        ),
        rule,
        Q24,
    )
    assert err.field == "exception_decision"
    event = record(
        m,
        EventKind.BADGE,
        date(2022, 11, 7),
        badge_years=years,
        early=early,
        posthumous=posthumous,
        exception_decision=decision(IssuerLevel.CENTRAL),
    )
    assert event.waived_rules == [rule]
    m.refresh_from_db()
    assert m.badges == [years]


@pytest.mark.parametrize("level", [IssuerLevel.BASE, IssuerLevel.PROVINCIAL, IssuerLevel.CENTRAL])
def test_no_exception_decision_creates_a_35_year_badge(city_tree, level):
    """Quy định 294-QĐ/TW (badge milestones): a milestone that does not exist is refused
    whatever decision is attached."""
    m = veteran(city_tree["w1c1"], date(1985, 3, 1), born=date(1960, 1, 1))
    err = assert_refused(
        lambda: record(
            m,
            EventKind.BADGE,
            date(2025, 9, 2),
            badge_years=35,
            exception_decision=decision(level),
        ),
        "moc_huy_hieu",
        Q294,
    )
    assert err.field == "badge_years"


# --- readmission -----------------------------------------------------------------------------


def removed_member(cell, *, admitted=date(2010, 5, 1), removed=date(2019, 3, 1), form=""):
    m = veteran(cell, admitted, born=date(1980, 1, 1))
    record(m, EventKind.REMOVAL, removed, form=form)
    return m


def readmit(m, on, cell, **details):
    return record(m, EventKind.READMISSION, on, to_org=cell, details={**CONSENT, **details})


def test_it_rejects_readmission_35_months_after_leaving(city_tree):
    m = removed_member(city_tree["w1c1"])
    err = assert_refused(
        lambda: readmit(m, date(2022, 2, 28), city_tree["w1c1"]), "thoi_gian_ket_nap_lai", Q24
    )
    assert "36 tháng" in err.message


def test_it_readmits_36_months_after_leaving_and_keeps_the_earlier_party_age(city_tree):
    m = removed_member(city_tree["w1c1"])
    event = readmit(m, date(2022, 3, 1), city_tree["w1c2"])
    m.refresh_from_db()
    assert event.waived_rules == []
    assert (m.status, m.cell, m.readmissions) == (MemberStatus.PROBATIONARY, city_tree["w1c2"], 1)
    assert (m.admitted_on, m.last_admitted_on) == (date(2010, 5, 1), date(2022, 3, 1))
    assert m.party_anchor == date(2010, 5, 1) + (date(2022, 3, 1) - date(2019, 3, 1))


def test_readmission_after_a_conviction_waits_60_months_from_the_clearing_of_the_record(city_tree):
    """Quy định 24-QĐ/TW: a person convicted of a minor crime is readmitted at least 60 months
    after the criminal record is cleared (xóa án tích), not after leaving."""
    m = removed_member(city_tree["w1c1"], removed=date(2018, 3, 1))
    convicted = {"conviction": True, "record_cleared_on": "2018-06-15"}
    err = assert_refused(
        lambda: readmit(m, date(2021, 9, 1), city_tree["w1c1"], conviction=True),
        "thoi_gian_ket_nap_lai",
        Q24,
    )
    assert err.field == "details.record_cleared_on"
    for on in (date(2022, 3, 1), date(2023, 6, 14)):
        err = assert_refused(
            lambda on=on: readmit(m, on, city_tree["w1c1"], **convicted),
            "thoi_gian_ket_nap_lai",
            Q24,
        )
        assert "15/06/2018" in err.message
    readmit(m, date(2023, 6, 15), city_tree["w1c1"], **convicted)
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY


@pytest.mark.parametrize(
    "leaving, form, details",
    [
        (EventKind.LEAVING, "", {}),
        (EventKind.REMOVAL, "bo_sinh_hoat", {}),
        (
            EventKind.REMOVAL,
            "",
            {"conviction_kind": "tham_nhung", "record_cleared_on": "2016-01-01"},
        ),
        (
            EventKind.REMOVAL,
            "",
            {"conviction_kind": "nghiem_trong", "record_cleared_on": "2016-01-01"},
        ),
    ],
)
@pytest.mark.parametrize("on, regulation", [(date(2021, 6, 1), Q29), (date(2025, 8, 1), Q294)])
def test_no_readmission_after_leaving_not_attending_or_a_corruption_or_serious_crime(
    city_tree, leaving, form, details, on, regulation
):
    """Quy định 29-QĐ/TW … 294-QĐ/TW: those who asked to leave, were removed for not attending,
    or were convicted of corruption or a serious crime are never readmitted, whatever the
    decision attached."""
    m = veteran(city_tree["w1c1"], date(2000, 5, 1), born=date(1975, 1, 1))
    record(m, leaving, date(2018, 3, 1), form=form)
    err = assert_refused(
        lambda: record(
            m,
            EventKind.READMISSION,
            on,
            to_org=city_tree["w1c1"],
            details={**CONSENT, **details},
            exception_decision=decision(IssuerLevel.CENTRAL),
        ),
        "khong_ket_nap_lai",
        regulation,
    )
    assert [v.rule for v in err.violations] == ["khong_ket_nap_lai"]


def test_readmission_needs_the_written_consent_of_the_provincial_standing_committee(city_tree):
    """Quy định 24-QĐ/TW: readmission with the written consent of the provincial standing
    committee; its reference is required and no decision replaces it."""
    m = removed_member(city_tree["w1c1"])
    err = assert_refused(
        lambda: record(
            m,
            EventKind.READMISSION,
            date(2022, 3, 1),
            to_org=city_tree["w1c1"],
            exception_decision=provincial_decision(),
        ),
        "dong_y_ket_nap_lai",
        Q24,
    )
    assert err.field == "details.consent"
    event = readmit(m, date(2022, 3, 1), city_tree["w1c1"])
    assert event.details["consent"] == "125-CV/TU"


def test_it_readmits_only_once(city_tree):
    m = removed_member(city_tree["w1c1"])
    readmit(m, date(2022, 3, 1), city_tree["w1c1"])
    record(m, EventKind.REMOVAL, date(2022, 6, 1))
    err = assert_refused(
        lambda: readmit(m, date(2026, 1, 5), city_tree["w1c1"]), "ket_nap_lai_mot_lan", Q294
    )
    assert [v.rule for v in err.violations] == ["ket_nap_lai_mot_lan"]


def test_only_a_central_decision_readmits_early_or_twice(city_tree):
    """Quy định 24-QĐ/TW: the waiting period and "once only" are waived by the centre only."""
    m = removed_member(city_tree["w1c1"])
    assert_refused(
        lambda: record(
            m,
            EventKind.READMISSION,
            date(2020, 3, 1),
            to_org=city_tree["w1c1"],
            details=CONSENT,
            exception_decision=ward_decision(),
        ),
        "thoi_gian_ket_nap_lai",
        Q29,
    )
    central = decision(IssuerLevel.CENTRAL)
    record(
        m,
        EventKind.READMISSION,
        date(2020, 3, 1),
        to_org=city_tree["w1c1"],
        details=CONSENT,
        exception_decision=central,
    )
    record(m, EventKind.REMOVAL, date(2021, 1, 4))
    event = record(
        m,
        EventKind.READMISSION,
        date(2022, 1, 4),
        to_org=city_tree["w1c1"],
        details=CONSENT,
        exception_decision=central,
    )
    assert sorted(event.waived_rules) == ["ket_nap_lai_mot_lan", "thoi_gian_ket_nap_lai"]
    first = m.events.filter(kind=EventKind.READMISSION).order_by("effective_on").first()
    assert first.waived_rules == ["thoi_gian_ket_nap_lai"]
    m.refresh_from_db()
    assert m.readmissions == 2


# --- temporary transfers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "until, form",
    [
        (date(2022, 6, 10), ""),
        (date(2023, 3, 9), ""),
        (date(2023, 4, 10), "hoc_tap"),
        (date(2024, 3, 10), "hoc_tap"),
    ],
)
def test_it_allows_a_temporary_transfer_of_3_to_under_12_months_or_24_for_study(
    city_tree, until, form
):
    """Quy định 24-QĐ/TW: temporary attendance from 3 months to under 1 year (study: up to
    2 years) — the day before the anniversary is the last one allowed."""
    m = official_member(city_tree["w1c1"], date(2020, 1, 10))
    event = record(
        m,
        EventKind.TEMPORARY_OUT,
        date(2022, 3, 10),
        to_org=city_tree["w2c1"],
        until=until,
        form=form,
    )
    m.refresh_from_db()
    assert (m.host_cell, m.cell, event.waived_rules) == (city_tree["w2c1"], city_tree["w1c1"], [])


@pytest.mark.parametrize(
    "until, form",
    [
        (date(2022, 6, 9), ""),
        (date(2023, 3, 10), ""),
        (date(2023, 3, 11), ""),
        (date(2022, 6, 9), "hoc_tap"),
        (date(2024, 3, 11), "hoc_tap"),
    ],
)
def test_it_rejects_a_temporary_transfer_outside_the_allowed_length(city_tree, until, form):
    """Quy định 24-QĐ/TW: exactly 1 year is not "under 1 year" (not ≤ 12 months)."""
    m = official_member(city_tree["w1c1"], date(2020, 1, 10))
    assert_refused(
        lambda: record(
            m,
            EventKind.TEMPORARY_OUT,
            date(2022, 3, 10),
            to_org=city_tree["w2c1"],
            until=until,
            form=form,
        ),
        "thoi_han_tam_thoi",
        Q24,
    )


def test_no_exception_decision_allows_a_long_temporary_transfer(city_tree):
    """Quy định 24-QĐ/TW: a longer stay is an official transfer; no decision waives it."""
    m = official_member(city_tree["w1c1"], date(2020, 1, 10))
    err = assert_refused(
        lambda: record(
            m,
            EventKind.TEMPORARY_OUT,
            date(2022, 3, 10),
            to_org=city_tree["w2c1"],
            until=date(2023, 9, 10),
            exception_decision=provincial_decision(),
        ),
        "thoi_han_tam_thoi",
        Q24,
    )
    assert err.field == "until"
