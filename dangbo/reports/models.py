"""Review reports (báo cáo sơ kết, tổng kết); their numbers come from the document register."""

from __future__ import annotations

from typing import Any

from django.db import models

from dangbo.core.errors import DomainError
from dangbo.reports.error_codes import ReportErrorCode


class ReportKind(models.TextChoices):
    HALF_YEAR = "6_thang", "Sơ kết 6 tháng đầu năm"
    NINE_MONTHS = "9_thang", "Báo cáo 9 tháng đầu năm"
    YEAR_END = "nam", "Tổng kết năm"
    MID_TERM = "giua_nhiem_ky", "Sơ kết giữa nhiệm kỳ"
    END_OF_TERM = "cuoi_nhiem_ky", "Tổng kết nhiệm kỳ"
    THEMATIC = "chuyen_de", "Chuyên đề"


class ReportStatus(models.TextChoices):
    DRAFT = "du_thao", "Dự thảo"
    ISSUED = "ban_hanh", "Đã ban hành"


class ReviewReport(models.Model):  # báo cáo sơ kết, tổng kết
    """A review report: drafts are editable; issuing freezes the figures in `snapshot`."""

    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    period_code = models.CharField(max_length=20)  # "2023-H1", "2023", "2020-2025"
    period_start = models.DateField()
    period_end = models.DateField()
    topic = models.CharField("chủ đề (báo cáo chuyên đề)", max_length=300, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.OneToOneField(
        "documents.IssuedNumber",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report",
    )
    issued_on = models.DateField(null=True, blank=True)
    place = models.CharField("địa danh", max_length=80, default="")
    signature_form = models.CharField("thẩm quyền ký", max_length=40, default="T/M BAN THƯỜNG VỤ")
    signer_position = models.CharField("chức vụ người ký", max_length=40, default="BÍ THƯ")
    signer_name = models.CharField("người ký", max_length=120, blank=True, default="")
    recipients = models.JSONField("nơi nhận", default=list)
    narrative = models.JSONField("nội dung do văn phòng viết", default=dict)
    overrides = models.JSONField("số liệu sửa tay", default=dict)
    snapshot = models.JSONField("số liệu đã chốt", null=True, blank=True)
    reissue_reason = models.CharField(
        "lý do ban hành lại (khi kỳ này đã có báo cáo ban hành)",
        max_length=500,
        blank=True,
        default="",
    )
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class NarrativeRevision(models.Model):  # lịch sử sửa phần nội dung
    """One saved state of a draft's narrative: every section as it stood after the save
    (`narrative`), the sections that save changed (`sections`), who saved it and when.
    Revisions are only added; the latest is the draft's narrative."""

    report = models.ForeignKey(ReviewReport, on_delete=models.CASCADE, related_name="revisions")
    narrative = models.JSONField()
    sections = models.JSONField("các phần sửa trong lần lưu này", default=list)
    source = models.CharField("nguồn (tệp, biểu mẫu)", max_length=300, blank=True, default="")
    actor = models.CharField(max_length=150)
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "saved_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DomainError(
                "Lịch sử sửa nội dung báo cáo chỉ được ghi thêm.", code=ReportErrorCode.CHI_GHI_THEM
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DomainError(
            "Lịch sử sửa nội dung báo cáo chỉ được ghi thêm.", code=ReportErrorCode.CHI_GHI_THEM
        )


class OfficeSetting(models.Model):  # cài đặt cách viết báo cáo của văn phòng
    """One wording choice of an office, in force from `valid_from` until the next row of the
    same organization and key; the organizations below inherit it (see
    :func:`dangbo.reports.wording.wording_on`). Rows are only added, never changed."""

    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField("cài đặt", max_length=40)
    value = models.CharField("giá trị", max_length=40)
    valid_from = models.DateField("áp dụng từ ngày")
    decision = models.CharField("căn cứ (văn bản, ý kiến chỉ đạo)", max_length=300, blank=True)
    set_by = models.CharField("người đặt", max_length=150)
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org_id", "key", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "key", "valid_from"], name="office_setting_once_per_day"
            )
        ]
