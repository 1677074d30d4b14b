"""The review report's sentence about party dues (DOMAIN §8), in the organization part.

Written only when the period has dues records; amounts in whole đồng ("1.250.000 đồng"),
the rate of collection as the office writes percentages. A snapshot issued before the dues
figures existed holds none, so its text stays as issued.
"""

from __future__ import annotations

from dangbo import vn_format as vf
from dangbo.reports.data import ReviewData
from dangbo.reports.document import Block, Heading, Paragraph

HEADING = "đ) Công tác thu, nộp đảng phí"


def dues_sentence(d: ReviewData) -> str:
    """ "Tổng số đảng phí phải thu 1.250.000 đồng, đã thu 1.100.000 đồng, đạt 88%; còn nợ
    150.000 đồng; 02 đảng viên được miễn đóng đảng phí." — "" without dues records; nothing
    due gives no rate; no arrears and no exemption are said plainly."""
    f = d.dues
    if f is None:
        return ""
    w = d.wording
    text = f"Tổng số đảng phí phải thu {vf.money(f.dues_due)}, đã thu {vf.money(f.dues_paid)}"
    if f.dues_due:
        text += f", đạt {w.percent(f.dues_paid, f.dues_due)}"
    text += f"; còn nợ {vf.money(f.dues_arrears)}" if f.dues_arrears else "; không còn nợ"
    if f.dues_exempt_members:
        text += f"; {w.count_of(f.dues_exempt_members, 'đảng viên')} được miễn đóng đảng phí"
    return text + "."


def dues_part(d: ReviewData) -> list[Block]:
    """The heading and the sentence, or nothing without dues records."""
    text = dues_sentence(d)
    return [Heading(HEADING, 3), Paragraph(text)] if text else []
