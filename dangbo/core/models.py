"""Records every part of the product refers to: decisions and the audit trail."""

from django.db import models

from dangbo.core.append_only import AppendOnlyModel


class IssuerLevel(models.TextChoices):
    CENTRAL = "trung_uong", "Trung ương"
    PROVINCIAL = "tinh", "Tỉnh ủy, Thành ủy trực thuộc Trung ương"
    DISTRICT = "huyen", "Quận ủy, Huyện ủy (đến 30/6/2025)"
    COMMUNE = "xa", "Đảng ủy xã, phường, đặc khu"
    BASE = "co_so", "Tổ chức cơ sở đảng"
    CELL = "chi_bo", "Chi bộ"


class Decision(models.Model):  # quyết định, nghị quyết làm căn cứ
    """A document that authorises a fact: number, date and issuing body."""

    number = models.CharField("số", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    issuer_level = models.CharField(
        "cấp ban hành", max_length=16, choices=IssuerLevel.choices, default=IssuerLevel.BASE
    )
    title = models.CharField("trích yếu", max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on", "issuer"], name="decision_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"số {self.number}, ngày {self.issued_on:%d/%m/%Y} của {self.issuer}"


class AuditEntry(AppendOnlyModel):  # nhật ký thao tác
    """Who wrote what, when, with the state before and after (append-only, see
    `core.append_only`)."""

    append_only_label = "dòng nhật ký thao tác"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    # the client's address for a write made through the web application; empty for commands
    address = models.GenericIPAddressField("địa chỉ", null=True, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)


class LedgerMaintenance(models.Model):
    """The flag of `core.append_only.ledger_maintenance`: while a row exists (only ever
    inside that transaction), the triggers let UPDATE and DELETE of append-only rows by."""

    reason = models.CharField(max_length=200)
