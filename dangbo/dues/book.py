"""The cell's collection book (sổ thu đảng phí), the ward's summary of its cells and the
remittance of each level's share upward.

The book's totals are the sums of its rows; the remittance splits what a cell collected
between the levels by the sharing rule of the regulation in force in the month, and the
amounts kept at each level plus what goes above the system add up to the collection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from dangbo.dues.models import DuesCharge, DuesPayment
from dangbo.dues.rules import EXEMPT_LABELS, dues_rules_on
from dangbo.dues.selectors import cell_grid
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion

WARD_WORDS = ("phường", "xã", "thị trấn", "đặc khu")


@dataclass
class BookRow:
    name: str
    category: str
    note: str
    months: list[tuple[int, int]]  # (due, paid) per month of the book

    @property
    def due(self) -> int:
        return sum(d for d, _ in self.months)

    @property
    def paid(self) -> int:
        return sum(p for _, p in self.months)


@dataclass
class Share:
    org_name: str
    received: int
    percent: int
    kept: int
    passed: int


@dataclass
class Book:
    cell_name: str
    cell_code: str
    months: list[date]
    rows: list[BookRow] = field(default_factory=list)
    remittance: list[Share] = field(default_factory=list)
    regulations: list[str] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(r.due for r in self.rows)

    @property
    def paid(self) -> int:
        return sum(r.paid for r in self.rows)

    def month_totals(self) -> list[tuple[int, int]]:
        return [
            (sum(r.months[i][0] for r in self.rows), sum(r.months[i][1] for r in self.rows))
            for i in range(len(self.months))
        ]


def _kept(amount: int, percent: int) -> int:
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _chain(cell: Organization, on: date) -> list[OrgVersion]:
    """The cell and the organizations above it on `on`, from the cell up."""
    ids = list(
        OrgClosure.objects.filter(descendant=cell, valid_from__lte=on, valid_to__gt=on)
        .order_by("depth")
        .values_list("ancestor_id", flat=True)
    )
    versions = {
        v.org_id: v
        for v in OrgVersion.objects.filter(
            org_id__in=ids, valid_from__lte=on, valid_to__gt=on
        ).select_related("kind")
    }
    return [versions[i] for i in ids if i in versions]


def remittance(cell: Organization, collected: int, on: date) -> list[Share]:
    """How `collected` (by `cell` in the month of `on`) is shared: each level's kept part and
    what it passes up; the last row is what leaves the system for the level above it.

    A cell that is itself a base organization keeps the base share; a partial committee
    (đảng bộ bộ phận) passes all it receives (UNCONFIRMED); a base organization of a commune
    or ward keeps the ward share of the cell's collection minus what the cell kept; a commune
    or ward committee above a base organization (a base cell of an agency in the commune) is
    a higher level and keeps the higher levels' share. A base cell is never a ward's base
    organization, whatever its name ("Chi bộ Công an phường …" keeps the other base share).
    """
    rules = dues_rules_on(on.replace(day=1))
    shares: list[Share] = []
    received = collected
    cell_kept = 0
    passed_base = False
    for v in _chain(cell, on):
        if not passed_base and (v.kind.is_base or v.kind.code == "xa"):
            ward = v.kind.code == "xa" or (
                not v.kind.holds_members and any(w in v.name.lower() for w in WARD_WORDS)
            )
            percent = rules.ward_base_keeps if ward else rules.other_base_keeps
            kept = _kept(collected, percent) - cell_kept
            passed_base = True
        elif v.kind.holds_members:
            percent = rules.cell_keeps
            kept = cell_kept = _kept(received, percent)
        elif not passed_base:
            percent, kept = 0, 0
        else:
            percent = rules.upper_keeps
            kept = _kept(received, percent)
        shares.append(Share(v.name, received, percent, kept, received - kept))
        received -= kept
    return shares


def collection_book(cell: Organization, months: list[date]) -> Book:
    """The cell's book for the months: one row per member held by the cell in any of them,
    with each month's due and paid; the remittance of what was collected."""
    grid = cell_grid(cell, months)
    version = OrgVersion.objects.filter(org=cell).order_by("-valid_from").first()
    book = Book(version.name if version else str(cell.pk), version.code if version else "", months)
    last = {
        c.member_id: c
        for c in DuesCharge.objects.filter(cell=cell, month__in=months).order_by("month")
    }
    for r in grid:
        charge = last.get(r.member_id)
        note = ""
        category = ""
        if charge is not None:
            category = charge.basis
            if charge.exempt_reason:
                note = "Miễn: " + EXEMPT_LABELS.get(charge.exempt_reason, charge.exempt_reason)  # type: ignore[call-overload]
            elif charge.reduction_percent:
                note = f"Giảm {charge.reduction_percent}%"
        book.rows.append(BookRow(r.name, category, note, [r.months.get(m, (0, 0)) for m in months]))
    book.regulations = list(dict.fromkeys(dues_rules_on(m).code for m in months))
    book.remittance = remittance(cell, book.paid, months[-1])
    return book


@dataclass(frozen=True)
class CellTotal:
    cell_id: int
    name: str
    due: int
    paid: int


def ward_summary(org: Organization, months: list[date]) -> list[CellTotal]:
    """Due and paid of each cell with records under `org` in the months (the ward's summary
    of its cells' books), by name; two aggregate queries."""
    from dangbo.dues.figures import in_subtree

    def totals(model: type[DuesCharge] | type[DuesPayment]) -> dict[int, int]:
        rows = (
            in_subtree(model.objects.filter(month__in=months), org)
            .order_by()
            .values("cell_id")
            .annotate(total=Sum("amount"))
            .values_list("cell_id", "total")
        )
        return dict(rows)

    due, paid = totals(DuesCharge), totals(DuesPayment)
    ids = set(due) | set(paid)
    names = dict(
        OrgVersion.objects.filter(org_id__in=ids)
        .order_by("valid_from")
        .values_list("org_id", "name")
    )
    return sorted(
        (CellTotal(i, names.get(i, str(i)), due.get(i, 0), paid.get(i, 0)) for i in ids),
        key=lambda r: (r.name, r.cell_id),
    )
