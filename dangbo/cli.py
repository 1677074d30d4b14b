"""The ``dangbo`` console script: Django's management commands under one name.

Whatever a command did not turn into a message itself (settings that cannot be read, a
closed standard output, a failure before the command ran) is printed here as one
Vietnamese line with a non-zero exit status; ``--traceback`` shows the traceback instead.
"""

import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line
from django.core.management.base import CommandError
from django.db import Error as DbError

from dangbo.core.management.base import database_error_message, os_error_message, silence_stdout


def _fail(message: str, status: int = 1) -> None:
    try:
        sys.stderr.write(f"Lỗi: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    raise SystemExit(status)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    argv = ["dangbo", *sys.argv[1:]]
    if "--traceback" in argv:
        execute_from_command_line(argv)
        return
    try:
        settings.INSTALLED_APPS  # noqa: B018 — reads the settings: a bad DATABASE_URL shows here
        try:
            execute_from_command_line(argv)
        finally:  # also after --help: a closed pipe shows here, not at interpreter exit
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        _fail("đầu ra đã bị đóng (ví dụ «| head»); dừng lệnh.")
    except ImproperlyConfigured as exc:
        _fail(f"cấu hình không hợp lệ: {exc}")
    except CommandError as exc:
        _fail(str(exc).removeprefix("Lỗi: "), exc.returncode)
    except DbError as exc:
        _fail(database_error_message(exc))
    except OSError as exc:
        _fail(os_error_message(exc))
    except KeyboardInterrupt:
        _fail("đã dừng theo yêu cầu (Ctrl+C).", 130)
    except Exception as exc:  # the last resort: never a traceback for a clerk
        _fail(
            f"lỗi không mong đợi ({type(exc).__name__}: {exc}); chạy lại với --traceback "
            "và gửi kết quả cho người quản trị."
        )


if __name__ == "__main__":
    main()
