"""The lecture's snippet suite under pytest, against two baselines run side by side:

- floor: the same snippet files run back to back in one plain Python process (each snippet with its
  prelude and requirements, as the plugin runs it, but with no isolation, capture or reporting);
- fresh: one new interpreter per snippet, paying the prelude's imports every time.

Prints the median wall time of each (whole process, ``--repeat`` runs) and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from remarkdeck.snippets.execute import worker_environment  # noqa: E402
from remarkdeck.snippets.files import SnippetLibrary  # noqa: E402

PLAIN = '''
import os, sys, tempfile
sys.path.insert(0, {src!r})
from remarkdeck.snippets.execute import execute_file
for prelude, chain in {plan!r}:
    os.chdir(tempfile.mkdtemp())
    namespace = {{"__name__": "__main__"}}
    for path in ([prelude] if prelude else []) + chain:
        execute_file(path, namespace)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
'''


def plan(deck: str) -> list[tuple[str | None, list[str]]]:
    """For every snippet of the deck: (prelude, files to run), as the plugin runs them."""
    library = SnippetLibrary(ROOT / "snippets" / deck, deck)
    prelude = library.prelude()
    steps = []
    for name in library.names():
        chain = [str(s.path) for s in library.chain(name)]
        if prelude is not None and name == prelude.name:
            steps.append((str(prelude.path), []))
        else:
            steps.append((str(prelude.path) if prelude else None, chain))
    return steps


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=worker_environment(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", default="intro-ml")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    steps = plan(args.deck)
    scratch = Path(tempfile.mkdtemp(prefix="bench-snippets-"))
    plain_script = scratch / "plain.py"
    plain_script.write_text(PLAIN.format(src=str(ROOT / "src"), plan=steps))
    fresh_scripts = []
    for index, step in enumerate(steps):
        script = scratch / f"fresh-{index}.py"
        script.write_text(PLAIN.format(src=str(ROOT / "src"), plan=[step]))
        fresh_scripts.append(script)

    pytest_command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"snippets/{args.deck}"]
    runs = {"pytest": [], "floor": [], "fresh": []}
    for _ in range(args.repeat):  # interleaved, so that machine load hits all three alike
        runs["pytest"].append(timed(pytest_command))
        runs["floor"].append(timed([sys.executable, str(plain_script)]))
        runs["fresh"].append(sum(timed([sys.executable, str(s)]) for s in fresh_scripts))

    median = {name: statistics.median(times) for name, times in runs.items()}
    print(f"{len(steps)} snippets of {args.deck}, median of {args.repeat} runs (whole process, wall time)")
    for name, label in (("pytest", "pytest suite (worker, isolation, capture)"),
                        ("floor", "plain back-to-back, one process (floor)"),
                        ("fresh", "one fresh interpreter per snippet")):
        print(f"  {label:45s} {median[name]:7.2f} s   runs: {', '.join(f'{t:.2f}' for t in runs[name])}")
    print(f"  pytest / floor = {median['pytest'] / median['floor']:.3f}   (target <= 1.15)")
    print(f"  fresh / pytest = {median['fresh'] / median['pytest']:.2f}x")


if __name__ == "__main__":
    main()
