"""Meetings and conferences (hội nghị) with their people, agenda and follow-up tasks (DOMAIN §9).

A :class:`Meeting` of an organization has the people present in their roles
(:class:`MeetingPerson`: chairs, attendees, guests from higher levels with their titles,
presenters), what was presented or adopted (:class:`MeetingItem`), the number of
opinions in the discussion and the concluding remarks. Tasks the meeting sets
(:class:`Task`) are reviewed at later meetings (:class:`TaskReview`); the review that
closes a task stamps ``closed_on`` with that meeting's date, so "open on a date" is one
indexed filter.

A monthly cell meeting (``sinh_hoat_chi_bo``) also keeps its attendance: members expected
(the cell's members on the day, minus the exempt), present, and members who spoke.
"""

from __future__ import annotations

from django.db import models


class MeetingKind(models.TextChoices):
    PLENUM = "hoi_nghi_bch", "Hội nghị Ban Chấp hành"
    STANDING = "btv", "Hội nghị Ban Thường vụ"
    REVIEW_6M = "so_ket_6_thang", "Hội nghị sơ kết 6 tháng đầu năm"
    REVIEW_9M = "so_ket_9_thang", "Hội nghị sơ kết 9 tháng đầu năm"
    MID_TERM = "so_ket_giua_nhiem_ky", "Hội nghị sơ kết giữa nhiệm kỳ"
    YEAR_END = "tong_ket_nam", "Hội nghị tổng kết năm"
    END_OF_TERM = "tong_ket_nhiem_ky", "Hội nghị tổng kết nhiệm kỳ"
    THEMATIC = "chuyen_de", "Hội nghị chuyên đề"
    CELL = "sinh_hoat_chi_bo", "Sinh hoạt chi bộ thường kỳ"


#: Kinds that review a period (sơ kết, tổng kết).
REVIEW_KINDS = (
    MeetingKind.REVIEW_6M,
    MeetingKind.REVIEW_9M,
    MeetingKind.MID_TERM,
    MeetingKind.YEAR_END,
    MeetingKind.END_OF_TERM,
)
#: Kinds numbered "lần thứ n" within a term.
NUMBERED_KINDS = (MeetingKind.PLENUM, MeetingKind.STANDING)


class Session(models.TextChoices):  # buổi
    MORNING = "sang", "Sáng"
    AFTERNOON = "chieu", "Chiều"
    EVENING = "toi", "Tối"


class Meeting(models.Model):  # hội nghị, buổi sinh hoạt chi bộ
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("loại hội nghị", max_length=24, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField("lần thứ", null=True, blank=True)
    held_on = models.DateField("ngày họp")
    session = models.CharField(
        "buổi", max_length=5, choices=Session.choices, blank=True, default=""
    )
    place = models.CharField("địa điểm", max_length=200, blank=True, default="")
    title = models.CharField("tên, chủ đề hội nghị", max_length=400, blank=True, default="")
    attendees_note = models.CharField(
        "thành phần dự (ghi chung)", max_length=400, blank=True, default=""
    )
    speakers_count = models.PositiveIntegerField("số ý kiến phát biểu", null=True, blank=True)
    members_expected = models.PositiveIntegerField("số đảng viên phải dự", null=True, blank=True)
    present = models.PositiveIntegerField("số có mặt", null=True, blank=True)
    conclusion = models.TextField("nội dung kết luận", blank=True, default="")
    concluded_by = models.ForeignKey(
        "MeetingPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    news_text = models.TextField("tin bài (bản đã sửa)", blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org_id", "held_on", "id"]
        indexes = [
            models.Index(fields=["org", "held_on"]),
            models.Index(fields=["kind", "held_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(present__isnull=True)
                | models.Q(members_expected__isnull=True)
                | models.Q(present__lte=models.F("members_expected")),
                name="meeting_present_within_expected",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="sinh_hoat_chi_bo")
                | models.Q(speakers_count__isnull=True)
                | models.Q(speakers_count__lte=models.F("present")),
                name="cell_meeting_speakers_within_present",
            ),
        ]

    def __str__(self) -> str:
        label = MeetingKind(self.kind).label
        number = f" lần thứ {self.number}" if self.number else ""
        return f"{label}{number} ngày {self.held_on:%d/%m/%Y}"


class MeetingRole(models.TextChoices):
    CHAIR = "chu_tri", "Chủ trì"
    ATTENDEE = "du", "Dự"
    GUEST = "khach_moi", "Khách mời (cấp trên)"
    PRESENTER = "trinh_bay", "Trình bày"


class MeetingPerson(models.Model):  # đại biểu dự hội nghị
    """A person at a meeting in one role; `name` and `titles` are as stated at the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="people")
    role = models.CharField("vai trò", max_length=10, choices=MeetingRole.choices)
    person = models.ForeignKey(
        "membership.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_roles",
    )
    name = models.CharField("họ và tên", max_length=120)
    titles = models.JSONField("chức danh", default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="meeting_person_named"),
        ]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    REPORT = "bao_cao", "Báo cáo"
    PRESENTATION = "tham_luan", "Tham luận"
    ADOPTED = "thong_qua", "Văn bản thông qua"


class MeetingItem(models.Model):  # nội dung hội nghị
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("loại", max_length=10, choices=ItemKind.choices)
    title = models.CharField("tên", max_length=400)
    presenter = models.CharField("người, đơn vị trình bày", max_length=200, blank=True, default="")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Đã hoàn thành"
    DROPPED = "dung_thuc_hien", "Dừng thực hiện"


class Task(models.Model):  # nhiệm vụ giao tại hội nghị
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="tasks")
    text = models.TextField("nội dung nhiệm vụ")
    owner = models.CharField("đơn vị, người thực hiện", max_length=200, blank=True, default="")
    owner_org = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField(
        "tình trạng", max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "order", "id"]
        indexes = [models.Index(fields=["meeting", "closed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="dang_thuc_hien", closed_on__isnull=True)
                    | (~models.Q(status="dang_thuc_hien") & models.Q(closed_on__isnull=False))
                ),
                name="task_closed_iff_not_open",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class TaskReview(models.Model):  # đánh giá kết quả thực hiện nhiệm vụ tại hội nghị sau
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="task_reviews")
    status = models.CharField("tình trạng", max_length=16, choices=TaskStatus.choices)
    note = models.TextField("ghi chú", blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "meeting"], name="task_reviewed_once_per_meeting"
            ),
        ]
