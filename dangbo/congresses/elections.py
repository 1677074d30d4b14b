"""Election rules of party congresses (Quy chế bầu cử trong Đảng), as pure functions.

Nothing here touches the database: the services hand in plain numbers and get back
:class:`~dangbo.core.errors.Violation` rows (each citing the regulation in force on the
congress date) or a round outcome. The rule sets are data with their effective dates:

* ``Quy định 244-QĐ/TW`` (Quy chế bầu cử trong Đảng, 9/6/2014) for congresses before
  10/10/2024 (and, as the earliest set kept, for anything older);
* ``Quy định 190-QĐ/TW`` (Quy chế bầu cử trong Đảng, 10/10/2024) from 10/10/2024.

The rules
---------
* **Threshold** (``votes_needed``): a candidate wins with *more than half* of the
  threshold base — not of the valid ballots. The base of an all-member congress is the
  full members summoned minus those attending temporarily elsewhere, absent exempt
  members, suspended/detained members and those absent with approval; of a delegate
  congress, the official delegates summoned minus those absent with no substitute and —
  from 190-QĐ/TW — minus the members of the convening committee (delegates by office)
  absent for the whole congress.
  More than half of ``b`` is ``b // 2 + 1`` votes: 11 full members → 6 votes.
* **Candidate list**: it must exceed the seats, and the surplus (candidates − seats) may
  be at most ``max_surplus_pct`` (30%) of the seats **rounded down, but never less than
  one** — so the surplus never exceeds 30% except where one extra candidate is already
  more than 30% (1–3 seats), since a list must exceed its seats at all. Examples:
  7 seats → at most 9 candidates (2 = ⌊2,1⌋); 10 seats → 13; 3 seats → 4; 1 seat → 2.
  Elections of a single post listed in ``list_may_equal_seats`` (secretary, deputy,
  inspection chair) may have as many candidates as seats (one nominee for one post), the
  common case at cell congresses; the surplus cap still applies to them.
* **Nominees**: a person not proposed by the outgoing committee (nominated at the
  congress or standing themselves) enters the list only with *more than*
  ``nominee_min_agreement_pct`` (30%) of the attendees' agreement.
* **Ballot rounds**: ballots cast = valid + invalid; cast ≤ issued ≤ present; no candidate
  has more votes than valid ballots; the votes total at most valid × seats open (no valid
  ballot votes for more than the seats); a further round fills only the seats still open,
  among candidates not yet elected.
* **Winners** (``round_outcome``): those reaching the threshold, highest votes first, no
  more than the seats open; when several tie at the last seat none of the tied wins in
  this round — a further round decides among them.
* **Cell secretary**: after ``cell_secretary_max_rounds`` (3) rounds without a winner no
  further round is allowed; the higher committee appoints the secretary.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeAlias

from dangbo.congresses.error_codes import CongressErrorCode, CongressRule
from dangbo.core.errors import Violation
from dangbo.rulebook import in_force

#: A candidate's identity: a database id in the services, a list position in the importer
#: (``Mapping`` keys are invariant, so one alias serves both).
CandidateKey: TypeAlias = Any


@dataclass(frozen=True)
class ElectionRuleSet:
    code: str  # "Quy định 190-QĐ/TW"
    title: str
    effective_from: date
    max_surplus_pct: int = 30
    nominee_min_agreement_pct: Decimal = Decimal(30)
    list_may_equal_seats: frozenset[str] = frozenset({"secretary", "deputy", "inspection_chair"})
    cell_secretary_max_rounds: int = 3
    # a delegate congress also takes off the convening committee's members absent for the
    # whole congress (they are delegates by office)
    delegate_excludes_absent_committee: bool = False
    notes: tuple[str, ...] = field(default=())


ELECTION_RULE_SETS: tuple[ElectionRuleSet, ...] = (
    ElectionRuleSet(
        code="Quy định 244-QĐ/TW",
        title="Quy chế bầu cử trong Đảng (ban hành kèm Quyết định 244-QĐ/TW ngày 9/6/2014)",
        effective_from=date(2014, 6, 9),
    ),
    ElectionRuleSet(
        code="Quy định 190-QĐ/TW",
        title="Quy chế bầu cử trong Đảng (ban hành kèm Quyết định 190-QĐ/TW ngày 10/10/2024)",
        effective_from=date(2024, 10, 10),
        delegate_excludes_absent_committee=True,
    ),
)


def election_rules_on(on: date) -> ElectionRuleSet:
    """The election rule set in force on `on`."""
    return in_force(ELECTION_RULE_SETS, on)


# --- what is elected --------------------------------------------------------------------
#: Election kinds: code → Vietnamese name (the services' `what`).
WHAT_NAMES: dict[str, str] = {
    "committee": "Ban Chấp hành (cấp ủy)",
    "standing": "Ban Thường vụ",
    "secretary": "Bí thư",
    "deputy": "Phó Bí thư",
    "inspection": "Ủy ban Kiểm tra",
    "inspection_chair": "Chủ nhiệm Ủy ban Kiểm tra",
    "delegates": "đại biểu dự đại hội cấp trên",
}


# --- threshold ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Attendance:
    """Who was summoned and who is not counted in the threshold base (190-QĐ/TW)."""

    kind: str  # "all_member" | "delegate"
    summoned: int
    present: int
    temporarily_elsewhere: int = 0
    absent_exempt: int = 0
    suspended_detained: int = 0
    absent_approved: int = 0
    absent_delegates_no_substitute: int = 0
    absent_convening_committee: int = 0

    @property
    def exclusions(self) -> int:
        if self.kind == "delegate":
            return self.absent_delegates_no_substitute + self.absent_convening_committee
        return (
            self.temporarily_elsewhere
            + self.absent_exempt
            + self.suspended_detained
            + self.absent_approved
        )

    @property
    def base(self) -> int:
        return self.summoned - self.exclusions


def votes_needed(base: int) -> int:
    """The fewest votes that are more than half of `base`: 11 → 6, 10 → 6, 9 → 5."""
    return base // 2 + 1


def check_attendance(a: Attendance, on: date) -> list[Violation]:
    rs = election_rules_on(on)
    out: list[Violation] = []

    def v(rule: CongressRule, message: str) -> None:
        out.append(Violation(rule=rule, regulation=rs.code, message=message))

    counts = {
        "số được triệu tập": a.summoned,
        "số có mặt": a.present,
        "số sinh hoạt tạm thời nơi khác": a.temporarily_elsewhere,
        "số được miễn sinh hoạt vắng mặt": a.absent_exempt,
        "số bị đình chỉ sinh hoạt, bị tạm giam": a.suspended_detained,
        "số vắng mặt được cấp ủy đồng ý": a.absent_approved,
        "số đại biểu chính thức vắng mặt không có người thay thế": a.absent_delegates_no_substitute,
        "số ủy viên cấp ủy triệu tập vắng mặt suốt đại hội": a.absent_convening_committee,
    }
    negative = [name for name, n in counts.items() if n < 0]
    if negative:
        v(CongressRule.SO_LIEU_AM, f"số liệu không được âm ({', '.join(negative)})")
        return out
    if a.kind == "delegate" and (
        a.temporarily_elsewhere or a.absent_exempt or a.suspended_detained or a.absent_approved
    ):
        v(
            CongressRule.LOAI_TRU_DAI_HOI_DAI_BIEU,
            "đại hội đại biểu chỉ trừ số đại biểu chính thức vắng mặt không có người thay thế; "
            "các khoản trừ của đại hội đảng viên không áp dụng",
        )
    if a.absent_convening_committee and (
        a.kind != "delegate" or not rs.delegate_excludes_absent_committee
    ):
        v(
            CongressRule.LOAI_TRU_CAP_UY_VANG,
            "chỉ đại hội đại biểu theo Quy định 190-QĐ/TW (từ 10/10/2024) mới trừ số ủy viên "
            "cấp ủy triệu tập đại hội vắng mặt suốt thời gian đại hội",
        )
    if a.kind == "all_member" and a.absent_delegates_no_substitute:
        v(
            CongressRule.LOAI_TRU_DAI_HOI_DANG_VIEN,
            "đại hội đảng viên không có khoản trừ «đại biểu vắng mặt không có người thay thế»",
        )
    if a.summoned <= 0:
        v(CongressRule.SO_TRIEU_TAP, "số được triệu tập phải lớn hơn 0")
    elif a.base <= 0:
        v(
            CongressRule.SO_TRIEU_TAP,
            f"số được trừ ({a.exclusions}) không được bằng hoặc vượt số được triệu tập ({a.summoned})",
        )
    elif a.present > a.base:
        v(
            CongressRule.SO_CO_MAT,
            f"số có mặt ({a.present}) không được vượt số được triệu tập sau khi trừ những người "
            f"không tính ({a.summoned} − {a.exclusions} = {a.base})",
        )
    return out


# --- candidate list -----------------------------------------------------------------------
@dataclass(frozen=True)
class CandidateIn:
    name: str
    proposed_by: str  # "committee" | "nominee" | "self"
    agreement_pct: Decimal | None = None
    key: Hashable = None  # identity for the duplicate check (the name when empty)


def max_surplus(seats: int, rs: ElectionRuleSet) -> int:
    """Most candidates beyond the seats: 30% of the seats rounded down, at least one."""
    return max(1, seats * rs.max_surplus_pct // 100)


#: Posts held by one person: their elections fill exactly one seat.
SINGLE_SEAT = frozenset({"secretary", "inspection_chair"})


def check_candidate_list(
    *, what: str, seats: int, candidates: Sequence[CandidateIn], on: date
) -> list[Violation]:
    rs = election_rules_on(on)
    out: list[Violation] = []

    def v(rule: CongressRule, message: str) -> None:
        out.append(Violation(rule=rule, regulation=rs.code, message=message))

    n = len(candidates)
    label = WHAT_NAMES.get(what, what)
    if seats < 1:
        v(CongressRule.SO_LUONG_CAN_BAU, f"số lượng cần bầu {label} phải ít nhất là 1")
        return out
    if what in SINGLE_SEAT and seats != 1:
        v(
            CongressRule.SO_LUONG_CAN_BAU,
            f"mỗi cuộc bầu {label} chỉ bầu 1 người, không phải {seats}",
        )
    keys = [c.name if c.key is None else c.key for c in candidates]
    if len(set(keys)) != len(keys):
        v(CongressRule.TRUNG_UNG_CU_VIEN, "một người chỉ có tên một lần trong danh sách bầu cử")
    may_equal = what in rs.list_may_equal_seats
    if n < seats or (n == seats and not may_equal):
        v(
            CongressRule.DANH_SACH_NHIEU_HON,
            f"danh sách bầu cử {label} phải có số người nhiều hơn số lượng cần bầu "
            f"({n} người cho {seats} chỗ)",
        )
    cap = max_surplus(seats, rs)
    if n - seats > cap:
        v(
            CongressRule.SO_DU_TOI_DA,
            f"số dư tối đa {rs.max_surplus_pct}% số lượng cần bầu (làm tròn xuống, ít nhất 1 người): "
            f"bầu {seats} thì danh sách tối đa {seats + cap} người; danh sách có {n} người",
        )
    for c in candidates:
        if c.proposed_by == "committee":
            continue
        if c.agreement_pct is None or c.agreement_pct <= rs.nominee_min_agreement_pct:
            got = (
                "chưa ghi tỷ lệ" if c.agreement_pct is None else f"chỉ được {_pct(c.agreement_pct)}"
            )
            v(
                CongressRule.DE_CU_TREN_30,
                f"người được đề cử, ứng cử không do cấp ủy giới thiệu phải được trên "
                f"{_pct(rs.nominee_min_agreement_pct)} số người có mặt đồng ý đưa vào danh sách "
                f"bầu cử; {c.name} {got}",
            )
    return out


def _pct(value: Decimal) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text}%"


# --- ballot rounds ------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundIn:
    """One counted round: the ballots and each candidate's votes (key → votes)."""

    issued: int
    cast: int
    valid: int
    invalid: int
    votes: Mapping[CandidateKey, int]


def check_round(
    r: RoundIn, *, present: int, seats_open: int, names: Mapping[CandidateKey, str], on: date
) -> list[Violation]:
    """Every consistency rule the counted round breaks (`names`: key → candidate name)."""
    rs = election_rules_on(on)
    out: list[Violation] = []

    def v(rule: CongressRule, message: str) -> None:
        out.append(Violation(rule=rule, regulation=rs.code, message=message))

    if min(r.issued, r.cast, r.valid, r.invalid) < 0 or any(n < 0 for n in r.votes.values()):
        v(CongressRule.SO_LIEU_AM, "số phiếu không được âm")
        return out
    if r.cast != r.valid + r.invalid:
        v(
            CongressRule.PHIEU_THU_VAO,
            f"số phiếu thu vào ({r.cast}) phải bằng số phiếu hợp lệ ({r.valid}) cộng số phiếu "
            f"không hợp lệ ({r.invalid})",
        )
    if r.cast > r.issued:
        v(
            CongressRule.PHIEU_PHAT_RA,
            f"số phiếu thu vào ({r.cast}) không được vượt số phiếu phát ra ({r.issued})",
        )
    if r.issued > present:
        v(
            CongressRule.PHIEU_PHAT_RA,
            f"số phiếu phát ra ({r.issued}) không được vượt số người có mặt ({present})",
        )
    for key, n in r.votes.items():
        if n > r.valid:
            v(
                CongressRule.PHIEU_UNG_CU_VIEN,
                f"số phiếu bầu cho {names.get(key, key)} ({n}) vượt số phiếu hợp lệ ({r.valid})",
            )
    total = sum(r.votes.values())
    if total > r.valid * seats_open:
        v(
            CongressRule.BAU_QUA_SO_LUONG,
            f"tổng số phiếu bầu cho các ứng cử viên ({total}) vượt số phiếu hợp lệ nhân số lượng "
            f"cần bầu ({r.valid} × {seats_open} = {r.valid * seats_open}): phiếu hợp lệ không được "
            "bầu quá số lượng cần bầu",
        )
    return out


@dataclass(frozen=True)
class RoundOutcome:
    elected: tuple  # keys, highest votes first
    tied_at_last_seat: tuple  # keys that reached the threshold but tie for the last seat(s)
    seats_left: int


def round_outcome(
    votes: Mapping[CandidateKey, int], *, seats_open: int, needed: int
) -> RoundOutcome:
    """Winners of one round: reach `needed`, highest first, at most `seats_open`; a tie at
    the last seat elects none of the tied (a further round among them decides)."""
    ranked = sorted(((n, k) for k, n in votes.items() if n >= needed), key=lambda t: -t[0])
    if len(ranked) <= seats_open:
        elected = tuple(k for _, k in ranked)
        return RoundOutcome(elected, (), seats_open - len(elected))
    cut = ranked[seats_open - 1][0]
    if ranked[seats_open][0] == cut:
        elected = tuple(k for n, k in ranked if n > cut)
        tied = tuple(k for n, k in ranked if n == cut)
        return RoundOutcome(elected, tied, seats_open - len(elected))
    return RoundOutcome(tuple(k for _, k in ranked[:seats_open]), (), 0)


def check_further_round(
    *, what: str, is_cell: bool, failed_rounds: int, on: date
) -> list[Violation]:
    """A cell secretary election allows no round after `cell_secretary_max_rounds` failures."""
    rs = election_rules_on(on)
    if what == "secretary" and is_cell and failed_rounds >= rs.cell_secretary_max_rounds:
        return [
            Violation(
                rule=CongressRule.BI_THU_CHI_BO_3_LAN,
                regulation=rs.code,
                message=f"đã bầu bí thư chi bộ {failed_rounds} lần không có người trúng cử; cấp ủy "
                "cấp trên trực tiếp chỉ định bí thư chi bộ, không bầu tiếp",
            )
        ]
    return []


def check_further_round_votes(
    *, votes: Mapping[CandidateKey, int], elected: Collection[Hashable], names: Mapping, on: date
) -> list[Violation]:
    """A further round fills the seats still open only among candidates not yet elected.

    `votes` are the round's votes by candidate, `elected` the candidates elected in earlier
    rounds; a further round with no votes at all is refused too.
    """
    already = [names[k] for k in votes if k in elected]
    if not already and votes:
        return []
    return [
        Violation(
            rule=CongressRule.BAU_TIEP_CON_LAI,
            regulation=election_rules_on(on).code,
            message=(
                "bầu lần tiếp theo chỉ bầu số lượng còn thiếu trong số những người chưa "
                "trúng cử" + (f"; {', '.join(already)} đã trúng cử" if already else "")
            ),
        )
    ]


def check_appointment(
    *, what: str, is_cell: bool, failed_rounds: int, filled: bool, on: date
) -> list[Violation]:
    """The higher committee appoints a cell secretary only after the failed rounds."""
    rs = election_rules_on(on)
    if what != "secretary" or not is_cell:
        return [
            Violation(
                rule=CongressRule.CHI_DINH_BI_THU,
                regulation=rs.code,
                message="chỉ định thay cho bầu cử chỉ áp dụng với bí thư chi bộ",
            )
        ]
    if filled:
        return [
            Violation(
                rule=CongressRule.CHI_DINH_BI_THU,
                regulation=rs.code,
                message="chi bộ đã bầu được bí thư; không chỉ định",
            )
        ]
    if failed_rounds < rs.cell_secretary_max_rounds:
        return [
            Violation(
                rule=CongressRule.CHI_DINH_BI_THU,
                regulation=rs.code,
                message=f"cấp ủy cấp trên chỉ định bí thư chi bộ khi đã bầu "
                f"{rs.cell_secretary_max_rounds} lần không có người trúng cử; mới bầu "
                f"{failed_rounds} lần",
            )
        ]
    return []


# --- the life of a congress ----------------------------------------------------------------
# Rules of the register itself rather than of a numbered regulation (`regulation` empty);
# the services refuse with the rule's sentence and code, the importer reports it per line.


def check_congress_kind(*, kind: str, is_cell: bool) -> list[Violation]:
    """A cell holds an all-member congress, never a delegate congress."""
    if kind == "delegate" and is_cell:
        return [
            Violation(
                CongressErrorCode.DAI_HOI_CHI_BO,
                "",
                "chi bộ tổ chức đại hội đảng viên, không tổ chức đại hội đại biểu",
            )
        ]
    return []


def check_first_round_votes(
    *, votes: Collection[CandidateKey], names: Mapping[CandidateKey, str]
) -> list[Violation]:
    """The first ballot round lists the votes of every candidate (`names`, in list order)."""
    missing = [name for k, name in names.items() if k not in votes]
    if not missing:
        return []
    return [
        Violation(
            CongressRule.LAN_DAU_DU_DANH_SACH,
            "",
            "lần bầu thứ nhất phải ghi số phiếu của mọi người trong danh sách; "
            f"còn thiếu: {', '.join(missing)}",
        )
    ]


def check_seats_open(*, what_label: str, seats_open: int) -> list[Violation]:
    """No further round once every seat of the election is filled."""
    if seats_open > 0:
        return []
    return [
        Violation(
            CongressErrorCode.DA_BAU_DU, "", f"cuộc bầu {what_label.lower()} đã bầu đủ số lượng"
        )
    ]


def check_stop(
    *, what: str, is_cell: bool, rounds: int, filled: int, seats: int
) -> list[Violation]:
    """The congress stops an election only after a round that left seats open; a cell
    secretary not elected is appointed by the higher committee instead."""
    if not rounds or filled >= seats:
        message = "chỉ dừng bầu sau ít nhất một lần bầu chưa đủ số lượng"
    elif what == "secretary" and is_cell:
        message = "bí thư chi bộ không bầu được thì cấp ủy cấp trên chỉ định; không dừng bầu"
    else:
        return []
    return [Violation(CongressErrorCode.KHONG_THE_DUNG, "", message)]


def check_approval(
    *, ends_on: date, decision_on: date, approved_on: date, unfinished: Sequence[str]
) -> list[Violation]:
    """A congress's results are approved on or after its closing and the decision's date,
    and only once every election has ended (`unfinished`: the labels of those that have
    not)."""
    if approved_on < ends_on or approved_on < decision_on:
        return [
            Violation(
                CongressErrorCode.NGAY_CHUAN_Y,
                "",
                "ngày chuẩn y không được trước ngày bế mạc đại hội hoặc "
                "ngày ban hành quyết định chuẩn y",
            )
        ]
    if unfinished:
        return [
            Violation(
                CongressErrorCode.CHUA_BAU_XONG,
                "",
                "kết quả đại hội chỉ được chuẩn y khi đã kết thúc bầu cử; "
                "chưa kết thúc: " + "; ".join(unfinished),
            )
        ]
    return []


def check_seat_free(
    *, position_label: str, org_name: str, holder: str | None, since: date
) -> list[Violation]:
    """A committee position is held by one person at a time (a single-holder position) or
    once per person; `holder` is who already holds it over the time asked for, since
    `since`."""
    if holder is None:
        return []
    return [
        Violation(
            CongressErrorCode.TRUNG_CHUC_VU,
            "",
            f"chức vụ {position_label} của «{org_name}» đã do đồng chí {holder} "
            f"đảm nhiệm từ ngày {since:%d/%m/%Y}; hãy kết thúc chức vụ đó trước",
        )
    ]


def check_congress_dates(*, starts_on: date, ends_on: date) -> list[Violation]:
    """A congress closes on or after the day it opens."""
    if ends_on >= starts_on:
        return []
    return [
        Violation(CongressErrorCode.NGAY_BE_MAC, "", "ngày bế mạc không được trước ngày khai mạc")
    ]


def check_term_free(*, term_label: str, org_name: str, taken: bool) -> list[Violation]:
    """A term of an organization has one congress (`taken`: it already has one)."""
    if not taken:
        return []
    return [
        Violation(
            CongressErrorCode.DA_CO_DAI_HOI,
            "",
            f"nhiệm kỳ {term_label} của «{org_name}» đã có đại hội",
        )
    ]


def check_round_date(*, held_on: date, starts_on: date) -> list[Violation]:
    """A ballot round is held on or after the congress opens."""
    if held_on >= starts_on:
        return []
    return [
        Violation(CongressErrorCode.NGAY_BAU, "", "ngày bầu không được trước ngày khai mạc đại hội")
    ]


def check_seat_dates(*, starts_on: date, ends_on: date) -> list[Violation]:
    """A committee seat ends after the day it starts."""
    if ends_on > starts_on:
        return []
    return [
        Violation(CongressErrorCode.NGAY_CHUC_VU, "", "ngày kết thúc chức vụ phải sau ngày bắt đầu")
    ]
