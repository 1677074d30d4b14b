"""The trailer (dòng kết thúc): the last line of a file, proving the file is whole.

``{"type": "dangbo_end", "counts": {"org_kind": 8, …}, "sha256": "…"}``: the number of
record lines of each type and the SHA-256 of every byte before the trailer line. Import
refuses a file whose trailer is missing (a file cut short, even at a line end), does not
match the records it read, or does not match the bytes: nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from dangbo.interchange.reader import LineError

TRAILER_TYPE = "dangbo_end"
_MARK = TRAILER_TYPE.encode()
_HEX = re.compile(r"^[0-9a-f]{64}$")


def trailer_line(counts: dict[str, int], digest: str) -> str:
    """The trailer as written by export (record types with no line are left out)."""
    record = {
        "type": TRAILER_TYPE,
        "counts": {t: n for t, n in counts.items() if n},
        "sha256": digest,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def seal(data: bytes, types: Iterable[str]) -> bytes:
    """`data` (a file without trailer) followed by its trailer.

    Counts the lines that are a JSON object whose `type` is one of `types` — the lines the
    importer reads as records — so that a converter's output can be sealed the way export
    seals its own.
    """
    known = set(types)
    counts: dict[str, int] = {}
    for n, raw in enumerate(data.splitlines(), start=1):
        try:
            text = raw.decode("utf-8")
            obj = json.loads(text.removeprefix("\ufeff") if n == 1 else text)
        except (UnicodeDecodeError, ValueError, RecursionError):
            continue
        if isinstance(obj, dict) and isinstance(obj.get("type"), str) and obj["type"] in known:
            counts[obj["type"]] = counts.get(obj["type"], 0) + 1
    if data and not data.endswith(b"\n"):
        data += b"\n"
    digest = hashlib.sha256(data).hexdigest()
    return data + trailer_line(counts, digest).encode("utf-8")


class TrailerCheck:
    """Passes the lines of a file on to the reader, hashing them and holding back the trailer.

    The trailer line reaches the reader as a blank line, so line numbers stay those of the
    file. :meth:`errors` compares the trailer with the records the reader counted.
    """

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.trailer: Any = None
        self.trailer_at = 0
        self.digest = ""
        self.last = 0
        self.after: list[int] = []  # lines with content after the trailer

    def lines(self, lines: Iterable[bytes | str]) -> Iterator[bytes | str]:
        for number, raw in enumerate(lines, start=1):
            self.last = number
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
            if self.trailer is not None:
                if data.strip():
                    self.after.append(number)
            elif _MARK in data:
                obj = _load(data)
                if isinstance(obj, dict) and obj.get("type") == TRAILER_TYPE:
                    self.trailer, self.trailer_at = obj, number
                    self.digest = self.sha.hexdigest()
                    yield b"\n"
                    continue
            self.sha.update(data)
            yield raw

    def errors(self, counts: dict[str, int]) -> list[LineError]:
        """What is wrong with the trailer, given the number of records of each type read."""
        if self.trailer is None:
            return [
                LineError(
                    max(self.last, 1),
                    "",
                    f'tệp không có dòng kết thúc {{"type": "{TRAILER_TYPE}", …}} ghi số bản '
                    "ghi và mã kiểm tra: tệp bị cắt cụt (chưa ghi xong hoặc chép thiếu) hoặc "
                    "không do «dangbo export» tạo ra; hãy xuất lại tệp.",
                )
            ]
        line, trailer = self.trailer_at, self.trailer
        errors = [
            LineError(n, "", "dòng kết thúc phải là dòng cuối cùng của tệp.") for n in self.after
        ]
        errors += [
            LineError(line, key, "trường không có trong định dạng của dòng kết thúc.")
            for key in trailer
            if key not in ("type", "counts", "sha256")
        ]
        written = trailer.get("counts")
        if not isinstance(written, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in written.values()
        ):
            errors.append(
                LineError(line, "counts", "phải là đối tượng {loại bản ghi: số dòng} (số nguyên).")
            )
        else:
            for type_ in sorted(set(written) | set(counts), key=str):
                said, found = written.get(type_, 0), counts.get(type_, 0)
                if said != found:
                    errors.append(
                        LineError(
                            line,
                            f"counts.{type_}",
                            f"dòng kết thúc ghi {said} bản ghi loại «{type_}» nhưng tệp có "
                            f"{found}: tệp bị thiếu, thừa hoặc bị sửa dòng.",
                        )
                    )
        digest = trailer.get("sha256")
        if not isinstance(digest, str) or not _HEX.match(digest):
            errors.append(LineError(line, "sha256", "phải là chuỗi 64 chữ số hex (chữ thường)."))
        elif digest != self.digest:
            errors.append(
                LineError(
                    line,
                    "sha256",
                    "mã kiểm tra không khớp với nội dung tệp: tệp đã bị sửa hoặc bị hỏng "
                    "sau khi xuất.",
                )
            )
        return errors


def _load(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
