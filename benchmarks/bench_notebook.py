"""A deck's solutions notebook run by the pytest plugin, beside its snippet suite, in the same pytest run.

The snippet suite: every ``snippets/<deck>/*.py`` item (each snippet with its prelude and
requirements, in the snippet worker; the worker's imports counted once, in the first item). The
notebook: the ``slides/<deck>.md`` item (render, write, start a kernel, run every cell, compare the
outputs slides show). Prints each one's time, summed from pytest's own per-test durations, and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(deck: str, report: Path) -> tuple[float, float, int]:
    """(snippet suite seconds, notebook seconds, snippet items) of one pytest run."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
               f"--junitxml={report}", f"snippets/{deck}", f"slides/{deck}.md"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pytest failed:\n{done.stdout[-3000:]}")
    cases = ElementTree.parse(report).getroot().iter("testcase")
    times = {(case.get("classname"), case.get("name")): float(case.get("time")) for case in cases}
    snippets = [seconds for (where, _), seconds in times.items() if where.startswith("snippets.")]
    notebook = [seconds for (where, _), seconds in times.items() if where.startswith("slides.")]
    return sum(snippets), sum(notebook), len(snippets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", default="intro-ml")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-notebook-") as scratch:
        for index in range(args.repeat):
            runs.append(one_run(args.deck, Path(scratch) / f"report-{index}.xml"))
    suite = statistics.median(run[0] for run in runs)
    notebook = statistics.median(run[1] for run in runs)
    print(f"deck {args.deck}, {runs[0][2]} snippets, median of {args.repeat} pytest run(s):")
    print(f"  snippet suite (one item per snippet): {suite:7.1f} s")
    print(f"  solutions notebook (one item):        {notebook:7.1f} s")
    print(f"  notebook / snippet suite:             {notebook / suite:7.2f}")


if __name__ == "__main__":
    main()
