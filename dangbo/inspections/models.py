"""Inspection, supervision and discipline records (DOMAIN §6).

A :class:`Case` is one supervision, inspection, complaint or denunciation matter: its
subject (an organization or a member, exactly one), the body conducting it, its dates,
its steps and its conclusion. Discipline that follows a conclusion is recorded as an
:class:`OrgDiscipline` for an organization; for a member it is a ``ky_luat`` event in the
membership ledger, linked to the case by a :class:`MemberDisciplineLink`, so the ledger
figures (disciplined, expelled) count it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class CaseKind(models.TextChoices):
    REGULAR_SUPERVISION = "giam_sat_thuong_xuyen", "Giám sát thường xuyên"
    THEMATIC_SUPERVISION = "giam_sat_chuyen_de", "Giám sát chuyên đề"
    SIGNS_INSPECTION = "kiem_tra_dau_hieu", "Kiểm tra khi có dấu hiệu vi phạm"
    THEMATIC_INSPECTION = "kiem_tra_chuyen_de", "Kiểm tra chuyên đề"
    COMPLAINT = "khieu_nai", "Giải quyết khiếu nại"
    DENUNCIATION = "to_cao", "Giải quyết tố cáo"


INSPECTION_KINDS = (CaseKind.SIGNS_INSPECTION.value, CaseKind.THEMATIC_INSPECTION.value)
SUPERVISION_KINDS = (CaseKind.REGULAR_SUPERVISION.value, CaseKind.THEMATIC_SUPERVISION.value)
COMPLAINT_KINDS = (CaseKind.COMPLAINT.value, CaseKind.DENUNCIATION.value)


class OrgDisciplineForm(models.TextChoices):
    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    DISSOLUTION = "giai_tan", "Giải tán"


class Case(models.Model):  # cuộc kiểm tra, giám sát; vụ việc khiếu nại, tố cáo
    """One inspection, supervision, complaint or denunciation matter.

    `violation_on` is the day of the violation (for a lasting one, the day it ended), from
    which the statute of limitations of a discipline runs; `limitation_exempt` marks a
    violation to which no limitation applies.

    `subject_cell` is the member's cell on `starts_on` as the ledger stood when the case
    was opened (empty for an organization subject): the figures place the subject in the
    tree by it, as a case file names "đảng viên …, chi bộ …".
    """

    kind = models.CharField("loại", max_length=24, choices=CaseKind.choices)
    subject_org = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_cases",
        verbose_name="tổ chức là đối tượng",
    )
    subject_member = models.ForeignKey(
        "membership.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_cases",
        verbose_name="đảng viên là đối tượng",
    )
    subject_cell = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ của đảng viên khi bắt đầu",
    )
    conducting_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="conducted_cases",
        verbose_name="cấp tiến hành",
    )
    conducting_body = models.CharField("chủ thể tiến hành", max_length=200)
    decision = models.ForeignKey(
        "core.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kế hoạch, quyết định",
    )
    topic = models.CharField("nội dung", max_length=500)
    starts_on = models.DateField("ngày bắt đầu")
    ends_on = models.DateField("ngày kết thúc dự kiến", null=True, blank=True)
    regulation = models.CharField("quy định áp dụng", max_length=40)
    violation_on = models.DateField(
        "ngày vi phạm",
        null=True,
        blank=True,
        help_text="ngày có hành vi vi phạm (vi phạm kéo dài: ngày chấm dứt); tính thời hiệu kỷ luật",
    )
    limitation_exempt = models.BooleanField(
        "không áp dụng thời hiệu",
        default=False,
        help_text="vi phạm về chính trị nội bộ, quốc phòng, an ninh, đối ngoại…",
    )
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    violation_found = models.BooleanField("có vi phạm", null=True, blank=True)
    conclusion = models.TextField("kết luận", blank=True, default="")
    conclusion_decision = models.ForeignKey(
        "core.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="văn bản kết luận",
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["starts_on", "kind"]),
            models.Index(fields=["concluded_on", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        subject_org__isnull=False,
                        subject_member__isnull=True,
                        subject_cell__isnull=True,
                    )
                    | Q(
                        subject_org__isnull=True,
                        subject_member__isnull=False,
                        subject_cell__isnull=False,
                    )
                ),
                name="case_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="case_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(concluded_on__isnull=True, violation_found__isnull=True)
                    | Q(
                        concluded_on__isnull=False,
                        violation_found__isnull=False,
                        concluded_on__gte=models.F("starts_on"),
                    )
                ),
                name="case_conclusion_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{CaseKind(self.kind).label}: {self.topic}"


class CaseStep(models.Model):  # bước tiến hành
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    on = models.DateField("ngày")
    name = models.CharField("bước", max_length=200)
    note = models.TextField("ghi chú", blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "on", "pk"]


class OrgDiscipline(models.Model):  # kỷ luật tổ chức đảng
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="org_discipline")
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField("hình thức", max_length=12, choices=OrgDisciplineForm.choices)
    decided_on = models.DateField("ngày quyết định")
    decision = models.ForeignKey("core.Decision", on_delete=models.PROTECT, related_name="+")
    regulation = models.CharField("quy định áp dụng", max_length=40)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["decided_on"])]


class MemberDisciplineLink(models.Model):  # kỷ luật đảng viên: sự kiện trong sổ đảng viên
    """The ledger's ``ky_luat`` event that a case resulted in."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="member_discipline")
    event = models.OneToOneField(
        "membership.MemberEvent", on_delete=models.PROTECT, related_name="inspection_link"
    )
    regulation = models.CharField("quy định áp dụng", max_length=40)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
