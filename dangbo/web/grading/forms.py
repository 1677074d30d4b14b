"""Forms of the grading pages: the grid of a base organization's members (one row of fields per
member), an organization's grade, withdrawing a recorded grading."""

from __future__ import annotations

from typing import Any

from django import forms

from dangbo.grading.models import NOT_GRADED, NOT_GRADED_LABEL, Grade, NotGradedReason
from dangbo.grading.rules import (
    REASON_FIELDS,
    GradingRuleSet,
    check_member_disciplined,
    check_not_graded_reason,
)
from dangbo.web.forms import DateInput
from dangbo.web.grading.data import GridRow

GRADE_CHOICES = [("", "— chọn —"), *Grade.choices, (NOT_GRADED, NOT_GRADED_LABEL)]
REASON_CHOICES = [("", ""), *NotGradedReason.choices]


def _pct(label: str) -> forms.DecimalField:
    """An optional number from 0 to 100 with two decimals (points, shares of tasks)."""
    return forms.DecimalField(
        label=label, max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )


class GridForm(forms.Form):
    """One row per member to grade: ``grade_<id>``, ``reason_<id>``, ``note_<id>``, for a
    member disciplined in the year ``self_<id>`` (tự giác báo cáo: found and fixed the fault
    themselves) and, on a points scale, ``points_<id>``, ``done_<id>``, ``exceeded_<id>``,
    ``late_<id>``. Members already graded elsewhere this year have no row. A row's reason and
    the discipline rule are checked beside the row's fields; the rest is the service's."""

    graded_on = forms.DateField(label="Ngày đánh giá, xếp loại", widget=DateInput())

    def __init__(
        self, *args: Any, rows: list[GridRow], rs: GradingRuleSet, year: int, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.rows = [r for r in rows if not r.elsewhere]
        self.rs = rs
        self.year = year
        for r in self.rows:
            m = r.member_id
            self.fields[f"grade_{m}"] = forms.ChoiceField(
                label=r.name,
                choices=GRADE_CHOICES,
                initial=NOT_GRADED if r.suggested_reason else "",
            )
            self.fields[f"reason_{m}"] = forms.ChoiceField(
                label="Lý do", choices=REASON_CHOICES, required=False, initial=r.suggested_reason
            )
            self.fields[f"note_{m}"] = forms.CharField(
                label="Ghi chú", max_length=300, required=False
            )
            if r.disciplined:
                self.fields[f"self_{m}"] = forms.BooleanField(
                    label="Tự giác báo cáo", required=False, initial=r.self_reported
                )
            if rs.uses_points:
                self.fields[f"points_{m}"] = _pct("Điểm")
                self.fields[f"done_{m}"] = _pct("% hoàn thành")
                self.fields[f"exceeded_{m}"] = _pct("% vượt")
                if rs.timeliness:
                    self.fields[f"late_{m}"] = _pct("% chậm")
            self.fields[f"grade_{m}"].widget.attrs["class"] = "grade"

    def row_fields(self) -> list[tuple[GridRow, list[forms.BoundField | None]]]:
        """Each row with its bound fields, in the order of the columns (None: a column the
        row has no field in)."""
        names = ["grade", "reason", "note", "self"]
        if self.rs.uses_points:
            names += ["points", "done", "exceeded"] + (["late"] if self.rs.timeliness else [])
        return [
            (
                r,
                [
                    self[f"{n}_{r.member_id}"] if f"{n}_{r.member_id}" in self.fields else None
                    for n in names
                ],
            )
            for r in self.rows
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for r in self.rows:
            m = r.member_id
            grade = data.get(f"grade_{m}")
            if not grade:
                continue
            for v in check_not_graded_reason(
                grade=grade, reason=data.get(f"reason_{m}", ""), note=data.get(f"note_{m}", "")
            ):
                where = REASON_FIELDS.get(v.rule, "reason")
                self.add_error(f"{where}_{m}", v.sentence())
            if r.disciplined and grade != NOT_GRADED:
                for v in check_member_disciplined(
                    self.rs,
                    who=r.name,
                    grade=grade,
                    year=self.year,
                    self_reported=bool(data.get(f"self_{m}")),
                ):
                    self.add_error(f"grade_{m}", f"{v.regulation}: {v.sentence()}")
        return data

    def grades(self) -> list[dict[str, Any]]:
        """The service's `grades` from the cleaned rows."""
        d = self.cleaned_data
        out = []
        for r in self.rows:
            m = r.member_id
            item: dict[str, Any] = {
                "member": m,
                "grade": d[f"grade_{m}"],
                "reason": d.get(f"reason_{m}", "") if d[f"grade_{m}"] == NOT_GRADED else "",
                "note": d.get(f"note_{m}", ""),
                "self_reported": bool(d.get(f"self_{m}")),
            }
            if self.rs.uses_points:
                item["points"] = d.get(f"points_{m}")
                item["tasks_done_pct"] = d.get(f"done_{m}")
                item["tasks_exceeded_pct"] = d.get(f"exceeded_{m}")
                item["tasks_late_pct"] = d.get(f"late_{m}")
            out.append(item)
        return out


class OrgGradeForm(forms.Form):
    grade = forms.ChoiceField(label="Mức xếp loại", choices=[("", "— chọn —"), *Grade.choices])
    exemplary = forms.BooleanField(label="Trong sạch, vững mạnh tiêu biểu", required=False)
    graded_on = forms.DateField(label="Ngày đánh giá, xếp loại", widget=DateInput())
    points = _pct("Điểm")
    tasks_done_pct = _pct("Tỷ lệ nhiệm vụ hoàn thành (%)")
    tasks_exceeded_pct = _pct("Tỷ lệ nhiệm vụ vượt (%)")
    tasks_late_pct = _pct("Tỷ lệ nhiệm vụ chậm tiến độ (%)")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy kết quả", max_length=300)
