"""Deterministic demo data: a fictional city party committee and its history.

:func:`demo_generate` builds «Đảng bộ thành phố Sông Hồng»: districts, their wards (base
committees until 30/6/2025) and cells, all founded on 1/1/1950; members whose records start
with their admission (the early history is admission, recognition after exactly 12 months
and a card); a detailed history from 1/1/2018 to the fixed demo «today» (23/11/2026) —
admissions through the candidate pipeline, transfers of every kind, temporary transfers,
cards, badges, exemptions, discipline, removals, readmissions, deaths —; the
reorganization of 1/7/2025 (district level abolished, wards merged into larger wards
directly under the city, residential cells merged, the cells left becoming base cells);
congresses, elections and committee seats (:mod:`dangbo.demo.congresses`) and the annual
quality grading (:mod:`dangbo.demo.grading`).

Every draw comes from ``random.Random`` generators seeded from the size's seed (one for the
members' history, one for the congresses, one for the grading) in a fixed order, so one size
always gives the same records. Each member's life is simulated in memory and written through
:func:`~dangbo.membership.events.ledger_append` in large batches (the rules and the fold
check every event); candidates go through the admission-pipeline services and the tree
through the organization services. Personal records, empty member rows (their projection is
written by the ledger) and decision references are bulk-inserted: they carry no rule.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from dangbo.core.dates import add_months, months_between
from dangbo.core.errors import DomainError
from dangbo.core.models import Decision, IssuerLevel
from dangbo.demo.congresses import CongressPlanner, write_congresses
from dangbo.demo.grading import plan_grading, write_grading
from dangbo.demo.party_work import write_party_work
from dangbo.demo.people import STREETS, make_person, weighted
from dangbo.membership.admission import (
    candidate_advance,
    candidate_create,
    class_certify,
    class_create,
    member_admit,
)
from dangbo.membership.events import ledger_append
from dangbo.membership.ledger import EventData
from dangbo.membership.models import (
    Candidate,
    CandidateStage,
    ClassKind,
    DisciplineForm,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Person,
)
from dangbo.membership.people import person_create
from dangbo.membership.planning import NewEvent, OrgIndex
from dangbo.organizations import services as org_services
from dangbo.organizations.models import Organization, OrgKind
from dangbo.rulebook import rules_on

SEED = 2026
TODAY = date(2026, 11, 23)  # the demo's fixed "today", so every run gives the same records
FOUNDED = date(1950, 1, 1)
HISTORY_FROM = date(2018, 1, 1)
REORG_ON = date(2025, 7, 1)
ACTOR = "du_lieu_mau"
CITY_CODE = "TPSH"
CITY_NAME = "Đảng bộ thành phố Sông Hồng"
CITY_ISSUER = "Ban Thường vụ Thành ủy Sông Hồng"
CEREMONIES = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2, 19/5, 2/9, 7/11
FAR = date(9000, 1, 1)
ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)

#: Rules the demo breaks on purpose, each with an exception decision: (person, rule).
DELIBERATE_EXCEPTIONS = {
    "tuoi_ket_nap_duoi_18": "a veteran admitted at 17 in wartime (1967), confirmed by the city",
    "tuoi_ket_nap_tren_60": "a retired teacher admitted at 61 in 2022 by the city's decision",
}

DISTRICT_NAMES = ["Hồng Hà", "Kim Ngưu", "Tô Lịch", "Nhuệ Giang", "Thiên Phù", "Lừ Giang"]
WARD_NAMES = [
    "Bến Nứa",
    "Cầu Gỗ",
    "Đồng Xa",
    "Gò Vân",
    "Hà Khẩu",
    "Kim Hoa",
    "Lạc Trung",
    "Mai Lâm",
    "Ngọc Khánh Tây",
    "Phúc Xá Đông",
    "Quỳnh Lôi",
    "Thanh Nhàn Bắc",
    "Trúc Lạc",
    "Văn Chương Nam",
    "Yên Hoa",
    "Bích Câu",
    "Cát Linh Đông",
    "Đông Các",
    "Hòe Nhai",
    "Khâm Đức",
    "Lãng Yên",
    "Nghĩa Tân Bắc",
    "Phương Liệt Tây",
    "Thịnh Hào",
    "Trung Phụng",
    "Vĩnh Tuy Nam",
    "Xuân La Đông",
    "Yên Lạc",
]
NEW_WARD_NAMES = [
    "Hồng Phúc",
    "Đông Thành",
    "Tây Giang",
    "Nam Đồng",
    "Bắc Sơn",
    "Trung Hòa",
    "Thượng Cát",
    "Hạ Đình",
    "Long Biên Đông",
    "Văn Miếu",
    "Ngọc Hà",
    "Kim Liên",
    "Hoàn Kiếm Tây",
    "Thăng Long",
]
SCHOOL_PATRONS = [
    "Chu Văn An",
    "Lê Quý Đôn",
    "Nguyễn Trãi",
    "Trưng Vương",
    "Ngô Sĩ Liên",
    "Lý Thường Kiệt",
    "Trần Phú",
    "Nguyễn Du",
    "Tô Hoàng",
    "Lương Thế Vinh",
    "Nguyễn Bỉnh Khiêm",
    "Phan Chu Trinh",
    "Hoàng Hoa Thám",
    "Quang Trung",
    "Trần Quốc Toản",
    "Lê Lợi",
    "Ngô Quyền",
    "Thăng Long",
    "Đoàn Thị Điểm",
    "Nguyễn Công Trứ",
    "Hà Huy Tập",
    "Võ Thị Sáu",
    "Kim Đồng",
    "Lê Ngọc Hân",
    "Tây Sơn",
    "Đống Đa",
    "Bế Văn Đàn",
    "Phan Huy Chú",
    "Trần Đăng Ninh",
    "Mạc Đĩnh Chi",
]
KINDERGARTENS = [
    "Hoa Sen",
    "Hoa Hồng",
    "Họa Mi",
    "Sơn Ca",
    "Tuổi Thơ",
    "Ban Mai",
    "Hoa Mai",
    "Vành Khuyên",
    "Bình Minh",
    "Hoa Sữa",
    "Mầm Xanh",
    "Thỏ Ngọc",
]
INSTITUTION_OCCUPATION = {
    "police": "luc_luong_vu_trang",
    "military": "luc_luong_vu_trang",
    "office": "can_bo_cong_chuc",
    "school": "vien_chuc",
    "health": "vien_chuc",
}
#: (age band at 1/1/2018, weight): an urban ward's members are mostly older.
AGE_2018 = [
    ((19, 30), 10),
    ((31, 40), 14),
    ((41, 50), 13),
    ((51, 60), 14),
    ((61, 70), 19),
    ((71, 80), 16),
    ((81, 94), 10),
]
ADMISSION_AGE = [((18, 22), 16), ((23, 30), 46), ((31, 40), 27), ((41, 50), 9), ((51, 59), 2)]
ARRIVAL_AGE = [((23, 35), 30), ((36, 50), 30), ((51, 62), 20), ((63, 75), 20)]
CANDIDATE_AGE = [((19, 25), 40), ((26, 35), 45), ((36, 45), 15)]
DROP_NOTES = [
    "Chuyển nơi cư trú, dừng xem xét",
    "Chưa đủ tiêu chuẩn sau thẩm tra lý lịch",
    "Quần chúng xin rút khỏi danh sách",
    "Chi bộ đề nghị tiếp tục bồi dưỡng, thử thách thêm",
]

ANNUAL_ADMISSION_RATE = 0.013
ANNUAL_RECEIVED_RATE = 0.018


@dataclass(frozen=True)
class DemoSize:
    """How big the demo city is; the defaults are the README's demo."""

    districts: int = 2
    wards_per_district: tuple[int, int] = (4, 6)
    cells_per_ward: tuple[int, int] = (10, 25)
    members_per_ward: tuple[int, int] = (300, 2000)  # on 1/1/2018
    history_from: date = HISTORY_FROM  # detailed history (transfers, badges…) from this date
    seed: int = SEED


@dataclass
class DemoSummary:
    organizations: int = 0
    members: int = 0  # active today
    people: int = 0
    events: int = 0
    candidates: int = 0
    decisions: int = 0
    congresses: int = 0
    seats: int = 0
    member_grades: int = 0
    seconds: float = 0.0
    wards: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, code, start, end


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class DecisionRef:
    """A decision to be numbered once every decision of the demo is known."""

    issuer: str
    level: str
    doc: str  # issuing body's code in the number: TU, QU, ĐU, CB
    type: str  # QĐ, NQ
    issued_on: date
    title: str
    term: str  # whose terms restart the numbering: city, district, cell, or "ward:<index>"
    unique: int = 0  # tells apart one-person decisions of the same day


#: Start dates of the terms within which document numbers run from 01 (REPORTS §4); a ward's
#: own terms (opened by its congresses) are registered in ``DecisionBook.term_starts``.
TERMS = {
    "city": (date(2015, 10, 15), date(2020, 10, 15), date(2025, 10, 15)),
    "district": (date(2015, 9, 1), date(2020, 9, 1)),
    "ward": (date(2015, 7, 1), date(2020, 7, 1), REORG_ON),
    "cell": (date(2017, 6, 1), date(2020, 6, 1), date(2022, 6, 1), REORG_ON),
}


class DecisionBook:
    def __init__(self) -> None:
        self.refs: dict[DecisionRef, None] = {}
        self._unique = 0
        self.created: dict[DecisionRef, Decision] = {}
        self.term_starts: dict[
            str, tuple[date, ...]
        ] = {}  # "ward:<index>" → its terms' start dates

    def ref(self, *, unique: bool = True, **fields) -> DecisionRef:
        if unique:
            self._unique += 1
        ref = DecisionRef(unique=self._unique if unique else 0, **fields)
        self.refs.setdefault(ref, None)
        return ref

    def create(self) -> None:
        """Number the decisions not yet created (per issuer, type and term) and insert them."""
        counters: dict[tuple, int] = defaultdict(int)
        for ref in self.created:
            counters[_series(ref, self.term_starts)] += 1
        new = sorted(
            (r for r in self.refs if r not in self.created),
            key=lambda r: (r.issued_on, r.issuer, r.title, r.unique),
        )
        rows = []
        for ref in new:
            series = _series(ref, self.term_starts)
            counters[series] += 1
            rows.append(
                Decision(
                    number=f"{counters[series]:02d}-{ref.type}/{ref.doc}",
                    issued_on=ref.issued_on,
                    issuer=ref.issuer,
                    issuer_level=ref.level,
                    title=ref.title[:300],
                )
            )
        Decision.objects.bulk_create(rows, batch_size=500)
        if rows and rows[0].pk is None:  # a backend that does not return keys
            keys = {(d.number, d.issued_on, d.issuer): d for d in Decision.objects.all()}
            rows = [keys[(d.number, d.issued_on, d.issuer)] for d in rows]
        self.created.update(zip(new, rows, strict=True))

    def __getitem__(self, ref: DecisionRef | None) -> Decision | None:
        return None if ref is None else self.created[ref]


def _series(ref: DecisionRef, term_starts: dict[str, tuple[date, ...]]) -> tuple:
    terms = term_starts.get(ref.term) or TERMS[ref.term.split(":")[0]]
    starts = [d for d in terms if d <= ref.issued_on]
    return ref.issuer, ref.type, max(starts, default=date.min)


# --------------------------------------------------------------------------- the tree


@dataclass
class Cell:
    id: int
    code: str
    name: str
    category: str  # residential, police, military, office, school, health
    ward: int  # old ward index
    weight: float = 1.0
    after: int = 0  # the cell holding its members from 1/7/2025 (itself or the merge target)
    new_ward: int = 0


@dataclass
class Ward:
    """A ward committee: an old one (until 30/6/2025) or a new one (from 1/7/2025)."""

    index: int
    name: str
    code: str
    new: bool
    org: Organization
    district: int | None = None
    cells: list[int] = field(default_factory=list)  # alive cells (for a new ward: after the merges)
    size: int = 0  # members on 1/1/2018 (new ward: of its old wards)
    sources: list[int] = field(default_factory=list)  # new ward: old wards merged into it

    @property
    def issuer(self) -> str:
        return f"Đảng ủy phường {self.name}"

    @property
    def full_name(self) -> str:
        return f"Đảng bộ phường {self.name}"


@dataclass
class District:
    index: int
    name: str
    code: str
    org: Organization
    wards: list[int] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"Ban Thường vụ Quận ủy {self.name}"


@dataclass
class Tree:
    city: Organization
    districts: list[District] = field(default_factory=list)
    wards: list[Ward] = field(default_factory=list)  # old wards, then new wards
    cells: dict[int, Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, list[int]]] = field(
        default_factory=list
    )  # (new ward, into, sources)
    renames: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # (new ward, cell, name, code)
    names_after: dict[int, str] = field(default_factory=dict)  # cell names from 1/7/2025
    orgs: dict[int, Organization] = field(default_factory=dict)

    def old_wards(self) -> list[Ward]:
        return [w for w in self.wards if not w.new]

    def new_wards(self) -> list[Ward]:
        return [w for w in self.wards if w.new]

    def wards_on(self, on: date) -> list[Ward]:
        return self.new_wards() if on >= REORG_ON else self.old_wards()

    def ward_of(self, cell: int, on: date) -> Ward:
        c = self.cells[cell]
        return self.wards[c.new_ward] if on >= REORG_ON else self.wards[c.ward]

    def cell_on(self, cell: int, on: date) -> int:
        return self.cells[cell].after if on >= REORG_ON else cell

    def residential(self, ward: Ward) -> list[int]:
        return [c for c in ward.cells if self.cells[c].category == "residential"]


def _kind(code: str) -> OrgKind:
    kind = OrgKind.objects.filter(code=code).first()
    if kind is None:
        raise DomainError(
            f"Thiếu loại tổ chức chuẩn «{code}» (tạo bởi migration organizations 0002); "
            "dữ liệu mẫu cần các loại tổ chức chuẩn.",
            code="thieu_loai_to_chuc",
        )
    return kind


def _cell_plan(
    rng: random.Random, n: int, ward_name: str, patrons: list[str]
) -> list[tuple[str, str]]:
    """(category, name) of a ward's cells: residential groups first, then institutions."""
    inst = [
        ("police", f"Chi bộ Công an phường {ward_name}"),
        ("military", f"Chi bộ Quân sự phường {ward_name}"),
    ]
    if n >= 6:
        inst.append(("office", f"Chi bộ Cơ quan phường {ward_name}"))
    if n >= 8:
        inst.append(("school", f"Chi bộ Trường THCS {patrons.pop()}"))
    if n >= 11:
        inst.append(("school", f"Chi bộ Trường Tiểu học {patrons.pop()}"))
    if n >= 14:
        inst.append(("school", f"Chi bộ Trường Mầm non {rng.choice(KINDERGARTENS)}"))
    if n >= 17:
        inst.append(("health", f"Chi bộ Trạm Y tế phường {ward_name}"))
    streets = rng.sample(STREETS, k=min(len(STREETS), n))
    residential, number = [], 0
    for _ in range(max(1, n - len(inst))):
        if streets and rng.random() < 0.3:
            residential.append(("residential", f"Chi bộ Khu dân cư {streets.pop()}"))
        else:
            number += 1
            residential.append(("residential", f"Chi bộ Tổ dân phố số {number}"))
    return residential + inst


def _groups(rng: random.Random, items: list, sizes=(2, 3)) -> list[list]:
    """Split `items` in order into consecutive groups of the given sizes (the last may be smaller)."""
    out, i = [], 0
    while i < len(items):
        k = rng.choice(sizes)
        out.append(items[i : i + k])
        i += k
    return out


def build_tree(rng: random.Random, size: DemoSize, book: DecisionBook, log) -> Tree:
    """Found the city, districts, wards and cells on 1/1/1950 and plan the 2025 reorganization."""
    city = org_services.org_found(
        kind=_kind("tinh"), name=CITY_NAME, code=CITY_CODE, doc_code="TU", on=FOUNDED, actor=ACTOR
    )
    tree = Tree(city=city)
    patrons = SCHOOL_PATRONS[:]
    rng.shuffle(patrons)
    patrons *= 4  # enough for any size; names repeat only in very large demos
    ward_names = WARD_NAMES[:]
    rng.shuffle(ward_names)
    k_district, k_ward, k_cell = _kind("huyen"), _kind("co_so"), _kind("chi_bo")
    for d in range(size.districts):
        name = DISTRICT_NAMES[d % len(DISTRICT_NAMES)]
        code = f"Q{d + 1}"
        org = org_services.org_found(
            kind=k_district,
            name=f"Đảng bộ quận {name}",
            code=code,
            doc_code="QU",
            parent=city,
            on=FOUNDED,
            actor=ACTOR,
        )
        district = District(d, name, code, org)
        tree.districts.append(district)
        for w in range(rng.randint(*size.wards_per_district)):
            wname = ward_names.pop() if ward_names else f"Số {len(tree.wards) + 1}"
            wcode = f"{code}-P{w + 1:02d}"
            worg = org_services.org_found(
                kind=k_ward,
                name=f"Đảng bộ phường {wname}",
                code=wcode,
                doc_code="ĐU",
                parent=org,
                on=FOUNDED,
                actor=ACTOR,
            )
            ward = Ward(
                len(tree.wards),
                wname,
                wcode,
                False,
                worg,
                district=d,
                size=rng.randint(*size.members_per_ward),
            )
            tree.wards.append(ward)
            district.wards.append(ward.index)
            for i, (category, cname) in enumerate(
                _cell_plan(rng, rng.randint(*size.cells_per_ward), wname, patrons)
            ):
                ccode = f"{wcode}-C{i + 1:02d}"
                corg = org_services.org_found(
                    kind=k_cell,
                    name=cname,
                    code=ccode,
                    doc_code="CB",
                    parent=worg,
                    on=FOUNDED,
                    actor=ACTOR,
                )
                tree.orgs[corg.pk] = corg
                tree.cells[corg.pk] = Cell(
                    corg.pk, ccode, cname, category, ward.index, weight=rng.uniform(0.6, 1.4)
                )
                ward.cells.append(corg.pk)
    _plan_reorganization(rng, tree, book)
    log(
        f"Cây tổ chức: 1 thành phố, {len(tree.districts)} quận, {len(tree.old_wards())} phường, "
        f"{len(tree.cells)} chi bộ (thành lập 01/01/1950)."
    )
    return tree


def _plan_reorganization(rng: random.Random, tree: Tree, book: DecisionBook) -> None:
    """Group old wards into new wards and each new ward's cells into merged cells."""
    names = NEW_WARD_NAMES[:]
    rng.shuffle(names)
    for district in tree.districts:
        for group in _groups(rng, district.wards, sizes=(2, 3)):
            name = names.pop() if names else f"Mới {len(tree.new_wards()) + 1}"
            index = len(tree.wards)
            code = f"P{len(tree.new_wards()) + 1:02d}"
            ward = Ward(
                index,
                name,
                code,
                True,
                org=None,
                sources=list(group),  # type: ignore[arg-type]
                size=sum(tree.wards[w].size for w in group),
            )
            tree.wards.append(ward)
            cells = [c for w in group for c in tree.wards[w].cells]
            by_category: dict[str, list[int]] = defaultdict(list)
            for c in cells:
                by_category[tree.cells[c].category].append(c)
            groups = _groups(rng, by_category["residential"], sizes=(2, 3, 3))
            for category in ("police", "military", "office", "health"):
                if by_category[category]:
                    groups.append(by_category[category])
            groups.extend([c] for c in by_category["school"])
            for grp in groups:
                into = grp[0]
                for c in grp:
                    tree.cells[c].after = into
                    tree.cells[c].new_ward = index
                if len(grp) > 1:
                    tree.merges.append((index, into, grp[1:]))
                ward.cells.append(into)
            number = 0
            for k, into in enumerate(ward.cells, start=1):
                cell = tree.cells[into]
                cname = cell.name
                if cell.category == "residential":
                    number += 1
                    cname = f"Chi bộ Tổ dân phố số {number}"
                elif cell.category in ("police", "military", "office", "health"):
                    cname = f"{cname.rsplit(' phường ', 1)[0]} phường {name}"
                tree.renames.append((index, into, cname, f"{code}-C{k:02d}"))
                tree.names_after[into] = cname


# --------------------------------------------------------------------------- lives


@dataclass
class Planned:
    data: EventData
    decision: DecisionRef | None = None
    exception: DecisionRef | None = None


@dataclass(order=True)
class Pending:
    on: date
    prio: int
    seq: int
    kind: str = field(compare=False)
    payload: dict = field(compare=False, default_factory=dict)


@dataclass
class Life:
    """One member's simulated record: the events to write and the state after them."""

    key: int
    person: dict
    origin: str  # initial, received, candidate
    events: list[Planned] = field(default_factory=list)
    cell: int = 0
    status: str | None = None
    admitted_on: date | None = None  # last admission
    official_on: date | None = None
    anchor: date | None = None
    exempt: bool = False
    away: bool = False  # attending temporarily elsewhere
    has_card: bool = False
    badges: set[int] = field(default_factory=set)
    out_since: date | None = None
    out_reason: str = ""
    readmissions: int = 0
    died_on: date | None = None
    pending: list[Pending] = field(default_factory=list)
    spells: list[list] = field(default_factory=list)  # [from, to|None, cell, status, exempt]
    member_pk: int | None = None
    admission: tuple | None = None  # pipeline members: (cell, on, decision, exception)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def name(self) -> str:
        return self.person["full_name"]

    @property
    def birth(self) -> date:
        return self.person["birth_date"]


def ceremony_on_or_after(d: date) -> date:
    year = d.year
    while True:
        for month, day in CEREMONIES:
            c = date(year, month, day)
            if c >= d:
                return c
        year += 1


def _gompertz(age: int) -> float:
    """Yearly probability of death at `age` (urban Vietnam, roughly)."""
    return min(0.6, 3.0e-5 * math.exp(0.0944 * age))


class History:
    """Simulates members' lives from their start to TODAY, one member at a time."""

    def __init__(self, rng: random.Random, tree: Tree, book: DecisionBook, size: DemoSize):
        self.rng = rng
        self.tree = tree
        self.book = book
        self.size = size
        self.lives: list[Life] = []
        self.citizen_ids: set[str] = set()
        self._seq = 0

    # ---- people

    def person(
        self, *, birth_year: int, gender: str | None = None, occupation: str | None = None
    ) -> dict:
        p = make_person(self.rng, gender=gender, birth_year_range=(birth_year, birth_year))
        while p["citizen_id"] in self.citizen_ids:
            p["citizen_id"] = p["citizen_id"][:6] + f"{self.rng.randrange(1_000_000):06d}"
        self.citizen_ids.add(p["citizen_id"])
        if occupation:
            p["occupation"] = occupation
        return p

    def new_life(self, person: dict, origin: str) -> Life:
        life = Life(key=len(self.lives), person=person, origin=origin)
        self.lives.append(life)
        return life

    # ---- decisions

    def ward_decision(
        self, ward: Ward, on: date, title: str, *, unique: bool = True
    ) -> DecisionRef:
        return self.book.ref(
            issuer=ward.issuer,
            level=IssuerLevel.COMMUNE if ward.new else IssuerLevel.BASE,
            doc="ĐU",
            type="QĐ",
            issued_on=min(on, TODAY),
            title=title,
            term=f"ward:{ward.index}",
            unique=unique,
        )

    def upper_decision(
        self, ward: Ward, on: date, title: str, *, unique: bool = True
    ) -> DecisionRef:
        """A decision of the committee directly above the base organization."""
        if ward.new:
            return self.ward_decision(ward, on, title, unique=unique)
        district = self.tree.districts[ward.district]
        return self.book.ref(
            issuer=district.issuer,
            level=IssuerLevel.DISTRICT,
            doc="QU",
            type="QĐ",
            issued_on=min(on, TODAY),
            title=title,
            term="district",
            unique=unique,
        )

    def city_decision(self, on: date, title: str, *, unique: bool = True) -> DecisionRef:
        return self.book.ref(
            issuer=CITY_ISSUER,
            level=IssuerLevel.PROVINCIAL,
            doc="TU",
            type="QĐ",
            issued_on=on,
            title=title,
            term="city",
            unique=unique,
        )

    # ---- state helpers

    def emit(
        self, life: Life, kind: str, on: date, decision=None, exception=None, **fields
    ) -> None:
        life.events.append(
            Planned(EventData(kind=kind, effective_on=on, **fields), decision, exception)
        )

    def spell(self, life: Life, on: date) -> None:
        """Close the open spell on `on` and open one for the current state when active."""
        if life.spells and life.spells[-1][1] is None:
            if life.spells[-1][0] == on:
                life.spells.pop()
            else:
                life.spells[-1][1] = on
        if life.active:
            life.spells.append([on, None, life.cell, life.status, life.exempt])

    def schedule(self, life: Life, on: date, kind: str, prio: int = 1, **payload) -> None:
        self._seq += 1
        life.pending.append(Pending(on, prio, self._seq, kind, payload))

    def unschedule(self, life: Life, kind: str) -> None:
        life.pending = [p for p in life.pending if p.kind != kind]

    def leave(self, life: Life, on: date, reason: str) -> None:
        life.status, life.out_reason, life.out_since = MemberStatus.OUT, reason, on
        life.exempt = life.away = False
        life.pending = []
        self.spell(life, on)

    def probation(self, life: Life, admitted: date) -> None:
        if self.rng.random() < 0.03:
            self.schedule(
                life, admitted + timedelta(days=self.rng.randint(120, 330)), "fail", prio=0
            )
        else:
            self.schedule(
                life,
                add_months(admitted, rules_on(admitted).probation_months),
                "recognition",
                prio=0,
            )

    def schedule_badge(self, life: Life, after: date) -> None:
        """Schedule the next milestone's badge at the first ceremony once the party age reaches it."""
        self.unschedule(life, "badge")
        if not life.active or life.anchor is None:
            return
        for years in rules_on(after).badge_milestones:
            if years in life.badges:
                continue
            c = ceremony_on_or_after(add_months(life.anchor, 12 * years))
            if c < after:
                continue  # reached before this record begins: awarded elsewhere
            early = False
            if life.exempt and after.year - life.birth.year >= 80 and self.rng.random() < 0.35:
                rs = rules_on(c)
                margin = (
                    rs.badge_early_months_upto_65 if years <= 65 else rs.badge_early_months_from_70
                )
                ce = ceremony_on_or_after(add_months(life.anchor, 12 * years - margin))
                if after <= ce < c:
                    c, early = ce, True
            self.schedule(life, c, "badge", years=years, early=early)
            return

    # ---- starting a life

    def add_initial(
        self,
        ward: Ward,
        cell: int,
        person: dict,
        admitted: date,
        exception: DecisionRef | None = None,
    ) -> Life:
        life = self.new_life(person, "initial")
        start = self.size.history_from
        self.emit(life, EventKind.ADMISSION, admitted, exception=exception, to_org=cell)
        life.cell, life.status = cell, MemberStatus.PROBATIONARY
        life.admitted_on = life.anchor = admitted
        self.spell(life, admitted)
        official = add_months(admitted, 12)
        if official < start:
            self.emit(life, EventKind.RECOGNITION, official)
            life.status, life.official_on = MemberStatus.OFFICIAL, official
            self.spell(life, official)
            card_on = ceremony_on_or_after(add_months(official, self.rng.randint(2, 30)))
            if card_on < start:
                self.emit(life, EventKind.CARD, card_on, card_number="?")
                life.has_card = True
            else:
                self.schedule(life, card_on, "card")
        else:
            self.schedule(life, official, "recognition", prio=0)
        self.schedule_badge(life, start)
        self.run(life, start)
        return life

    def add_received(self, ward: Ward, on: date) -> Life:
        """A member transferred in from a party organization outside the city."""
        rng = self.rng
        age = rng.randint(*weighted(rng, ARRIVAL_AGE))
        cell = self.pick_cell(ward, age, on)
        category = self.tree.cells[cell].category
        gender = "nam" if category in ("police", "military") and rng.random() < 0.85 else None
        person = self.person(
            birth_year=on.year - age, gender=gender, occupation=INSTITUTION_OCCUPATION.get(category)
        )
        life = self.new_life(person, "received")
        birth = person["birth_date"]
        latest = months_between(
            birth, add_months(on, -13)
        )  # age in months when admitted at the latest
        if rng.random() < 0.88 and latest > 18 * 12:
            months = 12 * rng.randint(*weighted(rng, ADMISSION_AGE)) + rng.randint(0, 11)
            admitted = add_months(birth, max(18 * 12 + 1, min(months, latest)))
            official = add_months(admitted, 12)
            details = {
                "status": MemberStatus.OFFICIAL.value,
                "admitted_on": admitted.isoformat(),
                "official_on": official.isoformat(),
            }
            life.status, life.official_on, life.has_card = MemberStatus.OFFICIAL, official, True
        else:
            admitted = add_months(on, -rng.randint(1, 10)) - timedelta(days=rng.randint(0, 20))
            details = {
                "status": MemberStatus.PROBATIONARY.value,
                "admitted_on": admitted.isoformat(),
            }
            life.status = MemberStatus.PROBATIONARY
            self.schedule(life, add_months(admitted, 12), "recognition", prio=0)
        decision = self.upper_decision(
            ward,
            on - timedelta(days=rng.randint(2, 12)),
            f"Về việc tiếp nhận sinh hoạt đảng đối với đồng chí {person['full_name']}",
        )
        self.emit(life, EventKind.TRANSFER, on, decision, to_org=cell, details=details)
        life.cell, life.admitted_on, life.anchor = cell, admitted, admitted
        self.spell(life, on)
        self.schedule_badge(life, on)
        self.run(life, on)
        return life

    def add_admitted(self, life: Life, cell: int, on: date, decision, exception) -> None:
        """A candidate admitted through the pipeline (the admission itself is written by member_admit)."""
        life.admission = (cell, on, decision, exception)
        life.cell, life.status = cell, MemberStatus.PROBATIONARY
        life.admitted_on = life.anchor = on
        self.spell(life, on)
        self.probation(life, on)
        self.run(life, on)

    def pick_cell(self, ward: Ward, age: int, on: date) -> int:
        tree = self.tree
        inst = [c for c in ward.cells if tree.cells[c].category != "residential"]
        if inst and age < 56 and self.rng.random() < 0.3:
            return self.rng.choice(inst)
        res = tree.residential(ward)
        return self.rng.choices(res, weights=[tree.cells[c].weight for c in res], k=1)[0]

    # ---- the simulation

    def rates(self, life: Life, on: date) -> dict[str, float]:
        age = on.year - life.birth.year
        if life.away:
            return {"death": _gompertz(age)}
        r = {"death": _gompertz(age) * (1.6 if life.exempt else 1.0)}
        if life.exempt:
            return r
        if age >= 70:
            r["exemption"] = 0.03 if age < 80 else 0.10
        r["discipline"] = 0.003
        r["transfer_out"] = 0.018 if age < 60 else 0.004
        r["transfer_internal"] = 0.007
        r["transfer_ward"] = 0.005
        if age < 55:
            r["temporary"] = 0.009
        if life.status == MemberStatus.OFFICIAL:
            r["removal"] = 0.0008
            r["leaving"] = 0.0003
        return r

    def run(self, life: Life, start: date) -> None:
        rng = self.rng
        cursor = start
        while life.active or life.pending:
            boundary = date(cursor.year + 1, 1, 1)
            if cursor < REORG_ON:
                boundary = min(boundary, REORG_ON)
            rates = self.rates(life, cursor) if life.active else {}
            total = sum(rates.values())
            t_rand = FAR
            if total > 0:
                t_rand = cursor + timedelta(
                    days=1 + min(40000, int(rng.expovariate(total / 365.25)))
                )
            nxt = min(life.pending) if life.pending else None
            t_sched = nxt.on if nxt else FAR
            t = min(boundary, t_rand, t_sched)
            if t > TODAY:
                return
            if boundary <= t_sched and boundary <= t_rand:
                cursor = boundary
                if cursor == REORG_ON and life.active:
                    moved = self.tree.cell_on(life.cell, REORG_ON)
                    if moved != life.cell:
                        life.cell = moved
                        self.spell(life, REORG_ON)
                continue
            if t_sched <= t_rand:
                life.pending.remove(nxt)
                cursor = nxt.on
                self.scheduled(life, nxt)
            else:
                cursor = t_rand
                pick, chosen = rng.random() * total, ""
                for chosen, rate in rates.items():  # noqa: B007 - the loop picks `chosen`
                    pick -= rate
                    if pick < 0:
                        break
                self.random_event(life, chosen, cursor)

    def scheduled(self, life: Life, item: Pending) -> None:
        on, rng = item.on, self.rng
        ward = self.tree.ward_of(life.cell, on) if life.cell else None
        if item.kind == "recognition" and life.status == MemberStatus.PROBATIONARY:
            decision = self.ward_decision(
                ward,
                on + timedelta(days=rng.randint(3, 25)),
                f"Về việc công nhận đảng viên chính thức đối với đồng chí {life.name}",
            )
            self.emit(life, EventKind.RECOGNITION, on, decision)
            life.status, life.official_on = MemberStatus.OFFICIAL, on
            self.spell(life, on)
            self.schedule(life, ceremony_on_or_after(add_months(on, 2)), "card")
        elif item.kind == "fail" and life.status == MemberStatus.PROBATIONARY:
            decision = self.ward_decision(ward, on, f"Về việc xóa tên đảng viên dự bị {life.name}")
            self.emit(life, EventKind.REMOVAL, on, decision, form="du_bi_khong_du_tu_cach")
            self.leave(life, on, "xoa_ten")
        elif item.kind == "card" and life.status == MemberStatus.OFFICIAL and not life.has_card:
            decision = self.upper_decision(
                ward, on - timedelta(days=14), "Về việc phát thẻ đảng viên", unique=False
            )
            self.emit(life, EventKind.CARD, on, decision, card_number="?")
            life.has_card = True
        elif item.kind == "badge" and life.active:
            years = item.payload["years"]
            decision = self.city_decision(
                on - timedelta(days=20), "Về việc tặng Huy hiệu Đảng", unique=False
            )
            self.emit(
                life, EventKind.BADGE, on, decision, badge_years=years, early=item.payload["early"]
            )
            life.badges.add(years)
            self.schedule_badge(life, on + timedelta(days=1))
        elif item.kind == "posthumous":
            cell = self.tree.cell_on(life.cell, on)
            decision = self.city_decision(
                on - timedelta(days=20), "Về việc tặng Huy hiệu Đảng", unique=False
            )
            self.emit(
                life,
                EventKind.BADGE,
                on,
                decision,
                badge_years=item.payload["years"],
                posthumous=True,
                from_org=cell,
                to_org=cell,
            )
        elif item.kind == "back" and life.active and life.away:
            self.emit(life, EventKind.TEMPORARY_BACK, on)
            life.away = False
        elif (
            item.kind in ("readmission", "return")
            and life.status == MemberStatus.OUT
            and not life.died_on
        ):
            home = self.tree.ward_of(self.tree.cell_on(life.cell, on), on)
            cell = rng.choice(self.tree.residential(home))
            if item.kind == "readmission":
                decision = self.upper_decision(
                    home, on, f"Về việc kết nạp lại đồng chí {life.name} vào Đảng"
                )
                self.emit(life, EventKind.READMISSION, on, decision, to_org=cell)
                life.anchor = life.anchor + (on - life.out_since)
                life.status, life.admitted_on, life.official_on = (
                    MemberStatus.PROBATIONARY,
                    on,
                    None,
                )
                life.has_card = False
                life.readmissions += 1
                self.probation(life, on)
            else:
                decision = self.upper_decision(
                    home,
                    on - timedelta(days=rng.randint(2, 12)),
                    f"Về việc tiếp nhận sinh hoạt đảng đối với đồng chí {life.name}",
                )
                self.emit(life, EventKind.TRANSFER, on, decision, to_org=cell)
                life.status = MemberStatus.OFFICIAL
            life.cell, life.out_reason, life.out_since = cell, "", None
            self.spell(life, on)
            self.schedule_badge(life, on)

    def random_event(self, life: Life, kind: str, on: date) -> None:
        rng, tree = self.rng, self.tree
        ward = tree.ward_of(life.cell, on)
        if kind == "death":
            self.emit(life, EventKind.DEATH, on)
            self.leave(life, on, "tu_tran")
            life.died_on = on
            self.posthumous(life, on)
        elif kind == "exemption":
            self.emit(life, EventKind.EXEMPTION, on)
            life.exempt = True
            self.spell(life, on)
            self.schedule_badge(life, on + timedelta(days=1))
        elif kind == "discipline":
            if life.status == MemberStatus.PROBATIONARY:
                form = weighted(rng, [(DisciplineForm.REPRIMAND, 70), (DisciplineForm.WARNING, 30)])
            else:
                form = weighted(
                    rng,
                    [
                        (DisciplineForm.REPRIMAND, 58),
                        (DisciplineForm.WARNING, 30),
                        (DisciplineForm.DISMISSAL, 9),
                        (DisciplineForm.EXPULSION, 3),
                    ],
                )
            label = DisciplineForm(form).label.lower()
            maker = self.upper_decision if form == DisciplineForm.EXPULSION else self.ward_decision
            decision = maker(
                ward,
                on,
                f"Về việc thi hành kỷ luật bằng hình thức {label} đối với đảng viên {life.name}",
            )
            self.emit(life, EventKind.DISCIPLINE, on, decision, form=form.value)
            if form == DisciplineForm.EXPULSION:
                self.leave(life, on, "khai_tru")
        elif kind in ("removal", "leaving"):
            event = EventKind.REMOVAL if kind == "removal" else EventKind.LEAVING
            decision = self.ward_decision(ward, on, f"Về việc xóa tên đảng viên {life.name}")
            self.emit(life, event, on, decision)
            self.leave(life, on, "xoa_ten" if kind == "removal" else "ra_khoi_dang")
            back = add_months(on, rng.randint(37, 48))
            if (
                back <= TODAY
                and months_between(life.birth, back) < 58 * 12
                and rng.random() < (0.12 if kind == "removal" else 0.05)
            ):
                self.schedule(life, back, "readmission")
        elif kind == "transfer_out":
            decision = self.upper_decision(
                ward,
                on - timedelta(days=rng.randint(3, 15)),
                f"Về việc giới thiệu sinh hoạt đảng đối với đồng chí {life.name}",
            )
            self.emit(life, EventKind.TRANSFER, on, decision, from_org=life.cell, to_org=None)
            official = life.status == MemberStatus.OFFICIAL
            self.leave(life, on, "chuyen_di")
            back = add_months(on, rng.randint(12, 36))
            if official and back <= TODAY and rng.random() < 0.06:
                self.schedule(life, back, "return")
        elif kind in ("transfer_internal", "transfer_ward"):
            if kind == "transfer_ward":
                others = [w for w in tree.wards_on(on) if w.index != ward.index]
                if others:
                    weights = [3 if w.district == ward.district else 1 for w in others]
                    target_ward = rng.choices(others, weights=weights, k=1)[0]
                else:
                    target_ward = ward
            else:
                target_ward = ward
            targets = [c for c in tree.residential(target_ward) if c != life.cell]
            if not targets:
                return
            target = rng.choice(targets)
            if target_ward is ward:
                decision = self.ward_decision(
                    ward,
                    on - timedelta(days=rng.randint(1, 10)),
                    f"Về việc chuyển sinh hoạt đảng đối với đồng chí {life.name}",
                )
            else:
                decision = self.upper_decision(
                    ward,
                    on - timedelta(days=rng.randint(3, 15)),
                    f"Về việc giới thiệu sinh hoạt đảng đối với đồng chí {life.name}",
                )
            self.emit(life, EventKind.TRANSFER, on, decision, from_org=life.cell, to_org=target)
            life.cell = target
            self.spell(life, on)
        elif kind == "temporary":
            age = on.year - life.birth.year
            study = rng.random() < (0.5 if age < 35 else 0.15)
            months = rng.randint(6, 24) if study else rng.randint(3, 12)
            until = add_months(on, months)
            if on < REORG_ON <= until:  # a temporary stay never spans the reorganization
                while months > 3 and add_months(on, months) >= REORG_ON:
                    months -= 1
                until = add_months(on, months)
                if until >= REORG_ON:
                    return
            host = None
            if rng.random() < 0.35:
                others = [
                    c
                    for w in tree.wards_on(on)
                    if w.index != ward.index
                    for c in tree.residential(w)
                ]
                host = rng.choice(others) if others else None
            self.emit(
                life,
                EventKind.TEMPORARY_OUT,
                on,
                to_org=host,
                until=until,
                form="hoc_tap" if study else "cong_tac",
            )
            life.away = True
            if until <= TODAY:
                self.schedule(life, until, "back", prio=0)

    def posthumous(self, life: Life, died: date) -> None:
        """Schedule a posthumous badge when the party age at death is within the allowed margin."""
        for years in rules_on(died).badge_milestones:
            if years in life.badges:
                continue
            if ceremony_on_or_after(add_months(life.anchor, 12 * years)) < self.size.history_from:
                continue
            rs = rules_on(died)
            margin = rs.badge_early_months_upto_65 if years <= 65 else rs.badge_early_months_from_70
            if months_between(life.anchor, died) >= 12 * years - margin:
                c = ceremony_on_or_after(died + timedelta(days=1))
                if c <= TODAY and self.rng.random() < 0.8:
                    self.schedule(life, c, "posthumous", years=years)
            return


# --------------------------------------------------------------------------- planning members


def plan_initial_members(h: History, ward: Ward) -> list[Life]:
    """The members of `ward` on the first day of the detailed history, with their early record."""
    rng, tree = h.rng, h.tree
    start = h.size.history_from
    inst = [c for c in ward.cells if tree.cells[c].category != "residential"]
    working = 0.42 * ward.size
    p_inst = min(0.5, 18 * len(inst) / max(1.0, working))
    residential = tree.residential(ward)
    weights = [tree.cells[c].weight for c in residential]
    lives = []
    for _ in range(ward.size):
        age = rng.randint(*weighted(rng, AGE_2018))
        if inst and age < 56 and rng.random() < p_inst:
            cell = rng.choice(inst)
        else:
            cell = rng.choices(residential, weights=weights, k=1)[0]
        category = tree.cells[cell].category
        if category in ("police", "military"):
            gender = "nam" if rng.random() < 0.85 else "nu"
        else:
            gender = "nu" if rng.random() < (0.3 if age > 70 else 0.45) else "nam"
        person = h.person(
            birth_year=start.year - 1 - age,
            gender=gender,
            occupation=INSTITUTION_OCCUPATION.get(category),
        )
        birth = person["birth_date"]
        months = 12 * rng.randint(*weighted(rng, ADMISSION_AGE)) + rng.randint(0, 11)
        earliest = max(18 * 12, months_between(birth, FOUNDED) + 1)
        latest = min(60 * 12 - 1, months_between(birth, start) - 1)
        if months > latest:  # a young member: admitted at some point before the record begins
            months = rng.randint(earliest, latest)
        months = max(months, earliest)
        admitted = add_months(birth, months)
        extra = timedelta(days=rng.randint(0, 27))
        if admitted + extra < start and months_between(birth, admitted + extra) <= 60 * 12 - 1:
            admitted += extra
        lives.append(h.add_initial(ward, cell, person, admitted))
    return lives


def plan_veteran(h: History, ward: Ward) -> Life:
    """A historical record kept as it was: admitted at 17 in wartime, confirmed by the city."""
    person = h.person(birth_year=1950, gender="nam", occupation="huu_tri")
    person["birth_date"] = date(1950, 5, 12)
    admitted = date(1967, 12, 22)
    exception = h.city_decision(
        date(2012, 3, 15),
        f"Về việc công nhận tuổi đảng đối với đồng chí {person['full_name']}, "
        "kết nạp khi chưa đủ 18 tuổi trong thời kỳ kháng chiến chống Mỹ, cứu nước",
    )
    return h.add_initial(ward, h.tree.residential(ward)[0], person, admitted, exception=exception)


@dataclass
class TrainingClassPlan:
    key: int
    name: str
    organizer: Organization | None
    organizer_ref: tuple  # ("district", index) or ("ward", index) when the org does not exist yet
    starts_on: date
    ends_on: date
    certificates: int = 0


@dataclass
class CandidatePlan:
    person: dict
    ward: Ward
    cell: int
    identified: date
    training: TrainingClassPlan | None = None
    certificate: tuple[str, date] | None = None
    steps: list[tuple[str, date]] = field(default_factory=list)  # sponsored … committee resolution
    sponsor: Life | None = None
    admission: date | None = None
    ceremony: date | None = None
    dropped: tuple[date, str] | None = None
    decisions: dict[str, DecisionRef] = field(default_factory=dict)
    exception: DecisionRef | None = None
    life: Life | None = None
    elder: bool = False  # admitted over 60 by the city's decision


PIPELINE_GAPS = [  # (stage, min days, max days) after the awareness-class certificate
    (CandidateStage.SPONSORED, 7, 30),
    (CandidateStage.VERIFIED, 30, 90),
    (CandidateStage.DOSSIER, 10, 40),
    (CandidateStage.CELL_RESOLUTION, 5, 20),
    (CandidateStage.COMMITTEE_RESOLUTION, 7, 30),
    ("admission", 7, 40),
    ("ceremony", 5, 30),
]


def _count(rng: random.Random, expected: float) -> int:
    """A whole number around `expected` (deterministic for the rng)."""
    value = expected * rng.uniform(0.7, 1.3)
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def plan_candidates(
    h: History,
    training: TrainingClassPlan,
    ward: Ward,
    count: int,
    *,
    floor: date,
    limit: date,
    elder: bool = False,
) -> list[CandidatePlan]:
    """Candidates of `ward` attending `training`; every step lies in [floor, limit]."""
    rng, tree = h.rng, h.tree
    cells = [c for c in ward.cells if tree.cells[c].category != "military"]
    out = []
    for i in range(count):
        cell = rng.choices(
            cells, weights=[2 if tree.cells[c].category == "residential" else 1 for c in cells], k=1
        )[0]
        category = tree.cells[cell].category
        identified = max(floor, training.starts_on - timedelta(days=rng.randint(20, 150)))
        certificate_on = training.ends_on + timedelta(days=rng.randint(0, 10))
        gaps = [rng.randint(lo, hi) for _, lo, hi in PIPELINE_GAPS]
        avail = (limit - certificate_on).days
        if (
            limit < TODAY and sum(gaps) > avail
        ):  # finish before the reorganization (later: still open)
            gaps = [max(1, g * avail // sum(gaps)) for g in gaps]
        dates, on = [], certificate_on
        for g in gaps:
            on = on + timedelta(days=g)
            dates.append(on)
        deliberate = elder and i == 0
        if deliberate:
            birth_year = dates[5].year - 62
            person = h.person(birth_year=birth_year, gender="nu", occupation="huu_tri")
        else:
            age = rng.randint(*weighted(rng, CANDIDATE_AGE))
            person = h.person(
                birth_year=identified.year - age, occupation=INSTITUTION_OCCUPATION.get(category)
            )
            if months_between(person["birth_date"], identified) < 18 * 12 + 1:
                person["birth_date"] = person["birth_date"].replace(
                    year=person["birth_date"].year - 1, day=1
                )
        plan = CandidatePlan(person, ward, cell, identified, training)
        drop_at = rng.randint(0, 4) if (not deliberate and rng.random() < 0.08) else None
        if drop_at == 0:  # did not attend the class
            plan.dropped = (
                min(identified + timedelta(days=rng.randint(20, 60)), limit),
                rng.choice(DROP_NOTES),
            )
            out.append(plan)
            continue
        if certificate_on > min(limit, TODAY):
            out.append(plan)  # still waiting for the class
            continue
        training.certificates += 1
        plan.certificate = (f"{training.key:03d}-{training.certificates:03d}/GCN", certificate_on)
        for k, ((stage, _, _), on) in enumerate(zip(PIPELINE_GAPS, dates, strict=True)):
            if on > TODAY:
                break
            if drop_at is not None and k == drop_at:
                plan.dropped = (on, rng.choice(DROP_NOTES))
                break
            if stage == "admission":
                plan.admission = on
            elif stage == "ceremony":
                plan.ceremony = on
            else:
                plan.steps.append((stage, on))
        plan.elder = deliberate
        out.append(plan)
    return out


def candidate_decisions(h: History, plans: list[CandidatePlan]) -> None:
    """The cell's and the committee's resolutions and the admission decision of each candidate."""
    for plan in plans:
        ward, name = plan.ward, plan.person["full_name"]
        cell_name = h.tree.names_after[plan.cell] if ward.new else h.tree.cells[plan.cell].name
        for stage, on in plan.steps:
            if stage == CandidateStage.CELL_RESOLUTION:
                plan.decisions[stage] = h.book.ref(
                    issuer=cell_name,
                    level=IssuerLevel.CELL,
                    doc="CB",
                    type="NQ",
                    issued_on=on,
                    title=f"Về việc đề nghị kết nạp quần chúng {name} vào Đảng",
                    term="cell",
                )
            elif stage == CandidateStage.COMMITTEE_RESOLUTION:
                plan.decisions[stage] = h.book.ref(
                    issuer=ward.issuer,
                    level=IssuerLevel.COMMUNE if ward.new else IssuerLevel.BASE,
                    doc="ĐU",
                    type="NQ",
                    issued_on=on,
                    title=f"Về việc kết nạp quần chúng {name} vào Đảng",
                    term=f"ward:{ward.index}",
                )
        if plan.admission:
            plan.decisions["admission"] = h.ward_decision(
                ward, plan.admission, f"Về việc kết nạp đảng viên đối với quần chúng {name}"
            )
            if plan.elder:
                committee = dict(plan.steps)[CandidateStage.COMMITTEE_RESOLUTION]
                plan.exception = h.city_decision(
                    min(committee + timedelta(days=5), plan.admission - timedelta(days=1)),
                    f"Về việc đồng ý kết nạp vào Đảng đối với quần chúng {name} (trên 60 tuổi)",
                )


def choose_sponsors(h: History, plans: list[CandidatePlan], lives: list[Life]) -> None:
    """A full member of the candidate's cell (else of the ward) on the day the cell assigns one."""
    by_cell: dict[int, list[tuple[date, date, Life]]] = defaultdict(list)
    for life in lives:
        for start, end, cell, status, exempt in life.spells:
            if status == MemberStatus.OFFICIAL and not exempt:
                by_cell[cell].append((start, end or FAR, life))
    for plan in plans:
        sponsored = dict(plan.steps).get(CandidateStage.SPONSORED)
        if sponsored is None:
            continue
        found = [life for s, e, life in by_cell[plan.cell] if s <= sponsored < e]
        if not found:
            found = [
                life for c in plan.ward.cells for s, e, life in by_cell[c] if s <= sponsored < e
            ]
        if not found:  # nobody to sponsor: the cell stops considering the candidate
            plan.steps = [(st, on) for st, on in plan.steps if on < sponsored]
            plan.dropped = (sponsored, "Chưa bố trí được đảng viên chính thức giúp đỡ")
            plan.admission = plan.ceremony = None
            continue
        plan.sponsor = h.rng.choice(found)


def plan_pipeline(
    h: History,
    period: tuple[date, date],
    wards: list[Ward],
    *,
    class_key: list[int],
    floor: date,
    limit: date,
    classes: list[TrainingClassPlan],
) -> list[CandidatePlan]:
    """Awareness classes twice a year in `period` and the candidates who attend them."""
    rng = h.rng
    plans: list[CandidatePlan] = []
    first, last = period
    for year in range(first.year, last.year + 1):
        for month in (3, 9):
            start = date(year, month, 8 + rng.randint(0, 6))
            if not (first <= start <= last):
                continue
            groups: dict[tuple, list[Ward]] = defaultdict(list)
            for ward in wards:
                groups[("ward", ward.index) if ward.new else ("district", ward.district)].append(
                    ward
                )
            for ref, members in groups.items():
                class_key[0] += 1
                if ref[0] == "district":
                    organizer_name = f"quận {h.tree.districts[ref[1]].name}"
                else:
                    organizer_name = f"phường {h.tree.wards[ref[1]].name}"
                training = TrainingClassPlan(
                    class_key[0],
                    f"Lớp bồi dưỡng nhận thức về Đảng khóa {1 if month == 3 else 2} "
                    f"năm {year} ({organizer_name})",
                    None,
                    ref,
                    start,
                    start + timedelta(days=4),
                )
                classes.append(training)
                for ward in members:
                    expected = ward.size * ANNUAL_ADMISSION_RATE / 2 * 1.08
                    elder = year == 2022 and month == 3 and ward.index == 0
                    n = max(_count(rng, expected), 1 if elder else 0)
                    plans.extend(
                        plan_candidates(h, training, ward, n, floor=floor, limit=limit, elder=elder)
                    )
    return plans


def admit_planned(h: History, plans: list[CandidatePlan]) -> None:
    for plan in plans:
        if plan.admission is None:
            continue
        plan.life = h.new_life(plan.person, "candidate")
        h.add_admitted(
            plan.life, plan.cell, plan.admission, plan.decisions["admission"], plan.exception
        )


def plan_received(h: History, wards: list[Ward], first: date, last: date) -> list[Life]:
    """Members received from outside the city between `first` and `last`, in date order."""
    rng = h.rng
    arrivals: list[tuple[date, int]] = []
    for ward in wards:
        days = (last - first).days + 1
        for _ in range(_count(rng, ward.size * ANNUAL_RECEIVED_RATE * days / 365.25)):
            arrivals.append((first + timedelta(days=rng.randrange(days)), ward.index))
    arrivals.sort()
    return [h.add_received(h.tree.wards[w], on) for on, w in arrivals]


# --------------------------------------------------------------------------- writing


class Writer:
    """Writes the planned records through the services, phase by phase."""

    def __init__(self, h: History, log):
        self.h = h
        self.log = log
        self.members: dict[int, Member] = {}

    def bulk_members(self, lives: list[Life]) -> None:
        people = [Person(**life.person) for life in lives]
        Person.objects.bulk_create(people, batch_size=500)
        rows = [Member(person=p) for p in people]
        Member.objects.bulk_create(rows, batch_size=500)
        for life, m in zip(lives, rows, strict=True):
            life.member_pk = m.pk

    def append(self, lives: list[Life], before: date | None, since: date | None, label: str) -> int:
        """Append the events of `lives` dated in [since, before) in batches of many members."""
        h = self.h
        orgs = OrgIndex(preload=True)
        batch: dict[int, list] = {}
        written = 0
        total = len(lives)
        shown = -1
        for i, life in enumerate(lives):
            items = [
                p
                for p in life.events
                if (before is None or p.data.effective_on < before)
                and (since is None or p.data.effective_on >= since)
            ]
            if items:
                batch[life.member_pk] = [
                    NewEvent(
                        p.data, decision=h.book[p.decision], exception_decision=h.book[p.exception]
                    )
                    for p in items
                ]
                written += len(items)
            if len(batch) >= 1500 or (i == total - 1 and batch):
                ledger_append(batch, actor=ACTOR, orgs=orgs)
                batch = {}
                pct = (i + 1) * 100 // total
                if pct // 25 != shown // 25 or i == total - 1:
                    shown = pct
                    self.log(f"  {label}: {pct}%")
        return written

    def classes(self, classes: list[TrainingClassPlan]) -> dict[int, object]:
        tree = self.h.tree
        out = {}
        for tc in classes:
            kind, index = tc.organizer_ref
            organizer = tree.districts[index].org if kind == "district" else tree.wards[index].org
            out[tc.key] = class_create(
                kind=ClassKind.AWARENESS,
                name=tc.name,
                organizer=organizer,
                starts_on=tc.starts_on,
                ends_on=tc.ends_on,
                actor=ACTOR,
            )
        return out

    def candidates(self, plans: list[CandidatePlan], classes: dict[int, object]) -> None:
        h, tree = self.h, self.h.tree
        sponsors = Member.objects.select_related("person").in_bulk(
            [p.sponsor.member_pk for p in plans if p.sponsor is not None]
        )
        for plan in plans:
            person = person_create(actor=ACTOR, **plan.person)
            cell = tree.orgs[plan.cell]
            candidate = candidate_create(person=person, cell=cell, on=plan.identified, actor=ACTOR)
            if plan.certificate:
                number, on = plan.certificate
                class_certify(
                    training_class=classes[plan.training.key],
                    person=person,
                    certificate_number=number,
                    on=on,
                    actor=ACTOR,
                )
                candidate.refresh_from_db()  # the certificate moved it to the next stage
            for stage, on in plan.steps:
                candidate_advance(
                    candidate=candidate,
                    stage=stage,
                    on=on,
                    actor=ACTOR,
                    sponsor=sponsors[plan.sponsor.member_pk]
                    if stage == CandidateStage.SPONSORED
                    else None,
                    decision=h.book[plan.decisions.get(stage)],
                )
            if plan.admission:
                member = member_admit(
                    candidate=candidate,
                    cell=cell,
                    on=plan.admission,
                    decision=h.book[plan.decisions["admission"]],
                    exception_decision=h.book[plan.exception],
                    actor=ACTOR,
                )
                plan.life.member_pk = member.pk
                if plan.ceremony:
                    candidate_advance(
                        candidate=candidate,
                        stage=CandidateStage.CEREMONY,
                        on=plan.ceremony,
                        actor=ACTOR,
                        note="Tổ chức lễ kết nạp tại chi bộ",
                    )
            if plan.dropped:
                on, note = plan.dropped
                candidate_advance(
                    candidate=candidate, stage=CandidateStage.DROPPED, on=on, actor=ACTOR, note=note
                )

    def reorganize(self) -> None:
        """1/7/2025: new wards under the city, cells merged, old wards merged in, districts ended."""
        h, tree = self.h, self.h.tree
        book = h.book
        k_ward = _kind("xa")
        for ward in tree.new_wards():
            ward.org = org_services.org_found(
                kind=k_ward,
                name=ward.full_name,
                code=ward.code,
                doc_code="ĐU",
                parent=tree.city,
                on=REORG_ON,
                decision=book[self.found_decisions[ward.index]],
                actor=ACTOR,
            )
        for index, into, sources in tree.merges:
            org_services.org_merge(
                sources=[tree.orgs[s] for s in sources],
                into=tree.orgs[into],
                on=REORG_ON,
                decision=book[self.cell_decisions[index]],
                actor=ACTOR,
            )
        for ward in tree.new_wards():
            org_services.org_merge(
                sources=[tree.wards[w].org for w in ward.sources],
                into=ward.org,
                on=REORG_ON,
                decision=book[self.found_decisions[ward.index]],
                actor=ACTOR,
            )
        for district in tree.districts:
            org_services.org_dissolve(
                org=district.org,
                on=REORG_ON,
                decision=book[self.dissolve_decisions[district.index]],
                actor=ACTOR,
            )
        k_base_cell = _kind(
            "chi_bo_co_so"
        )  # directly under the ward, a cell is a base organization
        for index, cell, name, code in tree.renames:
            org_services.org_rename(
                org=tree.orgs[cell],
                on=REORG_ON,
                name=name,
                code=code,
                kind=k_base_cell,
                decision=book[self.cell_decisions[index]],
                actor=ACTOR,
            )

    def plan_reorganization_decisions(self) -> None:
        h, tree = self.h, self.h.tree
        issued = REORG_ON - timedelta(days=4)
        self.found_decisions = {}
        self.cell_decisions = {}
        self.dissolve_decisions = {}
        for ward in tree.new_wards():
            olds = ", ".join(tree.wards[w].name for w in ward.sources)
            self.found_decisions[ward.index] = h.city_decision(
                issued,
                f"Về việc thành lập Đảng bộ phường {ward.name} trực thuộc Đảng bộ thành phố "
                f"trên cơ sở hợp nhất Đảng bộ các phường {olds}",
            )
            self.cell_decisions[ward.index] = h.ward_decision(
                ward, REORG_ON, "Về việc sắp xếp, kiện toàn các chi bộ trực thuộc Đảng bộ phường"
            )
        for district in tree.districts:
            self.dissolve_decisions[district.index] = h.city_decision(
                issued, f"Về việc kết thúc hoạt động của Đảng bộ quận {district.name}"
            )


def _number_cards(lives: list[Life]) -> None:
    cards = sorted(
        (
            (p.data.effective_on, life.key, p.data)
            for life in lives
            for p in life.events
            if p.data.kind == EventKind.CARD
        ),
        key=lambda t: (t[0], t[1]),
    )
    for serial, (_, _, data) in enumerate(cards, start=1):
        data.card_number = f"01{serial:06d}"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _stock(ward: Ward, on: date) -> int:
    from dangbo.figures import membership_figures

    return membership_figures(ward.org, on, on).members_end


def demo_generate(
    *, size: DemoSize | None = None, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Generate the demo city with its history into an empty database (all or nothing)."""
    size = size or DemoSize()
    log = progress or (lambda message: None)
    if size.history_from >= REORG_ON or size.history_from <= FOUNDED:
        raise ValueError("history_from must lie between 1950 and 30/6/2025")
    started = time.monotonic()
    rng = random.Random(size.seed)
    book = DecisionBook()
    with transaction.atomic():
        tree = build_tree(rng, size, book, log)
        h = History(rng, tree, book, size)
        writer = Writer(h, log)
        writer.plan_reorganization_decisions()
        old, new = tree.old_wards(), tree.new_wards()

        log("Mô phỏng lịch sử sinh hoạt đảng…")
        base: list[Life] = []
        for ward in old:
            if ward.index == 0:
                base.append(plan_veteran(h, ward))
            base.extend(plan_initial_members(h, ward))
        base.extend(plan_received(h, old, size.history_from, REORG_ON - timedelta(days=1)))
        classes: list[TrainingClassPlan] = []
        class_key = [0]
        early = plan_pipeline(
            h,
            (size.history_from - timedelta(days=130), REORG_ON - timedelta(days=100)),
            old,
            class_key=class_key,
            floor=size.history_from - timedelta(days=300),
            limit=REORG_ON - timedelta(days=1),
            classes=classes,
        )
        choose_sponsors(h, early, base)
        candidate_decisions(h, early)
        admit_planned(h, early)
        base.extend(plan_received(h, new, REORG_ON, TODAY))
        early_classes = list(classes)
        late = plan_pipeline(
            h,
            (REORG_ON + timedelta(days=30), TODAY),
            new,
            class_key=class_key,
            floor=REORG_ON + timedelta(days=2),
            limit=TODAY,
            classes=classes,
        )
        choose_sponsors(h, late, base + [p.life for p in early if p.life])
        candidate_decisions(h, late)
        admit_planned(h, late)
        late_classes = classes[len(early_classes) :]
        early_lives = [p.life for p in early if p.life]
        late_lives = [p.life for p in late if p.life]
        _number_cards(h.lives)
        congresses = CongressPlanner(
            h,
            random.Random(f"{size.seed}:congresses"),
            found_decisions=writer.found_decisions,
            cell_decisions=writer.cell_decisions,
            reorg_on=REORG_ON,
            today=TODAY,
        )
        congresses.plan()
        grading_rng = random.Random(f"{size.seed}:grading")
        gradings = plan_grading(
            h, grading_rng, first_year=max(2019, size.history_from.year + 1), reorg_on=REORG_ON
        )
        book.create()

        log(f"Ghi sổ đảng viên đến 30/06/2025 ({_n(len(base))} hồ sơ)…")
        writer.bulk_members(base)
        writer.append(base, REORG_ON, None, "sổ đảng viên")
        log(f"Quy trình phát triển đảng viên đến 30/06/2025: {_n(len(early))} quần chúng…")
        writer.candidates(early, writer.classes(early_classes))
        writer.append(early_lives, REORG_ON, None, "đảng viên mới")
        for ward in old:
            log(
                f"  {ward.full_name} ({ward.code}): {_n(_stock(ward, size.history_from))} đảng viên ngày "
                f"{size.history_from:%d/%m/%Y}, {_n(_stock(ward, REORG_ON - timedelta(days=1)))} ngày 30/06/2025, "
                f"{len(ward.cells)} chi bộ"
            )

        log(
            "Sắp xếp tổ chức ngày 01/07/2025: thành lập phường mới, hợp nhất chi bộ, kết thúc cấp quận…"
        )
        writer.reorganize()
        log(f"Ghi sổ đảng viên từ 01/07/2025 đến {TODAY:%d/%m/%Y}…")
        writer.append(base + early_lives, None, REORG_ON, "sổ đảng viên")
        log(f"Quy trình phát triển đảng viên từ 01/07/2025: {_n(len(late))} quần chúng…")
        writer.candidates(late, writer.classes(late_classes))
        writer.append(late_lives, None, None, "đảng viên mới")

        log("Khai báo các nhiệm kỳ (để cấp số văn bản)…")
        open_terms(tree)
        log("Đại hội chi bộ, đảng bộ phường và chức vụ trong cấp ủy…")
        done = write_congresses(congresses, book, ACTOR, log)
        log(
            f"  {_n(done.congresses)} đại hội, {_n(done.elections)} cuộc bầu cử ({_n(done.rounds)} lần bỏ phiếu), "
            f"{_n(done.seats)} chức vụ trong cấp ủy"
        )
        log("Đánh giá, xếp loại chất lượng hằng năm…")
        graded = write_grading(h, gradings, grading_rng, ACTOR, log)
        log("Chỉ tiêu, kiểm tra, giám sát, văn bản và hội nghị sơ kết, tổng kết…")
        write_party_work(
            h, random.Random(f"{size.seed}:party_work"), ACTOR, log, today=TODAY, reorg_on=REORG_ON
        )

        summary = DemoSummary()
        for ward in new:
            start, end = _stock(ward, REORG_ON), _stock(ward, TODAY)
            summary.wards.append((ward.full_name, ward.code, start, end))
            log(
                f"  {ward.full_name} ({ward.code}): {_n(start)} đảng viên ngày 01/07/2025, {_n(end)} ngày "
                f"{TODAY:%d/%m/%Y}, {len(ward.cells)} chi bộ"
            )
        summary.organizations = Organization.objects.count()
        summary.members = Member.objects.filter(status__in=ACTIVE).count()
        summary.people = Person.objects.count()
        summary.events = MemberEvent.objects.count()
        summary.candidates = Candidate.objects.count()
        summary.decisions = Decision.objects.count()
        summary.congresses, summary.seats, summary.member_grades = (
            done.congresses,
            done.seats,
            graded.member_rows,
        )
    summary.seconds = time.monotonic() - started
    return summary


def open_terms(tree: Tree) -> None:
    """Record the city's and the districts' terms: document numbers run from 01 within each of
    them. The wards' and cells' terms are opened by their congresses (dangbo.demo.congresses)."""
    from dangbo.organizations.services import term_open

    def open_all(org: Organization, starts: tuple[date, ...], last_year: int) -> None:
        for i, start in enumerate(starts):
            end_year = starts[i + 1].year if i + 1 < len(starts) else last_year
            term_open(org=org, label=f"{start.year}–{end_year}", starts_on=start, actor=ACTOR)

    open_all(tree.city, TERMS["city"], 2030)
    for district in tree.districts:
        open_all(district.org, TERMS["district"], 2025)


# --------------------------------------------------------------------------- loading and reset


def demo_loaded() -> bool:
    from dangbo.organizations.models import OrgVersion

    return OrgVersion.objects.filter(code=CITY_CODE, parent__isnull=True).exists()


def demo_reset() -> None:
    """Delete every record of the product (organization kinds stay) and restart the numbering."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("dangbo.")
        and m._meta.managed
        and not m._meta.proxy
        and m is not OrgKind
    ]
    # children before the tables they point to (foreign keys are also deferred to commit)
    order: list = []
    seen: set = set()

    def visit(model) -> None:
        if model in seen:
            return
        seen.add(model)
        for other in models:
            if other is not model and any(
                f.is_relation and f.related_model is model and f.concrete
                for f in other._meta.get_fields()
            ):
                visit(other)
        order.append(model)

    for model in models:
        visit(model)
    tables = [m._meta.db_table for m in order]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction
            connection.check_constraints()
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
        )


__all__ = [
    "DELIBERATE_EXCEPTIONS",
    "DemoSize",
    "DemoSummary",
    "demo_generate",
    "demo_loaded",
    "demo_reset",
    "CITY_CODE",
    "CITY_NAME",
    "REORG_ON",
    "TODAY",
]
