"""Base for dangbo's commands: domain errors become a Vietnamese message and exit status 1."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from dangbo.core.errors import DomainError


class DangboCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DomainError as exc:
            self.stderr.write(f"Lỗi: {exc.message}")
            sys.exit(1)
