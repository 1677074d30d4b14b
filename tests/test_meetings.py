"""Meetings, follow-up tasks, cell-meeting figures and the news draft, on a ward built by hand.

The ward `w1` of the city tree (see `ward` below) is small enough to count on paper: every
expected figure in this file was counted from the fixture's docstring and the tables of
cell meetings, not read from the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.meetings import services as mt
from dangbo.meetings.models import Meeting, MeetingPerson, MeetingRole, Task, TaskReview, TaskStatus
from dangbo.meetings.news import news_draft
from dangbo.meetings.selectors import cell_meeting_figures, open_tasks, review_period
from dangbo.organizations.services import org_move, term_open
from tests.conftest import ACTOR, make_person
from tests.fixtures.meetings import (
    HUONG_TITLES,
    guests,
    plain_meeting,
    record_cell_meetings,
)

D = date


@pytest.fixture
def ward(meeting_ward):
    """Ward 1 of `tests.fixtures.meetings.meeting_ward` (see its docstring for the ledger)."""
    return meeting_ward


# --- recording ---------------------------------------------------------------------------------
def test_meeting_recorded_with_guests_titles_items_and_conclusion(ward):
    w1 = ward["w1"]
    phong = make_person(name="Phạm Duy Phong")
    people = guests()
    people[2] = {"role": MeetingRole.CHAIR, "person": phong, "titles": ["Bí thư Đảng ủy phường"]}
    m = mt.meeting_record(
        org=w1,
        kind="so_ket_6_thang",
        held_on=D(2023, 7, 5),
        session="chieu",
        people=people,
        items=[
            {"kind": "bao_cao", "title": "Báo cáo sơ kết", "presenter": "Lê Thị Mai"},
            {"kind": "tham_luan", "title": "Tham luận A", "presenter": "Chi bộ TDP 1"},
        ],
        speakers_count=11,
        conclusion="các chi bộ tiếp tục cố gắng",
        concluded_by=phong,
        actor=ACTOR,
    )
    rows = list(
        MeetingPerson.objects.filter(meeting=m).values_list("role", "name", "titles", "person_id")
    )
    assert rows == [
        ("khach_moi", "Đinh Thị Thu Hương", ["Thường vụ Quận ủy", "Phó Chủ tịch UBND quận"], None),
        ("khach_moi", "Trần Văn Nam", ["Phó Trưởng Ban Tổ chức Quận ủy"], None),
        (
            "chu_tri",
            "Phạm Duy Phong",
            ["Bí thư Đảng ủy phường"],
            phong.pk,
        ),  # name taken from the person
        ("trinh_bay", "Lê Thị Mai", ["Phó Bí thư Thường trực Đảng ủy phường"], None),
    ]
    assert [(i.kind, i.title, i.order) for i in m.items.all()] == [
        ("bao_cao", "Báo cáo sơ kết", 1),
        ("tham_luan", "Tham luận A", 2),
    ]
    m.refresh_from_db()
    assert (m.concluded_by.name, m.concluded_by.role) == ("Phạm Duy Phong", "chu_tri")
    assert m.speakers_count == 11
    entry = AuditEntry.objects.get(action="meeting_record", object_id=str(m.pk))
    assert entry.after["people"][0]["titles"] == HUONG_TITLES


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"people": [{"role": "boss", "name": "A"}]}, "people[1].role"),
        ({"people": [{"role": "du", "name": "  "}]}, "people[1].name"),
        ({"people": [{"role": "du", "name": "A", "titles": "Bí thư"}]}, "people[1].titles"),
        ({"people": [{"role": "du", "name": "A"}, {"role": "du", "name": "a"}]}, "people[2].name"),
        ({"items": [{"kind": "tham_luan", "title": ""}]}, "items[1].title"),
        ({"people": [{"role": "du", "name": "A"}], "concluded_by": "B"}, "concluded_by"),
        ({"kind": "so_ket_6_thang", "number": 3}, "number"),
        ({"kind": "sinh_hoat_chi_bo"}, "org"),  # a ward is not a cell
        ({"kind": "hop"}, "kind"),
        ({"present": 30, "members_expected": 20}, "present"),
        ({"session": "dem"}, "session"),
    ],
)
def test_meeting_record_refusals_name_the_field_and_write_nothing(ward, kwargs, field):
    args = {"org": ward["w1"], "kind": "chuyen_de", "held_on": D(2023, 7, 5), **kwargs}
    with pytest.raises(InvalidInput) as caught:
        mt.meeting_record(actor=ACTOR, **args)
    assert caught.value.field == field
    assert caught.value.message.strip()
    assert Meeting.objects.count() == 0 and MeetingPerson.objects.count() == 0


def test_meeting_refused_before_the_organization_exists(ward):
    with pytest.raises(InvalidInput) as caught:
        plain_meeting(ward["w1"], D(2017, 5, 1))
    assert caught.value.field == "org" and "1/5/2017" in caught.value.message


def test_plenum_numbers_are_unique_within_a_term(ward):
    w1 = ward["w1"]
    term_open(org=w1, label="2020–2025", starts_on=D(2020, 8, 1), actor=ACTOR)
    plain_meeting(w1, D(2023, 3, 1), kind="hoi_nghi_bch", number=12)
    with pytest.raises(DomainError) as caught:
        plain_meeting(w1, D(2023, 4, 1), kind="hoi_nghi_bch", number=12)
    assert "lần thứ 12" in caught.value.message and "1/3/2023" in caught.value.message
    plain_meeting(w1, D(2023, 4, 1), kind="btv", number=12)  # the standing committee counts apart
    term_open(org=w1, label="2025–2030", starts_on=D(2025, 8, 1), actor=ACTOR)
    plain_meeting(w1, D(2025, 9, 1), kind="hoi_nghi_bch", number=12)  # a new term starts again


# --- tasks -------------------------------------------------------------------------------------
@pytest.fixture
def tasks(ward):
    w1 = ward["w1"]
    earlier = plain_meeting(w1, D(2023, 6, 1), kind="btv")
    setting = plain_meeting(w1, D(2023, 7, 5), kind="so_ket_6_thang")
    t1 = mt.task_add(
        meeting=setting,
        text="Rà soát, bổ sung hồ sơ đảng viên",
        owner="Văn phòng Đảng ủy",
        deadline=D(2023, 9, 30),
        actor=ACTOR,
    )
    t2 = mt.task_add(
        meeting=setting,
        text="Hoàn thiện hồ sơ kết nạp quần chúng ưu tú",
        owner_org=ward["w1c1"],
        deadline=D(2023, 12, 31),
        actor=ACTOR,
    )
    t3 = mt.task_add(meeting=setting, text="Tổ chức học tập chuyên đề năm 2023", actor=ACTOR)
    later = plain_meeting(w1, D(2023, 10, 10), kind="so_ket_9_thang")
    last = plain_meeting(w1, D(2024, 1, 10), kind="tong_ket_nam")
    return {
        "earlier": earlier,
        "setting": setting,
        "later": later,
        "last": last,
        "t1": t1,
        "t2": t2,
        "t3": t3,
    }


def test_task_add_checks(ward, tasks):
    with pytest.raises(InvalidInput) as caught:
        mt.task_add(meeting=tasks["setting"], text=" ", actor=ACTOR)
    assert caught.value.field == "text"
    with pytest.raises(InvalidInput) as caught:
        mt.task_add(meeting=tasks["setting"], text="Việc", deadline=D(2023, 7, 1), actor=ACTOR)
    assert caught.value.field == "deadline"
    assert [t.order for t in Task.objects.filter(meeting=tasks["setting"])] == [1, 2, 3]


def test_task_review_only_at_a_later_meeting_and_done_closes_it(ward, tasks):
    t1, t2, t3 = tasks["t1"], tasks["t2"], tasks["t3"]
    for meeting in (tasks["earlier"], tasks["setting"]):  # before, and at, the setting meeting
        with pytest.raises(DomainError) as caught:
            mt.task_review(task=t1, meeting=meeting, status="hoan_thanh", actor=ACTOR)
        assert caught.value.code == "danh_gia_truoc_khi_giao"
    other = plain_meeting(ward["w2"], D(2023, 10, 10))
    with pytest.raises(DomainError) as caught:
        mt.task_review(task=t1, meeting=other, status="hoan_thanh", actor=ACTOR)
    assert caught.value.code == "sai_to_chuc"
    with pytest.raises(InvalidInput) as caught:
        mt.task_review(task=t3, meeting=tasks["later"], status="dung_thuc_hien", actor=ACTOR)
    assert caught.value.field == "note"
    assert TaskReview.objects.count() == 0

    mt.task_review(
        task=t1, meeting=tasks["later"], status="dang_thuc_hien", note="Còn 2 chi bộ", actor=ACTOR
    )
    mt.task_review(task=t2, meeting=tasks["later"], status="hoan_thanh", actor=ACTOR)
    t1.refresh_from_db()
    t2.refresh_from_db()
    assert (t1.status, t1.closed_on) == (TaskStatus.OPEN, None)
    assert (t2.status, t2.closed_on) == (TaskStatus.DONE, D(2023, 10, 10))
    with pytest.raises(DomainError) as caught:  # closed: not reviewed again
        mt.task_review(task=t2, meeting=tasks["last"], status="dang_thuc_hien", actor=ACTOR)
    assert caught.value.code == "nhiem_vu_da_dong"
    with pytest.raises(DomainError) as caught:  # the same meeting twice
        mt.task_review(task=t1, meeting=tasks["later"], status="hoan_thanh", actor=ACTOR)
    assert caught.value.code == "danh_gia_khong_theo_thu_tu"
    mt.task_review(task=t1, meeting=tasks["last"], status="hoan_thanh", actor=ACTOR)
    mt.task_review(
        task=t3, meeting=tasks["last"], status="dung_thuc_hien", note="Đã lồng ghép", actor=ACTOR
    )
    assert list(Task.objects.order_by("order").values_list("status", "closed_on")) == [
        ("hoan_thanh", D(2024, 1, 10)),
        ("hoan_thanh", D(2023, 10, 10)),
        ("dung_thuc_hien", D(2024, 1, 10)),
    ]
    assert AuditEntry.objects.filter(action="task_review").count() == 4  # t1 twice, t2, t3


def test_open_tasks_shape_and_content_over_time(ward, tasks):
    w1 = ward["w1"]
    mt.task_review(task=tasks["t2"], meeting=tasks["later"], status="hoan_thanh", actor=ACTOR)
    mt.task_review(task=tasks["t1"], meeting=tasks["last"], status="hoan_thanh", actor=ACTOR)
    t1 = {
        "task": "Rà soát, bổ sung hồ sơ đảng viên",
        "owner": "Văn phòng Đảng ủy",
        "deadline": D(2023, 9, 30),
    }
    t2 = {
        "task": "Hoàn thiện hồ sơ kết nạp quần chúng ưu tú",
        "owner": "Chi bộ TDP 1 phường 1",
        "deadline": D(2023, 12, 31),
    }
    t3 = {"task": "Tổ chức học tập chuyên đề năm 2023", "owner": "", "deadline": None}
    assert open_tasks(w1, D(2023, 7, 4)) == []
    assert open_tasks(w1, D(2023, 7, 5)) == [
        {**t1, "overdue": False},
        {**t2, "overdue": False},
        {**t3, "overdue": False},
    ]
    assert open_tasks(w1, D(2023, 10, 9)) == [
        {**t1, "overdue": True},
        {**t2, "overdue": False},
        {**t3, "overdue": False},
    ]
    assert open_tasks(w1, D(2023, 10, 10)) == [{**t1, "overdue": True}, {**t3, "overdue": False}]
    assert open_tasks(w1, D(2024, 1, 10)) == [{**t3, "overdue": False}]
    assert open_tasks(ward["w2"], D(2024, 1, 10)) == []
    assert open_tasks(ward["city"], D(2024, 1, 10)) == []  # tasks of the ward's own meetings only


# --- cell meetings -----------------------------------------------------------------------------
def test_cell_meeting_attendance_checks(ward):
    c1 = ward["w1c1"]
    with pytest.raises(InvalidInput) as caught:  # 5 members on 10/1/2023
        mt.cell_meeting_record(cell=c1, held_on=D(2023, 1, 10), present=6, speakers=1, actor=ACTOR)
    assert (
        caught.value.field == "present"
        and "(6)" in caught.value.message
        and "(5)" in caught.value.message
    )
    with pytest.raises(InvalidInput) as caught:
        mt.cell_meeting_record(cell=c1, held_on=D(2023, 1, 10), present=4, speakers=5, actor=ACTOR)
    assert caught.value.field == "speakers"
    assert Meeting.objects.count() == 0
    m = mt.cell_meeting_record(cell=c1, held_on=D(2023, 1, 10), present=4, speakers=4, actor=ACTOR)
    assert (m.kind, m.members_expected, m.present, m.speakers_count) == (
        "sinh_hoat_chi_bo",
        5,
        4,
        4,
    )
    with pytest.raises(DomainError) as caught:
        mt.cell_meeting_record(cell=c1, held_on=D(2023, 1, 25), present=4, speakers=1, actor=ACTOR)
    assert caught.value.code == "trung_sinh_hoat_chi_bo"
    # an explicit figure overrides the default (e.g. members attending temporarily counted in)
    m = mt.cell_meeting_record(
        cell=c1, held_on=D(2023, 2, 10), present=7, speakers=2, members_expected=7, actor=ACTOR
    )
    assert m.members_expected == 7


def test_cell_meeting_figures_against_hand_counts(ward, django_assert_num_queries):
    record_cell_meetings(ward)
    start, end = D(2023, 1, 1), D(2023, 6, 30)
    with django_assert_num_queries(3):
        cell_meeting_figures(ward["city"], start, end)
    # w1: 11 meetings; expected 39 + 17 = 56, present 36 + 15 = 51, speakers 17 + 7 = 24;
    # 51/56 = 91,07…% ; 24/51 = 47,05…% ; only w1c1 met every month
    assert cell_meeting_figures(ward["w1"], start, end) == {
        "from": "2023-01-01",
        "to": "2023-06-30",
        "meetings": 11,
        "expected": 56,
        "present": 51,
        "speakers": 24,
        "attendance": "91,1%",
        "speaking": "47,1%",
        "cells_alive": 2,
        "cells_every_month": 1,
        "cells_ratio": "1/2",
    }
    city = cell_meeting_figures(ward["city"], start, end)
    assert (city["meetings"], city["cells_alive"], city["cells_every_month"]) == (11, 4, 1)
    c2 = cell_meeting_figures(ward["w1c2"], start, end)  # 15/17 = 88,23…%, 7/15 = 46,66…%
    assert (c2["meetings"], c2["attendance"], c2["speaking"], c2["cells_ratio"]) == (
        5,
        "88,2%",
        "46,7%",
        "0/1",
    )
    empty = cell_meeting_figures(ward["w2"], start, end)
    assert (empty["meetings"], empty["attendance"], empty["cells_ratio"]) == (0, "—", "0/2")
    # Q1 only: both cells met in January, February and March
    q1 = cell_meeting_figures(ward["w1"], D(2023, 1, 1), D(2023, 3, 31))
    assert (q1["meetings"], q1["expected"], q1["present"], q1["cells_ratio"]) == (6, 26, 24, "2/2")


def test_cell_meeting_figures_follow_the_tree_on_each_meeting_date(ward):
    record_cell_meetings(ward)
    org_move(org=ward["w1c2"], parent=ward["w2"], on=D(2023, 5, 1), actor=ACTOR)
    start, end = D(2023, 1, 1), D(2023, 6, 30)
    # w1 keeps w1c2's meetings of January–April: expected 39 + 13, present 36 + 12, speakers 17 + 6
    w1 = cell_meeting_figures(ward["w1"], start, end)
    assert (w1["meetings"], w1["expected"], w1["present"], w1["speakers"]) == (10, 52, 48, 23)
    assert (w1["attendance"], w1["speaking"], w1["cells_ratio"]) == ("92,3%", "47,9%", "1/1")
    # w2 gets the June meeting; w1c2 was its cell for all of May and June and skipped May
    w2 = cell_meeting_figures(ward["w2"], start, end)
    assert (w2["meetings"], w2["attendance"], w2["speaking"], w2["cells_ratio"]) == (
        1,
        "75%",
        "33,3%",
        "0/3",
    )


# --- review period and the news draft -----------------------------------------------------------
def test_review_period_from_kind_and_date(ward):
    w1 = ward["w1"]
    term_open(org=w1, label="2020–2025", starts_on=D(2020, 8, 1), actor=ACTOR)
    cases = [
        ("so_ket_6_thang", D(2023, 7, 5), (D(2023, 1, 1), D(2023, 6, 30))),
        ("so_ket_9_thang", D(2023, 10, 12), (D(2023, 1, 1), D(2023, 9, 30))),
        ("tong_ket_nam", D(2023, 12, 20), (D(2023, 1, 1), D(2023, 12, 31))),
        ("tong_ket_nam", D(2024, 1, 15), (D(2023, 1, 1), D(2023, 12, 31))),
        ("so_ket_giua_nhiem_ky", D(2023, 3, 2), (D(2020, 8, 1), D(2023, 2, 28))),
        ("chuyen_de", D(2023, 3, 3), None),
    ]
    for kind, on, expected in cases:
        assert review_period(plain_meeting(w1, on, kind=kind)) == expected, kind


def test_news_draft_of_a_review_conference(conference):
    text = news_draft(conference)
    print(text)
    expected = [
        "Chiều ngày 5/7/2023, tại Hội trường Đảng ủy phường, Đảng ủy phường 1 tổ chức Hội nghị sơ kết "
        "công tác xây dựng Đảng 6 tháng đầu năm 2023, triển khai nhiệm vụ 6 tháng cuối năm.",
        "Dự hội nghị có đồng chí Đinh Thị Thu Hương, Thường vụ Quận ủy, Phó Chủ tịch UBND quận; "
        "đồng chí Trần Văn Nam, Phó Trưởng Ban Tổ chức Quận ủy.",
        "Đồng chí Phạm Duy Phong, Bí thư Đảng ủy phường, chủ trì hội nghị.",
        "Tại hội nghị, đồng chí Lê Thị Mai, Phó Bí thư Thường trực Đảng ủy phường, trình bày Báo cáo sơ "
        "kết công tác xây dựng Đảng 6 tháng đầu năm 2023.",
        # 3 admitted; 9 + 3 admitted + 1 received = 13; official 9 + 1 = 10
        "Theo báo cáo, trong 6 tháng đầu năm 2023, Đảng bộ phường 1 đã kết nạp 03 đảng viên mới, nâng "
        "tổng số đảng viên lên 13 đồng chí (10 đảng viên chính thức, 03 đảng viên dự bị); tiếp nhận 01 "
        "đảng viên chuyển sinh hoạt đảng đến.",
        "Có 1/2 chi bộ duy trì sinh hoạt thường kỳ hằng tháng; tỷ lệ đảng viên dự sinh hoạt đạt 91,1%, "
        "tỷ lệ đảng viên phát biểu ý kiến đạt 47,1%.",
        "Hội nghị đã đánh giá kết quả thực hiện 02 nhiệm vụ đề ra tại các hội nghị trước: 1/2 nhiệm vụ "
        "đã hoàn thành, 01 nhiệm vụ đang tiếp tục thực hiện.",
        "Hội nghị đã nghe 02 tham luận: \u201cNâng cao chất lượng sinh hoạt chi bộ\u201d của Chi bộ TDP 1 "
        "phường 1; \u201cCông tác phát triển đảng viên ở khu dân cư\u201d của đồng chí Hoàng Văn Long, "
        "Bí thư Chi bộ TDP 2 phường 1.",
        "Trong phần thảo luận, có 11 ý kiến phát biểu",
        "Hội nghị đã biểu quyết thông qua Nghị quyết Hội nghị sơ kết 6 tháng đầu năm 2023.",
        "Phát biểu kết luận hội nghị, đồng chí Phạm Duy Phong, Bí thư Đảng ủy phường, đề nghị các chi bộ "
        "tiếp tục nâng cao chất lượng sinh hoạt, phấn đấu hoàn thành chỉ tiêu kết nạp đảng viên năm 2023.",
        "- Rà soát, bổ sung hồ sơ đảng viên (Văn phòng Đảng ủy thực hiện, hoàn thành trước ngày 30/9/2023).",
        "- Hoàn thiện hồ sơ kết nạp 02 quần chúng ưu tú (Chi bộ TDP 1 phường 1 thực hiện, hoàn thành "
        "trước ngày 31/12/2023).",
    ]
    for part in expected:
        assert part in text
    positions = [text.index(part) for part in expected]
    assert positions == sorted(positions)
    for leftover in ("None", "{", "}", "..", " ,", "—"):
        assert leftover not in text
    assert len(text.split("\n\n")) == 5


def test_news_draft_leaves_out_what_is_missing(ward):
    m = plain_meeting(ward["w2"], D(2023, 8, 8))
    assert news_draft(m) == "Ngày 8/8/2023, Đảng ủy phường 2 tổ chức Hội nghị chuyên đề."
    m = plain_meeting(
        ward["w2"],
        D(2023, 12, 20),
        kind="tong_ket_nam",
        people=[{"role": "chu_tri", "name": "Vũ Văn Hải", "titles": []}],
        conclusion="Đề nghị các chi bộ chuẩn bị tốt đại hội",
    )
    text = news_draft(m)
    assert text == (
        "Ngày 20/12/2023, Đảng ủy phường 2 tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023, "
        "triển khai nhiệm vụ năm 2024. Đồng chí Vũ Văn Hải chủ trì hội nghị.\n\n"
        "Phát biểu kết luận hội nghị, đồng chí Vũ Văn Hải đề nghị các chi bộ chuẩn bị tốt đại hội."
    )


def test_news_draft_of_a_cell_meeting(ward):
    m = mt.cell_meeting_record(
        cell=ward["w1c1"],
        held_on=D(2023, 6, 10),
        present=7,
        speakers=3,
        people=[{"role": "chu_tri", "name": "Ngô Thị Lan", "titles": ["Bí thư Chi bộ"]}],
        actor=ACTOR,
    )
    # 8 members on 10/6/2023 (5 + 3 admitted); 7/8 = 87,5%; 3/7 = 42,85…%
    assert news_draft(m) == (
        "Ngày 10/6/2023, Chi bộ TDP 1 phường 1 tổ chức sinh hoạt chi bộ thường kỳ tháng 6/2023. "
        "Đồng chí Ngô Thị Lan, Bí thư Chi bộ, chủ trì buổi sinh hoạt. Buổi sinh hoạt có 7/8 đảng viên "
        "tham dự (đạt 87,5%), 03 đảng viên phát biểu ý kiến (đạt 42,9%)."
    )
