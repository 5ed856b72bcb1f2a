"""Spread independent work over the machine's cores: parsing .tf files and evaluating units.

Both are pure functions of their input, so a scan of a large tree runs them in a process pool
(one worker per core, STREAMGUARD_JOBS to override); small scans stay in-process, where a pool
would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 48  # fewer items than this are done in-process


def jobs() -> int:
    configured = os.environ.get("STREAMGUARD_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class Pool:
    """A process pool created on first use and shut down with the scan."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Iterable[T],
            on_progress: Callable[[int, int], None] | None = None) -> list[R]:
        """[fn(item) for item in items], in order; on_progress(done, total) as results arrive."""
        items = list(items)
        workers = jobs()
        if workers <= 1 or len(items) < MIN_ITEMS:
            results = map(fn, items)
        else:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(max_workers=workers)
            results = self._executor.map(fn, items, chunksize=max(1, len(items) // (workers * 16)))
        out: list[R] = []
        for result in results:
            out.append(result)
            if on_progress is not None:
                on_progress(len(out), len(items))
        return out

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown()
