"""The Party document format (thể thức văn bản của Đảng) as a versioned setting (REPORTS §4).

Every size, margin and spacing the renderers use comes from a `FormatRules` object chosen
by the document's date: `FORMAT_RULES` maps an effective date to the rules in force from
that day, so a later guidance (e.g. one following Quy định 399-QĐ/TW of 2026) is added as
one more entry without touching the renderers.

Font note: the format prescribes Times New Roman; LibreOffice (PDF conversion) substitutes
the metric-compatible Liberation Serif, which covers Vietnamese, so line breaks match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from dangbo.reports.document import Document


@dataclass(frozen=True)
class FormatRules:
    """One version of the format. Lengths in millimetres, font sizes in points."""

    source: str
    effective_from: date
    # page (A4) and margins
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 20.0
    margin_bottom_mm: float = 20.0
    margin_left_mm: float = 30.0
    margin_right_mm: float = 15.0
    header_distance_mm: float = 10.0  # page edge → page header (draft mark, page number)
    footer_distance_mm: float = 10.0
    # fonts
    font_name: str = "Times New Roman"
    screen_fonts: tuple[str, ...] = ("Times New Roman", "Liberation Serif", "DejaVu Serif")
    language: str = "vi-VN"
    # header blocks (page 1)
    header_left_width_mm: float = 75.0  # superior body, issuing body, "*", number
    party_name_pt: float = 15.0  # "ĐẢNG CỘNG SẢN VIỆT NAM", bold capitals, ruled under
    party_rule_pt: float = 0.75  # thickness of the line under the party name
    place_date_pt: float = 14.0  # italic
    superior_body_pt: float = 14.0  # capitals, regular
    issuing_body_pt: float = 14.0  # capitals, bold
    issuing_mark: str = "*"
    number_pt: float = 14.0
    # title
    doc_type_pt: float = 16.0  # "BÁO CÁO", bold capitals, centred
    doc_type_space_before_pt: float = 18.0
    summary_pt: float = 14.0  # trích yếu, bold, centred
    summary_rule: str = "-----"  # the short dash line under the trích yếu
    # body
    body_pt: float = 14.0
    first_line_indent_mm: float = 10.0
    line_spacing: float = 1.2  # multiple of single spacing
    space_after_pt: float = 6.0
    heading_space_before_pt: float = 6.0
    # tables and charts
    table_pt: float = 13.0
    table_caption_pt: float = 13.0
    table_cell_padding_mm: float = 1.0
    table_border_pt: float = 0.5
    chart_width_mm: float = 160.0
    chart_height_mm: float = 85.0
    chart_caption_pt: float = 13.0
    chart_note_pt: float = 12.0
    # signature and recipients
    signature_pt: float = 14.0  # form, position and name: bold capitals (name bold)
    signing_blank_lines: int = 4
    recipients_width_mm: float = 80.0
    recipients_label: str = "Nơi nhận:"
    recipients_label_pt: float = 12.0  # bold italic
    recipients_pt: float = 11.0
    # draft mark and page numbers
    watermark_pt: float = 13.0  # boxed, bold, top right of every page
    page_number_pt: float = 14.0  # centred at the top from page 2 on
    number_pages: bool = True

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def header_right_width_mm(self) -> float:
        return self.text_width_mm - self.header_left_width_mm

    @property
    def signature_width_mm(self) -> float:
        return self.text_width_mm - self.recipients_width_mm


HD36_2018 = FormatRules(
    source="Hướng dẫn số 36-HD/VPTW, ngày 03/4/2018 của Văn phòng Trung ương Đảng",
    effective_from=date(2018, 4, 3),
)

# effective date → rules in force from that day (the latest one not after the date applies)
FORMAT_RULES: dict[date, FormatRules] = {HD36_2018.effective_from: HD36_2018}


def format_rules_on(on: date | None = None) -> FormatRules:
    """The rules in force on `on`; the latest version when `on` is None.

    A date before the first version gets the first version (older documents are re-issued
    in the oldest known format rather than refused).
    """
    dates = sorted(FORMAT_RULES)
    if on is None:
        return FORMAT_RULES[dates[-1]]
    chosen = dates[0]
    for effective in dates:
        if effective <= on:
            chosen = effective
    return FORMAT_RULES[chosen]


_PLACE_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def document_date(doc: Document) -> date | None:
    """The document's date: metadata["date"] (a date or ISO text), else the place-date line.

    A draft with a blank day ("ngày    tháng 6 năm 2023") gives None.
    """
    value = doc.metadata.get("date") if doc.metadata else None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    match = _PLACE_DATE.search(doc.header.place_date)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def rules_for(doc: Document) -> FormatRules:
    """The format in force on the document's date (the latest when it has no date)."""
    return format_rules_on(document_date(doc))


# --- text measuring (for the line under the party name and the draft box) ---------------
@lru_cache(maxsize=8)
def _font_path(bold: bool, italic: bool) -> str | None:
    for family in ("Liberation Serif", "DejaVu Serif"):
        props = font_manager.FontProperties(
            family=family,
            weight="bold" if bold else "normal",
            style="italic" if italic else "normal",
        )
        try:
            path = font_manager.findfont(props, fallback_to_default=False)
        except ValueError:
            continue
        if Path(path).exists():
            return path
    return None


@lru_cache(maxsize=4096)
def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Printed width of `text` in Liberation Serif (= Times New Roman metrics), in mm.

    Falls back to an average-width estimate when no serif font file can be found. Kept per
    text and size: the header of an organization's documents is measured once per process,
    not at every preview.
    """
    path = _font_path(bold, italic)
    if path is None:
        return len(text) * size_pt * 0.6 * 25.4 / 72
    font = FT2Font(path)
    font.set_size(size_pt, 72)
    font.set_text(text, 0.0)
    width_pt = font.get_width_height()[0] / 64
    return width_pt * 25.4 / 72


# word pairs never split across the two lines of a header block
UNBREAKABLE_PAIRS = frozenset(
    {
        "ĐẢNG BỘ",
        "ĐẢNG ỦY",
        "CHI BỘ",
        "THÀNH PHỐ",
        "THỊ XÃ",
        "THỊ TRẤN",
        "THÀNH ỦY",
        "TỈNH ỦY",
        "QUẬN ỦY",
        "HUYỆN ỦY",
        "THỊ ỦY",
        "BAN THƯỜNG",
        "THƯỜNG VỤ",
        "VĂN PHÒNG",
        "CƠ QUAN",
        "DOANH NGHIỆP",
        "CƠ SỞ",
    }
)


def balanced_lines(text: str, size_pt: float, width_mm: float, *, bold: bool = False) -> list[str]:
    """`text` as printed in a header column: one line when it fits, else two balanced lines.

    Offices break a long body name after the administrative unit and keep the place name
    whole ("ĐẢNG BỘ THÀNH PHỐ" / "SÔNG HỒNG"): a break never splits a pair of
    `UNBREAKABLE_PAIRS`, never leaves one syllable alone, and the first line is at least as
    wide as the second; among those the narrowest first line wins. A text too long for two
    lines wraps naturally after the chosen break.
    """
    words = text.split()
    if len(words) < 2 or text_width_mm(text, size_pt, bold=bold) <= width_mm:
        return [text]
    candidates = []
    for cut in range(1, len(words)):
        first = text_width_mm(" ".join(words[:cut]), size_pt, bold=bold)
        second = text_width_mm(" ".join(words[cut:]), size_pt, bold=bold)
        ok = (
            f"{words[cut - 1]} {words[cut]}".upper() not in UNBREAKABLE_PAIRS
            and cut >= 2
            and len(words) - cut >= 2
            and first >= second
        )
        candidates.append((not ok, max(first, second), cut))
    cut = min(candidates)[2]
    return [" ".join(words[:cut]), " ".join(words[cut:])]
