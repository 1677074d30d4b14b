"""The demo city's tree: districts, wards and cells founded on 1/1/1950, and the plan of
the 1/7/2025 reorganization (new wards, merged cells, renamed cells).

Nothing is written here: organizations are numbered by a key in order of founding (the
writer turns keys into interchange refs) and bound to the stored organizations after the
import (``Tree.bind``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from dangbo.core.errors import DomainError
from dangbo.demo.common import REORG_ON, DemoSize
from dangbo.demo.people import STREETS
from dangbo.demo.places import (
    DISTRICT_NAMES,
    KINDERGARTENS,
    NEW_WARD_NAMES,
    SCHOOL_PATRONS,
    WARD_NAMES,
)
from dangbo.organizations.models import Organization, OrgKind, OrgVersion

STANDARD_KINDS = ("tinh", "huyen", "co_so", "chi_bo", "xa", "chi_bo_co_so")


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
    key: int  # the organization's key (see the module docstring)
    district: int | None = None
    cells: list[int] = field(default_factory=list)  # alive cells (for a new ward: after the merges)
    size: int = 0  # members on 1/1/2018 (new ward: of its old wards)
    sources: list[int] = field(default_factory=list)  # new ward: old wards merged into it
    org: Organization | None = None  # bound after the import

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
    key: int
    wards: list[int] = field(default_factory=list)
    org: Organization | None = None  # bound after the import

    @property
    def issuer(self) -> str:
        return f"Ban Thường vụ Quận ủy {self.name}"


@dataclass
class Tree:
    city_key: int
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
    keys: int = 0  # organizations numbered so far
    city: Organization | None = None  # bound after the import
    orgs: dict[int, Organization] = field(default_factory=dict)  # cell key → its organization

    def next_key(self) -> int:
        self.keys += 1
        return self.keys

    def bind(self, first_codes: dict[int, tuple[str, date]]) -> None:
        """Find the stored organization of every key by its first code and founding day."""
        by_code = {
            (code, valid_from): org
            for org, code, valid_from in OrgVersion.objects.values_list("org", "code", "valid_from")
        }
        orgs = Organization.objects.in_bulk(by_code.values())
        of = {key: orgs[by_code[first]] for key, first in first_codes.items()}
        self.city = of[self.city_key]
        for district in self.districts:
            district.org = of[district.key]
        for ward in self.wards:
            ward.org = of[ward.key]
        self.orgs = {cell: of[cell] for cell in self.cells}

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


def check_kinds() -> None:
    """Refuse to start without the standard organization kinds (migration organizations 0002)."""
    present = set(OrgKind.objects.filter(code__in=STANDARD_KINDS).values_list("code", flat=True))
    for code in STANDARD_KINDS:
        if code not in present:
            raise DomainError(
                f"Thiếu loại tổ chức chuẩn «{code}» (tạo bởi migration organizations 0002); "
                "dữ liệu mẫu cần các loại tổ chức chuẩn.",
                code="thieu_loai_to_chuc",
            )


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


def build_tree(rng: random.Random, size: DemoSize, log) -> Tree:
    """Plan the city, districts, wards and cells founded on 1/1/1950 and the 2025 reorganization."""
    tree = Tree(city_key=1, keys=1)
    patrons = SCHOOL_PATRONS[:]
    rng.shuffle(patrons)
    patrons *= 4  # enough for any size; names repeat only in very large demos
    ward_names = WARD_NAMES[:]
    rng.shuffle(ward_names)
    for d in range(size.districts):
        name = DISTRICT_NAMES[d % len(DISTRICT_NAMES)]
        code = f"Q{d + 1}"
        district = District(d, name, code, tree.next_key())
        tree.districts.append(district)
        for w in range(rng.randint(*size.wards_per_district)):
            wname = ward_names.pop() if ward_names else f"Số {len(tree.wards) + 1}"
            wcode = f"{code}-P{w + 1:02d}"
            ward = Ward(
                len(tree.wards),
                wname,
                wcode,
                False,
                tree.next_key(),
                district=d,
                size=rng.randint(*size.members_per_ward),
            )
            tree.wards.append(ward)
            district.wards.append(ward.index)
            for i, (category, cname) in enumerate(
                _cell_plan(rng, rng.randint(*size.cells_per_ward), wname, patrons)
            ):
                key = tree.next_key()
                tree.cells[key] = Cell(
                    key,
                    f"{wcode}-C{i + 1:02d}",
                    cname,
                    category,
                    ward.index,
                    weight=rng.uniform(0.6, 1.4),
                )
                ward.cells.append(key)
    _plan_reorganization(rng, tree)
    for ward in tree.new_wards():  # founded on reorganization day, after every old organization
        ward.key = tree.next_key()
    log(
        f"Cây tổ chức: 1 thành phố, {len(tree.districts)} quận, {len(tree.old_wards())} phường, "
        f"{len(tree.cells)} chi bộ (thành lập 01/01/1950)."
    )
    return tree


def _plan_reorganization(rng: random.Random, tree: Tree) -> None:
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
                0,
                sources=list(group),
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
