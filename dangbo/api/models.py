"""API tokens (stored hashed) and the idempotency keys of API writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):  # mã truy cập API của một tài khoản
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên gợi nhớ", max_length=80, blank=True, default="")
    #: the first characters of the token, shown in lists so its owner can tell tokens apart
    prefix = models.CharField("tiền tố", max_length=12, unique=True)
    #: SHA-256 (hex) of the whole token; the token itself is shown once and never stored
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'không tên'})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):  # khóa chống ghi hai lần của một yêu cầu ghi
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    #: SHA-256 of the method, the path and the body: the same key with another request is refused
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]
