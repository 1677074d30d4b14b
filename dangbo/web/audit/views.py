"""The audit log (VIEW_AUDIT): read only, newest first, filtered, a page at a time.

There is no URL that changes a row; the page itself answers only GET and HEAD.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from dangbo.accounts.permissions import Action
from dangbo.accounts.selectors import audit_visible
from dangbo.web.audit.display import action_label, changes
from dangbo.web.audit.selectors import AuditFilters, audit_page
from dangbo.web.decorators import require
from dangbo.web.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Người thực hiện", required=False, max_length=150)
    action = forms.CharField(label="Thao tác", required=False, max_length=60)
    object_type = forms.CharField(label="Loại đối tượng", required=False, max_length=60)
    address = forms.CharField(label="Địa chỉ máy", required=False, max_length=45)
    date_from = forms.DateField(label="Từ ngày", required=False, widget=DateInput())
    date_to = forms.DateField(label="Đến ngày", required=False, widget=DateInput())

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "«Đến ngày» phải sau hoặc bằng «từ ngày».")
        return data


def _mode(before: object, after: object) -> str:
    """ "created" (only an after), "removed" (only a before) or "changed"."""
    if before is None:
        return "created"
    if after is None:
        return "removed"
    return "changed"


@require_safe
@require(Action.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    filters = AuditFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = AuditFilters(
            actor=d["actor"].strip(),
            action=d["action"].strip(),
            object_type=d["object_type"].strip(),
            address=d["address"].strip(),
            date_from=d["date_from"],
            date_to=d["date_to"],
        )
    page = audit_page(audit_visible(request.user), filters, cursor=request.GET.get("sau", ""))
    rows = [
        {
            "e": e,
            "label": action_label(e.action),
            "changes": changes(e.before, e.after),
            "mode": _mode(e.before, e.after),
        }
        for e in page.entries
    ]
    kept: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "sau" and v}
    context = {
        "form": form,
        "rows": rows,
        "first_url": f"?{urlencode(kept)}" if kept else "?",
        "next_url": f"?{urlencode({**kept, 'sau': page.next_cursor})}" if page.next_cursor else "",
        "deeper": bool(request.GET.get("sau")),
    }
    template = "web/audit/_rows.html" if getattr(request, "htmx", False) else "web/audit/list.html"
    return render(request, template, context)
