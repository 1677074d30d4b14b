"""Results of the annual quality grading of base organizations and members.

One :class:`MemberGrade` row per member and year. Members the rules leave out of the
grading (exempt, admitted too recently, suspended…) get a row too, with the grade
``khong_xep_loai`` and the reason: the grading of a base organization is recorded as a
whole (every member on its rolls on the grading date), so "graded" and "not graded" are
both counted from stored rows and add up to the base organization's members that day.

One :class:`OrgGrade` row per graded organization and year: base organizations, and the
levels the rule set in force grades besides (cells and branch committees under a base
committee, district and provincial committees). An organization too young to be graded
has no row; figures count a base organization without one among those not graded.

On a points scale (366-QĐ/TW) the tasks are recorded as shares of all tasks assigned:
done (``tasks_done_pct``), done ahead or above the plan (``tasks_exceeded_pct``) and done
late (``tasks_late_pct``); "on time" is done and not late.
"""

from __future__ import annotations

from django.db import models


class Grade(models.TextChoices):  # mức xếp loại chất lượng
    EXCELLENT = "xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "tot", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "hoan_thanh", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"


#: Best first; `GRADE_ORDER.index(g)` ranks a grade (0 = best).
GRADE_ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED)

NOT_GRADED = "khong_xep_loai"
NOT_GRADED_LABEL = "Không xếp loại"


class NotGradedReason(models.TextChoices):  # lý do không đánh giá, xếp loại
    EXEMPT = "mien", "Được miễn công tác và sinh hoạt đảng"
    NEW_MEMBER = "moi_ket_nap", "Mới được kết nạp, chưa đủ thời gian để xếp loại"
    SUSPENDED = "dinh_chi", "Đang bị đình chỉ sinh hoạt đảng"
    OTHER = "khac", "Lý do khác"


class MemberGrade(models.Model):  # kết quả xếp loại chất lượng đảng viên
    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="grades")
    year = models.PositiveSmallIntegerField("năm đánh giá")
    base_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="member_grades",
        verbose_name="tổ chức cơ sở đảng",
    )
    grade = models.CharField(
        "mức xếp loại", max_length=20, choices=[*Grade.choices, (NOT_GRADED, NOT_GRADED_LABEL)]
    )
    reason = models.CharField(
        "lý do không xếp loại",
        max_length=20,
        choices=NotGradedReason.choices,
        blank=True,
        default="",
    )
    note = models.CharField("ghi chú", max_length=300, blank=True, default="")
    points = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    tasks_done_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ hoàn thành (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    tasks_exceeded_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    tasks_late_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ hoàn thành chậm tiến độ (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    disciplined = models.BooleanField("bị kỷ luật trong năm", default=False)
    self_reported = models.BooleanField(
        "tự phát hiện, tự khắc phục vi phạm",
        default=False,
        help_text="đảng viên bị kỷ luật trong năm đã tự phát hiện và chủ động khắc phục",
    )
    graded_on = models.DateField("ngày đánh giá, xếp loại")
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule_set = models.CharField("quy định áp dụng", max_length=40)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_grade_once_a_year"),
            models.CheckConstraint(
                condition=(models.Q(grade=NOT_GRADED) & ~models.Q(reason=""))
                | (~models.Q(grade=NOT_GRADED) & models.Q(reason="")),
                name="member_grade_reason_iff_not_graded",
            ),
        ]
        indexes = [models.Index(fields=["year", "base_org"])]


class OrgGrade(models.Model):  # kết quả xếp loại chất lượng tổ chức đảng
    org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="grades",
        verbose_name="tổ chức đảng",
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    grade = models.CharField("mức xếp loại", max_length=20, choices=Grade.choices)
    points = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    tasks_done_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ hoàn thành (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    tasks_exceeded_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    tasks_late_pct = models.DecimalField(
        "tỷ lệ nhiệm vụ hoàn thành chậm tiến độ (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    exemplary = models.BooleanField("trong sạch, vững mạnh tiêu biểu", default=False)
    graded_on = models.DateField("ngày đánh giá, xếp loại")
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule_set = models.CharField("quy định áp dụng", max_length=40)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="org_grade_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(exemplary=False) | models.Q(grade=Grade.EXCELLENT),
                name="org_grade_exemplary_only_excellent",
            ),
        ]
        indexes = [models.Index(fields=["year", "org"])]
