"""Dues records: the member's effective-dated dues facts, exemption and reduction decisions,
the charges computed per member and month, and the append-only payments."""

from __future__ import annotations

from django.db import models

from dangbo.core.append_only import AppendOnlyModel
from dangbo.core.dates import FOREVER
from dangbo.dues.reference import REGION_LABELS
from dangbo.dues.rules import CATEGORY_LABELS, EXEMPT_LABELS, ExemptReason

CATEGORY_CHOICES = [(c.value, label) for c, label in CATEGORY_LABELS.items()]
REGION_CHOICES = [(r.value, label) for r, label in REGION_LABELS.items()]
RELIEF_CHOICES = [
    *((r.value, label) for r, label in EXEMPT_LABELS.items() if r != ExemptReason.PARTY_AGE),
    ("giam", "Giảm đảng phí"),
]


class Channel(models.TextChoices):  # hình thức nộp
    CASH = "tien_mat", "Tiền mặt tại chi bộ"
    BANK = "chuyen_khoan", "Chuyển khoản ngân hàng"
    PORTAL = "dich_vu_cong", "Cổng dịch vụ công"


class DuesFact(models.Model):  # căn cứ đóng đảng phí của đảng viên
    """From `valid_from` the member pays in `category` on `base_amount` in `region`.

    The fact in force for a month is the latest with `valid_from` on or before the month's
    last day (a fact dated within a month applies to the whole month).
    """

    member = models.ForeignKey(
        "membership.Member", on_delete=models.PROTECT, related_name="dues_facts"
    )
    valid_from = models.DateField("từ ngày")
    category = models.CharField("đối tượng", max_length=10, choices=CATEGORY_CHOICES)
    base_amount = models.PositiveBigIntegerField("mức lương, lương hưu (đồng)", default=0)
    region = models.CharField("vùng", max_length=3, choices=REGION_CHOICES, blank=True, default="")
    note = models.CharField("ghi chú", max_length=200, blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="dues_fact_once_a_day")
        ]


class DuesRelief(models.Model):  # quyết định miễn, giảm đảng phí
    """An exemption (`reason` one of the exemption reasons) or a reduction (`reason` "giam"
    with `percent`) over the months [from_month, to_month) (first days)."""

    member = models.ForeignKey(
        "membership.Member", on_delete=models.PROTECT, related_name="dues_reliefs"
    )
    reason = models.CharField("lý do", max_length=16, choices=RELIEF_CHOICES)
    percent = models.PositiveSmallIntegerField("mức giảm (%)", default=100)
    from_month = models.DateField("từ tháng")
    to_month = models.DateField("đến trước tháng", default=FOREVER)
    decision_number = models.CharField("số quyết định", max_length=60)
    decision_on = models.DateField("ngày quyết định")
    revoked = models.BooleanField("đã hủy", default=False)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["member", "from_month"])]


class DuesCharge(models.Model):  # số đảng phí phải đóng của đảng viên trong tháng
    """The computed dues of a member for a month, at the cell that holds the month.

    Derived from the facts, the decisions and the membership spells; recomputed whole for a
    set of members and months by ``dues.services.dues_charges_compute``.
    """

    member = models.ForeignKey("membership.Member", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng")
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField("phải đóng")
    full_amount = models.BigIntegerField("mức trước miễn, giảm")
    exempt_reason = models.CharField(max_length=16, blank=True, default="")
    reduction_percent = models.PositiveSmallIntegerField(default=0)
    regulation = models.CharField(max_length=40)
    basis = models.CharField(max_length=60, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_charge_once")]
        indexes = [models.Index(fields=["cell", "month"]), models.Index(fields=["month"])]


class DuesPayment(AppendOnlyModel):  # khoản nộp đảng phí — append-only
    """A payment of a member for a month; a wrong one is reversed by a row pointing at it with
    the opposite amount, so the sum of a member-month's rows is what was paid."""

    append_only_label = "sổ thu đảng phí"

    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("tháng")
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField("số tiền")
    paid_on = models.DateField("ngày nộp")
    channel = models.CharField("hình thức", max_length=14, choices=Channel.choices)
    receipt_number = models.CharField("số biên lai", max_length=40, blank=True, default="")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["cell", "month"]),
            models.Index(fields=["member", "month"]),
            models.Index(fields=["month"]),
        ]
