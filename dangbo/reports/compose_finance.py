"""The yearly party finance report as a document in the Party format (the review report's
renderers draw it): the header, the year's dues by unit, the remittance by level, the signer.

Amounts in whole đồng with thousands dots; a year without anything due writes "—" for the
rate of collection; an organization without units below (a cell) gets no units' table.
"""

from __future__ import annotations

from dangbo import vn_format as vf
from dangbo.core.dates import today
from dangbo.dues.figures import DuesFigures
from dangbo.reports.document import Block, Document, Header, Heading, Paragraph, Signature, Table
from dangbo.reports.finance import FinanceData

W = vf.DEFAULT_WORDING


def _row(name: str, f: DuesFigures) -> tuple[str, ...]:
    return (
        name,
        vf.number(f.dues_due),
        vf.number(f.dues_paid),
        W.percent(f.dues_paid, f.dues_due),
        vf.number(f.dues_arrears),
        vf.number(f.dues_exempt_members),
    )


def _collection(d: FinanceData) -> list[Block]:
    f = d.total
    text = (
        f"Thực hiện {' và '.join(d.regulations)} về chế độ đảng phí, năm {d.year} "
        f"{d.org_name} phải thu {vf.money(f.dues_due)} đảng phí, đã thu {vf.money(f.dues_paid)}"
    )
    if f.dues_due:
        text += f", đạt {W.percent(f.dues_paid, f.dues_due)}"
    text += f"; còn nợ {vf.money(f.dues_arrears)}" if f.dues_arrears else "; không còn nợ"
    text += (
        f"; {W.count_of(f.dues_exempt_members, 'đảng viên')} được miễn đóng đảng phí."
        if f.dues_exempt_members
        else "; không có đảng viên được miễn đóng đảng phí."
    )
    blocks: list[Block] = [Heading(f"I. THU ĐẢNG PHÍ NĂM {d.year}", 1), Paragraph(text)]
    if d.units:
        rows = [_row(u.name, u.figures) for u in d.units]
        rows.append(_row("Cộng", f))
        blocks.append(
            Table(
                caption=f"Thu đảng phí năm {d.year} theo tổ chức đảng trực thuộc (đồng)",
                columns=(
                    "Tổ chức đảng",
                    "Phải thu",
                    "Đã thu",
                    "Tỷ lệ thu",
                    "Còn nợ",
                    "Đảng viên được miễn",
                ),
                rows=tuple(rows),
                align=("left",) + ("right",) * 5,
                total_row=True,
            )
        )
    return blocks


def _remittance(d: FinanceData) -> list[Block]:
    blocks: list[Block] = [Heading("II. TRÍCH NỘP VÀ GIỮ LẠI ĐẢNG PHÍ THEO CÁC CẤP", 1)]
    if not d.levels:
        return [*blocks, Paragraph(f"Năm {d.year} chưa thu được đảng phí.")]
    blocks.append(
        Paragraph(
            f"Số đảng phí đã thu {vf.money(d.collected)} được trích nộp và giữ lại theo tỷ lệ "
            "của quy định đang có hiệu lực trong từng tháng: tổng số giữ lại ở các cấp "
            f"{vf.money(d.kept_total)}; nộp lên cấp trên {vf.money(d.passed_on)}."
        )
    )
    blocks.append(
        Table(
            caption=f"Trích nộp, giữ lại đảng phí năm {d.year} (đồng)",
            columns=("Cấp", "Tỷ lệ giữ lại", "Nhận", "Giữ lại", "Nộp lên"),
            rows=tuple(
                (
                    level.name,
                    "; ".join(f"{p}%" for p in level.percents),
                    vf.number(level.received),
                    vf.number(level.kept),
                    vf.number(level.passed),
                )
                for level in d.levels
            ),
            align=("left", "center", "right", "right", "right"),
        )
    )
    return blocks


def compose_finance(d: FinanceData) -> Document:
    """The finance report of `d` as a document, ready for the DOCX, PDF and HTML renderers."""
    doc_code = d.doc_code or ""
    when = d.issued_on
    year = when.year if when else max(d.year, today().year)
    place_date = (
        W.place_date(d.place, when) if when else f"{d.place}, ngày      tháng      năm {year}"
    )
    recipients = []
    if d.superior_committee:
        recipients += [
            f"- Ban Thường vụ {d.superior_committee},",
            f"- Văn phòng {d.superior_committee},",
        ]
    recipients.append(f"- Lưu Văn phòng {d.committee}.")
    return Document(
        header=Header(
            superior_body=d.superior.upper(),
            issuing_body=d.committee.upper(),
            number=f"Số      -BC/{doc_code}",
            place_date=place_date,
            doc_type="BÁO CÁO",
            summary=(f"công tác tài chính Đảng năm {d.year}",),
        ),
        body=(*_collection(d), *_remittance(d)),
        signature=Signature(
            form=d.signature_form,
            position=d.signer_position,
            name=d.signer_name,
            recipients=tuple(recipients),
        ),
        metadata={
            "title": f"Báo cáo công tác tài chính Đảng năm {d.year}",
            "subject": d.org_name,
            "date": (when or today()).isoformat(),
        },
    )
