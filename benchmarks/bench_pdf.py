"""Printing time of ``remarkdeck pdf`` on the lecture (both PDFs, tagged: every step, and the
handout), against decktape with its defaults and against one bare Playwright ``page.pdf()`` of the
same page: untagged (the target), and tagged (what Chromium's structure tree costs by itself).

Each figure is a whole process, start to exit, on the same Chromium; remarkdeck and the bare
reference run alternately, so a busy machine slows both alike. Works on a copy of the project's
sources and snippet cache, so no snippet runs and the real build/ is untouched.
Standalone: ``python benchmarks/bench_pdf.py [--deck NAME] [--runs N] [--no-decktape]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright
from project_copy import copy_project
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from remarkdeck.browser import LAUNCH_ARGS, find_browser

REPO = Path(__file__).resolve().parents[1]
DECKTAPE = REPO / "node_modules" / ".bin" / "decktape"
AT_LEAST_FASTER_THAN_DECKTAPE = 30.0
AT_MOST_SLOWER_THAN_BARE = 1.15

# The reference: the least a correct print takes. One page.pdf() of the deck's print layout (page
# at the slide's size, Remark's print rescale undone: remarkdeck's print CSS), once the page says it
# is ready; no handout, no checks, no metadata.
BARE_PDF = """
import sys
from playwright.sync_api import sync_playwright
from remarkdeck.browser import launch
from remarkdeck.pdf import PRINT_CSS
with sync_playwright() as playwright:
    browser = launch(playwright)
    page = browser.new_page(viewport={"width": 1210, "height": 681})
    page.goto(sys.argv[1])
    page.evaluate("window.remarkdeckReady")
    page.add_style_tag(content=PRINT_CSS.format(width=1210, page_height=681))
    page.pdf(path=sys.argv[2], width="1210px", height="681px", print_background=True, prefer_css_page_size=True,
             tagged=sys.argv[3:] == ["tagged"])
    browser.close()
"""


@dataclass
class Runs:
    """Whole-process timings of one command: wall seconds, and CPU seconds of its process tree."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    pages: str = ""

    def run(self, command: list[str], cwd: Path) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=environment(), capture_output=True, text=True)
        self.wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")

    @property
    def seconds(self) -> float:
        return statistics.median(self.wall)

    def line(self) -> str:
        runs = f"  (runs: {', '.join(f'{s:.2f}' for s in self.wall)})" if len(self.wall) > 1 else ""
        return (f"  {self.label + ', ' + self.pages:<48} {self.seconds:7.2f} s wall, "
                f"{statistics.median(self.cpu):5.2f} s CPU{runs}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", default="intro-ml")
    parser.add_argument("--runs", type=int, default=5, help="runs of remarkdeck and of the bare reference")
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--no-decktape", dest="decktape", action="store_false", help="skip decktape (slow)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        project = copy_project(args.project, Path(scratch) / "project")
        build(project, args.deck)
        page = project / "build" / args.deck / "index.html"
        ours, bare, bare_tagged = measure_alternately(project, args.deck, page, args.runs)
        decktape = [run_decktape(page, Path(scratch) / "decktape.pdf", pause)
                    for pause in (None, 0)] if args.decktape else []
        print(f"bench_pdf: deck {args.deck}, {os.cpu_count()} cores, load average {load:.1f} -> "
              f"{os.getloadavg()[0]:.1f}; whole processes, medians")
        return report(ours, bare, bare_tagged, decktape)


def environment() -> dict[str, str]:
    return dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"), PUPPETEER_SKIP_DOWNLOAD="1")


def build(project: Path, deck: str) -> None:
    done = subprocess.run([sys.executable, "-m", "remarkdeck", "build", "-q", deck], cwd=project, env=environment(),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the deck does not build:\n{done.stderr}")


def measure_alternately(project: Path, deck: str, page: Path, runs: int) -> tuple[Runs, Runs, Runs]:
    ours, bare = Runs("remarkdeck pdf, both PDFs"), Runs("bare page.pdf(), one PDF")
    bare_tagged = Runs("bare page.pdf(tagged=True), one PDF")
    bare_pdf = project / "bare.pdf"
    for _ in range(runs):
        ours.run([sys.executable, "-m", "remarkdeck", "pdf", "-q", deck], project)
        bare.run([sys.executable, "-c", BARE_PDF, page.as_uri(), str(bare_pdf)], project)
        bare_tagged.run([sys.executable, "-c", BARE_PDF, page.as_uri(), str(bare_pdf), "tagged"], project)
    built = project / "build"
    ours.pages = f"{pages(built / f'{deck}.pdf')} + {pages(built / f'{deck}-handout.pdf')} pages"
    bare.pages = bare_tagged.pages = f"{pages(bare_pdf)} pages"
    return ours, bare, bare_tagged


def run_decktape(page: Path, output: Path, pause: int | None) -> Runs:
    """decktape 3.16 (an npm dev dependency) on the same Chromium, once."""
    if not DECKTAPE.exists():
        raise SystemExit(f"{DECKTAPE} is missing: run `npm ci` (decktape is a dev dependency in package.json)")
    options = [] if pause is None else ["--pause", str(pause)]
    runs = Runs(f"decktape {' '.join(options) or 'defaults'}, one PDF")
    runs.run([str(DECKTAPE), "remark", *options, "--chrome-path", chromium_path(),
              *(f"--chrome-arg={argument}" for argument in LAUNCH_ARGS), page.as_uri(), str(output)], page.parent)
    runs.pages = f"{pages(output)} pages"
    return runs


def chromium_path() -> str:
    """The executable remarkdeck launches, for decktape to launch too."""
    with sync_playwright() as playwright:
        browser = find_browser(playwright)
        return str(browser.executable or playwright.chromium.executable_path)


def pages(pdf: Path) -> int:
    try:
        return len(PdfReader(pdf).pages)
    except (OSError, PdfReadError):
        return 0


def report(ours: Runs, bare: Runs, bare_tagged: Runs, decktape: list[Runs]) -> int:
    """The figures and whether each meets its target; a missed target is a figure to read, as in
    every benchmark here (only a crash fails `make bench`)."""
    for runs in (ours, bare, bare_tagged, *decktape):
        print(runs.line())
    slower = ours.seconds / bare.seconds
    check(f"remarkdeck / bare page.pdf() = {slower:.2f}x", slower <= AT_MOST_SLOWER_THAN_BARE,
          f"at most {AT_MOST_SLOWER_THAN_BARE}x")
    print(f"  remarkdeck / bare tagged page.pdf() = {ours.seconds / bare_tagged.seconds:.2f}x; "
          f"tagging alone: {bare_tagged.seconds / bare.seconds:.2f}x")
    if decktape:
        faster = decktape[0].seconds / ours.seconds
        check(f"decktape defaults / remarkdeck = {faster:.1f}x faster", faster >= AT_LEAST_FASTER_THAN_DECKTAPE,
              f"at least {AT_LEAST_FASTER_THAN_DECKTAPE:g}x")
    return 0


def check(figure: str, met: bool, target: str) -> None:
    print(f"  {figure}  ({'met' if met else 'MISSED'}: {target})")


if __name__ == "__main__":
    sys.exit(main())
