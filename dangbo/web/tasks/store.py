"""Where a background task keeps what the pages show: its meta (who started it, for which
organization, its title), its progress and its result file, in ``TASKS_DIR/<task id>/``.

Every file is written whole to a temporary file and renamed into place, so a reader (the
task page) sees the old content or the new one, and a task killed half-way leaves no partial
result: the result file exists only once it is complete, and a retry writes it again.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

RESULT = "result"
_SAFE_NAME = re.compile(r"^[\w.\-]+$")


def task_dir(task_id: str) -> Path:
    """The folder of task `task_id` (created); refuses an id that is not a plain token."""
    if not _SAFE_NAME.match(task_id):
        raise ValueError(f"bad task id {task_id!r}")
    path = Path(settings.TASKS_DIR) / task_id
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a flushed temporary file beside it and a rename."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def _write_json(task_id: str, name: str, value: dict[str, Any]) -> None:
    write_atomic(task_dir(task_id) / name, json.dumps(value, ensure_ascii=False).encode())


def _read_json(task_id: str, name: str) -> dict[str, Any] | None:
    try:
        value = json.loads((task_dir(task_id) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class Meta:
    """Who started the task, the organization it works on and the action that organization
    is checked against, its title and the page to go back to."""

    owner_id: int
    org_id: int | None
    action: str
    title: str
    back: str = ""


def write_meta(task_id: str, meta: Meta) -> None:
    _write_json(task_id, "meta.json", meta.__dict__)


def read_meta(task_id: str) -> Meta | None:
    value = _read_json(task_id, "meta.json")
    if value is None:
        return None
    try:
        return Meta(**value)
    except TypeError:
        return None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    label: str = ""

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def report_progress(task_id: str, done: int, total: int, label: str = "") -> None:
    """Record that `done` of `total` steps are finished (`label`: the step under way)."""
    _write_json(task_id, "progress.json", {"done": done, "total": total, "label": label})


def read_progress(task_id: str) -> Progress | None:
    value = _read_json(task_id, "progress.json")
    if value is None:
        return None
    try:
        return Progress(int(value["done"]), int(value["total"]), str(value.get("label", "")))
    except (KeyError, TypeError, ValueError):
        return None


def publish_result(task_id: str, filename: str, data: bytes) -> str:
    """Store the task's result file whole (a retry replaces it); returns `filename`.

    The file goes into a ``result`` folder of its own, so the download finds it by the name
    the task returned and nothing else in the task's folder can be downloaded.
    """
    if not _SAFE_NAME.match(filename):
        raise ValueError(f"bad result name {filename!r}")
    folder = task_dir(task_id) / RESULT
    folder.mkdir(exist_ok=True)
    write_atomic(folder / filename, data)
    return filename


def result_path(task_id: str, filename: str) -> Path | None:
    """The finished result file `filename` of the task, or None."""
    if not _SAFE_NAME.match(filename):
        return None
    path = task_dir(task_id) / RESULT / filename
    return path if path.is_file() else None
