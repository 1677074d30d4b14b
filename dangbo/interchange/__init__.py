"""The JSON Lines interchange format (tệp trao đổi dữ liệu): export and import.

One JSON object per line; the first line is the header ``{"type": "dangbo", "format": 1}``.
The format is documented, type by type and field by field, in ``docs/interchange.md``.
The core (:mod:`.schema`, :mod:`.reader`, :mod:`.export`, :mod:`.importer`, :mod:`.bulk`)
knows no app; each app declares its record types in its own ``interchange`` module and
:mod:`.kinds` lists them in dependency order.

This package is also a Django app (its management commands ``import`` and ``export``);
Django imports it before the models are ready, so it re-exports nothing: import
``interchange_export`` from :mod:`.export`, ``interchange_import`` from :mod:`.importer`
and ``InterchangeInvalid``/``LineError`` from :mod:`.reader`.
"""
