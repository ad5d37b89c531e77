"""An imported deck, built, shows what plain Remark 0.14 showed of the original: the same number of
slides and, on each, the same text (code included, formulas compared by their TeX).

Each sample deck of tests/importer/decks/ (one per case the importer handles) and the seed lecture
are imported into one project, built once, and opened beside a page that runs plain Remark on the
original Markdown with the original's options and macros.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import ftfy
import pytest
from helpers import run_remarkdeck
from playwright.sync_api import Error as PlaywrightError

from remarkdeck.importer import import_deck
from remarkdeck.importer.source import read_source
from remarkdeck.macros import BUILTIN_FILE
from remarkdeck.project import Project

from .conftest import BUILD_TIMEOUT, REPO

DECKS = REPO / "tests" / "importer" / "decks"
SAMPLES = ["code.md", "outputs.md", "text.md", "formulas.md", "indented.md", "page.html", "scripted/index.html",
           "no-highlight.html", "seed.md", "split-tags.md", "code-places.md"]
REMARK = REPO / "node_modules" / "remark-slide" / "out" / "remark.min.js"

SLIDE_TEXTS = """() => Array.from(document.querySelectorAll(
    ".remark-slides-area > .remark-slide-container .remark-slide-content")).map(slide => {
  const copy = slide.cloneNode(true);
  copy.querySelectorAll(".remark-slide-number").forEach(number => number.remove());
  copy.querySelectorAll(".katex").forEach(formula => {
    const tex = formula.querySelector('annotation[encoding="application/x-tex"]');
    formula.replaceWith(tex ? tex.textContent : formula.textContent);
  });
  return copy.textContent;
})"""


@pytest.fixture(scope="session")
def imported_project(tmp_path_factory):
    """Every sample imported into one fresh project and built once."""
    root = tmp_path_factory.mktemp("imported") / "lectures"
    (root / "slides").mkdir(parents=True)
    shutil.copytree(REPO / "node_modules", root / "node_modules", symlinks=True,
                    ignore=shutil.ignore_patterns(".cache"))
    reports = {sample: import_deck(Project(root), DECKS / sample) for sample in SAMPLES}
    done = run_remarkdeck(root, "build", timeout=BUILD_TIMEOUT)
    if done.code:
        pytest.fail(f"the imported decks do not build:\n{done.stderr}", pytrace=False)
    return root, reports


def plain_remark_page(folder: Path, sample: str) -> Path:
    """The original deck shown by plain Remark, as its own page did: from its textarea (which Remark
    reads as HTML: a non-breaking space becomes "&nbsp;"), else from the Markdown file as loaded
    by sourceUrl; with the Remark wiki's `scale` macro, which pages that use it define."""
    source = read_source(DECKS / sample)
    options = dict(source.options) if source.page else {"highlightLines": True}
    options.pop("sourceUrl", None)
    in_textarea = source.page is not None and source.path == source.page
    if not in_textarea:
        options["source"] = source.markdown
    textarea = f"<textarea id='source'>{html.escape(source.markdown)}</textarea>" if in_textarea else ""
    options_script = json.dumps(options).replace("</", "<\\/")  # in a <script>: no "</"
    page = folder / f"plain-{sample.replace('/', '-')}.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{textarea}"
        f"<script src='{REMARK.as_uri()}'></script>"
        f"<script>{BUILTIN_FILE.read_text()}{''.join(dict.fromkeys(source.macros.values()))}\n"
        f"var slideshow = remark.create({options_script});</script>"
        "</body></html>", encoding="utf-8")
    return page


def normalised(text: str) -> str:
    """Without whitespace (which block boundaries and code lines add or not, as textContent joins
    them) and without formula delimiters (the built page holds the bare TeX)."""
    return re.sub(r"\s+", "", text.replace("$", ""))


def slide_texts(tab, url: str) -> list[str]:
    tab.page.goto(url)
    try:
        tab.page.wait_for_function("document.querySelectorAll('.remark-slide-container').length > 0", timeout=10000)
    except PlaywrightError:
        pytest.fail(f"Remark showed no slides at {url}: " + "; ".join(tab.problems), pytrace=False)
    return tab.page.evaluate(SLIDE_TEXTS)


@pytest.mark.parametrize("sample", SAMPLES)
def test_imported_deck_shows_what_plain_remark_showed(sample, imported_project, tab, tmp_path):
    root, reports = imported_project
    report = reports[sample]
    built = slide_texts(tab, (root / "build" / report.deck / "index.html").as_uri())
    tab.page.evaluate("window.remarkdeckReady")
    built = tab.page.evaluate(SLIDE_TEXTS)  # once formulas are typeset
    plain = slide_texts(tab, plain_remark_page(tmp_path, sample).as_uri())
    assert len(built) == len(plain) == report.shown_slides
    expected = []
    for text in plain:
        text = ftfy.fix_encoding(text)  # mis-decoded text is repaired on purpose
        for before, after in report.text_changes:  # so are formulas KaTeX rejects
            text = text.replace(before, after)
        expected.append(normalised(text))
    different = [(number, want, got) for number, (want, got) in enumerate(zip(expected, map(normalised, built)), 1)
                 if want != got]
    assert not different, "\n".join(f"slide {n}:\n  plain Remark: {w}\n  imported:     {g}" for n, w, g in different)
