"""Reading the input of the meetings services: texts, counts, the people and the agenda of a
meeting. Each refusal is an :class:`InvalidInput` naming the field (``people[2].name``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dangbo.core.errors import InvalidInput
from dangbo.meetings.models import ItemKind, MeetingRole
from dangbo.membership.models import Person

PERSON_KEYS = {"role", "person", "name", "titles"}
ITEM_KEYS = {"kind", "title", "presenter"}


def text_input(
    value, field: str, label: str, *, required: bool = False, max_length: int | None = None
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"Trường «{label}» phải là văn bản.", field=field)
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not text:
        raise InvalidInput(f"Trường «{label}» không được để trống.", field=field)
    if max_length and len(text) > max_length:
        raise InvalidInput(f"Trường «{label}» dài quá {max_length} ký tự.", field=field)
    return text


def count_input(value, field: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Trường «{label}» phải là số nguyên.", field=field)
    if value < 0:
        raise InvalidInput(f"Trường «{label}» không được âm.", field=field)
    return value


def people_input(rows: Iterable[Mapping]) -> list[dict]:
    out, seen = [], set()
    for i, row in enumerate(rows, start=1):
        where = f"people[{i}]"
        if not isinstance(row, Mapping):
            raise InvalidInput(f"Đại biểu thứ {i}: cần vai trò, họ tên và chức danh.", field=where)
        unknown = set(row) - PERSON_KEYS
        if unknown:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường không hợp lệ {', '.join(sorted(unknown))}.",
                field=f"{where}.{sorted(unknown)[0]}",
            )
        role = row.get("role")
        if role not in MeetingRole.values:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «vai trò» «{role}» không hợp lệ "
                f"(chọn một trong {', '.join(MeetingRole.values)}).",
                field=f"{where}.role",
            )
        person = row.get("person")
        if person is not None and not isinstance(person, Person):
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «nhân thân» không hợp lệ.", field=f"{where}.person"
            )
        name = text_input(row.get("name"), f"{where}.name", "họ và tên", max_length=120)
        if not name and person is not None:
            name = person.full_name
        if not name:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «họ và tên» không được để trống.", field=f"{where}.name"
            )
        titles = row.get("titles") or []
        if isinstance(titles, str) or not all(isinstance(t, str) for t in titles):
            raise InvalidInput(
                f"Đại biểu thứ {i} ({name}): trường «chức danh» phải là danh sách "
                "các chức danh theo thứ tự.",
                field=f"{where}.titles",
            )
        titles = [" ".join(t.split()) for t in titles if t.strip()]
        key = (role, person.pk if person else name.casefold())
        if key in seen:
            raise InvalidInput(
                f"Đại biểu «{name}» được ghi hai lần với vai trò «{MeetingRole(role).label}».",
                field=f"{where}.name",
            )
        seen.add(key)
        out.append({"role": role, "person": person, "name": name, "titles": titles, "order": i})
    return out


def items_input(rows: Iterable[Mapping]) -> list[dict]:
    out = []
    for i, row in enumerate(rows, start=1):
        where = f"items[{i}]"
        if not isinstance(row, Mapping):
            raise InvalidInput(f"Nội dung thứ {i}: cần loại và tên.", field=where)
        unknown = set(row) - ITEM_KEYS
        if unknown:
            raise InvalidInput(
                f"Nội dung thứ {i}: trường không hợp lệ {', '.join(sorted(unknown))}.",
                field=f"{where}.{sorted(unknown)[0]}",
            )
        kind = row.get("kind")
        if kind not in ItemKind.values:
            raise InvalidInput(
                f"Nội dung thứ {i}: trường «loại» «{kind}» không hợp lệ "
                f"(chọn một trong {', '.join(ItemKind.values)}).",
                field=f"{where}.kind",
            )
        title = text_input(row.get("title"), f"{where}.title", "tên", required=True, max_length=400)
        presenter = text_input(
            row.get("presenter"), f"{where}.presenter", "người, đơn vị trình bày", max_length=200
        )
        out.append({"kind": kind, "title": title, "presenter": presenter, "order": i})
    return out
