"""``remarkdeck matrix`` itself: each cell prepared and its items run, one cell after another, then
build/matrix.json, build/matrix.html and the index's link written. (The package's ``__init__`` stays
empty: ``remarkdeck pdf`` and the build read ``verified.py`` without loading the rest.)"""

from __future__ import annotations

import json
import time
from typing import Callable

from ..errors import DeckError, Location
from ..project import Project
from ..snippets.files import RUNNABLE
from .cells import Lock, load_cells
from .environments import Uv, prepare_environment
from .report import CellReport, MatrixReport
from .table import write_page
from .testrun import run_items
from .verified import imported_distributions, refresh_index


def run_matrix(project: Project, cells: list[str] | None = None, decks: list[str] | None = None,
               say: Callable[[str], None] = print) -> MatrixReport:
    """Run every item of ``decks`` (all decks if none) in each cell (all if none; the lock always),
    one cell after another; write build/matrix.json and build/matrix.html."""
    decks = list(decks or project.deck_names())
    if not decks:
        raise DeckError("no decks to run: write one as slides/<name>.md", Location(project.slides_dir))
    for deck in decks:
        project.deck_path(deck)
    lock = Lock.read(project)
    chosen = load_cells(project, cells)
    uv = Uv.for_project(project)
    first = imported_distributions(project, decks)
    report = MatrixReport(decks={deck: {item: {} for item in expected_items(project, deck)} for deck in decks})
    printed = {}
    for cell in chosen:
        report.cells.append(run_cell(cell, lock, project, uv, decks, first, report, printed, say))
    report.compare_printed(printed)
    write_outputs(project, report)
    return report


def run_cell(cell, lock: Lock, project: Project, uv: Uv, decks: list[str], first: list[str], report: MatrixReport,
             printed: dict, say: Callable[[str], None]) -> CellReport:
    """One cell resolved, installed and run; its outcomes go into ``report``, what its snippets
    printed into ``printed``."""
    say(f"{cell.name}: {cell.describe()}")
    environment = prepare_environment(cell, lock, project, uv, first)
    result = CellReport(cell, problem=environment.problem, packages=environment.packages,
                        reused=environment.reused, seconds=dict(environment.seconds))
    if environment.problem:
        say(f"{cell.name}: {environment.problem}")
        return result
    state = "reused" if environment.reused else "installed"
    say(f"{cell.name}: {environment.packages} packages resolved in {environment.seconds['resolve']:.1f} s, "
        f"environment {state} in {environment.seconds['install']:.1f} s; running the items")
    started = time.perf_counter()
    run = run_items(environment, project, decks)
    result.seconds["run"] = time.perf_counter() - started
    result.problem, result.versions, result.python = run.problem, run.versions, run.python
    for (deck, item), outcome in run.outcomes.items():
        report.decks.setdefault(deck, {}).setdefault(item, {})[cell.name] = outcome
    printed[cell.name] = run.printed
    counts = _counts(run.outcomes.values())
    say(f"{cell.name}: {run.problem or counts} ({result.seconds['run']:.1f} s)")
    return result


def expected_items(project: Project, deck: str) -> list[str]:
    """The rows of a deck: its runnable snippets, then its notebook (as the pytest plugin names them)."""
    from ..notebook import notebook_names

    folder = project.snippets_dir / deck
    snippets = sorted(path.stem for path in folder.glob("*") if path.suffix in RUNNABLE) if folder.is_dir() else []
    return [*snippets, notebook_names(deck)[True]]


def write_outputs(project: Project, report: MatrixReport) -> None:
    """build/matrix.json, build/matrix.html, and the index linking to the page."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.as_json(), indent=1, ensure_ascii=False)
    (project.build_dir / "matrix.json").write_text(text + "\n", encoding="utf-8")
    write_page(project, report, project.build_dir / "matrix.html")
    refresh_index(project)


def _counts(outcomes) -> str:
    counted: dict[str, int] = {}
    for outcome in outcomes:
        counted[outcome.status] = counted.get(outcome.status, 0) + 1
    return ", ".join(f"{number} {status}" for status, number in counted.items()) or "no items"

