"""Party document numbers and citations (REPORTS §4).

A document number is ``{number}-{type}/{issuer}`` ("154-KH/TU", "02-KH/ĐU",
"33-HD/BTGQU"); a citation in running text reads "Kế hoạch số 154-KH/TU, ngày 29/6/2022
của Ban Thường vụ Thành ủy". Both are formatted and parsed here; everything refused
raises `CitationError` with a Vietnamese message naming what is wrong.

Parsing normalises: type names to their capitalised form ("kế hoạch" → "Kế hoạch"), a
missing comma before "ngày" is added back, and "Ð" (U+00D0) typed for "Đ" is corrected.
The issuing body is kept as written: "TU" may be a Thành ủy or a Tỉnh ủy, and a bare
committee code does not say whether its Ban Thường vụ or Ban Chấp hành issued.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from dangbo.core.error_codes import CoreErrorCode
from dangbo.core.errors import InvalidInput
from dangbo.vn_format import date_long, date_short

#: Type code → the Vietnamese names it stands for, capitalised as in citations.
TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "NQ": ("Nghị quyết",),
    "QĐ": ("Quyết định", "Quy định"),  # one code, two types: the citation's word decides
    "CT": ("Chỉ thị",),
    "KL": ("Kết luận",),
    "HD": ("Hướng dẫn",),
    "BC": ("Báo cáo",),
    "KH": ("Kế hoạch",),
    "CV": ("Công văn",),
    "CTr": ("Chương trình",),
    "TB": ("Thông báo",),
    "TTr": ("Tờ trình",),
    "QC": ("Quy chế",),
    "TT": ("Thông tri",),
    "BB": ("Biên bản",),
}
_TYPE_BY_KEY = {
    name.casefold(): (code, name) for code, names in TYPE_NAMES.items() for name in names
}

#: Committee codes; None where the code alone does not name the committee.
COMMITTEE_NAMES: dict[str, str | None] = {
    "TW": "Trung ương",
    "TU": None,
    "QU": "Quận ủy",
    "HU": "Huyện ủy",
    "ĐU": "Đảng ủy",
    "ĐUK": "Đảng ủy Khối",
}
#: Board codes; a board's issuer code is the board code + the committee code (BTGQU).
BOARD_NAMES: dict[str, str] = {
    "VP": "Văn phòng",
    "BTC": "Ban Tổ chức",
    "UBKT": "Ủy ban Kiểm tra",
    "BTG": "Ban Tuyên giáo",
    "BDV": "Ban Dân vận",
    "BTGDV": "Ban Tuyên giáo và Dân vận",
    "BNC": "Ban Nội chính",
}
_ISSUER_RE = re.compile(r"[A-ZĐ]{2,12}")
_NUMBER_RE = re.compile(r"(\d+)-([^\W\d_]+)/([^\W\d_]+)")
_SHORT_DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_LONG_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
EXAMPLE = "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy"


class CitationError(InvalidInput, ValueError):
    """A document number or citation that cannot be read or does not hold together."""

    code = CoreErrorCode.TRICH_DAN_VAN_BAN


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("Ð", "Đ")


def split_issuer(code: str) -> tuple[str | None, str] | None:
    """ "BTGQU" → ("BTG", "QU"), "TU" → (None, "TU"); None for a code not built that way."""
    if code in COMMITTEE_NAMES:
        return None, code
    for board in sorted(BOARD_NAMES, key=len, reverse=True):
        if code.startswith(board) and code[len(board) :] in COMMITTEE_NAMES:
            return board, code[len(board) :]
    return None


def issuer_body(code: str, *, committee_name: str | None = None) -> str | None:
    """The body a board code names: "BTGQU" → "Ban Tuyên giáo Quận ủy", "VPTW" → "Văn
    phòng Trung ương Đảng", "BTCTU" with committee_name="Thành ủy" → "Ban Tổ chức Thành
    ủy". None when the code alone is ambiguous (a bare committee code, or TU without
    `committee_name`): the caller passes the body text."""
    parts = split_issuer(code)
    if parts is None or parts[0] is None:
        return None
    board, committee = parts
    if (board, committee) == ("VP", "TW"):
        return "Văn phòng Trung ương Đảng"
    assert board is not None and committee is not None  # split_issuer gives both
    name = committee_name or COMMITTEE_NAMES[committee]
    return f"{BOARD_NAMES[board]} {name}" if name else None


@dataclass(frozen=True)
class DocumentNumber:
    """ "154-KH/TU". `pad` writes numbers below 10 with two digits ("02-KH/ĐU"); it is a
    matter of style and does not take part in equality."""

    number: int
    type_code: str
    issuer_code: str
    pad: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 1:
            raise CitationError(
                f"Số thứ tự văn bản phải là số nguyên từ 1 trở lên, không phải «{self.number}»."
            )
        if self.type_code not in TYPE_NAMES:
            raise CitationError(
                f"Ký hiệu loại văn bản «{self.type_code}» không có trong danh mục ({', '.join(TYPE_NAMES)})."
            )
        if not _ISSUER_RE.fullmatch(self.issuer_code):
            raise CitationError(
                f"Ký hiệu cơ quan ban hành «{self.issuer_code}» phải gồm 2–12 chữ in hoa, ví dụ TU, QU, BTGQU."
            )

    def format(self) -> str:
        digits = f"{self.number:02d}" if self.pad else str(self.number)
        return f"{digits}-{self.type_code}/{self.issuer_code}"

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str) -> DocumentNumber:
        """ "154-KH/TU" → DocumentNumber(154, "KH", "TU"); "2-KH/ĐU" keeps pad=False."""
        text = _normalize(text).strip()
        m = _NUMBER_RE.fullmatch(text)
        if not m:
            raise CitationError(
                f"Số văn bản «{text}» không đúng dạng «số-loại/cơ quan», ví dụ 154-KH/TU."
            )
        digits = m[1]
        if digits.startswith("0") and len(digits) > 2:
            raise CitationError(
                f"Số văn bản «{text}»: số thứ tự «{digits}» chỉ được viết thêm một số 0 ở đầu (01–09)."
            )
        return cls(int(digits), m[2], m[3], pad=len(digits) >= 2)


def _parse_date(text: str) -> tuple[date, bool, bool]:
    """ "29/6/2022" or "29 tháng 6 năm 2022" → (date, long form?, leading zeros?)."""
    for long_form, pattern in ((False, _SHORT_DATE), (True, _LONG_DATE)):
        m = re.fullmatch(pattern, text.strip())
        if m:
            try:
                day = date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                raise CitationError(f"Ngày «{text}» không có thật.") from None
            padded = (len(m[1]) == 2 and day.day < 10) or (len(m[2]) == 2 and day.month < 10)
            return day, long_form, padded
    raise CitationError(f"Ngày «{text}» không đúng dạng «29/6/2022» hoặc «29 tháng 6 năm 2022».")


@dataclass(frozen=True)
class Citation:
    """ "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy".

    `type_name` must be a name of `number.type_code` (any case; stored capitalised).
    `long_date` / `pad_date` choose how the date is written; style only, not equality.
    """

    type_name: str
    number: DocumentNumber
    issued_on: date
    issuer_body: str | None = None
    long_date: bool = field(default=False, compare=False)
    pad_date: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        type_name = " ".join(_normalize(self.type_name).split())
        known = _TYPE_BY_KEY.get(type_name.casefold())
        if known is None:
            raise CitationError(f"Không nhận ra loại văn bản «{type_name}».")
        code, canonical = known
        if code != self.number.type_code:
            raise CitationError(
                f"Loại văn bản «{type_name}» không khớp ký hiệu «{self.number.type_code}» "
                f"trong số {self.number} (cần «{code}»)."
            )
        object.__setattr__(self, "type_name", canonical)
        body = " ".join(_normalize(self.issuer_body).split()) if self.issuer_body else ""
        object.__setattr__(self, "issuer_body", body or None)

    def format(self) -> str:
        written = date_long if self.long_date else date_short
        text = f"{self.type_name} số {self.number}, {written(self.issued_on, pad=self.pad_date)}"
        return f"{text} của {self.issuer_body}" if self.issuer_body else text

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str) -> Citation:
        """Read one whole citation (issuer part optional, short or long date)."""
        text = _normalize(text).strip().rstrip(".;").strip()
        try:
            return cls._parse(text)
        except CitationError as e:
            raise CitationError(
                f"Trích dẫn «{text}»: {e.message[0].lower()}{e.message[1:]}"
            ) from None

    @classmethod
    def _parse(cls, text: str) -> Citation:
        if not text:
            raise CitationError("Trích dẫn trống.")
        m = re.fullmatch(r"(.+?)\s+số\s+(\S+?),?(?:\s+(.*))?", text, re.S)
        if not m:
            raise CitationError(
                f"Không đúng dạng «Loại số số-loại/cơ quan, ngày … của …», ví dụ «{EXAMPLE}»."
            )
        type_name, number, rest = " ".join(m[1].split()), DocumentNumber.parse(m[2]), m[3] or ""
        if type_name.casefold() not in _TYPE_BY_KEY:
            raise CitationError(f"Không nhận ra loại văn bản «{type_name}».")
        if re.search(r"\scủa$", rest):
            raise CitationError("Thiếu tên cơ quan ban hành sau «của».")
        parts = re.fullmatch(r"ngày\s+(.+?)(?:\s+của\s+(.+))?", rest, re.S)
        if not parts:
            raise CitationError("Thiếu ngày ban hành, ví dụ «ngày 29/6/2022».")
        issued_on, long_form, padded = _parse_date(parts[1])
        return cls(type_name, number, issued_on, parts[2], long_date=long_form, pad_date=padded)


# --- citations in running text -------------------------------------------------------------
_TYPE_ALTERNATIVES = "|".join(sorted((re.escape(k) for k in _TYPE_BY_KEY), key=len, reverse=True))
_FIND_RE = re.compile(
    rf"(?<!\w)(?i:(?P<type>{_TYPE_ALTERNATIVES}))\s+số\s+(?P<number>\d+-[^\W\d_]+/[^\W\d_]+),?"
    rf"\s+ngày\s+(?P<date>\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+\d{{4}})(?!\d)"
)
_OF_RE = re.compile(r"[ \t]+của(?=[ \t])")
_WORD_RE = re.compile(r"[ \t]+(\w+)")
#: Lowercase syllables that continue a body's name after the previous syllable.
_BODY_PAIRS = frozenset(
    "chấp hành|chính trị|tổ chức|tuyên giáo|dân vận|ủy ban|kiểm tra|thường vụ|văn phòng|"
    "trung ương|bí thư|nội chính|kinh tế|chỉ đạo|đảng đoàn|đảng ủy|thành ủy|tỉnh ủy|quận ủy|"
    "huyện ủy|thị ủy|chi bộ|đảng bộ|hội đồng|đồng nhân|ban nhân|nhân dân|ban cán|cán sự|"
    "sự đảng|mặt trận|tổ quốc|ban thường|ban chấp".split("|")
)
#: Lowercase words that join a body's name to a following capitalised word.
_BODY_LINKERS = frozenset(
    "và|khóa|phường|xã|thị trấn|thị xã|quận|huyện|tỉnh|thành phố|khối".split("|")
)


class FoundCitation(NamedTuple):
    """A citation found in running text; text[start:end] is its wording."""

    citation: Citation
    start: int
    end: int


def _key(word: str) -> str:
    return word.casefold().replace("uỷ", "ủy").replace("khoá", "khóa")


def _body_length(words: list[str]) -> int:
    """How many of `words` (following "của") belong to the issuing body's name."""
    keys = [_key(w) for w in words]

    def starts_citation(i: int) -> bool:
        return " ".join(keys[i : i + 2]) in _TYPE_BY_KEY

    n = 0
    while n < len(words) and not starts_citation(n):
        if words[n][0].isupper() or (n and words[n].isdigit() and keys[n - 1] in _BODY_LINKERS):
            n += 1  # "… phường 2", "Quận ủy quận 3": the number belongs to the name
        elif n and f"{keys[n - 1]} {keys[n]}" in _BODY_PAIRS:
            n += 1
        else:
            for k in (1, 2):
                following = n + k
                if (
                    n
                    and following < len(words)
                    and " ".join(keys[n:following]) in _BODY_LINKERS
                    and (words[following][0].isupper() or words[following].isdigit())
                    and not starts_citation(following)
                ):
                    n = following
                    break
            else:
                break
    return n


def find_citations(text: str) -> list[FoundCitation]:
    """All well-formed citations in `text` (expected NFC, as stored), in order.

    The issuing body after "của" is read as far as it looks like a body's name:
    capitalised words, the lowercase syllables of known names ("Ban Chấp hành", "Bộ
    Chính trị", "Đảng ủy phường Phúc Xá", "Ban Tuyên giáo và Dân vận", "khóa XIII"); it
    stops at punctuation, at an ordinary lowercase word ("về", "đã", "triển khai") and at
    the next citation. Candidates that fail validation (unknown type code, type word not
    matching its code, impossible date) are skipped.
    """
    found = []
    for m in _FIND_RE.finditer(text):
        end, body = m.end(), None
        of = _OF_RE.match(text, end)
        if of:
            words: list[re.Match[str]] = []
            pos = of.end()
            while (w := _WORD_RE.match(text, pos)) and len(words) < 30:
                words.append(w)
                pos = w.end()
            n = _body_length([w[1] for w in words])
            if n:
                body, end = text[words[0].start(1) : words[n - 1].end(1)], words[n - 1].end(1)
        try:
            issued_on, long_form, padded = _parse_date(m["date"])
            citation = Citation(
                m["type"],
                DocumentNumber.parse(m["number"]),
                issued_on,
                body,
                long_date=long_form,
                pad_date=padded,
            )
        except CitationError:
            continue
        found.append(FoundCitation(citation, m.start(), end))
    return found
