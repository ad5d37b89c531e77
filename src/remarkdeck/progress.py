"""Progress of a multi-step run: a bar redrawn in place on a terminal, one line per finished step
otherwise (a log, CI), nothing but warnings with ``quiet``."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from typing import TextIO

from .errors import Location
from .logs import at

log = logging.getLogger(__name__)


class Progress:
    """``done(message)`` once per finished step; ``working(label)`` names the step under way."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False):
        self.total = total
        self.finished = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.bar = not quiet and _is_terminal(self.stream)
        self.label = ""

    def working(self, label: str) -> None:
        self.label = label
        self._draw()

    def done(self, message: str) -> None:
        self.finished += 1
        self.say(message)

    def say(self, message: str) -> None:
        """A line that stays (above the bar on a terminal)."""
        if self.quiet:
            return
        self._clear()
        print(message, file=self.stream, flush=True)
        self._draw()

    def warn(self, message: str, location: Location | None = None) -> None:
        """A warning, shown even when quiet, in the usual ``path:line: warning:`` form."""
        self._clear()
        log.warning(message, extra=at(location))
        self._draw()

    def close(self) -> None:
        self._clear()
        self.bar = False

    def _draw(self) -> None:
        if not self.bar:
            return
        columns = shutil.get_terminal_size((80, 24)).columns
        count = f" {self.finished}/{self.total} "
        width = max(10, min(30, columns - len(count) - 20))
        filled = width * self.finished // max(self.total, 1)
        line = f"[{'#' * filled}{'.' * (width - filled)}]{count}{self.label}"
        self.stream.write("\r" + line[: columns - 1] + "\x1b[K")
        self.stream.flush()

    def _clear(self) -> None:
        if self.bar:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM", "") != "dumb"
