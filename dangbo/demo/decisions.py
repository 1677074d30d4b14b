"""The demo's decisions: referenced while planning, numbered once all are known.

A :class:`DecisionRef` names a decision by what it is (issuer, date, title…); the
:class:`DecisionBook` numbers them per issuer, type and term (REPORTS §4) — first as
interchange records for the import, later (for decisions planned after the import) by a
bulk insert — and hands out the stored :class:`~dangbo.core.models.Decision` for a ref.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from dangbo.core.models import Decision, IssuerLevel
from dangbo.demo.common import CITY_ISSUER, REORG_ON, TODAY
from dangbo.demo.tree import Tree, Ward


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
    """Every decision of the demo, by ref; numbered in date order within each series."""

    def __init__(self) -> None:
        self.refs: dict[DecisionRef, None] = {}
        self._unique = 0
        self.numbers: dict[DecisionRef, str] = {}
        self.created: dict[DecisionRef, Decision] = {}
        # "ward:<index>" → its terms' start dates
        self.term_starts: dict[str, tuple[date, ...]] = {}

    def ref(self, *, unique: bool = True, **fields) -> DecisionRef:
        if unique:
            self._unique += 1
        ref = DecisionRef(unique=self._unique if unique else 0, **fields)
        self.refs.setdefault(ref, None)
        return ref

    def _number_new(self) -> list[DecisionRef]:
        """Number the refs not numbered yet (per issuer, type and term), in date order."""
        counters: dict[tuple, int] = defaultdict(int)
        for ref in self.numbers:
            counters[_series(ref, self.term_starts)] += 1
        new = sorted(
            (r for r in self.refs if r not in self.numbers),
            key=lambda r: (r.issued_on, r.issuer, r.title, r.unique),
        )
        for ref in new:
            series = _series(ref, self.term_starts)
            counters[series] += 1
            self.numbers[ref] = f"{counters[series]:02d}-{ref.type}/{ref.doc}"
        return new

    def records(self) -> list[tuple[DecisionRef, dict]]:
        """Number the new refs and return them as interchange ``decision`` values (no type/ref)."""
        return [
            (
                ref,
                {
                    "number": self.numbers[ref],
                    "issued_on": ref.issued_on.isoformat(),
                    "issuer": ref.issuer,
                    "issuer_level": ref.level,
                    "title": ref.title[:300],
                },
            )
            for ref in self._number_new()
        ]

    def bind(self) -> None:
        """Look up the stored decision of every numbered ref (after the import)."""
        stored = {
            (d.number, d.issued_on, d.issuer): d
            for d in Decision.objects.filter(issuer__in={r.issuer for r in self.numbers})
        }
        for ref, number in self.numbers.items():
            if ref not in self.created:
                self.created[ref] = stored[(number, ref.issued_on, ref.issuer)]

    def create(self) -> None:
        """Number the decisions not yet numbered and insert them (after the import)."""
        new = self._number_new()
        rows = [
            Decision(
                number=self.numbers[ref],
                issued_on=ref.issued_on,
                issuer=ref.issuer,
                issuer_level=ref.level,
                title=ref.title[:300],
            )
            for ref in new
        ]
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


class Issuers:
    """The decisions of the committees: a ward's, the one directly above it, the city's."""

    book: DecisionBook
    tree: Tree

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
        assert ward.district is not None  # an old ward lies in a district
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
