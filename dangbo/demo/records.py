"""The demo's planned tree, decisions, members, ledger, candidates and congresses as
interchange records, loaded by the importer.

The records are those ``dangbo export`` writes (docs/interchange.md), built in memory in the
order the services would have created them, and read by
:func:`~dangbo.interchange.interchange_import` — the same checks (every member's ledger
through the fold and the rulebook, every election recounted) and the same bulk insert as
any imported file. Refs are built from what identifies a record: ``o<key>`` for
organizations, ``p<citizen id>`` and ``m<citizen id>`` for people and members, ``d<n>`` for
decisions. After the import the tree and the decision book find their stored rows again by
natural keys (``Tree.bind``, ``DecisionBook.bind``).
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.demo.admission import CandidatePlan, TrainingClassPlan
from dangbo.demo.common import ACTOR, CITY_CODE, CITY_NAME, FAR, FOUNDED, REORG_ON
from dangbo.demo.congress_records import CongressCounts, CongressRecords
from dangbo.demo.congresses import CongressPlanner
from dangbo.demo.decisions import TERMS, DecisionRef
from dangbo.demo.grading import GradingCounts, GradingPlan, GradingRecords
from dangbo.demo.lives import History, Life, Planned
from dangbo.interchange.importer import interchange_import
from dangbo.interchange.kinds import RECORD_TYPES
from dangbo.interchange.trailer import seal
from dangbo.membership.ledger import EventData
from dangbo.membership.models import CandidateStage, ClassKind, EventKind

Say = Callable[[str], None]


@dataclass
class ReorgDecisions:
    """The decisions of 1/7/2025: founding each new ward, arranging its cells, ending districts."""

    found: dict[int, DecisionRef] = field(default_factory=dict)  # new ward index → decision
    cells: dict[int, DecisionRef] = field(default_factory=dict)  # new ward index → decision
    dissolve: dict[int, DecisionRef] = field(default_factory=dict)  # district index → decision


def plan_reorganization_decisions(h: History) -> ReorgDecisions:
    tree = h.tree
    issued = REORG_ON - timedelta(days=4)
    out = ReorgDecisions()
    for ward in tree.new_wards():
        olds = ", ".join(tree.wards[w].name for w in ward.sources)
        out.found[ward.index] = h.city_decision(
            issued,
            f"Về việc thành lập Đảng bộ phường {ward.name} trực thuộc Đảng bộ thành phố "
            f"trên cơ sở hợp nhất Đảng bộ các phường {olds}",
        )
        out.cells[ward.index] = h.ward_decision(
            ward, REORG_ON, "Về việc sắp xếp, kiện toàn các chi bộ trực thuộc Đảng bộ phường"
        )
    for district in tree.districts:
        out.dissolve[district.index] = h.city_decision(
            issued, f"Về việc kết thúc hoạt động của Đảng bộ quận {district.name}"
        )
    return out


def _org(key: int | None) -> str | None:
    return None if key is None else f"o{key}"


def _terms(starts: tuple[date, ...], last_year: int) -> list[dict]:
    """Terms from their start dates: each ends where the next begins; the last stays open."""
    out = []
    for i, start in enumerate(starts):
        end_year = starts[i + 1].year if i + 1 < len(starts) else last_year
        term = {"label": f"{start.year}–{end_year}", "starts_on": start.isoformat()}
        if i + 1 < len(starts):
            term["ends_on"] = starts[i + 1].isoformat()
        out.append(term)
    return out


class RecordWriter:
    """Collects the records of one demo in file order (the importer's order of creation)."""

    def __init__(self, h: History, reorg: ReorgDecisions) -> None:
        self.h, self.tree, self.book, self.reorg = h, h.tree, h.book, reorg
        self.decision_refs: dict[DecisionRef, str] = {}
        self.lines: list[dict] = [{"type": "dangbo", "format": 1}]
        self.first_codes: dict[int, tuple[str, date]] = {}
        self._events = 0
        self._reorgs = 0

    # ---- plain records

    def _add(self, type_: str, ref: str, **values) -> None:
        self.lines.append(
            {"type": type_, "ref": ref, **{k: v for k, v in values.items() if v is not None}}
        )

    def _dec(self, ref: DecisionRef | None) -> str | None:
        return None if ref is None else self.decision_refs[ref]

    def decisions(self) -> None:
        for ref, values in self.book.records():
            self.decision_refs[ref] = f"d{len(self.decision_refs) + 1}"
            self._add("decision", self.decision_refs[ref], **values)

    def _reorganization(self, kind: str, on: date, decision, details: dict) -> str:
        self._reorgs += 1
        ref = f"r{self._reorgs}"
        self._add(
            "reorganization",
            ref,
            kind=kind,
            effective_on=on.isoformat(),
            decision=self._dec(decision),
            actor=ACTOR,
            details=details,
        )
        return ref

    def organizations(self) -> None:
        """Every organization with its versions, the foundings and the acts of 1/7/2025."""
        tree, reorg, founded, on = self.tree, self.reorg, FOUNDED.isoformat(), REORG_ON.isoformat()
        orgs: list[tuple[int, dict]] = []  # key → record, in order of founding

        def add(key: int, versions: list[dict], terms: list[dict] | None = None) -> None:
            record = {
                "type": "organization",
                "ref": f"o{key}",
                "founded_on": versions[0]["valid_from"],
            }
            if "valid_to" in versions[-1]:
                record["dissolved_on"] = versions[-1]["valid_to"]
            record["versions"] = versions
            if terms:
                record["terms"] = terms
            orgs.append((key, record))
            self.first_codes[key] = (
                versions[0]["code"],
                date.fromisoformat(versions[0]["valid_from"]),
            )

        def version(name, code, doc_code, kind, parent, valid_from, valid_to=None, decision=None):
            v = {"valid_from": valid_from, "name": name, "code": code, "doc_code": doc_code}
            if valid_to:
                v["valid_to"] = valid_to
            v["kind"] = kind
            if parent is not None:
                v["parent"] = _org(parent)
            if decision is not None:
                v["decision"] = self._dec(decision)
            return v

        city = tree.city_key
        add(
            city,
            [version(CITY_NAME, CITY_CODE, "TU", "tinh", None, founded)],
            _terms(TERMS["city"], 2030),
        )
        cells_after = {into: (name, code, index) for index, into, name, code in tree.renames}
        for district in tree.districts:
            add(
                district.key,
                [
                    version(
                        f"Đảng bộ quận {district.name}",
                        district.code,
                        "QU",
                        "huyen",
                        city,
                        founded,
                        on,
                    )
                ],
                _terms(TERMS["district"], 2025),
            )
            for w in district.wards:
                ward = tree.wards[w]
                add(
                    ward.key,
                    [version(ward.full_name, ward.code, "ĐU", "co_so", district.key, founded, on)],
                )
                for c in ward.cells:
                    cell = tree.cells[c]
                    first = version(cell.name, cell.code, "CB", "chi_bo", ward.key, founded, on)
                    if c in cells_after:
                        name, code, index = cells_after[c]
                        new_ward = tree.wards[cell.new_ward]
                        later = version(
                            name,
                            code,
                            "CB",
                            "chi_bo_co_so",
                            new_ward.key,
                            on,
                            None,
                            reorg.cells[index],
                        )
                        add(c, [first, later])
                    else:
                        add(c, [first])
        for ward in tree.new_wards():
            add(
                ward.key,
                [
                    version(
                        ward.full_name,
                        ward.code,
                        "ĐU",
                        "xa",
                        city,
                        on,
                        None,
                        reorg.found[ward.index],
                    )
                ],
            )
        self.lines.extend(record for _key, record in orgs)
        self.org_records = dict(orgs)
        # the acts, in the order the services recorded them
        for key, record in orgs:
            parent = record["versions"][0].get("parent")
            if record["founded_on"] == founded:
                self._reorganization(
                    "thanh_lap", FOUNDED, None, {"org": f"o{key}", "parent": parent}
                )
        for ward in tree.new_wards():
            self._reorganization(
                "thanh_lap",
                REORG_ON,
                reorg.found[ward.index],
                {"org": f"o{ward.key}", "parent": f"o{city}"},
            )
        self.cell_merge: dict[int, str] = {}  # merged cell → its act
        for index, into, sources in tree.merges:
            ref = self._reorganization(
                "hop_nhat",
                REORG_ON,
                reorg.cells[index],
                {"sources": [_org(s) for s in sources], "into": _org(into)},
            )
            for s in sources:
                self.cell_merge[s] = ref
        self.ward_merge: dict[int, str] = {}  # new ward index → its act
        for ward in tree.new_wards():
            self.ward_merge[ward.index] = self._reorganization(
                "hop_nhat",
                REORG_ON,
                reorg.found[ward.index],
                {
                    "sources": [f"o{tree.wards[w].key}" for w in ward.sources],
                    "into": f"o{ward.key}",
                },
            )
        for district in tree.districts:
            self._reorganization(
                "giai_the", REORG_ON, reorg.dissolve[district.index], {"org": f"o{district.key}"}
            )
        for index, c, name, _code in tree.renames:
            self._reorganization(
                "doi_ten",
                REORG_ON,
                reorg.cells[index],
                {"org": _org(c), "before": tree.cells[c].name, "after": name},
            )

    def people(self, persons: Iterable[dict]) -> None:
        for p in persons:
            values = {k: v for k, v in p.items() if v not in ("", None)}
            values["birth_date"] = p["birth_date"].isoformat()
            self._add("person", f"p{p['citizen_id']}", **values)

    def members(self, lives: Iterable[Life]) -> None:
        for life in lives:
            cid = life.person["citizen_id"]
            self._add("member", f"m{cid}", person=f"p{cid}")

    # ---- the ledger

    def _event(self, life: Life, p: Planned, **extra) -> None:
        d = p.data
        self._events += 1
        values = {
            "member": f"m{life.person['citizen_id']}",
            "kind": str(d.kind),
            "effective_on": d.effective_on.isoformat(),
            "from_org": _org(d.from_org),
            "to_org": _org(d.to_org),
            "form": d.form or None,
            "card_number": d.card_number or None,
            "badge_years": d.badge_years,
            "posthumous": d.posthumous or None,
            "early": d.early or None,
            "until": d.until.isoformat() if d.until else None,
            "details": d.details or None,
            "decision": self._dec(p.decision),
            "exception_decision": self._dec(p.exception),
            "actor": ACTOR,
        }
        values.update(extra)
        self._add("event", f"e{self._events}", **values)

    def events(self, lives: Iterable[Life], before: date | None, since: date | None) -> None:
        """The events of `lives` dated in [since, before), each life's in its order."""
        for life in lives:
            if life.admission is not None and since is None:
                cell, on, decision, exception, ceremony, considered = life.admission
                self._event(
                    life,
                    Planned(
                        _admission(cell, on, ceremony, considered),
                        decision,
                        exception,
                    ),
                )
            for p in life.events:
                on = p.data.effective_on
                if (before is None or on < before) and (since is None or on >= since):
                    self._event(life, p)

    def reorganization_events(self, lives: list[Life]) -> None:
        """Each member on the rolls on 30/6/2025 moves with the merge of their cell or ward."""
        eve = REORG_ON - timedelta(days=1)
        moves: dict[str, list[tuple[Life, int, int]]] = {}
        for life in lives:
            for start, end, cell, _status, _exempt in life.spells:
                if start <= eve < (end or FAR):
                    after = self.tree.cells[cell].after
                    if cell in self.cell_merge:
                        act = self.cell_merge[cell]
                    else:
                        act = self.ward_merge[self.tree.cells[cell].new_ward]
                    moves.setdefault(act, []).append((life, cell, after))
        acts = {r["ref"]: r for r in self.lines if r["type"] == "reorganization"}
        for act, rows in moves.items():
            for life, cell, after in rows:
                self._events += 1
                self._add(
                    "event",
                    f"e{self._events}",
                    member=f"m{life.person['citizen_id']}",
                    kind=str(EventKind.REORGANIZATION),
                    effective_on=REORG_ON.isoformat(),
                    from_org=_org(cell),
                    to_org=_org(after),
                    decision=acts[act].get("decision"),
                    reorganization=act,
                    actor=ACTOR,
                )

    # ---- the admission pipeline

    def pipeline(self, plans: list[CandidatePlan], classes: list[TrainingClassPlan]) -> None:
        """The candidates with their steps and the classes with their certificates."""
        attendees: dict[int, list[dict]] = {}
        for plan in plans:
            cid, cell = plan.person["citizen_id"], _org(plan.cell)
            steps = [_step(CandidateStage.IDENTIFIED, plan.identified, cell)]
            if plan.certificate:
                number, on = plan.certificate
                assert plan.training is not None
                attendees.setdefault(plan.training.key, []).append(
                    {
                        "person": f"p{cid}",
                        "certificate_number": number,
                        "certified_on": on.isoformat(),
                    }
                )
                steps.append(
                    _step(CandidateStage.TRAINED, on, cell, note=f"Giấy chứng nhận số {number}")
                )
            sponsor = None
            if plan.sponsor is not None:
                sponsor = f"m{plan.sponsor.person['citizen_id']}"
            for stage, on in plan.steps:
                steps.append(
                    _step(
                        stage,
                        on,
                        cell,
                        sponsor=sponsor if stage == CandidateStage.SPONSORED else None,
                        decision=self._dec(plan.decisions.get(stage)),
                    )
                )
            member = None
            if plan.admission:
                member = f"m{cid}"
                steps.append(
                    _step(
                        CandidateStage.ADMITTED,
                        plan.admission,
                        cell,
                        decision=self._dec(plan.decisions["admission"]),
                    )
                )
                if plan.ceremony:
                    steps.append(
                        _step(
                            CandidateStage.CEREMONY,
                            plan.ceremony,
                            cell,
                            note="Tổ chức lễ kết nạp tại chi bộ",
                        )
                    )
            if plan.dropped:
                on, note = plan.dropped
                steps.append(_step(CandidateStage.DROPPED, on, cell, note=note))
            self._add(
                "candidate",
                f"c{cid}",
                person=f"p{cid}",
                cell=cell,
                stage=steps[-1]["stage"],
                sponsor=sponsor if any(s.get("sponsor") for s in steps) else None,
                member=member,
                steps=steps,
            )
        for tc in classes:
            kind, index = tc.organizer_ref
            organizer = (
                self.tree.districts[index].key if kind == "district" else self.tree.wards[index].key
            )
            self._add(
                "training_class",
                f"t{tc.key}",
                kind=str(ClassKind.AWARENESS),
                name=tc.name,
                organizer=_org(organizer),
                starts_on=tc.starts_on.isoformat(),
                ends_on=tc.ends_on.isoformat(),
                attendees=attendees.get(tc.key) or None,
            )

    # ---- congresses and committee seats

    def congresses(self, planner: CongressPlanner) -> CongressCounts:
        """The terms of the wards and cells, their congresses and committee seats."""
        built = CongressRecords(planner, self._dec)
        built.build()
        for key, terms in built.terms.items():
            self.org_records[key]["terms"] = terms
        self.lines.extend(built.congresses)
        self.lines.extend(built.seats)
        return built.counts

    # ---- gradings

    def gradings(
        self, plans: list[GradingPlan], rng: random.Random, members: list[Life]
    ) -> GradingCounts:
        """Every base organization's yearly grading of its members and its own grading."""
        built = GradingRecords(self.h, members, self._dec)
        built.build(plans, rng)
        self.lines.extend(built.records)
        return built.counts

    # ---- loading

    def load(self, log: Say) -> None:
        """Import the records (all checked first; nothing written on an error)."""
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.lines)
        sealed = io.BytesIO(seal(data.encode("utf-8"), RECORD_TYPES))
        interchange_import(sealed, actor=ACTOR, progress=log, every=50_000, source="dangbo demo")


def _admission(cell: int, on: date, ceremony: date | None, considered: date | None) -> EventData:
    """A pipeline admission: the decision on `on`, the cell's consideration and ceremony."""
    details = {}
    if considered is not None:
        details["considered_on"] = considered.isoformat()
    if ceremony is not None:
        details["ceremony_on"] = ceremony.isoformat()
    return EventData(kind=EventKind.ADMISSION, effective_on=on, to_org=cell, details=details)


def _step(stage: str, on: date, org: str | None, **extra) -> dict:
    step = {"stage": str(stage), "effective_on": on.isoformat(), "org": org}
    step.update({k: v for k, v in extra.items() if v})
    step["actor"] = ACTOR
    return step
