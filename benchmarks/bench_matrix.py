"""`remarkdeck matrix` on the lecture, cell by cell, beside a plain pytest of the same items in the
lock's environment; then the time to create each cell's environment from a warm uv cache.

- plain: ``python -m pytest snippets/<deck> slides/<deck>.md`` with the lock cell's Python, on the same
  copy of the lecture the matrix runs on;
- cell: what the matrix does for a warm cell: resolve with uv, find the environment unchanged, copy
  the lecture, run the same pytest items, read their outcomes;
- create: a cell's environment deleted, then made again (uv venv, uv pip sync, remarkdeck from this
  checkout) with every package already in uv's cache.

Prints the median wall time of each (``--repeat`` runs, interleaved) and each cell's ratio to plain.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from remarkdeck.matrix.cells import Lock, load_cells  # noqa: E402
from remarkdeck.matrix.environments import Uv, prepare_environment  # noqa: E402
from remarkdeck.matrix.testrun import cell_process_environment, copy_lecture, deck_paths, run_items  # noqa: E402
from remarkdeck.matrix.verified import imported_distributions  # noqa: E402
from remarkdeck.project import Project  # noqa: E402

TARGET = 1.3


def plain_pytest(environment, project: Project, decks: list[str]) -> float:
    copy = copy_lecture(project, Path(tempfile.mkdtemp(prefix="bench-matrix-")) / "lecture", decks)
    started = time.perf_counter()
    subprocess.run([str(environment.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *deck_paths(copy, decks)],
                   cwd=copy, env=cell_process_environment(environment.venv), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(copy.parent)
    return elapsed


def warm_cell(cell, lock, project, uv, first, decks) -> tuple[float, object]:
    started = time.perf_counter()
    environment = prepare_environment(cell, lock, project, uv, first)
    if environment.problem:
        raise SystemExit(f"cell {cell.name}: {environment.problem}")
    run = run_items(environment, project, decks)
    if run.problem:
        raise SystemExit(f"cell {cell.name}: {run.problem}")
    return time.perf_counter() - started, environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", action="append", help="deck names (default: every deck)")
    parser.add_argument("--cell", action="append", help="cells (default: every cell)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    project = Project(ROOT)
    decks = args.deck or project.deck_names()
    lock, uv = Lock.read(project), Uv.for_project(project)
    cells = load_cells(project, args.cell)
    first = imported_distributions(project, decks)

    environments = {}
    for cell in cells:  # made (or found) once before timing: the cells below are warm
        environments[cell.name] = prepare_environment(cell, lock, project, uv, first)
        if environments[cell.name].problem:
            raise SystemExit(f"cell {cell.name}: {environments[cell.name].problem}")
    runs: dict[str, list[float]] = {"plain": [], **{cell.name: [] for cell in cells}}
    for _ in range(args.repeat):  # interleaved, so that machine load hits all alike
        runs["plain"].append(plain_pytest(environments["lock"], project, decks))
        for cell in cells:
            runs[cell.name].append(warm_cell(cell, lock, project, uv, first, decks)[0])

    median = {name: statistics.median(times) for name, times in runs.items()}
    print(f"decks {', '.join(decks)}: median of {args.repeat} run(s), wall time")
    print(f"  {'plain pytest, lock environment':34s} {median['plain']:8.1f} s")
    for cell in cells:
        ratio = median[cell.name] / median["plain"]
        print(f"  {'cell ' + cell.name + ' (warm)':34s} {median[cell.name]:8.1f} s   {ratio:.2f}x   "
              f"(target <= {TARGET}){'' if ratio <= TARGET else '  MISSED'}")

    print("creating a cell's environment from a warm uv cache")
    for cell in cells:
        shutil.rmtree(environments[cell.name].venv)
        started = time.perf_counter()
        made = prepare_environment(cell, lock, project, uv, first)
        elapsed = time.perf_counter() - started
        print(f"  {cell.name:34s} {elapsed:8.1f} s   ({made.packages} packages; resolve "
              f"{made.seconds['resolve']:.1f} s, install {made.seconds['install']:.1f} s)")


if __name__ == "__main__":
    main()
