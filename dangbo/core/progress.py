"""Progress lines for long commands: a live percentage on a terminal, a few lines otherwise."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, *, stream=None):
        self.label, self.total = label, max(total, 1)
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.started = time.monotonic()
        self._last_tenth = -1

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = max(total, 1)
        pct = min(100, int(100 * done / self.total))
        if self.tty:
            self.stream.write(f"\r{self.label}: {pct:3d}% ({done}/{self.total})")
            if done >= self.total:
                self.stream.write(f" — {time.monotonic() - self.started:.1f} giây\n")
            self.stream.flush()
        elif pct // 10 != self._last_tenth:
            self._last_tenth = pct // 10
            self.stream.write(f"{self.label}: {pct}% ({done}/{self.total})\n")
            self.stream.flush()
