"""Reading an interchange file: lines into records, field values, refs between records.

:class:`Reader` parses the lines and collects every problem as a :class:`LineError`;
:class:`Checker` resolves refs (``org-3`` → the third organization of the file) and runs
each app's checks, which report through :meth:`Checker.err` and
:meth:`Checker.violation` (a rule the services also check: the error carries its rule
code and regulation).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from dangbo.core.dates import EARLIEST, FOREVER, LATEST, in_range
from dangbo.core.errors import InvalidInput, Violation
from dangbo.core.text import nfc, text_problem
from dangbo.interchange.schema import (
    FORMAT,
    HEADER_TYPE,
    SMALL_MAX,
    Field,
    RecordType,
    Registry,
    Say,
    dotted,
)

KIND_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
#: How deep objects and lists may nest in a line (the format needs 4).
MAX_DEPTH = 12


def clean_text(value: Any, path: str, problems: list[tuple[str, str]], depth: int = 0) -> Any:
    """`value` with every string (and key) in NFC; NUL, lone surrogates and nesting deeper
    than MAX_DEPTH are added to `problems` as (field, message)."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            problems.append((path, problem))
            return value
        return nfc(value)
    if isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            problems.append((path, f"lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)."))
            return value
        if isinstance(value, list):
            return [
                clean_text(item, f"{path}[{i}]", problems, depth + 1)
                for i, item in enumerate(value, start=1)
            ]
        out = {}
        for key, item in value.items():
            name = key if key.isascii() and "\x00" not in key else clean_text(key, path, problems)
            if isinstance(item, str) and item.isascii() and "\x00" not in item:
                out[name] = item  # most values: nothing to normalise
            else:
                out[name] = clean_text(
                    item, f"{path}.{name}" if path else name, problems, depth + 1
                )
        return out
    return value


def _brackets(text: str) -> int:
    """How many objects and lists a line opens (at least its deepest nesting)."""
    return text.count("{") + text.count("[")


@dataclass(frozen=True)
class LineError:
    """One problem of an import file: line number (1-based), field (may be empty), message.

    An error for a rule the services also check carries that rule's code and the
    regulation it cites (its message then starts with the regulation); other errors leave
    both empty.
    """

    line: int
    field: str
    message: str
    rule: str = ""
    regulation: str = ""

    def __str__(self) -> str:
        if self.field:
            return f"Dòng {self.line}, trường «{self.field}»: {self.message}"
        return f"Dòng {self.line}: {self.message}"


class InterchangeInvalid(InvalidInput):
    """The file has errors; nothing was written. `errors` lists them in line order."""

    code = "tep_trao_doi_khong_hop_le"

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__(
            f"Tệp có {len(self.errors)} lỗi; không có dữ liệu nào được ghi.", code=self.code
        )

    @property
    def rules(self) -> list[str]:
        """The codes of the broken rules the services also check, in line order."""
        return [e.rule for e in self.errors if e.rule]


class Rec:
    """One record line of the file: its type, line number, ref, values and ordinal."""

    __slots__ = ("type", "line", "ref", "v", "idx", "bad", "defaults")

    def __init__(self, rt: RecordType, line: int, ref: str, values: dict, idx: int):
        self.type, self.line, self.ref, self.v, self.idx = rt.name, line, ref, values, idx
        self.bad = False
        self.defaults = rt.defaults

    def get(self, name: str) -> Any:
        if name in self.v:
            return self.v[name]
        return self.defaults[name]


#: A value that could not be read (its error is already reported).
BAD: Any = object()


class Reader:
    """Parses lines into :class:`Rec` rows and collects :class:`LineError` rows."""

    def __init__(self, registry: Registry, progress: Say | None, every: int):
        self.types = registry.types
        self.errors: list[LineError] = []
        self.recs: dict[str, list[Rec]] = {name: [] for name in self.types}
        self.by_ref: dict[str, Rec] = {}
        self.progress, self.every = progress, max(every, 1)
        self.lines = 0
        self.header_seen = False
        self.first_line: int | None = None  # first line that is not blank
        self.dates: dict[str, date] = {}  # shared date objects: large files repeat dates a lot

    def err(self, line: int, field: str, message: str) -> None:
        self.errors.append(LineError(line, field, message))

    # -- lines

    def read(self, lines: Iterable[bytes | str]) -> None:
        for number, raw in enumerate(lines, start=1):
            self.lines = number
            if self.progress and number % self.every == 0:
                self.progress(f"Đã đọc {dotted(number)} dòng")
            if isinstance(raw, bytes):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    self.err(number, "", "không phải văn bản UTF-8 hợp lệ.")
                    continue
            else:
                text = raw
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            if self.first_line is None:
                self.first_line = number
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                self.err(number, "", f"không phải JSON hợp lệ (sai cú pháp ở cột {exc.colno}).")
                continue
            except ValueError:  # an integer of thousands of digits
                self.err(number, "", "có số quá lớn.")
                continue
            except RecursionError:
                self.err(number, "", f"lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp).")
                continue
            if not isinstance(obj, dict):
                self.err(number, "", "mỗi dòng phải là một đối tượng JSON {…}.")
                continue
            problems: list[tuple[str, str]] = []
            if not (text.isascii() and "\\u" not in text and _brackets(text) <= MAX_DEPTH):
                obj = clean_text(obj, "", problems)
            if problems:
                for field, message in problems:
                    self.err(number, field, message)
                continue
            self._line(number, obj)
        if not self.header_seen:
            self.err(
                self.first_line or 1,
                "type",
                f"tệp phải bắt đầu bằng dòng tiêu đề "
                f'{{"type": "{HEADER_TYPE}", "format": {FORMAT}}}.',
            )

    def _line(self, number: int, obj: dict) -> None:
        type_ = obj.get("type")
        if type_ == HEADER_TYPE:
            self._header(number, obj)
            return
        if type_ is None:
            self.err(number, "type", "thiếu trường bắt buộc.")
            return
        rt = self.types.get(type_) if isinstance(type_, str) else None
        if rt is None:
            self.err(
                number,
                "type",
                f"loại bản ghi «{type_}» không được hỗ trợ; các loại: {', '.join(self.types)}.",
            )
            return
        ref = obj.get("ref")
        bad = False
        if not isinstance(ref, str) or not ref.strip():
            self.err(number, "ref", "thiếu trường bắt buộc (một chuỗi ký tự không rỗng).")
            ref, bad = f"\x00{number}", True
        elif ref in self.by_ref:
            self.err(number, "ref", f"«{ref}» đã dùng ở dòng {self.by_ref[ref].line}.")
            ref, bad = f"\x00{number}", True
        elif rt.code_length and (len(ref) > rt.code_length or not KIND_CODE.match(ref)):
            self.err(
                number,
                "ref",
                f"mã {rt.label} «{ref}» chỉ gồm chữ không dấu, số, «-», «_» "
                f"và dài tối đa {rt.code_length} ký tự.",
            )
            bad = True
        before = len(self.errors)
        values = self._fields(number, rt.fields, obj, "", skip=("type", "ref"))
        recs = self.recs[rt.name]
        rec = Rec(rt, number, ref, values, len(recs) + 1)
        rec.bad = bad or len(self.errors) > before
        recs.append(rec)
        self.by_ref[ref] = rec

    def _header(self, number: int, obj: dict) -> None:
        if self.header_seen or number != self.first_line:
            self.err(number, "type", "dòng tiêu đề chỉ được đặt ở dòng đầu tiên của tệp.")
            return
        self.header_seen = True
        if obj.get("format") != FORMAT:
            self.err(
                number,
                "format",
                f"định dạng «{obj.get('format')}» không được hỗ trợ "
                f"(phiên bản này đọc định dạng {FORMAT}).",
            )
        for key in obj:
            if key not in ("type", "format"):
                self.err(number, key, "trường không có trong dòng tiêu đề.")

    # -- fields

    def _fields(
        self, line: int, fields: tuple[Field, ...], obj: dict, path: str, skip: tuple[str, ...] = ()
    ) -> dict:
        known = {f.name for f in fields}
        for key in obj:
            if key not in known and key not in skip:
                self.err(line, path + key, "trường không có trong định dạng của loại bản ghi này.")
        values: dict = {}
        for f in fields:
            raw = obj.get(f.name)
            name = path + f.name
            if raw is None:
                if f.required:
                    self.err(line, name, "thiếu trường bắt buộc.")
                continue
            value = self._value(line, f, raw, name)
            if value is not BAD:
                values[f.name] = value
        return values

    def _value(self, line: int, f: Field, raw, name: str):
        kind = f.kind
        if kind in ("str", "ref"):
            if not isinstance(raw, str):
                self.err(line, name, "phải là một chuỗi ký tự.")
                return BAD
            if f.required and not raw.strip():
                self.err(line, name, "không được để trống.")
                return BAD
            if f.choices:
                if raw not in f.choices:
                    self.err(
                        line,
                        name,
                        f"«{raw}» không hợp lệ; giá trị được phép: {', '.join(f.choices)}.",
                    )
                    return BAD
                return sys.intern(raw)  # one object per code, however many lines use it
            if f.max_length and len(raw) > f.max_length:
                self.err(line, name, f"dài {len(raw)} ký tự, tối đa {f.max_length}.")
                return BAD
            return raw
        if kind == "date":
            day = self.dates.get(raw) if isinstance(raw, str) else None
            if day is None and isinstance(raw, str) and ISO_DATE.match(raw):
                try:
                    day = self.dates[raw] = date.fromisoformat(raw)
                except ValueError:
                    pass
            if day is None:
                self.err(line, name, f"«{raw}» không phải ngày hợp lệ (dạng YYYY-MM-DD).")
                return BAD
            if not in_range(day) and not (day == FOREVER == f.default):
                self.err(
                    line,
                    name,
                    f"ngày «{raw}» nằm ngoài khoảng cho phép "
                    f"({EARLIEST:%d/%m/%Y} – {LATEST:%d/%m/%Y}).",
                )
                return BAD
            return day
        if kind == "int":
            top = SMALL_MAX if f.maximum is None else f.maximum
            if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= top:
                return raw
            self.err(line, name, f"«{raw}» không phải số nguyên từ 0 đến {dotted(top)}.")
            return BAD
        if kind == "decimal":
            top = f.maximum or 0
            low = -top if f.signed else 0
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                try:
                    value = Decimal(str(raw))
                except InvalidOperation:
                    value = None
                if value is not None and value.is_finite() and low <= value <= top:
                    exponent = value.as_tuple().exponent
                    if isinstance(exponent, int) and exponent >= -f.places:
                        return value
            self.err(
                line,
                name,
                f"«{raw}» không phải số từ {f'-{dotted(top)}' if f.signed else '0'} đến "
                f"{dotted(top)} với tối đa {f.places} chữ số thập phân (dấu chấm thập phân, "
                "ví dụ 85.5).",
            )
            return BAD
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            self.err(line, name, "phải là true hoặc false.")
            return BAD
        if kind == "object":
            if isinstance(raw, dict):
                return raw
            self.err(line, name, "phải là một đối tượng JSON {…}.")
            return BAD
        if kind == "strlist":
            if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
                return raw
            self.err(line, name, "phải là một danh sách chuỗi ký tự.")
            return BAD
        if kind == "list":
            if not isinstance(raw, list):
                self.err(line, name, "phải là một danh sách […].")
                return BAD
            items, ok = [], True
            for i, item in enumerate(raw, start=1):
                sub = f"{name}[{i}]"
                if not isinstance(item, dict):
                    self.err(line, sub, "phải là một đối tượng JSON {…}.")
                    ok = False
                    continue
                before = len(self.errors)
                values = self._fields(line, f.items, item, sub + ".")
                ok = ok and len(self.errors) == before
                items.append({g.name: values.get(g.name, g.default) for g in f.items})
            if f.required and not raw:
                self.err(line, name, "cần ít nhất một phần tử.")
                return BAD
            return items if ok else BAD
        raise AssertionError(kind)


class Checker:
    """Resolves refs and runs every app's checks of the records against each other.

    Apps keep what their checks learn for their writers in `state` (e.g. each member's
    folded ledger); `codes` holds, per code-named type, the codes refs may name.
    """

    def __init__(self, reader: Reader, registry: Registry, progress: Say | None = None):
        self.r = reader
        self.registry = registry
        self.types = registry.types
        self.recs = reader.recs
        self.say: Say = progress or (lambda _m: None)
        self.codes: dict[str, set[str]] = {}
        self.state: dict[str, Any] = {}
        #: type → a hook resolving refs its fields cannot describe (inside an object)
        self.resolvers: dict[str, Callable[[Checker, Rec], bool]] = {}

    @property
    def errors(self) -> int:
        """How many errors are reported so far."""
        return len(self.r.errors)

    def err(
        self, line: int, field: str, message: str, *, rule: str = "", regulation: str = ""
    ) -> None:
        """Report a problem; `rule` and `regulation` name the service rule it breaks."""
        self.r.errors.append(LineError(line, field, message, rule, regulation))

    def violation(self, line: int, field: str, v: Violation, *, where: str = "") -> None:
        """Report a broken rule with the service's rule code, regulation and message;
        `where` adds what in the file it clashes with."""
        message = (str(v) if v.regulation else v.message) + (f" ({where})." if where else ".")
        self.r.errors.append(LineError(line, field, message, v.rule, v.regulation))

    def run(self) -> None:
        for app in self.registry.apps:
            if app.prepare is not None:
                app.prepare(self)
        for type_name, recs in self.recs.items():
            fields = self.types[type_name].fields
            resolve = self.resolvers.get(type_name)
            for rec in recs:
                ok = self._resolve(rec, fields, rec.v, "")
                if resolve is not None:
                    ok = resolve(self, rec) and ok
                if not ok:
                    rec.bad = True
        for app in self.registry.apps:
            app.check(self)
        for app in self.registry.apps:
            if app.finish is not None:
                app.finish(self)

    # -- refs

    def _resolve(self, rec: Rec, fields: tuple[Field, ...], values: dict, path: str) -> bool:
        ok = True
        for f in fields:
            value = values.get(f.name)
            if value is None:
                continue
            if f.kind == "ref":
                target = self.target(rec.line, path + f.name, value, f.target)
                if target is BAD:
                    ok = False
                    values.pop(f.name)
                else:
                    values[f.name] = target
            elif f.kind == "list":
                for i, item in enumerate(value, start=1):
                    ok = self._resolve(rec, f.items, item, f"{path}{f.name}[{i}].") and ok
        return ok

    def target(self, line: int, name: str, ref: str, target: str) -> Any:
        """The ordinal of the record `ref` names (a code for code-named types), or BAD."""
        if target in self.codes:
            if ref in self.codes[target]:
                return ref
            self.err(
                line,
                name,
                f"không có {self.types[target].label} «{ref}» trong tệp hoặc trong cơ sở dữ liệu.",
            )
            return BAD
        rec = self.r.by_ref.get(ref)
        if rec is None:
            self.err(line, name, f"không có bản ghi nào mang ref «{ref}» trong tệp.")
            return BAD
        if rec.type != target:
            self.err(
                line,
                name,
                f"«{ref}» là {self.types[rec.type].label}, cần "
                f"{self.types[target].label} (loại «{target}»).",
            )
            return BAD
        return rec.idx


def pairs_overlapping(spans: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    """Consecutive pairs of intervals sorted by start: where an overlap would show first."""
    latest = None
    for span in spans:
        if latest is not None:
            yield latest, span
        if latest is None or span[1] > latest[1]:
            latest = span
