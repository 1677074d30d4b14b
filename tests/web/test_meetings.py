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
from dangbo.meetings.services import cell_meeting_record, meeting_record, task_add, task_review
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


def test_edit_a_conference_after_recording(web_world, today_2024):
    ward = web_world.tree["w1"]
    m = meeting_record(
        org=ward,
        kind="hoi_nghi_bch",
        held_on=D(2024, 5, 20),
        title="Hội nghị Ban Chấp hành",
        people=[{"role": MeetingRole.CHAIR, "name": "Nguyễn Văn Bí", "titles": ["Bí thư"]}],
        items=[{"kind": "bao_cao", "title": "Báo cáo quý I", "presenter": ""}],
        present=9,
        members_expected=11,
        actor=ACTOR,
    )
    task = task_add(meeting=m, text="Rà soát hồ sơ", actor=ACTOR)
    ref = meeting_ref(m)
    c = web_world.client(Role.OFFICE)
    assert reverse("web:meeting_edit", args=[ref]) in text(
        c.get(reverse("web:meeting", args=[ref]))
    )
    url = reverse("web:meeting_edit", args=[ref])
    page = text(c.get(url))
    assert "Nguyễn Văn Bí | Bí thư" in page and "Rà soát hồ sơ" in page
    body = {
        "title": "Hội nghị Ban Chấp hành lần thứ 5",
        "chairs": "Nguyễn Văn Bí | Bí thư",
        "guests": "Trần Thị Khách | Phó Bí thư Quận ủy",
        "reports": "Báo cáo quý I",
        "presentations": "Tham luận về công tác dân vận | Chi bộ 1",
        "members_expected": "11",
        "present": "10",
        "speakers_count": "4",
        "conclusion": "Thống nhất các nội dung.",
        "concluded_by": "Trần Thị Khách",
        f"task_{task.pk}_text": "Rà soát hồ sơ đảng viên",
        f"task_{task.pk}_deadline": "2024-06-30",
        "task_new_text": "Chuẩn bị sơ kết 6 tháng",
        "task_new_owner": "Văn phòng",
    }
    over = text(c.post(url, {**body, "present": "12"}))
    assert 'id="id_present-errors"' in over
    late = text(c.post(url, {**body, "task_new_deadline": "2024-05-01"}))
    assert 'id="id_task_new_deadline-errors"' in late
    nobody = text(c.post(url, {**body, "concluded_by": "Ai Đó"}))
    assert 'id="id_concluded_by-errors"' in nobody
    assert Meeting.objects.get().present == 9 and Task.objects.count() == 1

    r = c.post(url, body)
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.present, m.speakers_count, m.title) == (10, 4, "Hội nghị Ban Chấp hành lần thứ 5")
    assert m.concluded_by.name == "Trần Thị Khách"
    assert [p.role for p in m.people.all()] == [MeetingRole.CHAIR, MeetingRole.GUEST]
    assert [i.kind for i in m.items.all()] == ["bao_cao", "tham_luan"]
    assert list(Task.objects.order_by("order").values_list("text", "order")) == [
        ("Rà soát hồ sơ đảng viên", 1),
        ("Chuẩn bị sơ kết 6 tháng", 2),
    ]
    entry = AuditEntry.objects.get(action="meeting_update")
    assert entry.before["present"] == 9 and entry.after["present"] == 10
    shown = text(c.get(reverse("web:meeting", args=[ref])))
    assert "Trần Thị Khách" in shown and "Tham luận về công tác dân vận" in shown


def test_a_task_reviewed_later_is_neither_changed_nor_removed(web_world, today_2024):
    cell = web_world.org_in
    may = cell_meeting_record(cell=cell, held_on=D(2024, 5, 10), present=1, speakers=1, actor=ACTOR)
    task = task_add(meeting=may, text="Thu đảng phí quý II", actor=ACTOR)
    june = cell_meeting_record(
        cell=cell, held_on=D(2024, 6, 10), present=1, speakers=0, actor=ACTOR
    )
    task_review(task=task, meeting=june, status=TaskStatus.OPEN, actor=ACTOR)
    c = web_world.client(Role.CELL_SECRETARY)
    url = reverse("web:meeting_edit", args=[meeting_ref(may)])
    page = text(c.get(url))
    assert "đã đánh giá</span> tại hội nghị sau" in page and 'name="number"' not in page
    body = {"present": "1", "speakers_count": "1", f"task_{task.pk}_text": "Thu đảng phí"}
    changed = text(c.post(url, body))
    assert 'id="id_task_' in changed and "không sửa hoặc xóa nhiệm vụ đã đánh giá" in changed
    removed = text(
        c.post(url, {**body, f"task_{task.pk}_text": task.text, f"task_{task.pk}_remove": "on"})
    )
    assert "không sửa hoặc xóa nhiệm vụ đã đánh giá" in removed
    too_many = text(c.post(url, {**body, "speakers_count": "2", f"task_{task.pk}_text": task.text}))
    assert 'id="id_speakers_count-errors"' in too_many
    task.refresh_from_db()
    assert task.text == "Thu đảng phí quý II"
    assert not AuditEntry.objects.filter(action="meeting_update").exists()
    ok = c.post(url, {**body, "title": "Sinh hoạt tháng 5", f"task_{task.pk}_text": task.text})
    assert ok.status_code == 302 and Meeting.objects.get(pk=may.pk).title == "Sinh hoạt tháng 5"
