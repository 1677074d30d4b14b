"""Figures as numbers: the one rounding rule, percentages, and figure sets with canonical keys.

* Rounding: ``round_half_up`` — Decimal ``ROUND_HALF_UP`` (a half goes away from zero:
  6,25 → 6,3; 62,5 → 63). Never Python's ``round`` (banker's rounding) and never floats.
* A percentage figure is a ``Decimal`` made by :func:`percentage`: part × 100 / whole,
  kept whole (exponent 0) when exact, otherwise rounded half up to ``PERCENT_PLACES``
  decimals (34/79 → ``Decimal("43.0")``: the ",0" shows the value was rounded); ``None``
  when the whole is zero. The renderers print it as it stands ("43,0%", "100%", "—").
* A :class:`FigureSet` is a frozen dataclass of ints, Decimals, dates and nested figure
  sets; :meth:`FigureSet.to_dict` gives it under its canonical keys (REPORTS §1) with
  JSON values (a Decimal becomes a JSON number: an int when whole, else a float whose
  shortest repr is the Decimal's text), and it reads as a mapping under those keys.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cached_property
from typing import Any

Number = int | Decimal

ROUNDING = ROUND_HALF_UP
PERCENT_PLACES = 1
_PRECISION = 60


def to_decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"expected int or Decimal, got {type(value).__name__}")


def round_half_up(value: Number, places: int = 0) -> Decimal:
    """Round to `places` decimals with the product's one rule (ROUND_HALF_UP)."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def exact_percentage(part: Number, whole: Number) -> Decimal | None:
    """part × 100 / whole, unrounded; None when `whole` is zero."""
    if to_decimal(whole) == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return to_decimal(part) * 100 / to_decimal(whole)


def percentage(part: Number, whole: Number) -> Decimal | None:
    """`part` as a percentage of `whole` by the rule above: 63/79 → 79.7, 34/79 → 43.0,
    17/17 → 100; None when `whole` is zero."""
    value = exact_percentage(part, whole)
    if value is None:
        return None
    exact_whole = value == value.to_integral_value()
    return round_half_up(value, 0 if exact_whole else PERCENT_PLACES)


def json_number(value: Decimal) -> int | float | str:
    """A Decimal as a JSON number: an int when it has no decimals, else a float whose shortest
    repr is the Decimal's text (43.0, 790.2, 1.25). A value a float cannot carry exactly (more
    than 15 significant digits with decimals) is written as its text ("12345678901234.5678")."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value and len(repr(as_float)) == len(str(value)):
        return as_float
    return str(value)


def decimal_from_json(value: int | float | str) -> Decimal:
    """The Decimal a JSON number (or a number's text) stands for (:func:`json_number` reversed)."""
    if isinstance(value, bool):
        raise TypeError("expected a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def canonical_key(name: str) -> Any:
    """A dataclass field whose canonical key differs from its name (``start`` → "from")."""
    return dataclasses.field(metadata={"key": name})


def to_json_value(value: object) -> object:
    """Figures → JSON values: figure sets by canonical keys, Decimals as numbers, dates ISO."""
    if isinstance(value, FigureSet):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_json_value(v) for v in value]
    return value


class FigureSet(Mapping[str, object]):
    """Base of the frozen figure dataclasses: typed attributes, and a read-only view under the
    canonical keys (``f["members_end"]``, ``dict(f)``, ``set(f)``) with JSON values.

    A field whose value is None and whose metadata says ``omit_none`` is left out of the
    canonical keys (membership breakdowns when not computed)."""

    def to_dict(self) -> dict[str, object]:
        return dict(self._canonical)

    @cached_property
    def _canonical(self) -> dict[str, object]:
        return self.canonical()

    def canonical(self) -> dict[str, object]:
        """The canonical keys with JSON values: the fields, then :meth:`extra_keys`."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.metadata.get("key", f.name)] = to_json_value(value)
        out.update(self.extra_keys())
        return out

    def extra_keys(self) -> dict[str, object]:
        """Canonical keys computed from the fields (ratios): none by default."""
        return {}

    def __getitem__(self, name: str) -> object:
        return self._canonical[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._canonical)

    def __len__(self) -> int:
        return len(self._canonical)


def from_json_value(tp: Any, value: Any) -> Any:
    """The value of type `tp` that :func:`to_json_value` wrote as `value`.

    Handles dataclasses (a figure set by its canonical keys; a key it does not hold is left
    out, a field missing from `value` takes its default), ``X | None``, ``tuple[T, ...]``,
    ``Mapping[str, T]``, Decimal, date, and plain JSON scalars."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_json_value(inner, value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            name = f.metadata.get("key", f.name)
            if f.init and name in value:
                kwargs[f.name] = from_json_value(hints[f.name], value[name])
        return tp(**kwargs)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_json_value(args[0], v) for v in value)
        return tuple(from_json_value(a, v) for a, v in zip(args, value, strict=True))
    if origin in (Mapping, dict):
        value_type = typing.get_args(tp)[1]
        return {k: from_json_value(value_type, v) for k, v in value.items()}
    if tp is Decimal:
        return decimal_from_json(value)
    if tp is date:
        return date.fromisoformat(value)
    return value
