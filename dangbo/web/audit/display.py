"""The state before and after of an audit row, as lines a person can read.

`before` and `after` are whatever JSON the service wrote: usually two objects (one may be
missing for a creation or a removal), sometimes a list or a single value. Objects are
compared key by key; anything else is one line without a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: shown for a value that is absent or null
NOTHING = "—"

#: what the commonest actions are called; any other shows its code
ACTION_LABELS = {
    "account_create": "Tạo tài khoản",
    "account_disable": "Khóa tài khoản",
    "account_enable": "Mở khóa tài khoản",
    "role_assign": "Giao vai trò",
    "role_end": "Kết thúc vai trò",
    "password_set": "Đặt mật khẩu",
    "totp_enrol": "Bật xác thực hai bước",
    "totp_remove": "Tắt xác thực hai bước",
    "person_create": "Tạo hồ sơ nhân thân",
    "person_correct": "Sửa thông tin nhân thân ghi sai",
    "event_record": "Ghi sự kiện",
    "event_reverse": "Hủy bỏ sự kiện",
    "candidate_create": "Tạo hồ sơ quần chúng",
    "org_found": "Thành lập tổ chức",
    "org_rename": "Đổi tên tổ chức",
    "org_move": "Chuyển tổ chức",
    "org_merge": "Hợp nhất, sáp nhập tổ chức",
    "org_split": "Chia tách tổ chức",
    "org_dissolve": "Giải thể tổ chức",
    "interchange_import": "Nhập dữ liệu",
    "interchange_export": "Xuất dữ liệu",
    "report_issue": "Ban hành báo cáo",
    "document_issue": "Cấp số văn bản",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


@dataclass(frozen=True)
class Change:
    """One key of the record: its value before and after, and whether it changed."""

    key: str
    before: str
    after: str
    changed: bool


def show(value: Any) -> str:
    """A JSON value as short text: null "—", booleans "có"/"không", lists joined with
    commas, objects as "key: value" pairs."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) if value else "(trống)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items()) if value else "(trống)"
    return str(value)


def changes(before: Any, after: Any) -> list[Change]:
    """The lines of an audit row, keys in the order they first appear (before, then after).

    Both missing: no line. Either side not an object: one line with an empty key.
    """
    if before is None and after is None:
        return []
    if not (isinstance(before, dict | None) and isinstance(after, dict | None)):
        return [Change("", show(before), show(after), before != after)]
    old = before or {}
    new = after or {}
    keys = list(old) + [k for k in new if k not in old]
    return [
        Change(
            key,
            show(old.get(key)) if key in old else NOTHING,
            show(new.get(key)) if key in new else NOTHING,
            old.get(key) != new.get(key) or ((key in old) != (key in new)),
        )
        for key in keys
    ]
