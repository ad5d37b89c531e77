"""The one channel for warnings: Python's ``logging``, a logger per module under ``remarkdeck``.

A module warns with ``log.warning(message, extra=at(location))``; the command line prints it as
``path:line: warning: message``. ``--strict`` collects the warnings of a command and turns them
into its error before anything is written, so the last good build (or PDF, or project) is kept.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Iterator

from .errors import DeckError, Location

ROOT = "remarkdeck"


def at(location: Location | None) -> dict:
    """``extra=`` for a log call about a place in the lecturer's sources."""
    return {"location": location}


def located(record: logging.LogRecord) -> str:
    """A record as the lecturer reads it: ``path:line: warning: message``."""
    location = getattr(record, "location", None)
    prefix = f"{location}: " if location else ""
    level = "" if record.levelno < logging.WARNING else f"{record.levelname.lower()}: "
    return f"{prefix}{level}{record.getMessage()}"


class StderrHandler(logging.Handler):
    """Prints to whatever ``sys.stderr`` is at the time (so a captured stderr sees it too)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(located(record), file=sys.stderr, flush=True)
        except Exception:
            self.handleError(record)


def print_warnings() -> None:
    """Route remarkdeck's warnings to stderr; called once by the command line (idempotent)."""
    logger = logging.getLogger(ROOT)
    for handler in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
        logger.removeHandler(handler)
    logger.addHandler(StderrHandler(logging.WARNING))
    logger.setLevel(logging.INFO)
    logger.propagate = False


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def collected_warnings() -> Iterator[list[logging.LogRecord]]:
    """The warnings logged while the block runs (they are printed as usual too)."""
    collector = _Collector()
    logger = logging.getLogger(ROOT)
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)


class StrictError(DeckError):
    """``--strict``: the command logged warnings, which count as errors."""

    def __init__(self, records: list[logging.LogRecord], kept: str):
        listed = "\n".join(f"  {located(record)}" for record in records)
        count = f"{len(records)} warning{'s' if len(records) != 1 else ''}"
        super().__init__(f"error: --strict turns {count} into errors ({kept}):\n{listed}\n"
                         "fix them, or run without --strict to let warnings pass")
        self.records = records


def fail_on_warnings(records: list[logging.LogRecord], strict: bool, kept: str) -> None:
    """Under ``strict``, raise StrictError if any warning was logged; ``kept`` says what stays as it was."""
    if strict and records:
        raise StrictError(list(records), kept)
