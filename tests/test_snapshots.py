"""Issued reports render the text they rendered when issued, whatever shape their snapshot has.

``tests/data/snapshot_v1_*.json`` are snapshots of two issued demo-ward reports (a year-end
report with congresses and grading; a six-month report with targets) exactly as the first
snapshot shape (version 1, figures with "42,9%"-style strings) stored them; beside each, the
composed document (``*.document.txt``) and the text of its DOCX (``*.docx.txt``) rendered
from it when it was issued.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import docx
import pytest

from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import ReviewReport
from dangbo.reports.render_docx import render_docx

DATA = Path(__file__).parent / "data"


def _docx_lines(data: bytes) -> str:
    d = docx.Document(BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            lines.append("|".join(c.text for c in row.cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["snapshot_v1_2025", "snapshot_v1_2026H1"])
def test_an_old_snapshot_renders_byte_identical_text(name):
    snapshot = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    assert snapshot["version"] == 1
    doc = compose_review(build_review(ReviewReport(snapshot=snapshot)))
    assert repr(doc) + "\n" == (DATA / f"{name}.document.txt").read_text(encoding="utf-8")
    assert _docx_lines(render_docx(doc)) == (DATA / f"{name}.docx.txt").read_text(encoding="utf-8")
