#!/usr/bin/env python
"""Province-scale benchmark of the figures engine (dangbo.figures).

``run`` generates a deterministic province-sized ledger (province → districts → wards →
cells, 2018-01-01..2025-12-31), computes every derived row the way the services would
(closure rows by :func:`compute_closure`, each member's state and spells by the ledger
:func:`fold`), bulk-loads it into the database named by ``DATABASE_URL`` (SQLite:
``executemany``; PostgreSQL: ``COPY … FROM STDIN``), runs ANALYZE, then times
:func:`membership_figures` for one ward, one district and the province against one
hand-written SQL statement computing the same stocks and flows, and checks both against
an independent count in Python over the generated rows.

``table`` turns the JSON files of several runs into Markdown tables.

    DATABASE_URL=postgres://… .venv/bin/python bench/province.py run --members 400000 --json pg.json
    .venv/bin/python bench/province.py table sqlite.json pg.json

The target database must be freshly migrated and empty (bench/run does all of it).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import heapq
import json
import math
import os
import random
import resource
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

START = date(2018, 1, 1)
END = date(2025, 12, 31)
FOUNDED = date(2015, 1, 1)
MERGE_ON = date(2021, 1, 1)  # some cells merged into a sibling cell of the same ward
MOVE_ON = date(2024, 7, 1)  # a few wards re-attached to another district (inside the measured year)
S, E = START.toordinal(), END.toordinal()
MERGE_D, MOVE_D = MERGE_ON.toordinal(), MOVE_ON.toordinal()
FOREVER_ISO = "9999-12-31"
ACTOR = "van_phong_tinh_uy"
MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
OCCASIONS = ((2, 3), (5, 19), (9, 2), (11, 7))  # badge award days
YEAR_START = {y: date(y, 1, 1).toordinal() for y in range(2014, 2027)}

# per-year hazards of an active member
P_REMOVAL, P_LEAVE, P_OUT, P_EXPEL = 0.002, 0.0002, 0.006, 0.0003
P_TRANSFER, P_TEMP, P_CARD_AGAIN, P_DISCIPLINE, P_EXEMPT_70 = 0.03, 0.004, 0.003, 0.004, 0.04
P_PROBATION_FAIL = 0.015
OPENING_SHARE, ADMITTED_SHARE = 0.82, 0.14  # the rest enters by transfer from outside
DROPPED_CANDIDATES_SHARE = 0.03

# ------------------------------------------------------------------ small date helpers

_DATE: dict[int, date] = {}
_ISO: dict[int, str] = {}
_STAMP: dict[int, str] = {}


def D(o: int) -> date:
    d = _DATE.get(o)
    if d is None:
        d = _DATE[o] = date.fromordinal(o)
    return d


def iso(o: int | None) -> str | None:
    if o is None:
        return None
    s = _ISO.get(o)
    if s is None:
        s = _ISO[o] = date.fromordinal(o).isoformat()
    return s


def stamp(o: int) -> str:
    s = _STAMP.get(o)
    if s is None:
        s = _STAMP[o] = f"{iso(o)} 02:00:00+00:00"
    return s


def iso_d(d: date | None) -> str | None:
    return None if d is None else iso(d.toordinal())


_MONTHS: dict[tuple[int, int], int] = {}
_OCCASION: dict[int, int] = {}


def add_months_o(o: int, months: int) -> int:
    r = _MONTHS.get((o, months))
    if r is None:
        from dangbo.core.dates import add_months

        r = _MONTHS[(o, months)] = add_months(D(o), months).toordinal()
    return r


def next_occasion(o: int) -> int:
    r = _OCCASION.get(o)
    if r is None:
        r = _OCCASION[o] = _next_occasion(o)
    return r


def _next_occasion(o: int) -> int:
    d = D(o)
    for year in (d.year, d.year + 1):
        for month, day in OCCASIONS:
            c = date(year, month, day).toordinal()
            if c >= o:
                return c
    raise AssertionError


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the tree

PLACE_WORDS = (
    "An",
    "Bình",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Hòa",
    "Phú",
    "Thạnh",
    "Tân",
    "Hưng",
    "Long",
    "Minh",
    "Phước",
    "Thuận",
    "Vĩnh",
    "Xuân",
    "Thanh",
    "Quang",
    "Trung",
    "Yên",
    "Lạc",
    "Hải",
    "Sơn",
    "Hà",
    "Kim",
    "Ngọc",
    "Đức",
    "Thái",
    "Lộc",
    "Phong",
    "Mỹ",
    "Hiệp",
    "Định",
    "Tiến",
)


@dataclass
class Tree:
    orgs: list[tuple] = field(default_factory=list)  # id, founded_on, dissolved_on
    versions: list[tuple] = field(
        default_factory=list
    )  # id, org, from, to, name, code, doc, kind, parent
    reorgs: list[tuple] = field(default_factory=list)  # id, kind, on, actor, recorded_at, details
    province: int = 0
    districts: list[int] = field(default_factory=list)
    district_wards: dict[int, list[int]] = field(default_factory=dict)
    ward_cells: dict[int, list[int]] = field(default_factory=dict)
    cell_ward: dict[int, int] = field(default_factory=dict)
    cells: list[int] = field(default_factory=list)
    cell_cum: list[float] = field(default_factory=list)  # cumulative weights for placement
    merged: dict[int, int] = field(default_factory=dict)  # cell -> cell it was merged into
    merge_reorg: dict[int, int] = field(default_factory=dict)  # merged cell -> reorganization id
    moved: dict[int, tuple[int, int, int]] = field(
        default_factory=dict
    )  # ward -> (old, new, reorg)
    lookup: dict[int, tuple[int, int, bool, str]] = field(
        default_factory=dict
    )  # org -> from, to, holds, name


def build_tree(rng: random.Random, members: int, kinds: dict[str, int]) -> Tree:
    t = Tree()
    next_id = iter(range(1, 10**9))
    n_cells_target = max(20, members // 20)
    n_districts = max(2, min(25, round(members / 16000)))
    n_wards = max(n_districts * 2, round(n_cells_target / 32))
    f_iso = FOUNDED.toordinal()
    holds = {"chi_bo": True}

    def org(kind: str, name: str, code: str, doc: str, parent: int | None) -> int:
        oid = next(next_id)
        t.orgs.append([oid, iso(f_iso), None])
        t.versions.append([oid, f_iso, None, name, code, doc, kinds[kind], parent])
        t.lookup[oid] = (f_iso, 10**7, holds.get(kind, False), name)
        return oid

    t.province = org("tinh", "Đảng bộ tỉnh Thử Nghiệm", "T", "TU", None)
    used: set[str] = set()

    def place() -> str:
        while True:
            name = f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}"
            if name.split()[0] != name.split()[1] and name not in used:
                used.add(name)
                return name

    for d in range(1, n_districts + 1):
        did = org("huyen", f"Đảng bộ huyện {place()}", f"H{d:02d}", "HU", t.province)
        t.districts.append(did)
        t.district_wards[did] = []
    # wards spread over districts, cells spread over wards (sizes vary)
    weights = []
    for w in range(n_wards):
        did = t.districts[w % n_districts]
        k = len(t.district_wards[did]) + 1
        kind_word = "phường" if rng.random() < 0.4 else "xã"
        wid = org(
            "co_so",
            f"Đảng bộ {kind_word} {place()}",
            f"H{t.districts.index(did) + 1:02d}-X{k:02d}",
            "ĐU",
            did,
        )
        t.district_wards[did].append(wid)
        t.ward_cells[wid] = []
    wards = [w for d in t.districts for w in t.district_wards[d]]
    cells_per_ward = n_cells_target / len(wards)
    for wid in wards:
        n = max(3, round(rng.uniform(0.55, 1.45) * cells_per_ward))
        wcode = t.versions[wid - 1][4]
        for c in range(1, n + 1):
            label = f"Chi bộ tổ dân phố số {c}" if rng.random() < 0.5 else f"Chi bộ thôn {c}"
            cid = org("chi_bo", label, f"{wcode}-C{c:02d}", "", wid)
            t.ward_cells[wid].append(cid)
            t.cell_ward[cid] = wid
            t.cells.append(cid)
            weights.append(math.exp(rng.gauss(0, 0.45)))
    total = 0.0
    for w in weights:
        total += w
        t.cell_cum.append(total)

    rid = iter(range(1, 10**9))
    for oid, *_ in t.orgs:
        v = t.versions[oid - 1]
        t.reorgs.append(
            (
                next(rid),
                "thanh_lap",
                iso(f_iso),
                ACTOR,
                stamp(f_iso),
                json.dumps({"org": oid, "parent": v[7]}),
            )
        )
    # merges on MERGE_ON: in some wards the last cell joins the first one
    for wid in wards:
        cells = t.ward_cells[wid]
        if len(cells) >= 4 and rng.random() < 0.15:
            src, into = cells[-1], cells[0]
            r = next(rid)
            t.reorgs.append(
                (
                    r,
                    "hop_nhat",
                    iso(MERGE_D),
                    ACTOR,
                    stamp(MERGE_D),
                    json.dumps({"sources": [src], "into": into}),
                )
            )
            t.merged[src], t.merge_reorg[src] = into, r
            t.orgs[src - 1][2] = iso(MERGE_D)
            t.versions[src - 1][2] = MERGE_D
            f, _, h, name = t.lookup[src]
            t.lookup[src] = (f, MERGE_D, h, name)
    # moves on MOVE_ON: two wards of the first district go to the second one
    old, new = t.districts[0], t.districts[1]
    for wid in t.district_wards[old][:2]:
        r = next(rid)
        t.reorgs.append(
            (
                r,
                "dieu_chuyen",
                iso(MOVE_D),
                ACTOR,
                stamp(MOVE_D),
                json.dumps({"org": wid, "before": old, "after": new}),
            )
        )
        t.moved[wid] = (old, new, r)
    return t


def version_rows(t: Tree) -> list[tuple]:
    rows, vid = [], 0
    for oid, f, to, name, code, doc, kind, parent in t.versions:
        if oid in t.moved:
            old, new, _ = t.moved[oid]
            vid += 1
            rows.append((vid, oid, iso(f), iso(MOVE_D), name, code, doc, kind, old))
            vid += 1
            rows.append((vid, oid, iso(MOVE_D), FOREVER_ISO, name, code, doc, kind, new))
        else:
            vid += 1
            rows.append(
                (vid, oid, iso(f), iso(to) if to else FOREVER_ISO, name, code, doc, kind, parent)
            )
    return rows


# ------------------------------------------------------------------ members

ENTRY, RECOG, PROB_FAIL, CARD, BADGE, MERGE, MOVE = range(7)
DEATH, REMOVAL, LEAVE, OUT, EXPEL, TRANSFER, TEMP_OUT, TEMP_BACK, DISC, EXEMPT = range(7, 17)
TERMINAL = {
    DEATH: "tu_tran",
    REMOVAL: "xoa_ten",
    LEAVE: "ra_khoi_dang",
    OUT: "chuyen_sinh_hoat",
    EXPEL: "ky_luat",
}


def death_rate(age: float) -> float:
    return min(0.3, 0.00025 * math.exp(0.09 * (age - 30)))


@dataclass
class Entry:
    how: str  # "open" (record opened at system start), "admit", "in" (transfer from outside)
    day: int
    cell: int
    birth: int
    admitted: int  # admission date (== day for "admit")
    official: int | None  # official date when already official on entry


class Generator:
    """Builds each member's events, folds them, and collects every table's rows."""

    #: the day the tree moves wards between districts (every member below gets a reorganization event)
    move_d = MOVE_D

    def __init__(self, tree: Tree, seed: int):
        from dangbo.membership.ledger import fold

        self.t = tree
        self.fold = fold
        self.rng = random.Random(seed * 7919 + 1)
        self.persons: list[tuple] = []
        self.members: list[tuple] = []
        self.events: list[tuple] = []
        self.spells: list[tuple] = []
        self.candidates: list[tuple] = []
        self.steps: list[tuple] = []
        self.gender: dict[int, str] = {}
        self.sponsors: dict[int, list[tuple[int, int, int]]] = defaultdict(
            list
        )  # cell -> (member, from, to)
        self.rule_violations: list[str] = []
        self.rule_checked = 0
        self.next_event = 1
        self.next_spell = 1
        self.next_step = 1
        self.all_wards = list(tree.ward_cells)
        self.wards_before: dict[int, list[int]] = defaultdict(list)
        self.wards_after: dict[int, list[int]] = defaultdict(list)
        for w in self.all_wards:
            self.wards_before[self.district_of(w, self.move_d - 1)].append(w)
            self.wards_after[self.district_of(w, self.move_d)].append(w)

    def orgs(self, org_id: int, on: date) -> tuple[bool, bool, str]:
        f, to, holds, name = self.t.lookup[org_id]
        o = on.toordinal()
        return f <= o < to, holds, name

    # -- placement -------------------------------------------------------------
    def pick_cell(self, day: int) -> int:
        t = self.t
        i = bisect.bisect_left(t.cell_cum, self.rng.random() * t.cell_cum[-1])
        cell = t.cells[min(i, len(t.cells) - 1)]
        return self.alive(cell, day)

    def alive(self, cell: int, day: int) -> int:
        while day >= self.t.lookup[cell][1]:
            cell = self.t.merged[cell]
        return cell

    def transfer_target(self, cell: int, day: int) -> int:
        t, r = self.t, self.rng.random()
        ward = t.cell_ward[cell]
        if r < 0.6 and len(t.ward_cells[ward]) > 1:
            pool = t.ward_cells[ward]
        elif r < 0.85:
            wards = self.wards_after if day >= self.move_d else self.wards_before
            pool = t.ward_cells[self.rng.choice(wards[self.district_of(ward, day)])]
        else:
            pool = t.ward_cells[self.rng.choice(self.all_wards)]
        for _ in range(20):
            target = self.alive(self.rng.choice(pool), day)
            if target != cell:
                return target
        for c in t.cells:
            c = self.alive(c, day)
            if c != cell:
                return c
        raise AssertionError("a province with one cell")

    def district_of(self, ward: int, day: int) -> int:
        if ward in self.t.moved:
            old, new, _ = self.t.moved[ward]
            return new if day >= self.move_d else old
        return self.t.versions[ward - 1][7]

    # -- people ----------------------------------------------------------------
    def person(self, pid: int, birth: int, gender: str) -> str:
        from dangbo.demo.people import make_person
        from dangbo.membership.search import search_columns

        p = make_person(self.rng, gender=gender, birth_year_range=(D(birth).year, D(birth).year))
        # unique by construction: the prefix (province, century, year) and the id
        citizen = p["citizen_id"][:6] + f"{pid:06d}" if pid < 1_000_000 else None
        self.persons.append(
            (
                pid,
                p["full_name"],
                gender,
                iso(birth),
                p["ethnicity"],
                p["religion"],
                p["home_town"],
                citizen,
                p["education"],
                p["qualification"],
                p["theory"],
                p["occupation"],
                p["phone"],
                p["address"],
                *search_columns(p["full_name"]),
            )
        )
        self.gender[pid] = gender
        return p["full_name"]

    def gender_pick(self) -> str:
        return "nu" if self.rng.random() < 0.36 else "nam"

    def entries(self, n: int) -> list[Entry]:
        """The members to generate, in id order: opening records, then admissions, then arrivals."""
        rng = self.rng
        n_open = round(n * OPENING_SHARE)
        n_admit = round(n * ADMITTED_SHARE)
        n_in = n - n_open - n_admit
        out: list[Entry] = []
        bands = (
            (22, 30, 8),
            (30, 40, 18),
            (40, 50, 17),
            (50, 60, 17),
            (60, 70, 18),
            (70, 80, 14),
            (80, 95, 8),
        )
        cum = []
        acc = 0
        for *_, w in bands:
            acc += w
            cum.append(acc)
        for _ in range(n_open):
            lo, hi, _w = bands[bisect.bisect_right(cum, rng.random() * acc)]
            age = rng.uniform(lo, hi)
            birth = S - int(age * 365.25)
            adm_age = min(rng.triangular(18.2, 45, 25), age - 0.05)
            admitted = birth + int(adm_age * 365.25) + 1
            admitted = min(admitted, S - 2)
            if admitted > S - 365:  # admitted in 2017: still probationary on 1/1/2018
                admitted = max(admitted, date(2017, 1, 2).toordinal())
                official = None
            else:
                official = add_months_o(admitted, 12)
            out.append(Entry("open", S, self.pick_cell(S), birth, admitted, official))
        for _ in range(n_admit):
            day = rng.randint(S, E)
            age = rng.triangular(18.3, 45, 24)
            birth = day - int(age * 365.25)
            out.append(Entry("admit", day, self.pick_cell(day), birth, day, None))
        for _ in range(n_in):
            day = rng.randint(S + 1, E)
            age = rng.uniform(25, 62)
            birth = day - int(age * 365.25)
            admitted = birth + int(rng.uniform(18.5, min(age, 45) - 0.1) * 365.25)
            official = add_months_o(admitted, 12)
            if official > day:
                official = None
            out.append(Entry("in", day, self.pick_cell(day), birth, admitted, official))
        return out

    # -- one member's life -----------------------------------------------------
    def life(self, mid: int, en: Entry) -> list[tuple]:
        """Events (kind, day, from, to, form, card, badge, posthumous, until, details, reorg)."""
        rng, t = self.rng, self.t
        heap: list[tuple] = []
        seq = iter(range(10**9))

        def push(day: int, typ: int, payload=None, prio: int = 1) -> None:
            if day <= E:
                heapq.heappush(heap, (day, prio, next(seq), typ, payload))

        push(en.day, ENTRY)
        anchor = en.admitted
        if en.official is None:
            recog = add_months_o(en.admitted, 12)
            if recog > en.day:
                if rng.random() < P_PROBATION_FAIL:
                    push(max(en.day + 1, recog - rng.randint(1, 60)), PROB_FAIL)
                else:
                    push(recog, RECOG)
        for m in MILESTONES:
            award = (
                next_occasion(add_months_o(anchor, 12 * m))
                if anchor + m * 366 > en.day - 400
                else 0
            )
            if en.day < award <= E:
                push(award, BADGE, m)
        if en.day < MERGE_D:
            push(MERGE_D, MERGE, prio=0)
        if en.day < self.move_d:
            push(self.move_d, MOVE, prio=0)
        # random happenings, year by year; the first terminal one ends the membership
        y0 = D(en.day).year
        for y in range(y0, END.year + 1):
            lo, hi = max(en.day + 1, YEAR_START[y]), YEAR_START[y + 1] - 1
            if lo > hi:
                continue
            age = (YEAR_START[y] - en.birth) / 365.25
            r = rng.random()
            terminal = None
            for typ, p in (
                (DEATH, death_rate(age)),
                (REMOVAL, P_REMOVAL),
                (LEAVE, P_LEAVE),
                (OUT, P_OUT),
                (EXPEL, P_EXPEL),
            ):
                if r < p:
                    terminal = typ
                    break
                r -= p
            for typ, p in (
                (TRANSFER, P_TRANSFER),
                (TEMP_OUT, P_TEMP),
                (CARD, P_CARD_AGAIN),
                (DISC, P_DISCIPLINE),
                (EXEMPT, P_EXEMPT_70 if age >= 70 else 0.0),
            ):
                if p and rng.random() < p:
                    push(rng.randint(lo, hi), typ, "again" if typ == CARD else None)
            if terminal is not None:
                push(rng.randint(lo, hi), terminal)
                break

        events: list[tuple] = []
        cell = host = None
        status = None
        exempt = False
        badges: set[int] = set()
        cards = 0
        while heap:
            day, _prio, _s, typ, pl = heapq.heappop(heap)
            if typ == ENTRY:
                cell = en.cell
                if en.how == "admit":
                    status = "du_bi"
                    events.append(
                        ("ket_nap", day, None, cell, "", "", None, False, None, None, None)
                    )
                else:
                    status = "chinh_thuc" if en.official is not None else "du_bi"
                    details = {"status": status, "admitted_on": iso(en.admitted)}
                    if en.official is not None:
                        details["official_on"] = iso(en.official)
                    events.append(
                        (
                            "chuyen_sinh_hoat",
                            day,
                            None,
                            cell,
                            "",
                            "",
                            None,
                            False,
                            None,
                            details,
                            None,
                        )
                    )
                continue
            if status is None:
                continue
            if typ == RECOG:
                status = "chinh_thuc"
                events.append(
                    ("chinh_thuc", day, cell, cell, "", "", None, False, None, None, None)
                )
                push(day + rng.randint(30, 150), CARD, "first")
            elif typ == CARD:
                if status != "chinh_thuc":
                    continue
                cards += 1
                number = f"35.{mid:07d}" + (f"-{cards}" if cards > 1 else "")
                events.append(
                    ("phat_the", day, cell, cell, "", number, None, False, None, None, None)
                )
            elif typ == BADGE:
                if pl in badges:
                    continue
                badges.add(pl)
                events.append(("huy_hieu", day, cell, cell, "", "", pl, False, None, None, None))
            elif typ == MERGE:
                if cell in t.merged:
                    into = t.merged[cell]
                    events.append(
                        (
                            "to_chuc_lai",
                            day,
                            cell,
                            into,
                            "",
                            "",
                            None,
                            False,
                            None,
                            None,
                            t.merge_reorg[cell],
                        )
                    )
                    cell = into
            elif typ == MOVE:
                w = t.cell_ward[cell]
                if w in t.moved:
                    events.append(
                        (
                            "to_chuc_lai",
                            day,
                            cell,
                            cell,
                            "",
                            "",
                            None,
                            False,
                            None,
                            None,
                            t.moved[w][2],
                        )
                    )
            elif typ == TRANSFER:
                if host is not None:
                    continue
                target = self.transfer_target(cell, day)
                events.append(
                    ("chuyen_sinh_hoat", day, cell, target, "", "", None, False, None, None, None)
                )
                cell = target
            elif typ == TEMP_OUT:
                if host is not None:
                    continue
                until = add_months_o(day, rng.randint(3, 12))
                host = self.transfer_target(cell, day) if rng.random() < 0.7 else -1
                events.append(
                    (
                        "tam_di",
                        day,
                        cell,
                        host if host > 0 else None,
                        "",
                        "",
                        None,
                        False,
                        until,
                        None,
                        None,
                    )
                )
                push(until, TEMP_BACK)
            elif typ == TEMP_BACK:
                if host is None:
                    continue
                events.append(
                    (
                        "tam_ve",
                        day,
                        host if host > 0 else None,
                        cell,
                        "",
                        "",
                        None,
                        False,
                        None,
                        None,
                        None,
                    )
                )
                host = None
            elif typ == DISC:
                form = "khien_trach" if rng.random() < 0.7 else "canh_cao"
                if status == "chinh_thuc" and rng.random() < 0.08:
                    form = "cach_chuc"
                events.append(("ky_luat", day, cell, cell, form, "", None, False, None, None, None))
            elif typ == EXEMPT:
                if exempt:
                    continue
                exempt = True
                events.append(("mien", day, cell, cell, "", "", None, False, None, None, None))
            elif typ in TERMINAL or typ == PROB_FAIL:
                if typ == EXPEL and status == "du_bi":
                    typ = REMOVAL  # a probationary member is removed, not expelled
                kind = "xoa_ten" if typ == PROB_FAIL else TERMINAL[typ]
                form = "khai_tru" if typ == EXPEL else ""
                events.append((kind, day, cell, None, form, "", None, False, None, None, None))
                status = None
                if typ == DEATH:
                    self.posthumous(events, day, anchor, badges, cell)
                break
        return events

    def posthumous(self, events: list, died: int, anchor: int, badges: set[int], cell: int) -> None:
        from dangbo.core.dates import months_between

        age = months_between(D(anchor), D(died))
        for m in MILESTONES:
            if m in badges or next_occasion(add_months_o(anchor, 12 * m)) <= died:
                continue  # awarded, or due while alive (before the records were opened)
            margin = 12 if m <= 65 else 24
            if m * 12 - margin <= age and self.rng.random() < 0.5:
                award = next_occasion(died + 1)
                if (
                    award <= E
                ):  # proposed by the cell as it exists that day (it may have been merged)
                    events.append(
                        (
                            "huy_hieu",
                            award,
                            cell,
                            self.alive(cell, award),
                            "",
                            "",
                            m,
                            True,
                            None,
                            None,
                            None,
                        )
                    )
            return  # only the next milestone

    # -- fold and rows ---------------------------------------------------------
    def add_member(self, mid: int, en: Entry, check_rules: bool) -> None:
        from dangbo.membership.ledger import EventData

        gender = self.gender_pick()
        name = self.person(mid, en.birth, gender)
        raw = self.life(mid, en)
        data = [
            EventData(
                kind=k,
                effective_on=D(day),
                from_org=f,
                to_org=to,
                form=form,
                card_number=card,
                badge_years=badge,
                posthumous=post,
                until=D(until) if until else None,
                details=det or {},
                seq=i + 1,
            )
            for i, (k, day, f, to, form, card, badge, post, until, det, _r) in enumerate(raw)
        ]
        state, spells, befores = self.fold(data, self.orgs)
        if check_rules:
            self.check_rules(name, en.birth, data, befores)
        for k, day, f, to, form, card, badge, post, until, det, reorg in raw:
            from_on = day - 1 if k == "to_chuc_lai" else day
            self.events.append(
                (
                    self.next_event,
                    mid,
                    k,
                    iso(day),
                    iso(from_on),
                    f,
                    to,
                    form,
                    card,
                    badge,
                    post,
                    False,
                    iso(until),
                    json.dumps(det) if det else "{}",
                    "[]",
                    reorg,
                    ACTOR,
                    stamp(day),
                )
            )
            self.next_event += 1
        for s in spells:
            self.spells.append(
                (
                    self.next_spell,
                    mid,
                    mid,  # the person (one per member, same id)
                    s.cell,
                    s.status,
                    s.exempt,
                    iso_d(s.party_anchor),
                    iso_d(s.valid_from),
                    iso_d(s.valid_to),
                )
            )
            self.next_spell += 1
            if en.how == "open" and s.status == "chinh_thuc":
                self.sponsors[s.cell].append(
                    (mid, s.valid_from.toordinal(), s.valid_to.toordinal())
                )
        host = state.host_cell if (state.host_cell or 0) > 0 else None
        self.members.append(
            (
                mid,
                mid,
                state.status,
                state.out_reason,
                state.cell,
                host,
                iso_d(state.admitted_on),
                iso_d(state.last_admitted_on),
                iso_d(state.official_on),
                state.card_number,
                json.dumps(sorted(state.badges)),
                state.exempt,
                iso_d(state.party_anchor),
                iso_d(state.out_since),
                state.readmissions,
            )
        )
        if en.how == "admit":
            self.add_candidate(mid, mid, en.cell, en.day, admitted=True)

    def check_rules(self, name: str, birth: int, data, befores) -> None:
        from dangbo.membership.rules import PersonData, check_event

        person = PersonData(full_name=name, birth_date=D(birth))
        for ev, before in zip(sorted(data, key=lambda e: e.sort_key), befores, strict=True):
            self.rule_checked += 1
            for v in check_event(ev, before, person):
                self.rule_violations.append(f"{name}: {ev.kind} {ev.effective_on}: {v.rule}")

    def sponsor(self, cell: int, day: int) -> int | None:
        pool = self.sponsors.get(cell)
        if not pool:
            return None
        for _ in range(6):
            mid, f, to = pool[self.rng.randrange(len(pool))]
            if f <= day < to:
                return mid
        return None

    def add_candidate(self, cid: int, pid: int, cell: int, day: int, *, admitted: bool) -> None:
        rng = self.rng
        if admitted:
            offsets = [
                ("xac_dinh", rng.randint(300, 420)),
                ("hoc_lop", rng.randint(240, 290)),
                ("phan_cong", rng.randint(200, 230)),
                ("tham_tra", rng.randint(90, 150)),
                ("ho_so", rng.randint(45, 80)),
                ("nq_chi_bo", rng.randint(25, 40)),
                ("nq_dang_uy", rng.randint(5, 20)),
                ("ket_nap", 0),
            ]
            ceremony = day + rng.randint(7, 30)
            if ceremony <= E:
                offsets.append(("le_ket_nap", -(ceremony - day)))
        else:
            offsets = [("xac_dinh", 200)]
            if rng.random() < 0.6:
                offsets.append(("hoc_lop", rng.randint(110, 150)))
            offsets.append(("dung", 0))
        sponsor = None
        for stage, back in offsets:
            on = day - back
            if stage == "phan_cong":
                sponsor = self.sponsor(cell, on)
            self.steps.append(
                (
                    self.next_step,
                    cid,
                    stage,
                    iso(on),
                    cell,
                    sponsor if stage == "phan_cong" else None,
                    "",
                    ACTOR,
                    stamp(on),
                )
            )
            self.next_step += 1
        member = pid if admitted else None
        self.candidates.append((cid, pid, cell, offsets[-1][0], sponsor, member))

    def run(self, n: int, check_every: int) -> None:
        entries = self.entries(n)
        t0 = time.perf_counter()
        for i, en in enumerate(entries, start=1):
            self.add_member(i, en, check_rules=check_every > 0 and i % check_every == 0)
            if i % 50000 == 0:
                log(
                    f"  {i:,} đảng viên sinh xong ({time.perf_counter() - t0:.0f} s, RSS {rss_mb():.0f} MB)"
                )
        # candidates who were dropped (persons without a member record)
        pid = n
        cid = n
        for _ in range(round(n * DROPPED_CANDIDATES_SHARE)):
            pid += 1
            cid += 1
            day = self.rng.randint(S + 250, E)
            birth = day - int(self.rng.uniform(18.5, 40) * 365.25)
            self.person(pid, birth, self.gender_pick())
            self.add_candidate(cid, pid, self.pick_cell(day), day, admitted=False)


# ------------------------------------------------------------------ dataset


@dataclass
class Dataset:
    tables: dict[str, tuple[list[str], list[tuple]]]
    tree: Tree
    closure: list[tuple]
    gen: Generator


#: the columns of the member tables as the generator writes them, by short name
MEMBER_COLUMNS: dict[str, list[str]] = {
    "persons": [
        "id",
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "religion",
        "home_town",
        "citizen_id",
        "education",
        "qualification",
        "theory",
        "occupation",
        "phone",
        "address",
        "search_text",
        "sort_key",
    ],
    "members": [
        "id",
        "person_id",
        "status",
        "out_reason",
        "cell_id",
        "host_cell_id",
        "admitted_on",
        "last_admitted_on",
        "official_on",
        "card_number",
        "badges",
        "exempt",
        "party_anchor",
        "out_since",
        "readmissions",
    ],
    "candidates": ["id", "person_id", "cell_id", "stage", "sponsor_id", "member_id"],
    "steps": [
        "id",
        "candidate_id",
        "stage",
        "effective_on",
        "org_id",
        "sponsor_id",
        "note",
        "actor",
        "recorded_at",
    ],
    "events": [
        "id",
        "member_id",
        "kind",
        "effective_on",
        "from_on",
        "from_org_id",
        "to_org_id",
        "form",
        "card_number",
        "badge_years",
        "posthumous",
        "early",
        "until",
        "details",
        "waived_rules",
        "reorganization_id",
        "actor",
        "recorded_at",
    ],
    "spells": [
        "id",
        "member_id",
        "person_id",
        "cell_id",
        "status",
        "exempt",
        "party_anchor",
        "valid_from",
        "valid_to",
    ],
}


def generate(members: int, seed: int, check_every: int) -> Dataset:
    from dangbo.membership.models import (
        Candidate,
        CandidateStep,
        Member,
        MemberEvent,
        MembershipSpell,
        Person,
    )
    from dangbo.organizations.closure import compute_closure
    from dangbo.organizations.models import (
        Organization,
        OrgClosure,
        OrgKind,
        OrgVersion,
        Reorganization,
    )

    kinds = dict(OrgKind.objects.values_list("code", "id"))
    tree = build_tree(random.Random(seed), members, kinds)
    versions = version_rows(tree)
    closure_in = [
        (v[1], v[8], date.fromisoformat(v[2]), date.fromisoformat(v[3])) for v in versions
    ]
    closure = [
        (i, a, d, k, iso_d(f), iso_d(t))
        for i, (a, d, k, f, t) in enumerate(compute_closure(closure_in), start=1)
    ]
    log(
        f"cây: {len(tree.orgs):,} tổ chức ({len(tree.districts)} huyện, {len(tree.ward_cells)} xã/phường, "
        f"{len(tree.cells):,} chi bộ), {len(closure):,} dòng closure"
    )
    gen = Generator(tree, seed)
    gen.run(members, check_every)
    t = lambda m: m._meta.db_table  # noqa: E731
    tables = {
        t(Organization): (["id", "founded_on", "dissolved_on"], [tuple(o) for o in tree.orgs]),
        t(OrgVersion): (
            [
                "id",
                "org_id",
                "valid_from",
                "valid_to",
                "name",
                "code",
                "doc_code",
                "kind_id",
                "parent_id",
            ],
            versions,
        ),
        t(OrgClosure): (
            ["id", "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"],
            closure,
        ),
        t(Reorganization): (
            ["id", "kind", "effective_on", "actor", "recorded_at", "details"],
            tree.reorgs,
        ),
        t(Person): (
            MEMBER_COLUMNS["persons"],
            gen.persons,
        ),
        t(Member): (
            MEMBER_COLUMNS["members"],
            gen.members,
        ),
        t(Candidate): (
            MEMBER_COLUMNS["candidates"],
            gen.candidates,
        ),
        t(CandidateStep): (
            MEMBER_COLUMNS["steps"],
            gen.steps,
        ),
        t(MemberEvent): (
            MEMBER_COLUMNS["events"],
            gen.events,
        ),
        t(MembershipSpell): (
            MEMBER_COLUMNS["spells"],
            gen.spells,
        ),
    }
    return Dataset(tables, tree, closure, gen)


# ------------------------------------------------------------------ bulk load


LOAD_MODES = ("plain", "rebuild")


def _secondary(tables: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Indexes not backing a primary key or unique constraint, and foreign keys, of `tables`.

    Returns (index name, CREATE statement) and (table, constraint name, definition).
    """
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                                     WHERE k.conindid = (quote_ident(i.indexname))::regclass)""",
                [tables],
            )
            indexes = cur.fetchall()
            cur.execute(
                """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
                [tables],
            )
            fks = cur.fetchall()
        else:
            cur.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({', '.join(['%s'] * len(tables))})",
                tables,
            )
            indexes, fks = (
                cur.fetchall(),
                [],
            )  # SQLite cannot drop a foreign key; its checks are cheap
    return indexes, fks


def bulk_load(ds: Dataset, mode: str) -> dict:
    """Load every table in one transaction.

    `plain`: COPY / executemany into the migrated schema as it is (what an import into a
    live database pays). `rebuild`: drop the secondary indexes and foreign keys of the
    loaded tables first and recreate them afterwards (the usual initial-load path).
    """
    from django.db import connection, transaction

    vendor = connection.vendor
    out: dict = {"mode": mode, "tables": {}, "rebuild_s": 0.0}
    t_all = time.perf_counter()
    with transaction.atomic():
        raw = connection.connection
        if mode == "rebuild":
            indexes, fks = _secondary(list(ds.tables))
            with connection.cursor() as cur:
                for table, name, _def in fks:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _sql in indexes:
                    cur.execute(f'DROP INDEX "{name}"')
        for table, (cols, rows) in ds.tables.items():
            t0 = time.perf_counter()
            if vendor == "postgresql":
                with (
                    raw.cursor() as cur,
                    cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp,
                ):
                    for row in rows:
                        cp.write_row(row)
            else:
                cur = raw.cursor()
                cur.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    rows,
                )
                cur.close()
            dt = time.perf_counter() - t0
            out["tables"][table] = {"rows": len(rows), "seconds": dt, "rows_per_s": len(rows) / dt}
            log(f"  {table}: {len(rows):,} dòng, {dt:.1f} s ({len(rows) / dt:,.0f} dòng/s)")
        if mode == "rebuild":
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                for _name, sql in indexes:
                    cur.execute(sql)
                for table, name, definition in fks:
                    cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            out["rebuild_s"] = time.perf_counter() - t0
            out["rebuilt"] = {"indexes": len(indexes), "foreign_keys": len(fks)}
        t_commit = time.perf_counter()
    out["commit_s"] = time.perf_counter() - t_commit  # deferred foreign-key checks run here
    out["seconds"] = time.perf_counter() - t_all
    out["rows"] = sum(v["rows"] for v in out["tables"].values())
    out["rows_per_s"] = out["rows"] / out["seconds"]
    if vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ds.tables:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    return out


def clear(ds: Dataset) -> None:
    """Empty the loaded tables again (between two load modes)."""
    from django.db import connection

    from dangbo.core.append_only import ledger_maintenance

    tables = list(ds.tables)
    with ledger_maintenance("bench: bảng nạp thử được làm trống"), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # empty referencing tables too
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in reversed(tables):
                cur.execute(f"DELETE FROM {table}")
            cur.execute("PRAGMA foreign_keys = ON")


def analyze() -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


# ------------------------------------------------------------------ the hand-written baseline

STOCK_KEYS = [
    f"{k}_{w}"
    for k in ("members", "official", "probationary", "women", "exempt")
    for w in ("start", "end")
]
FLOW_CASES = {
    "admitted": "kind = 'ket_nap' AND t = 1",
    "readmitted": "kind = 'ket_nap_lai' AND t = 1",
    "recognized_official": "kind = 'chinh_thuc' AND t = 1",
    "transferred_in": "kind = 'chuyen_sinh_hoat' AND t = 1 AND f = 0",
    "transferred_out": "kind = 'chuyen_sinh_hoat' AND t = 0 AND f = 1",
    "transferred_internal": "kind = 'chuyen_sinh_hoat' AND t = 1 AND f = 1",
    "temporary_in": "kind = 'tam_di' AND t = 1 AND f = 0",
    "temporary_out": "kind = 'tam_di' AND t = 0 AND f = 1",
    "reorganized_in": "kind = 'to_chuc_lai' AND t = 1 AND f = 0",
    "reorganized_out": "kind = 'to_chuc_lai' AND t = 0 AND f = 1",
    "died": "kind = 'tu_tran' AND f = 1",
    "removed": "kind = 'xoa_ten' AND f = 1",
    "expelled": "kind = 'ky_luat' AND form = 'khai_tru' AND f = 1",
    "left": "kind = 'ra_khoi_dang' AND f = 1",
    "cards_issued": "kind = 'phat_the' AND t = 1",
    "badges_awarded": "kind = 'huy_hieu' AND t = 1",
    "badges_posthumous": "kind = 'huy_hieu' AND t = 1 AND posthumous",
    "exemptions_granted": "kind = 'mien' AND t = 1",
    "disciplined_total": "kind = 'ky_luat' AND f = 1",
}
COMPARED = STOCK_KEYS + list(FLOW_CASES)


def baseline_sql() -> tuple[str, list[str]]:
    """One statement for stocks (start/end) and the classified flows; params by name."""
    from dangbo.membership.models import Member, MemberEvent, MembershipSpell, Person
    from dangbo.organizations.models import OrgClosure

    cl, sp, mb, pe, ev = (
        m._meta.db_table for m in (OrgClosure, MembershipSpell, Member, Person, MemberEvent)
    )
    stock_sums = ",\n  ".join(
        f"SUM(CASE WHEN at_{w} = 1{cond} THEN 1 ELSE 0 END) AS {k}_{w}"
        for k, cond in (
            ("members", ""),
            ("official", " AND status = 'chinh_thuc'"),
            ("probationary", " AND status = 'du_bi'"),
            ("women", " AND gender = 'nu'"),
            ("exempt", " AND exempt"),
        )
        for w in ("start", "end")
    )
    flow_sums = ",\n  ".join(
        f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END) AS {k}" for k, c in FLOW_CASES.items()
    )
    sql = f"""
WITH stock AS (
    -- one pass over the spells and closure rows overlapping [eve, end]; a date lies in at
    -- most one closure interval of a pair, so nothing is counted twice
    SELECT s.status, s.exempt, p.gender,
           CASE WHEN s.valid_from <= %(eve)s AND s.valid_to > %(eve)s
                 AND c.valid_from <= %(eve)s AND c.valid_to > %(eve)s THEN 1 ELSE 0 END AS at_start,
           CASE WHEN s.valid_from <= %(end)s AND s.valid_to > %(end)s
                 AND c.valid_from <= %(end)s AND c.valid_to > %(end)s THEN 1 ELSE 0 END AS at_end
    FROM {cl} c
    JOIN {sp} s ON s.cell_id = c.descendant_id AND s.valid_from <= %(end)s AND s.valid_to > %(eve)s
    JOIN {mb} m ON m.id = s.member_id
    JOIN {pe} p ON p.id = m.person_id
    WHERE c.ancestor_id = %(org)s AND c.valid_from <= %(end)s AND c.valid_to > %(eve)s
), ends AS (
    SELECT e.id, e.kind, e.form, e.posthumous, 1 AS at_to, 0 AS at_from
    FROM {cl} c
    JOIN {ev} e ON e.to_org_id = c.descendant_id
         AND e.effective_on >= c.valid_from AND e.effective_on < c.valid_to
    WHERE c.ancestor_id = %(org)s AND c.valid_from <= %(end)s AND c.valid_to > %(start)s
      AND e.effective_on >= %(start)s AND e.effective_on <= %(end)s
    UNION ALL
    SELECT e.id, e.kind, e.form, e.posthumous, 0, 1
    FROM {cl} c
    JOIN {ev} e ON e.from_org_id = c.descendant_id
         AND e.from_on >= c.valid_from AND e.from_on < c.valid_to
    WHERE c.ancestor_id = %(org)s AND c.valid_from <= %(end)s AND c.valid_to > %(eve)s
      AND e.effective_on >= %(start)s AND e.effective_on <= %(end)s
), flows AS (
    SELECT kind, form, posthumous, MAX(at_to) AS t, MAX(at_from) AS f
    FROM ends
    WHERE kind <> 'huy_bo' AND NOT EXISTS (SELECT 1 FROM {ev} r WHERE r.reverses_id = ends.id)
    GROUP BY id, kind, form, posthumous
)
SELECT st.*, fl.* FROM
 (SELECT {stock_sums} FROM stock) st,
 (SELECT {flow_sums} FROM flows) fl
"""
    names: list[str] = []

    def positional(m) -> str:
        names.append(m.group(1))
        return "%s"

    import re

    return re.sub(r"%\((\w+)\)s", positional, sql), names


def baseline(org_id: int, start: date, end: date) -> dict[str, int]:
    from django.db import connection

    sql, names = baseline_sql()
    values = {"org": org_id, "start": start, "end": end, "eve": start - timedelta(days=1)}
    with connection.cursor() as cur:
        cur.execute(sql, [values[n] for n in names])
        row = cur.fetchone()
        cols = [c[0] for c in cur.description]
    return {c: int(v or 0) for c, v in zip(cols, row, strict=True)}


# ------------------------------------------------------------------ independent count in Python


def reference(ds: Dataset, org_id: int, start: date, end: date) -> dict[str, int]:
    """The same figures counted in plain Python over the generated rows."""
    intervals: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for _i, a, d, _k, f, t in ds.closure:
        if a == org_id:
            intervals[d].append((f, t))

    def inside(org: int | None, on: str) -> bool:
        return org is not None and any(f <= on < t for f, t in intervals.get(org, ()))

    s_iso, e_iso, eve = start.isoformat(), end.isoformat(), (start - timedelta(days=1)).isoformat()
    out = dict.fromkeys(COMPARED, 0)
    gender = ds.gen.gender
    for _i, mid, _p, cell, status, exempt, _a, vf, vt in ds.gen.spells:
        for which, on in (("start", eve), ("end", e_iso)):
            if vf <= on < vt and inside(cell, on):
                out[f"members_{which}"] += 1
                out[f"{'official' if status == 'chinh_thuc' else 'probationary'}_{which}"] += 1
                out[f"women_{which}"] += gender[mid] == "nu"
                out[f"exempt_{which}"] += bool(exempt)
    for row in ds.gen.events:
        kind, on, from_on, f_org, t_org, form, post = (
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[10],
        )
        if not (s_iso <= on <= e_iso):
            continue
        t, f = inside(t_org, on), inside(f_org, from_on)
        cross_in, cross_out = t and not f, f and not t
        key = {
            "ket_nap": "admitted" if t else None,
            "ket_nap_lai": "readmitted" if t else None,
            "chinh_thuc": "recognized_official" if t else None,
            "chuyen_sinh_hoat": (
                "transferred_in"
                if cross_in
                else "transferred_out"
                if cross_out
                else "transferred_internal"
                if t and f
                else None
            ),
            "tam_di": "temporary_in" if cross_in else "temporary_out" if cross_out else None,
            "to_chuc_lai": "reorganized_in"
            if cross_in
            else "reorganized_out"
            if cross_out
            else None,
            "tu_tran": "died" if f else None,
            "xoa_ten": "removed" if f else None,
            "ra_khoi_dang": "left" if f else None,
            "phat_the": "cards_issued" if t else None,
            "huy_hieu": "badges_awarded" if t else None,
            "mien": "exemptions_granted" if t else None,
            "ky_luat": "disciplined_total" if f else None,
        }.get(kind)
        if key:
            out[key] += 1
        if kind == "ky_luat" and form == "khai_tru" and f:
            out["expelled"] += 1
        if kind == "huy_hieu" and t and post:
            out["badges_posthumous"] += 1
    return out


# ------------------------------------------------------------------ timing


class StatementTimer:
    """An execute wrapper recording each statement's duration (and SQL for EXPLAIN)."""

    def __init__(self):
        self.calls: list[tuple[str, list, float]] = []

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, list(params or []), time.perf_counter() - t0))


ENGINE_FAMILIES = ("stocks", "flows", "candidates", "breakdowns")


def median_ms(fn, runs: int) -> tuple[float, list[float], object]:
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times, result


def measure_level(
    ds: Dataset,
    level: str,
    org_id: int,
    start: date,
    end: date,
    runs: int,
    explain_dir: Path | None,
) -> dict:
    from django.db import connection

    from dangbo import figures

    name = ds.tree.lookup[org_id][3]
    full_ms, full_times, fig = median_ms(
        lambda: figures.membership_figures(org_id, start, end), runs
    )
    sf_ms = None  # the engine's stock and flow statements alone (the baseline's figures)
    if hasattr(figures, "_stocks") and hasattr(figures, "_flows"):
        sf_ms, _, _ = median_ms(
            lambda: (
                figures._stocks(org_id, start - timedelta(days=1), end),
                figures._flows(org_id, figures.Period(start, end)),
            ),
            runs,
        )
    base_ms, base_times, base = median_ms(lambda: baseline(org_id, start, end), runs)
    # per-family split of the engine (one traced call per run)
    fam_times: dict[str, list[float]] = defaultdict(list)
    timer = StatementTimer()
    for _ in range(runs):
        timer.calls.clear()
        with connection.execute_wrapper(timer):
            figures.membership_figures(org_id, start, end)
        labels = (
            ENGINE_FAMILIES
            if len(timer.calls) == len(ENGINE_FAMILIES)
            else [f"stmt{i}" for i in range(len(timer.calls))]
        )
        for label, (_sql, _p, dt) in zip(labels, timer.calls, strict=True):
            fam_times[label].append(dt * 1000)
    families = {k: statistics.median(v) for k, v in fam_times.items()}
    ref = reference(ds, org_id, start, end)
    engine_vals = {k: int(fig.get(k, 0)) for k in COMPARED}
    mism = [
        f"{k}: engine {engine_vals[k]} ≠ baseline {base[k]}"
        for k in COMPARED
        if engine_vals[k] != base[k]
    ]
    ref_mism = [
        f"{k}: engine {engine_vals[k]}, baseline {base[k]}, Python {ref[k]}"
        for k in COMPARED
        if ref[k] != engine_vals[k] or ref[k] != base[k]
    ]
    from dangbo.figures import identity_gap

    out = {
        "level": level,
        "org": org_id,
        "name": name,
        "members_start": engine_vals["members_start"],
        "members_end": engine_vals["members_end"],
        "engine_ms": full_ms,
        "engine_runs_ms": full_times,
        "engine_stocks_flows_ms": sf_ms,
        "baseline_ms": base_ms,
        "baseline_runs_ms": base_times,
        "families_ms": families,
        "ratio_full": full_ms / base_ms,
        "ratio_stocks_flows": sf_ms / base_ms if sf_ms else None,
        "match": not mism,
        "mismatches": mism,
        "reference_mismatches": ref_mism,
        "identity_gap": identity_gap(fig),
        "engine": engine_vals,
        "baseline": base,
        "reference": ref,
    }
    if explain_dir is not None:
        explain(explain_dir, level, timer.calls, org_id, start, end)
    return out


def explain(explain_dir: Path, level: str, calls, org_id: int, start: date, end: date) -> None:
    from django.db import connection

    explain_dir.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    sql, names = baseline_sql()
    values = {"org": org_id, "start": start, "end": end, "eve": start - timedelta(days=1)}
    labels = (
        ENGINE_FAMILIES
        if len(calls) == len(ENGINE_FAMILIES)
        else [f"stmt{i}" for i in range(len(calls))]
    )
    statements = [(f"engine {lab}", s, p) for lab, (s, p, _dt) in zip(labels, calls, strict=True)]
    statements.append(("baseline", sql, [values[n] for n in names]))
    path = explain_dir / f"{vendor}-{level}.txt"
    with path.open("w") as fh, connection.cursor() as cur:
        for label, s, p in statements:
            cur.execute(prefix + s, p)
            plan = "\n".join(" | ".join(str(c) for c in row) for row in cur.fetchall())
            fh.write(f"===== {label}\n{s.strip()}\n-- params: {p}\n{plan}\n\n")
    log(f"  kế hoạch truy vấn: {path}")


def pick_levels(ds: Dataset) -> dict[str, int]:
    """A ward of median size (by cells), the district that loses wards in the measured year, the province."""
    t = ds.tree
    wards = sorted((len(c), w) for w, c in t.ward_cells.items() if w not in t.moved)
    return {"ward": wards[len(wards) // 2][1], "district": t.districts[0], "province": t.province}


# ------------------------------------------------------------------ commands


def cmd_run(args) -> int:
    import django

    django.setup()
    from django.db import connection

    from dangbo import figures as figures_module
    from dangbo.membership.models import MemberEvent

    engine_sha = hashlib.sha256(Path(figures_module.__file__).read_bytes()).hexdigest()[
        :12
    ]  # as imported
    if MemberEvent.objects.exists():
        print(
            "Cơ sở dữ liệu đích đã có dữ liệu; cần một cơ sở dữ liệu mới vừa migrate.",
            file=sys.stderr,
        )
        return 2
    vendor = connection.vendor
    with connection.cursor() as cur:
        cur.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        version = cur.fetchone()[0]
    log(f"{vendor} {version}: sinh dữ liệu {args.members:,} đảng viên (seed {args.seed})")
    t0 = time.perf_counter()
    ds = generate(args.members, args.seed, args.check_every)
    gen_s = time.perf_counter() - t0
    counts = {k: len(v[1]) for k, v in ds.tables.items()}
    log(
        f"sinh xong trong {gen_s:.0f} s: {sum(counts.values()):,} dòng; RSS {rss_mb():.0f} MB; "
        f"kiểm {ds.gen.rule_checked:,} sự kiện theo quy định, {len(ds.gen.rule_violations)} vi phạm"
    )
    for v in ds.gen.rule_violations[:10]:
        log(f"  VI PHẠM: {v}")
    loads = []
    modes = LOAD_MODES if args.load_mode == "both" else (args.load_mode,)
    for i, mode in enumerate(modes):
        if i:
            clear(ds)
        log(f"nạp hàng loạt ({mode})")
        load = bulk_load(ds, mode)
        loads.append(load)
        log(
            f"nạp {load['rows']:,} dòng trong {load['seconds']:.1f} s ({load['rows_per_s']:,.0f} dòng/s; "
            f"dựng lại chỉ mục/khóa ngoại {load['rebuild_s']:.1f} s; commit {load['commit_s']:.1f} s)"
        )
    analyze_s = analyze()
    log(f"ANALYZE {analyze_s:.1f} s")
    from dangbo.membership.aggregates import aggregates_rebuild

    t0 = time.perf_counter()
    n = aggregates_rebuild()
    log(f"aggregates_rebuild: {n:,} dòng trong {time.perf_counter() - t0:.1f} s")
    if args.load_only:
        return 0
    start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    levels = []
    explain_dir = Path(args.explain) if args.explain else None
    for level, org_id in pick_levels(ds).items():
        r = measure_level(ds, level, org_id, start, end, args.runs, explain_dir)
        levels.append(r)
        flag = "khớp" if r["match"] else "KHÔNG KHỚP"
        log(
            f"  {level} #{org_id} ({r['name']}, {r['members_end']:,} đảng viên): engine {r['engine_ms']:.1f} ms "
            f"(tồn + biến động {_ms(r['engine_stocks_flows_ms'])} ms), baseline {r['baseline_ms']:.1f} ms, "
            f"tỉ lệ {r['ratio_full']:.2f}× / {_x(r['ratio_stocks_flows'])}; {flag}"
        )
        for m in r["mismatches"]:
            print(f"!!! SAI KHÁC ({vendor}, {level}): {m}", file=sys.stderr)
        for m in r["reference_mismatches"]:
            print(f"!!! KHÁC ĐẾM ĐỘC LẬP ({vendor}, {level}): {m}", file=sys.stderr)
        if r["identity_gap"]:
            print(f"!!! ĐẲNG THỨC §1 LỆCH {r['identity_gap']} ({vendor}, {level})", file=sys.stderr)
    result = {
        "vendor": vendor,
        "version": version,
        "members": args.members,
        "seed": args.seed,
        "year": args.year,
        "runs": args.runs,
        "rows": counts,
        "generate_s": gen_s,
        "loads": loads,
        "analyze_s": analyze_s,
        "levels": levels,
        "peak_rss_mb": rss_mb(),
        "rules_checked": ds.gen.rule_checked,
        "rule_violations": len(ds.gen.rule_violations),
        "date": time.strftime("%Y-%m-%d"),
        "engine_sha256": engine_sha,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(render([result]))
    ok = (
        all(r["match"] and not r["reference_mismatches"] for r in levels)
        and not ds.gen.rule_violations
    )
    return 0 if ok else 1


def _ms(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def _x(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


def _n(x: float) -> str:
    return f"{x:,.0f}"


def render(results: list[dict]) -> str:
    lines = [
        "| CSDL | cách nạp | dòng nạp | tổng thời gian | dòng/s (tất cả) | dòng/s (sự kiện, riêng COPY/INSERT) "
        "| dựng lại chỉ mục + khóa ngoại | commit | ANALYZE | RSS đỉnh |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for ld in r["loads"]:
            ev = next(v for k, v in ld["tables"].items() if k.endswith("memberevent"))
            lines.append(
                f"| {r['vendor']} | {ld['mode']} | {_n(ld['rows'])} | {ld['seconds']:.1f} s | {_n(ld['rows_per_s'])} | "
                f"{_n(ev['rows_per_s'])} | {ld['rebuild_s']:.1f} s | {ld['commit_s']:.1f} s | {r['analyze_s']:.1f} s | "
                f"{r['peak_rss_mb']:,.0f} MB |"
            )
    lines += [
        "",
        "| CSDL | cấp | đảng viên cuối kỳ | engine (đủ) ms | engine tồn+biến động ms | baseline ms | "
        "tỉ lệ đủ | tỉ lệ tồn+biến động | stocks / flows / candidates / breakdowns ms | khớp |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        for lv in r["levels"]:
            fam = " / ".join(f"{lv['families_ms'].get(f, 0):.1f}" for f in ENGINE_FAMILIES)
            ok = (
                "✓"
                if lv["match"] and not lv["reference_mismatches"]
                else "✗ " + "; ".join(lv["mismatches"][:3])
            )
            lines.append(
                f"| {r['vendor']} | {lv['level']} | {_n(lv['members_end'])} | {lv['engine_ms']:.1f} | "
                f"{_ms(lv['engine_stocks_flows_ms'])} | {lv['baseline_ms']:.1f} | {lv['ratio_full']:.2f}× | "
                f"{_x(lv['ratio_stocks_flows'])} | {fam} | {ok} |"
            )
    return "\n".join(lines)


def cmd_table(args) -> int:
    results = [json.loads(Path(p).read_text()) for p in args.files]
    r0 = results[0]
    engines = ", ".join(
        f"{r['vendor']} {r.get('engine_sha256', '?')} ({r.get('date', '?')})" for r in results
    )
    print(
        f"Cỡ: {r0['members']:,} đảng viên, seed {r0['seed']}, kỳ {r0['year']}, trung vị {r0['runs']} lần đo "
        f"(sau 1 lần khởi động); dangbo/figures.py sha256: {engines}; bảng: "
        + ", ".join(f"{k} {_n(v)}" for k, v in r0["rows"].items())
    )
    print()
    print(render(results))
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="generate, load and measure against DATABASE_URL")
    r.add_argument("--members", type=int, default=400_000)
    r.add_argument("--seed", type=int, default=2025)
    r.add_argument("--year", type=int, default=2024)
    r.add_argument("--runs", type=int, default=7)
    r.add_argument(
        "--check-every",
        type=int,
        default=10,
        help="check the rules on every Nth member's events (0: never)",
    )
    r.add_argument("--json", help="write the measurements here")
    r.add_argument(
        "--explain", help="write EXPLAIN (ANALYZE) of each statement into this directory"
    )
    r.add_argument(
        "--load-mode",
        choices=(*LOAD_MODES, "both"),
        default="both",
        help="plain: into the migrated schema; rebuild: indexes and foreign keys dropped "
        "and recreated; both: one after the other (measured on the second)",
    )
    r.add_argument(
        "--load-only", action="store_true", help="stop after loading (to investigate by hand)"
    )
    t = sub.add_parser("table", help="Markdown tables from run JSON files")
    t.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    return cmd_run(args) if args.cmd == "run" else cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())
