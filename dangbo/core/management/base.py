"""Base for dangbo's commands: every refusal becomes a Vietnamese message and a non-zero exit.

:class:`DangboCommand` is the one place that turns what can go wrong in a command into a
message a clerk can read: domain errors, bad command lines (argparse's messages in
Vietnamese), files that cannot be written or read, a database that is missing, not
migrated or unreachable, numbers too large, and a closed standard output (``| head``).
Arguments are normalised to NFC; NUL characters and lone surrogates are refused.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import Error as DbError
from django.db import InterfaceError, OperationalError

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.text import nfc, text_problem

#: Exit status of a command that cannot run because of its environment (database, files).
EXIT_ENVIRONMENT = 1

_ARGPARSE = (
    (r"the following arguments are required: (.*)", "thiếu tham số bắt buộc: {0}."),
    (r"unrecognized arguments: (.*)", "tham số không hiểu được: {0}."),
    (r"argument (\S+): invalid int value: (.*)", "tham số {0}: {1} không phải số nguyên."),
    (r"argument (\S+): invalid (\w+) value: (.*)", "tham số {0}: giá trị {2} không hợp lệ."),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        "tham số {0}: {1} không hợp lệ; chọn một trong: {2}.",
    ),
    (r"argument (\S+): expected one argument", "tham số {0} cần một giá trị."),
    (r"argument (\S+): ignored explicit argument (.*)", "tham số {0} không nhận giá trị {1}."),
    (r"one of the arguments (.*) is required", "cần một trong các tham số: {0}."),
    (r"ambiguous option: (\S+) could match (.*)", "tham số {0} không rõ ràng (có thể là {1})."),
    (r"argument (\S+): (.*)", "tham số {0}: {1}"),
)


def vietnamese_usage_error(message: str) -> str:
    """argparse's English error as a Vietnamese sentence (unknown shapes are quoted)."""
    for pattern, text in _ARGPARSE:
        m = re.fullmatch(pattern, message, flags=re.S)
        if m:
            return text.format(*m.groups())
    return f"dòng lệnh không hợp lệ ({message})."


class DangboParser(CommandParser):
    """Django's parser with Vietnamese errors; exit status 2 as argparse's own."""

    def error(self, message: str) -> NoReturn:
        text = f"Lỗi: {vietnamese_usage_error(message)}"
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, text + "\n")
        raise CommandError(text, returncode=2)


def _vietnamese_parsers(parser: argparse.ArgumentParser) -> None:
    if type(parser) is CommandParser:
        parser.__class__ = DangboParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _vietnamese_parsers(sub)


def bounded_int(low: int, high: int) -> Any:
    """An argparse type: an integer from `low` to `high` (a refusal names the range)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip()) if len(text) <= 30 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"«{text}» không phải số nguyên từ {low} đến {high}.")
        return value

    return parse


def clean_text(value: str, *, field: str) -> str:
    """`value` in NFC; refuse NUL characters and lone surrogates (text no database keeps)."""
    problem = text_problem(value)
    if problem:
        raise InvalidInput(f"Tham số «{field}» {problem}", field=field)
    return nfc(value)


def writable_path(value: str, *, field: str = "--out") -> Path:
    """The path of a file to write: its folder must exist; it must not be a folder.

    No folder is created: a mistyped folder is refused rather than made silently.
    """
    path = Path(value)
    if path.is_dir():
        raise InvalidInput(f"«{value}» là một thư mục; cần tên tệp.", field=field)
    parent = path.parent
    if not parent.exists():
        raise InvalidInput(
            f"Thư mục «{parent}» không tồn tại; hãy tạo thư mục trước (không tự tạo).",
            field=field,
        )
    if not parent.is_dir():
        raise InvalidInput(f"«{parent}» là một tệp, không phải thư mục.", field=field)
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InvalidInput(f"Không có quyền ghi tệp «{value}».", field=field)
    return path


_OS_ERRORS = {
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EISDIR: "đó là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.ENOENT: "không tồn tại",
    errno.ENOSPC: "hết chỗ trên đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENAMETOOLONG: "tên quá dài",
}


def os_error_message(exc: OSError) -> str:
    """A file error in Vietnamese, naming the file."""
    reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    name = exc.filename if exc.filename is not None else ""
    return f"Không đọc/ghi được tệp «{name}»: {reason}." if name else f"Lỗi tệp: {reason}."


#: What to run on a database without dangbo's tables (or with an older structure).
UNMIGRATED_MESSAGE = (
    "Cơ sở dữ liệu chưa được khởi tạo hoặc chưa cập nhật cấu trúc; hãy chạy «dangbo migrate» "
    "(cơ sở dữ liệu trống của văn phòng, rồi «dangbo import TỆP») hoặc «dangbo demo» "
    "(dữ liệu mẫu)."
)


def database_error_message(exc: DbError) -> str:
    """A database failure in Vietnamese: not migrated, unreachable, or refused."""
    text = str(exc)
    if re.search(r"no such table|does not exist|no such column", text):
        return UNMIGRATED_MESSAGE
    if isinstance(exc, OperationalError | InterfaceError) and re.search(
        r"unable to open|connect|could not|Connection refused|timeout|server", text
    ):
        return f"Không kết nối được cơ sở dữ liệu (DATABASE_URL): {text.strip().splitlines()[0]}."
    if "database is locked" in text:
        return "Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi); hãy thử lại sau."
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"Cơ sở dữ liệu từ chối thao tác: {first}."


def silence_stdout() -> None:
    """After a closed standard output: send what is left to /dev/null (no second error)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _clean_args(args: tuple[Any, ...], options: dict[str, Any]) -> tuple[Any, ...]:
    """The positional arguments cleaned by :func:`clean_text`; string options in place."""
    for key, value in options.items():
        if isinstance(value, str):
            options[key] = clean_text(value, field=key)
    return tuple(clean_text(a, field="tham số") if isinstance(a, str) else a for a in args)


class DangboCommand(BaseCommand):
    """A dangbo command: refusals are messages on stderr and an exit status, never a traceback."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _vietnamese_parsers(parser)
        return parser

    def _fail(self, message: str, status: int = 1) -> NoReturn:
        try:
            self.stderr.write(f"Lỗi: {message}")
        except (BrokenPipeError, ValueError):
            pass
        sys.exit(status)

    def execute(self, *args: Any, **options: Any) -> Any:
        if options.get("traceback"):  # --traceback: the error as Python raises it
            return super().execute(*_clean_args(args, options), **options)
        if options.get("stderr"):  # as BaseCommand.execute: a refused argument is shown there
            self.stderr = OutputWrapper(options["stderr"])
        try:
            result = super().execute(*_clean_args(args, options), **options)
            self.stdout.flush()  # a closed pipe shows here, while the message can still be given
            return result
        except DomainError as exc:
            self._fail(exc.message)
        except CommandError as exc:
            message = str(exc).removeprefix("Lỗi: ")
            self._fail(message, exc.returncode)
        except BrokenPipeError:
            silence_stdout()
            self._fail("đầu ra đã bị đóng (ví dụ «| head»); dừng lệnh.", 1)
        except OSError as exc:
            self._fail(os_error_message(exc), EXIT_ENVIRONMENT)
        except DbError as exc:
            self._fail(database_error_message(exc), EXIT_ENVIRONMENT)
        except OverflowError:
            self._fail("số hoặc ngày quá lớn, vượt giới hạn cho phép.")
        except RecursionError:
            self._fail("dữ liệu lồng nhau quá sâu.")
