"""Opening balance (nhập sổ): an office starting with dangbo records its existing members as
of an opening date, one ``nhap_so`` event each.

The fixture, counted by hand: the city tree of conftest (all organizations founded
1/1/2018); opening date 1/1/2024; ward 1 cell 1 opens with An (official, admitted
3/2/1990, recognized 3/2/1991, card 12345678, 30-year badge), Bình (official, woman) and
Cường (probationary, admitted 1/9/2023); ward 1 cell 2 opens with Dũng (official). In 2024:
Hà admitted into cell 1 on 1/3, Dũng dies on 1/6, Cường recognized on 1/9.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from dangbo.core.errors import LedgerError, RuleViolation
from dangbo.figures import membership_figures, opened_on
from dangbo.interchange.reader import InterchangeInvalid
from dangbo.membership.error_codes import MembershipRule
from dangbo.membership.models import EventKind, MemberEvent, MemberStatus
from dangbo.membership.opening import member_open
from dangbo.membership.projection import projection_differences
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.builder import compute_review
from dangbo.reports.compose import compose_review
from dangbo.reports.services import report_draft
from dangbo.reports.verification import verify
from dangbo.rulebook import rules_on
from tests.conftest import ACTOR, admit, make_person, record, run
from tests.test_interchange import export_text, import_text, jsonl, lines_of, wipe

OPENING = date(2024, 1, 1)
PERIODS = [
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2024, 1, 1), date(2024, 6, 30)),
    (date(2024, 1, 1), date(2024, 12, 31)),
]


def open_member(cell, *, status=MemberStatus.OFFICIAL, admitted=date(2000, 5, 19), **kw):
    person = make_person(gender=kw.pop("gender", "nam"))
    official = kw.pop("official", date(admitted.year + 1, admitted.month, admitted.day))
    return member_open(
        person=person,
        cell=cell,
        on=kw.pop("on", OPENING),
        status=status,
        admitted_on=admitted,
        official_on=official if status == MemberStatus.OFFICIAL else None,
        actor=ACTOR,
        **kw,
    )


@pytest.fixture
def opened(city_tree):
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    an = open_member(
        c1,
        admitted=date(1990, 2, 3),
        official=date(1991, 2, 3),
        card_number="12345678",
        badges=[30],
    )
    binh = open_member(c1, gender="nu")
    cuong = open_member(c1, status=MemberStatus.PROBATIONARY, admitted=date(2023, 9, 1))
    dung = open_member(c2)
    ha = admit(c1, date(2024, 3, 1))
    record(dung, EventKind.DEATH, date(2024, 6, 1))
    record(cuong, EventKind.RECOGNITION, date(2024, 9, 1))
    return {**city_tree, "an": an, "binh": binh, "cuong": cuong, "dung": dung, "ha": ha}


def test_opened_members_are_stock_not_inflows(opened):
    """REPORTS §1 identity: the opening balance is the stock on the eve of the opening date;
    an opening event is no inflow of any kind (not transferred in in the opening year)."""
    f = membership_figures(opened["w1"], date(2024, 1, 1), date(2024, 12, 31))
    assert f.available and f.not_available_before is None
    # hand count: 4 opened; + Hà admitted; − Dũng died; Cường recognized
    assert (f.members_start, f.official_start, f.probationary_start, f.women_start) == (4, 3, 1, 1)
    assert (f.admitted, f.transferred_in, f.readmitted, f.reorganized_in) == (1, 0, 0, 0)
    # end: An, Bình, Cường (recognized) official; Hà probationary
    assert (f.died, f.recognized_official, f.members_end, f.official_end) == (1, 1, 4, 3)
    assert "nhap_so" not in json.dumps(f.to_dict())
    # the city counts the same members, and its opening date is the ward's
    city = membership_figures(opened["city"], date(2024, 1, 1), date(2024, 6, 30))
    assert (city.members_start, city.transferred_in, city.members_end) == (4, 0, 4)
    assert opened_on(opened["city"]) == opened_on(opened["w1c2"]) == OPENING
    assert opened_on(opened["w2"]) is None  # ward 2 opened nobody


def test_the_opening_carries_party_age_card_and_badges(opened):
    """Charter art. 6 (party age from the admission date) and the badge milestones of the
    rule set in force: the standing rides on the opening event."""
    an = opened["an"]
    assert (an.status, an.admitted_on, an.official_on) == (
        MemberStatus.OFFICIAL,
        date(1990, 2, 3),
        date(1991, 2, 3),
    )
    assert an.card_number == "12345678" and an.badges == [30]
    assert an.party_age_months(OPENING) == 33 * 12 + 10
    # a second 30-year badge is refused: the opening already carries it
    with pytest.raises(LedgerError, match="đã nhận Huy hiệu 30"):
        record(an, EventKind.BADGE, date(2025, 2, 3), badge_years=30)


def test_figures_of_a_period_starting_before_the_opening_date_are_not_available(opened):
    f = membership_figures(opened["w1"], date(2023, 7, 1), date(2024, 6, 30))
    assert not f.available and f.not_available_before == OPENING
    assert f.to_dict()["not_available_before"] == "2024-01-01"
    # the table says so instead of printing zeros
    code, out, _ = run("stats", "P1", "--period", "2023")
    assert code == 0
    assert "Chưa có số liệu trước ngày nhập sổ 01/01/2024" in out
    assert "Đối chiếu" not in out and "Đảng viên" not in out.split("\n", 2)[2]
    # JSON: the opening date, every membership figure null
    code, out, _ = run("stats", "P1", "--period", "2023", "--format", "json")
    data = json.loads(out)
    assert data["not_available_before"] == "2024-01-01"
    assert data["members_start"] is None and data["admitted"] is None
    assert data["breakdowns"] is None
    # a period starting on the opening date has its figures
    code, out, _ = run("stats", "P1", "--period", "2024", "--format", "json")
    data = json.loads(out)
    assert "not_available_before" not in data and data["members_start"] == 4


def test_the_report_marks_the_figures_not_available(opened):
    report = report_draft(org=opened["w1"], period_code="2023", actor=ACTOR, save=False)
    data = compute_review(report)
    text = "\n".join(
        getattr(b, "text", "") for b in compose_review(data).body if hasattr(b, "text")
    )
    assert "Chưa có số liệu trước ngày nhập sổ 01/01/2024" in text
    assert "Tính đến" not in text  # no membership sentence made of zeros
    report = report_draft(org=opened["w1"], period_code="2024", actor=ACTOR, save=False)
    text = "\n".join(getattr(b, "text", "") for b in compose_review(compute_review(report)).body)
    assert "Chưa có số liệu" not in text and "Tính đến" in text


def test_verify_is_clean_and_skips_periods_before_the_opening(opened):
    report = verify(today=date(2024, 12, 31))
    assert report.failures == []
    assert report.checked["before_opening"] > 0
    code, out, _ = run("verify", "--on", "2024-12-31")
    assert code == 0, out
    assert "kỳ bắt đầu trước ngày nhập sổ không có số liệu để đối chiếu" in out


def test_the_opening_is_the_first_event_of_a_member(opened):
    """Nothing of an opened member is recorded before the opening date; an opening after
    other events is refused (full history or opening balance, not both)."""
    with pytest.raises(LedgerError, match="không phải đảng viên vào ngày đó"):
        record(opened["binh"], EventKind.CARD, date(2023, 5, 1), card_number="999")
    with pytest.raises(LedgerError, match="Nhập sổ phải là sự kiện đầu tiên"):
        record(opened["binh"], EventKind.ADMISSION, date(2023, 5, 1), to_org=opened["w1c1"])
    with pytest.raises(LedgerError, match="Nhập sổ phải là sự kiện đầu tiên"):
        member_open(
            person=opened["ha"].person, cell=opened["w1c1"], on=date(2024, 6, 1),
            status=MemberStatus.PROBATIONARY, admitted_on=date(2024, 3, 1), actor=ACTOR,
        )  # fmt: skip
    # after the opening date every event is allowed as usual
    record(opened["binh"], EventKind.CARD, date(2024, 5, 1), card_number="999")


def test_the_opening_cell_exists_on_the_eve_and_dates_are_not_after_the_opening(city_tree):
    from dangbo.organizations.services import org_found
    from tests.conftest import kind

    new_cell = org_found(
        kind=kind("chi_bo"), name="Chi bộ mới", code="P1-C9", parent=city_tree["w1"],
        on=OPENING, actor=ACTOR,
    )  # fmt: skip
    with pytest.raises(LedgerError, match="phải có trong cây tổ chức từ ngày 31/12/2023"):
        open_member(new_cell)
    with pytest.raises(LedgerError, match="sau ngày nhập sổ") as exc:
        open_member(city_tree["w1c1"], admitted=date(2024, 2, 1), official=date(2024, 3, 1))
    assert exc.value.field == "details.admitted_on"
    with pytest.raises(LedgerError) as exc:
        open_member(city_tree["w1c1"], official=date(2024, 2, 1))
    assert exc.value.field == "details.official_on"
    assert not MemberEvent.objects.filter(kind=EventKind.OPENING).exists()


def test_opening_badges_follow_the_milestones_of_the_rule_set_in_force(city_tree):
    """Quy định thi hành Điều lệ (rule set in force on the opening date): badges only at the
    milestones, and only when the party age reaches the milestone (early award margin)."""
    regulation = rules_on(OPENING).code
    with pytest.raises(RuleViolation) as exc:
        open_member(city_tree["w1c1"], admitted=date(1980, 1, 1), badges=[35])
    (v,) = exc.value.violations
    assert (v.rule, v.regulation) == (MembershipRule.MOC_HUY_HIEU, regulation)
    with pytest.raises(RuleViolation) as exc:
        open_member(city_tree["w1c1"], admitted=date(2000, 1, 1), badges=[30])
    (v,) = exc.value.violations
    assert (v.rule, v.regulation) == (MembershipRule.TUOI_DANG_HUY_HIEU, regulation)


def test_openings_survive_the_interchange_round_trip(opened):
    """docs/interchange.md: an opening is an ``event`` of kind ``nhap_so`` with its standing
    in ``details``; the import folds it with the services' own checks."""
    first = export_text()
    assert '"kind": "nhap_so"' in first or '"kind":"nhap_so"' in first
    before = [membership_figures(opened["w1"], s, e) for s, e in PERIODS]
    wipe()
    import_text(first)
    assert export_text() == first
    ward = org_resolve("P1")  # the import chooses new ids
    assert [membership_figures(ward, s, e) for s, e in PERIODS] == before
    assert projection_differences() == []


def test_an_imported_opening_that_breaks_a_rule_is_refused_on_its_line(opened):
    """The import carries the service's rule and regulation (badge milestones of the rule
    set in force on the opening date)."""
    records = lines_of(export_text())
    for r in records:
        if r.get("kind") == EventKind.OPENING and r["details"].get("badges") == [30]:
            r["details"]["badges"] = [35]
            line = records.index(r) + 1
    wipe()
    with pytest.raises(InterchangeInvalid) as caught:
        import_text(jsonl(records))
    (error,) = caught.value.errors
    assert (error.line, error.rule) == (line, MembershipRule.MOC_HUY_HIEU)
    assert error.regulation == rules_on(OPENING).code


def test_an_opened_probationary_member_carries_no_card(city_tree):
    """Quy định thi hành Điều lệ: the party card is issued to full members only."""
    with pytest.raises(RuleViolation) as exc:
        open_member(
            city_tree["w1c1"],
            status=MemberStatus.PROBATIONARY,
            admitted=date(2023, 9, 1),
            card_number="11112222",
        )
    (v,) = exc.value.violations
    assert (v.rule, v.regulation) == (MembershipRule.THE_DANG_VIEN, rules_on(OPENING).code)
