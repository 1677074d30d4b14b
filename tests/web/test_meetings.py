"""Meetings pages: recording a cell meeting with attendance and a task, a conference with
its people, reviewing tasks at the next meeting, the news item edited and downloaded,
refusals beside their field with nothing written, and pinned query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.meetings.models import Meeting, MeetingRole, Task, TaskStatus
from dangbo.meetings.references import meeting_ref
from dangbo.meetings.services import cell_meeting_record, meeting_record, task_add
from tests.conftest import ACTOR, admit

D = date


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def today_2024(monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-07-01")


def _cell_form(world, **extra) -> dict:
    data = {
        "cell": world.org_in.pk,
        "held_on": "2024-05-10",
        "present": "1",
        "speakers": "1",
        "title": "Sinh hoạt tháng 5",
        "task_text": "Vận động quần chúng ưu tú",
        "task_owner": "Tổ đảng số 1",
        "task_deadline": "2024-06-30",
    }
    data.update(extra)
    return data


def test_a_cell_secretary_records_the_month_and_reviews_its_task_next_month(web_world, today_2024):
    c = web_world.client(Role.CELL_SECRETARY)
    form = c.get(reverse("web:cell_meeting_new"))
    assert "Chi bộ TDP 1 phường 1" in text(form) and "Chi bộ TDP 2 phường 1" not in text(form)
    r = c.post(reverse("web:cell_meeting_new"), _cell_form(web_world))
    may = Meeting.objects.get()
    ref = "P1-C1-2024-05-10-sinh_hoat_chi_bo"
    assert r.status_code == 302 and r["Location"] == reverse("web:meeting", args=[ref])
    assert (may.members_expected, may.present, may.speakers_count) == (1, 1, 1)
    page = text(c.get(r["Location"]))
    assert "1/1 đảng viên có mặt" in page and "Vận động quần chúng ưu tú" in page

    r = c.post(
        reverse("web:cell_meeting_new"), _cell_form(web_world, held_on="2024-06-12", task_text="")
    )
    june = meeting_ref(Meeting.objects.get(held_on=D(2024, 6, 12)))
    page = text(c.get(reverse("web:meeting", args=[june])))
    assert "Nhiệm vụ từ các kỳ trước" in page and "Vận động quần chúng ưu tú" in page
    task = Task.objects.get()
    r = c.post(
        reverse("web:meeting_task_review", args=[june, task.pk]),
        {"status": TaskStatus.DONE, "note": "Đã giới thiệu 1 quần chúng"},
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_on == D(2024, 6, 12)
    assert "Đã hoàn thành" in text(c.get(reverse("web:meeting", args=[june])))
    listing = text(c.get(reverse("web:meetings"), {"nam": "2024"}))
    assert ref in listing and june in listing


def test_refusals_go_beside_their_field_and_write_nothing(web_world, today_2024):
    c = web_world.client(Role.CELL_SECRETARY)
    r = c.post(reverse("web:cell_meeting_new"), _cell_form(web_world, present="3"))
    assert r.status_code == 200 and "id_present-errors" in text(r) and "lớn hơn" in text(r)
    r = c.post(reverse("web:cell_meeting_new"), _cell_form(web_world, task_deadline="2024-05-01"))
    assert r.status_code == 200 and "id_task_deadline-errors" in text(r)
    assert not Meeting.objects.exists() and not Task.objects.exists()  # nothing partial
    c.post(reverse("web:cell_meeting_new"), _cell_form(web_world))
    r = c.post(reverse("web:cell_meeting_new"), _cell_form(web_world, held_on="2024-05-20"))
    assert r.status_code == 200 and "đã có buổi sinh hoạt thường kỳ tháng 5/2024" in text(r)
    # another ward's cell is not offered, and posting it is refused as a choice
    r = c.post(reverse("web:cell_meeting_new"), _cell_form(web_world, cell=web_world.org_out.pk))
    assert r.status_code == 200 and Meeting.objects.count() == 1


def test_a_conference_with_guests_titles_items_and_conclusion(web_world, today_2024):
    c = web_world.client(Role.OFFICE)
    data = {
        "org": web_world.tree["w1"].pk,
        "kind": "so_ket_6_thang",
        "held_on": "2024-07-05",
        "session": "sang",
        "place": "Hội trường phường",
        "chairs": "Nguyễn Văn Hùng | Bí thư Đảng ủy phường",
        "guests": "Trần Thị Hương | Thành ủy viên; Trưởng Ban Tổ chức Thành ủy",
        "reports": "Báo cáo sơ kết 6 tháng | Văn phòng Đảng ủy",
        "presentations": "Tham luận công tác phát triển đảng viên | Chi bộ TDP 1",
        "speakers_count": "6",
        "conclusion": "đề nghị các chi bộ tập trung hoàn thành chỉ tiêu",
        "concluded_by": "Nguyễn Văn Hùng",
        "task_text": "Hoàn thành chỉ tiêu kết nạp",
    }
    r = c.post(reverse("web:meeting_new"), data)
    assert r.status_code == 302, text(r)
    m = Meeting.objects.get()
    assert m.concluded_by.name == "Nguyễn Văn Hùng"
    guest = m.people.get(role=MeetingRole.GUEST)
    assert guest.titles == ["Thành ủy viên", "Trưởng Ban Tổ chức Thành ủy"]
    page = text(c.get(r["Location"]))
    assert "Trần Thị Hương, Thành ủy viên, Trưởng Ban Tổ chức Thành ủy" in page
    assert "Tham luận: Tham luận công tác phát triển đảng viên" in page
    bad = c.post(
        reverse("web:meeting_new"), {**data, "held_on": "2024-07-06", "concluded_by": "Ai Đó"}
    )
    assert "id_concluded_by-errors" in text(bad) and Meeting.objects.count() == 1
    dup = c.post(
        reverse("web:meeting_new"),
        {**data, "held_on": "2024-07-07", "guests": "A | x\nA | y", "concluded_by": ""},
    )
    assert "id_guests-errors" in text(dup) and Meeting.objects.count() == 1


def test_the_news_item_is_edited_kept_and_downloaded(web_world, today_2024):
    m = cell_meeting_record(
        cell=web_world.org_in, held_on=D(2024, 5, 10), present=1, speakers=1, actor=ACTOR
    )
    ref = meeting_ref(m)
    c = web_world.client(Role.CELL_SECRETARY)
    page = text(c.get(reverse("web:meeting_news", args=[ref])))
    assert "Bản nháp tự động" in page and "<textarea" in page
    reader = text(web_world.client(Role.LEADERSHIP).get(reverse("web:meeting_news", args=[ref])))
    assert "<textarea" not in reader
    r = c.post(
        reverse("web:meeting_news_edit", args=[ref]),
        {"text": "Chi bộ đã họp.\r\n\r\nĐoạn hai có chữ Đảng."},
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.news_text == "Chi bộ đã họp.\n\nĐoạn hai có chữ Đảng."
    assert AuditEntry.objects.filter(action="meeting_news_save", object_id=str(m.pk)).exists()
    r = c.get(reverse("web:meeting_news_download", args=[ref, "docx"]))
    from docx import Document

    doc = Document(io.BytesIO(r.content))
    assert [p.text for p in doc.paragraphs][1:] == ["Chi bộ đã họp.", "Đoạn hai có chữ Đảng."]
    assert "attachment" in r["Content-Disposition"] and ref in r["Content-Disposition"]
    plain = c.get(reverse("web:meeting_news_download", args=[ref, "txt"]))
    assert plain.content.decode() == "Chi bộ đã họp.\n\nĐoạn hai có chữ Đảng.\n"
    assert c.get(reverse("web:meeting_news_download", args=[ref, "pdf"])).status_code == 404
    c.post(reverse("web:meeting_news_edit", args=[ref]), {"text": ""})
    m.refresh_from_db()
    assert m.news_text == "" and "Bản nháp tự động" in text(
        c.get(reverse("web:meeting_news", args=[ref]))
    )


def test_a_malformed_or_unknown_reference_is_404(web_world):
    c = web_world.client(Role.OFFICE)
    for ref in ("abc", "P1-C1-2024-02-30-sinh_hoat_chi_bo", "P1-C1-2024-05-10-sinh_hoat_chi_bo"):
        assert c.get(reverse("web:meeting", args=[ref])).status_code == 404


def _grow(world, size: int) -> None:
    """`size` months of meetings in each cell of ward P1, each with a task, reviewed at the
    next; a conference of the ward with people."""
    for key in ("w1c1", "w1c2"):
        cell = world.tree[key]
        admit(cell, D(2020, 1, 1))
        for month in range(1, size + 1):
            m = cell_meeting_record(
                cell=cell, held_on=D(2024, month, 10), present=1, speakers=1, actor=ACTOR
            )
            task_add(meeting=m, text=f"Việc tháng {month}", actor=ACTOR)
    meeting_record(
        org=world.tree["w1"],
        kind="so_ket_6_thang",
        held_on=D(2024, 7, 5),
        people=[{"role": "chu_tri", "name": "A"}, {"role": "khach_moi", "name": "B"}],
        items=[{"kind": "bao_cao", "title": "Báo cáo"}],
        actor=ACTOR,
    )


@pytest.mark.parametrize("size", [1, 5])
def test_the_list_s_queries_do_not_grow(web_world, django_assert_num_queries, size, today_2024):
    _grow(web_world, size)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:meetings")
    c.get(url)
    # session, user, roles, scope, choices, meetings, their versions, years; the session's expiry
    with django_assert_num_queries(9):
        assert c.get(url, {"nam": "2024"}).status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_the_meeting_s_queries_do_not_grow(web_world, django_assert_num_queries, size, today_2024):
    _grow(web_world, size)
    c = web_world.client(Role.OFFICE)
    last = Meeting.objects.filter(org=web_world.org_in).order_by("-held_on").first()
    url = reverse("web:meeting", args=[meeting_ref(last)])
    c.get(url)
    # session, user, roles, scope; the reference (organization, meetings of the day); the
    # meeting, its versions, people, items, tasks; its siblings; earlier tasks, their reviews
    # here; the scope of recording; the session's expiry
    with django_assert_num_queries(16):
        assert c.get(url).status_code == 200
