"""Compose the review report (REPORTS §3): frozen data → the document every renderer draws.

All Vietnamese wording and number formatting of the report lives here, through
:mod:`dangbo.vn_format`, so DOCX, PDF and HTML carry the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from dangbo import vn_format as vf
from dangbo.figure_labels import (
    BREAKDOWN_LABELS,
    DISCIPLINE_LABELS,
    LABELS,
    not_available,
    value_label,
)
from dangbo.figures import AGE_BANDS, INFLOWS, OUTFLOWS, PARTY_AGE_BANDS
from dangbo.reports.compose_congresses import congress_paragraph
from dangbo.reports.compose_dues import dues_part
from dangbo.reports.compose_work import adopted_targets, development_classes
from dangbo.reports.data import MonthPoint, ReviewData
from dangbo.reports.document import (
    Block,
    Chart,
    Document,
    Header,
    Heading,
    Paragraph,
    Signature,
    Table,
)
from dangbo.reports.models import ReportKind, ReportStatus
from dangbo.reports.narrative import NARRATIVE_KEYS, narrative_paragraphs

PLACEHOLDER = "[Văn phòng bổ sung nội dung phần này.]"
BREAKDOWNS_SHOWN = ("gender", "age", "party_age", "theory", "ethnicity", "religion")
FIXED_ORDERS = {
    "theory": ("khong", "so_cap", "trung_cap", "cao_cap", "cu_nhan"),
    "gender": ("nam", "nu"),
    "age": tuple(label for label, _ in AGE_BANDS),
    "party_age": tuple(label for label, _ in PARTY_AGE_BANDS),
}


def _summary(d: ReviewData) -> tuple[str, ...]:
    start, end = d.period_start, d.period_end
    y = end.year
    span = vf.span_phrase(start, end)
    if d.kind == ReportKind.THEMATIC:
        return (d.topic,)
    if d.kind == ReportKind.END_OF_TERM:
        return (
            f"tổng kết công tác xây dựng Đảng {vf.term_phrase(d.period_code)},",
            "phương hướng, nhiệm vụ nhiệm kỳ tiếp theo",
        )
    if d.kind == ReportKind.MID_TERM:
        return (
            "sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội",
            f"{d.org.name} {vf.term_phrase(d.period_code)}",
        )
    if d.kind == ReportKind.YEAR_END or (start, end) == (date(y, 1, 1), date(y, 12, 31)):
        return (f"tổng kết công tác xây dựng Đảng năm {y},", f"phương hướng, nhiệm vụ năm {y + 1}")
    if (start, end) == (date(y, 1, 1), date(y, 6, 30)):
        return (
            f"sơ kết công tác xây dựng Đảng 6 tháng đầu năm {y},",
            f"phương hướng, nhiệm vụ 6 tháng cuối năm {y}",
        )
    if (start, end) == (date(y, 1, 1), date(y, 9, 30)):
        return (
            f"kết quả công tác xây dựng Đảng 9 tháng đầu năm {y},",
            f"phương hướng, nhiệm vụ 3 tháng cuối năm {y}",
        )
    return (f"kết quả công tác xây dựng Đảng {span},", "phương hướng, nhiệm vụ thời gian tới")


def _header(d: ReviewData) -> Header:
    doc_code = d.org.doc_code or ""
    number = f"Số {d.number}" if d.number else f"Số      -BC/{doc_code}"
    if d.issued_on:
        place_date = d.wording.place_date(d.place, d.issued_on)
    else:
        place_date = f"{d.place}, ngày      tháng      năm {max(d.period_end, d.period_end).year}"
    return Header(
        superior_body=(d.superior.name if d.superior else "").upper(),
        issuing_body=d.org.committee.upper(),
        number=number,
        place_date=place_date,
        doc_type="BÁO CÁO",
        summary=_summary(d),
    )


def _narrative(d: ReviewData, key: str) -> list[Paragraph]:
    text = (d.narrative or {}).get(key, "").strip()
    if not text:
        return [Paragraph(PLACEHOLDER, italic=True)] if d.status == ReportStatus.DRAFT else []
    return narrative_paragraphs(text)


def _mark(d: ReviewData, key: str) -> str:
    return "(*)" if key in d.overrides else ""


def _n(d: ReviewData, key: str) -> str:
    return d.wording.count(d.figures.count(key)) + _mark(d, key)


def _month(point: MonthPoint) -> str:
    """ "6/2023"."""
    return f"{point.on.month}/{point.on.year}"


def _membership(d: ReviewData) -> list[Block]:
    f = d.figures
    start, end = d.period_start, d.period_end
    eve = start - timedelta(days=1)
    span = vf.span_phrase(start, end)
    delta = f.members_end - f.members_start
    change = (
        f"tăng {d.wording.count(delta)} đảng viên"
        if delta > 0
        else f"giảm {d.wording.count(-delta)} đảng viên"
        if delta < 0
        else "không thay đổi"
    )
    women_share = d.wording.percent(f.women_end, f.members_end)
    blocks: list[Block] = [Heading("b) Công tác đảng viên", 3)]
    blocks.append(
        Paragraph(
            f"Tính đến {d.wording.date_short(end)}, {d.org.name} có {_n(d, 'members_end')} đảng viên "
            f"({_n(d, 'official_end')} đảng viên chính thức, {_n(d, 'probationary_end')} đảng viên dự bị; "
            f"nữ {_n(d, 'women_end')} đồng chí, chiếm {women_share}; miễn công tác và sinh hoạt đảng "
            f"{_n(d, 'exempt_end')} đồng chí). So với đầu kỳ ({_n(d, 'members_start')} đảng viên tại "
            f"{d.wording.date_short(eve)}), số đảng viên {change}."
        )
    )
    moves = []
    for key, phrase in (
        ("admitted", "kết nạp mới {} đảng viên"),
        ("readmitted", "kết nạp lại {} đảng viên"),
        ("recognized_official", "công nhận đảng viên chính thức cho {} đồng chí"),
        ("transferred_in", "tiếp nhận {} đảng viên chuyển đến"),
        ("transferred_out", "chuyển sinh hoạt đảng chính thức đi {} đảng viên"),
        ("transferred_internal", "chuyển sinh hoạt nội bộ {} đảng viên"),
        ("temporary_in", "tiếp nhận sinh hoạt tạm thời {} đảng viên"),
        ("temporary_out", "chuyển sinh hoạt tạm thời đi {} đảng viên"),
        ("reorganized_in", "nhận {} đảng viên do sắp xếp tổ chức"),
        ("reorganized_out", "chuyển {} đảng viên sang tổ chức khác do sắp xếp tổ chức"),
        ("died", "{} đồng chí từ trần"),
        ("removed", "xóa tên {} đảng viên"),
        ("expelled", "khai trừ {} đảng viên"),
        ("left", "{} đảng viên xin ra khỏi Đảng"),
    ):
        if f.count(key):
            moves.append(phrase.format(_n(d, key)))
    blocks.append(
        Paragraph(
            f"Trong {span}: "
            + ("; ".join(moves) if moves else "không có biến động về số lượng đảng viên")
            + "."
        )
    )
    rows = [
        (
            f"Đầu kỳ ({d.wording.date_numeric(eve)})",
            vf.number(f.members_start) + _mark(d, "members_start"),
        )
    ]
    rows += [(f"(+) {LABELS[k]}", vf.number(f.count(k)) + _mark(d, k)) for k in INFLOWS]
    rows += [(f"(−) {LABELS[k]}", vf.number(f.count(k)) + _mark(d, k)) for k in OUTFLOWS]
    rows.append(
        (
            f"Cuối kỳ ({d.wording.date_numeric(end)})",
            vf.number(f.members_end) + _mark(d, "members_end"),
        )
    )
    blocks.append(
        Table(
            caption="Biến động số lượng đảng viên trong kỳ",
            columns=("Nội dung", "Số đảng viên"),
            rows=tuple(rows),
            align=("left", "right"),
            total_row=True,
        )
    )
    badges = ""
    if f.badges_awarded:
        milestones = f.badges_by_milestone
        by = "; ".join(
            f"{k} năm tuổi Đảng: {d.wording.count(milestones[k])}"
            for k in sorted(milestones, key=int)
        )
        badges = f"; trao tặng Huy hiệu Đảng cho {_n(d, 'badges_awarded')} đồng chí ({by})" + (
            f", trong đó truy tặng {_n(d, 'badges_posthumous')} đồng chí"
            if f.badges_posthumous
            else ""
        )
    blocks.append(
        Paragraph(
            f"Phát thẻ đảng viên cho {_n(d, 'cards_issued')} đồng chí{badges}; quyết định miễn công tác "
            f"và sinh hoạt đảng cho {_n(d, 'exemptions_granted')} đồng chí."
        )
    )
    if len(d.monthly) >= 2:
        blocks.append(
            Chart(
                kind="line",
                title=f"Số đảng viên cuối mỗi tháng, {span}",
                labels=tuple(_month(m) for m in d.monthly),
                series=(("Đảng viên", tuple(float(m.value) for m in d.monthly)),),
                y_label="đảng viên",
                note="Nguồn: sổ đảng viên, tính đến cuối mỗi tháng.",
            )
        )
    return blocks


def _development(d: ReviewData) -> list[Block]:
    blocks: list[Block] = [Heading("c) Công tác phát triển đảng viên", 3)]
    blocks += development_classes(d)
    if d.admission_target:
        running, total = [], 0
        for m in d.admissions_by_month:
            total += m.value
            running.append(float(total))
        blocks.append(
            Chart(
                kind="bar",
                title="Kết nạp đảng viên (lũy kế) so với chỉ tiêu",
                labels=tuple(_month(m) for m in d.admissions_by_month),
                series=(
                    ("Đã kết nạp (lũy kế)", tuple(running)),
                    ("Chỉ tiêu", tuple(float(d.admission_target) for _ in running)),
                ),
                y_label="đảng viên",
                note="Nguồn: sổ đảng viên và chỉ tiêu kết nạp được giao.",
            )
        )
    elif any(m.value for m in d.admissions_by_month):
        series = [("Kết nạp", tuple(float(m.value) for m in d.admissions_by_month))]
        blocks.append(
            Chart(
                kind="bar",
                title="Số đảng viên được kết nạp theo tháng",
                labels=tuple(_month(m) for m in d.admissions_by_month),
                series=tuple(series),
                y_label="đảng viên",
                note="Nguồn: sổ đảng viên (kết nạp mới và kết nạp lại).",
            )
        )
    return blocks


def _units(d: ReviewData) -> list[Block]:
    if not d.units:
        return []
    rows = [
        (
            u.name,
            vf.number(u.counts.members_start),
            vf.number(u.counts.admitted),
            vf.number(u.counts.transferred_in),
            vf.number(u.counts.transferred_out),
            vf.number(u.counts.died),
            vf.number(u.counts.members_end),
        )
        for u in d.units
    ]

    def total(name: str) -> str:
        return vf.number(sum(getattr(u.counts, name) for u in d.units))

    rows.append(
        (
            "Cộng",
            total("members_start"),
            total("admitted"),
            total("transferred_in"),
            total("transferred_out"),
            total("died"),
            total("members_end"),
        )
    )
    return [
        Heading("a) Tổ chức đảng", 3),
        Paragraph(
            f"{d.org.name} có {d.wording.count(len(d.units))} tổ chức đảng trực thuộc có đảng viên trong kỳ."
        ),
        Table(
            caption="Số đảng viên theo tổ chức đảng trực thuộc",
            columns=(
                "Tổ chức đảng",
                "Đầu kỳ",
                "Kết nạp",
                "Chuyển đến",
                "Chuyển đi",
                "Từ trần",
                "Cuối kỳ",
            ),
            rows=tuple(rows),
            align=("left",) + ("right",) * 6,
            total_row=True,
        ),
        Paragraph(
            "Số chuyển đến, chuyển đi của từng tổ chức gồm cả chuyển sinh hoạt giữa các tổ chức "
            "trong Đảng bộ; dòng «Cộng» vì vậy có thể lớn hơn số chuyển đến, chuyển đi của "
            "toàn Đảng bộ ở phần dưới.",
            italic=True,
        ),
    ]


def _structure(d: ReviewData) -> list[Block]:
    f = d.figures
    total = f.members_end
    rows = []
    breakdowns = f.breakdowns or {}
    for dim in BREAKDOWNS_SHOWN:
        values = breakdowns.get(dim, {})
        # an explicit order: a snapshot read back from PostgreSQL (jsonb) does not keep key order
        order = FIXED_ORDERS.get(dim)
        keys = (
            [k for k in order if k in values]
            if order
            else sorted(values, key=lambda k: (-values[k], vf.sort_key_name(k)))
        )
        for value, n in ((k, values[k]) for k in keys):
            rows.append(
                (
                    f"{BREAKDOWN_LABELS[dim]}: {value_label(dim, value)}",
                    vf.number(n),
                    d.wording.percent(n, total),
                )
            )
    if not rows:
        return []
    return [
        Table(
            caption=(
                f"Cơ cấu đảng viên tính đến ngày {d.wording.date_numeric(f.breakdowns_as_of)}"
                if f.breakdowns_as_of and f.breakdowns_as_of != d.period_end
                else f"Cơ cấu đảng viên ngày {d.wording.date_numeric(d.period_end)}"
            ),
            columns=("Tiêu chí", "Số đảng viên", "Tỷ lệ"),
            rows=tuple(rows),
            align=("left", "right", "right"),
        )
    ]


def _discipline(d: ReviewData) -> list[Block]:
    f = d.figures
    forms = ", ".join(
        f"{DISCIPLINE_LABELS[k].lower()} {d.wording.count(f.disciplined[k])}"
        for k in DISCIPLINE_LABELS
        if f.disciplined.get(k)
    )
    text = (
        f"Thi hành kỷ luật {d.wording.count(f.disciplined_total)} đảng viên ({forms})."
        if f.disciplined_total
        else "Trong kỳ không có đảng viên bị thi hành kỷ luật."
    )
    return [Paragraph(text)]


def _overrides_note(d: ReviewData) -> list[Block]:
    if not d.overrides:
        return []
    parts = [
        f"«{LABELS.get(k.rsplit('_', 1)[0] if k.endswith(('_start', '_end')) else k, k)}» "
        f"({k}) ghi {vf.number(o.value)}, hệ thống tính được {vf.number(o.computed)}"
        for k, o in sorted(d.overrides.items())
    ]
    return [Paragraph("(*) Số liệu do văn phòng sửa tay: " + "; ".join(parts) + ".", italic=True)]


def _congresses(d: ReviewData) -> list[Block]:
    """Congress results when congresses fall in the period (DOMAIN §4): the units below,
    then the organization's own congress."""
    c = d.congresses
    if not c:
        return []
    text = congress_paragraph(c, d.org.name, d.wording)
    return [Heading("d) Công tác đại hội", 3), Paragraph(text)] if text else []


GRADE_LABELS = {
    "xuat_sac": "hoàn thành xuất sắc nhiệm vụ",
    "tot": "hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "không hoàn thành nhiệm vụ",
}


def _by_grade(d: ReviewData, by: dict[str, int] | Mapping[str, int]) -> str:
    return "; ".join(
        f"{GRADE_LABELS[k]} {d.wording.count(by[k])}" for k in GRADE_LABELS if by.get(k)
    )


def _grading(d: ReviewData) -> list[Block]:
    """Annual grading results, in year-end reports (DOMAIN §7): the organization's own grade
    when it is graded as a committee above the base level, the base organizations, the cells
    and branch committees under them, and the members — each sentence only when something
    of it was graded."""
    g = d.grading
    if not g:
        return []
    out: list[Block] = [Heading("Kết quả đánh giá, xếp loại chất lượng", 3)]
    if g.own_grade:
        out.append(
            Paragraph(
                f"{d.org.name} được xếp loại «{GRADE_LABELS[g.own_grade]}» năm {g.year}"
                + (", đạt «trong sạch, vững mạnh tiêu biểu»" if g.own_exemplary else "")
                + "."
            )
        )
    if g.base_orgs_total:
        out.append(
            Paragraph(
                f"Tổ chức cơ sở đảng: {vf.ratio(g.base_orgs_good_or_better, g.base_orgs_total)} "
                f"tổ chức hoàn thành tốt nhiệm vụ trở lên ("
                + _by_grade(d, g.base_orgs_by_grade)
                + ")"
                + (
                    f"; {d.wording.count(g.exemplary_orgs)} tổ chức «trong sạch, vững mạnh tiêu biểu»"
                    if g.exemplary_orgs
                    else ""
                )
                + "."
            )
        )
    if g.cells_graded:
        out.append(
            Paragraph(
                f"Chi bộ, đảng bộ bộ phận trực thuộc đảng ủy cơ sở: "
                f"{vf.ratio(g.cells_good_or_better, g.cells_total)} hoàn thành tốt nhiệm vụ "
                f"trở lên ({_by_grade(d, g.cells_by_grade)})."
            )
        )
    total = g.members_graded + g.members_not_graded
    if total:
        text = f"Đảng viên: đánh giá, xếp loại {vf.ratio(g.members_graded, total)} đảng viên"
        if g.members_graded:
            text += f" ({_by_grade(d, g.members_by_grade)})"
        if g.members_not_graded:
            text += f"; không xếp loại {d.wording.count(g.members_not_graded)} đồng chí"
        out.append(Paragraph(text + "."))
    if g.members_not_completed_two_years:
        out.append(
            Paragraph(
                f"Có {d.wording.count(g.members_not_completed_two_years)} đảng viên 2 năm liền xếp "
                "loại không hoàn thành nhiệm vụ, thuộc diện xem xét xóa tên."
            )
        )
    return out


STATUS_LABELS = {"vuot": "Vượt", "dat": "Đạt", "chua_dat": "Chưa đạt"}


def _targets(d: ReviewData) -> list[Block]:
    """The targets table with actual, % of plan and status, and the x/y summary (REPORTS §3.I.5)."""
    if not d.targets:
        return []
    rows = [
        (
            str(i),
            t.name,
            t.unit,
            vf.number(t.planned),
            vf.number(t.actual),
            d.wording.percentage(t.percent),
            STATUS_LABELS.get(t.status, t.status),
        )
        for i, t in enumerate(d.targets, 1)
    ]
    done = sum(1 for t in d.targets if t.status in ("vuot", "dat"))
    return [
        Paragraph(f"Thực hiện đạt và vượt {vf.ratio(done, len(d.targets))} chỉ tiêu."),
        Table(
            caption="Kết quả thực hiện các chỉ tiêu",
            columns=("TT", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Đánh giá"),
            rows=tuple(rows),
            align=("center", "left", "center", "right", "right", "right", "center"),
        ),
    ]


def _inspections(d: ReviewData) -> list[Block]:
    i = d.inspections
    if not i:
        return []
    return [
        Paragraph(
            f"Kiểm tra {d.wording.count(i.inspected_orgs)} tổ chức đảng và {d.wording.count(i.inspected_members)} "
            f"đảng viên; giám sát {d.wording.count(i.supervised_orgs)} tổ chức đảng và "
            f"{d.wording.count(i.supervised_members)} đảng viên; phát hiện {d.wording.count(i.violations_found)} "
            f"trường hợp vi phạm."
            + (
                f" Các chi bộ kiểm tra {d.wording.count(i.cells_inspected_members)} đảng viên, giám sát "
                f"{d.wording.count(i.cells_supervised_members)} đảng viên trong chi bộ."
                if i.cells_inspected_members or i.cells_supervised_members
                else ""
            )
        )
    ]


def _not_available(d: ReviewData, opened: date) -> list[Block]:
    """In place of the membership figures of a period starting before the opening date."""
    return [
        Heading("b) Công tác đảng viên", 3),
        Paragraph(
            f"{not_available(opened)}: {d.org.name} bắt đầu ghi sổ "
            f"đảng viên từ ngày {opened:%d/%m/%Y}, nên kỳ báo cáo bắt đầu trước ngày đó không có "
            "số liệu đảng viên.",
            italic=True,
        ),
    ]


def _open_tasks(d: ReviewData) -> list[Block]:
    if not d.open_tasks:
        return []
    out: list[Block] = [Paragraph("Các nhiệm vụ chưa hoàn thành chuyển sang kỳ tới:", bold=True)]
    for t in d.open_tasks:
        owner = (
            f" ({t.owner}"
            + (f", hạn {d.wording.date_numeric(t.deadline)}" if t.deadline else "")
            + ")"
            if t.owner
            else ""
        )
        out.append(Paragraph(f"- {t.task}{owner}."))
    return out


def compose_review(d: ReviewData) -> Document:
    """The review report as a document (REPORTS §3), ready for any renderer."""
    body: list[Block] = [Heading("I. KẾT QUẢ THỰC HIỆN", 1)]
    body += [Heading(NARRATIVE_KEYS["chinh_tri_tu_tuong"], 2), *_narrative(d, "chinh_tri_tu_tuong")]
    for doc in d.documents:
        body.append(Paragraph(f"- {doc.citation}: {doc.title}"))
    body.append(Heading("2. Công tác tổ chức, cán bộ, đảng viên", 2))
    if d.figures.not_available_before is None:
        body += _units(d) + _membership(d) + _structure(d) + _development(d)
    else:
        body += _not_available(d, d.figures.not_available_before)
    body += _congresses(d)
    body += dues_part(d)
    if d.narrative.get("to_chuc_can_bo"):
        body += _narrative(d, "to_chuc_can_bo")
    body += [
        Heading(NARRATIVE_KEYS["kiem_tra_giam_sat"], 2),
        *_narrative(d, "kiem_tra_giam_sat"),
        *_inspections(d),
        *_discipline(d),
    ]
    body += [Heading(NARRATIVE_KEYS["dan_van"], 2), *_narrative(d, "dan_van")]
    body += [
        Heading(NARRATIVE_KEYS["nhiem_vu_chinh_tri"], 2),
        *_narrative(d, "nhiem_vu_chinh_tri"),
        *_targets(d),
        *_grading(d),
    ]
    body += [Heading("II. HẠN CHẾ, NGUYÊN NHÂN", 1), *_narrative(d, "han_che")]
    body += [
        Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ", 1),
        *_narrative(d, "phuong_huong"),
        *adopted_targets(d),
        *_open_tasks(d),
    ]
    body += _overrides_note(d)
    recipients = ("Nơi nhận:",)[:0] + tuple(
        f"- {r}{'' if r.endswith('.') else ','}" for r in d.recipients
    )
    return Document(
        header=_header(d),
        body=tuple(body),
        signature=Signature(
            form=d.signature.form,
            position=d.signature.position,
            name=d.signature.name,
            recipients=recipients,
        ),
        watermark="DỰ THẢO" if d.status == ReportStatus.DRAFT else "",
        metadata={
            "title": "Báo cáo " + " ".join(_summary(d)),
            "subject": d.org.name,
            "date": (d.issued_on or d.period_end).isoformat(),
        },
    )
