"""Forms of the organization pages: the figures' period and the reorganizations.

Forms check the shape of what was typed; the services check the rules. Each reorganization
form gives the arguments of its service (`service_kwargs`) and the decision ordering it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms

from dangbo.core.dates import parse_date, parse_period, today
from dangbo.core.errors import InvalidInput
from dangbo.core.models import IssuerLevel
from dangbo.membership.models import MembershipSpell
from dangbo.organizations import services
from dangbo.organizations.models import Organization, OrgClosure, OrgKind, OrgVersion
from dangbo.organizations.services import DecisionRef
from dangbo.web.forms import DateInput

PERIOD_HELP = "2023, 2023-H1, 2023-H2, 2023-9M, 2023-Q3 hoặc 2023-M05"


def resolve_period(data: Any, founded_on: date) -> tuple[date, date, str]:
    """The period asked for by GET parameters (`period`, or `from` and `to`; default this
    year) as (start, end, code); refuses what `dangbo stats` refuses."""
    period = (data.get("period") or "").strip()
    start_text, end_text = (data.get("from") or "").strip(), (data.get("to") or "").strip()
    if period and (start_text or end_text):
        raise InvalidInput("Chọn kỳ hoặc từ ngày – đến ngày, không chọn cả hai.", field="period")
    if start_text or end_text:
        if not (start_text and end_text):
            raise InvalidInput("Cần cả ngày đầu kỳ và ngày cuối kỳ.", field="from")
        start = parse_date(start_text, field="từ ngày")
        end = parse_date(end_text, field="đến ngày")
        code = ""
    else:
        code = period or str(today().year)
        start, end = parse_period(code)
    if start > end:
        raise InvalidInput(
            f"Ngày đầu kỳ {start:%d/%m/%Y} sau ngày cuối kỳ {end:%d/%m/%Y}.", field="from"
        )
    if start > today():
        raise InvalidInput(
            f"Kỳ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} chưa bắt đầu; chưa có số liệu.",
            field="period",
        )
    if end < founded_on:
        raise InvalidInput(
            f"Tổ chức được thành lập ngày {founded_on:%d/%m/%Y}; kỳ này kết thúc trước đó nên "
            "không có số liệu.",
            field="period",
        )
    return start, end, code


def org_choices(
    org_ids: frozenset[int],
    *,
    on: date,
    cells: bool | None = None,
    exclude: frozenset[int] | set[int] = frozenset(),
) -> list[tuple[str, str]]:
    """(id, "name (code)") of the organizations among `org_ids` alive on `on`, by code;
    `cells`: True only those holding members, False only those that may have children."""
    versions = OrgVersion.objects.filter(
        org_id__in=org_ids, valid_from__lte=on, valid_to__gt=on
    ).select_related("kind")
    out = []
    for v in sorted(versions, key=lambda v: (v.kind.rank, v.code)):
        if v.org_id in exclude:
            continue
        is_cell = v.kind.holds_members
        if cells is True and not is_cell:
            continue
        if cells is False and is_cell and not v.kind.is_base:
            continue
        out.append((str(v.org_id), f"{v.name} ({v.code})"))
    return out


class ReorgForm(forms.Form):
    """The date and the decision every reorganization has."""

    title = ""
    service: Callable[..., Any]

    on = forms.DateField(label="Ngày hiệu lực", widget=DateInput())
    number = forms.CharField(
        label="Số quyết định", required=False, max_length=60, help_text="Ví dụ: 125-QĐ/ĐU"
    )
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", required=False, max_length=200)
    issuer_level = forms.ChoiceField(
        label="Cấp ban hành", choices=IssuerLevel.choices, initial=IssuerLevel.BASE
    )

    def __init__(self, *args: Any, org: Organization, scope: frozenset[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.org = org
        self.scope = scope
        self.version = org.version_on(today()) or org.latest_version
        self.setup()
        # the decision's fields last
        for name in ("number", "issued_on", "issuer", "issuer_level"):
            self.fields[name] = self.fields.pop(name)

    def setup(self) -> None:
        """Add the fields of this reorganization."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("number"):
            if not data.get("issued_on"):
                self.add_error("issued_on", "Cần ngày ban hành của quyết định.")
            if not data.get("issuer"):
                self.add_error("issuer", "Cần cơ quan ban hành quyết định.")
        elif data.get("issued_on") or data.get("issuer"):
            self.add_error("number", "Cần số của quyết định.")
        return data

    def decision(self) -> DecisionRef | None:
        d = self.cleaned_data
        if not d.get("number"):
            return None
        return DecisionRef(d["number"], d["issued_on"], d["issuer"], d["issuer_level"])

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"]}

    def _org(self, name: str) -> Organization:
        return Organization.objects.get(pk=int(self.cleaned_data[name]))


class FoundForm(ReorgForm):
    title = "Thành lập tổ chức trực thuộc"
    service = staticmethod(services.org_found)

    def setup(self) -> None:
        self.fields["name"] = forms.CharField(label="Tên tổ chức", max_length=200)
        self.fields["code"] = forms.CharField(label="Mã tra cứu", max_length=60)
        self.fields["doc_code"] = forms.CharField(
            label="Ký hiệu cơ quan ban hành", max_length=20, required=False
        )
        self.fields["kind"] = forms.ModelChoiceField(
            label="Loại tổ chức", queryset=OrgKind.objects.all(), empty_label=None
        )

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "parent": self.org,
            "kind": d["kind"],
            "name": d["name"],
            "code": d["code"],
            "doc_code": d["doc_code"],
        }


class RenameForm(ReorgForm):
    title = "Đổi tên, mã, loại tổ chức"
    service = staticmethod(services.org_rename)

    def setup(self) -> None:
        v = self.version
        self.fields["name"] = forms.CharField(label="Tên mới", max_length=200, initial=v.name)
        self.fields["code"] = forms.CharField(label="Mã tra cứu", max_length=60, initial=v.code)
        self.fields["doc_code"] = forms.CharField(
            label="Ký hiệu cơ quan ban hành", max_length=20, required=False, initial=v.doc_code
        )
        self.fields["kind"] = forms.ModelChoiceField(
            label="Loại tổ chức",
            queryset=OrgKind.objects.all(),
            initial=v.kind_id,
            empty_label=None,
        )

    def service_kwargs(self) -> dict[str, Any]:
        d, v = self.cleaned_data, self.version
        out: dict[str, Any] = {"on": d["on"], "org": self.org}
        if d["name"].strip() != v.name:
            out["name"] = d["name"]
        if d["code"].strip() != v.code:
            out["code"] = d["code"]
        if d["doc_code"] != v.doc_code:
            out["doc_code"] = d["doc_code"]
        if d["kind"].pk != v.kind_id:
            out["kind"] = d["kind"]
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and len(self.service_kwargs()) == 2:
            self.add_error("name", "Tên, mã và loại tổ chức không có gì thay đổi.")
        return data


class MoveForm(ReorgForm):
    title = "Điều chuyển trực thuộc"
    service = staticmethod(services.org_move)

    def setup(self) -> None:
        now = today()
        below = set(
            OrgClosure.objects.filter(
                ancestor=self.org, valid_from__lte=now, valid_to__gt=now
            ).values_list("descendant_id", flat=True)
        )
        choices = org_choices(
            self.scope, on=now, cells=False, exclude=below | {self.version.parent_id or 0}
        )
        self.fields["parent"] = forms.ChoiceField(label="Trực thuộc tổ chức", choices=choices)

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], "org": self.org, "parent": self._org("parent")}


class MergeForm(ReorgForm):
    title = "Hợp nhất, sáp nhập vào tổ chức khác"
    service = staticmethod(services.org_merge)

    def setup(self) -> None:
        kind = self.version.kind
        cells = True if kind.holds_members and not kind.is_base else None
        choices = org_choices(self.scope, on=today(), cells=cells, exclude={self.org.pk})
        self.fields["into"] = forms.ChoiceField(label="Tổ chức tiếp nhận", choices=choices)

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], "sources": [self.org], "into": self._org("into")}


class DissolveForm(ReorgForm):
    title = "Giải thể, chấm dứt hoạt động"
    service = staticmethod(services.org_dissolve)

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], "org": self.org}


class SplitForm(ReorgForm):
    """One choice per member of the cell and per organization directly under it: where it
    goes. The receiving organizations must exist (found them first)."""

    title = "Chia, tách tổ chức"
    service = staticmethod(services.org_split)

    def setup(self) -> None:
        now = today()
        spells = (
            MembershipSpell.objects.filter(cell=self.org, valid_from__lte=now, valid_to__gt=now)
            .select_related("member__person")
            .order_by("member__person__full_name", "member_id")
        )
        cells = org_choices(self.scope, on=now, cells=True, exclude={self.org.pk})
        keep = [("", "— giữ lại —")]
        for s in spells:
            self.fields[f"member_{s.member_id}"] = forms.ChoiceField(
                label=s.member.person.full_name, choices=keep + cells, required=False
            )
        children = OrgVersion.objects.filter(
            parent=self.org, valid_from__lte=now, valid_to__gt=now
        ).order_by("code")
        for child in children:
            targets = org_choices(
                self.scope, on=now, cells=False, exclude={self.org.pk, child.org_id}
            )
            self.fields[f"child_{child.org_id}"] = forms.ChoiceField(
                label=f"{child.name} ({child.code})", choices=keep + targets, required=False
            )
        self.fields["dissolve_source"] = forms.BooleanField(
            label="Chấm dứt tổ chức được chia", required=False, initial=True
        )

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        members: dict[int, list[int]] = defaultdict(list)
        children: dict[int, list[int]] = defaultdict(list)
        for name, value in d.items():
            if not value or not isinstance(value, str):
                continue
            if name.startswith("member_"):
                members[int(value)].append(int(name.removeprefix("member_")))
            elif name.startswith("child_"):
                children[int(value)].append(int(name.removeprefix("child_")))
        orgs = Organization.objects.in_bulk(
            set(members) | set(children) | {i for ids in children.values() for i in ids}
        )
        parts = [
            {
                "into": orgs[target],
                "members": members.get(target, []),
                "children": [orgs[c] for c in children.get(target, [])],
            }
            for target in sorted(set(members) | set(children))
        ]
        return {
            "on": d["on"],
            "source": self.org,
            "parts": parts,
            "dissolve_source": d["dissolve_source"],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.service_kwargs()["parts"]:
            self.add_error(None, "Chọn tổ chức nhận cho ít nhất một đảng viên hoặc tổ chức.")
        return data


FORMS: dict[str, type[ReorgForm]] = {
    "found": FoundForm,
    "rename": RenameForm,
    "move": MoveForm,
    "merge": MergeForm,
    "split": SplitForm,
    "dissolve": DissolveForm,
}
