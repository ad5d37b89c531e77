"""Try remarkdeck on real decks by other authors, as a new user would: a new course made with
`remarkdeck init`, every deck imported (and upgraded), then the course's own `make test`.

    python tools/try_decks.py DECKS_FOLDER COURSE_FOLDER [--no-upgrade] [--only NAME ...]

DECKS_FOLDER holds one folder per deck and an INDEX.md whose table names each deck's entry file
(first column: the folder, third: the entry, relative to the folder). The decks are other people's
work: keep them out of this repository. Prints, per deck, whether it imported and built, its
Python snippet items by outcome, and the failures by class; writes COURSE_FOLDER/trial.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ERROR_LINE = re.compile(r"^(?:E\s+)?(\w+(?:\.\w+)*(?:Error|Exception|Exit|Interrupt|Warning)|AssertionError)\b:?(.*)$",
                        re.M)


def read_index(decks: Path) -> list[tuple[str, Path]]:
    """(deck name, entry file) for each row of INDEX.md's table."""
    entries: list[tuple[str, Path]] = []
    for line in (decks / "INDEX.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not (decks / cells[0]).is_dir():
            continue
        entry = decks / cells[0] / cells[2].split(" (")[0].strip()
        name, taken = _deck_name(cells[0]), {name for name, _ in entries}
        entries.append((next(f"{name}-{n}" for n in range(2, 99) if f"{name}-{n}" not in taken)
                        if name in taken else name, entry))
    return entries


def _deck_name(folder: str) -> str:
    """``owner--repo--deck`` as a short deck name: the owner's first letters, the repository's last
    word (folders of one repository often share the deck's name), the deck."""
    owner, repo, deck = (folder.split("--") + ["", ""])[:3]
    name = f"{owner[:6]}-{re.split(r'[-_]', repo)[-1][:10]}-{deck}"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48].strip("-")


def run(command: list[str], cwd: Path, log: Path, env: dict | None = None, timeout: float = 3600) -> tuple[int, float]:
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env, timeout=timeout)
    return done.returncode, time.perf_counter() - started


def remarkdeck(*args: str, python: str = sys.executable) -> list[str]:
    return [python, "-m", "remarkdeck", *args]


def junit_outcomes(report: Path) -> dict[str, tuple[str, str]]:
    """Each test item's outcome (passed, failed, error, xfailed, skipped) and, if not passed, its message."""
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
                message = (child.get("message") or "") + "\n" + (child.text or "")
            elif child.tag == "skipped":
                kind = child.get("type") or ""
                outcome = "xfailed" if "xfail" in kind else "skipped"
                message = child.get("message") or ""
        outcomes[name] = (outcome, message)
    return outcomes


def failure_class(message: str) -> str:
    found = ERROR_LINE.findall(message)
    return found[-1][0] if found else (message.strip().splitlines() or ["?"])[-1][:80]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("decks", type=Path)
    parser.add_argument("course", type=Path)
    parser.add_argument("--no-upgrade", action="store_true", help="import only, as before `remarkdeck upgrade`")
    parser.add_argument("--only", nargs="*", default=None, help="deck names to try (default: all)")
    args = parser.parse_args()
    course, logs = args.course.resolve(), args.course.resolve() / "trial-logs"
    if not course.exists():
        subprocess.run(remarkdeck("init", str(course), "--deck", "demo"), check=True)
    logs.mkdir(exist_ok=True)
    env = dict(os.environ)
    subprocess.run(["make", "setup"], cwd=course, check=True, stdout=subprocess.DEVNULL)
    python = str(course / ".venv" / "bin" / "python")
    results: dict[str, dict] = {}
    for name, entry in read_index(args.decks):
        if args.only and name not in args.only:
            continue
        result = results[name] = {"entry": str(entry)}
        if not (course / "slides" / f"{name}.md").exists():
            code, seconds = run(remarkdeck("import", str(entry), "--name", name, python=python), course, logs / f"{name}.import.log", env)
            result.update(imported=code == 0, import_seconds=round(seconds, 2))
        if not args.no_upgrade and (course / "slides" / f"{name}.md").exists():
            code, seconds = run(remarkdeck("upgrade", name, python=python), course, logs / f"{name}.upgrade.log", env)
            result.update(upgraded=code == 0, upgrade_seconds=round(seconds, 2))
        code, seconds = run(remarkdeck("build", name, python=python), course, logs / f"{name}.build.log", env)
        result.update(built=code == 0, build_seconds=round(seconds, 2))
        print(f"{name}: imported {result.get('imported', 'before')}, built {result['built']}", flush=True)
    code, seconds = run(["make", "test"], course, logs / "make-test.log", env, timeout=5400)
    # every deck's snippet items, whether or not the build (which make test runs first) stopped it
    report = course / "trial-junit.xml"
    run([str(course / ".venv" / "bin" / "python"), "-m", "pytest", "-q", f"--junitxml={report}", "snippets"],
        course, logs / "pytest-snippets.log", env, timeout=5400)
    summary = summarise(results, junit_outcomes(report) if report.exists() else {})
    summary.update(make_test_exit=code, make_test_seconds=round(seconds, 1))
    (course / "trial.json").write_text(json.dumps(summary, indent=2))
    print_summary(summary)
    return 0


def summarise(results: dict[str, dict], outcomes: dict[str, tuple[str, str]]) -> dict:
    decks: dict[str, Counter] = defaultdict(Counter)
    classes: Counter = Counter()
    for item, (outcome, message) in outcomes.items():
        found = re.search(r"snippets[./](\w[\w-]*)[./]", item.replace(".", "/"))
        deck = found.group(1) if found else "other"
        decks[deck][outcome] += 1
        if outcome in ("failed", "error"):
            classes[failure_class(message)] += 1
    return {"decks": results, "items": {deck: dict(counts) for deck, counts in decks.items()},
            "failure_classes": dict(classes.most_common())}


def print_summary(summary: dict) -> None:
    total: Counter = Counter()
    print(f"\n{'deck':42} {'built':6} {'passed':>6} {'xfail':>6} {'failed':>6}")
    for name, result in summary["decks"].items():
        counts = Counter(summary["items"].get(name, {}))
        total.update(counts)
        print(f"{name:42} {str(result.get('built')):6} {counts['passed']:6} {counts['xfailed']:6} "
              f"{counts['failed'] + counts['error']:6}")
    built = sum(1 for result in summary["decks"].values() if result.get("built"))
    items = sum(total.values())
    print(f"\n{built}/{len(summary['decks'])} decks build; {items} snippet items: {total['passed']} passed "
          f"({100 * total['passed'] / max(items, 1):.0f}%), {total['xfailed']} known failures, "
          f"{total['failed'] + total['error']} failed; make test exit {summary['make_test_exit']} "
          f"in {summary['make_test_seconds']} s")
    for name, count in summary["failure_classes"].items():
        print(f"  {count:4} {name}")


if __name__ == "__main__":
    sys.exit(main())
