"""The composed document: what every renderer (DOCX, PDF, HTML) draws, and nothing else.

The composer (:mod:`dangbo.reports.compose`) turns a frozen report object into this tree of
plain blocks with the Vietnamese text already written; renderers only lay it out in the
Party document format (REPORTS §4), so the DOCX, the PDF and the HTML say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Header:
    """Page-1 header blocks of a Party document (Hướng dẫn 36-HD/VPTW)."""

    superior_body: str  # "ĐẢNG BỘ THÀNH PHỐ SÔNG HỒNG" (written in capitals by the renderer)
    issuing_body: str  # "ĐẢNG ỦY PHƯỜNG HÀNG BỘT"
    number: str  # "Số 154-BC/ĐU"; a draft has a blank number "Số      -BC/ĐU"
    place_date: str  # "Sông Hồng, ngày 29 tháng 6 năm 2023"
    doc_type: str  # "BÁO CÁO"
    summary: tuple[str, ...]  # trích yếu lines, bold, centred
    party_name: str = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Heading:
    text: str  # "I. KẾT QUẢ THỰC HIỆN" / "1. Công tác chính trị, tư tưởng"
    level: int  # 1 = part (capitals, bold), 2 = section (bold), 3 = subsection (bold italic)


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    bold: bool = False
    # runs: optional (text, bold, italic) pieces when a paragraph mixes styles
    runs: tuple[tuple[str, bool, bool], ...] = ()


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # per column: "left" | "center" | "right"
    align: tuple[str, ...] = ()
    total_row: bool = False  # last row is a total (bold)


@dataclass(frozen=True)
class Chart:
    """A picture: the renderer draws it (matplotlib) from the series, the same in every format."""

    kind: str  # "line" | "bar" | "barh"
    title: str
    labels: tuple[str, ...]  # x-axis labels (or category names for barh)
    series: tuple[tuple[str, tuple[float, ...]], ...]  # (legend name, values aligned with labels)
    y_label: str = ""
    note: str = ""  # source line under the picture, italic


@dataclass(frozen=True)
class Signature:
    """Right: "T/M BAN THƯỜNG VỤ" / "BÍ THƯ" / name. Left: "Nơi nhận:" and the list."""

    form: str  # "T/M BAN THƯỜNG VỤ", "T/M ĐẢNG ỦY", "K/T BÍ THƯ"
    position: str  # "BÍ THƯ", "PHÓ BÍ THƯ"
    name: str
    recipients: tuple[str, ...]  # "- Ban Thường vụ Thành ủy,", … "- Lưu Văn phòng Đảng ủy."


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Document:
    header: Header
    body: tuple[Block, ...]
    signature: Signature
    watermark: str = ""  # "DỰ THẢO" on drafts
    metadata: dict[str, str] = field(default_factory=dict)  # title, subject for the file properties
