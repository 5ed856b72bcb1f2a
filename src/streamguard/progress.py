"""A progress indicator on stderr for scans that take more than a moment, only on a terminal."""

from __future__ import annotations

import sys
import time

DELAY_S = 1.0  # say nothing for scans shorter than this


class Progress:
    def __init__(self, stream=sys.stderr) -> None:
        self._stream = stream
        self._enabled = hasattr(stream, "isatty") and stream.isatty()
        self._start = time.monotonic()
        self._shown = False

    def update(self, done: int, total: int, what: str) -> None:
        if not self._enabled or time.monotonic() - self._start < DELAY_S:
            return
        self._stream.write(f"\rstreamguard: {what} {done}/{total}\033[K")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
