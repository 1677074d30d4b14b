"""Renderers of the composed document: DOCX, PDF (via LibreOffice), HTML, charts, layout.

No database. The PDF is converted once for the module (a batch of two renders of the same
document, which also checks that the batch path and determinism hold).
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import struct
import subprocess
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from dangbo.reports import layout, render_pdf
from dangbo.reports.charts import chart_png, number_label
from dangbo.reports.document import Chart, Paragraph, Table
from dangbo.reports.layout import (
    FORMAT_RULES,
    HD36_2018,
    FormatRules,
    balanced_lines,
    document_date,
    format_rules_on,
)
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_html import render_html
from tests.sample_document import (
    BAR_CHART,
    HEADINGS,
    LINE_CHART,
    PARAGRAPHS,
    SIGNATURE,
    SUMMARY,
    TABLE,
    paragraph_text,
    sample_document,
)

# What a reader must find on the page, written out by hand (capitals as printed).
HEADER_LINES = (
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ THÀNH PHỐ",  # the superior body breaks after the unit …
    "SÔNG HỒNG",  # … and keeps the place name whole
    "ĐẢNG ỦY PHƯỜNG HÀNG BỘT",
    "Số 154-BC/ĐU",
    "Sông Hồng, ngày 29 tháng 6 năm 2023",
)
TITLE_LINES = (
    "BÁO CÁO",
    "sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2023,",
    "phương hướng, nhiệm vụ 6 tháng cuối năm 2023",
)
SIGNATURE_LINES = (
    "T/M BAN THƯỜNG VỤ",
    "BÍ THƯ",
    "Phạm Duy Phong",
    "Nơi nhận:",
    "- Ban Thường vụ Thành ủy,",
    "- Ban Tổ chức Thành ủy,",
    "- Các chi bộ trực thuộc,",
    "- Lưu Văn phòng Đảng ủy.",
)
FIGURE_SENTENCE = "314 đảng viên, trong đó 311 đảng viên chính thức, 03 đảng viên dự bị"
A4_MM = (210.0, 297.0)
A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)


def squash(text: str) -> str:
    """NFC, whitespace runs to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def key_strings() -> list[str]:
    texts = [*HEADER_LINES, *TITLE_LINES, *SIGNATURE_LINES, "DỰ THẢO"]
    texts += [h.text for h in HEADINGS]
    texts += [paragraph_text(p) for p in PARAGRAPHS]
    texts += [TABLE.caption, *TABLE.columns, *(cell for row in TABLE.rows for cell in row if cell)]
    texts += [LINE_CHART.title, LINE_CHART.note, BAR_CHART.title]
    return [squash(t) for t in texts]


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def doc():
    return sample_document()


@pytest.fixture(scope="module")
def docx_bytes(doc):
    return render_docx(doc)


@pytest.fixture(scope="module")
def opened(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


@pytest.fixture(scope="module")
def pdfs(doc, tmp_path_factory):
    """One LibreOffice run for the module: the same document twice, as a batch."""
    first, second = render_pdf.render_pdf_many([doc, doc])
    folder = tmp_path_factory.mktemp("pdf")
    paths = []
    for i, data in enumerate((first, second)):
        path = folder / f"report{i}.pdf"
        path.write_bytes(data)
        paths.append(path)
    return paths


def pdftotext(path: Path, *, layout_mode: bool = True, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout_mode:
        args.append("-layout")
    if page:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def all_docx_paragraphs(document) -> list:
    """Body paragraphs and the paragraphs inside tables, in document order."""
    out = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(docx.text.paragraph.Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    out.extend(cell.paragraphs)
    return out


def find_paragraph(document, text: str):
    matches = [p for p in all_docx_paragraphs(document) if squash(p.text) == squash(text)]
    assert matches, f"no paragraph reads {text!r}"
    return matches[0]


def header_texts(document) -> str:
    section = document.sections[0]
    parts = []
    for header in (section.first_page_header, section.header):
        for table in header.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        parts += [p.text for p in header.paragraphs]
    return squash(" ".join(parts))


# --- layout (the format as a versioned setting) -----------------------------------------
def test_the_2018_guidance_sets_a4_and_the_party_margins():
    rules = format_rules_on(date(2023, 6, 29))
    assert rules is HD36_2018
    assert (rules.page_width_mm, rules.page_height_mm) == A4_MM
    assert (
        rules.margin_top_mm,
        rules.margin_bottom_mm,
        rules.margin_left_mm,
        rules.margin_right_mm,
    ) == (20, 20, 30, 15)
    assert rules.font_name == "Times New Roman" and rules.body_pt == 14
    assert rules.text_width_mm == 165


def test_a_later_format_version_applies_from_its_effective_date(monkeypatch):
    newer = dataclasses.replace(
        HD36_2018, source="Hướng dẫn mới", effective_from=date(2026, 1, 9), margin_left_mm=35
    )
    monkeypatch.setitem(FORMAT_RULES, newer.effective_from, newer)
    assert format_rules_on(date(2026, 1, 8)) is HD36_2018
    assert format_rules_on(date(2026, 1, 9)) is newer
    assert format_rules_on(None) is newer
    assert format_rules_on(date(2010, 1, 1)) is HD36_2018  # before the first: the first


def test_document_date_comes_from_metadata_or_the_place_date_line(doc):
    assert document_date(doc) == date(2023, 6, 29)
    dated = dataclasses.replace(doc, metadata={"date": "2023-07-01"})
    assert document_date(dated) == date(2023, 7, 1)
    draft = dataclasses.replace(
        doc,
        header=dataclasses.replace(doc.header, place_date="Sông Hồng, ngày     tháng 6 năm 2023"),
    )
    assert document_date(draft) is None


@pytest.mark.parametrize(
    ("text", "bold", "expected"),
    [
        ("ĐẢNG BỘ THÀNH PHỐ SÔNG HỒNG", False, ["ĐẢNG BỘ THÀNH PHỐ", "SÔNG HỒNG"]),
        ("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH", False, ["ĐẢNG BỘ THÀNH PHỐ", "HỒ CHÍ MINH"]),
        ("ĐẢNG BỘ TỈNH QUẢNG NINH", False, ["ĐẢNG BỘ TỈNH QUẢNG NINH"]),
        ("ĐẢNG ỦY PHƯỜNG HÀNG BỘT", True, ["ĐẢNG ỦY PHƯỜNG HÀNG BỘT"]),
    ],
)
def test_long_body_names_break_into_two_lines_the_way_offices_write_them(text, bold, expected):
    assert balanced_lines(text, 14, HD36_2018.header_left_width_mm, bold=bold) == expected


# --- charts ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "label"),
    [
        (314.0, "314"),
        (79.7, "79,7"),
        (1234.5, "1.234,5"),
        (62.5, "62,5"),
        (0.25, "0,3"),
        (18700000.0, "18.700.000"),
        (0.0, "0"),
    ],
)
def test_chart_labels_use_the_vietnamese_number_format(value, label):
    assert number_label(value) == label


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(
    "chart", [LINE_CHART, BAR_CHART, dataclasses.replace(BAR_CHART, kind="barh")]
)
def test_charts_are_deterministic_pngs_as_wide_as_the_text(chart):
    first, second = chart_png(chart, dpi=100), chart_png(chart, dpi=100)
    assert first == second
    width, height = png_size(first)
    assert width == round(160 / 25.4 * 100)  # 16 cm at 100 dpi
    assert 0 < height < width
    assert b"Software" not in first and b"matplotlib" not in first.lower()


def test_chart_text_is_drawn_in_a_font_with_vietnamese_glyphs():
    from matplotlib import font_manager

    path = font_manager.findfont(
        font_manager.FontProperties(family="Liberation Serif"), fallback_to_default=False
    )
    assert "LiberationSerif" in Path(path).name


def test_charts_refuse_an_unknown_kind_or_misaligned_series():
    with pytest.raises(ValueError, match="Loại biểu đồ"):
        chart_png(dataclasses.replace(LINE_CHART, kind="pie"))
    with pytest.raises(ValueError, match="giá trị"):
        chart_png(dataclasses.replace(LINE_CHART, series=(("Đảng viên", (1.0, 2.0)),)))


# --- DOCX -----------------------------------------------------------------------------------
def test_docx_has_the_party_header_blocks_side_by_side(opened):
    header = opened.tables[0]
    left, right = header.rows[0].cells
    assert squash(left.text) == "ĐẢNG BỘ THÀNH PHỐ SÔNG HỒNG ĐẢNG ỦY PHƯỜNG HÀNG BỘT * Số 154-BC/ĐU"
    assert squash(right.text) == "ĐẢNG CỘNG SẢN VIỆT NAM Sông Hồng, ngày 29 tháng 6 năm 2023"
    superior, issuing = left.paragraphs[0].runs[0], left.paragraphs[1].runs[0]
    assert superior.font.size == Pt(14) and not superior.font.bold
    assert issuing.font.size == Pt(14) and issuing.font.bold
    party = right.paragraphs[0]
    assert party.runs[0].font.size == Pt(15) and party.runs[0].font.bold
    assert party.runs[0].font.name == "Times New Roman"
    assert party._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None  # the rule under it
    place = right.paragraphs[1].runs[0]
    assert place.font.italic and place.font.size == Pt(14)
    # no borders on the header table
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}


def test_docx_has_the_centred_type_and_summary(opened):
    kind = find_paragraph(opened, "BÁO CÁO")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert kind.runs[0].font.size == Pt(16) and kind.runs[0].font.bold
    for line in SUMMARY:
        p = find_paragraph(opened, line)
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.runs[0].font.bold


def test_docx_has_every_heading_and_paragraph_in_order(opened):
    texts = [squash(p.text) for p in opened.paragraphs if p.text.strip()]
    expected = [squash(h.text) for h in HEADINGS] + [squash(paragraph_text(p)) for p in PARAGRAPHS]
    for text in expected:
        assert text in texts
    order = [
        texts.index(squash(t))
        for t in (
            HEADINGS[0].text,
            PARAGRAPHS[0].text,
            HEADINGS[2].text,
            HEADINGS[3].text,
            PARAGRAPHS[4].text,
        )
    ]
    assert order == sorted(order)
    assert any(FIGURE_SENTENCE in t for t in texts)


def test_docx_body_is_14pt_justified_and_headings_follow_the_levels(opened):
    body = find_paragraph(opened, PARAGRAPHS[0].text)
    assert all(run.font.size == Pt(14) for run in body.runs)
    style = opened.styles["Normal"]
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert style.paragraph_format.first_line_indent.mm == pytest.approx(10, abs=0.1)
    h1, h2, h3 = (find_paragraph(opened, HEADINGS[i].text) for i in (0, 1, 2))
    assert h1.runs[0].text.isupper() and h1.runs[0].font.bold and not h1.runs[0].font.italic
    assert h2.runs[0].font.bold and not h2.runs[0].font.italic
    assert h3.runs[0].font.bold and h3.runs[0].font.italic
    assert h1.style.name == "Heading 1" and h3.style.name == "Heading 3"
    mixed = find_paragraph(opened, paragraph_text(PARAGRAPHS[2]))
    assert [(r.font.bold, r.font.italic) for r in mixed.runs] == [
        (True, False),
        (False, False),
        (False, True),
    ]


def test_docx_table_has_borders_a_bold_header_and_a_bold_total(opened):
    table = opened.tables[1]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == list(TABLE.columns)
    assert cells[1:] == [list(row) for row in TABLE.rows]
    assert all(r.font.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    assert all(r.font.bold for c in table.rows[-1].cells for r in c.paragraphs[0].runs)
    assert not any(r.font.bold for c in table.rows[1].cells for r in c.paragraphs[0].runs)
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"single"}
    assert table.rows[1].cells[1].paragraphs[0].runs[0].font.size == Pt(13)
    find_paragraph(opened, TABLE.caption)


def test_docx_has_the_two_charts_as_pictures_with_captions(opened, docx_bytes):
    assert len(opened.inline_shapes) == 2
    for shape in opened.inline_shapes:
        assert shape.width.mm == pytest.approx(160, abs=0.5)
    media = [
        n for n in zipfile.ZipFile(io.BytesIO(docx_bytes)).namelist() if n.startswith("word/media/")
    ]
    assert len(media) == 2 and all(n.endswith(".png") for n in media)
    for text in (LINE_CHART.title, LINE_CHART.note, BAR_CHART.title):
        find_paragraph(opened, text)
    assert find_paragraph(opened, LINE_CHART.note).runs[0].font.italic


def test_docx_has_the_signature_right_and_recipients_left(opened):
    sign = opened.tables[-1]
    left, right = sign.rows[0].cells
    right_lines = [p.text for p in right.paragraphs]
    assert right_lines[0] == "T/M BAN THƯỜNG VỤ" and right_lines[1] == "BÍ THƯ"
    assert right_lines[-1] == SIGNATURE.name
    assert right_lines[2:-1] == [""] * 4  # room to sign
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right.paragraphs)
    assert right.paragraphs[-1].runs[0].font.bold
    left_lines = [p.text for p in left.paragraphs]
    assert left_lines == ["Nơi nhận:", *SIGNATURE.recipients]
    label = left.paragraphs[0].runs[0]
    assert label.font.bold and label.font.italic and label.font.size == Pt(12)
    assert left.paragraphs[1].runs[0].font.size == Pt(11)


def test_docx_page_is_a4_with_the_format_margins(opened):
    section = opened.sections[0]
    rules = HD36_2018
    got = (
        section.page_width.mm,
        section.page_height.mm,
        section.top_margin.mm,
        section.bottom_margin.mm,
        section.left_margin.mm,
        section.right_margin.mm,
    )
    want = (
        *A4_MM,
        rules.margin_top_mm,
        rules.margin_bottom_mm,
        rules.margin_left_mm,
        rules.margin_right_mm,
    )
    assert got == pytest.approx(want, abs=0.1)


def test_docx_marks_a_draft_on_every_page_and_not_an_issued_document(opened, doc):
    assert "DỰ THẢO" in header_texts(opened)
    section = opened.sections[0]
    assert "DỰ THẢO" in squash(
        " ".join(
            c.text for t in section.first_page_header.tables for row in t.rows for c in row.cells
        )
    )
    issued = docx.Document(io.BytesIO(render_docx(dataclasses.replace(doc, watermark=""))))
    assert "DỰ THẢO" not in header_texts(issued)


def test_docx_properties_come_from_metadata_with_a_fixed_date(opened):
    props = opened.core_properties
    assert props.title == "Báo cáo sơ kết 6 tháng đầu năm 2023"
    assert props.subject == "Công tác xây dựng Đảng 6 tháng đầu năm 2023"
    assert props.created.date() == date(2023, 6, 29) == props.modified.date()


def test_two_docx_renders_of_one_document_are_identical(doc, docx_bytes):
    again = render_docx(doc)
    assert again == docx_bytes  # byte-identical, so the text is identical too


def test_docx_keeps_vietnamese_text_exactly_in_nfc(doc):
    decomposed = unicodedata.normalize("NFD", "Kết nạp 05 đảng viên, đạt 62,5% chỉ tiêu")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    variant = dataclasses.replace(doc, body=(Paragraph(decomposed),))
    opened = docx.Document(io.BytesIO(render_docx(variant)))
    texts = [p.text for p in opened.paragraphs]
    assert "Kết nạp 05 đảng viên, đạt 62,5% chỉ tiêu" in texts
    xml = zipfile.ZipFile(io.BytesIO(render_docx(variant))).read("word/document.xml").decode()
    assert unicodedata.normalize("NFC", xml) == xml


# --- PDF ------------------------------------------------------------------------------------
def test_pdf_says_what_the_document_says_with_correct_diacritics(pdfs):
    text = squash(pdftotext(pdfs[0]))
    missing = [s for s in key_strings() if s not in text]
    assert not missing
    assert FIGURE_SENTENCE in text
    # reading order: header, title, body, signature
    positions = [
        text.index(s)
        for s in (
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "BÁO CÁO",
            "I. KẾT QUẢ THỰC HIỆN",
            "III. PHƯƠNG HƯỚNG",
            "T/M BAN THƯỜNG VỤ",
            "Phạm Duy Phong",
        )
    ]
    assert positions == sorted(positions)


def test_pdf_page_one_has_the_header_columns_side_by_side(pdfs):
    lines = pdftotext(pdfs[0], page=1).splitlines()
    party_line = next(line for line in lines if "ĐẢNG CỘNG SẢN VIỆT NAM" in line)
    assert "ĐẢNG BỘ THÀNH PHỐ" in party_line
    assert party_line.index("ĐẢNG BỘ THÀNH PHỐ") < party_line.index("ĐẢNG CỘNG SẢN VIỆT NAM")
    first_page = squash("\n".join(lines))
    for text in (*HEADER_LINES, *TITLE_LINES):
        assert text in first_page
    sign_line = next(line for line in pdftotext(pdfs[0]).splitlines() if "Nơi nhận:" in line)
    assert "T/M BAN THƯỜNG VỤ" in sign_line  # recipients left, signature right, same row
    assert sign_line.index("Nơi nhận:") < sign_line.index("T/M BAN THƯỜNG VỤ")


def test_pdf_pages_are_a4_and_fonts_are_embedded(pdfs):
    info = subprocess.run(
        ["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True
    ).stdout
    width, height = (
        float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    )
    assert (width, height) == pytest.approx(A4_PT, abs=1)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2
    fonts = subprocess.run(
        ["pdffonts", str(pdfs[0])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for row in fonts:
        assert row.split()[-5] == "yes", row  # the "emb" column
    assert any("LiberationSerif" in row or "TimesNewRoman" in row for row in fonts)


def test_two_pdf_renders_of_one_document_read_the_same(pdfs):
    assert pdfs[0].read_bytes()[:5] == b"%PDF-" == pdfs[1].read_bytes()[:5]
    assert pdftotext(pdfs[0]) == pdftotext(pdfs[1])


def test_pdf_conversion_without_libreoffice_says_so_in_vietnamese(doc, monkeypatch):
    monkeypatch.setattr(render_pdf, "SOFFICE_CANDIDATES", ("khong-co-soffice",))
    monkeypatch.delenv("DANGBO_SOFFICE", raising=False)
    with pytest.raises(render_pdf.PdfConversionError, match="Không tìm thấy LibreOffice"):
        render_pdf.render_pdf(doc)
    assert render_pdf.render_pdf_many([]) == []


# --- HTML -----------------------------------------------------------------------------------
def test_html_contains_every_text_of_the_document(doc):
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    text = squash(re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1]))
    for s in key_strings():
        if s == squash(paragraph_text(PARAGRAPHS[2])):
            for run_text, _bold, _italic in PARAGRAPHS[2].runs:
                assert squash(run_text) in text
        else:
            assert s in text, s


def test_html_is_self_contained_with_inline_charts(doc):
    page = render_html(doc)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2
    assert png_size(base64.b64decode(images[0]))[0] > 0
    assert "<link" not in page and 'src="http' not in page and "<script" not in page
    assert "size: A4" in page and "Times New Roman" in page


def test_html_escapes_text(doc):
    hostile = dataclasses.replace(
        doc,
        body=(
            Paragraph('Chỉ tiêu <b>vượt</b> & "đạt"'),
            Table(
                caption="<i>Bảng</i>",
                columns=("A", "B"),
                rows=(("<script>alert(1)</script>", "1"),),
            ),
            Chart(kind="bar", title='Biểu đồ "x" <y>', labels=("a",), series=(("s", (1.0,)),)),
        ),
    )
    page = render_html(hostile)
    assert "Chỉ tiêu &lt;b&gt;vượt&lt;/b&gt; &amp; &quot;đạt&quot;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;i&gt;Bảng&lt;/i&gt;" in page
    assert 'alt="Biểu đồ &quot;x&quot; &lt;y&gt;"' in page


def test_html_shows_the_draft_mark_only_on_drafts(doc):
    assert "DỰ THẢO" in render_html(doc)
    assert "DỰ THẢO" not in render_html(dataclasses.replace(doc, watermark=""))


def test_renderers_accept_explicit_rules(doc):
    wide = dataclasses.replace(HD36_2018, margin_left_mm=35)
    assert isinstance(wide, FormatRules)
    opened = docx.Document(io.BytesIO(render_docx(doc, rules=wide)))
    assert opened.sections[0].left_margin.mm == pytest.approx(35, abs=0.1)
    page = render_html(doc, rules=wide)
    assert "20mm 15mm 20mm 35mm" in page and "30mm" not in page
    assert layout.rules_for(doc) is HD36_2018
