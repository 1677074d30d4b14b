"""The congress sentences of the review report and of the `stats` table (DOMAIN §4).

The units below the organization are counted apart from its own congress. They are named
as real reports name them: "15/15 chi bộ" and "chi ủy viên" when every unit counted is a
cell (a ward's own cells), "45/45 tổ chức cơ sở đảng" and "120/120 chi bộ" when base
organizations are counted; "tổ chức đảng" only when neither count is known (a report
issued before the counts existed renders as it did).
"""

from __future__ import annotations

from dangbo import vn_format as vf
from dangbo.congresses.figures import CongressFigures

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """12 → "XII" (the number of a congress: "Đại hội lần thứ XII")."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def units_held(c: CongressFigures) -> str:
    """The units that held their congress over those due: "15/15 chi bộ", "45/45 tổ chức cơ
    sở đảng và 120/120 chi bộ", "90/90 tổ chức đảng (86/86 tổ chức cơ sở đảng, 86/86 chi
    bộ)" when other units (ward committees, branch committees) are counted too, or "6/6 tổ
    chức đảng" when no kind was counted."""
    total = vf.ratio(c.congresses_held, c.congresses_due or c.congresses_held, "tổ chức đảng")
    if c.cells_only:
        return vf.ratio(c.cells_congresses_held, c.cells_congresses_due, "chi bộ")
    parts = []
    if c.base_orgs_congresses_due:
        parts.append(
            vf.ratio(c.base_orgs_congresses_held, c.base_orgs_congresses_due, "tổ chức cơ sở đảng")
        )
    if c.cells_congresses_due:
        parts.append(vf.ratio(c.cells_congresses_held, c.cells_congresses_due, "chi bộ"))
    if not parts:
        return total
    if c.other_orgs_congresses_due:
        return f"{total} ({', '.join(parts)})"
    return " và ".join(parts)


def committee_noun(c: CongressFigures) -> str:
    """ "chi ủy viên" for the committees of cells only, "cấp ủy viên" otherwise."""
    return "chi ủy viên" if c.cells_only else "cấp ủy viên"


def _terms(c: CongressFigures) -> str:
    terms = c.terms_held
    if not terms:
        return ""
    return " " + vf.term_phrase(terms[0]) if len(terms) == 1 else ""


def units_sentence(c: CongressFigures) -> str:
    """ "Có 15/15 chi bộ tổ chức đại hội nhiệm kỳ 2022–2025"; over several terms, the count
    of each term when every unit is a cell ("… nhiệm kỳ 2020–2022, 15/15 chi bộ … 2022–2025")."""
    if c.cells_only and len(c.terms_held) > 1:
        per_term = [
            f"{vf.ratio(n.held, n.due, 'chi bộ')} tổ chức đại hội {vf.term_phrase(t)}"
            for t, n in c.congresses_by_term.items()
            if n.held and not t.startswith("sau ")
        ]
        return "Có " + ", ".join(per_term)
    return f"Có {units_held(c)} tổ chức đại hội{_terms(c)}"


def approval_sentence(c: CongressFigures) -> str:
    """ "kết quả bầu cử của 15/15 chi bộ đã được chuẩn y" (empty when nothing is approved, or
    when the kinds of the units were not counted: a report issued before keeps its text)."""
    known = c.cells_congresses_due or c.base_orgs_congresses_due
    if not known or not c.congresses_approved or not c.congresses_held:
        return ""
    noun = "chi bộ" if c.cells_only else "đại hội"
    return f"kết quả bầu cử của {vf.ratio(c.congresses_approved, c.congresses_held, noun)} đã được chuẩn y"


def own_congress_sentence(
    c: CongressFigures, org_name: str, w: vf.Wording = vf.DEFAULT_WORDING
) -> str:
    """The organization's own congress: number, term, dates, delegates present, approval."""
    if not c.own_congresses_held or c.own_congress_starts_on is None:
        return ""
    delegate = c.own_congress_kind == "delegate"
    text = f"Đại hội {'đại biểu ' if delegate else ''}{org_name}"
    if c.own_congress_number:
        text += f" lần thứ {roman(c.own_congress_number)}"
    if c.own_congress_term:
        text += f", {vf.term_phrase(c.own_congress_term)}"
    start, end = c.own_congress_starts_on, c.own_congress_ends_on or c.own_congress_starts_on
    if end != start:
        text += f" được tổ chức từ ngày {w.date_numeric(start)} đến ngày {w.date_numeric(end)}"
    else:
        text += f" được tổ chức ngày {w.date_numeric(start)}"
    if c.own_congress_delegates:
        noun = "đại biểu" if delegate else "đảng viên"
        text += (
            f", {vf.ratio(c.own_congress_present or 0, c.own_congress_delegates)} {noun} "
            "được triệu tập có mặt"
        )
    if c.own_congress_approved_on is not None:
        text += f"; kết quả bầu cử được chuẩn y ngày {w.date_numeric(c.own_congress_approved_on)}"
    return text + "."


def congress_paragraph(
    c: CongressFigures, org_name: str, w: vf.Wording = vf.DEFAULT_WORDING
) -> str:
    """The sentences of the report's congress part (units below, then the own congress),
    counts, shares and dates written by the office's wording `w`."""
    parts = []
    if c.congresses_held or c.congresses_due:
        held = c.congresses_held
        text = units_sentence(c)
        if held:
            text += (
                f"; {vf.ratio(c.elected_in_one_round, held)} đại hội bầu đủ "
                f"số lượng ngay lần đầu ({w.percent(c.elected_in_one_round, held)})"
            )
        approval = approval_sentence(c)
        parts.append(text + (f"; {approval}" if approval else "") + ".")
        if c.secretaries_elected:
            parts.append(
                f"Bầu {w.count(c.secretaries_elected)} đồng chí bí thư (nữ "
                f"{w.count(c.secretaries_women)}, tái cử {w.count(c.secretaries_reelected)}, "
                f"mới {w.count(c.secretaries_new)})."
            )
        if c.committee_elected:
            n = c.committee_elected
            parts.append(
                f"Bầu {w.count(n)} đồng chí {committee_noun(c)}: nữ "
                f"{vf.ratio(c.committee_women, n)} = {w.percent(c.committee_women, n)}; tái cử "
                f"{vf.ratio(c.committee_reelected, n)} = {w.percent(c.committee_reelected, n)}; "
                f"tham gia lần đầu {vf.ratio(c.committee_first_time, n)} = "
                f"{w.percent(c.committee_first_time, n)}."
            )
    own = own_congress_sentence(c, org_name, w)
    if own:
        parts.append(own)
    return " ".join(parts)


def congress_line(c: CongressFigures) -> str:
    """The `stats` table line: the same counts as the report, in short."""
    return (
        f"Đại hội: {units_held(c)} đã đại hội; bầu đủ ngay lần đầu {c.elected_in_one_round}; "
        f"bí thư {c.secretaries_elected} (nữ {c.secretaries_women}, tái cử "
        f"{c.secretaries_reelected}, mới {c.secretaries_new}); {committee_noun(c)} "
        f"{c.committee_elected} (nữ {vf.percent(c.committee_women, c.committee_elected)}, "
        f"tái cử {vf.percent(c.committee_reelected, c.committee_elected)}, "
        f"lần đầu {vf.percent(c.committee_first_time, c.committee_elected)})"
    )
