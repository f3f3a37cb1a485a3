"""A progress bar on stderr for scans that take more than a moment; silent otherwise.

It appears only when asked for, when stderr is a terminal, and once the scan has run for ``DELAY_SECONDS``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

DELAY_SECONDS = 0.5


class ScanProgress:
    def __init__(self, enabled: bool, total_bytes: int, description: str = "counting") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total_bytes = max(1, total_bytes)
        self.description = description
        self.started = time.monotonic()
        self.done_bytes = 0
        self._bar: Any = None
        self._task: Any = None

    def advance(self, nbytes: int) -> None:
        self.done_bytes += nbytes
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < DELAY_SECONDS:
                return
            self._start()
        self._bar.update(self._task, completed=self.done_bytes)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.description, total=self.total_bytes, completed=self.done_bytes)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> ScanProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
