"""The shape of an interchange file: record types, their fields, and what an app declares.

Each app's ``interchange`` module declares its record types (:class:`RecordType`) and one
:class:`App` saying how its records are exported, checked and written; the registry in
:mod:`dangbo.interchange.kinds` lists the apps in dependency order. Nothing here knows an
app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from dangbo.interchange.bulk import Importer
    from dangbo.interchange.export import Writer
    from dangbo.interchange.reader import Checker

FORMAT = 1
HEADER_TYPE = "dangbo"
BATCH = 5000
SMALL_MAX = 32767  # PositiveSmallIntegerField
COUNT_MAX = 2147483647  # PositiveIntegerField

Say = Callable[[str], None]  # receives a progress message (Vietnamese)


@dataclass(frozen=True)
class Field:
    """One field of a record type: how it is read, written and defaulted.

    kind: str, date, int, decimal (a JSON number, at most `places` decimal places), bool, object,
    strlist, ref (to a record of type `target`), list (of sub-records described by
    `items`). `maximum` bounds int (default 32767) and decimal values (all are ≥ 0).
    Optional fields equal to their default are left out on export. `private` marks what
    export withholds unless asked: ``"personal"`` (personal data: national ID, phone,
    address) or ``"secret"`` (left out of the records its type's `is_secret` says are secret).
    """

    name: str
    kind: str
    required: bool = False
    default: Any = None
    target: str = ""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    items: tuple[Field, ...] = ()
    maximum: int | None = None
    places: int = 2  # decimal: digits allowed after the point
    signed: bool = False  # decimal: negative values allowed (above -maximum)
    private: str = ""  # "personal" or "secret": withheld by export unless asked


@dataclass(frozen=True)
class RecordType:
    """One type of record line.

    A type whose `code_length` is set is named by a code instead of an ordinal ref (letters
    without diacritics, digits, «-», «_», at most that long); refs to it may also name
    codes already in the database.
    """

    name: str
    prefix: str  # refs written on export: f"{prefix}-{ordinal}"
    label: str  # Vietnamese name used in messages
    fields: tuple[Field, ...]
    code_length: int = 0
    is_secret: Callable[[dict], bool] | None = None  # its "secret" fields are withheld then

    @cached_property
    def defaults(self) -> dict[str, Any]:
        return {f.name: f.default for f in self.fields}


@dataclass(frozen=True)
class App:
    """What one app brings to the interchange: its record types and how they move.

    `types` are in the order export writes them. `ids` name the types (and nested rows)
    whose ids the bulk loader chooses before writing; `tables` are the models whose
    sequences are reset after the import; `occupied` the models that must be empty
    before an import (with their Vietnamese names). `prepare` runs before refs are
    resolved; `finish` after every app's `check`.
    """

    name: str
    types: tuple[RecordType, ...]
    export: Callable[[Writer], None]
    check: Callable[[Checker], None]
    write: Callable[[Importer], None]
    ids: tuple[tuple[str, type[models.Model]], ...] = ()
    tables: tuple[type[models.Model], ...] = ()
    occupied: tuple[tuple[type[models.Model], str], ...] = ()
    prepare: Callable[[Checker], None] | None = None
    finish: Callable[[Checker], None] | None = None


class Registry:
    """The apps' declarations in dependency order, with their record types by name."""

    def __init__(self, apps: tuple[App, ...]):
        self.apps = apps
        self.types: dict[str, RecordType] = {t.name: t for a in apps for t in a.types}


def max_length(model: type[models.Model], name: str) -> int:
    """The column length of a model's string field."""
    length: int | None = getattr(model._meta.get_field(name), "max_length", None)
    assert length is not None, name
    return length


def string(
    model: type[models.Model],
    name: str,
    *,
    required: bool = False,
    default: Any = "",
    choices: Any = (),
    private: str = "",
) -> Field:
    """A string field with the model column's length."""
    return Field(
        name,
        "str",
        required=required,
        default=None if required else default,
        max_length=max_length(model, name),
        choices=tuple(choices),
        private=private,
    )


def count(name: str, *, required: bool = False) -> Field:
    """A head count or number of ballots (PositiveIntegerField)."""
    return Field(name, "int", required=required, default=None if required else 0, maximum=COUNT_MAX)


def pct(name: str) -> Field:
    """Points or a percentage: 0–100, at most 2 decimal places (DecimalField(5, 2))."""
    return Field(name, "decimal", maximum=100)


def dotted(value: int) -> str:
    """An integer with dots between thousands: 12.345."""
    return f"{value:,}".replace(",", ".")
