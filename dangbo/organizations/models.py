"""The organization tree (tổ chức đảng) with its history.

Names, codes, kinds and parents are effective-dated in :class:`OrgVersion`; the
ancestor/descendant pairs of every validity interval are kept in :class:`OrgClosure`,
so "the subtree of O as it stood on D" is one indexed join, never a walk.
All intervals are half-open ``[valid_from, valid_to)``; ``FOREVER`` marks an open end.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.db import models

from dangbo.core.dates import FOREVER


class OrgKind(models.Model):  # loại tổ chức đảng
    """A level of the tree as data: city committee, ward committee, cell…"""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=120)
    holds_members = models.BooleanField("đảng viên sinh hoạt trực tiếp", default=False)
    is_base = models.BooleanField("tổ chức cơ sở đảng", default=False)
    rank = models.PositiveSmallIntegerField("thứ tự hiển thị", default=0)

    class Meta:
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class OrgQuerySet(models.QuerySet):
    def alive_on(self, on: date) -> OrgQuerySet:
        return self.filter(versions__valid_from__lte=on, versions__valid_to__gt=on)

    def in_subtree(self, root: Organization, *, on: date) -> OrgQuerySet:
        """Organizations under `root` (itself included) as the tree stood on `on`."""
        return self.filter(
            closure_up__ancestor=root,
            closure_up__valid_from__lte=on,
            closure_up__valid_to__gt=on,
        )


class Organization(models.Model):  # tổ chức đảng
    founded_on = models.DateField("ngày thành lập")
    dissolved_on = models.DateField("ngày chấm dứt", null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    def version_on(self, on: date) -> OrgVersion | None:
        return self.versions.filter(valid_from__lte=on, valid_to__gt=on).first()

    @property
    def latest_version(self) -> OrgVersion:
        # every organization has a version from its founding on
        return cast(OrgVersion, self.versions.order_by("-valid_from").first())

    def __str__(self) -> str:
        v = self.latest_version
        return v.name if v else f"Tổ chức #{self.pk}"


class OrgVersion(models.Model):
    """What an organization was called, coded and attached to over [valid_from, valid_to)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(default=FOREVER)
    name = models.CharField("tên", max_length=200)
    code = models.CharField("mã tra cứu", max_length=60)
    doc_code = models.CharField("ký hiệu cơ quan ban hành", max_length=20, blank=True, default="")
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["org_id", "valid_from"]
        indexes = [
            models.Index(fields=["org", "valid_from"]),
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["code"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lt=models.F("valid_to")),
                name="orgversion_nonempty_interval",
            )
        ]


class OrgClosure(models.Model):
    """Derived: `ancestor` is above (or is) `descendant` over [valid_from, valid_to)."""

    # both single-column indexes are covered by the composite ones below
    ancestor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="closure_down", db_index=False
    )
    descendant = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="closure_up", db_index=False
    )
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "descendant", "valid_from"]),
            models.Index(fields=["descendant", "valid_from"]),
        ]


class ReorgKind(models.TextChoices):
    FOUND = "thanh_lap", "Thành lập"
    RENAME = "doi_ten", "Đổi tên"
    MOVE = "dieu_chuyen", "Điều chuyển trực thuộc"
    MERGE = "hop_nhat", "Hợp nhất, sáp nhập"
    SPLIT = "chia_tach", "Chia, tách"
    DISSOLVE = "giai_the", "Giải thể, chấm dứt hoạt động"


class Reorganization(models.Model):  # sắp xếp, kiện toàn tổ chức
    """One reorganization act with the decision that ordered it."""

    kind = models.CharField(max_length=16, choices=ReorgKind.choices)
    effective_on = models.DateField()
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict)


class Term(models.Model):  # nhiệm kỳ
    """A term of an organization's committee, e.g. "2020–2025" (Đại hội lần thứ XI).

    Document numbers run per type within a term; congresses (later) belong to a term.
    The term runs over [starts_on, ends_on).
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms")
    label = models.CharField("nhiệm kỳ", max_length=20)
    congress_number = models.PositiveSmallIntegerField("đại hội lần thứ", null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(default=FOREVER)

    class Meta:
        ordering = ["org_id", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["org", "starts_on"], name="term_unique_start"),
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")), name="term_nonempty"
            ),
        ]

    def __str__(self) -> str:
        return f"nhiệm kỳ {self.label}"
