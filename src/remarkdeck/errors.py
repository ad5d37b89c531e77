"""The one family of errors a lecturer can act on: each carries the source location it is about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file; ``line`` counts from 1, 0 means the whole file."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        shown = display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


def display_path(path: Path) -> str:
    """A path as the lecturer typed it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class DeckError(Exception):
    """Something in the lecturer's sources is wrong; the message says what to do about it."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ConfigError(DeckError):
    """A front-matter key has a bad value."""


class TemplateError(DeckError):
    """Jinja could not render the deck."""


class ValidationError(DeckError):
    """The rendered deck breaks a rule (typed code block, missing image, broken link, ...)."""


class SnippetError(DeckError):
    """A snippet is missing, malformed, or failed to run."""


class FormulaError(DeckError):
    """KaTeX rejects a formula."""


class BrowserError(DeckError):
    """No usable browser, or the browser could not print the deck."""


class BuildError(DeckError):
    """The build output could not be written."""


class DeckImportError(DeckError):
    """A deck cannot be imported: unreadable source, or a deck of that name already exists."""


class DeckErrors(DeckError):
    """Several problems found in one pass, reported together so one build shows them all."""

    def __init__(self, errors: list[DeckError]):
        super().__init__("\n".join(str(error) for error in errors), errors[0].location)
        self.errors = errors

    def __str__(self) -> str:
        return self.message
