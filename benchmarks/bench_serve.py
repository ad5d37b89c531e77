"""Save-to-reload time of ``remarkdeck serve`` on the lecture: from writing a slide's text to the
open page showing it, on the same slide.

Works on a copy of the project's sources and snippet cache, so the real slides are never touched
and no snippet runs. Standalone: ``python benchmarks/bench_serve.py [--edits N] [--deck NAME]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from project_copy import copy_project

from remarkdeck.browser import launch

REPO = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"^## (?!.*\{)(.+?)\s*$", re.M)  # a slide title with no Jinja in it
# The browser's clock when the slide on screen first showed the marker (run before each frame).
SHOWN_AT = """marker => {
    const slide = document.querySelector(".remark-visible .remark-slide-content");
    return slide !== null && slide.textContent.includes(marker) && (performance.timeOrigin + performance.now()) / 1000;
}"""
# When the page, if it reloaded, first painted: the browser's clock again, so the time Playwright
# takes to notice is not counted.
PAINTED = """() => new Promise(resolve => {
    const report = entries => resolve((performance.timeOrigin + entries[0].startTime) / 1000);
    const painted = performance.getEntriesByName("first-contentful-paint");
    if (painted.length) return report(painted);
    new PerformanceObserver(list => report(list.getEntriesByName("first-contentful-paint")))
        .observe({type: "paint", buffered: true});
})"""
RELOADED = "() => performance.timeOrigin / 1000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", default="intro-ml")
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--project", type=Path, default=REPO)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        project = copy_project(args.project, Path(scratch) / "project")
        with Server(project, args.deck) as server:
            timings = measure(server, project / "slides" / f"{args.deck}.md", args.edits)
    report(args.deck, timings)



class Server:
    """``remarkdeck serve DECK --port 0`` in a project; its terminal lines collected as they come."""

    def __init__(self, project: Path, deck: str):
        self.project, self.deck = project, deck
        self.lines: list[str] = []
        self.times: list[float] = []  # when each line came
        self.new_line = threading.Condition()

    def __enter__(self) -> "Server":
        env = dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"), PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "remarkdeck", "serve", self.deck, "--port", "0"], cwd=self.project, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"at (http://\S+) ").group(1)
        first = self.wait_for(r"^(built .* in ([\d.]+) s; ran (\d+)|build failed)", timeout=3600)
        if first.group(0) == "build failed":
            raise SystemExit("the deck does not build:\n" + "\n".join(self.lines))
        print(f"first build {first.group(2)} s, ran {first.group(3)} snippet(s)", file=sys.stderr)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.new_line:
                self.times.append(time.time())
                self.lines.append(line.rstrip("\n"))
                self.new_line.notify_all()

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        with self.new_line:
            while True:
                for line in self.lines[after:]:
                    if match := re.search(pattern, line):
                        return match
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit(f"remarkdeck serve never printed {pattern!r}:\n" + "\n".join(self.lines))
                self.new_line.wait(deadline - time.monotonic())


def measure(server: Server, deck: Path, edits: int) -> list[dict[str, float]]:
    """Edit a slide title ``edits`` times; each time, when (seconds after the save) the server saw
    the change, finished the build, the page started reloading and painted the edit."""
    source = deck.read_text(encoding="utf-8")
    titles = HEADING.findall(source)
    title = titles[len(titles) // 2]
    timings = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(server.url)
        page.evaluate("window.remarkdeckReady")
        slide = page.evaluate("""title => 1 + Array.from(document.querySelectorAll(
            ".remark-slides-area .remark-slide-content")).findIndex(slide => slide.textContent.includes(title))""",
                              title)
        page.evaluate("slide => slideshow.gotoSlide(slide)", slide)
        for edit in range(1, edits + 1):
            marker = f"{title} (edit {edit})"
            lines_before = len(server.lines)
            saved = time.time()
            deck.write_text(source.replace(f"## {title}\n", f"## {marker}\n", 1), encoding="utf-8")
            shown_at = page.wait_for_function(SHOWN_AT, arg=marker, polling="raf", timeout=30_000).json_value()
            reloaded = page.evaluate(RELOADED)
            if reloaded > saved:
                shown_at = page.evaluate(PAINTED)
            shown = page.evaluate("slideshow.getCurrentSlideIndex() + 1")
            if shown != slide:
                raise SystemExit(f"after edit {edit} the page shows slide {shown}, not {slide}")
            changed = server.wait_for(r"^changed: ", after=lines_before)
            built = server.wait_for(r"^built .* in ([\d.]+) s; ran (\d+)", after=lines_before)
            timings.append({
                "noticed": server.times[server.lines.index(changed.string, lines_before)] - saved,
                "built": server.times[server.lines.index(built.string, lines_before)] - saved,
                "shown": shown_at - saved,
                "reloads": reloaded > saved,
                "snippets": int(built.group(2)),
            })
            page.evaluate("window.remarkdeckReady")
            time.sleep(0.5)  # a lecturer does not save twice in a second
        browser.close()
    return timings


def report(deck: str, timings: list[dict[str, float]]) -> None:
    def median(key: str) -> float:
        return statistics.median(timing[key] for timing in timings)

    shown = [timing["shown"] for timing in timings]
    print(f"serve save-to-reload ({deck}, {len(timings)} edits of one slide's title): "
          f"median {median('shown'):.2f} s, min {min(shown):.2f} s, max {max(shown):.2f} s")
    print(f"  medians after the save: change noticed {median('noticed'):.2f} s, build done {median('built'):.2f} s, "
          f"edit on screen {median('shown'):.2f} s")
    print(f"  snippets run by the edits: {sum(timing['snippets'] for timing in timings)}; "
          f"page reloads: {sum(timing['reloads'] for timing in timings)} (the others swapped the slides in)")
    print("  each edit: " + ", ".join(f"{value:.2f}" for value in shown) + " s")


if __name__ == "__main__":
    main()
