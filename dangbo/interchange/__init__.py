"""The JSON Lines interchange format (tệp trao đổi dữ liệu): export and import.

One JSON object per line; the first line is the header ``{"type": "dangbo", "format": 1}``.
The format is documented, type by type and field by field, in ``docs/interchange.md``.
The core (:mod:`.schema`, :mod:`.reader`, :mod:`.export`, :mod:`.importer`, :mod:`.bulk`)
knows no app; each app declares its record types in its own ``interchange`` module and
:mod:`.kinds` lists them in dependency order.

This package is also a Django app (its management commands ``import`` and ``export``).
Django imports an app's package before the models are ready, so the public names below
are loaded from their modules on first use rather than here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangbo.interchange.export import interchange_export
    from dangbo.interchange.importer import ImportResult, interchange_import
    from dangbo.interchange.kinds import RECORD_TYPES, REGISTRY
    from dangbo.interchange.reader import InterchangeInvalid, LineError
    from dangbo.interchange.schema import FORMAT, Field, RecordType

_PUBLIC = {
    "interchange_export": "export",
    "interchange_import": "importer",
    "ImportResult": "importer",
    "RECORD_TYPES": "kinds",
    "REGISTRY": "kinds",
    "InterchangeInvalid": "reader",
    "LineError": "reader",
    "FORMAT": "schema",
    "Field": "schema",
    "RecordType": "schema",
}

__all__ = [
    "FORMAT",
    "RECORD_TYPES",
    "REGISTRY",
    "Field",
    "ImportResult",
    "InterchangeInvalid",
    "LineError",
    "RecordType",
    "interchange_export",
    "interchange_import",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
