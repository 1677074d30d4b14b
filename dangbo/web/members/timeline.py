"""What the member page reads: the ledger as a timeline, names of cells on dates, proposals.

A fixed number of queries whatever the length of the member's ledger: the events with their
decisions in one, the names of every organization they mention in another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dangbo.core.dates import today
from dangbo.core.models import Decision
from dangbo.membership.error_codes import MembershipRule
from dangbo.membership.models import (
    DisciplineForm,
    EventKind,
    EventProposal,
    Member,
    MemberEvent,
)
from dangbo.organizations.models import OrgVersion
from dangbo.vn_format import date_numeric

RULE_LABELS: dict[str, str] = {
    MembershipRule.KET_NAP_LAI_MOT_LAN: "kết nạp lại quá một lần",
    MembershipRule.KY_LUAT_DU_BI: "hình thức kỷ luật đảng viên dự bị",
    MembershipRule.MOC_HUY_HIEU: "mốc Huy hiệu Đảng",
    MembershipRule.NGAY_CHINH_THUC: "ngày công nhận chính thức",
    MembershipRule.THE_DANG_VIEN: "phát thẻ cho đảng viên chưa chính thức",
    MembershipRule.THOI_GIAN_KET_NAP_LAI: "thời gian chờ kết nạp lại",
    MembershipRule.THOI_HAN_TAM_THOI: "thời hạn sinh hoạt tạm thời",
    MembershipRule.TUOI_DANG_HUY_HIEU: "tuổi Đảng để nhận Huy hiệu",
    MembershipRule.TUOI_KET_NAP_DUOI_18: "tuổi kết nạp dưới 18",
    MembershipRule.TUOI_KET_NAP_TREN_60: "tuổi kết nạp trên 60",
}

_REMOVAL = {
    "bo_sinh_hoat": "Tự ý bỏ sinh hoạt đảng",
    "khong_dong_dang_phi": "Không đóng đảng phí 3 tháng trong năm",
    "khong_du_tu_cach": "Giảm sút ý chí phấn đấu, không đủ tư cách đảng viên",
    "du_bi_khong_du_tu_cach": "Đảng viên dự bị không đủ tư cách",
}
_TEMPORARY = {"cong_tac": "đi công tác, làm việc", "hoc_tap": "đi học", "khac": "lý do khác"}


class OrgNames:
    """Names of organizations on dates, read in one query for the given ids."""

    def __init__(self, org_ids: Iterable[int | None]):
        ids = {i for i in org_ids if i}
        self._versions: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
        if ids:
            for org_id, start, end, name in OrgVersion.objects.filter(org_id__in=ids).values_list(
                "org_id", "valid_from", "valid_to", "name"
            ):
                self._versions[org_id].append((start, end, name))
        for versions in self._versions.values():
            versions.sort()

    def on(self, org_id: int | None, day: date) -> str:
        """The name on `day`, or the last name before it (the first one if none)."""
        if not org_id:
            return ""
        versions = self._versions.get(org_id, [])
        found = ""
        for start, end, name in versions:
            if start <= day < end:
                return name
            if start <= day or not found:
                found = name
        return found


@dataclass
class Entry:
    """One line of the timeline: a live or reversed event (reversals are shown on it)."""

    event: MemberEvent
    title: str
    what: str
    from_name: str
    to_name: str
    reversal: MemberEvent | None = None
    waived: list[str] = field(default_factory=list)

    @property
    def reversal_reason(self) -> str:
        return str((self.reversal.details or {}).get("reason", "")) if self.reversal else ""

    @property
    def reversible(self) -> bool:
        return self.reversal is None and self.event.kind != EventKind.REORGANIZATION


def _decision_text(d: Decision | None) -> str:
    return str(d) if d is not None else ""


def describe(kind: str, values: dict[str, Any]) -> str:
    """The particulars of an event beyond its date and cells, in words."""
    parts: list[str] = []
    form = values.get("form") or ""
    if kind == EventKind.DISCIPLINE and form in DisciplineForm.values:
        parts.append(f"hình thức: {DisciplineForm(form).label.lower()}")
    if kind == EventKind.REMOVAL and form in _REMOVAL:
        parts.append(f"lý do: {_REMOVAL[form].lower()}")
    if kind == EventKind.TEMPORARY_OUT and form:
        parts.append(_TEMPORARY.get(form, form))
    until = values.get("until")
    if until:
        until_date = until if isinstance(until, date) else date.fromisoformat(str(until))
        parts.append(f"đến ngày {date_numeric(until_date)}")
    if values.get("card_number"):
        parts.append(f"số thẻ {values['card_number']}")
    if values.get("badge_years"):
        parts.append(f"Huy hiệu {values['badge_years']} năm tuổi Đảng")
    if values.get("early"):
        parts.append("trao sớm")
    if values.get("posthumous"):
        parts.append("truy tặng")
    details = values.get("details") or {}
    if details.get("place"):
        parts.append(f"nơi đến: {details['place']}")
    if details.get("reason"):
        parts.append(f"lý do: {details['reason']}")
    for key, what in (
        ("considered_on", "chi bộ xét ngày"),
        ("ceremony_on", "lễ kết nạp ngày"),
        ("record_cleared_on", "xóa án tích ngày"),
    ):
        if details.get(key):
            parts.append(f"{what} {date_numeric(date.fromisoformat(str(details[key])))}")
    if details.get("conviction") or details.get("conviction_kind"):
        parts.append("đã bị kết án")
    if details.get("consent"):
        parts.append(f"văn bản đồng ý số {details['consent']}")
    if details.get("admitted_on"):
        parts.append(f"vào Đảng ngày {date_numeric(date.fromisoformat(details['admitted_on']))}")
    return "; ".join(parts)


def member_timeline(member: Member, names: OrgNames | None = None) -> list[Entry]:
    """The member's ledger in ledger order, each reversed event carrying its reversal."""
    events = list(
        MemberEvent.objects.filter(member=member).select_related("decision", "exception_decision")
    )
    names = names or OrgNames(
        {e.from_org_id for e in events} | {e.to_org_id for e in events} | {member.cell_id}
    )
    reversals = {e.reverses_id: e for e in events if e.kind == EventKind.REVERSAL}
    out = []
    for e in events:
        if e.kind == EventKind.REVERSAL:
            continue
        out.append(
            Entry(
                event=e,
                title=EventKind(e.kind).label,
                what=describe(
                    e.kind,
                    {
                        "form": e.form,
                        "until": e.until,
                        "card_number": e.card_number,
                        "badge_years": e.badge_years,
                        "early": e.early,
                        "posthumous": e.posthumous,
                        "details": e.details,
                    },
                ),
                from_name=names.on(e.from_org_id, e.from_on),
                to_name=names.on(e.to_org_id, e.effective_on),
                reversal=reversals.get(e.pk),
                waived=[RULE_LABELS.get(r, r) for r in e.waived_rules or []],
            )
        )
    out.sort(
        key=lambda x: (x.event.effective_on, x.event.kind != EventKind.REORGANIZATION, x.event.pk)
    )
    return out


def proposal_lines(proposals: Iterable[EventProposal]) -> list[dict[str, Any]]:
    """Pending proposals with their particulars in words (one query for the cells' names)."""
    items = list(proposals)
    names = OrgNames([p.fields.get("to_org") for p in items] + [p.member.cell_id for p in items])
    now = today()
    lines = []
    for p in items:
        on = p.fields.get("effective_on")
        day = date.fromisoformat(on) if on else now
        decision = p.fields.get("decision") or {}
        lines.append(
            {
                "proposal": p,
                "title": EventKind(p.kind).label,
                "on": day,
                "to_name": names.on(p.fields.get("to_org"), day),
                "cell_name": names.on(p.member.cell_id, now),
                "what": describe(p.kind, p.fields),
                "decision": f"số {decision['number']}" if decision.get("number") else "",
            }
        )
    return lines
