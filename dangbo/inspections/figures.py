"""Inspection, supervision and discipline figures of an organization's subtree (DOMAIN §6:
"inspected 22 organizations and 20 members; thematic supervision of 19 organizations and
7 members; N found in violation; M disciplined (by form)").

Which cases count, and where:

- A case belongs to `org` when its subject — the organization, or the member's cell as
  recorded on opening — lay in `org`'s subtree **as the tree stood on the case's start
  date**; a later move or merge does not change a past period's figures.
- Work done (inspected, supervised, by kind, complaints received) counts cases **started**
  in the period; complaints handled and violations found count cases **concluded** in the
  period (the conclusion is what "handled" and "found" mean), still placed by the tree on
  the start date.
- Discipline counts the discipline **decided** in the period, placed as of its own date:
  an organization by the tree on the decision date; a member by the ledger event exactly
  as :func:`dangbo.figures.membership_figures` places it (the cell before the event, the
  tree on the event's date), so the case-linked share of the ledger's "disciplined" never
  disagrees with it. Reversed ledger events do not count.
- Subjects are counted distinct within each figure (an organization inspected twice in
  the period is one inspected organization); complaints and disciplines count cases and
  decisions.

Each family is one set-based SQL statement, portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection

from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import FigureSet, canonical_key
from dangbo.inspections.models import (
    COMPLAINT_KINDS,
    INSPECTION_KINDS,
    SUPERVISION_KINDS,
    Case,
    CaseKind,
    MemberDisciplineLink,
    OrgDiscipline,
    OrgDisciplineForm,
)
from dangbo.membership.models import DisciplineForm, MemberEvent
from dangbo.organizations.models import Organization, OrgClosure, OrgKind, OrgVersion

T_CASE = Case._meta.db_table
T_ORG_DISCIPLINE = OrgDiscipline._meta.db_table
T_LINK = MemberDisciplineLink._meta.db_table
T_EVENT = MemberEvent._meta.db_table
T_CLOSURE = OrgClosure._meta.db_table
T_VERSION = OrgVersion._meta.db_table
T_KIND = OrgKind._meta.db_table

CATEGORIES = (
    ("inspection", INSPECTION_KINDS),
    ("supervision", SUPERVISION_KINDS),
    ("complaint", COMPLAINT_KINDS),
)


@dataclass(frozen=True)
class CaseCounts:
    """Distinct subject organizations and members, and cases, of one kind of case."""

    orgs: int = 0
    members: int = 0
    cases: int = 0


@dataclass(frozen=True)
class InspectionFigures(FigureSet):
    """Inspection, supervision and discipline figures; see :func:`inspection_figures`."""

    start: date = canonical_key("from")
    end: date = canonical_key("to")
    inspected_orgs: int = 0
    inspected_members: int = 0
    supervised_orgs: int = 0
    supervised_members: int = 0
    by_kind: Mapping[str, CaseCounts] = field(default_factory=dict)
    complaints_received: int = 0
    complaints_handled: int = 0
    violations_found: int = 0
    violations_found_orgs: int = 0
    violations_found_members: int = 0
    disciplined_orgs: Mapping[str, int] = field(default_factory=dict)
    disciplined_orgs_total: int = 0
    disciplined_members: Mapping[str, int] = field(default_factory=dict)
    disciplined_members_total: int = 0
    cells_inspected_members: int = 0
    cells_supervised_members: int = 0
    cells_complaints_received: int = 0

    @property
    def anything_counted(self) -> bool:
        """Whether any inspection, supervision or violation was counted (the report's part)."""
        return any(
            (
                self.inspected_orgs,
                self.inspected_members,
                self.supervised_orgs,
                self.supervised_members,
                self.violations_found,
            )
        )


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _cases(org_id: int, start: date, end: date) -> list[tuple[Any, ...]]:
    """(group, key, distinct subject orgs, distinct subject members, cases) rows."""
    category = (
        "CASE "
        + " ".join(f"WHEN k.kind IN {_in(kinds)} THEN %s" for _, kinds in CATEGORIES)
        + " END"
    )
    category_params = [p for name, kinds in CATEGORIES for p in (*kinds, name)]
    sql = f"""
        WITH cs AS (
            SELECT DISTINCT k.id, k.kind, {category} AS cat, k.subject_org_id, k.subject_member_id,
                   k.starts_on, k.concluded_on, k.violation_found,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM {T_VERSION} v JOIN {T_KIND} ok ON ok.id = v.kind_id
                       WHERE v.org_id = k.conducting_org_id AND v.valid_from <= k.starts_on
                         AND v.valid_to > k.starts_on AND ok.holds_members = %s
                   ) THEN 1 ELSE 0 END AS by_cell
            FROM {T_CASE} k
            JOIN {T_CLOSURE} c ON c.ancestor_id = %s
                 AND c.descendant_id = COALESCE(k.subject_org_id, k.subject_cell_id)
                 AND c.valid_from <= k.starts_on AND c.valid_to > k.starts_on
            WHERE k.starts_on <= %s
        )
        SELECT 'kind' AS grp, kind AS k, COUNT(DISTINCT subject_org_id), COUNT(DISTINCT subject_member_id),
               COUNT(*)
        FROM cs WHERE starts_on >= %s AND starts_on <= %s GROUP BY kind
        UNION ALL
        SELECT 'started', cat, COUNT(DISTINCT subject_org_id), COUNT(DISTINCT subject_member_id), COUNT(*)
        FROM cs WHERE starts_on >= %s AND starts_on <= %s GROUP BY cat
        UNION ALL
        SELECT 'concluded', cat, COUNT(DISTINCT subject_org_id), COUNT(DISTINCT subject_member_id), COUNT(*)
        FROM cs WHERE concluded_on >= %s AND concluded_on <= %s GROUP BY cat
        UNION ALL
        SELECT 'violation', 'all', COUNT(DISTINCT subject_org_id), COUNT(DISTINCT subject_member_id), COUNT(*)
        FROM cs WHERE concluded_on >= %s AND concluded_on <= %s AND violation_found = %s
        UNION ALL
        SELECT 'by_cell', cat, COUNT(DISTINCT subject_org_id), COUNT(DISTINCT subject_member_id), COUNT(*)
        FROM cs WHERE starts_on >= %s AND starts_on <= %s AND by_cell = 1 GROUP BY cat
    """
    params: list[Any] = [
        *category_params,
        True,
        org_id,
        end,
        start,
        end,
        start,
        end,
        start,
        end,
        start,
        end,
        True,
        start,
        end,
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows


def _org_disciplines(org_id: int, start: date, end: date) -> dict[str, int]:
    sql = f"""
        SELECT d.form, COUNT(*) FROM {T_ORG_DISCIPLINE} d
        WHERE d.decided_on >= %s AND d.decided_on <= %s
          AND EXISTS (SELECT 1 FROM {T_CLOSURE} c WHERE c.ancestor_id = %s AND c.descendant_id = d.org_id
                      AND c.valid_from <= d.decided_on AND c.valid_to > d.decided_on)
        GROUP BY d.form
    """
    out = {f: 0 for f in OrgDisciplineForm.values}
    with connection.cursor() as cur:
        cur.execute(sql, [start, end, org_id])
        for form, n in cur.fetchall():
            out[form] = n
    return out


def _member_disciplines(org_id: int, start: date, end: date) -> dict[str, int]:
    sql = f"""
        SELECT e.form, COUNT(*) FROM {T_LINK} l
        JOIN {T_EVENT} e ON e.id = l.event_id
        WHERE e.effective_on >= %s AND e.effective_on <= %s
          AND EXISTS (SELECT 1 FROM {T_CLOSURE} c WHERE c.ancestor_id = %s AND c.descendant_id = e.from_org_id
                      AND c.valid_from <= e.from_on AND c.valid_to > e.from_on)
          AND NOT EXISTS (SELECT 1 FROM {T_EVENT} r WHERE r.reverses_id = e.id)
        GROUP BY e.form
    """
    out = {f: 0 for f in DisciplineForm.values}
    with connection.cursor() as cur:
        cur.execute(sql, [start, end, org_id])
        for form, n in cur.fetchall():
            out[form] = n
    return out


def inspection_figures(org: Organization | int, start: date, end: date) -> InspectionFigures:
    """Inspection, supervision and discipline figures of `org`'s subtree over [start, end].

    Keys (counts unless said otherwise):

    - ``inspected_orgs``, ``inspected_members``: distinct subjects of inspections
      (kiểm tra khi có dấu hiệu vi phạm, kiểm tra chuyên đề) started in the period;
    - ``supervised_orgs``, ``supervised_members``: the same for supervision (thường xuyên,
      chuyên đề);
    - ``by_kind``: {case kind: {"orgs", "members", "cases"}} for cases started in the period;
    - ``complaints_received``: complaint and denunciation cases started in the period;
      ``complaints_handled``: those concluded in the period;
    - ``violations_found``: distinct subjects (organizations + members) of cases concluded
      in the period with a violation found; split as ``violations_found_orgs`` and
      ``violations_found_members``;
    - ``disciplined_orgs`` {khien_trach, canh_cao, giai_tan: n} and ``disciplined_orgs_total``;
    - ``disciplined_members`` {khien_trach, canh_cao, cach_chuc, khai_tru: n} and
      ``disciplined_members_total`` (from the ledger events linked to cases);
    - ``cells_inspected_members``, ``cells_supervised_members``: of those, the members
      inspected or supervised by their own cell (the conducting organization a cell on the
      start date); ``cells_complaints_received``: complaints and denunciations a cell took up;
    - ``from``, ``to``: the period (ISO dates).
    """
    if end < start:
        raise InvalidInput("Ngày kết thúc kỳ trước ngày bắt đầu.", field="to")
    org_id = org if isinstance(org, int) else org.pk
    by_kind = {k: CaseCounts() for k in CaseKind.values}
    started = {name: (0, 0, 0) for name, _ in CATEGORIES}
    concluded = dict(started)
    violation = (0, 0, 0)
    by_cell = {name: (0, 0, 0) for name, _ in CATEGORIES}
    for group, key, orgs, members, cases in _cases(org_id, start, end):
        if group == "kind":
            by_kind[key] = CaseCounts(orgs, members, cases)
        elif group == "started":
            started[key] = (orgs, members, cases)
        elif group == "concluded":
            concluded[key] = (orgs, members, cases)
        elif group == "by_cell":
            by_cell[key] = (orgs, members, cases)
        else:
            violation = (orgs, members, cases)
    org_forms = _org_disciplines(org_id, start, end)
    member_forms = _member_disciplines(org_id, start, end)
    return InspectionFigures(
        start=start,
        end=end,
        inspected_orgs=started["inspection"][0],
        inspected_members=started["inspection"][1],
        supervised_orgs=started["supervision"][0],
        supervised_members=started["supervision"][1],
        by_kind=by_kind,
        complaints_received=started["complaint"][2],
        complaints_handled=concluded["complaint"][2],
        violations_found=violation[0] + violation[1],
        violations_found_orgs=violation[0],
        violations_found_members=violation[1],
        disciplined_orgs=org_forms,
        disciplined_orgs_total=sum(org_forms.values()),
        disciplined_members=member_forms,
        disciplined_members_total=sum(member_forms.values()),
        cells_inspected_members=by_cell["inspection"][1],
        cells_supervised_members=by_cell["supervision"][1],
        cells_complaints_received=by_cell["complaint"][2],
    )
