"""The review report's data: one frozen, typed object with every figure, and its snapshot.

Nothing here formats text; :mod:`dangbo.reports.compose` writes the Vietnamese. The
snapshot (:meth:`ReviewData.to_json`, version 2) holds figure sets under their canonical
keys with JSON numbers; :meth:`ReviewData.from_json` also reads the first shape (version 1,
read by ``_from_v1``), so an issued report renders the same text forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dangbo.congresses.figures import CongressFigures
from dangbo.core.dates import add_months, parse_date
from dangbo.core.numbers import from_json_value, to_json_value
from dangbo.dues.figures import DuesFigures
from dangbo.figures import MembershipFigures, UnitCounts
from dangbo.grading.figures import GradingFigures
from dangbo.inspections.figures import InspectionFigures
from dangbo.targets.figures import AdoptedTargets, TargetRow
from dangbo.vn_format import DEFAULT_WORDING, ISSUED_BEFORE_SETTINGS, Wording

SNAPSHOT_VERSION = 2


@dataclass(frozen=True)
class OrgHeading:
    """The reporting organization as it stood at the period's end."""

    id: int
    code: str
    name: str
    committee: str  # "Đảng ủy phường 1"
    doc_code: str  # "ĐU"
    kind: str


@dataclass(frozen=True)
class Superior:
    """The organization above on the period's end."""

    name: str
    committee: str


@dataclass(frozen=True)
class Signer:
    form: str  # "T/M BAN THƯỜNG VỤ"
    position: str  # "BÍ THƯ"
    name: str


@dataclass(frozen=True)
class Override:
    """A figure the office set by hand, with the value the records give."""

    value: int
    computed: int


@dataclass(frozen=True)
class UnitRow:
    """One direct sub-organization with members in the period, and its figures."""

    name: str
    code: str
    counts: UnitCounts


@dataclass(frozen=True)
class MonthPoint:
    """A count at (or up to) a month's end; ``on`` is the last day counted."""

    on: date
    value: int


@dataclass(frozen=True)
class ClassRow:
    """A training class organized in the period."""

    kind: str  # ClassKind value
    name: str
    starts_on: date
    ends_on: date
    attendees: int
    certified: int


@dataclass(frozen=True)
class DocumentItem:
    """A document studied or implemented: its citation and title (both the document's own
    words, written when the document was registered)."""

    citation: str
    title: str


@dataclass(frozen=True)
class OpenTask:
    task: str
    owner: str
    deadline: date | None = None


@dataclass(frozen=True)
class ReviewData:
    """Everything a review report shows, as typed data (JSON via to_json / from_json)."""

    status: str
    kind: str
    period_code: str
    period_start: date
    period_end: date
    topic: str
    org: OrgHeading
    superior: Superior | None
    number: str  # "154-BC/ĐU"; "" for a draft
    issued_on: date | None
    place: str
    signature: Signer
    recipients: tuple[str, ...]
    figures: MembershipFigures  # with hand overrides applied
    overrides: Mapping[str, Override]
    units: tuple[UnitRow, ...]
    monthly: tuple[MonthPoint, ...]  # members at each month's end
    admissions_by_month: tuple[MonthPoint, ...]  # admitted + readmitted in each month
    admission_target: int | None
    classes: tuple[ClassRow, ...]
    narrative: Mapping[str, str]
    # parts whose records may be missing; they render when present
    congresses: CongressFigures | None = None
    grading: GradingFigures | None = None
    targets: tuple[TargetRow, ...] = ()
    inspections: InspectionFigures | None = None
    documents: tuple[DocumentItem, ...] = ()
    open_tasks: tuple[OpenTask, ...] = ()
    targets_adopted: AdoptedTargets | None = None  # for a later period, not yet evaluated
    dues: DuesFigures | None = None  # when the period has dues records (older snapshots: none)
    wording: Wording = DEFAULT_WORDING  # the office's settings on the report's date
    version: int = SNAPSHOT_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The snapshot: figure sets by canonical keys, numbers as JSON numbers, dates ISO."""
        out = to_json_value(self)
        assert isinstance(out, dict)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewData:
        """The data of a snapshot of any version (1: the first shape, 2: this one)."""
        if data.get("version", 1) == 1:
            return _from_v1(data)
        if data["version"] != SNAPSHOT_VERSION:
            raise ValueError(f"unknown snapshot version {data['version']!r}")
        if "wording" not in data:  # issued before the office settings: the old wording
            data = {**data, "wording": to_json_value(ISSUED_BEFORE_SETTINGS)}
        value = from_json_value(cls, data)
        assert isinstance(value, ReviewData)
        return value


# --- the first snapshot shape (version 1) ----------------------------------------------------
# Version 1 kept loose dicts, congress and grading shares as text ("42,9%", "5/6", left
# unread: the composer writes them from the counts), target values as printed ("18.700.000",
# "90,1", "98,9%", "—"), months as "6/2023", class dates as ISO text with a kind label, and
# inspection figures without their period.


def _number_v1(text: str) -> Decimal:
    """A number as version 1 printed it ("18.700.000", "90,1") → Decimal("18700000"), …"""
    return Decimal(text.replace(".", "").replace(",", "."))


def _percent_v1(text: str) -> Decimal | None:
    """ "98,9%" → Decimal("98.9"); "—" → None."""
    text = text.strip()
    return None if text in ("", "—") else _number_v1(text.removesuffix("%"))


def _month_v1(label: str) -> date:
    """ "6/2023" → the month's last day."""
    month, year = (int(x) for x in label.split("/"))
    return add_months(date(year, month, 1), 1) - timedelta(days=1)


def _target_v1(row: Mapping[str, Any]) -> TargetRow:
    return TargetRow(
        name=row["name"],
        unit=row.get("unit", ""),
        planned=_number_v1(row.get("planned", "0")),
        actual=_number_v1(row.get("actual", "0")),
        percent=_percent_v1(row.get("percent", "")),
        status=row.get("status", ""),
        category=row.get("category", ""),
        computed=bool(row.get("computed")),
        revised=bool(row.get("revised")),
    )


def _unit_v1(row: Mapping[str, Any]) -> UnitRow:
    counts = {k: v for k, v in row.items() if k not in ("name", "code")}
    return UnitRow(name=row["name"], code=row.get("code", ""), counts=UnitCounts(**counts))


def _from_v1(data: Mapping[str, Any]) -> ReviewData:
    start = date.fromisoformat(data["period_start"])
    end = date.fromisoformat(data["period_end"])
    inspections = data.get("inspections")
    if inspections is not None:
        inspections = {"from": start.isoformat(), "to": end.isoformat(), **inspections}
    return ReviewData(
        status=data["status"],
        kind=data["kind"],
        period_code=data["period_code"],
        period_start=start,
        period_end=end,
        topic=data.get("topic", ""),
        org=OrgHeading(**data["org"]),
        superior=Superior(**data["superior"]) if data.get("superior") else None,
        number=data.get("number", ""),
        issued_on=date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
        place=data["place"],
        signature=Signer(**data["signature"]),
        recipients=tuple(data.get("recipients") or ()),
        figures=from_json_value(MembershipFigures, data["figures"]),
        overrides={k: Override(**v) for k, v in (data.get("overrides") or {}).items()},
        units=tuple(_unit_v1(u) for u in data.get("units") or ()),
        monthly=tuple(MonthPoint(_month_v1(m), n) for m, n in data.get("monthly") or ()),
        admissions_by_month=tuple(
            MonthPoint(_month_v1(m), n) for m, n in data.get("admissions_by_month") or ()
        ),
        admission_target=data.get("admission_target"),
        classes=tuple(
            ClassRow(
                kind=c["kind"],
                name=c["name"],
                starts_on=date.fromisoformat(c["starts_on"]),
                ends_on=date.fromisoformat(c["ends_on"]),
                attendees=c["attendees"],
                certified=c["certified"],
            )
            for c in data.get("classes") or ()
        ),
        narrative=dict(data.get("narrative") or {}),
        congresses=from_json_value(CongressFigures | None, data.get("congresses")),
        grading=from_json_value(GradingFigures | None, data.get("grading")),
        targets=tuple(_target_v1(t) for t in data.get("targets") or ()),
        inspections=from_json_value(InspectionFigures | None, inspections),
        documents=tuple(
            DocumentItem(citation=d.get("citation", ""), title=d.get("title", ""))
            for d in data.get("documents") or ()
        ),
        open_tasks=tuple(
            OpenTask(
                task=t["task"],
                owner=t.get("owner", ""),
                # version 1 wrote the deadline as printed ("31/12/2023") or ""
                deadline=parse_date(t["deadline"]) if t.get("deadline") else None,
            )
            for t in data.get("open_tasks") or ()
        ),
        version=SNAPSHOT_VERSION,
        extra=dict(data.get("extra") or {}),
        wording=ISSUED_BEFORE_SETTINGS,
    )
