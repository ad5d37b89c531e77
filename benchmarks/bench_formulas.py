"""Formulas typeset at build time, against the page typesetting them in the browser as before.

Prints, in one run: the lecture's page-ready time (navigation start to ``window.remarkdeckReady``
resolved, headless Chromium, from ``file://``) before and after, side by side, with the main
thread's busy time until then (Chromium's TaskDuration: less sensitive to a busy machine); the build time the
formula stage takes with an empty formula cache (V8 started, KaTeX loaded) and with a warm one; and
the time ``remarkdeck pdf`` takes before and after.

"Before" is the last commit whose deck.html still loaded KaTeX's auto-render, checked out from git
(its remarkdeck and its lecture) and built as it was; "after" is this working tree; "none" is the
after page with its formulas left out, the least a page can take. Both work on
copies of the project with its snippet cache, so no snippet runs and the real build/ is untouched.
Standalone: ``python benchmarks/bench_formulas.py [--deck NAME] [--loads N] [--builds N] [--no-pdf]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from playwright.sync_api import sync_playwright
from project_copy import copy_project

from remarkdeck.browser import launch

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.85  # page-ready after / before, at most
# When the page's window.remarkdeckReady resolves, in ms since navigation start: the promise is
# caught as the page assigns it, before anything else can wait on it.
READY_AT = """
Object.defineProperty(window, "remarkdeckReady", {
  configurable: true,
  get() { return undefined; },
  set(promise) {
    Object.defineProperty(window, "remarkdeckReady", {value: promise, writable: true, configurable: true});
    promise.then(() => { window.remarkdeckReadyAt = performance.now(); });
  },
});
"""
# One build in a fresh process, the formula stage timed from inside: prints {"build": s, "formulas": s}.
TIMED_BUILD = """
import json, sys, time
from pathlib import Path
from remarkdeck import build as build_module
from remarkdeck.project import Project
spent = [0.0]
stage = build_module.typeset_formulas
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return stage(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - started
build_module.typeset_formulas = timed
started = time.perf_counter()
report = build_module.build(Project(Path.cwd()), [sys.argv[1]], say=lambda *_: None)
print(json.dumps({"build": time.perf_counter() - started, "formulas": spent[0], "typeset": report.typeset}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", default="intro-ml")
    parser.add_argument("--loads", type=int, default=9, help="page loads of each version")
    parser.add_argument("--builds", type=int, default=5, help="cold and warm builds")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-formulas-") as scratch:
        before, after = Path(scratch) / "before", Path(scratch) / "after"
        commit = baseline_commit()
        make_baseline(commit, before)
        copy_project(REPO, after)
        build(before, args.deck, baseline=True)
        build(after, args.deck)
        pages = {"before": before / "build" / args.deck / "index.html",
                 "after": after / "build" / args.deck / "index.html"}
        pages["none"] = without_formulas(pages["after"])
        ready = page_ready(pages, args.loads)
        cold = [timed_build(after, args.deck, cold=True) for _ in range(args.builds)]
        warm = [timed_build(after, args.deck, cold=False) for _ in range(args.builds)]
        pdf = None if args.no_pdf else (pdf_seconds(before, args.deck, baseline=True), pdf_seconds(after, args.deck))
    report(args.deck, commit, ready, cold, warm, pdf)


def baseline_commit() -> str:
    """The last commit whose page typeset formulas in the browser: the parent of the one that
    removed auto-render from deck.html."""
    removed = git("log", "-1", "--format=%H", "-S", "auto-render.min.js", "--", "src/remarkdeck/templates/deck.html")
    if not removed:
        raise SystemExit("no commit removed auto-render.min.js from deck.html: nothing to compare with")
    return git("rev-parse", f"{removed}^")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def make_baseline(commit: str, target: Path) -> None:
    """The project as it was at ``commit``: its remarkdeck (src/) and its sources, with today's
    snippet cache (same snippets, same key)."""
    archive = subprocess.run(["git", "archive", commit, "src", "slides", "snippets", "templates", "img"],
                             cwd=REPO, capture_output=True, check=True).stdout
    target.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    if (REPO / "build" / ".cache" / "snippets").is_dir():
        shutil.copytree(REPO / "build" / ".cache" / "snippets", target / "build" / ".cache" / "snippets")


def environment(baseline: bool, root: Path) -> dict[str, str]:
    env = dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"))
    if baseline:
        env["PYTHONPATH"] = str(root / "src")  # the baseline's own remarkdeck, not this tree's
    return env


def build(root: Path, deck: str, baseline: bool = False) -> None:
    done = subprocess.run([sys.executable, "-m", "remarkdeck", "build", deck], cwd=root,
                          env=environment(baseline, root), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{'the baseline' if baseline else 'this tree'} does not build:\n{done.stderr}")
    if "running snippet" in done.stderr:
        print("note: snippets ran (their cache was cold); figures below are unaffected", file=sys.stderr)


def without_formulas(page: Path) -> Path:
    """A copy of the built page, beside it, that puts no formula on its slides."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'(<script type="application/json" id="remarkdeck-formulas">)[^<]*(</script>)', r"\1[]\2", html)
    html = re.sub(r"\n *remarkdeckTypeset\(JSON\.parse\([^\n]*\n", "\n", html)
    if "remarkdeckTypeset(JSON" in html:
        raise SystemExit("cannot find where the page puts its formulas on the slides")
    copy = page.with_name("without-formulas.html")
    copy.write_text(html, encoding="utf-8")
    return copy


def page_ready(pages: dict[str, Path], loads: int) -> dict[str, list[tuple[float, float]]]:
    """(seconds from navigation start to the page ready, main-thread busy seconds until then) of
    each page loaded ``loads`` times, in turn, each load in a fresh browser context; a first round,
    which warms the browser and the disk cache, is not counted."""
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in pages}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for number, (label, page_file) in enumerate(list(pages.items()) * (loads + 1)):
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            devtools = context.new_cdp_session(page)
            devtools.send("Performance.enable")
            page.add_init_script(READY_AT)
            page.goto(page_file.as_uri())
            page.wait_for_function("window.remarkdeckReadyAt !== undefined", timeout=60_000)
            metrics = {metric["name"]: metric["value"] for metric in devtools.send("Performance.getMetrics")["metrics"]}
            if number >= len(pages):
                times[label].append((page.evaluate("window.remarkdeckReadyAt") / 1000, metrics["TaskDuration"]))
            if label == "after" and page.evaluate("document.querySelectorAll('.katex-error').length"):
                raise SystemExit("the typeset page shows KaTeX errors")
            context.close()
        browser.close()
    return times


def timed_build(root: Path, deck: str, cold: bool) -> dict[str, float]:
    if cold:
        shutil.rmtree(root / "build" / ".cache" / "formulas", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", TIMED_BUILD, deck], cwd=root, env=environment(False, root),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the timed build failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pdf_seconds(root: Path, deck: str, baseline: bool = False) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "remarkdeck", "pdf", deck, "-q"], cwd=root,
                          env=environment(baseline, root), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"remarkdeck pdf failed ({'before' if baseline else 'after'}):\n{done.stderr}")
    return time.perf_counter() - started


def report(deck: str, commit: str, ready: dict[str, list[tuple[float, float]]], cold: list[dict], warm: list[dict],
           pdf: tuple[float, float] | None) -> None:
    median = statistics.median
    wall = {label: median(r[0] for r in runs) for label, runs in ready.items()}
    busy = {label: median(r[1] for r in runs) for label, runs in ready.items()}
    verdict = "meets" if wall["after"] / wall["before"] <= TARGET else "misses"
    print(f"page ready ({deck}, median of {len(ready['after'])} loads each; before = {commit[:10]}, "
          f"KaTeX auto-render in the page; none = no formulas at all):")
    print(f"  before {wall['before']:.2f} s, after {wall['after']:.2f} s, none {wall['none']:.2f} s: after/before "
          f"{wall['after'] / wall['before']:.2f}x ({verdict} the target {TARGET}x), "
          f"none/before {wall['none'] / wall['before']:.2f}x")
    print(f"  main thread busy until ready: before {busy['before']:.2f} s, after {busy['after']:.2f} s, "
          f"none {busy['none']:.2f} s: after/before {busy['after'] / busy['before']:.2f}x")
    for label in ready:
        print(f"  {label} each: " + ", ".join(f"{wall:.2f}" for wall, _ in ready[label]) + " s")
    for label, runs in (("cold (no formula cache)", cold), ("warm (nothing changed)", warm)):
        print(f"build, {label}: median {median(r['build'] for r in runs):.2f} s, of which typesetting "
              f"{median(r['formulas'] for r in runs):.3f} s ({runs[0]['typeset']} formulas typeset; "
              f"median of {len(runs)})")
    if pdf:
        print(f"remarkdeck pdf {deck}: before {pdf[0]:.1f} s, after {pdf[1]:.1f} s ({pdf[1] / pdf[0]:.2f}x)")


if __name__ == "__main__":
    main()
