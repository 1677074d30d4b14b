"""An organization's history: its versions (names, codes, kinds, parents, lifespans) and the
reorganizations that concerned it, with their decisions.

A fixed number of queries whatever the length of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangbo.core.dates import FOREVER
from dangbo.core.models import Decision
from dangbo.organizations.models import Organization, OrgVersion, Reorganization, ReorgKind


@dataclass(frozen=True)
class VersionRow:
    valid_from: date
    valid_to: date | None  # None: still in force
    name: str
    code: str
    doc_code: str
    kind: str
    parent_id: int | None
    parent_name: str  # the parent's name on `valid_from`
    decision: Decision | None


@dataclass(frozen=True)
class ReorgRow:
    id: int
    kind: str
    kind_label: str
    effective_on: date
    decision: Decision | None
    role: str  # what this organization was in it, in Vietnamese
    others: tuple[tuple[int, str], ...]  # the other organizations concerned (id, name)


@dataclass(frozen=True)
class OrgHistory:
    versions: tuple[VersionRow, ...]
    reorganizations: tuple[ReorgRow, ...]


def _roles(org_id: int, kind: str, d: dict) -> tuple[str, list[int]] | None:
    """This organization's role in one reorganization and the others concerned, or None."""

    def ids(*keys: str) -> list[int]:
        out: list[int] = []
        for k in keys:
            v = d.get(k)
            if isinstance(v, list):
                out.extend(x for x in v if isinstance(x, int))
            elif isinstance(v, int):
                out.append(v)
        return out

    if kind == ReorgKind.MERGE:
        if d.get("into") == org_id:
            return "tổ chức tiếp nhận", ids("sources")
        if org_id in ids("sources"):
            return "tổ chức được hợp nhất", ids("into")
        return None
    if kind == ReorgKind.SPLIT:
        if d.get("source") == org_id:
            return "tổ chức được chia, tách", ids("parts")
        if org_id in ids("parts"):
            return "tổ chức nhận", ids("source")
        return None
    if kind == ReorgKind.MOVE:
        if d.get("org") == org_id:
            return "tổ chức được điều chuyển", ids("before", "after")
        if org_id in ids("before"):
            return "cấp trên cũ", ids("org")
        if org_id in ids("after"):
            return "cấp trên mới", ids("org")
        return None
    if kind == ReorgKind.FOUND:
        if d.get("org") == org_id:
            return "tổ chức được thành lập", ids("parent")
        if d.get("parent") == org_id:
            return "cấp trên của tổ chức mới", ids("org")
        return None
    if d.get("org") == org_id:
        return ("tổ chức được đổi tên" if kind == ReorgKind.RENAME else "tổ chức giải thể"), []
    return None


def org_history(org: Organization) -> OrgHistory:
    """Versions oldest first and the reorganizations concerning `org`, oldest first."""
    versions = list(
        OrgVersion.objects.filter(org=org).select_related("kind", "decision").order_by("valid_from")
    )
    found: list[tuple[Reorganization, str, list[int]]] = []
    for r in Reorganization.objects.select_related("decision").order_by("effective_on", "pk"):
        role = _roles(org.pk, r.kind, r.details if isinstance(r.details, dict) else {})
        if role is not None:
            found.append((r, role[0], role[1]))
    wanted = {v.parent_id for v in versions if v.parent_id} | {
        i for _, _, others in found for i in others
    }
    by_org: dict[int, list[OrgVersion]] = {}
    for v in OrgVersion.objects.filter(org_id__in=wanted).order_by("valid_from"):
        by_org.setdefault(v.org_id, []).append(v)

    def name_on(org_id: int, on: date) -> str:
        vs = by_org.get(org_id, [])
        for v in vs:
            if v.valid_from <= on < v.valid_to:
                return v.name
        before = [v for v in vs if v.valid_from <= on]
        return (before or vs)[-1].name if vs else f"Tổ chức #{org_id}"

    return OrgHistory(
        versions=tuple(
            VersionRow(
                valid_from=v.valid_from,
                valid_to=None if v.valid_to == FOREVER else v.valid_to,
                name=v.name,
                code=v.code,
                doc_code=v.doc_code,
                kind=v.kind.name,
                parent_id=v.parent_id,
                parent_name=name_on(v.parent_id, v.valid_from) if v.parent_id else "",
                decision=v.decision,
            )
            for v in versions
        ),
        reorganizations=tuple(
            ReorgRow(
                id=r.pk,
                kind=r.kind,
                kind_label=ReorgKind(r.kind).label,
                effective_on=r.effective_on,
                decision=r.decision,
                role=role,
                others=tuple((i, name_on(i, r.effective_on)) for i in others),
            )
            for r, role, others in found
        ),
    )
