"""Targets (chỉ tiêu) set by a congress resolution or a yearly work programme, their
revisions and their evaluations at each review point (DOMAIN §5).

* A :class:`Target` is never edited after adoption: a change is a
  :class:`TargetRevision` carrying its decision. Each revision holds the complete name,
  unit and planned value in force from its ``effective_on``; the values in force on a
  date are those of the latest revision effective on or before it (ties: the later
  recorded), or the target's own when none is.
* An :class:`Evaluation` records the actual value for one review point. Evaluations are
  append-only: a correction is a new row whose ``supersedes`` points at the row it
  replaces, so the history of a review point is a chain and its current value is the row
  nobody supersedes.

Saving an existing target, revision or evaluation again, or deleting one, is refused.
"""

from __future__ import annotations

from django.db import models

from dangbo.core.errors import DomainError
from dangbo.targets.error_codes import TargetErrorCode

#: Places kept for planned, baseline and actual values (input with more is refused).
VALUE_PLACES = 4
VALUE_DIGITS = 20


class SourceKind(models.TextChoices):
    CONGRESS_RESOLUTION = "nghi_quyet_dai_hoi", "Nghị quyết Đại hội (chỉ tiêu nhiệm kỳ)"
    WORK_PROGRAMME = "chuong_trinh_cong_tac", "Chương trình công tác năm (chỉ tiêu năm)"


class Category(models.TextChoices):
    PARTY_BUILDING = "xay_dung_dang", "Xây dựng Đảng"
    SOCIO_ECONOMIC = "kinh_te_xa_hoi", "Kinh tế – xã hội"
    DEFENCE_SECURITY = "quoc_phong_an_ninh", "Quốc phòng – an ninh"
    CULTURE_SOCIETY = "van_hoa_xa_hoi", "Văn hóa – xã hội"
    OTHER = "khac", "Khác"


#: Report order of the categories (the order of the choices above).
CATEGORY_ORDER = tuple(Category.values)


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "Tối thiểu (đạt trở lên)"
    AT_MOST = "at_most", "Không vượt quá"
    REACH = "reach", "Đạt mốc"


class Figure(models.TextChoices):
    """Targets whose actual value the records compute (see ``dangbo.targets.services``)."""

    ADMITTED = "admitted", "Số đảng viên kết nạp (kết nạp mới và kết nạp lại)"
    BASE_ORGS_GOOD_OR_BETTER = (
        "base_orgs_good_or_better",
        ("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên (%)"),
    )
    CONGRESSES_HELD = "congresses_held", "Tỷ lệ tổ chức đảng trực thuộc tổ chức đại hội (%)"


#: Computed figures that are percentages: their targets must have the unit "%".
PERCENT_FIGURES = (Figure.BASE_ORGS_GOOD_OR_BETTER.value, Figure.CONGRESSES_HELD.value)
PERCENT_UNIT = "%"


class ReviewKind(models.TextChoices):
    HALF_YEAR = "6_thang", "Sơ kết 6 tháng"
    NINE_MONTHS = "9_thang", "9 tháng"
    YEAR_END = "nam", "Tổng kết năm"
    MID_TERM = "giua_nhiem_ky", "Sơ kết giữa nhiệm kỳ"
    END_OF_TERM = "cuoi_nhiem_ky", "Tổng kết nhiệm kỳ"


#: Review points at which yearly and term targets are evaluated.
YEAR_REVIEWS = (ReviewKind.HALF_YEAR.value, ReviewKind.NINE_MONTHS.value, ReviewKind.YEAR_END.value)
TERM_REVIEWS = (ReviewKind.MID_TERM.value, ReviewKind.END_OF_TERM.value)


class Status(models.TextChoices):
    EXCEEDED = "vuot", "Vượt"
    ACHIEVED = "dat", "Đạt"
    NOT_ACHIEVED = "chua_dat", "Chưa đạt"


class _AppendOnly(models.Model):
    """Rows that are written once: a second save or a delete is refused."""

    refusal = "Bản ghi này không được sửa hoặc xóa."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DomainError(self.refusal, code=TargetErrorCode.KHONG_DUOC_SUA)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(self.refusal, code=TargetErrorCode.KHONG_DUOC_SUA)


def _value_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **kwargs
    )


class Target(_AppendOnly):  # chỉ tiêu
    refusal = (
        "Chỉ tiêu đã thông qua không được sửa hoặc xóa; mọi thay đổi phải ghi thành điều "
        "chỉnh kèm quyết định."
    )

    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="targets"
    )
    source_kind = models.CharField("loại văn bản nguồn", max_length=24, choices=SourceKind.choices)
    source = models.ForeignKey(
        "core.Decision", on_delete=models.PROTECT, related_name="+", verbose_name="văn bản nguồn"
    )
    term = models.ForeignKey(
        "organizations.Term",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name="nhiệm kỳ",
    )
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    category = models.CharField("nhóm chỉ tiêu", max_length=24, choices=Category.choices)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=40, blank=True, default="")
    direction = models.CharField("chiều đánh giá", max_length=10, choices=Direction.choices)
    planned = _value_field("kế hoạch")
    baseline = _value_field("giá trị đầu kỳ", null=True, blank=True)
    computed_from = models.CharField(
        "tính từ số liệu", max_length=32, choices=Figure.choices, blank=True, default=""
    )
    adopted_on = models.DateField("ngày thông qua")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org_id", "adopted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(term__isnull=False, year__isnull=True)
                    | models.Q(term__isnull=True, year__isnull=False)
                ),
                name="target_period_term_or_year",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TargetRevision(_AppendOnly):  # điều chỉnh chỉ tiêu
    """The complete name, unit and planned value in force from `effective_on`."""

    refusal = "Điều chỉnh chỉ tiêu đã ghi không được sửa hoặc xóa; hãy ghi một điều chỉnh mới."

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="revisions")
    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=40, blank=True, default="")
    planned = _value_field("kế hoạch")
    decision = models.ForeignKey(
        "core.Decision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="quyết định điều chỉnh",
    )
    effective_on = models.DateField("ngày hiệu lực")
    reason = models.CharField("lý do điều chỉnh", max_length=500)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_id", "effective_on", "id"]
        indexes = [models.Index(fields=["target", "effective_on"])]


class Evaluation(_AppendOnly):  # kết quả thực hiện chỉ tiêu tại một kỳ đánh giá
    """The actual value of a target for one review point.

    For a computed percentage the exact value is ``actual_part`` × 100 / ``actual_whole``
    (``actual`` keeps it rounded to VALUE_PLACES for queries); otherwise ``actual`` is exact.
    """

    refusal = (
        "Kết quả đánh giá đã ghi không được sửa hoặc xóa; hãy ghi kết quả mới thay thế "
        "(giữ lịch sử)."
    )

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField("kỳ đánh giá", max_length=16, choices=ReviewKind.choices)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    actual = _value_field("thực hiện")
    actual_part = models.PositiveIntegerField(null=True, blank=True)
    actual_whole = models.PositiveIntegerField(null=True, blank=True)
    computed = models.BooleanField("tính từ số liệu", default=False)
    basis = models.JSONField("số liệu làm căn cứ", default=dict, blank=True)
    late = models.BooleanField("ghi sau khi kỳ đã khóa sổ", default=False)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name="thay thế kết quả",
    )
    reason = models.CharField("lý do ghi lại", max_length=500, blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_id", "period_end", "id"]
        indexes = [models.Index(fields=["target", "period_end"])]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "period_start", "period_end"],
                condition=models.Q(supersedes__isnull=True),
                name="evaluation_one_first_entry_per_period",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(actual_part__isnull=True, actual_whole__isnull=True)
                    | models.Q(actual_part__isnull=False, actual_whole__gt=0)
                ),
                name="evaluation_ratio_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="evaluation_period_ordered",
            ),
        ]
