"""Reads of review reports."""

from __future__ import annotations

from datetime import date

from dangbo.reports.models import ReportStatus, ReviewReport


def issued_report_exists(org_id: int, start: date, end: date) -> bool:
    """An issued review report of the organization for exactly the period [start, end] exists."""
    return ReviewReport.objects.filter(
        org_id=org_id, period_start=start, period_end=end, status=ReportStatus.ISSUED
    ).exists()
