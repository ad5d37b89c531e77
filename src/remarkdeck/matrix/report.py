"""The matrix's result: each item of each deck in each cell, the versions each cell ran, the cells
that could not be resolved; and ``build/matrix.json``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import zip_longest

from .cells import Cell
from .outcomes import FAILED, NOT_RUN, PASSED, PRINTS_OTHERWISE, Outcome

SHOWN = 60  # characters of a printed line quoted in a message


@dataclass
class CellReport:
    cell: Cell
    problem: str = ""  # why the cell did not run (uv's message, or pytest's)
    versions: dict[str, str] = field(default_factory=dict)  # module: version
    python: str = ""
    packages: int = 0
    reused: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # "resolve", "install", "run"

    @property
    def name(self) -> str:
        return self.cell.name


@dataclass
class MatrixReport:
    cells: list[CellReport] = field(default_factory=list)
    decks: dict[str, dict[str, dict[str, Outcome]]] = field(default_factory=dict)  # deck: item: cell: outcome
    date: str = field(default_factory=lambda: datetime.date.today().isoformat())

    @property
    def cell_names(self) -> list[str]:
        return [cell.name for cell in self.cells]

    def outcome(self, deck: str, item: str, cell: str) -> Outcome:
        found = self.decks.get(deck, {}).get(item, {}).get(cell)
        if found is not None:
            return found
        report = next(report for report in self.cells if report.name == cell)
        return Outcome(NOT_RUN, "the cell did not run" if report.problem else "missing from the cell's run")

    def regressions(self) -> list[tuple[str, str, str]]:
        """(deck, item, cell) for each item that passes with the lock and fails in another cell."""
        lock = self.cell_names[0]
        return [(deck, item, cell) for deck, items in self.decks.items() for item in items
                for cell in self.cell_names[1:]
                if self.outcome(deck, item, lock).status == PASSED and self.outcome(deck, item, cell).status == FAILED]

    def compare_printed(self, printed: dict[str, dict[tuple[str, str], str]]) -> None:
        """Mark each snippet that passes in a cell but prints something else than with the lock
        (which is what the slides show). ``printed``: cell: (deck, snippet): its output."""
        lock = self.cell_names[0]
        for cell in self.cell_names[1:]:
            for (deck, item), text in printed.get(cell, {}).items():
                reference = printed.get(lock, {}).get((deck, item))
                if reference is None or _lines(reference) == _lines(text):
                    continue
                outcome = self.outcome(deck, item, cell)
                if self.outcome(deck, item, lock).status == PASSED == outcome.status:
                    self.decks[deck][item][cell] = Outcome(PRINTS_OTHERWISE, first_difference(reference, text),
                                                           outcome.where)

    @property
    def unresolved(self) -> list[CellReport]:
        return [cell for cell in self.cells if cell.problem]

    @property
    def failing(self) -> bool:
        """What makes `remarkdeck matrix` exit 1: a regression, or a cell that could not run."""
        return bool(self.regressions() or self.unresolved)

    def as_json(self) -> dict:
        return {
            "cells": self.cell_names,
            "decks": {deck: {item: {cell: self.outcome(deck, item, cell).text for cell in self.cell_names}
                             for item in items} for deck, items in self.decks.items()},
            "date": self.date,
            "versions": {cell.name: cell.versions for cell in self.cells},
            "problems": {cell.name: cell.problem for cell in self.cells if cell.problem},
            "regressions": [list(found) for found in self.regressions()],
        }


def first_difference(reference: str, printed: str) -> str:
    """The first line printed otherwise: "'x' where the lock prints 'y'"."""
    for old, new in zip_longest(_lines(reference), _lines(printed)):
        if old != new:
            if new is None:
                return f"the lock also prints {_short(old)!r}"
            if old is None:
                return f"also prints {_short(new)!r}"
            return f"{_short(new)!r} where the lock prints {_short(old)!r}"
    return ""


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().splitlines()]


def _short(line: str) -> str:
    return line if len(line) <= SHOWN else line[:SHOWN - 1] + "…"
