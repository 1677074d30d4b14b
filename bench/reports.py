"""Benchmark of the review report on the demo data: build, DOCX, PDF, and all wards in a batch.

Usage (the demo database must exist; `dangbo demo` makes it):

    .venv/bin/python bench/reports.py [--runs 5] [--period 2026-9M]

Baselines in the same run, so the ratios hold on a noisy shared machine:
- DOCX: a plain python-docx document with the same paragraphs and tables (no layout, no charts);
- PDF: LibreOffice converting that plain document (process start-up and conversion).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402

from dangbo.organizations.selectors import org_tree  # noqa: E402
from dangbo.reports.builder import build_review  # noqa: E402
from dangbo.reports.compose import compose_review  # noqa: E402
from dangbo.reports.document import Paragraph, Table  # noqa: E402
from dangbo.reports.render_docx import render_docx  # noqa: E402
from dangbo.reports.render_pdf import docx_to_pdf_many, render_pdf, render_pdf_many  # noqa: E402
from dangbo.reports.services import report_draft  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def plain_docx(doc) -> bytes:
    d = docx.Document()
    for block in doc.body:
        if isinstance(block, Paragraph):
            d.add_paragraph(block.text)
        elif isinstance(block, Table):
            t = d.add_table(rows=len(block.rows), cols=len(block.columns))
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="2026-9M")
    args = parser.parse_args()
    on = __import__("dangbo.core.dates", fromlist=["parse_period"]).parse_period(args.period)[1]
    wards = [n for n in org_tree(on=on) if n.depth == 1]
    if not wards:
        sys.exit("Chưa có dữ liệu mẫu: chạy `dangbo demo` trước.")
    from dangbo.organizations.models import Organization

    orgs = [Organization.objects.get(pk=w.id) for w in wards]
    first = orgs[0]

    def build():
        return compose_review(
            build_review(
                report_draft(org=first, period_code=args.period, actor="bench", save=False)
            )
        )

    t_build, doc = timed(build, args.runs)
    t_docx, _ = timed(lambda: render_docx(doc), args.runs)
    t_plain, plain = timed(lambda: plain_docx(doc), args.runs)
    pdf_runs = max(2, args.runs // 2)
    t_pdf, _ = timed(lambda: render_pdf(doc), pdf_runs)
    t_plain_pdf, _ = timed(lambda: docx_to_pdf_many([plain]), pdf_runs)

    t0 = time.perf_counter()
    docs = [
        compose_review(
            build_review(report_draft(org=o, period_code=args.period, actor="bench", save=False))
        )
        for o in orgs
    ]
    t_batch_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdfs = render_pdf_many(docs)
    t_batch_pdf = time.perf_counter() - t0
    assert len(pdfs) == len(docs) and all(p.startswith(b"%PDF") for p in pdfs)

    print(f"| measure ({wards[0].name}, {args.period}) | median s | baseline s | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| build + compose (SQL figures, monthly series, units) | {t_build:.3f} | | |")
    print(
        f"| DOCX render (target ≤ 0.5 s) | {t_docx:.3f} | {t_plain:.3f} plain python-docx | {t_docx / t_plain:.1f}× |"
    )
    print(
        f"| PDF render incl. DOCX (target ≤ 2 s) | {t_pdf:.3f} | {t_plain_pdf:.3f} LibreOffice on the plain DOCX | {t_pdf / t_plain_pdf:.2f}× |"
    )
    print(f"| all {len(docs)} wards: build + compose | {t_batch_build:.3f} | | |")
    print(
        f"| all {len(docs)} wards: DOCX + PDF in one LibreOffice run | {t_batch_pdf:.3f} | | "
        f"{t_batch_pdf / len(docs):.3f} s per ward |"
    )


if __name__ == "__main__":
    main()
