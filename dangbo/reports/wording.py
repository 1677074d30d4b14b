"""An office's report wording settings: versioned per organization, inherited down the tree.

Each setting (:data:`SETTINGS`) is a row of :class:`~dangbo.reports.models.OfficeSetting`
in force from its ``valid_from`` until the next row of the same organization and key.
The wording of a report of an organization on a date takes, for each key, the setting in
force that day of the nearest organization on its path to the root (itself first, as the
tree stood that day); a key no organization set keeps the default of
:class:`dangbo.vn_format.Wording`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.organizations.models import Organization, OrgClosure
from dangbo.reports.models import OfficeSetting
from dangbo.vn_format import DATE_FORMS, DEFAULT_WORDING, MONEY_FORMS, Wording

_YES = {"co": True, "có": True, "true": True, "1": True, "khong": False, "không": False}
_YES |= {"false": False, "0": False}


@dataclass(frozen=True)
class Setting:
    """One wording setting: its key, the Vietnamese label, the values it takes."""

    key: str  # the field of Wording
    label: str
    values: tuple[str, ...]  # as written on the command line; booleans: co / khong

    def parse(self, text: str) -> object:
        """The value for :class:`Wording`; refuse a value the setting does not take."""
        value = text.strip().casefold()
        default = getattr(DEFAULT_WORDING, self.key)
        if isinstance(default, bool):
            if value in _YES:
                return _YES[value]
        elif value in self.values:
            return value
        raise InvalidInput(
            f"Cài đặt «{self.key}» ({self.label}) không nhận giá trị «{text}»; "
            f"dùng một trong: {', '.join(self.values)}.",
            field="value",
        )

    def written(self, value: object) -> str:
        """The value as the command line writes it."""
        if isinstance(value, bool):
            return "co" if value else "khong"
        return str(value)


SETTINGS = {
    s.key: s
    for s in (
        Setting("pad_counts", "viết số nhỏ hai chữ số: «03 đảng viên»", ("co", "khong")),
        Setting("percent_whole", "tỷ lệ phần trăm làm tròn số nguyên: «43%»", ("co", "khong")),
        Setting("date_form", "cách viết ngày: 5/8/2022, 05/8/2022, 05/08/2022", tuple(DATE_FORMS)),
        Setting(
            "money_form",
            "cách viết tiền: chu_so «12.305.000.000 đồng», ty_trieu_dong «12 tỷ 305 triệu "
            "250 nghìn đồng», ty_trieu «12 tỷ 305 triệu đồng»",
            tuple(MONEY_FORMS),
        ),
        Setting("class_list", "liệt kê từng lớp bồi dưỡng trong báo cáo", ("co", "khong")),
    )
}


def setting_of(key: str) -> Setting:
    """The setting named `key`; refuse an unknown key, naming the known ones."""
    setting = SETTINGS.get(key.strip())
    if setting is None:
        raise InvalidInput(
            f"Không có cài đặt «{key}»; các cài đặt: {', '.join(SETTINGS)}.", field="key"
        )
    return setting


@transaction.atomic
def setting_set(
    *,
    org: Organization,
    key: str,
    value: str,
    valid_from: date,
    actor: str,
    decision: str = "",
) -> OfficeSetting:
    """Record that `org` writes `key` as `value` from `valid_from` (a new version; earlier
    ones stay for the reports of their dates). Refused for an unknown key or value, and when
    the organization already has a version of the key from that day."""
    setting = setting_of(key)
    parsed = setting.parse(value)
    if OfficeSetting.objects.filter(org=org, key=setting.key, valid_from=valid_from).exists():
        raise InvalidInput(
            f"Cài đặt «{setting.key}» của tổ chức này đã có một giá trị áp dụng từ ngày "
            f"{valid_from:%d/%m/%Y}; hãy chọn ngày áp dụng khác.",
            field="valid_from",
        )
    row = OfficeSetting.objects.create(
        org=org,
        key=setting.key,
        value=setting.written(parsed),
        valid_from=valid_from,
        decision=decision.strip(),
        set_by=actor,
    )
    audit(
        actor=actor,
        action="office_setting",
        obj=row,
        after={"org": org.pk, "key": row.key, "value": row.value, "from": valid_from.isoformat()},
    )
    return row


def settings_in_force(org: Organization, on: date) -> dict[str, OfficeSetting]:
    """For each key set for `org` or an organization above it, the row in force on `on`
    from the nearest of them (itself first)."""
    depths = dict(
        OrgClosure.objects.filter(descendant=org, valid_from__lte=on, valid_to__gt=on).values_list(
            "ancestor_id", "depth"
        )
    )
    depths.setdefault(org.pk, 0)
    rows = OfficeSetting.objects.filter(org_id__in=list(depths), valid_from__lte=on)
    best: dict[str, OfficeSetting] = {}
    for row in rows:
        current = best.get(row.key)
        rank = (-depths[row.org_id], row.valid_from, row.pk)
        if current is None or rank > (-depths[current.org_id], current.valid_from, current.pk):
            best[row.key] = row
    return best


def wording_on(org: Organization, on: date) -> Wording:
    """The wording of `org`'s documents dated `on` (defaults where nothing is set)."""
    changes = {
        key: SETTINGS[key].parse(row.value)
        for key, row in settings_in_force(org, on).items()
        if key in SETTINGS
    }
    return dataclasses.replace(DEFAULT_WORDING, **changes)  # type: ignore[arg-type]
