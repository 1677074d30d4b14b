"""Tables of the DOCX: column widths measured from the content, and the raw table XML.

Widths: a column is never narrower than its longest unbreakable token — a figure
("412,6%", "18.700.000", "7(*)"), a word of a cell, a word of the header ("TT") — measured
in the table's font (bold, the wider face, for every cell), plus the cell margins. The
space left over goes first to the columns whose whole text does not fit on one line, in
proportion to what they lack, then to all columns in proportion to their natural width,
so the table fills the text width. Only when the tokens alone are wider than the page are
the columns scaled down (a token may then wrap: nothing else can be done).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from dangbo.reports.document import Table
from dangbo.reports.layout import text_width_mm

#: Added to every measured width: LibreOffice and Word round widths to twips and kern
#: slightly differently from FreeType; one millimetre keeps a token that just fits on one line.
SLACK_MM = 1.0
#: A column's natural width is capped, so one long text cell does not take the page.
NATURAL_CAP_MM = 90.0


@lru_cache(maxsize=4096)
def _width(text: str, size_pt: float, bold: bool) -> float:
    return text_width_mm(text, size_pt, bold=bold)


def column_needs_mm(
    block: Table, *, size_pt: float, padding_mm: float
) -> list[tuple[float, float]]:
    """(minimum, natural) width of each column, in mm: the longest unbreakable token, and
    the longest whole text (header or cell), each with the cell margins."""
    extra = 2 * padding_mm + SLACK_MM
    out = []
    for i, title in enumerate(block.columns):
        texts = [title] + [row[i] for row in block.rows if i < len(row)]
        tokens = {t for text in texts for t in text.split()}
        least = max((_width(t, size_pt, True) for t in tokens), default=0.0)
        whole = max((_width(" ".join(t.split()), size_pt, True) for t in texts), default=0.0)
        out.append((least + extra, max(least, min(whole, NATURAL_CAP_MM)) + extra))
    return out


def column_widths_mm(
    block: Table, total_mm: float, *, size_pt: float = 13.0, padding_mm: float = 1.0
) -> list[float]:
    """Column widths filling `total_mm` in which no unbreakable token wraps (module doc)."""
    needs = column_needs_mm(block, size_pt=size_pt, padding_mm=padding_mm)
    if not needs:
        return []
    mins = [m for m, _ in needs]
    if sum(mins) >= total_mm:
        return [total_mm * m / sum(mins) for m in mins]
    lack = [n - m for m, n in needs]
    room = total_mm - sum(mins)
    if sum(lack) >= room:
        return [m + room * g / sum(lack) for m, g in zip(mins, lack, strict=True)]
    natural = [n for _, n in needs]
    left = room - sum(lack)
    return [n + left * n / sum(natural) for n in natural]


def table_layout(
    table: Any,
    widths_mm: list[float],
    *,
    borders: bool,
    cell_margin_mm: float,
    border_pt: float = 0.5,
) -> None:
    """Fixed layout with the given column widths, borders on or off, cell margins."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    total = sum(widths_mm)
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:w"), str(twips(total)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    style = tblpr.find(qn("w:tblStyle"))
    if style is not None:
        tblpr.remove(style)
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if borders:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(round(border_pt * 8)))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        edges.append(el)
    tblpr.append(edges)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (
        ("top", 0),
        ("left", cell_margin_mm),
        ("bottom", 0),
        ("right", cell_margin_mm),
    ):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips(value)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    reorder_tblpr(tblpr)
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(twips(w)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


_TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)


def reorder_tblpr(tblpr: Any) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_TBLPR_ORDER)}
    children = sorted(tblpr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        tblpr.remove(child)
        tblpr.append(child)


def cell_borders(cell: Any, *, sz: int) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    width = tcpr.find(qn("w:tcW"))
    if width is not None:
        width.addnext(borders)
    else:
        tcpr.insert(0, borders)


def repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


def cant_split(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)
