"""The office's narrative of a review report: its sections, and reading them from Markdown.

A Markdown file holds the sections under headings (any level). A heading names a section
by its title as the report prints it, with or without its numbering ("1. Công tác chính
trị, tư tưởng", "Công tác chính trị, tư tưởng", "III. Phương hướng, nhiệm vụ"), without
diacritics, by its first words when they name one section only ("Hạn chế", "Dân vận"),
or by its key ("chinh_tri_tu_tuong"). Lines of one paragraph are joined; a blank
line starts a new paragraph. Text before the first heading, an unknown heading and a
section given twice are refused with the line they are on.
"""

from __future__ import annotations

import re

from dangbo.core.errors import InvalidInput
from dangbo.reports.document import Paragraph
from dangbo.vn_format import fold

NARRATIVE_KEYS = {
    "chinh_tri_tu_tuong": "1. Công tác chính trị, tư tưởng",
    "to_chuc_can_bo": "2. Công tác tổ chức, cán bộ, đảng viên (nhận xét thêm)",
    "kiem_tra_giam_sat": "3. Công tác kiểm tra, giám sát, kỷ luật",
    "dan_van": "4. Công tác dân vận; Mặt trận và các đoàn thể",
    "nhiem_vu_chinh_tri": "5. Lãnh đạo thực hiện nhiệm vụ chính trị",
    "han_che": "II. Hạn chế, nguyên nhân",
    "phuong_huong": "III. Phương hướng, nhiệm vụ",
}

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_NUMBERING = re.compile(r"^(?:[IVX]+|\d+|[a-zđ])[.)]\s*", re.IGNORECASE)


def _normal(title: str) -> str:
    """A heading compared without numbering, a trailing remark in brackets, diacritics,
    punctuation or case: "2. Công tác tổ chức, cán bộ, đảng viên (nhận xét thêm)" →
    "cong tac to chuc can bo dang vien"."""
    title = _NUMBERING.sub("", title.strip())
    title = re.sub(r"\s*\([^)]*\)\s*$", "", title)
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title)).split())


_BY_TITLE = {_normal(label): key for key, label in NARRATIVE_KEYS.items()}
_BY_TITLE |= {t.removeprefix("cong tac "): k for t, k in _BY_TITLE.items()}


def section_key(heading: str) -> str | None:
    """The narrative key a heading names, or None: the key itself, the title (see the module
    docstring), or the first words of one title only ("Hạn chế", "Dân vận"; "Công tác"
    alone names several and so none)."""
    text = heading.strip()
    if text in NARRATIVE_KEYS:
        return text
    normal = _normal(text)
    if not normal:
        return None
    if normal in _BY_TITLE:
        return _BY_TITLE[normal]
    found = {k for t, k in _BY_TITLE.items() if t.startswith(normal + " ")}
    return found.pop() if len(found) == 1 else None


def parse_markdown(text: str, *, source: str = "tệp nội dung") -> dict[str, str]:
    """The sections of a Markdown narrative, by key (paragraphs separated by a newline)."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADING.match(line)
        if m:
            key = section_key(m.group(1))
            if key is None:
                raise InvalidInput(
                    f"{source}, dòng {n}: tiêu đề «{m.group(1)}» không ứng với phần nào của báo "
                    f"cáo; các phần: {'; '.join(f'«{t}»' for t in NARRATIVE_KEYS.values())}.",
                    field="narrative",
                )
            if key in sections:
                raise InvalidInput(
                    f"{source}, dòng {n}: phần «{NARRATIVE_KEYS[key]}» đã có ở trên.",
                    field="narrative",
                )
            current = sections[key] = [[]]
            continue
        if not line.strip():
            if current is not None and current[-1]:
                current.append([])
            continue
        if current is None:
            raise InvalidInput(
                f"{source}, dòng {n}: nội dung trước tiêu đề đầu tiên; mỗi phần bắt đầu bằng "
                "một tiêu đề Markdown («## 1. Công tác chính trị, tư tưởng»).",
                field="narrative",
            )
        if line.lstrip().startswith("- ") and current[-1]:
            current.append([])  # a bullet starts its own paragraph
        current[-1].append(line.strip())
    return {
        key: "\n".join(" ".join(p) for p in paragraphs if p) for key, paragraphs in sections.items()
    }


_MARK = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def markup_runs(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """The (text, bold, italic) runs of a line in the editor's markup: ``**bold**`` and
    ``*italic*``. An unclosed mark stays as typed."""
    runs: list[tuple[str, bool, bool]] = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            runs.append((text[at : m.start()], False, False))
        bold = m.group(1) is not None
        runs.append((m.group(1) if bold else m.group(2), bold, not bold))
        at = m.end()
    if at < len(text):
        runs.append((text[at:], False, False))
    return tuple(runs)


def narrative_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a narrative section: one per non-blank line; a line starting with
    "- " is a bullet and keeps its dash, as Party documents print it; ``**bold**`` and
    ``*italic*`` become runs (a line without marks is a plain paragraph)."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        runs = markup_runs(line)
        if len(runs) == 1 and not runs[0][1] and not runs[0][2]:
            out.append(Paragraph(line))
        else:
            out.append(Paragraph("".join(r[0] for r in runs), runs=runs))
    return out
