"""`dangbo stats ORG (--period P | --from D --to D) [--format table|json|xlsx] [--units]
[--out FILE]`.

JSON: ``organization`` (id, code, name) and every canonical key of
:class:`dangbo.statistics.PeriodStatistics` with numbers only — counts as integers; each
share (``*_pct``, ``*_percent``, ``*_ratio``, ``targets_summary``) as a percentage, a
JSON number rounded half up to one decimal (whole when exact: 100, 42.9, 43.0), or null
when its denominator is zero; the counts it is made of are the keys beside it. The table
writes the same figures the Vietnamese way ("42,9%", "5/6").

xlsx (``--out FILE`` required): the workbook of the figures, every figure a number cell.
``--units``: the membership figures of each unit directly below ORG side by side, their
total and ORG's own figures (a note names the columns where they differ), in every format.

A period starting before the organization's opening date (nhập sổ) has no membership
figures: the table says so instead of printing zeros, and the JSON gives
``not_available_before`` (the opening date) with every membership figure null.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dangbo import vn_format as vf
from dangbo.core.dates import parse_date, parse_period
from dangbo.core.errors import InvalidInput
from dangbo.core.management.base import DangboCommand
from dangbo.core.numbers import percentage
from dangbo.figure_labels import (
    BREAKDOWN_LABELS,
    DISCIPLINE_LABELS,
    LABELS,
    breakdowns_caption,
    not_available,
    value_label,
)
from dangbo.figures import FLOWS, INFLOWS, OUTFLOWS, STOCKS, identity_gap
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.compose_congresses import congress_line, own_congress_sentence
from dangbo.reports.units import KEYS, UnitsTable, units_table
from dangbo.reports.xlsx import figures_xlsx, units_xlsx
from dangbo.statistics import PeriodStatistics, period_statistics


class Command(DangboCommand):
    help = "Số liệu đảng viên của một tổ chức đảng (toàn bộ cấp dưới) trong một kỳ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("org", metavar="ORG", help="số hiệu hoặc mã tổ chức")
        parser.add_argument("--period", help="2023, 2023-H1, 2023-H2, 2023-9M, 2023-Q3, 2023-M05")
        parser.add_argument("--from", dest="date_from", help="ngày đầu kỳ")
        parser.add_argument("--to", dest="date_to", help="ngày cuối kỳ")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--out", help="tệp xlsx để ghi (với --format xlsx)")
        parser.add_argument(
            "--units", action="store_true", help="số liệu các đơn vị trực thuộc, cạnh nhau"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["period"] and (opts["date_from"] or opts["date_to"]):
            raise InvalidInput(
                "Dùng --period hoặc --from/--to, không dùng cả hai.", field="--period"
            )
        if opts["period"]:
            start, end = parse_period(opts["period"])
        elif opts["date_from"] and opts["date_to"]:
            start = parse_date(opts["date_from"], field="--from")
            end = parse_date(opts["date_to"], field="--to")
        else:
            raise InvalidInput(
                "Cần chỉ rõ kỳ: --period 2023-H1 hoặc --from D --to D.", field="--period"
            )
        if opts["format"] == "xlsx" and not opts["out"]:
            raise InvalidInput("Cần --out TỆP.xlsx để ghi bảng số liệu.", field="--out")
        org = org_resolve(opts["org"], on=end)
        version = org.version_on(end) or org.version_on(start) or org.latest_version
        _check_period(version.name, org.founded_on, start, end, date.today())
        if opts["units"]:
            self._units(units_table(org, start, end), opts["format"], opts["out"])
            return
        figures = period_statistics(org, start, end)
        if opts["format"] == "xlsx":
            if not figures.membership.available:
                assert figures.membership.not_available_before is not None
                raise InvalidInput(
                    not_available_line(figures.membership.not_available_before), field="--period"
                )
            data = figures_xlsx(figures, org_name=version.name, org_code=version.code)
            self._save(opts["out"], data)
            return
        if opts["format"] == "json":
            out = {
                "organization": {"id": org.pk, "code": version.code, "name": version.name},
                **figures.to_dict(),
            }
            if not figures.membership.available:
                kept = ("from", "to", "not_available_before")
                out.update({k: None for k in figures.membership.to_dict() if k not in kept})
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self._table(figures, version.name, start, end)

    def _save(self, out: str, data: bytes) -> None:
        Path(out).write_bytes(data)
        self.stdout.write(f"Đã ghi {out}.")

    def _units(self, table: UnitsTable, fmt: str, out: str | None) -> None:
        if fmt == "xlsx":
            assert out
            self._save(out, units_xlsx(table))
            return
        if fmt == "json":
            self.stdout.write(json.dumps(units_json(table), ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        w(
            f"{table.name} — các đơn vị trực thuộc, từ {table.start:%d/%m/%Y} đến {table.end:%d/%m/%Y}"
        )
        w("")
        head = "".join(f"{h:>11}" for h, _ in UNIT_TABLE_COLUMNS)
        w(f"{'Đơn vị':<48}{head}")
        cols = [KEYS.index(k) for _, k in UNIT_TABLE_COLUMNS]

        def line(label: str, values: list[int]) -> None:
            w(f"{label[:47]:<48}" + "".join(f"{values[i]:>11}" for i in cols))

        for u in table.units:
            line(u.name, u.values())
        line("Cộng các đơn vị", table.total())
        line(f"Số liệu chung của {table.name}", table.own_values())
        notes = table.notes()
        if notes:
            w("")
        for note in notes:
            w(note)

    def _table(self, figures: PeriodStatistics, name: str, start: date, end: date) -> None:
        f = figures.membership
        w = self.stdout.write
        w(f"{name} — từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")
        w("")
        if f.not_available_before is not None:
            w(not_available_line(f.not_available_before))
            self._other_families(figures, name, end)
            return
        self._membership(figures, start, end)
        self._other_families(figures, name, end)
        self._breakdowns(figures, end)

    def _membership(self, figures: PeriodStatistics, start: date, end: date) -> None:
        f = figures.membership
        w = self.stdout.write
        w(f"{'Chỉ tiêu':<52}{'Đầu kỳ':>11}{'Cuối kỳ':>11}")
        w(
            f"{'':<52}{(start - timedelta(days=1)).strftime('%d/%m/%Y'):>11}{end.strftime('%d/%m/%Y'):>11}"
        )
        for key in STOCKS:
            w(f"{LABELS[key]:<52}{f.count(key + '_start'):>11}{f.count(key + '_end'):>11}")
        w("")
        w(f"{'Biến động trong kỳ':<52}{'Số lượng':>10}")
        for key in FLOWS:
            w(f"{LABELS[key]:<52}{f.count(key):>10}")
        if f.badges_by_milestone:
            w(
                "  Huy hiệu theo mốc: "
                + ", ".join(f"{k} năm: {v}" for k, v in f.badges_by_milestone.items())
            )
        w(f"{LABELS['disciplined_total']:<52}{f.disciplined_total:>10}")
        for form, n in f.disciplined.items():
            if n:
                w(f"  {DISCIPLINE_LABELS[form]:<50}{n:>10}")
        w("")
        ins = " + ".join(f"{f.count(k)}" for k in INFLOWS)
        # the outflows are summed inside the subtracted bracket: a − (b + c), never a − (b − c)
        outs = " + ".join(f"{f.count(k)}" for k in OUTFLOWS)
        gap = identity_gap(f)
        w(
            f"Đối chiếu: {f.members_start} + ({ins}) − ({outs}) = {f.members_end - gap}; "
            f"cuối kỳ {f.members_end} — {'khớp' if gap == 0 else f'LỆCH {gap}'}"
        )

    def _other_families(self, figures: PeriodStatistics, name: str, end: date) -> None:
        w = self.stdout.write
        c = figures.congresses
        if c.congresses_due or c.congresses_held:
            w("")
            w(congress_line(c))
        own = own_congress_sentence(c, name)
        if own:
            w(own)
        d = figures.dues
        if d.dues_member_months:
            w(
                f"Đảng phí: phải thu {vf.money(d.dues_due)}, đã thu {vf.money(d.dues_paid)} "
                f"({vf.percentage_text(percentage(d.dues_paid, d.dues_due))}), còn nợ "
                f"{vf.money(d.dues_arrears)}; {d.dues_exempt_members} đảng viên được miễn"
            )
        g = figures.grading
        if g and (g.members_total or g.base_orgs_total):
            w(
                f"Xếp loại năm {end.year}: tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên "
                f"{vf.ratio(g.base_orgs_good_or_better, g.base_orgs_total)}; đảng viên được xếp loại "
                f"{vf.ratio(g.members_graded, g.members_total)}, "
                f"xuất sắc {g.members_excellent}, tốt {g.members_good}"
            )

    def _breakdowns(self, figures: PeriodStatistics, end: date) -> None:
        w = self.stdout.write
        w("")
        w(breakdowns_caption(end, figures.membership.breakdowns_as_of))
        for dim, values in (figures.membership.breakdowns or {}).items():
            w(
                f"  {BREAKDOWN_LABELS[dim]}: "
                + "; ".join(f"{value_label(dim, k)} {v}" for k, v in values.items())
                if values
                else f"  {BREAKDOWN_LABELS[dim]}: —"
            )


#: The columns of the units' table printed as text: (short header, figure key).
UNIT_TABLE_COLUMNS = (
    ("Đầu kỳ", "members_start"),
    ("Kết nạp", "admitted"),
    ("Đến", "transferred_in"),
    ("Đi", "transferred_out"),
    ("Từ trần", "died"),
    ("Cuối kỳ", "members_end"),
    ("Chính thức", "official_end"),
    ("Dự bị", "probationary_end"),
)


def units_json(table: UnitsTable) -> dict[str, Any]:
    """The units' table with the canonical keys: ``units`` (id, code, name, left_on,
    joined_on and the counts), ``total``, ``own`` and ``differing`` (keys)."""

    def counts(values: list[int]) -> dict[str, int]:
        return dict(zip(KEYS, values, strict=True))

    return {
        "organization": {"id": table.org_id, "code": table.code, "name": table.name},
        "from": table.start.isoformat(),
        "to": table.end.isoformat(),
        "units": [
            {
                "id": u.org_id,
                "code": u.code,
                "name": u.name,
                "left_on": u.left_on.isoformat() if u.left_on else None,
                "joined_on": u.joined_on.isoformat() if u.joined_on else None,
                **counts(u.values()),
            }
            for u in table.units
        ],
        "total": counts(table.total()),
        "own": counts(table.own_values()),
        "differing": table.differing(),
    }


def not_available_line(opened: date) -> str:
    """The sentence in place of the membership figures of a period starting before the
    opening date."""
    return (
        f"{not_available(opened)}: số liệu đảng viên chỉ tính cho kỳ bắt đầu từ ngày "
        f"{opened:%d/%m/%Y} trở đi."
    )


def _check_period(name: str, founded_on: date, start: date, end: date, today: date) -> None:
    """Refuse a period that cannot have figures: reversed, in the future, or wholly before
    the organization was founded (the figures would be zeros that mean nothing)."""
    if start > end:
        raise InvalidInput(
            f"Ngày đầu kỳ {start:%d/%m/%Y} sau ngày cuối kỳ {end:%d/%m/%Y}.", field="--from"
        )
    if start > today:
        raise InvalidInput(
            f"Kỳ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} chưa bắt đầu (hôm nay là "
            f"{today:%d/%m/%Y}); chưa có số liệu.",
            field="--period",
        )
    if end < founded_on:
        raise InvalidInput(
            f"{name} được thành lập ngày {founded_on:%d/%m/%Y}; kỳ từ {start:%d/%m/%Y} đến "
            f"{end:%d/%m/%Y} kết thúc trước khi tổ chức có mặt, nên không có số liệu.",
            field="--period",
        )
