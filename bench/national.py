#!/usr/bin/env python
"""National-scale benchmark: 34 provinces, 5.6 M members at --scale 1, on PostgreSQL.

``run`` builds a deterministic national tree (nation → 34 provinces → districts → wards →
cells until 2025-06-30; on 2025-07-01 the districts end and the wards are merged into
communes directly under their province, every member below getting a reorganization
event), generates each province's members with bench/province.py's ``Generator`` (the
ledger ``fold`` derives every member's state and spells), writes each province's rows to
COPY text files (2 worker processes, one province at a time, so memory stays bounded),
loads them into the database named by ``DATABASE_URL`` (``plain``: into the migrated
schema; ``rebuild``: secondary indexes and foreign keys dropped and recreated), runs
ANALYZE and ``aggregates_rebuild``, then times the figures of a commune, a province and
the nation for 2024 and 2025 (aggregates, the ledger engine, the hand-written SQL
baseline), compares every key with each other and with an independent count made during
generation, and times single ledger writes with aggregate maintenance.

``table`` turns the JSON of a run into Markdown tables.

    DATABASE_URL=postgres://… .venv/bin/python bench/national.py run --scale 0.1 --json n.json
    .venv/bin/python bench/national.py table n.json

The target database must be freshly migrated and empty (bench/national does all of it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import multiprocessing
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

import province as pv  # noqa: E402  (bench/province.py: generator, baseline, reference)

REORG_ON = date(2025, 7, 1)  # the district level ends, wards merge into communes
REORG_D = REORG_ON.toordinal()
F_O = pv.FOUNDED.toordinal()
FOREVER_O = date(9999, 12, 31).toordinal()
NATION = {
    "members": 5_600_000,
    "districts": 696,
    "wards": 10_000,
    "communes": 3_321,
    "cells": 270_000,
}
PROVINCES = 34
NEW_COMMUNE_SHARE = 0.2  # communes founded anew (the others keep one of the old wards' ids)
ID_ROOM = {"events": 8, "spells": 4, "steps": 4}  # id ranges per member of a province
PERIODS = {
    "2024": (date(2024, 1, 1), date(2024, 12, 31)),
    "2025": (date(2025, 1, 1), date(2025, 12, 31)),
}


def log(msg: str) -> None:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] {msg} (RSS đỉnh: chính {me:,.0f} MB, tiến trình con {kids:,.0f} MB)",
        file=sys.stderr,
        flush=True,
    )


# ------------------------------------------------------------------ the national tree


@dataclass
class NationalTree(pv.Tree):
    nation: int = 0
    provinces: list[int] = field(default_factory=list)
    province_members: dict[int, int] = field(default_factory=dict)
    province_wards: dict[int, list[int]] = field(default_factory=dict)
    province_cells: dict[int, list[int]] = field(default_factory=dict)
    province_cum: dict[int, list[float]] = field(default_factory=dict)
    ward_district: dict[int, int] = field(default_factory=dict)
    ward_province: dict[int, int] = field(default_factory=dict)
    commune_of: dict[int, int] = field(default_factory=dict)  # old ward -> commune from REORG_ON
    commune_cells: dict[int, list[int]] = field(default_factory=dict)
    communes: dict[int, list[int]] = field(default_factory=dict)  # province -> communes
    kept: set[int] = field(default_factory=set)  # communes that keep an old ward's id
    vers: dict[int, list[list]] = field(
        default_factory=dict
    )  # org -> [from, to, name, code, doc, kind, parent]


def build_national(rng: random.Random, scale: float, kinds: dict[str, int]) -> NationalTree:
    """The tree, its versions and reorganization records (rows as bench/province.py writes them)."""
    t = NationalTree()
    next_id = iter(range(1, 10**9))
    rid = iter(range(1, 10**9))
    members = round(NATION["members"] * scale)
    holds = {"chi_bo": True}
    used: set[str] = set()

    def place() -> str:
        while True:
            a, b = rng.choice(pv.PLACE_WORDS), rng.choice(pv.PLACE_WORDS)
            name = f"{a} {b}"
            if a != b and name not in used:
                used.add(name)
                return name
            if len(used) > 1000:  # the word pairs run out: add a number
                name = f"{a} {b} {len(used)}"
                used.add(name)
                return name

    def org(
        kind: str, name: str, code: str, doc: str, parent: int | None, founded: int = F_O
    ) -> int:
        oid = next(next_id)
        t.orgs.append([oid, pv.iso(founded), None])
        t.vers[oid] = [[founded, FOREVER_O, name, code, doc, kinds[kind], parent]]
        t.lookup[oid] = (founded, 10**7, holds.get(kind, False), name)
        t.reorgs.append(
            (
                next(rid),
                "thanh_lap",
                pv.iso(founded),
                pv.ACTOR,
                pv.stamp(founded),
                json.dumps({"org": oid, "parent": parent}),
            )
        )
        return oid

    def end(oid: int, day: int) -> None:
        t.vers[oid][-1][1] = day
        t.orgs[oid - 1][2] = pv.iso(day)
        f, _, h, name = t.lookup[oid]
        t.lookup[oid] = (f, day, h, name)

    def reattach(oid: int, day: int, parent: int, code: str | None = None) -> None:
        last = t.vers[oid][-1]
        last[1] = day
        t.vers[oid].append([day, FOREVER_O, last[2], code or last[3], last[4], last[5], parent])

    def record(kind: str, day: int, details: dict) -> int:
        r = next(rid)
        t.reorgs.append((r, kind, pv.iso(day), pv.ACTOR, pv.stamp(day), json.dumps(details)))
        return r

    t.nation = org("trung_uong", "Đảng bộ toàn quốc (thử nghiệm)", "TW", "TW", None)
    weights = [math.exp(rng.gauss(0, 0.5)) for _ in range(PROVINCES)]
    total_w = sum(weights)
    shares = [w / total_w for w in weights]
    counts = [math.floor(members * s) for s in shares]
    for i in sorted(range(PROVINCES), key=lambda i: members * shares[i] - counts[i], reverse=True)[
        : members - sum(counts)
    ]:
        counts[i] += 1
    for p, (share, n_members) in enumerate(zip(shares, counts, strict=True), start=1):
        pid = org("tinh", f"Đảng bộ tỉnh {place()}", f"P{p:02d}", "TU", t.nation)
        t.provinces.append(pid)
        t.province_members[pid] = n_members
        n_d = max(2, round(NATION["districts"] * scale * share))
        n_w = max(2 * n_d, round(NATION["wards"] * scale * share))
        n_c = min(n_w, max(1, round(NATION["communes"] * scale * share)))
        n_cells = max(3 * n_w, round(NATION["cells"] * scale * share))
        districts = [
            org("huyen", f"Đảng bộ huyện {place()}", f"P{p:02d}-H{d:02d}", "HU", pid)
            for d in range(1, n_d + 1)
        ]
        by_district: dict[int, list[int]] = defaultdict(list)
        for w in range(n_w):
            did = districts[w % n_d]
            k = len(by_district[did]) + 1
            word = "phường" if rng.random() < 0.4 else "xã"
            wid = org(
                "xa",
                f"Đảng bộ {word} {place()}",
                f"P{p:02d}-H{w % n_d + 1:02d}-X{k:02d}",
                "ĐU",
                did,
            )
            by_district[did].append(wid)
            t.ward_district[wid], t.ward_province[wid] = did, pid
            t.ward_cells[wid] = []
        wards = [w for d in districts for w in by_district[d]]
        t.province_wards[pid] = wards
        t.district_wards.update(by_district)
        cells: list[int] = []
        cum: list[float] = []
        acc = 0.0
        per_ward = n_cells / n_w
        for wid in wards:
            wcode = t.vers[wid][0][3]
            for c in range(1, max(2, round(rng.uniform(0.55, 1.45) * per_ward)) + 1):
                label = f"Chi bộ tổ dân phố số {c}" if rng.random() < 0.5 else f"Chi bộ thôn {c}"
                cid = org("chi_bo", label, f"{wcode}-C{c:02d}", "", wid)
                t.ward_cells[wid].append(cid)
                t.cell_ward[cid] = wid
                cells.append(cid)
                acc += math.exp(rng.gauss(0, 0.45))
                cum.append(acc)
        t.province_cells[pid], t.province_cum[pid] = cells, cum
        t.cells.extend(cells)
        # 2021-01-01: in some wards the last cell is merged into the first one
        for wid in wards:
            wc = t.ward_cells[wid]
            if len(wc) >= 4 and rng.random() < 0.15:
                src, into = wc[-1], wc[0]
                r = record("hop_nhat", pv.MERGE_D, {"sources": [src], "into": into})
                t.merged[src], t.merge_reorg[src] = into, r
                end(src, pv.MERGE_D)
        # 2025-07-01: wards grouped into communes under the province; districts end
        t.communes[pid] = []
        bounds = [round(i * n_w / n_c) for i in range(n_c + 1)]
        for g in range(n_c):
            group = wards[bounds[g] : bounds[g + 1]]
            code = f"P{p:02d}-XA{g + 1:03d}"
            if rng.random() < NEW_COMMUNE_SHARE:
                commune = org("xa", f"Đảng bộ xã {place()}", code, "ĐU", pid, founded=REORG_D)
                sources = group
            else:
                commune, sources = group[0], group[1:]
                r = record(
                    "dieu_chuyen",
                    REORG_D,
                    {"org": commune, "before": t.ward_district[commune], "after": pid},
                )
                reattach(commune, REORG_D, pid, code)
                t.moved[commune] = (t.ward_district[commune], pid, r)
                t.kept.add(commune)
            t.communes[pid].append(commune)
            t.commune_cells[commune] = [c for w in group for c in t.ward_cells[w]]
            if sources:
                r = record("hop_nhat", REORG_D, {"sources": sources, "into": commune})
                for w in sources:
                    for c in t.ward_cells[w]:
                        if c not in t.merged:
                            reattach(c, REORG_D, commune)
                    end(w, REORG_D)
                    t.moved[w] = (t.ward_district[w], commune, r)
            for w in group:
                t.commune_of[w] = commune
        for did in districts:
            record("giai_the", REORG_D, {"org": did})
            end(did, REORG_D)
    return t


def version_rows(t: NationalTree) -> list[tuple]:
    rows = []
    for oid, vs in t.vers.items():
        for f, to, name, code, doc, kind, parent in vs:
            rows.append((len(rows) + 1, oid, pv.iso(f), pv.iso(to), name, code, doc, kind, parent))
    return rows


# ------------------------------------------------------------------ one province's members


class NationalGenerator(pv.Generator):
    """bench/province.py's generator over one province of the national tree."""

    move_d = REORG_D
    #: people made per (gender, birth year) before they are reused with another id: making a
    #: person is a quarter of the generation time, and repeated names are realistic
    POOL = 48

    def __init__(self, tree: pv.Tree, seed: int):
        super().__init__(tree, seed)
        self.pool: dict[tuple[str, int], list[tuple[dict, tuple[str, str]]]] = {}

    def person(self, pid: int, birth: int, gender: str) -> str:
        from dangbo.demo.people import make_person
        from dangbo.membership.search import search_columns

        key = (gender, pv.D(birth).year)
        pool = self.pool.setdefault(key, [])
        if len(pool) < self.POOL:
            p = make_person(self.rng, gender=gender, birth_year_range=(key[1], key[1]))
            pool.append((p, search_columns(p["full_name"])))
        p, search = pool[self.rng.randrange(len(pool))]
        citizen = p["citizen_id"][:6] + f"{pid:06d}" if pid < 1_000_000 else None
        self.persons.append(
            (
                pid,
                p["full_name"],
                gender,
                pv.iso(birth),
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
                *search,
            )
        )
        self.gender[pid] = gender
        return p["full_name"]

    def district_of(self, ward: int, day: int) -> int:
        t = self.t
        assert isinstance(t, NationalTree)
        return t.ward_district[ward] if day < REORG_D else t.commune_of[ward]

    def transfer_target(self, cell: int, day: int) -> int:
        t, rng = self.t, self.rng
        assert isinstance(t, NationalTree)
        r = rng.random()
        ward = t.cell_ward[cell]
        prov = t.ward_province[ward]
        if day < REORG_D and r < 0.6:
            pool = t.ward_cells[ward]
        elif day < REORG_D and r < 0.85:
            pool = t.ward_cells[rng.choice(t.district_wards[t.ward_district[ward]])]
        elif r < 0.6:
            pool = t.commune_cells[t.commune_of[ward]]
        elif r < 0.95:
            pool = t.ward_cells[rng.choice(t.province_wards[prov])]
        else:  # another province
            pool = t.ward_cells[rng.choice(t.province_wards[rng.choice(t.provinces)])]
        for _ in range(20):
            target = self.alive(rng.choice(pool), day)
            if target != cell:
                return target
        for c in t.province_cells[prov]:
            c = self.alive(c, day)
            if c != cell:
                return c
        raise AssertionError("a province with one cell")

    def run_province(
        self, first: int, n: int, first_dropped: int, n_dropped: int, check_every: int
    ) -> None:
        entries = self.entries(n)
        for i, en in enumerate(entries):
            mid = first + i
            self.add_member(mid, en, check_rules=check_every > 0 and mid % check_every == 0)
        pid = first_dropped
        for _ in range(n_dropped):
            day = self.rng.randint(pv.S + 250, pv.E)
            birth = day - int(self.rng.uniform(18.5, 40) * 365.25)
            self.person(pid, birth, self.gender_pick())
            self.add_candidate(pid, pid, self.pick_cell(day), day, admitted=False)
            pid += 1


# ------------------------------------------------------------------ COPY text files

COLUMNS = {
    "organization": ["id", "founded_on", "dissolved_on"],
    "orgversion": [
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
    "orgclosure": ["id", "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"],
    "reorganization": ["id", "kind", "effective_on", "actor", "recorded_at", "details"],
}
MEMBER_TABLES = ("persons", "members", "candidates", "steps", "events", "spells")


def _field(v) -> str:
    if v is None:
        return "\\N"
    c = v.__class__
    if c is bool:
        return "t" if v else "f"
    if c is int:
        return str(v)
    s = str(v)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def write_copy(path: Path, rows) -> int:
    n = 0
    with path.open("w", encoding="utf-8", buffering=1 << 20) as fh:
        for row in rows:
            fh.write("\t".join(map(_field, row)))
            fh.write("\n")
            n += 1
    return n


# ------------------------------------------------------------------ workers

_W: dict = {}  # what the forked workers inherit: tree, targets, arguments


def _filtered(gen: pv.Generator, cells: set[int]) -> SimpleNamespace:
    spells = [s for s in gen.spells if s[3] in cells]
    events = [e for e in gen.events if e[5] in cells or e[6] in cells]
    return SimpleNamespace(spells=spells, events=events, gender=gen.gender)


def generate_province(index: int) -> dict:
    """Generate province `index`, write its rows, count the reference figures; returns a summary."""
    t: NationalTree = _W["tree"]
    a = _W["args"]
    pid = t.provinces[index]
    first, first_dropped, n_dropped = _W["ranges"][pid]
    n = t.province_members[pid]
    t0 = time.perf_counter()
    view = dataclasses.replace(t, cells=t.province_cells[pid], cell_cum=t.province_cum[pid])
    gen = NationalGenerator(view, a.seed)
    gen.rng = random.Random(a.seed * 7919 + 1 + 1000 * (index + 1))
    gen.next_event = (first - 1) * ID_ROOM["events"] + 1
    gen.next_spell = (first - 1) * ID_ROOM["spells"] + 1
    gen.next_step = (first - 1) * ID_ROOM["steps"] + 1
    gen.run_province(first, n, first_dropped, n_dropped, a.check_every)
    for what, nxt in (
        ("events", gen.next_event),
        ("spells", gen.next_spell),
        ("steps", gen.next_step),
    ):
        assert nxt <= (first - 1 + n) * ID_ROOM[what] + 1 or n == 0, (
            f"{what}: vượt khoảng id của tỉnh"
        )
    gen_s = time.perf_counter() - t0
    out_dir = Path(a.work) / f"p{index + 1:02d}"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {}
    t1 = time.perf_counter()
    for name, data in (
        ("persons", gen.persons),
        ("members", gen.members),
        ("candidates", gen.candidates),
        ("steps", gen.steps),
        ("events", gen.events),
        ("spells", gen.spells),
    ):
        rows[name] = write_copy(out_dir / f"{name}.tsv", data)
    write_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    refs: dict[str, dict[str, int]] = {}
    for key, (org_id, closure, cells) in _W["targets"].items():
        sub = _filtered(gen, cells) if cells is not None else gen
        ds = SimpleNamespace(closure=closure, gen=sub)
        for period, (start, end) in PERIODS.items():
            refs[f"{key}/{period}"] = pv.reference(ds, org_id, start, end)  # type: ignore[arg-type]
    ref_s = time.perf_counter() - t2
    return {
        "index": index,
        "province": pid,
        "members": n,
        "rows": rows,
        "refs": refs,
        "rule_checked": gen.rule_checked,
        "violations": gen.rule_violations[:20],
        "n_violations": len(gen.rule_violations),
        "generate_s": gen_s,
        "write_s": write_s,
        "reference_s": ref_s,
        "rss_mb": pv.rss_mb(),
    }


# ------------------------------------------------------------------ load


def table_names() -> dict[str, str]:
    from dangbo.membership.models import (
        Candidate,
        CandidateStep,
        Member,
        MemberEvent,
        MembershipSpell,
        Person,
    )
    from dangbo.organizations.models import Organization, OrgClosure, OrgVersion, Reorganization

    t = lambda m: m._meta.db_table  # noqa: E731
    return {
        "organization": t(Organization),
        "orgversion": t(OrgVersion),
        "orgclosure": t(OrgClosure),
        "reorganization": t(Reorganization),
        "persons": t(Person),
        "members": t(Member),
        "candidates": t(Candidate),
        "steps": t(CandidateStep),
        "events": t(MemberEvent),
        "spells": t(MembershipSpell),
    }


def member_columns() -> dict[str, list[str]]:
    """The columns of bench/province.py's member tables, by the short names used here."""
    return pv.MEMBER_COLUMNS


def load_files(files: dict[str, list[Path]], rows: dict[str, int], mode: str) -> dict:
    """COPY every table from its files in one transaction (see bench/province.py bulk_load)."""
    from django.db import connection, transaction

    names = table_names()
    cols = {**COLUMNS, **member_columns()}
    out: dict = {"mode": mode, "tables": {}, "rebuild_s": 0.0}
    t_all = time.perf_counter()
    with transaction.atomic():
        raw = connection.connection
        if mode == "rebuild":
            indexes, fks = pv._secondary(list(names.values()))
            with connection.cursor() as cur:
                for table, name, _def in fks:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _sql in indexes:
                    cur.execute(f'DROP INDEX "{name}"')
        for short, table in names.items():
            t0 = time.perf_counter()
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY {table} ({', '.join(cols[short])}) FROM STDIN") as cp,
            ):
                for path in files[short]:
                    with path.open("rb") as fh:
                        while block := fh.read(1 << 20):
                            cp.write(block)
            dt = time.perf_counter() - t0
            n = rows[short]
            out["tables"][table] = {"rows": n, "seconds": dt, "rows_per_s": n / dt if dt else 0}
            log(f"  {table}: {n:,} dòng, {dt:.1f} s ({n / max(dt, 1e-9):,.0f} dòng/s)")
        if mode == "rebuild":
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                for name, sql in indexes:
                    t1 = time.perf_counter()
                    cur.execute(sql)
                    log(f"  chỉ mục {name}: {time.perf_counter() - t1:.1f} s")
                for table, name, definition in fks:
                    t1 = time.perf_counter()
                    cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                    log(f"  khóa ngoại {name}: {time.perf_counter() - t1:.1f} s")
            out["rebuild_s"] = time.perf_counter() - t0
            out["rebuilt"] = {"indexes": len(indexes), "foreign_keys": len(fks)}
        t_commit = time.perf_counter()
    out["commit_s"] = time.perf_counter() - t_commit
    out["seconds"] = time.perf_counter() - t_all
    out["rows"] = sum(v["rows"] for v in out["tables"].values())
    out["rows_per_s"] = out["rows"] / out["seconds"]
    with connection.cursor() as cur:
        for table in names.values():
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    return out


def clear() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {', '.join(table_names().values())} CASCADE")


# ------------------------------------------------------------------ measurements


def _flat(fig) -> dict:
    out = {}
    for k, v in fig.to_dict().items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}.{k2}"] = v2
        else:
            out[k] = v
    return out


def measure(
    level: str, org_id: int, name: str, period: str, ref: dict, runs: int, slow_runs: int
) -> dict:
    import inspect

    from dangbo import figures

    start, end = PERIODS[period]
    kw = (
        {"breakdowns": False}
        if "breakdowns" in inspect.signature(figures.membership_figures).parameters
        else {}
    )
    agg_ms, agg_times, agg = pv.median_ms(
        lambda: figures.membership_figures(org_id, start, end, **kw), runs
    )
    try:
        from dangbo.figures_ledger import ledger_figures
    except ImportError:
        ledger_figures = getattr(figures, "ledger_figures", None)
    led = led_ms = led_times = None
    if ledger_figures is not None:
        led_ms, led_times, led = pv.median_ms(lambda: ledger_figures(org_id, start, end), slow_runs)
    base_ms, base_times, base = pv.median_ms(lambda: pv.baseline(org_id, start, end), slow_runs)
    a, b = _flat(agg), _flat(led) if led is not None else None
    mism = []
    if b is not None:
        mism = [
            f"{k}: aggregates {a.get(k)} ≠ ledger {b.get(k)}"
            for k in sorted(set(a) | set(b))
            if a.get(k) != b.get(k)
        ]
    ref_mism = [
        f"{k}: aggregates {a.get(k)}, baseline {base[k]}, Python {ref[k]}"
        for k in pv.COMPARED
        if not (ref[k] == a.get(k) == base[k])
    ]
    return {
        "level": level,
        "period": period,
        "org": org_id,
        "name": name,
        "members_start": a.get("members_start"),
        "members_end": a.get("members_end"),
        "aggregates_ms": agg_ms,
        "aggregates_runs_ms": agg_times,
        "ledger_ms": led_ms,
        "ledger_runs_ms": led_times,
        "baseline_ms": base_ms,
        "baseline_runs_ms": base_times,
        "ratio_baseline": base_ms / agg_ms,
        "ratio_ledger": led_ms / agg_ms if led_ms else None,
        "keys_compared": len(a),
        "ledger_compared": b is not None,
        "match": not mism,
        "mismatches": mism,
        "reference_mismatches": ref_mism,
        "aggregates": a,
        "reference": ref,
    }


def ledger_writes(t: NationalTree, seed: int, n: int) -> dict:
    """`n` single-event ledger appends (a card, a transfer between communes, a badge), committed."""
    from django.db import connection

    from dangbo.core.dates import add_months
    from dangbo.membership.events import ledger_append
    from dangbo.membership.ledger import EventData
    from dangbo.membership.models import Member
    from dangbo.membership.planning import NewEvent

    rng = random.Random(seed + 15)
    timer = pv.StatementTimer()
    statements: dict[str, list] = defaultdict(lambda: [0, 0.0])  # statement -> calls, total ms
    on = date(2026, 2, 3)
    ids = list(
        Member.objects.filter(status="chinh_thuc", host_cell__isnull=True).values_list(
            "id", flat=True
        )[:200000]
    )
    times: dict[str, list[float]] = defaultdict(list)
    refused: dict[str, int] = defaultdict(int)
    kinds = ("phat_the", "chuyen_sinh_hoat", "huy_hieu")
    done = 0
    tries = 0
    while done < n and tries < 20 * n:
        tries += 1
        kind = kinds[tries % 3]
        m = Member.objects.get(pk=rng.choice(ids))
        if kind == "phat_the":
            data = EventData(
                kind=kind,
                effective_on=on,
                from_org=m.cell_id,
                to_org=m.cell_id,
                card_number=f"99.{m.pk:07d}",
            )
        elif kind == "chuyen_sinh_hoat":
            ward = t.cell_ward[m.cell_id]
            prov = t.ward_province[ward]
            others = [c for c in t.communes[prov] if c != t.commune_of[ward]]
            others = others or t.communes[rng.choice([p for p in t.provinces if p != prov])]
            pool = [c for c in t.commune_cells[rng.choice(others)] if c not in t.merged]
            data = EventData(
                kind=kind, effective_on=on, from_org=m.cell_id, to_org=rng.choice(pool)
            )
        else:
            have = set(m.badges or [])
            due = [
                y
                for y in pv.MILESTONES
                if y not in have and add_months(m.party_anchor, 12 * y) <= on
            ]
            if not due:
                continue
            data = EventData(
                kind=kind, effective_on=on, from_org=m.cell_id, to_org=m.cell_id, badge_years=due[0]
            )
        timer.calls.clear()
        t0 = time.perf_counter()
        try:
            with connection.execute_wrapper(timer):
                ledger_append({m.pk: [NewEvent(data)]}, actor=pv.ACTOR)
        except Exception as exc:  # a rule refused it: counted, not timed
            refused[f"{kind}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            continue
        times[kind].append((time.perf_counter() - t0) * 1000)
        for sql, _p, dt in timer.calls:
            label = " ".join(sql.split())[:90]
            statements[label][0] += 1
            statements[label][1] += dt * 1000
        done += 1
    every = sorted(x for v in times.values() for x in v)

    def pct(xs: list[float], q: float) -> float | None:
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else None

    return {
        "writes": len(every),
        "p50_ms": statistics.median(every) if every else None,
        "p95_ms": pct(every, 0.95),
        "max_ms": every[-1] if every else None,
        "by_kind": {
            k: {"n": len(v), "p50_ms": statistics.median(v), "p95_ms": pct(sorted(v), 0.95)}
            for k, v in times.items()
        },
        "refused": dict(refused),
        # where a write's time goes: the statements by total time over every write
        "statements": [
            {"sql": k, "calls": c, "total_ms": ms, "ms_per_write": ms / max(len(every), 1)}
            for k, (c, ms) in sorted(statements.items(), key=lambda kv: -kv[1][1])[:12]
        ],
    }


def snapshot_timings(nation: int, runs: int) -> dict | None:
    """The breakdown snapshot (when dangbo.figures_snapshot exists): refresh, nation breakdowns."""
    try:
        from dangbo.figures_snapshot import snapshot_refresh
    except ImportError:
        return None
    from dangbo import figures

    on = date(2025, 12, 31)
    t0 = time.perf_counter()
    orgs = snapshot_refresh(on)
    out: dict = {"on": on.isoformat(), "refresh_s": time.perf_counter() - t0, "orgs": orgs}
    start = date(2025, 1, 1)
    ms, times, fig = pv.median_ms(lambda: figures.membership_figures(nation, start, on), runs)
    out["nation_full_ms"], out["nation_full_runs_ms"] = ms, times
    t1 = time.perf_counter()
    live = figures.stock_breakdowns(nation, on)
    out["live_breakdowns_s"] = time.perf_counter() - t1
    out["same_as_live"] = dict(fig.breakdowns or {}) == {k: dict(v) for k, v in live.items()}
    return out


# ------------------------------------------------------------------ the run


def pick_targets(
    t: NationalTree, closure: list[tuple]
) -> dict[str, tuple[int, list[tuple], set[int] | None]]:
    """A kept commune of median size in the largest province, that province, the nation."""
    prov = max(t.provinces, key=lambda p: t.province_members[p])
    kept = [
        c
        for c in t.communes[prov]
        if c in t.kept and len(t.commune_cells[c]) > len(t.ward_cells[c])
    ]
    kept = kept or [c for c in t.communes[prov] if c in t.kept] or t.communes[prov]
    kept.sort(key=lambda c: (len(t.commune_cells[c]), c))
    commune = kept[len(kept) // 2]
    out: dict[str, tuple[int, list[tuple], set[int] | None]] = {}
    for level, org_id in (("commune", commune), ("province", prov), ("nation", t.nation)):
        rows = [r for r in closure if r[1] == org_id]
        cells = None if level == "nation" else {r[2] for r in rows}
        out[level] = (org_id, rows, cells)
    return out


def generate_all(args, t: NationalTree, closure, versions, targets, work: Path):
    """Write the organization files, then every province's files (worker processes)."""
    from django.db import connections

    org_rows = {
        "organization": [tuple(o) for o in t.orgs],
        "orgversion": versions,
        "orgclosure": closure,
        "reorganization": t.reorgs,
    }
    rows: dict[str, int] = {}
    for name, data in org_rows.items():
        rows[name] = write_copy(work / f"{name}.tsv", data)
    n_members = sum(t.province_members.values())
    # id ranges: members first..; dropped candidates after every member
    ranges, first, dropped = {}, 1, n_members + 1
    for pid in t.provinces:
        n = t.province_members[pid]
        n_dropped = round(n * pv.DROPPED_CANDIDATES_SHARE)
        ranges[pid] = (first, dropped, n_dropped)
        first += n
        dropped += n_dropped
    _W.update(tree=t, args=args, ranges=ranges, targets=targets)
    connections.close_all()
    # provinces largest first, so the two workers end together
    order = sorted(range(len(t.provinces)), key=lambda i: -t.province_members[t.provinces[i]])
    refs: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(pv.COMPARED, 0))
    summaries = []
    t1 = time.perf_counter()
    done_members = 0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, maxtasksperchild=4) as pool:
        for s in pool.imap_unordered(generate_province, order):
            summaries.append(s)
            done_members += s["members"]
            for k, ref in s.pop("refs").items():
                for key, v in ref.items():
                    refs[k][key] += v
            log(
                f"  tỉnh {s['index'] + 1:02d}: {s['members']:,} đảng viên, {s['rows']['events']:,} sự kiện; sinh {s['generate_s']:.0f} s, "
                f"ghi {s['write_s']:.0f} s, đếm {s['reference_s']:.0f} s, RSS tiến trình {s['rss_mb']:,.0f} MB; "
                f"tổng {done_members:,}/{n_members:,} sau {time.perf_counter() - t1:.0f} s"
            )
    gen_s = time.perf_counter() - t1
    summaries.sort(key=lambda s: s["index"])
    for name in MEMBER_TABLES:
        rows[name] = sum(s["rows"][name] for s in summaries)
    violations = [v for s in summaries for v in s["violations"]]
    log(
        f"sinh xong trong {gen_s:.0f} s: {sum(rows.values()):,} dòng ({', '.join(f'{k} {v:,}' for k, v in rows.items())}); "
        f"kiểm {sum(s['rule_checked'] for s in summaries):,} sự kiện theo quy định, "
        f"{sum(s['n_violations'] for s in summaries)} vi phạm"
    )
    for v in violations[:10]:
        log(f"  VI PHẠM: {v}")
    return rows, dict(refs), gen_s, summaries


def cmd_run(args) -> int:
    import django

    django.setup()
    from django.db import connection

    from dangbo.membership.models import MemberEvent
    from dangbo.organizations.closure import compute_closure
    from dangbo.organizations.models import OrgKind

    if connection.vendor != "postgresql":
        print("bench/national.py chỉ chạy trên PostgreSQL.", file=sys.stderr)
        return 2
    if MemberEvent.objects.exists():
        print(
            "Cơ sở dữ liệu đích đã có dữ liệu; cần một cơ sở dữ liệu mới vừa migrate.",
            file=sys.stderr,
        )
        return 2
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dangbo-national-"))
    work.mkdir(parents=True, exist_ok=True)
    args.work = str(work)
    kinds = dict(OrgKind.objects.values_list("code", "id"))
    t0 = time.perf_counter()
    t = build_national(random.Random(args.seed), args.scale, kinds)
    versions = version_rows(t)
    closure_in = [
        (v[1], v[8], date.fromisoformat(v[2]), date.fromisoformat(v[3])) for v in versions
    ]
    closure = [
        (i, a, d, k, pv.iso_d(f), pv.iso_d(to))
        for i, (a, d, k, f, to) in enumerate(compute_closure(closure_in), start=1)
    ]
    tree_s = time.perf_counter() - t0
    n_members = sum(t.province_members.values())
    log(
        f"{version.split(',')[0]}: cây {len(t.orgs):,} tổ chức ({len(t.provinces)} tỉnh, {len(t.district_wards)} huyện, "
        f"{len(t.ward_cells):,} xã/phường cũ, {sum(len(c) for c in t.communes.values()):,} xã mới, {len(t.cells):,} chi bộ), "
        f"{len(versions):,} phiên bản, {len(closure):,} dòng closure trong {tree_s:.0f} s; {n_members:,} đảng viên (seed {args.seed})"
    )
    targets = pick_targets(t, closure)
    summary_path = work / "summary.json"
    files: dict[str, list[Path]] = {name: [work / f"{name}.tsv"] for name in COLUMNS}
    if args.from_files:
        summ = json.loads(summary_path.read_text())
        same = (summ["seed"], summ["scale"], summ["kinds"]) == (args.seed, args.scale, kinds)
        if not same:
            print(
                f"{summary_path}: sinh với tham số khác (seed, scale, loại tổ chức).",
                file=sys.stderr,
            )
            return 2
        rows, refs, gen_s, summaries = (
            summ["rows"],
            summ["refs"],
            summ["generate_s"],
            summ["summaries"],
        )
        log(f"dùng lại dữ liệu đã sinh trong {work} ({sum(rows.values()):,} dòng)")
    else:
        rows, refs, gen_s, summaries = generate_all(args, t, closure, versions, targets, work)
        summary_path.write_text(
            json.dumps(
                {
                    "seed": args.seed,
                    "scale": args.scale,
                    "kinds": kinds,
                    "rows": rows,
                    "refs": refs,
                    "generate_s": gen_s,
                    "summaries": summaries,
                },
                ensure_ascii=False,
            )
        )
        if args.generate_only:
            return 0
    del closure, versions, closure_in
    for name in MEMBER_TABLES:
        files[name] = [work / f"p{s['index'] + 1:02d}" / f"{name}.tsv" for s in summaries]
    n_violations = sum(s["n_violations"] for s in summaries)
    loads = []
    modes = ("plain", "rebuild") if args.load_mode == "both" else (args.load_mode,)
    for i, mode in enumerate(modes):
        if i:
            clear()
        log(f"nạp hàng loạt ({mode})")
        load = load_files(files, rows, mode)
        loads.append(load)
        log(
            f"nạp {load['rows']:,} dòng trong {load['seconds']:.1f} s ({load['rows_per_s']:,.0f} dòng/s; "
            f"dựng lại chỉ mục/khóa ngoại {load['rebuild_s']:.1f} s; commit {load['commit_s']:.1f} s)"
        )
    if not args.keep_files and not args.from_files:
        shutil.rmtree(work, ignore_errors=True)
    analyze_s = pv.analyze()
    log(f"ANALYZE {analyze_s:.1f} s")
    result: dict = {
        "vendor": "postgresql",
        "version": version,
        "scale": args.scale,
        "members": n_members,
        "seed": args.seed,
        "runs": args.runs,
        "slow_runs": args.slow_runs,
        "workers": args.workers,
        "rows": rows,
        "tree": {
            "orgs": len(t.orgs),
            "provinces": len(t.provinces),
            "districts": len(t.district_wards),
            "wards": len(t.ward_cells),
            "communes": sum(len(c) for c in t.communes.values()),
            "cells": len(t.cells),
        },
        "tree_s": tree_s,
        "generate_s": gen_s,
        "loads": loads,
        "analyze_s": analyze_s,
        "rules_checked": sum(s["rule_checked"] for s in summaries),
        "rule_violations": n_violations,
        "date": time.strftime("%Y-%m-%d"),
    }
    _write(args, result)  # the load's figures, before the long steps
    if args.load_only:
        print(render(result))
        return 0
    try:
        from dangbo.membership.aggregates import aggregates_rebuild
    except ImportError:
        aggregates_rebuild = None
        log("!!! chưa có dangbo.membership.aggregates: bỏ qua aggregates_rebuild")
    if aggregates_rebuild is not None:
        t2 = time.perf_counter()
        from django.db import transaction

        with transaction.atomic():  # as an import calls it: one transaction
            n_rows = aggregates_rebuild(progress=lambda i, n: log(f"  aggregates: {i}/{n}"))
        result["aggregates_rebuild_s"] = time.perf_counter() - t2
        result["aggregate_rows"] = n_rows
        log(f"aggregates_rebuild: {n_rows:,} dòng trong {result['aggregates_rebuild_s']:.1f} s")
        result["analyze_after_aggregates_s"] = pv.analyze()
        if args.verify:
            from dangbo.membership.aggregates import aggregate_differences

            t3 = time.perf_counter()
            diffs = aggregate_differences()
            result["verify_s"] = time.perf_counter() - t3
            result["verify_differences"] = diffs
            log(f"aggregate_differences: {len(diffs)} khác biệt trong {result['verify_s']:.1f} s")
            for d in diffs[:10]:
                print(f"!!! {d}", file=sys.stderr)
    levels = []
    for level, (org_id, _rows, _cells) in targets.items():
        name = t.lookup[org_id][3]
        for period in PERIODS:
            r = measure(
                level, org_id, name, period, refs[f"{level}/{period}"], args.runs, args.slow_runs
            )
            levels.append(r)
            log(
                f"  {level} {period} #{org_id} ({name}, {r['members_end']:,} đảng viên): aggregates {r['aggregates_ms']:.1f} ms, "
                f"ledger {pv._ms(r['ledger_ms'])} ms, baseline {r['baseline_ms']:.1f} ms "
                f"(×{r['ratio_baseline']:.1f}); {r['keys_compared']} khóa {'khớp' if r['match'] else 'KHÔNG KHỚP'}"
            )
            for m in r["mismatches"][:20]:
                print(f"!!! SAI KHÁC ({level} {period}): {m}", file=sys.stderr)
            for m in r["reference_mismatches"][:20]:
                print(f"!!! KHÁC ĐẾM ĐỘC LẬP ({level} {period}): {m}", file=sys.stderr)
    result["levels"] = levels
    _write(args, result)
    if args.writes:
        result["ledger_writes"] = ledger_writes(t, args.seed, args.writes)
        w = result["ledger_writes"]
        log(
            f"ghi sổ: {w['writes']} lần, p50 {pv._ms(w['p50_ms'])} ms, p95 {pv._ms(w['p95_ms'])} ms; từ chối {sum(w['refused'].values())}"
        )
        _write(args, result)
    snap = snapshot_timings(t.nation, args.runs)
    if snap is not None:
        result["snapshot"] = snap
        log(f"ảnh chụp: {snap}")
    result["peak_rss_mb"] = pv.rss_mb()
    result["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    _write(args, result)
    print(render(result))
    ok = all(r["match"] and not r["reference_mismatches"] for r in levels)
    return 0 if ok else 1


def _write(args, result: dict) -> None:
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))


# ------------------------------------------------------------------ tables


def render(r: dict) -> str:
    n = pv._n
    lines = [
        f"Cỡ: {r['members']:,} đảng viên (scale {r['scale']}), seed {r['seed']}; cây: "
        + ", ".join(f"{k} {v:,}" for k, v in r["tree"].items())
        + "; bảng: "
        + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()),
        f"Sinh dữ liệu {r['generate_s']:.0f} s ({r['workers']} tiến trình); ANALYZE {r['analyze_s']:.1f} s; "
        f"aggregates_rebuild {pv._ms(r.get('aggregates_rebuild_s'))} s ({n(r.get('aggregate_rows') or 0)} dòng)",
        "",
        "| cách nạp | dòng nạp | tổng thời gian | dòng/s (tất cả) | dòng/s (sự kiện, riêng COPY) | dựng lại chỉ mục + khóa ngoại | commit |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for ld in r["loads"]:
        ev = next(v for k, v in ld["tables"].items() if k.endswith("memberevent"))
        lines.append(
            f"| {ld['mode']} | {n(ld['rows'])} | {ld['seconds']:.1f} s | {n(ld['rows_per_s'])} | {n(ev['rows_per_s'])} | "
            f"{ld['rebuild_s']:.1f} s | {ld['commit_s']:.1f} s |"
        )
    lines += [
        "",
        "| cấp | kỳ | đảng viên cuối kỳ | aggregates ms | ledger_figures ms | baseline SQL ms | baseline / aggregates | khớp (khóa) |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for lv in r.get("levels", []):
        ok = (
            "✓"
            if lv["match"] and not lv["reference_mismatches"]
            else "✗ " + "; ".join((lv["mismatches"] + lv["reference_mismatches"])[:2])
        )
        lines.append(
            f"| {lv['level']} | {lv['period']} | {n(lv['members_end'] or 0)} | {lv['aggregates_ms']:.1f} | {pv._ms(lv['ledger_ms'])} | "
            f"{lv['baseline_ms']:.1f} | {lv['ratio_baseline']:.1f}× | {ok} ({lv['keys_compared']}) |"
        )
    w = r.get("ledger_writes")
    if w:
        lines += [
            "",
            f"Ghi sổ một sự kiện (kèm cập nhật aggregates), {w['writes']} lần: p50 {pv._ms(w['p50_ms'])} ms, "
            f"p95 {pv._ms(w['p95_ms'])} ms, max {pv._ms(w['max_ms'])} ms; "
            + ", ".join(f"{k} p95 {pv._ms(v['p95_ms'])} ms" for k, v in w["by_kind"].items()),
        ]
    s = r.get("snapshot")
    if s:
        lines += [
            "",
            f"Ảnh chụp ngày {s['on']}: làm mới {s['refresh_s']:.1f} s ({s['orgs']} tổ chức); số liệu đủ "
            f"(kèm phân tổ) của toàn quốc năm 2025 {s['nation_full_ms']:.1f} ms; phân tổ đếm trực tiếp "
            f"{s['live_breakdowns_s']:.1f} s; {'khớp' if s['same_as_live'] else 'KHÔNG KHỚP'}",
        ]
    return "\n".join(lines)


def cmd_table(args) -> int:
    for p in args.files:
        print(render(json.loads(Path(p).read_text())))
        print()
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="generate, load and measure against DATABASE_URL")
    r.add_argument("--scale", type=float, default=1.0, help="1: 5.6 M members; 0.1: 560,000")
    r.add_argument("--seed", type=int, default=2025)
    r.add_argument(
        "--runs", type=int, default=7, help="timed runs of the aggregates figures (after a warm-up)"
    )
    r.add_argument(
        "--slow-runs", type=int, default=3, help="timed runs of ledger_figures and the baseline"
    )
    r.add_argument("--workers", type=int, default=2)
    r.add_argument(
        "--check-every", type=int, default=50, help="check the rules on every Nth member (0: never)"
    )
    r.add_argument("--writes", type=int, default=200, help="single ledger writes to time (0: none)")
    r.add_argument("--load-mode", choices=("plain", "rebuild", "both"), default="rebuild")
    r.add_argument(
        "--work", help="directory for the generated COPY files (default: a temporary one)"
    )
    r.add_argument("--keep-files", action="store_true")
    r.add_argument(
        "--verify", action="store_true", help="time aggregate_differences() (dangbo verify's check)"
    )
    r.add_argument("--load-only", action="store_true")
    r.add_argument(
        "--generate-only", action="store_true", help="write the files into --work and stop"
    )
    r.add_argument(
        "--from-files",
        action="store_true",
        help="load the files a --generate-only run left in --work",
    )
    r.add_argument("--json", help="write the measurements here")
    t = sub.add_parser("table", help="Markdown tables from run JSON files")
    t.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    return cmd_run(args) if args.cmd == "run" else cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())
