"""Render a composed `Document` as DOCX bytes in the Party document format (python-docx).

Layout (REPORTS §4, sizes from `layout.FormatRules`):

* page 1 header: a borderless two-column table — left the superior body, the issuing body
  (bold), "*" and the number; right "ĐẢNG CỘNG SẢN VIỆT NAM" ruled under with a line of the
  text's width, then the place and date in italics;
* the document type and the summary centred, bold;
* the body: headings (built-in Heading 1–3 styles restyled, so Word's navigation works),
  justified paragraphs, tables with borders, charts as PNG pictures with a caption;
* the signature block: a borderless two-column table, "Nơi nhận:" left, signature right;
* a draft mark (boxed, top right of every page) when `Document.watermark` is set; page
  numbers centred at the top from page 2.

Output is deterministic: core properties carry a date derived from the document, and the
ZIP is rewritten with fixed entry timestamps, so the same Document gives the same bytes.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import UTC, datetime
from typing import Any

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dangbo.reports.charts import chart_png
from dangbo.reports.document import Chart, Document, Heading, Paragraph, Table
from dangbo.reports.docx_tables import (
    cant_split,
    cell_borders,
    column_widths_mm,
    repeat_header,
    table_layout,
)
from dangbo.reports.layout import (
    FormatRules,
    balanced_lines,
    document_date,
    rules_for,
    text_width_mm,
)

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FALLBACK_DATE = datetime(2000, 1, 1, tzinfo=UTC)
_BLACK = RGBColor(0, 0, 0)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def caps(text: str) -> str:
    """Vietnamese capitals, NFC ("Đảng ủy phường" → "ĐẢNG ỦY PHƯỜNG")."""
    return nfc(nfc(text).upper())


def render_docx(doc: Document, *, rules: FormatRules | None = None) -> bytes:
    """The DOCX bytes of `doc`, laid out with `rules` (the format in force on its date)."""
    rules = rules or rules_for(doc)
    out = _DocxWriter(doc, rules).build()
    return _normalise_zip(out)


class _DocxWriter:
    def __init__(self, doc: Document, rules: FormatRules):
        self.doc = doc
        self.rules = rules
        self.d = docx.Document()
        self.chart_no = 0

    # --- driver -------------------------------------------------------------------------
    def build(self) -> bytes:
        self._setup_document()
        self._setup_page()
        self._header_blocks()
        self._title()
        for block in self.doc.body:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Chart):
                self._chart(block)
            else:  # pragma: no cover - Block is a closed union
                raise TypeError(f"unknown block {type(block).__name__}")
        self._signature()
        buffer = io.BytesIO()
        self.d.save(buffer)
        return buffer.getvalue()

    # --- document-wide settings ---------------------------------------------------------
    def _setup_document(self) -> None:
        r = self.rules
        styles = self.d.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, r.font_name)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:val"), r.language)
        normal = styles["Normal"]
        normal.font.size = Pt(r.body_pt)
        _set_fonts(normal.element.get_or_add_rPr(), r.font_name)
        pf = normal.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = Mm(r.first_line_indent_mm)
        pf.line_spacing = r.line_spacing
        pf.space_before = Pt(0)
        pf.space_after = Pt(r.space_after_pt)
        pf.widow_control = True
        for level in (1, 2, 3):
            style = styles[f"Heading {level}"]
            _set_fonts(style.element.get_or_add_rPr(), r.font_name)
            style.font.size = Pt(r.body_pt)
            style.font.bold = True
            style.font.italic = level == 3
            style.font.color.rgb = _BLACK
            hpf = style.paragraph_format
            hpf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            hpf.first_line_indent = Mm(r.first_line_indent_mm)
            hpf.line_spacing = r.line_spacing
            hpf.space_before = Pt(r.heading_space_before_pt)
            hpf.space_after = Pt(r.space_after_pt)
            hpf.keep_with_next = True
        for name in ("Header", "Footer", "Caption"):
            _set_fonts(styles[name].element.get_or_add_rPr(), r.font_name)
        styles["Caption"].font.color.rgb = _BLACK
        self._core_properties()
        pkg = self.d.part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # the template's picture of an empty page
                pkg.rels.pop(rid)

    def _core_properties(self) -> None:
        meta = self.doc.metadata or {}
        on = document_date(self.doc)
        stamp = datetime(on.year, on.month, on.day, tzinfo=UTC) if on else _FALLBACK_DATE
        cp = self.d.core_properties
        cp.title = nfc(str(meta.get("title", "")))
        cp.subject = nfc(str(meta.get("subject", "")))
        author = nfc(str(meta.get("author") or caps(self.doc.header.issuing_body)))
        cp.author = author
        cp.last_modified_by = author
        cp.keywords = nfc(str(meta.get("keywords", "")))
        cp.comments = ""
        cp.category = nfc(caps(self.doc.header.doc_type))
        cp.language = self.rules.language
        cp.revision = 1
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp

    def _setup_page(self) -> None:
        r = self.rules
        section = self.d.sections[0]
        section.page_width = Mm(r.page_width_mm)
        section.page_height = Mm(r.page_height_mm)
        section.top_margin = Mm(r.margin_top_mm)
        section.bottom_margin = Mm(r.margin_bottom_mm)
        section.left_margin = Mm(r.margin_left_mm)
        section.right_margin = Mm(r.margin_right_mm)
        section.header_distance = Mm(r.header_distance_mm)
        section.footer_distance = Mm(r.footer_distance_mm)
        section.different_first_page_header_footer = True
        self._page_header(section.first_page_header, page_number=False)
        self._page_header(section.header, page_number=r.number_pages)

    def _page_header(self, header: Any, *, page_number: bool) -> None:
        """Page number centred; the draft mark boxed at the right, on one line."""
        r = self.rules
        header.is_linked_to_previous = False
        mark = caps(self.doc.watermark) if self.doc.watermark else ""
        first = header.paragraphs[0]
        if not mark:
            if page_number:
                _tight(first, WD_ALIGN_PARAGRAPH.CENTER)
                _page_field(first, r)
            return
        box = text_width_mm(mark, r.watermark_pt, bold=True) + 6.0
        side = box + 2.0
        middle = r.text_width_mm - 2 * side
        table = header.add_table(rows=1, cols=3, width=Mm(r.text_width_mm))
        table_layout(table, [side, middle, side], borders=False, cell_margin_mm=0)
        left, centre, right = table.rows[0].cells
        _tight(left.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        if page_number:
            _tight(centre.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
            _page_field(centre.paragraphs[0], r)
        else:
            _tight(centre.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
        right.width = Mm(side)
        p = right.paragraphs[0]
        _tight(p, WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, mark, r, r.watermark_pt, bold=True)
        cell_borders(right, sz=8)
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        # the header's own empty paragraph (python-docx creates one) stays, kept tiny
        _tight(first, WD_ALIGN_PARAGRAPH.LEFT)
        first.paragraph_format.line_spacing = Pt(1)
        header._element.remove(first._element)
        header._element.append(first._element)

    # --- page-1 header blocks -----------------------------------------------------------
    def _header_blocks(self) -> None:
        r, h = self.rules, self.doc.header
        table = self.d.add_table(rows=1, cols=2)
        table_layout(
            table,
            [r.header_left_width_mm, r.header_right_width_mm],
            borders=False,
            cell_margin_mm=0,
        )
        left, right = table.rows[0].cells
        p = left.paragraphs[0]
        _tight(p, WD_ALIGN_PARAGRAPH.CENTER)
        _lines(
            p,
            balanced_lines(caps(h.superior_body), r.superior_body_pt, r.header_left_width_mm),
            r,
            r.superior_body_pt,
        )
        p = _tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        _lines(
            p,
            balanced_lines(
                caps(h.issuing_body), r.issuing_body_pt, r.header_left_width_mm, bold=True
            ),
            r,
            r.issuing_body_pt,
            bold=True,
        )
        p = _tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, r.issuing_mark, r, r.issuing_body_pt)
        p = _tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, nfc(h.number), r, r.number_pt)

        party = caps(h.party_name)
        p = right.paragraphs[0]
        _tight(p, WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, party, r, r.party_name_pt, bold=True)
        # the rule under the party name: a bottom border as wide as the text
        width = text_width_mm(party, r.party_name_pt, bold=True) + 1.0
        inset = max((r.header_right_width_mm - width) / 2, 0)
        p.paragraph_format.left_indent = Mm(inset)
        p.paragraph_format.right_indent = Mm(inset)
        _paragraph_border(p, ("bottom",), size_eighths=round(r.party_rule_pt * 8), space_pt=1)
        p = _tight(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_before = Pt(6)
        _run(p, nfc(h.place_date), r, r.place_date_pt, italic=True)

    def _title(self) -> None:
        r, h = self.rules, self.doc.header
        p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_before = Pt(r.doc_type_space_before_pt)
        p.paragraph_format.keep_with_next = True
        _run(p, caps(h.doc_type), r, r.doc_type_pt, bold=True)
        for line in h.summary:
            p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.keep_with_next = True
            _run(p, nfc(line), r, r.summary_pt, bold=True)
        if r.summary_rule:
            p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.space_after = Pt(r.space_after_pt * 2)
            _run(p, r.summary_rule, r, r.summary_pt)

    # --- body -------------------------------------------------------------------------
    def _heading(self, block: Heading) -> None:
        r = self.rules
        level = min(max(block.level, 1), 3)
        text = caps(block.text) if level == 1 else nfc(block.text)
        p = self.d.add_paragraph(style=f"Heading {level}")
        _run(p, text, r, r.body_pt, bold=True, italic=level == 3)

    def _paragraph(self, block: Paragraph) -> None:
        r = self.rules
        p = self.d.add_paragraph()
        runs = block.runs or ((block.text, block.bold, block.italic),)
        for text, bold, italic in runs:
            _run(p, nfc(text), r, r.body_pt, bold=bold, italic=italic)

    def _table(self, block: Table) -> None:
        r = self.rules
        if block.caption:
            p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.space_before = Pt(r.space_after_pt)
            p.paragraph_format.space_after = Pt(r.space_after_pt / 2)
            p.paragraph_format.keep_with_next = True
            _run(p, nfc(block.caption), r, r.table_caption_pt, bold=True)
        n = len(block.columns)
        if n == 0:
            return
        table = self.d.add_table(rows=1 + len(block.rows), cols=n)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_layout(
            table,
            column_widths_mm(
                block, r.text_width_mm, size_pt=r.table_pt, padding_mm=r.table_cell_padding_mm
            ),
            borders=True,
            cell_margin_mm=r.table_cell_padding_mm,
            border_pt=r.table_border_pt,
        )
        aligns = tuple(block.align) + ("left",) * (n - len(block.align))
        header = table.rows[0]
        repeat_header(header)
        for i, title in enumerate(block.columns):
            cell = header.cells[i]
            self._cell_text(cell, title, "center", bold=True)
        last = len(block.rows) - 1
        for ri, row in enumerate(block.rows):
            cells = table.rows[ri + 1].cells
            bold = block.total_row and ri == last
            for ci in range(n):
                value = row[ci] if ci < len(row) else ""
                self._cell_text(cells[ci], value, aligns[ci], bold=bold)
        for row in table.rows:
            cant_split(row)
        self._spacer()

    def _cell_text(self, cell: Any, text: str, align: str, *, bold: bool) -> None:
        r = self.rules
        p = _tight(cell.paragraphs[0], _ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT))
        _run(p, nfc(text), r, r.table_pt, bold=bold)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def _chart(self, block: Chart) -> None:
        r = self.rules
        png = chart_png(block, rules=r)
        p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_before = Pt(r.space_after_pt)
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(png), width=Mm(r.chart_width_mm))
        if block.title:
            p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.keep_with_next = bool(block.note)
            p.paragraph_format.space_after = Pt(0 if block.note else 2 * r.space_after_pt)
            _run(p, nfc(block.title), r, r.chart_caption_pt, bold=True)
        if block.note:
            p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.space_after = Pt(2 * r.space_after_pt)
            _run(p, nfc(block.note), r, r.chart_note_pt, italic=True)

    def _spacer(self) -> None:
        p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.line_spacing = Pt(self.rules.space_after_pt)

    # --- signature block ---------------------------------------------------------------
    def _signature(self) -> None:
        r, s = self.rules, self.doc.signature
        p = _tight(self.d.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.keep_with_next = True
        table = self.d.add_table(rows=1, cols=2)
        table_layout(
            table, [r.recipients_width_mm, r.signature_width_mm], borders=False, cell_margin_mm=0
        )
        cant_split(table.rows[0])
        left, right = table.rows[0].cells
        p = _tight(left.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        _run(p, r.recipients_label, r, r.recipients_label_pt, bold=True, italic=True)
        for line in s.recipients:
            p = _tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT)
            _run(p, nfc(line), r, r.recipients_pt)
        p = _tight(right.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, caps(s.form), r, r.signature_pt, bold=True)
        p = _tight(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, caps(s.position), r, r.signature_pt, bold=True)
        for _ in range(r.signing_blank_lines):
            p = _tight(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
            _run(p, "", r, r.signature_pt)
        p = _tight(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
        _run(p, nfc(s.name), r, r.signature_pt, bold=True)


# --- helpers (python-docx + raw WordprocessingML) ------------------------------------------


def _set_fonts(rpr: Any, name: str) -> None:
    """All four font slots to `name`, dropping theme fonts (which would win in Word)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _run(
    paragraph: Any,
    text: str,
    rules: FormatRules,
    size_pt: float,
    *,
    bold: bool = False,
    italic: bool = False,
) -> Any:
    run = paragraph.add_run(text)
    font = run.font
    font.size = Pt(size_pt)
    font.bold = bold
    font.italic = italic
    _set_fonts(run._element.get_or_add_rPr(), rules.font_name)
    return run


def _lines(
    paragraph: Any, lines: list[str], rules: FormatRules, size_pt: float, *, bold: bool = False
) -> None:
    """Lines of one block in one run, separated by line breaks."""
    run = _run(paragraph, lines[0], rules, size_pt, bold=bold)
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)


def _tight(paragraph: Any, align: Any) -> Any:
    """A paragraph without indent or spacing, single line: for tables and blocks."""
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Mm(0)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return paragraph


def _paragraph_border(paragraph: Any, sides: Any, *, size_eighths: int, space_pt: int) -> None:
    ppr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size_eighths))
        el.set(qn("w:space"), str(space_pt))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # schema order: pBdr comes after keepNext/keepLines/pageBreakBefore/framePr/widowControl
    # and numPr, before shd/tabs/spacing/ind/jc — insert before the first of those present
    successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")
    for tag in successors:
        found = ppr.find(qn(tag))
        if found is not None:
            found.addprevious(borders)
            return
    ppr.append(borders)


def _page_field(paragraph: Any, rules: FormatRules) -> None:
    """A PAGE field (complex field form, understood by Word and LibreOffice)."""
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ):
        run = _run(paragraph, "", rules, rules.page_number_pt)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times and order, so equal input → equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
