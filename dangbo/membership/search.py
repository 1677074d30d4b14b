"""The derived search columns of a person: folded text and Vietnamese sort key.

`Person.search_text` is the full name lowercased, without diacritics, đ → d, in single
spaces ("Nguyễn Văn An" → "nguyen van an"), so a search typed without accents matches.
`Person.sort_key` orders people as the Vietnamese register does — by given name (the last
word), then the rest of the name — with the ICU "vi" collation
(:func:`dangbo.vn_format.sort_key_name`). The two ICU sort keys are written as lowercase
hex and joined: each ICU key ends with its only zero byte, so comparing the joined hex as
plain text (SQLite's BINARY, PostgreSQL's "C" or any locale: only 0-9 and a-f occur) gives
the same order as comparing the pairs of keys.

Every path that writes a person sets both columns: `Person.save()`, the interchange bulk
writer, the province generator of the benchmark, and migration `membership.0005` for the
rows that existed before.
"""

from __future__ import annotations

import unicodedata

from dangbo.vn_format import fold, sort_key_name


def search_text(full_name: str) -> str:
    """The folded name: "Nguyễn  Văn Đức" → "nguyen van duc"."""
    return fold(unicodedata.normalize("NFC", full_name))


#: Look-alike letters pasted from old files, sorted as the Vietnamese letter: Ð/ð (Latin
#: eth) as Đ/đ.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def sort_key(full_name: str) -> str:
    """The Vietnamese sort key of a name as text that compares correctly in SQL."""
    given, rest = sort_key_name(full_name.translate(_LOOKALIKES))
    return given.hex() + rest.hex()


def search_columns(full_name: str) -> tuple[str, str]:
    """(search_text, sort_key) of a name, for bulk writers."""
    return search_text(full_name), sort_key(full_name)
