"""The audit log: VIEW_AUDIT, read only (GET)."""

from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case

CASES = [Case("web:audit", Action.VIEW_AUDIT, query="?actor=tk_office")]
