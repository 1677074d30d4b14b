"""Congresses, elections and committee seats of the demo city (DOMAIN §2, §4).

The plan is made in memory from the simulated lives, before any decision is numbered, and
loaded as interchange records (:mod:`dangbo.demo.congress_records`; the importer recounts
every election with the election rules):

* cells: the committee of the term 2017–2020 as a historical record, congresses opening the
  terms «2020–2022» (spring 2020) and «2022–2025» (spring 2022) — twice per five-year term —
  and, for the cells alive after the reorganization of 1/7/2025, one congress for
  «2025–2030» (August–September 2025, under 294-QĐ/TW); cells merged on 1/7/2025 get a
  secretary and deputy appointed by the new ward;
* old wards: the committee of 2015–2020 as a historical record and a delegate congress for
  «2020–2025» (mid-2020, after their cells' congresses), approved by the district;
* new wards: a committee appointed by the city on 1/7/2025 from the merged wards'
  committees (term «2020–2025») and a delegate congress for «2025–2030» (September 2025),
  approved by the city.

A cell with at least 9 full members elects a committee (3 or 5 seats, up to 7 from 2025)
and the committee elects the secretary and deputy; a smaller cell elects its secretary
(and a deputy from 5 full members). A ward congress elects the committee, which elects the
standing committee, the secretary and the deputies. Candidates are full members of the
organization on the day (not exempt, not attending elsewhere) who stay until the results are
approved; most incumbents stand again, a few candidates lose, a few elections need a second
round and the odd one is stopped. Seats start on the approval (chuẩn y) a few weeks later
and the previous term's seats end that day; a holder who leaves the organization loses the
seat that day, and a departed secretary is replaced by appointment.

Every draw comes from the caller's ``random.Random`` in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from dangbo.demo.congress_plans import (
    CELL_TERM_2017,
    RANK,
    WARD_TERM_2015,
    EndOp,
    OrgPlan,
    P,
    TermOp,
)
from dangbo.demo.congress_sessions import CongressSessions, _day
from dangbo.demo.lives import Life


class CongressPlanner(CongressSessions):
    """Plans every committee, congress and election of the demo (see the module docstring)."""

    # ---- the whole city

    def plan(self) -> None:
        h, tree, rng = self.h, self.tree, self.rng
        reorg = self.reorg_on
        ward_2020: dict[int, tuple[date, date]] = {}
        for ward in tree.old_wards():
            w_on = _day(rng, date(2020, 6, 15), date(2020, 7, 25))
            w_approve = w_on + timedelta(days=rng.randint(14, 30))
            ward_2020[ward.index] = (w_on, w_approve)
            h.book.term_starts[f"ward:{ward.index}"] = (WARD_TERM_2015, w_on)

            for cell in ward.cells:
                name = tree.cells[cell].name

                def decide_cell(on: date, title: str, ward=ward, name=name) -> object:
                    return h.ward_decision(ward, on, f"{title} {name}")

                plan = self.cells[cell] = OrgPlan("cell", cell)
                plan.ops.append(TermOp("2017–2020", CELL_TERM_2017))
                a17 = CELL_TERM_2017 + timedelta(days=rng.randint(14, 40))
                full = self._officials({cell}, a17)
                sizes = {
                    P.SECRETARY: 1,
                    P.DEPUTY: 1 if full >= 5 else 0,
                    P.COMMITTEE: (1 if full < 30 else 3) if full >= 9 else 0,
                }
                self._historical(
                    plan,
                    {cell},
                    a17,
                    sizes,
                    h.ward_decision(
                        ward,
                        a17,
                        f"Về việc chuẩn y kết quả bầu cử Bí thư, Phó Bí thư {name} nhiệm kỳ 2017–2020",
                    ),
                )
                c20 = _day(rng, date(2020, 4, 20), w_on - timedelta(days=12))
                c22 = _day(rng, date(2022, 3, 1), date(2022, 5, 20))
                for on, label, previous in (
                    (c20, "2020–2022", "2017–2020"),
                    (c22, "2022–2025", "2020–2022"),
                ):
                    approve_on = on + timedelta(days=rng.randint(10, 28))
                    title = f"Về việc chuẩn y kết quả bầu cử tại Đại hội {name} nhiệm kỳ {label}"
                    self._departures(plan, {cell}, approve_on, on, decide_cell)
                    congress = self._cell_congress(
                        plan,
                        cell,
                        on,
                        approve_on,
                        label,
                        previous,
                        h.ward_decision(ward, approve_on, title),
                        decide_cell,
                    )
                    if congress is None:
                        continue
                    plan.ops.append(congress)
                    self._approve(plan, congress)
                self._departures(plan, {cell}, reorg, reorg, decide_cell)

            # the ward: 2015–2020 committee as recorded, then the congress of 2020
            wplan = self.wards[ward.index] = OrgPlan("ward", ward.index)
            wplan.ops.append(TermOp("2015–2020", WARD_TERM_2015))
            a15 = WARD_TERM_2015 + timedelta(days=rng.randint(14, 30))
            w_on, w_approve = ward_2020[ward.index]
            members = self._officials(set(ward.cells), a15)
            committee = max(3, min(13 if members < 500 else 15, members // 4))
            standing = 5 if committee >= 13 else 3 if committee >= 7 else 0
            sizes = {
                P.SECRETARY: 1,
                P.DEPUTY: 1,
                P.STANDING: max(0, standing - 2),
                P.COMMITTEE: committee - max(2, standing),
            }

            def decide_district(on: date, title: str, ward=ward) -> object:
                return h.upper_decision(ward, on, f"{title} Đảng ủy phường {ward.name}")

            self._historical(
                wplan,
                set(ward.cells),
                a15,
                sizes,
                decide_district(
                    a15,
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư "
                    "nhiệm kỳ 2015–2020 của",
                ),
            )
            number = rng.randint(18, 24)
            self._departures(wplan, set(ward.cells), w_approve, w_on, decide_district)
            congress = self._ward_congress(
                wplan,
                set(ward.cells),
                w_on,
                w_approve,
                "2020–2025",
                "2015–2020",
                decide_district(
                    w_approve,
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, "
                    "Bí thư, Phó Bí thư nhiệm kỳ 2020–2025 của",
                ),
                new=False,
                number=number,
            )
            if congress is None:
                wplan.ops.append(TermOp("2020–2025", w_on))
            else:
                wplan.ops.append(congress)
                self._approve(wplan, congress)
            self._departures(wplan, set(ward.cells), reorg, reorg, decide_district)
            wplan.end_all(reorg, self.found_decisions.get(self._new_ward_of(ward).index))

        for ward in tree.new_wards():
            self._plan_new_ward(ward)

    def _new_ward_of(self, old):
        return next(w for w in self.tree.new_wards() if old.index in w.sources)

    def _plan_new_ward(self, ward) -> None:
        h, tree, rng = self.h, self.tree, self.rng
        reorg = self.reorg_on
        cells = set(ward.cells)
        w_on = _day(rng, date(2025, 9, 3), date(2025, 9, 28))
        w_approve = w_on + timedelta(days=rng.randint(14, 24))
        h.book.term_starts[f"ward:{ward.index}"] = (reorg, w_on)

        # 1/7/2025: cells merged into another hand their committees over; a merged cell gets
        # a secretary and deputy appointed by the new ward
        interim = h.ward_decision(
            ward,
            reorg,
            "Về việc chỉ định Bí thư, Phó Bí thư các chi bộ sau sắp xếp, hợp nhất",
            unique=False,
        )
        merged_into: dict[int, list[int]] = defaultdict(list)
        for cell, c in tree.cells.items():
            if c.new_ward == ward.index:
                merged_into[c.after].append(cell)
        for into in sorted(merged_into):
            sources = sorted(merged_into[into])
            for cell in sources:
                if cell != into:
                    self.cells[cell].end_all(reorg, self.cell_decisions.get(ward.index))
            if len(sources) == 1:
                continue
            plan = self.cells[into]
            plan.end_all(reorg, self.cell_decisions.get(ward.index))
            former = [
                life
                for cell in [into, *[c for c in sources if c != into]]
                for life in self._former(cell, reorg)
            ]
            pool = [
                life
                for life in former
                if self.roster.eligible(life, {into}, reorg, reorg + timedelta(days=60))
            ]
            if not pool:
                pool = [p for p, _ in self._eligible({into}, reorg, reorg + timedelta(days=60))]
            for position, life in zip((P.SECRETARY, P.DEPUTY), pool[:2], strict=False):
                plan.appoint(life, position, reorg, interim)

        # the ward's committee appointed by the city from the merged wards' committees
        wplan = self.wards[ward.index] = OrgPlan("ward", ward.index)
        wplan.ops.append(TermOp("2020–2025", reorg))
        appointed = h.city_decision(
            reorg - timedelta(days=4),
            f"Về việc chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng bộ "
            f"phường {ward.name} nhiệm kỳ 2020–2025",
        )
        by_rank: dict[str, list] = defaultdict(list)
        for old in ward.sources:
            for held, life in self._former_ward(old, reorg):
                if self.roster.eligible(life, cells, reorg, reorg + timedelta(days=1), max_age=70):
                    by_rank[held].append(life)
        order = [
            *by_rank[P.SECRETARY],
            *by_rank[P.STANDING_DEPUTY],
            *by_rank[P.DEPUTY],
            *by_rank[P.STANDING],
            *by_rank[P.COMMITTEE],
        ]
        seen: set[int] = set()
        people = []
        for x in order:  # each once, at the highest position held
            if x.key not in seen:
                seen.add(x.key)
                people.append(x)
        leaders = (
            len(by_rank[P.SECRETARY]) + len(by_rank[P.STANDING_DEPUTY]) + len(by_rank[P.DEPUTY])
        )
        for i, life in enumerate(people):
            if i == 0:
                position = P.SECRETARY
            elif i == 1:
                position = P.STANDING_DEPUTY
            elif i == 2:
                position = P.DEPUTY
            elif i < max(leaders, 3) + 4:
                position = P.STANDING
            else:
                position = P.COMMITTEE
            wplan.appoint(life, position, reorg, appointed)

        def decide_city(on: date, title: str) -> object:
            return h.city_decision(on, f"{title} Đảng ủy phường {ward.name}")

        # the cells' congresses of 2025–2030, then the ward's
        for cell in sorted(cells):
            plan = self.cells[cell]
            name = tree.names_after[cell]

            def decide_cell(on: date, title: str, name=name) -> object:
                return h.ward_decision(ward, on, f"{title} {name}")

            on = _day(rng, date(2025, 8, 1), w_on - timedelta(days=10))
            approve_on = on + timedelta(days=rng.randint(10, 25))
            self._departures(plan, {cell}, approve_on, on, decide_cell)
            congress = self._cell_congress(
                plan,
                cell,
                on,
                approve_on,
                "2025–2030",
                "2022–2025",
                h.ward_decision(
                    ward,
                    approve_on,
                    f"Về việc chuẩn y kết quả bầu cử tại Đại hội {name} nhiệm kỳ 2025–2030",
                ),
                decide_cell,
            )
            if congress is not None:
                plan.ops.append(congress)
                self._approve(plan, congress)
            self._departures(plan, {cell}, self.today + timedelta(days=1), self.today, decide_cell)
        self._departures(wplan, cells, w_approve, w_on, decide_city)
        congress = self._ward_congress(
            wplan,
            cells,
            w_on,
            w_approve,
            "2025–2030",
            "2020–2025",
            decide_city(
                w_approve,
                "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, Bí thư, "
                "Phó Bí thư nhiệm kỳ 2025–2030 của",
            ),
            new=True,
            number=1,
        )
        if congress is None:
            wplan.ops.append(TermOp("2025–2030", w_on))
        else:
            wplan.ops.append(congress)
            self._approve(wplan, congress)
        self._departures(wplan, cells, self.today + timedelta(days=1), self.today, decide_city)

    def _former(self, cell: int, on: date) -> list:
        """Holders of `cell`'s secretary and deputy seats on the eve of `on` (ended that day)."""
        plan = self.cells[cell]
        out = []
        for op in plan.ops:
            if isinstance(op, EndOp) and op.on == on and op.position in (P.SECRETARY, P.DEPUTY):
                out.append((RANK[op.position], op.life))
        return [life for _, life in sorted(out, key=lambda t: (t[0], t[1].key))]

    def _former_ward(self, ward_index: int, on: date) -> list[tuple[str, Life]]:
        plan = self.wards[ward_index]
        return sorted(
            ((op.position, op.life) for op in plan.ops if isinstance(op, EndOp) and op.on == on),
            key=lambda t: (RANK[t[0]], t[1].key),
        )


# --------------------------------------------------------------------------- writing
