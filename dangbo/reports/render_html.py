"""Render a composed `Document` as one self-contained HTML page imitating the Party format.

Inline CSS draws an A4 sheet (margins, fonts and sizes from `layout.FormatRules`), the
charts are inline base64 PNG (the same pictures as in the DOCX), and every text is
escaped. Printing the page from a browser gives A4 with the format's margins (@page).
"""

from __future__ import annotations

import base64
import html
import unicodedata
from collections.abc import Callable

from dangbo.reports.charts import chart_png
from dangbo.reports.document import Chart, Document, Heading, Paragraph, Table
from dangbo.reports.layout import FormatRules, balanced_lines, rules_for


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _caps(text: str) -> str:
    return _nfc(_nfc(text).upper())


def _e(text: str) -> str:
    return html.escape(_nfc(text), quote=True)


def render_html(
    doc: Document,
    *,
    rules: FormatRules | None = None,
    draw_chart: Callable[[Chart], str] | None = None,
) -> str:
    """The HTML page of `doc` (a str; encode as UTF-8). `draw_chart` draws a chart as HTML
    instead of the PNG picture (a quicker preview; the data are the same)."""
    rules = rules or rules_for(doc)
    parts: list[str] = []
    if doc.watermark:
        parts.append(f'<div class="draft-mark">{_e(_caps(doc.watermark))}</div>')
    parts.append(_header(doc, rules))
    parts.append(_title(doc, rules))
    parts.append('<div class="body">')
    for block in doc.body:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            text = _caps(block.text) if level == 1 else block.text
            parts.append(f'<h{level + 1} class="heading level-{level}">{_e(text)}</h{level + 1}>')
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{_paragraph(block)}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(draw_chart(block) if draw_chart else _chart(block, rules))
    parts.append("</div>")
    parts.append(_signature(doc, rules))
    title = (doc.metadata or {}).get("title") or " ".join(
        (_caps(doc.header.doc_type), *doc.header.summary)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(str(title))}</title>\n"
        f"<style>{_css(rules)}</style>\n</head>\n<body>\n"
        f'<article class="page">\n' + "\n".join(parts) + "\n</article>\n</body>\n</html>\n"
    )


def _lines(lines: list[str]) -> str:
    return "<br>".join(_e(line) for line in lines)


def _header(doc: Document, r: FormatRules) -> str:
    h = doc.header
    superior = balanced_lines(_caps(h.superior_body), r.superior_body_pt, r.header_left_width_mm)
    issuing = balanced_lines(
        _caps(h.issuing_body), r.issuing_body_pt, r.header_left_width_mm, bold=True
    )
    return (
        '<header class="party-header">'
        '<div class="issuer">'
        f'<div class="superior">{_lines(superior)}</div>'
        f'<div class="issuing">{_lines(issuing)}</div>'
        f'<div class="mark">{_e(r.issuing_mark)}</div>'
        f'<div class="number">{_e(h.number)}</div>'
        "</div>"
        '<div class="party">'
        f'<div class="party-name"><span>{_e(_caps(h.party_name))}</span></div>'
        f'<div class="place-date">{_e(h.place_date)}</div>'
        "</div></header>"
    )


def _title(doc: Document, r: FormatRules) -> str:
    h = doc.header
    lines = "".join(f'<div class="summary">{_e(line)}</div>' for line in h.summary)
    rule = f'<div class="summary-rule">{_e(r.summary_rule)}</div>' if r.summary_rule else ""
    return (
        f'<div class="title"><div class="doc-type">{_e(_caps(h.doc_type))}</div>{lines}{rule}</div>'
    )


def _paragraph(block: Paragraph) -> str:
    runs = block.runs or ((block.text, block.bold, block.italic),)
    out = []
    for text, bold, italic in runs:
        piece = _e(text)
        if italic:
            piece = f"<em>{piece}</em>"
        if bold:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


def _table(block: Table) -> str:
    n = len(block.columns)
    aligns = tuple(block.align) + ("left",) * (n - len(block.align))
    aligns = tuple(a if a in ("left", "center", "right") else "left" for a in aligns)
    head = "".join(f"<th>{_e(c)}</th>" for c in block.columns)
    body = []
    last = len(block.rows) - 1
    for i, row in enumerate(block.rows):
        cls = ' class="total"' if block.total_row and i == last else ""
        cells = "".join(
            f'<td class="{aligns[c]}">{_e(row[c] if c < len(row) else "")}</td>' for c in range(n)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    caption = f"<caption>{_e(block.caption)}</caption>" if block.caption else ""
    return (
        f'<table class="data">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _chart(block: Chart, r: FormatRules) -> str:
    png = base64.b64encode(chart_png(block, rules=r)).decode("ascii")
    alt = _e(block.title or block.kind)
    caption = f"<figcaption>{_e(block.title)}</figcaption>" if block.title else ""
    note = f'<div class="note">{_e(block.note)}</div>' if block.note else ""
    return (
        f'<figure class="chart"><img src="data:image/png;base64,{png}" alt="{alt}">'
        f"{caption}{note}</figure>"
    )


def _signature(doc: Document, r: FormatRules) -> str:
    s = doc.signature
    items = "".join(f"<li>{_e(line)}</li>" for line in s.recipients)
    blanks = '<div class="blank">&nbsp;</div>' * r.signing_blank_lines
    return (
        '<footer class="signature-block">'
        f'<div class="recipients"><div class="label">{_e(r.recipients_label)}</div>'
        f"<ul>{items}</ul></div>"
        '<div class="signer">'
        f'<div class="form">{_e(_caps(s.form))}</div>'
        f'<div class="position">{_e(_caps(s.position))}</div>'
        f"{blanks}"
        f'<div class="name">{_e(s.name)}</div>'
        "</div></footer>"
    )


def _num(value: float) -> str:
    """A CSS length number without a trailing ".0" (20.0 → "20", 7.5 → "7.5")."""
    return f"{value:g}"


def _css(r: FormatRules) -> str:
    fonts = ", ".join(f'"{f}"' for f in r.screen_fonts) + ", serif"
    return f"""
@page {{ size: A4; margin: {_num(r.margin_top_mm)}mm {_num(r.margin_right_mm)}mm {_num(r.margin_bottom_mm)}mm {_num(r.margin_left_mm)}mm; }}
html {{ background: #d9d9d9; }}
body {{ margin: 0; padding: 12mm 0; }}
.page {{ box-sizing: border-box; position: relative; width: {_num(r.page_width_mm)}mm;
  min-height: {_num(r.page_height_mm)}mm; margin: 0 auto; background: #fff; color: #000;
  padding: {_num(r.margin_top_mm)}mm {_num(r.margin_right_mm)}mm {_num(r.margin_bottom_mm)}mm {_num(r.margin_left_mm)}mm;
  box-shadow: 0 1mm 4mm rgba(0,0,0,.35); font-family: {fonts}; font-size: {_num(r.body_pt)}pt;
  line-height: {r.line_spacing}; }}
@media print {{ html {{ background: none; }} body {{ padding: 0; }}
  .page {{ width: auto; min-height: 0; padding: 0; box-shadow: none; }} }}
.draft-mark {{ position: absolute; top: {_num(r.header_distance_mm)}mm; right: {_num(r.margin_right_mm)}mm;
  border: 1pt solid #000; padding: 0 3mm; font-weight: bold; font-size: {_num(r.watermark_pt)}pt;
  line-height: 1.3; }}
.party-header {{ display: flex; justify-content: space-between; align-items: flex-start;
  line-height: 1.15; }}
.party-header .issuer {{ width: {_num(r.header_left_width_mm)}mm; text-align: center; }}
.party-header .party {{ width: {_num(r.header_right_width_mm)}mm; text-align: center; }}
.superior {{ font-size: {_num(r.superior_body_pt)}pt; }}
.issuing {{ font-size: {_num(r.issuing_body_pt)}pt; font-weight: bold; }}
.mark {{ font-size: {_num(r.issuing_body_pt)}pt; }}
.number {{ font-size: {_num(r.number_pt)}pt; }}
.party-name span {{ display: inline-block; font-size: {_num(r.party_name_pt)}pt; font-weight: bold;
  border-bottom: {_num(r.party_rule_pt)}pt solid #000; padding-bottom: 1pt; }}
.place-date {{ font-style: italic; font-size: {_num(r.place_date_pt)}pt; margin-top: 6pt; }}
.title {{ text-align: center; font-weight: bold; line-height: 1.15;
  margin: {_num(r.doc_type_space_before_pt)}pt 0 {_num(2 * r.space_after_pt)}pt; }}
.doc-type {{ font-size: {_num(r.doc_type_pt)}pt; }}
.summary {{ font-size: {_num(r.summary_pt)}pt; }}
.summary-rule {{ font-weight: normal; font-size: {_num(r.summary_pt)}pt; }}
.body p, .body .heading {{ margin: 0 0 {_num(r.space_after_pt)}pt; text-align: justify;
  text-indent: {_num(r.first_line_indent_mm)}mm; font-size: {_num(r.body_pt)}pt; }}
.body .heading {{ margin-top: {_num(r.heading_space_before_pt)}pt; font-weight: bold; }}
.body .level-3 {{ font-style: italic; }}
table.data {{ width: 100%; border-collapse: collapse; font-size: {_num(r.table_pt)}pt;
  line-height: 1.15; margin: {_num(r.space_after_pt)}pt 0 {_num(2 * r.space_after_pt)}pt; }}
table.data caption {{ font-weight: bold; font-size: {_num(r.table_caption_pt)}pt;
  padding-bottom: {_num(r.space_after_pt / 2)}pt; }}
table.data th, table.data td {{ border: {_num(r.table_border_pt)}pt solid #000;
  padding: 0 {_num(r.table_cell_padding_mm)}mm; vertical-align: middle; }}
table.data th {{ font-weight: bold; text-align: center; }}
table.data td.left {{ text-align: left; }} table.data td.center {{ text-align: center; }}
table.data td.right {{ text-align: right; }}
table.data tr.total td {{ font-weight: bold; }}
figure.chart {{ margin: {_num(r.space_after_pt)}pt 0 {_num(2 * r.space_after_pt)}pt; text-align: center; }}
figure.chart img {{ width: {_num(r.chart_width_mm)}mm; max-width: 100%; height: auto; }}
figure.chart figcaption {{ font-weight: bold; font-size: {_num(r.chart_caption_pt)}pt; }}
figure.chart .note {{ font-style: italic; font-size: {_num(r.chart_note_pt)}pt; }}
.signature-block {{ display: flex; justify-content: space-between; align-items: flex-start;
  margin-top: {_num(2 * r.space_after_pt)}pt; line-height: 1.15; page-break-inside: avoid; }}
.recipients {{ width: {_num(r.recipients_width_mm)}mm; }}
.recipients .label {{ font-weight: bold; font-style: italic; font-size: {_num(r.recipients_label_pt)}pt; }}
.recipients ul {{ list-style: none; margin: 0; padding: 0; font-size: {_num(r.recipients_pt)}pt; }}
.signer {{ width: {_num(r.signature_width_mm)}mm; text-align: center; font-size: {_num(r.signature_pt)}pt; }}
.signer .form, .signer .position, .signer .name {{ font-weight: bold; }}
"""
