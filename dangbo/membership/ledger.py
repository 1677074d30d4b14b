"""The fold of a member's ledger into state and membership spells.

Pure functions over plain :class:`EventData` — the single-event service, the importer
and the rebuild check all use them, so the projection has one definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from dangbo.core.dates import FOREVER
from dangbo.core.errors import LedgerError
from dangbo.membership.models import DisciplineForm, EventKind, MemberStatus

ACTIVE = (MemberStatus.PROBATIONARY.value, MemberStatus.OFFICIAL.value)
LEAVING_KINDS: dict[str, str] = {
    EventKind.REMOVAL: "xoa_ten",
    EventKind.LEAVING: "ra_khoi_dang",
    EventKind.DEATH: "tu_tran",
}


@dataclass
class EventData:
    """A ledger event as plain data (no ORM): what the fold and the rule checks read."""

    kind: str
    effective_on: date
    from_org: int | None = None
    to_org: int | None = None
    form: str = ""
    card_number: str = ""
    badge_years: int | None = None
    posthumous: bool = False
    early: bool = False
    until: date | None = None
    details: dict[str, Any] = field(default_factory=dict)
    seq: int = 0  # recording order among events of the same day

    @property
    def sort_key(self) -> tuple[date, int, int]:
        # a reorganization and an opening take effect at the start of their day, before
        # other facts
        early = self.kind in (EventKind.REORGANIZATION, EventKind.OPENING)
        return (self.effective_on, 0 if early else 1, self.seq)

    @property
    def stock_from(self) -> date:
        """The first day the member counts in a stock after this event: an opening balance
        as of D is the stock brought into D, held on the eve (a period starting on D opens
        with it); any other event counts from its own day."""
        if self.kind == EventKind.OPENING:
            return self.effective_on - timedelta(days=1)
        return self.effective_on

    @property
    def from_on(self) -> date:
        if self.kind == EventKind.REORGANIZATION:
            return self.effective_on - timedelta(days=1)
        return self.effective_on

    @property
    def label(self) -> str:
        """The event as a message names it: "kết nạp ngày 05/03/2022"."""
        return f"{EventKind(self.kind).label.lower()} ngày {self.effective_on:%d/%m/%Y}"

    def detail_date(self, key: str) -> date | None:
        """The date `details[key]` (None when absent); refuse one that is not a date."""
        value = self.details.get(key)
        return None if value in (None, "") else _date(value, f"details.{key}")

    @property
    def ceremony_on(self) -> date | None:
        """The admission ceremony held by the cell (admissions, and a probationary member
        received from outside); None in histories that do not record it."""
        return self.detail_date("ceremony_on")

    @property
    def considered_on(self) -> date | None:
        """The day the cell's meeting considered the candidate (its resolution); None in
        histories that do not record it."""
        return self.detail_date("considered_on")


@dataclass
class State:
    """A member's position after some prefix of the ledger."""

    status: str | None = None  # None: never a member yet
    out_reason: str = ""
    cell: int | None = None
    host_cell: int | None = None
    admitted_on: date | None = None
    last_admitted_on: date | None = None
    #: the start of the probation: the last admission's ceremony (its decision when unknown)
    probation_from: date | None = None
    official_on: date | None = None
    card_number: str = ""
    badges: list[int] = field(default_factory=list)
    exempt: bool = False
    party_anchor: date | None = None
    out_since: date | None = None
    #: the reason recorded on the event that took the member off the rolls (e.g. a removal's)
    out_form: str = ""
    readmissions: int = 0
    died: bool = False
    died_on: date | None = None
    last_discipline: str = ""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass
class Spell:
    cell: int
    status: str
    exempt: bool
    party_anchor: date
    valid_from: date
    valid_to: date = FOREVER


#: (org_id, on) -> (exists that day, holds members, name)
OrgLookup = Callable[[int, date], tuple[bool, bool, str]]


def _require_cell(org_id: int | None, on: date, orgs: OrgLookup, what: str) -> int:
    if org_id is None:
        raise LedgerError(f"Thiếu {what}.", field="to_org")
    exists, holds, name = orgs(org_id, on)
    if not exists:
        raise LedgerError(
            f"{what[0].upper()}{what[1:]}: tổ chức #{org_id} ({name or 'không rõ'}) không tồn tại "
            f"vào ngày {on:%d/%m/%Y}.",
            field="to_org",
        )
    if not holds:
        raise LedgerError(
            f"«{name}» không phải chi bộ, đảng viên không sinh hoạt trực tiếp tại đây.",
            field="to_org",
        )
    return org_id


def _require_active(state: State, event: EventData) -> None:
    if not state.active:
        raise LedgerError("người này không phải đảng viên vào ngày đó.", field="kind")


def _require_in(state: State, org: int | None, event: EventData, field_name: str) -> None:
    if org is not None and org != state.cell:
        raise LedgerError(
            f"đảng viên không sinh hoạt tại tổ chức #{org} (đang ở #{state.cell}).",
            field=field_name,
        )


def _entry_dates(event: EventData, decided: date) -> date:
    """The start of the probation of an entry decided on `decided`: the ceremony, which is not
    before the decision; the cell's consideration is not after the decision."""
    considered = event.considered_on
    if considered is not None and considered > decided:
        raise LedgerError(
            f"ngày chi bộ xét, đề nghị kết nạp ({considered:%d/%m/%Y}) sau ngày quyết định kết nạp "
            f"({decided:%d/%m/%Y}).",
            field="details.considered_on",
        )
    ceremony = event.ceremony_on
    if ceremony is None:
        return decided
    if ceremony < decided:
        raise LedgerError(
            f"ngày lễ kết nạp ({ceremony:%d/%m/%Y}) trước ngày quyết định kết nạp "
            f"({decided:%d/%m/%Y}).",
            field="details.ceremony_on",
        )
    return ceremony


def apply(state: State, event: EventData, orgs: OrgLookup) -> State:
    """Return the state after `event`; raise :class:`LedgerError` if it cannot happen."""
    s = replace(state, badges=list(state.badges))
    on = event.effective_on
    kind = event.kind
    if kind == EventKind.OPENING:
        _open(s, state, event, orgs)
    elif kind == EventKind.ADMISSION:
        if state.status is not None:
            raise LedgerError(
                "Người này đã từng là đảng viên; hãy ghi «kết nạp lại».", field="kind"
            )
        s.cell = _require_cell(event.to_org, on, orgs, "chi bộ kết nạp")
        s.status = MemberStatus.PROBATIONARY
        s.admitted_on = s.last_admitted_on = s.party_anchor = on
        s.probation_from = _entry_dates(event, on)
    elif kind == EventKind.READMISSION:
        if state.status != MemberStatus.OUT or state.died:
            raise LedgerError("Chỉ kết nạp lại người đã ra khỏi Đảng.", field="kind")
        s.cell = _require_cell(event.to_org, on, orgs, "chi bộ kết nạp lại")
        s.status = MemberStatus.PROBATIONARY
        s.last_admitted_on = on
        s.probation_from = _entry_dates(event, on)
        s.official_on = None
        s.card_number = ""
        assert state.party_anchor is not None and state.out_since is not None  # a former member
        s.party_anchor = state.party_anchor + (on - state.out_since)
        s.readmissions += 1
        s.out_reason, s.out_since, s.out_form = "", None, ""
    elif kind == EventKind.RECOGNITION:
        if state.status != MemberStatus.PROBATIONARY:
            raise LedgerError("Chỉ công nhận chính thức cho đảng viên dự bị.", field="kind")
        _require_in(state, event.to_org, event, "to_org")
        s.status = MemberStatus.OFFICIAL
        s.official_on = on
    elif kind == EventKind.TRANSFER:
        if event.from_org is None:
            entering_again = state.status == MemberStatus.OUT and state.out_reason == "chuyen_di"
            if state.status is not None and not entering_again:
                raise LedgerError(
                    "Tiếp nhận từ ngoài hệ thống chỉ áp dụng cho người chưa có trong sổ "
                    "hoặc đã chuyển đi.",
                    field="from_org",
                )
            s.cell = _require_cell(event.to_org, on, orgs, "chi bộ tiếp nhận")
            if not entering_again:
                status = event.details.get("status", MemberStatus.OFFICIAL)
                if status not in ACTIVE:
                    raise LedgerError(
                        "Trường «status» phải là du_bi hoặc chinh_thuc.", field="details.status"
                    )
                admitted = _date(event.details.get("admitted_on"), "details.admitted_on")
                if admitted > on:
                    raise LedgerError(
                        "Ngày vào Đảng sau ngày tiếp nhận.", field="details.admitted_on"
                    )
                s.status = status
                s.admitted_on = s.last_admitted_on = admitted
                s.probation_from = _entry_dates(event, admitted)
                s.party_anchor = _date(
                    event.details.get("party_anchor") or admitted, "details.party_anchor"
                )
                if status == MemberStatus.OFFICIAL:
                    s.official_on = _date(event.details.get("official_on"), "details.official_on")
            else:
                # back from another party organization outside this system: same standing
                default = MemberStatus.OFFICIAL if state.official_on else MemberStatus.PROBATIONARY
                s.status = event.details.get("status", default)
                if s.status == MemberStatus.OFFICIAL and s.official_on is None:
                    s.official_on = _date(event.details.get("official_on"), "details.official_on")
            s.out_reason, s.out_since, s.out_form = "", None, ""
        else:
            _require_active(state, event)
            _require_in(state, event.from_org, event, "from_org")
            if event.to_org is None:
                s.status = MemberStatus.OUT
                s.out_reason, s.out_since = "chuyen_di", on
                s.exempt = False
            else:
                if event.to_org == state.cell:
                    raise LedgerError(
                        "Chi bộ chuyển đến trùng chi bộ đang sinh hoạt.", field="to_org"
                    )
                s.cell = _require_cell(event.to_org, on, orgs, "chi bộ chuyển đến")
        s.host_cell = None
    elif kind == EventKind.TEMPORARY_OUT:
        _require_active(state, event)
        _require_in(state, event.from_org, event, "from_org")
        if state.host_cell is not None:
            raise LedgerError("Đảng viên đang sinh hoạt tạm thời nơi khác.", field="kind")
        if event.until is None or event.until <= on:
            raise LedgerError(
                "Trường «until» (hết hạn sinh hoạt tạm thời) phải sau ngày chuyển.", field="until"
            )
        if event.to_org is not None:
            if event.to_org == state.cell:
                raise LedgerError("Nơi sinh hoạt tạm thời trùng chi bộ chính thức.", field="to_org")
            _require_cell(event.to_org, on, orgs, "chi bộ sinh hoạt tạm thời")
        s.host_cell = event.to_org if event.to_org is not None else -1
    elif kind == EventKind.TEMPORARY_BACK:
        _require_active(state, event)
        if state.host_cell is None:
            raise LedgerError("Đảng viên không sinh hoạt tạm thời nơi khác.", field="kind")
        s.host_cell = None
    elif kind == EventKind.CARD:
        _require_active(state, event)
        if not event.card_number.strip():
            raise LedgerError("Trường «số thẻ đảng viên» không được để trống.", field="card_number")
        s.card_number = event.card_number.strip()
    elif kind == EventKind.BADGE:
        if event.posthumous:
            if not state.died:
                raise LedgerError(
                    "Truy tặng Huy hiệu chỉ dành cho đảng viên đã từ trần.", field="posthumous"
                )
            # the cell proposing the award must exist that day (the old cell may have been merged)
            _require_cell(event.to_org, on, orgs, "chi bộ đề nghị truy tặng")
        else:
            _require_active(state, event)
        if event.badge_years is None:
            raise LedgerError("Trường «mốc huy hiệu» không được để trống.", field="badge_years")
        if event.badge_years in state.badges:
            raise LedgerError(
                f"Đảng viên đã nhận Huy hiệu {event.badge_years} năm tuổi Đảng.",
                field="badge_years",
            )
        s.badges.append(event.badge_years)
    elif kind == EventKind.EXEMPTION:
        _require_active(state, event)
        if state.exempt:
            raise LedgerError("Đảng viên đã được miễn công tác và sinh hoạt đảng.", field="kind")
        s.exempt = True
    elif kind == EventKind.EXEMPTION_END:
        _require_active(state, event)
        if not state.exempt:
            raise LedgerError("Đảng viên không trong diện miễn sinh hoạt.", field="kind")
        s.exempt = False
    elif kind == EventKind.DISCIPLINE:
        _require_active(state, event)
        if event.form not in DisciplineForm.values:
            raise LedgerError(f"Hình thức kỷ luật «{event.form}» không hợp lệ.", field="form")
        s.last_discipline = event.form
        if event.form == DisciplineForm.EXPULSION:
            s.status, s.out_reason, s.out_since = MemberStatus.OUT, "khai_tru", on
            s.out_form = event.form
            s.exempt, s.host_cell = False, None
    elif kind in LEAVING_KINDS:
        _require_active(state, event)
        s.status, s.out_reason, s.out_since = MemberStatus.OUT, LEAVING_KINDS[kind], on
        s.out_form = event.form
        s.exempt, s.host_cell = False, None
        if kind == EventKind.DEATH:
            s.died, s.died_on = True, on
    elif kind == EventKind.REORGANIZATION:
        _require_active(state, event)
        _require_in(state, event.from_org, event, "from_org")
        s.cell = _require_cell(event.to_org, on, orgs, "chi bộ sau sắp xếp")
    else:
        raise LedgerError(f"Loại sự kiện «{kind}» không hợp lệ.", field="kind")
    return s


def _open(s: State, state: State, event: EventData, orgs: OrgLookup) -> None:
    """An opening balance (nhập sổ): the member as they stood on the opening date.

    It must be the first event of the member: nothing of the member is recorded before it
    (an earlier fact belongs to the history the opening replaces). The details carry the
    standing: ``status``, ``admitted_on`` (required), ``official_on`` (required for a
    full member, none for a probationary one), ``ceremony_on`` (the admission ceremony, from
    which a probationary member's 12 months run; the admission date when absent),
    ``party_anchor`` (default the admission date), ``card_number`` and ``badges`` (milestones already awarded), all on or before
    the opening date.
    """
    on = event.effective_on
    if state.status is not None:
        raise LedgerError(
            "Nhập sổ phải là sự kiện đầu tiên của đảng viên; đã có sự kiện ghi trước ngày "
            f"{on:%d/%m/%Y} (hãy ghi toàn bộ lịch sử hoặc chỉ nhập sổ, không cả hai).",
            field="kind",
        )
    if event.from_org is not None:
        raise LedgerError("Nhập sổ không có tổ chức chuyển đi.", field="from_org")
    details = event.details
    s.cell = _require_cell(event.to_org, on, orgs, "chi bộ nhập sổ")
    eve = on - timedelta(days=1)
    if not orgs(s.cell, eve)[0]:
        raise LedgerError(
            f"Chi bộ nhập sổ phải có trong cây tổ chức từ ngày {eve:%d/%m/%Y} (trước ngày nhập sổ): "
            "số dư đầu kỳ là số đảng viên chuyển sang ngày nhập sổ; hãy ghi ngày thành lập "
            "thật của tổ chức.",
            field="to_org",
        )
    status = details.get("status")
    if status not in ACTIVE:
        raise LedgerError("Trường «status» phải là du_bi hoặc chinh_thuc.", field="details.status")
    admitted = _date(details.get("admitted_on"), "details.admitted_on")
    if admitted > on:
        raise LedgerError(
            f"Ngày vào Đảng {admitted:%d/%m/%Y} sau ngày nhập sổ {on:%d/%m/%Y}.",
            field="details.admitted_on",
        )
    anchor = _date(details.get("party_anchor") or admitted, "details.party_anchor")
    if not admitted <= anchor <= on:
        raise LedgerError(
            "Ngày tính tuổi Đảng phải từ ngày vào Đảng đến ngày nhập sổ.",
            field="details.party_anchor",
        )
    official: date | None = None
    if status == MemberStatus.OFFICIAL:
        official = _date(details.get("official_on"), "details.official_on")
        if not admitted < official <= on:
            raise LedgerError(
                f"Ngày chính thức {official:%d/%m/%Y} phải sau ngày vào Đảng và không sau ngày "
                f"nhập sổ {on:%d/%m/%Y}.",
                field="details.official_on",
            )
    elif details.get("official_on"):
        raise LedgerError("Đảng viên dự bị chưa có ngày chính thức.", field="details.official_on")
    badges = details.get("badges") or []
    if not isinstance(badges, list) or not all(
        isinstance(b, int) and not isinstance(b, bool) for b in badges
    ):
        raise LedgerError(
            "Trường «badges» phải là danh sách các mốc huy hiệu (số năm).", field="details.badges"
        )
    if len(set(badges)) != len(badges):
        raise LedgerError("Trường «badges» có mốc huy hiệu trùng nhau.", field="details.badges")
    s.status = status
    s.admitted_on = s.last_admitted_on = admitted
    s.probation_from = _entry_dates(event, admitted)
    s.party_anchor = anchor
    s.official_on = official
    s.card_number = str(details.get("card_number") or "").strip()
    s.badges = sorted(badges)


def _date(value: object, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise LedgerError(
            f"Trường «{field_name}» phải là ngày (YYYY-MM-DD).", field=field_name
        ) from None


def fold(events: list[EventData], orgs: OrgLookup) -> tuple[State, list[Spell], list[State]]:
    """Fold events (already without reversed ones) in ledger order.

    Returns the final state, the membership spells, and the state *before* each event
    (in sorted order) for rule checks.
    """
    state = State()
    spells: list[Spell] = []
    befores: list[State] = []
    for event in sorted(events, key=lambda e: e.sort_key):
        befores.append(state)
        try:
            new = apply(state, event, orgs)
        except LedgerError as exc:
            raise LedgerError(f"{event.label}: {exc.message}", field=exc.field) from None
        _advance_spells(spells, state, new, event.stock_from)
        state = new
    return state, [s for s in spells if s.valid_from < s.valid_to], befores


def _spell_key(state: State) -> tuple[str | None, int | None, bool, date | None] | None:
    return (state.status, state.cell, state.exempt, state.party_anchor) if state.active else None


def _advance_spells(spells: list[Spell], old: State, new: State, on: date) -> None:
    if _spell_key(old) == _spell_key(new):
        return
    if old.active and spells and spells[-1].valid_to == FOREVER:
        spells[-1].valid_to = on
    if new.active:
        # an active state always has its cell, status and party age
        assert new.cell is not None and new.status is not None and new.party_anchor is not None
        spells.append(Spell(new.cell, new.status, new.exempt, new.party_anchor, on))
