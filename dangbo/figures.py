"""The figures engine (REPORTS §1–2): exact membership figures for any organization and period.

Each figure family is one set-based SQL statement over the ledger, the membership
spells and the closure table, reading the tree as it stood on each date — so a past
period's figures do not change after a later reorganization. The SQL is portable
between SQLite and PostgreSQL; only date literals differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from django.db import connection

from dangbo.core.dates import add_years
from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import FigureSet, canonical_key
from dangbo.figures_history import attributes_on
from dangbo.figures_history import opened_on as opened_on  # the figures' own name for it
from dangbo.membership.models import (
    CandidateStep,
    DisciplineForm,
    EventKind,
    FigureDelta,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Person,
)
from dangbo.organizations.models import Organization, OrgClosure

T_CLOSURE = OrgClosure._meta.db_table
T_SPELL = MembershipSpell._meta.db_table
T_MEMBER = Member._meta.db_table
T_PERSON = Person._meta.db_table
T_EVENT = MemberEvent._meta.db_table
T_STEP = CandidateStep._meta.db_table
T_DELTA = FigureDelta._meta.db_table
QN_KEY = '"key"'  # a keyword in SQLite: quoted, as both databases read it

STOCKS = ("members", "official", "probationary", "women", "exempt")
FLOWS = (
    "admitted",
    "readmitted",
    "recognized_official",
    "transferred_in",
    "transferred_out",
    "transferred_internal",
    "temporary_in",
    "temporary_out",
    "reorganized_in",
    "reorganized_out",
    "died",
    "removed",
    "expelled",
    "left",
    "cards_issued",
    "badges_awarded",
    "badges_posthumous",
    "candidates_trained",
    "candidates_verified",
    "dossiers_completed",
    "exemptions_granted",
)
INFLOWS = ("admitted", "readmitted", "transferred_in", "reorganized_in")
OUTFLOWS = ("transferred_out", "reorganized_out", "died", "removed", "expelled", "left")

#: Age bands of the statistical forms: (label, upper bound in whole years or None).
AGE_BANDS = (
    ("30 trở xuống", 30),
    ("31–40", 40),
    ("41–50", 50),
    ("51–60", 60),
    ("61–70", 70),
    ("trên 70", None),
)
#: Party-age bands: (label, upper bound exclusive in whole years or None).
PARTY_AGE_BANDS = (
    ("dưới 10 năm", 10),
    ("10 đến dưới 20 năm", 20),
    ("20 đến dưới 30 năm", 30),
    ("30 đến dưới 40 năm", 40),
    ("40 đến dưới 50 năm", 50),
    ("từ 50 năm trở lên", None),
)
#: the candidates' steps counted, by the figure that counts them
STEP_FIGURES = {
    "hoc_lop": "candidates_trained",
    "tham_tra": "candidates_verified",
    "ho_so": "dossiers_completed",
}
STOCK_FIELDS = tuple(f"{k}_{w}" for k in STOCKS for w in ("start", "end"))
#: Every count figure a report may override by hand.
COUNT_FIELDS = frozenset(STOCK_FIELDS) | frozenset(FLOWS)
BREAKDOWNS = (
    "gender",
    "age",
    "party_age",
    "ethnicity",
    "religion",
    "education",
    "qualification",
    "theory",
    "occupation",
)


def date_literal() -> str:
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput("Ngày kết thúc kỳ trước ngày bắt đầu.", field="to")


@dataclass(frozen=True)
class MembershipFigures(FigureSet):
    """Every figure of REPORTS §1–2 for an organization's subtree and a period.

    Stocks (``*_start`` on the eve of the period, ``*_end`` on its last day) and flows are
    counts; ``badges_by_milestone`` counts badges by party-age years ("30", "40", …, in
    increasing order), ``disciplined`` counts member disciplines by form (every form);
    ``breakdowns`` (None when not computed) counts the end stock by each dimension of the
    statistical forms. The canonical keys are the field names, with ``from`` and ``to``
    for the period's dates."""

    start: date = canonical_key("from")
    end: date = canonical_key("to")
    members_start: int = 0
    members_end: int = 0
    official_start: int = 0
    official_end: int = 0
    probationary_start: int = 0
    probationary_end: int = 0
    women_start: int = 0
    women_end: int = 0
    exempt_start: int = 0
    exempt_end: int = 0
    admitted: int = 0
    readmitted: int = 0
    recognized_official: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    transferred_internal: int = 0
    temporary_in: int = 0
    temporary_out: int = 0
    reorganized_in: int = 0
    reorganized_out: int = 0
    died: int = 0
    removed: int = 0
    expelled: int = 0
    left: int = 0
    cards_issued: int = 0
    badges_awarded: int = 0
    badges_posthumous: int = 0
    candidates_trained: int = 0
    candidates_verified: int = 0
    dossiers_completed: int = 0
    exemptions_granted: int = 0
    badges_by_milestone: Mapping[str, int] = field(default_factory=dict)
    disciplined: Mapping[str, int] = field(default_factory=dict)
    disciplined_total: int = 0
    breakdowns: Mapping[str, Mapping[str, int]] | None = field(
        default=None, metadata={"omit_none": True}
    )
    #: the organization's opening date (nhập sổ) when the period starts before it: the
    #: figures are then not available (the stock before it was never recorded)
    not_available_before: date | None = field(default=None, metadata={"omit_none": True})

    @property
    def available(self) -> bool:
        """Whether the period starts on or after the opening date (or there is none)."""
        return self.not_available_before is None

    def count(self, name: str) -> int:
        """The count figure named `name` (a stock ``members_end`` or a flow ``admitted``)."""
        if name not in COUNT_FIELDS:
            raise KeyError(name)
        value = getattr(self, name)
        assert isinstance(value, int)
        return value


def stock_counts(rows: Sequence[tuple[str, str, bool, bool, int, int]]) -> dict[str, int]:
    """The stock figures from (status, _, women, exempt, count at start, count at end) rows."""
    out = {f"{k}_{w}": 0 for k in STOCKS for w in ("start", "end")}
    for status, _, women, exempt, *ns in rows:
        for which, n in zip(("start", "end"), ns, strict=True):
            out[f"members_{which}"] += n
            kind = "official" if status == MemberStatus.OFFICIAL else "probationary"
            out[f"{kind}_{which}"] += n
            if women:
                out[f"women_{which}"] += n
            if exempt:
                out[f"exempt_{which}"] += n
    return out


#: a flow row: kind, form, badge milestone, posthumous, in_to, in_from, count
FlowRow = tuple[str, str, int | None, bool, int, int, int]


def classify_flows(rows: Sequence[FlowRow]) -> dict[str, Any]:
    """The flow figures of a subtree from its event rows (:data:`FlowRow`)."""
    out: dict[str, Any] = {k: 0 for k in FLOWS}
    badges: dict[str, int] = {}
    disciplined = {f: 0 for f in DisciplineForm.values}
    for kind, form, badge_years, posthumous, in_to, in_from, n in rows:
        crossing_in, crossing_out = in_to and not in_from, in_from and not in_to
        if kind == EventKind.ADMISSION and in_to:
            out["admitted"] += n
        elif kind == EventKind.READMISSION and in_to:
            out["readmitted"] += n
        elif kind == EventKind.RECOGNITION and in_to:
            out["recognized_official"] += n
        elif kind == EventKind.TRANSFER:
            # an event picked up through a cell that was in O at another time of the period
            # may lie wholly outside O on its date: then it is none of O's business
            if crossing_in:
                out["transferred_in"] += n
            elif crossing_out:
                out["transferred_out"] += n
            elif in_to and in_from:
                out["transferred_internal"] += n
        elif kind == EventKind.TEMPORARY_OUT:
            if crossing_in:
                out["temporary_in"] += n
            elif crossing_out:
                out["temporary_out"] += n
        elif kind == EventKind.REORGANIZATION:
            if crossing_in:
                out["reorganized_in"] += n
            elif crossing_out:
                out["reorganized_out"] += n
        elif kind == EventKind.DEATH and in_from:
            out["died"] += n
        elif kind == EventKind.REMOVAL and in_from:
            out["removed"] += n
        elif kind == EventKind.LEAVING and in_from:
            out["left"] += n
        elif kind == EventKind.DISCIPLINE and in_from:
            disciplined[form] = disciplined.get(form, 0) + n
            if form == DisciplineForm.EXPULSION:
                out["expelled"] += n
        elif kind == EventKind.CARD and in_to:
            out["cards_issued"] += n
        elif kind == EventKind.BADGE and in_to:
            out["badges_awarded"] += n
            badges[str(badge_years)] = badges.get(str(badge_years), 0) + n
            if posthumous:
                out["badges_posthumous"] += n
        elif kind == EventKind.EXEMPTION and in_to:
            out["exemptions_granted"] += n
    out["badges_by_milestone"] = dict(sorted(badges.items(), key=lambda kv: int(kv[0])))
    out["disciplined"] = disciplined
    out["disciplined_total"] = sum(disciplined.values())
    return out


def _latest_start(on: date, years: int) -> date:
    """The latest date from which `years` whole years have passed by `on` (as the rules count:
    29/2 reaches its anniversary on 28/2 of a common year)."""
    start = add_years(on, -years)
    while add_years(start + timedelta(days=1), years) <= on:
        start += timedelta(days=1)
    return start


def _band_case(
    column: str,
    bands: Sequence[tuple[str, int | None]],
    on: date,
    *,
    inclusive_upper: bool,
) -> tuple[str, list[Any]]:
    """SQL CASE mapping a date column (birth or party anchor) to its band on `on`."""
    parts: list[str] = []
    params: list[Any] = []
    for label, upper in bands:
        if upper is None:
            parts.append("ELSE %s")
            params.append(label)
        else:
            # whole years <= upper  <=>  column > latest date with upper + 1 years by `on`;
            # < upper  <=>  column > latest date with upper years by `on`
            limit = _latest_start(on, upper + 1 if inclusive_upper else upper)
            parts.append(f"WHEN {column} > %s THEN %s")
            params.extend([limit, label])
    return "CASE " + " ".join(parts) + " END", params


def stock_breakdowns(org_id: int, on: date) -> dict[str, dict[str, int]]:
    """The stock of `org_id` on `on` counted by each dimension of the statistical forms.

    Education, qualification, political theory, occupation, ethnicity and religion are
    counted by the value in force on `on` (the person's attribute history), not today's."""
    age_case, age_params = _band_case("birth_date", AGE_BANDS, on, inclusive_upper=True)
    pa_case, pa_params = _band_case("party_anchor", PARTY_AGE_BANDS, on, inclusive_upper=False)
    selects, params = [], []
    for dim in BREAKDOWNS:
        expr = dim
        if dim == "age":
            expr = age_case
            params.extend(age_params)
        elif dim == "party_age":
            expr = pa_case
            params.extend(pa_params)
        selects.append(
            f"SELECT '{dim}' AS dim, val, COUNT(*) AS n FROM (SELECT {expr} AS val FROM stock) x{dim} GROUP BY val"
        )
    attr_cte, attr_columns, attr_joins = attributes_on("%s")
    sql = f"""
        WITH {attr_cte},
        stock AS (
            SELECT pe.gender, pe.birth_date, s.party_anchor, {attr_columns} {T_CLOSURE} c
            JOIN {T_SPELL} s ON s.cell_id = c.descendant_id AND s.valid_from <= %s AND s.valid_to > %s
            JOIN {T_MEMBER} m ON m.id = s.member_id
            JOIN {T_PERSON} pe ON pe.id = m.person_id
            {attr_joins}
            WHERE c.ancestor_id = %s AND c.valid_from <= %s AND c.valid_to > %s
        )
        {" UNION ALL ".join(selects)}
    """
    out: dict[str, dict[str, int]] = {dim: {} for dim in BREAKDOWNS}
    with connection.cursor() as cur:
        cur.execute(sql, [on, on, on, org_id, on, on, *params])
        for dim, value, n in cur.fetchall():
            out[dim][value if value not in (None, "") else "(chưa ghi)"] = n
    order = {"age": [b[0] for b in AGE_BANDS], "party_age": [b[0] for b in PARTY_AGE_BANDS]}
    for dim, values in out.items():
        if dim in order:
            out[dim] = {k: values[k] for k in order[dim] if k in values}
        else:
            out[dim] = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _aggregates(org_ids: Sequence[int], period: Period) -> dict[int, dict[str, Any]]:
    """The stocks, flows and candidates' steps of each of `org_ids` (its subtree) over
    `period`, from the aggregates (:mod:`dangbo.membership.aggregates`): the stock rows up
    to the period's end and the flow rows within it — a few hundred rows whatever the size."""
    eve = period.start - timedelta(days=1)
    ids = ", ".join(["%s"] * len(org_ids))
    sql = f"""
        SELECT org_id, part, {QN_KEY}, SUM(CASE WHEN day <= %s THEN n ELSE 0 END), SUM(n)
        FROM {T_DELTA} WHERE org_id IN ({ids}) AND part = 'S' AND day <= %s
        GROUP BY org_id, part, {QN_KEY}
        UNION ALL
        SELECT org_id, part, {QN_KEY}, 0, SUM(n)
        FROM {T_DELTA} WHERE org_id IN ({ids}) AND part = 'F' AND day >= %s AND day <= %s
        GROUP BY org_id, part, {QN_KEY}
    """
    params: list[Any] = [eve, *org_ids, period.end, *org_ids, period.start, period.end]
    stocks: dict[int, list[tuple[str, str, bool, bool, int, int]]] = {i: [] for i in org_ids}
    flows: dict[int, list[FlowRow]] = {i: [] for i in org_ids}
    steps: dict[int, dict[str, int]] = {i: {v: 0 for v in STEP_FIGURES.values()} for i in org_ids}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    for org_id, part, key, at_start, total in rows:
        fields = key.split("|")
        if part == "S":
            status, (women, exempt) = fields[0], fields[1]
            stocks[org_id].append((status, "", women == "1", exempt == "1", at_start, total))
        elif fields[0] == "C":
            steps[org_id][STEP_FIGURES[fields[1]]] += total
        else:
            kind, form, badge, posthumous, (t, f) = fields
            flows[org_id].append(
                (
                    kind,
                    form,
                    int(badge) if badge else None,
                    posthumous == "1",
                    t == "1",
                    f == "1",
                    total,
                )
            )
    return {i: {**stock_counts(stocks[i]), **classify_flows(flows[i]), **steps[i]} for i in org_ids}


def membership_figures(
    org: Organization | int, start: date, end: date, *, breakdowns: bool = True
) -> MembershipFigures:
    """Every figure of REPORTS §1–2 for `org`'s subtree over [start, end] (inclusive).

    Stocks, flows and candidates' steps come from the aggregates, in time independent of the
    subtree's size; `breakdowns=False` skips the statistical-form tables."""
    org_id = org if isinstance(org, int) else org.pk
    period = Period(start, end)
    counts = _aggregates([org_id], period)[org_id]
    return figures_of(
        org_id,
        period,
        counts,
        breakdowns=stock_breakdowns(org_id, end) if breakdowns else None,
    )


def figures_of(
    org_id: int,
    period: Period,
    counts: Mapping[str, Any],
    *,
    breakdowns: Mapping[str, Mapping[str, int]] | None = None,
) -> MembershipFigures:
    """:class:`MembershipFigures` of `org_id` over `period` from its counts (stocks, flows
    with ``badges_by_milestone``, ``disciplined``, ``disciplined_total``, candidates)."""
    opening = opened_on(org_id)
    return MembershipFigures(
        not_available_before=opening if opening is not None and period.start < opening else None,
        start=period.start,
        end=period.end,
        **{k: counts[k] for k in COUNT_FIELDS},
        badges_by_milestone=counts["badges_by_milestone"],
        disciplined=counts["disciplined"],
        disciplined_total=counts["disciplined_total"],
        breakdowns=breakdowns,
    )


def identity_gap(figures: MembershipFigures) -> int:
    """members_end minus what the identity of REPORTS §1 predicts (0 when it holds)."""
    predicted = (
        figures.members_start
        + sum(figures.count(k) for k in INFLOWS)
        - sum(figures.count(k) for k in OUTFLOWS)
    )
    return figures.members_end - predicted


def members_series(org: Organization | int, dates: list[date]) -> list[int]:
    """Members of `org`'s subtree at the end of each of `dates`, from the stock aggregates
    (each as :func:`membership_figures` counts ``members_end`` on that date)."""
    org_id = org if isinstance(org, int) else org.pk
    if not dates:
        return []
    sql = f"""
        SELECT day, SUM(n) FROM {T_DELTA} WHERE org_id = %s AND part = 'S' AND day <= %s
        GROUP BY day ORDER BY day
    """
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, max(dates)])
        changes = [(_as_date(day), n) for day, n in cur.fetchall()]
    out = []
    for d in dates:
        out.append(sum(n for day, n in changes if day <= d))
    return out


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def admissions_series(org: Organization | int, start: date, ends: Sequence[date]) -> list[int]:
    """Admissions and readmissions into `org`'s subtree in consecutive spans, from the flow
    aggregates: [start, ends[0]], then (ends[i−1], ends[i]] — each counted as ``admitted +
    readmitted`` of :func:`membership_figures` over its span would count them."""
    org_id = org if isinstance(org, int) else org.pk
    if not ends:
        return []
    kinds = (EventKind.ADMISSION.value, EventKind.READMISSION.value)
    sql = f"""
        SELECT day, {QN_KEY}, SUM(n) FROM {T_DELTA}
        WHERE org_id = %s AND part = 'F' AND day >= %s AND day <= %s
          AND ({QN_KEY} LIKE %s OR {QN_KEY} LIKE %s)
        GROUP BY day, {QN_KEY}
    """
    out = [0] * len(ends)
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, start, ends[-1], *(f"{k}|%" for k in kinds)])
        rows = cur.fetchall()
    for day, key, n in rows:
        fields = key.split("|")
        if fields[0] not in kinds or fields[-1][0] != "1":  # entered the subtree that day
            continue
        on = _as_date(day)
        out[next(i for i, end in enumerate(ends) if on <= end)] += n
    return out


@dataclass(frozen=True)
class UnitCounts:
    """The figures of one unit's subtree that the report's table of units shows."""

    members_start: int = 0
    members_end: int = 0
    official_end: int = 0
    probationary_end: int = 0
    admitted: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    died: int = 0


def unit_counts(org_ids: Sequence[int], start: date, end: date) -> dict[int, UnitCounts]:
    """:class:`UnitCounts` of each of `org_ids` (each its own subtree) over [start, end] in one
    query; each figure as :func:`membership_figures` of that organization counts it."""
    period = Period(start, end)
    if not org_ids:
        return {}
    counts = _aggregates(list(dict.fromkeys(org_ids)), period)
    names = [f.name for f in fields(UnitCounts)]
    return {i: UnitCounts(**{k: counts[i][k] for k in names}) for i in org_ids}
