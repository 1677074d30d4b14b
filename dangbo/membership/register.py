"""The member register: members of a set of organizations, searched, filtered, paged.

One search string matches when every word of it begins a word of the member's folded
name ("nguyen van an", "ng v an" and "an nguyen" find "Nguyễn Văn An"), or when it is the
member's card number. Rows come in Vietnamese order (given name, then the rest; see
`membership.search`) with the person's id as tie-breaker, one page at a time by keyset: a
page starts strictly after (or ends strictly before) the (sort key, id) of an opaque
cursor, so page 1 and page 10,000 cost the same (no OFFSET).

Edge cases: a cursor that cannot be read starts from the first page; a row deleted or
renamed between two requests does not break the cursor (the next page starts after the
key the cursor holds); members off the rolls are not in the register.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from dangbo.core.dates import add_years
from dangbo.membership.models import Gender, Member, MemberStatus, Person, Theory
from dangbo.membership.search import search_text

PAGE_SIZE = 50
#: Counting stops here: a page says "more than 10,000" rather than pay for counting a
#: province (the exact figures are on the organization's page).
COUNT_CAP = 10_000

#: Age bands (whole years on the day), the same as the statistical forms: key → (label,
#: lowest age, highest age or None).
AGE_BANDS: dict[str, tuple[str, int, int | None]] = {
    "30": ("30 trở xuống", 0, 30),
    "31-40": ("31–40", 31, 40),
    "41-50": ("41–50", 41, 50),
    "51-60": ("51–60", 51, 60),
    "61-70": ("61–70", 61, 70),
    "71": ("trên 70", 71, None),
}
#: Party-age bands (whole years since the party anchor): key → (label, lowest, highest or None).
PARTY_AGE_BANDS: dict[str, tuple[str, int, int | None]] = {
    "0-9": ("dưới 10 năm", 0, 9),
    "10-19": ("10 đến dưới 20 năm", 10, 19),
    "20-29": ("20 đến dưới 30 năm", 20, 29),
    "30-39": ("30 đến dưới 40 năm", 30, 39),
    "40-49": ("40 đến dưới 50 năm", 40, 49),
    "50": ("từ 50 năm trở lên", 50, None),
}
STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows; None (or "") means no condition."""

    q: str = ""
    cell: int | None = None
    status: str | None = None
    gender: str | None = None
    age_band: str | None = None
    party_age_band: str | None = None
    theory: str | None = None
    exempt: bool | None = None

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) of each condition set, in Vietnamese (for titles and the audit)."""
        out: list[tuple[str, str]] = []
        if self.q.strip():
            out.append(("Tìm", self.q.strip()))
        if self.status:
            out.append(("Trạng thái", MemberStatus(self.status).label))
        if self.gender:
            out.append(("Giới tính", Gender(self.gender).label))
        if self.age_band:
            out.append(("Độ tuổi", AGE_BANDS[self.age_band][0]))
        if self.party_age_band:
            out.append(("Tuổi Đảng", PARTY_AGE_BANDS[self.party_age_band][0]))
        if self.theory:
            out.append(("Lý luận chính trị", Theory(self.theory).label))
        if self.exempt is not None:
            out.append(("Miễn sinh hoạt", "có" if self.exempt else "không"))
        return out


@dataclass(frozen=True)
class RegisterPage:
    """One page, the cursors of its neighbours (None at either end) and the count."""

    rows: list[Member]
    total: int  # at most COUNT_CAP + 1: more than COUNT_CAP means "more than"
    next_cursor: str | None = None
    prev_cursor: str | None = None

    @property
    def more_than_cap(self) -> bool:
        return self.total > COUNT_CAP


def _latest_start(on: date, years: int) -> date:
    """The latest birth (or anchor) date from which `years` whole years have passed by `on`
    (29/2 reaches its anniversary on 28/2 of a common year, as the rules count)."""
    start = add_years(on, -years)
    while add_years(start + timedelta(days=1), years) <= on:
        start += timedelta(days=1)
    return start


def _band(column: str, band: tuple[str, int, int | None], on: date) -> Q:
    """`column` (a date) such that the whole years from it to `on` lie in the band."""
    _, low, high = band
    cond = Q(**{f"{column}__lte": _latest_start(on, low)})
    if high is not None:
        cond &= Q(**{f"{column}__gt": _latest_start(on, high + 1)})
    return cond


def search_condition(q: str, *, m: str = "", p: str = "person__") -> Q:
    """Every word of `q` begins a word of the folded name; or `q` is the card number.

    `m` and `p` are the paths from the queried model to the member and to the person.
    """
    words = search_text(q).split()
    if not words:
        return Q()
    cond = Q()
    for w in words:
        cond &= Q(**{f"{p}search_text__startswith": w}) | Q(
            **{f"{p}search_text__contains": " " + w}
        )
    card = q.strip()
    if card.isalnum() and any(ch.isdigit() for ch in card):
        cond |= Q(**{f"{m}card_number": card})
    return cond


def register_condition(
    *,
    org_ids: Collection[int] | QuerySet[Any],
    filters: RegisterFilter,
    on: date,
    m: str = "",
    p: str = "person__",
    walk: bool = False,
) -> Q:
    """The register's condition from a model whose paths to the member and the person are
    `m` and `p`: current members whose cell or host cell is in `org_ids` — ids, or a
    queryset of `OrgClosure` rows whose descendants they are — with `filters` applied.
    `walk`: the condition is for walking the name order (see below)."""
    if isinstance(org_ids, QuerySet) and not walk:
        sub = org_ids.values("descendant_id")
        scope = Q(**{f"{m}cell_id__in": sub}) | Q(**{f"{m}host_cell_id__in": sub})
    elif isinstance(org_ids, QuerySet):
        # EXISTS per row, not IN (subquery): PostgreSQL then still walks the name index
        # (a hashed IN is costed once per row of the walk, which makes it sort instead);
        # counting, which reads every row, is faster with the hashed IN
        scope = Exists(org_ids.filter(descendant_id=OuterRef(f"{m}cell_id"))) | Exists(
            org_ids.filter(descendant_id=OuterRef(f"{m}host_cell_id"))
        )
    else:
        ids = list(org_ids)
        scope = Q(**{f"{m}cell_id__in": ids}) | Q(**{f"{m}host_cell_id__in": ids})
    f = filters
    cond = Q(**{f"{m}status__in": STATUSES}) & scope
    if f.q.strip():
        cond &= search_condition(f.q, m=m, p=p)
    if f.cell is not None:
        cond &= Q(**{f"{m}cell_id": f.cell}) | Q(**{f"{m}host_cell_id": f.cell})
    if f.status:
        cond &= Q(**{f"{m}status": f.status})
    if f.gender:
        cond &= Q(**{f"{p}gender": f.gender})
    if f.age_band:
        cond &= _band(f"{p}birth_date", AGE_BANDS[f.age_band], on)
    if f.party_age_band:
        cond &= _band(f"{m}party_anchor", PARTY_AGE_BANDS[f.party_age_band], on)
    if f.theory:
        cond &= Q(**{f"{p}theory": f.theory})
    if f.exempt is not None:
        cond &= Q(**{f"{m}exempt": f.exempt})
    return cond


def register_queryset(
    *, org_ids: Collection[int] | QuerySet[Any], filters: RegisterFilter, on: date
) -> QuerySet[Member]:
    """The register's members (unordered), for counting and exporting."""
    return Member.objects.filter(register_condition(org_ids=org_ids, filters=filters, on=on))


# -- the cursor: "a" (after) or "b" (before), the sort key and the person id


def encode_cursor(direction: str, key: str, person_id: int) -> str:
    raw = f"{direction}:{key}:{person_id}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, str, int] | None:
    """(direction, sort key, person id), or None for no cursor or one that cannot be read."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        direction, key, pid = raw.split(":")
        if direction not in ("a", "b") or any(ch not in "0123456789abcdef" for ch in key):
            return None
        return direction, key, int(pid)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def register_page(
    *,
    org_ids: Collection[int] | QuerySet[Any],
    filters: RegisterFilter,
    on: date,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    count: bool = True,
) -> RegisterPage:
    """One page of the register (members with their person), in Vietnamese order.

    Two queries: the page (size + 1 rows, to know whether another follows) and, when
    `count`, the number of matching members up to `COUNT_CAP` + 1.
    """
    # from the person's side, so that ORDER BY person.sort_key, person.id is the index's
    # order (from the member's, Django would order by member.person_id)
    qs = Person.objects.filter(
        register_condition(org_ids=org_ids, filters=filters, on=on, m="member__", p="", walk=True)
    ).select_related("member")
    pos = decode_cursor(cursor)
    if pos is None:
        people = list(qs.order_by("sort_key", "id")[: size + 1])
        more, has_prev = len(people) > size, False
        people = people[:size]
    else:
        direction, key, pid = pos
        if direction == "a":
            after = Q(sort_key__gt=key) | Q(sort_key=key, id__gt=pid)
            people = list(
                qs.filter(sort_key__gte=key).filter(after).order_by("sort_key", "id")[: size + 1]
            )
            more, has_prev = len(people) > size, True
            people = people[:size]
        else:
            before = Q(sort_key__lt=key) | Q(sort_key=key, id__lt=pid)
            people = list(
                qs.filter(sort_key__lte=key).filter(before).order_by("-sort_key", "-id")[: size + 1]
            )
            has_prev, more = len(people) > size, True
            people = people[:size][::-1]
    rows = []
    for person in people:
        member = person.member
        member.person = person  # the member's person without another query
        rows.append(member)
    next_cursor = prev_cursor = None
    if rows and more:
        last = rows[-1]
        next_cursor = encode_cursor("a", last.person.sort_key, last.person_id)
    if rows and has_prev:
        first = rows[0]
        prev_cursor = encode_cursor("b", first.person.sort_key, first.person_id)
    total = (
        register_queryset(org_ids=org_ids, filters=filters, on=on)[: COUNT_CAP + 1].count()
        if count
        else 0
    )
    return RegisterPage(rows=rows, total=total, next_cursor=next_cursor, prev_cursor=prev_cursor)
