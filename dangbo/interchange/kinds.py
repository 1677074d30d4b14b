"""The registry: every app's interchange declaration, in dependency order.

An app's records may refer only to records of the apps before it; export writes the
types in this order and the bulk loader writes them in this order.
"""

from __future__ import annotations

from dangbo.congresses import interchange as congresses
from dangbo.documents import interchange as documents
from dangbo.dues import interchange as dues
from dangbo.grading import interchange as grading
from dangbo.inspections import interchange as inspections
from dangbo.interchange.schema import RecordType, Registry
from dangbo.meetings import interchange as meetings
from dangbo.membership import interchange as membership
from dangbo.organizations import interchange as organizations
from dangbo.reports import interchange as reports
from dangbo.targets import interchange as targets

REGISTRY = Registry(
    (
        organizations.APP,
        membership.APP,
        congresses.APP,
        grading.APP,
        targets.APP,
        inspections.APP,
        documents.APP,
        meetings.APP,
        dues.APP,
        reports.APP,
    )
)

#: Record types in the order export writes them (import accepts any order of lines).
RECORD_TYPES: dict[str, RecordType] = REGISTRY.types
