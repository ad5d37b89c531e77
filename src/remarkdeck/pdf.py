"""PDF stage: each built deck printed by Chromium as ``build/<deck>.pdf`` (every step) and
``build/<deck>-handout.pdf`` (the last step of each slide), one print pass per PDF, one browser start
for every deck.

Remark's own print mode puts every slide on a 908x681 page and scales it around its centre; here
each slide is laid out at its own size from the page's corner instead, on a page of that size.
Both PDFs are tagged (headings, paragraphs, lists, links, code as text, pictures with their
alternative text and formulas with their TeX, in the deck's language) and open on an outline with
one bookmark per numbered slide.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .browser import chromium, open_page
from .errors import BrowserError, DeckError, Location
from .logs import collected_warnings, fail_on_warnings
from .matrix.verified import verified_line
from .pdf_document import Bookmark, finish_pdf
from .progress import Progress
from .project import Project
from .slides import superseded
from .staging import build_lock

READY_TIMEOUT = 60.0
NOTES_PAGE_RATIO = 2 ** 0.5  # a handout page with notes is A4-shaped: the slide, its notes under it

PRINT_CSS = """
@page {{ size: {width}px {page_height}px; margin: 0; }}
@media print {{
  html, body {{ width: {width}px !important; height: auto !important; margin: 0 !important;
               overflow: visible !important; background: #fff !important; }}
  .remark-slides-area {{ position: static !important; width: {width}px !important; height: auto !important; }}
  .remark-slides-area > .remark-slide-container {{
    display: block !important; position: relative !important; overflow: hidden !important;
    width: {width}px !important; height: {page_height}px !important; break-after: page; break-inside: avoid;
  }}
  .remark-slides-area > .remark-slide-container:last-child {{ break-after: auto; }}
  .remark-slide-scaler {{ transform: none !important; left: 0 !important; top: 0 !important; box-shadow: none !important; }}
  .remark-slide-notes, .remark-preview-area, .remark-notes-area, .remark-help, .remark-backdrop,
  .remark-pause {{ display: none !important; }}
}}
"""
NOTES_CSS = """
@media print {{
  .remark-slides-area > .remark-slide-container > .remark-slide-notes {{
    display: block !important; position: absolute; left: 0; top: {height}px; margin: 0;
    width: {width}px; height: {notes_height}px; box-sizing: border-box; overflow: hidden;
    padding: 28px 56px; border-top: 2px solid #dde3ea; font-size: {notes_font}px; line-height: 1.4;
  }}
}}
"""
NOTES_FONT = 24

# Resolves once everything a page shows is drawn: the page's own window.remarkdeckReady, every
# font face (those of slides not shown yet too: print lays out all of them), and the slides' CSS
# background images. After `timeout` ms, says what is still missing.
READY_JS = r"""
async (timeout) => {
  const absent = [];
  if (typeof remark === "undefined") absent.push("Remark.js did not load");
  else if (!document.querySelector(".remark-slides-area .remark-slide-container"))
    absent.push("Remark did not create the slides");
  if (document.querySelector("span.remarkdeck-formula[data-formula]")) absent.push("the formulas were not put on the slides");
  if (!window.remarkdeckReady) absent.push("the page never set window.remarkdeckReady");
  if (absent.length) return {pending: absent};
  const backgrounds = [...document.querySelectorAll(".remark-slides-area .remark-slide-content")]
    .map(content => /url\(["']?(.*?)["']?\)/.exec(getComputedStyle(content).backgroundImage))
    .filter(Boolean).map(found => found[1]);
  const loading = new Set(backgrounds);
  const decoded = [...loading].map(url => {
    const image = new Image();
    image.src = url;
    return image.decode().then(() => null, () => url).finally(() => loading.delete(url));
  });
  const faces = Promise.all([...document.fonts].map(face => face.load().then(() => null, () => face.family)));
  const drawn = Promise.all([window.remarkdeckReady, faces, ...decoded])
    .then(([deck, fonts, ...images]) => document.fonts.ready.then(() =>
      ({failed: [...new Set([...deck.failed, ...fonts, ...images].filter(Boolean))]})));
  const late = new Promise(resolve => setTimeout(resolve, timeout, null));
  const state = await Promise.race([drawn, late]);
  if (state) return state;
  const images = [...document.querySelectorAll(".remark-slide-content img")]
    .filter(image => !image.complete).map(image => image.getAttribute("src"));
  const fonts = [...document.fonts].filter(face => face.status === "loading")
    .map(face => face.family.replace(/^["']|["']$/g, ""));
  const pending = [];
  if (images.length) pending.push("images not decoded: " + [...new Set(images)].join(", "));
  if (loading.size) pending.push("background images not decoded: " + [...loading].join(", "));
  if (fonts.length) pending.push("fonts still loading: " + [...new Set(fonts)].join(", "));
  if (!pending.length) pending.push("window.remarkdeckReady never resolved");
  return {pending};
}
"""
# The deck as Remark built it: slide size, author, each slide's number as Remark counts it (a `--`
# step, or a slide with `count: false`, keeps the number of the slide before it) and its title, as
# the page names it for screen readers (its heading, else its first line; a page of the project's
# own deck.html that does not name them: its first heading).
LAYOUT_JS = """
() => {
  const slides = slideshow.getSlides();
  const scaler = document.querySelector(".remark-slides-area .remark-slide-scaler");
  const author = document.querySelector('meta[name="author"]');
  const heading = container => ((container.querySelector("h1, h2, h3") || {}).textContent || "").trim();
  const titles = window.remarkdeckSlideTitles ||
    [...document.querySelectorAll(".remark-slides-area > .remark-slide-container")].map(heading);
  let counted = 0;
  return {
    width: parseFloat(scaler.style.width), height: parseFloat(scaler.style.height),
    author: author ? author.content : "",
    containers: document.querySelectorAll(".remark-slides-area > .remark-slide-container").length,
    numbers: slides.map(slide => Math.max(1, counted += slide.properties.count !== "false")),
    counted: slides.map(slide => slide.properties.count !== "false"),
    continued: slides.map(slide => slide.properties.continued === "true"),
    titles: titles,
  };
}
"""
# Links to a named slide (`[see](#name)`) point at its element, so the PDF links to its page.
LINKS_JS = """
() => document.querySelectorAll(".remark-slides-area a[href^='#']").forEach(link => {
  const target = "slide-" + decodeURIComponent(link.getAttribute("href").slice(1));
  if (document.getElementById(target)) link.setAttribute("href", "#" + target);
})
"""
# In print layout: what each slide cuts off, as [slide index, problem, heading].
CUT_OFF_JS = """
([width, height]) => [...document.querySelectorAll(".remark-slides-area > .remark-slide-container")]
  .flatMap((container, index) => {
    const slide = container.querySelector(".remark-slide-scaler").getBoundingClientRect();
    const content = container.querySelector(".remark-slide-content");
    // code blocks clip their own lines (checked below); a formula is measured whole
    const drawn = [...content.querySelectorAll("*:not(pre *, .katex *)")]
      .map(element => element.getBoundingClientRect()).filter(box => box.width > 0 && box.height > 0);
    const problems = [];
    if (drawn.some(box => box.bottom > slide.top + height + 1))
      problems.push("its content is taller than the slide: the bottom is cut off");
    if (drawn.some(box => box.right > slide.left + width + 1))
      problems.push("its content is wider than the slide: the right side is cut off");
    if ([...content.querySelectorAll("code.remark-code")].some(code => code.scrollWidth > code.clientWidth + 1))
      problems.push("a code block has lines too long for it: their ends are cut off");
    const heading = content.querySelector("h1, h2, h3");
    return problems.map(problem => [index, problem, heading ? heading.textContent.trim() : ""]);
  })
"""
# The handout: slides a later step continues are not printed (they leave the page: nothing of them
# is left for the tagged PDF's structure either); links to them go to that step.
HANDOUT_JS = """
(superseded) => {
  const containers = document.querySelectorAll(".remark-slides-area > .remark-slide-container");
  superseded.forEach((hidden, index) => {
    if (!hidden) return;
    const named = containers[index].querySelector(".remark-slide-content[id]");
    const next = containers[index + 1].querySelector(".remark-slide-content");
    if (named && !next.id) { next.id = named.id; named.removeAttribute("id"); }
    containers[index].remove();
  });
}
"""
# The handout's last page says which versions the deck's code was verified with: a line at the bottom
# of the last printed slide, above its slide number (no page is added: the handout keeps one page a slide).
VERIFIED_JS = """
(line) => {
  const shown = [...document.querySelectorAll(".remark-slides-area > .remark-slide-container")]
    .filter(container => !container.classList.contains("remarkdeck-superseded"));
  const scaler = shown[shown.length - 1].querySelector(".remark-slide-scaler");
  const note = document.createElement("div");
  note.className = "remarkdeck-verified";
  note.textContent = line;
  note.style.cssText = "position: absolute; left: 22px; bottom: 40px; font-size: 13px; color: #6b7785; " +
    "background: rgba(255, 255, 255, 0.85); padding: 1px 4px; z-index: 10;";
  scaler.appendChild(note);
}
"""
# What is never printed leaves the page before printing: Chromium builds the tagged PDF's structure
# from what is in the page, shown or not, and takes longer over a bigger one. Presenter notes stay
# when the handout prints them. The landmark and the slide regions that guide a screen reader
# through the web page go too: the PDF has its bookmarks, and they make tagging slower.
UNPRINTED_JS = """
(notes) => {
  document.querySelectorAll(
    ".remark-notes-area, .remark-preview-area, .remark-help, .remark-backdrop, .remark-pause, #remarkdeck-announcer"
    + (notes ? "" : ", .remark-slide-notes")).forEach(element => element.remove());
  document.querySelectorAll(".remark-slides-area, .remark-slides-area > .remark-slide-container").forEach(element =>
    ["role", "aria-label", "aria-roledescription", "aria-describedby"].forEach(name => element.removeAttribute(name)));
}
"""
# In the tagged PDF a formula is a figure whose alternative text is its TeX: the page's MathML, which
# screen readers read on the web, draws nothing, so Chromium would leave it out of the PDF, and the
# glyphs KaTeX draws read as a jumble of symbols.
FORMULAS_JS = """
() => document.querySelectorAll(".remark-slides-area .katex").forEach(formula => {
  const tex = formula.querySelector(".katex-mathml annotation"), drawn = formula.querySelector(".katex-html");
  if (!tex || !drawn) return;
  drawn.removeAttribute("aria-hidden");
  drawn.setAttribute("role", "img");
  drawn.setAttribute("aria-label", tex.textContent.trim());
  formula.querySelector(".katex-mathml").remove();
})
"""
# Notes too long for the space under their slide get a smaller font.
FIT_NOTES_JS = """
(largest) => document.querySelectorAll(".remark-slides-area .remark-slide-notes").forEach(notes => {
  for (let size = largest; notes.scrollHeight > notes.clientHeight + 1 && size > 10; size--)
    notes.style.fontSize = (size - 1) + "px";
})
"""


@dataclass(frozen=True)
class PrintedPdf:
    path: Path
    pages: int


@dataclass
class PdfReport:
    pdfs: list[PrintedPdf] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class DeckLayout:
    """What printing needs to know of a loaded deck page."""

    width: int
    height: int
    author: str
    numbers: list[int]
    counted: list[bool]
    continued: list[bool]
    titles: list[str]

    @property
    def superseded(self) -> list[bool]:
        """The slides the handout leaves out: each one that the next slide continues, as a `--`
        step or as a `count: false` slide (which keeps this one's number: it builds on it)."""
        return superseded(self.counted, self.continued)

    @property
    def handout_pages(self) -> int:
        return self.superseded.count(False)

    def bookmarks(self, handout: bool) -> list[Bookmark]:
        """One per numbered slide (a handout page), named by its last step's title: at the page of
        its first step in the full PDF, at its own page in the handout."""
        ends = [index for index, hidden in enumerate(self.superseded) if not hidden]
        starts = [0] + [end + 1 for end in ends[:-1]]
        return [Bookmark(self.titles[end] or f"Slide {self.numbers[end]}", page if handout else start)
                for page, (start, end) in enumerate(zip(starts, ends))]

    def page_size(self, notes: bool = False) -> tuple[int, int]:
        """The slide's size; with notes, an A4-shaped page with the notes under the slide."""
        return (self.width, round(self.width * NOTES_PAGE_RATIO)) if notes else (self.width, self.height)


def print_decks(project: Project, names: list[str] | None = None, notes: bool = False,
                timeout: float = READY_TIMEOUT, quiet: bool = False, strict: bool = False) -> PdfReport:
    """Print every named deck (all decks if none) from its last build, with one browser. ``strict``:
    a deck whose printing logs a warning fails (StrictError) and keeps its last PDFs."""
    started = time.perf_counter()
    names = list(names or project.deck_names())
    if not names:
        raise DeckError("no decks to print: write one as slides/<name>.md", Location(project.slides_dir))
    pages = [built_page(project, name) for name in names]
    progress = Progress(2 * len(names), quiet=quiet)
    report = PdfReport()
    try:
        with build_lock(project.build_dir, progress.say):
            progress.working("starting the browser")
            with chromium() as browser:
                for name, page_path in zip(names, pages):
                    report.pdfs += print_deck(browser, project, name, page_path, notes, timeout, progress, strict)
            refresh_index(project, names)
    finally:
        progress.close()
    report.seconds = time.perf_counter() - started
    return report


def built_page(project: Project, name: str) -> Path:
    """build/<deck>/index.html, which must exist (a stale one gets a warning)."""
    source = project.deck_path(name)
    page = project.build_dir / name / "index.html"
    if not page.is_file():
        raise DeckError(f"deck '{name}' is not built yet: run `remarkdeck build {name}` first "
                        "(`make pdf` builds, then prints)", Location(source))
    return page


def print_deck(browser, project: Project, name: str, page_path: Path, notes: bool, timeout: float,
               progress: Progress, strict: bool = False) -> list[PrintedPdf]:
    """Both PDFs of one deck from one page load: every step, then the handout. They replace the
    previous ones together, once both are printed (and, with ``strict``, printed without a warning)."""
    with collected_warnings() as warnings:
        (full_pdf, full_pages), (handout_pdf, handout_pages) = _print_both(browser, project, name, page_path,
                                                                           notes, timeout, progress)
    fail_on_warnings(warnings, strict, kept=f"the PDFs of deck '{name}' are unchanged")
    full = PrintedPdf(project.build_dir / f"{name}.pdf", full_pages)
    handout = PrintedPdf(project.build_dir / f"{name}-handout.pdf", handout_pages)
    with replacing(full.path) as full_file, replacing(handout.path) as handout_file:
        full_file.write_bytes(full_pdf)
        handout_file.write_bytes(handout_pdf)
    progress.done(f"printed {project.relative(full.path)}: {full.pages} pages")
    progress.done(f"printed {project.relative(handout.path)}: {handout.pages} pages" + (" with notes" if notes else ""))
    return [full, handout]


def _print_both(browser, project: Project, name: str, page_path: Path, notes: bool, timeout: float,
                progress: Progress) -> tuple[tuple[bytes, int], tuple[bytes, int]]:
    """The full PDF and the handout of one deck, as bytes with their page counts."""
    from playwright.sync_api import Error as PlaywrightError

    source = project.deck_path(name)
    warn_if_stale(project, source, page_path, progress)
    progress.working(f"loading {name}")
    try:
        with open_page(browser, page_path) as (page, log):
            layout = lay_out_for_print(page, page_path, timeout, notes)
            report_cut_off(page, layout, source, progress)
            info = {"Author": layout.author} if layout.author else {}
            progress.working(f"printing {name}")
            full = print_pdf(page, layout.page_size(), len(layout.numbers), info, layout.bookmarks(handout=False),
                             page_path)
            progress.working(f"printing {name} handout")
            handout = print_handout(page, layout, notes, info, page_path, verified_line(project, name))
            report_page_problems(project, page_path, log, progress)
    except PlaywrightError as error:
        raise BrowserError(f"the browser failed while printing deck '{name}' ({str(error).splitlines()[0]}); "
                           "the PDFs of the last print are unchanged: run `remarkdeck pdf` again",
                           Location(page_path)) from None
    return full, handout


def warn_if_stale(project: Project, source: Path, page_path: Path, progress: Progress) -> None:
    if source.stat().st_mtime > page_path.stat().st_mtime:
        progress.warn(f"changed since {project.relative(page_path)} was built: the PDFs show the last build; "
                      "run `remarkdeck build` first", Location(source))


def lay_out_for_print(page, page_path: Path, timeout: float, notes: bool) -> DeckLayout:
    """Once the deck is ready: every slide on its own page, at its size; links to named slides
    pointing at their pages; what is not printed (the notes, unless ``notes``) out of the page;
    formulas named by their TeX."""
    wait_until_ready(page, page_path, timeout)
    layout = measure_layout(page, page_path)
    page.evaluate(LINKS_JS)
    page.evaluate(UNPRINTED_JS, notes)
    page.evaluate(FORMULAS_JS)
    use_print_css(page, layout, notes=False)
    return layout


def print_handout(page, layout: DeckLayout, notes: bool, info: dict[str, str], page_path: Path,
                  verified: str = "") -> tuple[bytes, int]:
    """The last step of each numbered slide, with its notes under it if ``notes``; the last page
    says which versions the code was ``verified`` with."""
    page.evaluate(HANDOUT_JS, layout.superseded)
    if verified:
        page.evaluate(VERIFIED_JS, verified)
    if notes:
        use_print_css(page, layout, notes=True)
        page.evaluate(FIT_NOTES_JS, NOTES_FONT)
    return print_pdf(page, layout.page_size(notes), layout.handout_pages, info, layout.bookmarks(handout=True),
                     page_path)


def report_page_problems(project: Project, page_path: Path, log, progress: Progress) -> None:
    for url in dict.fromkeys(log.failed):
        shown = project.relative(Path(url2pathname(urlsplit(url).path))) if url.startswith("file:") else url
        progress.warn(f"the page could not load {shown}", Location(page_path))
    for error in dict.fromkeys(log.errors):
        progress.warn(f"the page reported an error: {error}", Location(page_path))


def wait_until_ready(page, page_path: Path, timeout: float) -> None:
    """Wait for the deck's own readiness signal; a timeout names what was not ready."""
    state = page.evaluate(READY_JS, timeout * 1000)
    if "pending" in state:
        raise BrowserError(f"not ready to print after {timeout:g} s: {'; '.join(state['pending'])}",
                           Location(page_path))
    if state["failed"]:
        raise BrowserError(f"could not load {', '.join(state['failed'])}: the PDF would miss them",
                           Location(page_path))


def measure_layout(page, page_path: Path) -> DeckLayout:
    found = page.evaluate(LAYOUT_JS)
    if found["containers"] != len(found["numbers"]):
        raise BrowserError(f"the page shows {found['containers']} slides but Remark has "
                           f"{len(found['numbers'])}: is it a remarkdeck deck?", Location(page_path))
    return DeckLayout(round(found["width"]), round(found["height"]), found["author"], found["numbers"],
                      found["counted"], found["continued"], found["titles"])


def use_print_css(page, layout: DeckLayout, notes: bool) -> None:
    """Lay the page out for print: one slide per page, at its size, with or without its notes under it."""
    width, height = layout.page_size(notes)
    css = PRINT_CSS.format(width=width, page_height=height)
    if notes:
        css += NOTES_CSS.format(width=width, height=layout.height, notes_height=height - layout.height,
                                notes_font=NOTES_FONT)
    page.set_viewport_size({"width": width, "height": height})  # laid out as wide as it is printed
    page.evaluate("""(css) => {
        const style = document.getElementById("remarkdeck-print") || document.createElement("style");
        style.id = "remarkdeck-print";
        style.textContent = css;
        document.head.appendChild(style);
    }""", css)
    page.emulate_media(media="print")


def report_cut_off(page, layout: DeckLayout, source: Path, progress: Progress) -> None:
    """Warn, once per slide, about content the slide (and so the PDF) cuts off."""
    text = source.read_text(encoding="utf-8")
    cut_off = {(layout.numbers[index], problem): heading
               for index, problem, heading in page.evaluate(CUT_OFF_JS, [layout.width, layout.height])}
    for (number, problem), heading in cut_off.items():
        title = f" “{heading}”" if heading else ""
        progress.warn(f"slide {number}{title}: {problem}", Location(source, heading_line(text, heading)))


def heading_line(text: str, heading: str) -> int:
    """The line of a Markdown heading with this text (0 if none)."""
    if heading:
        for number, line in enumerate(text.split("\n"), start=1):
            if line.startswith("#") and line.lstrip("#").strip() == heading:
                return number
    return 0


def print_pdf(page, page_size: tuple[int, int], expected_pages: int, info: dict[str, str],
              bookmarks: list[Bookmark], page_path: Path) -> tuple[bytes, int]:
    """One print pass, tagged: the PDF's bytes (document info and outline added) and its number of
    pages. Chromium writes the title and the language from the page; its own outline is not
    asked for (pdf_document.py says why)."""
    width, height = page_size
    data = page.pdf(width=f"{width}px", height=f"{height}px", print_background=True, prefer_css_page_size=True,
                    tagged=True)
    pages = count_pages(data)
    if pages != expected_pages:
        raise BrowserError(f"printed {pages} pages for {expected_pages} slides: a slide did not fit its page",
                           Location(page_path))
    return finish_pdf(data, info, bookmarks), pages


def count_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to write; it replaces ``target`` if the block succeeds."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def refresh_index(project: Project, names: list[str]) -> None:
    """build/index.html again, if it does not offer these decks' PDFs for download yet."""
    index = project.build_dir / "index.html"
    if not index.is_file():
        return
    listed = index.read_text(encoding="utf-8")
    if all(f'href="{name}.pdf"' in listed and f'href="{name}-handout.pdf"' in listed for name in names):
        return
    from .html import write_index

    with replacing(index) as temporary:
        write_index(project, {}, temporary)
