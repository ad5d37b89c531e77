"""PDF printing time per slide, for decks of 50 and 500 slides: it should stay about constant.

Each deck is generated (a heading, a formula, a list and a table per slide), built, then printed
with `remarkdeck pdf` (both PDFs, one browser start); prints the wall time and time per page.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (50, 500)

SLIDE = """---
## Slide {n}

An inline formula $a_{n} = {n}^2$ and a display one:

$$\\sum_{{i=1}}^{{{n}}} i = \\frac{{{n}({n}+1)}}{{2}}$$

- .red[first] point of slide {n}
- .blue[second] point

| x | x squared |
| - | --------- |
| {n} | {sq} |
"""


def make_project(folder: Path, slides: int) -> None:
    (folder / "slides").mkdir(parents=True)
    body = "".join(SLIDE.format(n=n, sq=n * n) for n in range(1, slides + 1))
    (folder / "slides" / "big.md").write_text(f'+++\ntitle = "{slides} slides"\n+++\n# {slides} slides\n' + body)


def run(folder: Path, *args: str) -> float:
    env = dict(os.environ, REMARKDECK_NODE_MODULES=str(ROOT / "node_modules"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "remarkdeck", *args, "-q"], cwd=folder, env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"remarkdeck pdf on generated decks (both PDFs), median of {repeat} runs")
    per_slide = {}
    for slides in SIZES:
        folder = Path(tempfile.mkdtemp(prefix="bench-scaling-")) / "project"
        make_project(folder, slides)
        run(folder, "build")
        times = [run(folder, "pdf") for _ in range(repeat)]
        median = statistics.median(times)
        pages = slides + 1
        per_slide[slides] = median / pages
        print(f"  {pages:4d} slides: {median:6.2f} s   {1000 * median / pages:6.1f} ms per slide")
    small, large = SIZES
    print(f"  time per slide, {large} vs {small} slides: {per_slide[large] / per_slide[small]:.2f}x "
          "(includes the fixed cost of starting the browser, which the larger deck spreads thinner)")


if __name__ == "__main__":
    main()
