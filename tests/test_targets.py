"""Targets (chỉ tiêu): the status rule, revisions by decision, evaluations entered and
computed from the records, late entries, and the report figures.

Expected statuses and percentages are worked out by hand in the comments next to each
case (e.g. 324/41 = 7,9024… → "790,2%"); expected counts come from the hand-made ledgers
and tables in each test, never from the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangbo.congresses.congress import congress_record
from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.grading.services import grading_record_org
from dangbo.membership.admission import member_receive
from dangbo.membership.events import event_reverse
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.organizations.services import term_open
from dangbo.reports.compose import _targets as report_targets
from dangbo.reports.models import ReviewReport
from dangbo.targets import rules
from dangbo.targets.computed import evaluations_compute
from dangbo.targets.figures import target_figures
from dangbo.targets.models import Evaluation, Target, TargetRevision
from dangbo.targets.selectors import evaluation_history, in_force, period_closed
from dangbo.targets.services import (
    evaluation_record,
    target_adopt,
    target_revise,
)
from dangbo.vn_format import DEFAULT_WORDING
from tests.conftest import ACTOR, admit, make_person, ward_decision

D = date
DEC = Decimal
TARGET_KEYS = {
    "name",
    "unit",
    "planned",
    "actual",
    "percent",
    "status",
    "category",
    "computed",
    "revised",
}
H1_2023, Y_2023 = (D(2023, 1, 1), D(2023, 6, 30)), (D(2023, 1, 1), D(2023, 12, 31))


def written() -> tuple[int, int, int, int]:
    return (
        Target.objects.count(),
        TargetRevision.objects.count(),
        Evaluation.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(action, error=InvalidInput, *, field: str | None = None, text: str | None = None):
    """`action` raises `error` (naming `field`, saying `text`) and writes nothing."""
    before = written()
    with pytest.raises(error) as caught:
        action()
    if field is not None:
        assert caught.value.field == field
    if text is not None:
        assert text in caught.value.message
    assert written() == before
    return caught.value


def programme(number="01-CTr/ĐU", on=date(2023, 1, 5)):
    return ward_decision(number, on)


def yearly(
    org,
    name,
    planned,
    *,
    year=2023,
    category="kinh_te_xa_hoi",
    direction="at_least",
    unit="",
    adopted_on=date(2023, 1, 10),
    source=None,
    **kw,
) -> Target:
    return target_adopt(
        org=org,
        source_kind="chuong_trinh_cong_tac",
        source=source or programme(),
        category=category,
        name=name,
        unit=unit,
        direction=direction,
        planned=planned,
        year=year,
        adopted_on=adopted_on,
        actor=ACTOR,
        **kw,
    )


def record(target, kind, period, actual, **kw) -> Evaluation:
    return evaluation_record(
        target=target,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        actual=actual,
        actor=ACTOR,
        **kw,
    )


# --- the status rule ----------------------------------------------------------------------------
STATUS_CASES = [
    # direction, planned, actual, per, status, percent (worked by hand)
    ("at_least", "41", "324", 1, "vuot", "790,2%"),  # 324/41 = 7,90243…
    ("at_least", "40", "40", 1, "dat", "100%"),  # exactly at plan
    ("at_least", "40", "39", 1, "chua_dat", "97,5%"),  # just below
    ("at_least", "40", "41", 1, "vuot", "102,5%"),  # just above
    ("at_least", "40", "39.99", 1, "chua_dat", "100,0%"),  # 99,975 rounds to 100,0 but is below
    ("at_least", "40", "40.01", 1, "vuot", "100,0%"),  # 100,025
    ("at_least", "16", "1", 1, "chua_dat", "6,3%"),  # 6,25 → half up 6,3 (banker's would say 6,2)
    ("at_least", "3", "1", 1, "chua_dat", "33,3%"),
    ("at_least", "0", "0", 1, "dat", "—"),  # zero planned: no percentage
    ("at_least", "0", "1", 1, "vuot", "—"),
    ("at_least", "0", "-1", 1, "chua_dat", "—"),
    ("at_most", "1", "1", 1, "dat", "100%"),  # on the ceiling
    ("at_most", "1", "0.8", 1, "vuot", "125%"),  # under the ceiling: 1/0,8 = 1,25
    ("at_most", "1", "1.2", 1, "chua_dat", "83,3%"),  # 1/1,2 = 0,8333…
    ("at_most", "1", "0.9999", 1, "vuot", "100,0%"),  # just below: 100,010001…
    ("at_most", "1", "1.0001", 1, "chua_dat", "100,0%"),  # just above: 99,990000…
    ("at_most", "1", "0", 1, "vuot", "—"),  # nothing to divide by
    ("at_most", "0", "0", 1, "dat", "—"),  # zero planned
    ("at_most", "0", "1", 1, "chua_dat", "—"),
    ("reach", "100", "100", 1, "dat", "100%"),
    ("reach", "100", "99", 1, "chua_dat", "99%"),
    ("reach", "100", "101", 1, "dat", "101%"),  # past the milestone: đạt, never vượt
    ("reach", "6", "5", 1, "chua_dat", "83,3%"),
    ("reach", "0", "0", 1, "dat", "—"),
    # computed percentages part/whole passed exactly as part × 100 over whole
    ("at_least", "90", "4200", 44, "vuot", "106,1%"),  # 42/44 = 95,45…%; 4200/3960 = 1,0606…
    ("reach", "100", "200", 3, "chua_dat", "66,7%"),  # 2/3
    ("reach", "100", "300", 3, "dat", "100%"),  # 3/3
    ("at_least", "66.6667", "200", 3, "chua_dat", "100,0%"),  # 66,666… < 66,6667 exactly
    ("at_least", "66.6666", "200", 3, "vuot", "100,0%"),
]


@pytest.mark.parametrize(
    ("direction", "planned", "actual", "per", "status", "percent"), STATUS_CASES
)
def test_status_rule(direction, planned, actual, per, status, percent):
    a = rules.assess(direction, DEC(planned), DEC(actual), per)
    assert (a.status, a.percent) == (status, percent)


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("41.0000", "41"),
        ("18700000", "18.700.000"),
        ("1.5000", "1,5"),
        ("100.0000", "100"),
        ("0.0000", "0"),
        ("-2.5", "-2,5"),
        ("1234.5678", "1.234,5678"),
    ],
)
def test_values_print_without_trailing_zeros(value, printed):
    assert rules.format_value(DEC(value)) == printed


def test_computed_percentages_print_by_the_percentage_rule():
    assert rules.format_ratio_percent(42, 44) == "95,5"  # 95,4545…
    assert rules.format_ratio_percent(1, 16) == "6,3"  # 6,25 half up
    assert rules.format_ratio_percent(3, 3) == "100"


# --- adoption ------------------------------------------------------------------------------------
def test_adoption_refusals_name_the_field(city_tree):
    w1 = city_tree["w1"]
    source = programme()
    base = dict(
        org=w1,
        source_kind="chuong_trinh_cong_tac",
        source=source,
        category="kinh_te_xa_hoi",
        name="Thu ngân sách",
        unit="triệu đồng",
        direction="at_least",
        planned=41,
        year=2023,
        adopted_on=D(2023, 1, 10),
        actor=ACTOR,
    )
    refused(lambda: target_adopt(**{**base, "source": None}), field="source", text="văn bản nguồn")
    refused(lambda: target_adopt(**{**base, "year": None}), field="year")
    refused(lambda: target_adopt(**{**base, "source_kind": "nghi_quyet_dai_hoi"}), field="term")
    refused(
        lambda: target_adopt(**{**base, "direction": "nhieu_hon"}),
        field="direction",
        text="chiều đánh giá",
    )
    refused(
        lambda: target_adopt(**{**base, "planned": "1.234,5"}), field="planned", text="kế hoạch"
    )
    refused(lambda: target_adopt(**{**base, "planned": 41.5}), field="planned")
    refused(
        lambda: target_adopt(**{**base, "planned": "0,12345"}),
        field="planned",
        text="tối đa 4 chữ số",
    )
    refused(lambda: target_adopt(**{**base, "name": "  "}), field="name", text="tên chỉ tiêu")
    refused(lambda: target_adopt(**{**base, "adopted_on": D(2023, 1, 4)}), field="adopted_on")
    refused(
        lambda: target_adopt(**{**base, "computed_from": "congresses_held"}),
        field="unit",
        text="«%»",
    )
    other_term = term_open(
        org=city_tree["w2"], label="2020–2025", starts_on=D(2020, 6, 1), actor=ACTOR
    )
    refused(
        lambda: target_adopt(
            **{**base, "source_kind": "nghi_quyet_dai_hoi", "year": None, "term": other_term}
        ),
        field="term",
        text="không phải nhiệm kỳ",
    )

    t = target_adopt(**{**base, "planned": "41,5"})
    assert (t.planned, t.year, t.term) == (DEC("41.5"), 2023, None)
    refused(lambda: target_adopt(**base), DomainError, text="đã có chỉ tiêu «Thu ngân sách»")


def test_a_target_is_never_edited_after_adoption(city_tree):
    t = yearly(city_tree["w1"], "Thu ngân sách", 41)
    t.planned = DEC(50)
    with pytest.raises(DomainError, match="không được sửa"):
        t.save()
    with pytest.raises(DomainError):
        t.delete()
    t.refresh_from_db()
    assert t.planned == DEC(41)


# --- revisions -----------------------------------------------------------------------------------
def test_revisions_are_in_force_from_their_date_and_never_touch_the_target(city_tree):
    t = yearly(
        city_tree["w1"],
        "Trường công lập đạt chuẩn quốc gia",
        6,
        unit="trường",
        direction="reach",
        category="van_hoa_xa_hoi",
    )
    d1 = ward_decision("15-NQ/ĐU", D(2023, 6, 20))
    d2 = ward_decision("22-NQ/ĐU", D(2023, 9, 25))

    # without a decision: refused, nothing written
    refused(
        lambda: target_revise(
            target=t,
            decision=None,
            effective_on=D(2023, 7, 1),
            planned=7,
            reason="Bổ sung trường mới",
            actor=ACTOR,
        ),
        field="decision",
        text="quyết định điều chỉnh",
    )
    # nothing partial: a bad value after a valid decision writes nothing either
    refused(
        lambda: target_revise(
            target=t,
            decision=d1,
            effective_on=D(2023, 7, 1),
            planned="bảy",
            reason="Bổ sung",
            actor=ACTOR,
        ),
        field="planned",
    )
    refused(
        lambda: target_revise(
            target=t, decision=d1, effective_on=D(2023, 7, 1), planned=7, reason=" ", actor=ACTOR
        ),
        field="reason",
    )
    refused(
        lambda: target_revise(
            target=t,
            decision=d1,
            effective_on=D(2023, 6, 1),
            planned=7,
            reason="Bổ sung",
            actor=ACTOR,
        ),
        field="effective_on",
    )  # before the decision
    refused(
        lambda: target_revise(
            target=t,
            decision=d1,
            effective_on=D(2024, 1, 1),
            planned=7,
            reason="Bổ sung",
            actor=ACTOR,
        ),
        field="effective_on",
    )  # after the year
    refused(
        lambda: target_revise(
            target=t,
            decision=d1,
            effective_on=D(2023, 7, 1),
            planned=6,
            reason="Bổ sung",
            actor=ACTOR,
        ),
        text="không thay đổi",
    )

    r1 = target_revise(
        target=t,
        decision=d1,
        effective_on=D(2023, 7, 1),
        planned=7,
        reason="Bổ sung trường mới thành lập",
        actor=ACTOR,
    )
    r2 = target_revise(
        target=t,
        decision=d2,
        effective_on=D(2023, 10, 1),
        planned="8",
        name="Trường công lập đạt chuẩn quốc gia mức độ 1",
        reason="Điều chỉnh",
        actor=ACTOR,
    )
    # recorded later, effective between the two
    r3 = target_revise(
        target=t, decision=d1, effective_on=D(2023, 8, 1), planned=9, reason="Bổ sung", actor=ACTOR
    )
    # two on the same day: the later recorded is in force
    r4 = target_revise(
        target=t, decision=d2, effective_on=D(2023, 10, 1), planned=10, reason="Sửa", actor=ACTOR
    )
    expected = {  # review point → (planned, name, revision)
        D(2023, 6, 30): (DEC(6), "Trường công lập đạt chuẩn quốc gia", None),
        D(2023, 7, 1): (DEC(7), "Trường công lập đạt chuẩn quốc gia", r1),
        D(2023, 7, 31): (DEC(7), "Trường công lập đạt chuẩn quốc gia", r1),
        D(2023, 9, 30): (DEC(9), "Trường công lập đạt chuẩn quốc gia", r3),
        D(2023, 12, 31): (DEC(10), "Trường công lập đạt chuẩn quốc gia mức độ 1", r4),
    }
    for on, (planned, name, revision) in expected.items():
        force = in_force(t, on)
        assert (force.planned, force.name, force.unit, force.revision) == (
            planned,
            name,
            "trường",
            revision,
        ), on
    assert r2.planned == DEC(8) and r2.unit == "trường"  # complete values, unit carried over
    # the original row is unchanged
    t.refresh_from_db()
    assert (t.planned, t.name) == (DEC(6), "Trường công lập đạt chuẩn quốc gia")
    audit = AuditEntry.objects.get(action="target_revise", object_id=str(r1.pk))
    assert (audit.before["planned"], audit.after["planned"]) == ("6", "7")
    with pytest.raises(DomainError):
        r1.save()


# --- evaluations entered by hand -----------------------------------------------------------------
def test_review_point_checks(city_tree):
    w1 = city_tree["w1"]
    t = yearly(w1, "Thu ngân sách", 41)
    refused(lambda: record(t, "giua_nhiem_ky", Y_2023, 300), field="kind", text="Chỉ tiêu năm")
    refused(lambda: record(t, "nam", (D(2024, 1, 1), D(2024, 12, 31)), 300), field="period_end")
    refused(lambda: record(t, "nam", (D(2023, 12, 31), D(2023, 1, 1)), 300), field="period_end")
    refused(lambda: record(t, "nam", Y_2023, "ba trăm"), field="actual")
    term = term_open(org=w1, label="2020–2025", starts_on=D(2020, 6, 1), actor=ACTOR)
    tt = target_adopt(
        org=w1,
        source_kind="nghi_quyet_dai_hoi",
        source=ward_decision("01-NQ/ĐU", D(2020, 6, 3)),
        term=term,
        category="xay_dung_dang",
        name="Tỷ lệ chi bộ trong sạch",
        unit="%",
        direction="at_least",
        planned=80,
        adopted_on=D(2020, 6, 3),
        actor=ACTOR,
    )
    refused(lambda: record(tt, "nam", Y_2023, 85), field="kind", text="Chỉ tiêu nhiệm kỳ")
    refused(
        lambda: record(tt, "giua_nhiem_ky", (D(2019, 1, 1), D(2020, 5, 31)), 85), field="period_end"
    )
    e = record(tt, "giua_nhiem_ky", (D(2020, 6, 1), D(2023, 6, 30)), 85)
    assert (e.computed, e.actual) == (False, DEC(85))


def test_late_entries_are_flagged_and_audited_with_before_and_after(city_tree):
    w1 = city_tree["w1"]
    t = yearly(w1, "Thu ngân sách", 41, unit="triệu đồng")
    first = record(t, "nam", Y_2023, "300")  # 2023 closed long ago
    assert first.late and first.supersedes is None
    audit = AuditEntry.objects.get(object_type="targets.evaluation", object_id=str(first.pk))
    assert audit.action == "evaluation_record_late"
    assert audit.before is None
    assert (audit.after["actual"], audit.after["status"], audit.after["late"]) == (
        "300",
        "vuot",
        True,
    )

    refused(lambda: record(t, "nam", Y_2023, "324"), field="reason", text="lý do ghi lại")
    second = record(t, "nam", Y_2023, "324,0", reason="Số liệu quyết toán")
    assert second.late and second.supersedes == first
    audit = AuditEntry.objects.get(object_type="targets.evaluation", object_id=str(second.pk))
    assert audit.action == "evaluation_record_late"
    assert (audit.before["actual"], audit.after["actual"]) == ("300", "324")
    assert audit.after["percent"] == "790,2%"
    # history kept, the first row untouched
    assert evaluation_history(t, "nam", *Y_2023) == [first, second]
    first.refresh_from_db()
    assert first.actual == DEC(300)
    with pytest.raises(DomainError):
        first.save()
    with pytest.raises(DomainError):
        first.delete()


def test_when_a_period_is_closed(city_tree, settings):
    w1 = city_tree["w1"]
    start, end = D(2023, 1, 1), D(2023, 6, 30)
    assert not period_closed(w1, start, end, on=end)
    assert not period_closed(w1, start, end, on=end + timedelta(days=15))  # default grace 15 days
    assert period_closed(w1, start, end, on=end + timedelta(days=16))
    settings.DANGBO_TARGET_GRACE_DAYS = 0
    assert period_closed(w1, start, end, on=end + timedelta(days=1))
    settings.DANGBO_TARGET_GRACE_DAYS = 15
    # an issued review report of that organization and period closes it at once
    ReviewReport.objects.create(
        org=w1,
        kind="6_thang",
        period_code="2023-H1",
        period_start=start,
        period_end=end,
        status="du_thao",
        created_by=ACTOR,
    )
    assert not period_closed(w1, start, end, on=end)
    ReviewReport.objects.create(
        org=city_tree["w2"],
        kind="6_thang",
        period_code="2023-H1",
        period_start=start,
        period_end=end,
        status="ban_hanh",
        created_by=ACTOR,
    )
    assert not period_closed(w1, start, end, on=end)  # another organization's report
    ReviewReport.objects.create(
        org=w1,
        kind="6_thang",
        period_code="2023-H1",
        period_start=start,
        period_end=end,
        status="ban_hanh",
        created_by=ACTOR,
    )
    assert period_closed(w1, start, end, on=end)


def test_an_entry_in_an_open_period_is_not_late_until_its_report_is_issued(city_tree):
    w1 = city_tree["w1"]
    year = timezone.localdate().year
    period = (D(year, 1, 1), D(year, 12, 31))  # ends on or after today: open
    t = yearly(
        w1,
        "Thu ngân sách",
        41,
        year=year,
        adopted_on=D(year, 1, 10),
        source=programme(on=D(year, 1, 5)),
    )
    e = record(t, "nam", period, 40)
    assert not e.late
    assert (
        AuditEntry.objects.get(object_type="targets.evaluation", object_id=str(e.pk)).action
        == "evaluation_record"
    )
    ReviewReport.objects.create(
        org=w1,
        kind="nam",
        period_code=str(year),
        period_start=period[0],
        period_end=period[1],
        status="ban_hanh",
        created_by=ACTOR,
    )
    corrected = record(t, "nam", period, 42, reason="Bổ sung số liệu sau khi ban hành báo cáo")
    assert corrected.late
    audit = AuditEntry.objects.get(object_type="targets.evaluation", object_id=str(corrected.pk))
    assert audit.action == "evaluation_record_late"
    assert (audit.before["status"], audit.after["status"]) == ("chua_dat", "vuot")


# --- computed targets ----------------------------------------------------------------------------
@pytest.fixture
def ward_ledger(city_tree):
    """Admissions around ward 1 (w1c1, w1c2) and ward 2, counted by hand:

    w1c1 31/12/2022 (before 2023)       w1c1 1/3/2023     w1c1 10/5/2023
    w1c1 15/6/2023 (reversed: wrong)    w1c2 20/8/2023    w1c2 1/1/2024 (after)
    w2c1 1/4/2023 (other ward)          w1c2 1/2/2023 transfer in from outside (not an admission)

    Ward 1, admissions in 2023: H1 → 2 (1/3, 10/5); 9 months → 3 (+20/8); year → 3.
    """
    t = city_tree
    for cell, on in (
        ("w1c1", D(2022, 12, 31)),
        ("w1c1", D(2023, 3, 1)),
        ("w1c1", D(2023, 5, 10)),
        ("w1c2", D(2023, 8, 20)),
        ("w1c2", D(2024, 1, 1)),
        ("w2c1", D(2023, 4, 1)),
    ):
        admit(t[cell], on)
    wrong = admit(t["w1c1"], D(2023, 6, 15))
    event_reverse(
        event=MemberEvent.objects.get(member=wrong, kind=EventKind.ADMISSION),
        reason="Ghi nhầm",
        on=D(2023, 6, 20),
        actor=ACTOR,
    )
    member_receive(
        person=make_person(),
        cell=t["w1c2"],
        on=D(2023, 2, 1),
        status="chinh_thuc",
        admitted_on=D(2010, 5, 1),
        official_on=D(2011, 5, 1),
        actor=ACTOR,
    )
    return t


def test_admissions_against_the_admission_target(ward_ledger):
    w1 = ward_ledger["w1"]
    t = yearly(
        w1,
        "Kết nạp đảng viên mới",
        3,
        unit="đảng viên",
        category="xay_dung_dang",
        computed_from="admitted",
    )
    refused(lambda: record(t, "6_thang", H1_2023, 2), DomainError, text="tính tự động")

    h1 = evaluations_compute(org=w1, kind="6_thang", start=H1_2023[0], end=H1_2023[1])
    [e] = h1.recorded
    assert (e.actual, e.computed, e.late, e.actual_whole) == (DEC(2), True, True, None)
    assert (e.basis["admitted"], e.basis["readmitted"]) == (2, 0)
    n9 = evaluations_compute(org=w1, kind="9_thang", start=D(2023, 1, 1), end=D(2023, 9, 30))
    year = evaluations_compute(org=w1, kind="nam", start=Y_2023[0], end=Y_2023[1])
    assert (n9.recorded[0].actual, year.recorded[0].actual) == (DEC(3), DEC(3))
    # a term-review kind does not concern a yearly target
    assert (
        evaluations_compute(
            org=w1, kind="giua_nhiem_ky", start=D(2020, 1, 1), end=D(2023, 12, 31)
        ).recorded
        == []
    )

    figures = target_figures(w1, *H1_2023)
    assert figures["targets"] == [
        {
            "name": "Kết nạp đảng viên mới",
            "unit": "đảng viên",
            "planned": 3,
            "actual": 2,
            "percent": 66.7,
            "status": "chua_dat",
            "category": "xay_dung_dang",
            "computed": True,
            "revised": False,
        }
    ]
    assert target_figures(w1, *Y_2023)["targets"][0]["status"] == "dat"  # 3/3 → "100%"

    # computing again writes nothing; a record added later supersedes with the new value
    again = evaluations_compute(org=w1, kind="6_thang", start=H1_2023[0], end=H1_2023[1])
    assert (again.recorded, [x.pk for x in again.unchanged]) == ([], [e.pk])
    admit(ward_ledger["w1c2"], D(2023, 4, 2))
    redo = evaluations_compute(org=w1, kind="6_thang", start=H1_2023[0], end=H1_2023[1])
    [e2] = redo.recorded
    assert (e2.actual, e2.supersedes, e2.reason) == (DEC(3), e, "Tính lại từ số liệu")
    assert evaluation_history(t, "6_thang", *H1_2023) == [e, e2]
    assert target_figures(w1, *H1_2023)["targets"][0]["status"] == "dat"


def test_a_term_target_is_computed_over_its_window(city_tree):
    """Ward 2's term 2020–2025 opens 1/6/2020. Admissions in ward 2: 1/12/2019 (before the
    term), 1/5/2021, 11/11/2022, 1/3/2023 (after the mid-term point) → mid-term count 2."""
    w2 = city_tree["w2"]
    for cell, on in (
        ("w2c1", D(2019, 12, 1)),
        ("w2c1", D(2021, 5, 1)),
        ("w2c2", D(2022, 11, 11)),
        ("w2c2", D(2023, 3, 1)),
    ):
        admit(city_tree[cell], on)
    term = term_open(org=w2, label="2020–2025", starts_on=D(2020, 6, 1), actor=ACTOR)
    t = target_adopt(
        org=w2,
        source_kind="nghi_quyet_dai_hoi",
        source=ward_decision("01-NQ/ĐU", D(2020, 6, 3)),
        term=term,
        category="xay_dung_dang",
        name="Kết nạp đảng viên trong nhiệm kỳ",
        unit="đảng viên",
        direction="at_least",
        planned=5,
        adopted_on=D(2020, 6, 3),
        computed_from="admitted",
        actor=ACTOR,
    )
    assert (
        evaluations_compute(org=w2, kind="nam", start=D(2022, 1, 1), end=D(2022, 12, 31)).recorded
        == []
    )
    # review period from 1/1/2020: clipped to the term, which starts 1/6/2020
    result = evaluations_compute(
        org=w2, kind="giua_nhiem_ky", start=D(2020, 1, 1), end=D(2022, 12, 31)
    )
    [e] = result.recorded
    assert (e.target, e.actual, e.basis["from"], e.basis["to"]) == (
        t,
        DEC(2),
        "2020-06-01",
        "2022-12-31",
    )
    row = target_figures(w2, D(2022, 1, 1), D(2022, 12, 31))["targets"][0]
    assert (row["actual"], row["percent"], row["status"]) == (2, 40, "chua_dat")


def test_base_organizations_graded_good_or_better(city_tree):
    city = city_tree["city"]
    t = yearly(
        city,
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        90,
        year=2024,
        unit="%",
        category="xay_dung_dang",
        computed_from="base_orgs_good_or_better",
        adopted_on=D(2024, 1, 10),
        source=ward_decision("02-CTr/TU", D(2024, 1, 5)),
    )
    # two base organizations under the city: ward 1 good, ward 2 completed → 1/2 = 50%
    grading_record_org(
        org=city_tree["w1"],
        year=2024,
        graded_on=D(2024, 12, 15),
        grade="tot",
        decision=None,
        actor=ACTOR,
    )
    grading_record_org(
        org=city_tree["w2"],
        year=2024,
        graded_on=D(2024, 12, 15),
        grade="hoan_thanh",
        decision=None,
        actor=ACTOR,
    )
    half = evaluations_compute(org=city, kind="6_thang", start=D(2024, 1, 1), end=D(2024, 6, 30))
    assert half.recorded == [] and [(x, "năm đánh giá" in why) for x, why in half.skipped] == [
        (t, True)
    ]
    [e] = evaluations_compute(
        org=city, kind="nam", start=D(2024, 1, 1), end=D(2024, 12, 31)
    ).recorded
    assert (e.actual_part, e.actual_whole, e.actual, e.basis["year"]) == (1, 2, DEC(50), 2024)
    row = target_figures(city, D(2024, 1, 1), D(2024, 12, 31))["targets"][0]
    # 50% against at least 90%: 50/90 = 55,55…%
    assert (row["unit"], row["actual"], row["percent"], row["status"]) == (
        "%",
        50,
        55.6,
        "chua_dat",
    )


def test_cells_that_held_their_congress(city_tree):
    """Ward 1's cells both have the term 2020–2022; in 2022 cell 1 holds its congress
    (10/4), cell 2 not yet → 1 held of 2 due = 50%; after cell 2's congress (5/5) 2/2."""
    w1, c1, c2 = city_tree["w1"], city_tree["w1c1"], city_tree["w1c2"]
    for cell in (c1, c2):
        term_open(org=cell, label="2020–2022", starts_on=D(2020, 3, 1), actor=ACTOR)
    t = yearly(
        w1,
        "Chi bộ trực thuộc tổ chức đại hội nhiệm kỳ 2022–2025",
        100,
        year=2022,
        unit="%",
        direction="reach",
        category="xay_dung_dang",
        computed_from="congresses_held",
        adopted_on=D(2022, 1, 10),
        source=ward_decision("03-CTr/ĐU", D(2022, 1, 5)),
    )
    congress_record(
        org=c1,
        kind="all_member",
        starts_on=D(2022, 4, 10),
        summoned=5,
        present=5,
        term_label="2022–2025",
        actor=ACTOR,
    )
    year = (D(2022, 1, 1), D(2022, 12, 31))
    [e1] = evaluations_compute(org=w1, kind="nam", start=year[0], end=year[1]).recorded
    assert (e1.actual_part, e1.actual_whole) == (1, 2)
    row = target_figures(w1, *year)["targets"][0]
    assert (row["actual"], row["percent"], row["status"]) == (50, 50, "chua_dat")
    congress_record(
        org=c2,
        kind="all_member",
        starts_on=D(2022, 5, 5),
        summoned=7,
        present=7,
        term_label="2022–2025",
        actor=ACTOR,
    )
    [e2] = evaluations_compute(org=w1, kind="nam", start=year[0], end=year[1]).recorded
    assert (e2.actual_part, e2.actual_whole, e2.supersedes) == (2, 2, e1)
    row = target_figures(w1, *year)["targets"][0]
    assert (row["actual"], row["percent"], row["status"]) == (100, 100, "dat")
    assert evaluation_history(t, "nam", *year) == [e1, e2]


# --- figures -------------------------------------------------------------------------------------
def test_target_figures_against_a_hand_made_table(ward_ledger):
    """Ward 1's 2023 work programme (all adopted 10/1/2023 except T5, adopted 5/1):

    T1 kinh tế   Thu ngân sách ≥ 41 triệu      H1 20 (48,78% chưa đạt)   year 324 (790,2% vượt)
    T2 XD Đảng   Kết nạp ≥ 3 (computed)        H1 2 (66,7% chưa đạt)     year 3 (100% đạt)
    T3 VH-XH     Hộ nghèo ≤ 1%                  H1 1,2 (83,3% chưa đạt)   year 0,8 (125% vượt)
    T4 QP-AN     Tuyển quân đạt mốc 100%        —                         year 100 (100% đạt)
    T5 XD Đảng   Trường đạt chuẩn, mốc 6 → 7 from 1/7 by decision
                                                 H1 5/6 (83,3% chưa đạt)   year 6/7 (85,7% chưa đạt, revised)
    T6 kinh tế   Thu nhập ≥ 60 triệu            H1 62,5 (104,2% vượt)     —
    T7 khác      BHYT ≥ 95%                     —                         year 94, corrected 96 (101,1% vượt)
    Ward 2's target (not counted): Thu ngân sách ≥ 10, year 5.

    Year: T1 vượt, T2 đạt, T3 vượt, T4 đạt, T5 chưa đạt, T6 vượt (its H1 value is its latest),
    T7 vượt → 7 targets, 4 vượt, 2 đạt, 1 chưa đạt, "6/7".
    H1: T1, T2, T3, T5 chưa đạt, T6 vượt → 5 targets, 1 vượt, 0 đạt, 4 chưa đạt, "1/5".
    """
    w1 = ward_ledger["w1"]
    t1 = yearly(w1, "Thu ngân sách", 41, unit="triệu đồng")
    t2 = yearly(
        w1,
        "Kết nạp đảng viên mới",
        3,
        unit="đảng viên",
        category="xay_dung_dang",
        computed_from="admitted",
    )
    t3 = yearly(w1, "Tỷ lệ hộ nghèo", 1, unit="%", direction="at_most", category="van_hoa_xa_hoi")
    t4 = yearly(
        w1,
        "Hoàn thành chỉ tiêu tuyển quân",
        100,
        unit="%",
        direction="reach",
        category="quoc_phong_an_ninh",
    )
    t5 = yearly(
        w1,
        "Trường công lập đạt chuẩn quốc gia",
        6,
        unit="trường",
        direction="reach",
        category="xay_dung_dang",
        adopted_on=D(2023, 1, 5),
    )
    t6 = yearly(w1, "Thu nhập bình quân đầu người", 60, unit="triệu đồng")
    t7 = yearly(w1, "Tỷ lệ tham gia bảo hiểm y tế", 95, unit="%", category="khac")
    other = yearly(ward_ledger["w2"], "Thu ngân sách", 10, unit="triệu đồng")
    target_revise(
        target=t5,
        decision=ward_decision("15-NQ/ĐU", D(2023, 6, 20)),
        effective_on=D(2023, 7, 1),
        planned=7,
        reason="Bổ sung trường mới thành lập",
        actor=ACTOR,
    )
    for target, h1, year in (
        (t1, "20", "324"),
        (t3, "1,2", "0,8"),
        (t4, None, "100"),
        (t5, "5", "6"),
        (t6, "62,5", None),
        (t7, None, "94"),
        (other, None, "5"),
    ):
        if h1 is not None:
            record(target, "6_thang", H1_2023, h1)
        if year is not None:
            record(target, "nam", Y_2023, year)
    record(t7, "nam", Y_2023, "96", reason="Số liệu của Bảo hiểm xã hội")
    evaluations_compute(org=w1, kind="6_thang", start=H1_2023[0], end=H1_2023[1])
    evaluations_compute(org=w1, kind="nam", start=Y_2023[0], end=Y_2023[1])
    assert t2.evaluations.count() == 2

    def row(name, unit, planned, actual, percent, status, category, computed=False, revised=False):
        return {
            "name": name,
            "unit": unit,
            "planned": planned,
            "actual": actual,
            "percent": percent,
            "status": status,
            "category": category,
            "computed": computed,
            "revised": revised,
        }

    year = target_figures(w1, *Y_2023)
    assert year["targets"] == [
        row(
            "Trường công lập đạt chuẩn quốc gia",
            "trường",
            7,
            6,
            85.7,
            "chua_dat",
            "xay_dung_dang",
            revised=True,
        ),
        row(
            "Kết nạp đảng viên mới",
            "đảng viên",
            3,
            3,
            100,
            "dat",
            "xay_dung_dang",
            computed=True,
        ),
        row("Thu ngân sách", "triệu đồng", 41, 324, 790.2, "vuot", "kinh_te_xa_hoi"),
        row(
            "Thu nhập bình quân đầu người",
            "triệu đồng",
            60,
            62.5,
            104.2,
            "vuot",
            "kinh_te_xa_hoi",
        ),
        row("Hoàn thành chỉ tiêu tuyển quân", "%", 100, 100, 100, "dat", "quoc_phong_an_ninh"),
        row("Tỷ lệ hộ nghèo", "%", 1, 0.8, 125, "vuot", "van_hoa_xa_hoi"),
        row("Tỷ lệ tham gia bảo hiểm y tế", "%", 95, 96, 101.1, "vuot", "khac"),
    ]
    assert {k: v for k, v in year.items() if k != "targets"} == {
        "targets_total": 7,
        "targets_exceeded": 4,
        "targets_achieved": 2,
        "targets_not_achieved": 1,
        "targets_summary": 85.7,  # 6/7
        "targets_adopted": 0,  # nothing adopted for a later year
        "targets_adopted_by_category": {},
    }

    half = target_figures(w1, *H1_2023)
    assert [
        (r["name"], r["planned"], r["actual"], r["percent"], r["status"], r["revised"])
        for r in half["targets"]
    ] == [
        ("Trường công lập đạt chuẩn quốc gia", 6, 5, 83.3, "chua_dat", False),
        ("Kết nạp đảng viên mới", 3, 2, 66.7, "chua_dat", False),
        ("Thu ngân sách", 41, 20, 48.8, "chua_dat", False),
        ("Thu nhập bình quân đầu người", 60, 62.5, 104.2, "vuot", False),
        ("Tỷ lệ hộ nghèo", 1, 1.2, 83.3, "chua_dat", False),
    ]
    assert (
        half["targets_total"],
        half["targets_exceeded"],
        half["targets_achieved"],
        half["targets_not_achieved"],
        half["targets_summary"],
    ) == (5, 1, 0, 4, 20)  # 1/5

    # nothing evaluated: zero counts, no share (0/0)
    empty = target_figures(w1, D(2022, 1, 1), D(2022, 12, 31))
    assert (empty["targets_total"], empty["targets_summary"], empty["targets"]) == (0, None, [])

    # the report's table takes the rows as they are
    for r in year["targets"]:
        assert set(r) == TARGET_KEYS
    paragraph, table = report_targets(
        SimpleNamespace(targets=year.targets, wording=DEFAULT_WORDING)
    )
    assert paragraph.text == "Thực hiện đạt và vượt 6/7 chỉ tiêu."
    assert table.rows[2] == ("3", "Thu ngân sách", "triệu đồng", "41", "324", "790,2%", "Vượt")
