"""Progress of long in-process work (a folder of records, a batch of plaques): a bar with the count and the
time left on a terminal, one plain line an item otherwise (a log, a pipe)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total: int = 0, what: str = "", stream: TextIO | None = None, width: int = 24):
        self.what, self.width = what, width
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start(total)

    def start(self, total: int) -> None:
        """Counting starts again for ``total`` items."""
        self.total, self.done, self.started = total, 0, time.monotonic()

    def step(self, label: str = "", failed: bool = False) -> None:
        """One more item finished (``label`` names it)."""
        self.done += 1
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        mark = "✗ " if failed else ""
        if self.tty:
            filled = self.width * self.done // max(self.total, 1)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"\r{self.what}[{bar}] {self.done}/{self.total} 剩余约 {_clock(left)} {mark}{label}"
            self.stream.write(line[:120].ljust(120))
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.what}[{self.done}/{self.total}] {mark}{label}（已用 {_clock(elapsed)}，"
                              f"剩余约 {_clock(left)}）\n")
        self.stream.flush()
