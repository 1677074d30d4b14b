"""Targets in the interchange file: term and year targets with revisions and evaluations."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker
from dangbo.interchange.schema import COUNT_MAX, App, Field, RecordType, string
from dangbo.organizations.interchange import has_term, org_ok
from dangbo.targets.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Category,
    Evaluation,
    Figure,
    ReviewKind,
    SourceKind,
    Target,
    TargetRevision,
)
from dangbo.targets.models import Direction as TargetDirection
from dangbo.targets.rules import (
    check_percent_unit,
    check_review_kind,
    check_review_period,
    check_revision_date,
    check_target_new,
    check_target_period,
    period_field,
)
from dangbo.vn_format import round_half_up

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


#: Targets' planned, baseline and actual values: below 10^16, at most 4 decimal places.
VALUE_MAX = 10 ** (VALUE_DIGITS - VALUE_PLACES) - 1


def _value(name: str, *, required: bool = False) -> Field:
    return Field(
        name, "decimal", required=required, maximum=VALUE_MAX, places=VALUE_PLACES, signed=True
    )


REVISION_FIELDS = (
    string(TargetRevision, "name", required=True),
    string(TargetRevision, "unit"),
    _value("planned", required=True),
    Field("decision", "ref", required=True, target="decision"),
    Field("effective_on", "date", required=True),
    string(TargetRevision, "reason", required=True),
    string(TargetRevision, "actor"),
)
EVALUATION_FIELDS = (
    string(Evaluation, "kind", required=True, choices=ReviewKind.values),
    Field("period_start", "date", required=True),
    Field("period_end", "date", required=True),
    _value("actual", required=True),
    Field("actual_part", "int", maximum=COUNT_MAX),
    Field("actual_whole", "int", maximum=COUNT_MAX),
    Field("computed", "bool", default=False),
    Field("basis", "object", default={}),
    Field("late", "bool", default=False),
    Field("supersedes", "int"),
    string(Evaluation, "reason"),
    string(Evaluation, "actor"),
)
TARGET = RecordType(
    "target",
    "target",
    "chỉ tiêu",
    (
        Field("org", "ref", required=True, target="organization"),
        string(Target, "source_kind", required=True, choices=SourceKind.values),
        Field("source", "ref", required=True, target="decision"),
        Field("term", "date"),
        Field("year", "int"),
        string(Target, "category", required=True, choices=Category.values),
        string(Target, "name", required=True),
        string(Target, "unit"),
        string(Target, "direction", required=True, choices=TargetDirection.values),
        _value("planned", required=True),
        _value("baseline"),
        string(Target, "computed_from", choices=("", *Figure.values)),
        Field("adopted_on", "date", required=True),
        string(Target, "actor"),
        Field("revisions", "list", default=[], items=REVISION_FIELDS),
        Field("evaluations", "list", default=[], items=EVALUATION_FIELDS),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs, decisions = w.refs["organization"], w.refs["decision"]
    terms_on = w.refs["term"]
    """Targets, inspections, documents, meetings and reports (recording times are left out)."""
    revisions: dict[int, list[dict]] = defaultdict(list)
    for r in TargetRevision.objects.order_by("pk"):
        revisions[r.target_id].append(
            {
                "name": r.name,
                "unit": r.unit,
                "planned": r.planned,
                "decision": decisions[r.decision_id],
                "effective_on": r.effective_on,
                "reason": r.reason,
                "actor": r.actor,
            }
        )
    evaluations: dict[int, list[dict]] = defaultdict(list)
    position: dict[int | None, int] = {}  # evaluation id → its position in its target's list
    for e in Evaluation.objects.order_by("pk"):
        rows = evaluations[e.target_id]
        rows.append(
            {
                "kind": e.kind,
                "period_start": e.period_start,
                "period_end": e.period_end,
                "actual": e.actual,
                "actual_part": e.actual_part,
                "actual_whole": e.actual_whole,
                "computed": e.computed,
                "basis": e.basis or {},
                "late": e.late,
                "supersedes": position.get(e.supersedes_id),
                "reason": e.reason,
                "actor": e.actor,
            }
        )
        position[e.pk] = len(rows)
    targets = w.number(Target, TARGET)
    for t in Target.objects.order_by("pk"):
        w.record(
            TARGET,
            targets[t.pk],
            {
                "org": orgs[t.org_id],
                "source_kind": t.source_kind,
                "source": decisions[t.source_id],
                "term": terms_on.get(t.term_id),
                "year": t.year,
                "category": t.category,
                "name": t.name,
                "unit": t.unit,
                "direction": t.direction,
                "planned": t.planned,
                "baseline": t.baseline,
                "computed_from": t.computed_from,
                "adopted_on": t.adopted_on,
                "actor": t.actor,
                "revisions": revisions.get(t.pk, []),
                "evaluations": evaluations.get(t.pk, []),
            },
        )


# -- checks


def _check(ck: Checker) -> None:
    seen: dict[tuple, int] = {}
    for t in ck.recs["target"]:
        if t.bad or not org_ok(ck, t.get("org")):
            continue
        before = ck.errors
        source_kind = t.get("source_kind")
        yearly = source_kind == SourceKind.WORK_PROGRAMME
        period = check_target_period(
            source_kind=source_kind, has_term=t.get("term") is not None, year=t.get("year")
        )
        for v in period:
            ck.violation(t.line, period_field(source_kind), v)
        if not period and not yearly:
            has_term(ck, t, "org")
        figure = t.get("computed_from")
        for v in check_percent_unit(figure=figure, unit=t.get("unit")):
            ck.violation(t.line, "unit", v)
        key = (t.get("org"), t.get("term"), t.get("year"), t.get("name"))
        org_name = ck.recs["organization"][t.get("org") - 1].get("versions")[-1]["name"]
        for v in check_target_new(org_name=org_name, name=t.get("name"), exists=key in seen):
            ck.violation(t.line, "name", v, where=f"dòng {seen[key]}")
        seen.setdefault(key, t.line)
        for i, r in enumerate(t.get("revisions"), start=1):
            for v in check_revision_date(
                effective_on=r["effective_on"], adopted_on=t.get("adopted_on")
            ):
                ck.violation(t.line, f"revisions[{i}].effective_on", v)
        firsts: set[tuple] = set()
        superseded: set[int] = set()
        evaluations = t.get("evaluations")
        for i, e in enumerate(evaluations, start=1):
            at = f"evaluations[{i}]."
            point = (e["kind"], e["period_start"], e["period_end"])
            for v in check_review_kind(yearly=yearly, kind=e["kind"], target_name=t.get("name")):
                ck.violation(t.line, at + "kind", v)
            for v in check_review_period(
                period_start=e["period_start"], period_end=e["period_end"]
            ):
                ck.violation(t.line, at + "period_end", v)
            if (e["actual_part"] is None) != (e["actual_whole"] is None) or e["actual_whole"] == 0:
                ck.err(
                    t.line,
                    at + "actual_whole",
                    "actual_part và actual_whole đi cùng nhau; actual_whole lớn hơn 0.",
                )
            elif e["actual_whole"] and e["actual"] != round_half_up(
                Decimal(e["actual_part"]) * 100 / Decimal(e["actual_whole"]), VALUE_PLACES
            ):
                ck.err(
                    t.line,
                    at + "actual",
                    "phải bằng actual_part × 100 / actual_whole (làm tròn "
                    f"{VALUE_PLACES} chữ số thập phân).",
                )
            if e["computed"] != bool(figure):
                ck.err(
                    t.line,
                    at + "computed",
                    "chỉ kết quả của chỉ tiêu tính từ số liệu "
                    "(computed_from) mới là kết quả tính từ số liệu.",
                )
            j = e["supersedes"]
            if j is None:
                if point in firsts:
                    ck.err(
                        t.line,
                        at + "supersedes",
                        "kỳ đánh giá này đã có kết quả ghi lần đầu; "
                        "kết quả ghi lại phải chỉ ra kết quả được thay thế.",
                    )
                firsts.add(point)
            elif not 1 <= j < i:
                ck.err(
                    t.line,
                    at + "supersedes",
                    f"phải là số thứ tự (1 đến {i - 1}) của một kết "
                    "quả đứng trước trong «evaluations».",
                )
            elif j in superseded:
                ck.err(t.line, at + "supersedes", f"kết quả thứ {j} đã được thay thế.")
            elif point != (
                evaluations[j - 1]["kind"],
                evaluations[j - 1]["period_start"],
                evaluations[j - 1]["period_end"],
            ):
                ck.err(t.line, at + "supersedes", f"kết quả thứ {j} là của kỳ đánh giá khác.")
            else:
                superseded.add(j)
        t.bad = ck.errors > before


# -- writing


def _write(imp: Importer) -> None:
    imp.say("Đang ghi chỉ tiêu, kiểm tra, văn bản, hội nghị và báo cáo…")
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    dec = lambda idx: imp.id("decision", idx)  # noqa: E731
    now = imp.now
    targets = imp.recs["target"]
    Table(
        Target,
        (
            "id",
            "org_id",
            "source_kind",
            "source_id",
            "term_id",
            "year",
            "category",
            "name",
            "unit",
            "direction",
            "planned",
            "baseline",
            "computed_from",
            "adopted_on",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("target", t.idx),
            org(t.get("org")),
            t.get("source_kind"),
            dec(t.get("source")),
            imp.keys["term"].get((t.get("org"), t.get("term"))),
            t.get("year"),
            t.get("category"),
            t.get("name"),
            t.get("unit"),
            t.get("direction"),
            t.get("planned"),
            t.get("baseline"),
            t.get("computed_from"),
            t.get("adopted_on"),
            t.get("actor"),
            now,
        )
        for t in targets
    )
    Table(
        TargetRevision,
        (
            "target_id",
            "name",
            "unit",
            "planned",
            "decision_id",
            "effective_on",
            "reason",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("target", t.idx),
            r["name"],
            r["unit"],
            r["planned"],
            dec(r["decision"]),
            r["effective_on"],
            r["reason"],
            r["actor"],
            now,
        )
        for t in targets
        for r in t.get("revisions")
    )
    rows, next_id = [], imp.first["evaluation"]
    for t in targets:
        first = next_id
        for e in t.get("evaluations"):
            rows.append(
                (
                    next_id,
                    imp.id("target", t.idx),
                    e["kind"],
                    e["period_start"],
                    e["period_end"],
                    e["actual"],
                    e["actual_part"],
                    e["actual_whole"],
                    e["computed"],
                    e["basis"],
                    e["late"],
                    None if e["supersedes"] is None else first + e["supersedes"] - 1,
                    e["reason"],
                    e["actor"],
                    now,
                )
            )
            next_id += 1
    Table(
        Evaluation,
        (
            "id",
            "target_id",
            "kind",
            "period_start",
            "period_end",
            "actual",
            "actual_part",
            "actual_whole",
            "computed",
            "basis",
            "late",
            "supersedes_id",
            "reason",
            "actor",
            "recorded_at",
        ),
    ).insert(rows)


APP = App(
    name="targets",
    types=(TARGET,),
    export=_export,
    check=_check,
    write=_write,
    ids=(("target", Target), ("evaluation", Evaluation)),
    tables=(Target, TargetRevision, Evaluation),
    occupied=((Target, "chỉ tiêu"),),
)
