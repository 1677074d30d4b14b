"""Role assignments: an account holds roles over organizations' subtrees for spans of dates."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from dangbo.accounts.permissions import ROLE_LABELS, Role


class RoleAssignment(models.Model):  # phân công vai trò
    """`user` holds `role` over `org` and its whole subtree over [valid_from, valid_to].

    `valid_to` is the last day (inclusive), empty while the assignment runs.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(
        "vai trò", max_length=20, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    org = models.ForeignKey(
        "organizations.Organization",
        verbose_name="tổ chức",
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "valid_from"])]

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def __str__(self) -> str:
        return f"{self.get_role_display()} — tổ chức #{self.org_id}"
