"""`remarkdeck build --standalone`: ``build/<deck>.html`` is one file that opens from ``file://``
alone, loads nothing else, and shows what the deck shows, pixel for pixel."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import copy_project, run_remarkdeck

from remarkdeck.browser import chromium
from remarkdeck.standalone import Inliner

VIEWPORT = {"width": 1210, "height": 681}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """projects/basic built with --standalone, and its single file copied alone into an empty folder."""
    root = copy_project("basic", tmp_path_factory.mktemp("standalone"))
    done = run_remarkdeck(root, "build", "--standalone")
    alone = tmp_path_factory.mktemp("alone") / "basic.html"
    if done.code == 0:
        shutil.copyfile(root / "build" / "basic.html", alone)
    return root, done, alone


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


class Opened:
    """A page opened in a fresh context, with every request it made and every error it logged."""

    def __init__(self, browser, path: Path):
        self.url = path.as_uri()
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.problems.append(message.text))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        self.page.goto(self.url)
        self.ready = self.page.evaluate("window.remarkdeckReady")

    def slide_screenshots(self, count: int) -> list[bytes]:
        shots = []
        for number in range(1, count + 1):
            self.page.evaluate("number => slideshow.gotoSlide(number)", number)
            self.page.evaluate("document.fonts.ready.then(() => null)")
            shots.append(self.page.screenshot())
        return shots

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def deck_and_file(built, browser):
    root, done, alone = built
    assert done.code == 0, done.stderr
    pages = Opened(browser, root / "build" / "basic" / "index.html"), Opened(browser, alone)
    yield pages
    for page in pages:
        page.close()


def test_build_standalone_writes_the_single_file_and_lists_it(built):
    root, done, _ = built
    assert done.code == 0, done.stderr
    assert re.search(r"^wrote build/basic\.html: the deck as one file \(\d+\.\d MB\)$", done.stderr, re.M)
    assert (root / "build" / "basic" / "index.html").is_file()
    assert 'href="basic.html"' in (root / "build" / "index.html").read_text()


def test_build_without_standalone_writes_no_single_file(sample_project, cli):
    root = sample_project("basic")
    assert cli(root, "build").code == 0
    assert not (root / "build" / "basic.html").exists()


def test_nothing_outside_the_file_is_loaded(deck_and_file):
    _, single = deck_and_file
    assert single.requests == [single.url]
    assert single.problems == []
    page = single.page.content()
    assert "vendor/" not in page and "../img/" not in page and "figures/" not in page


def test_same_slides_formulas_and_images_as_the_deck(deck_and_file):
    deck, single = deck_and_file
    facts = """() => ({
        slides: slideshow.getSlideCount(),
        formulas: document.querySelectorAll(".remark-slides-area .katex").length,
        katexErrors: document.querySelectorAll(".katex-error").length,
        highlighted: document.querySelectorAll(".remark-slides-area .remark-code-line-highlighted").length,
        images: Array.from(document.querySelectorAll(".remark-slides-area .remark-slide-content img"),
                           image => [image.complete, image.naturalWidth]),
        fonts: Array.from(document.fonts, face => face.family + " " + face.weight + " " + face.style).sort(),
        lastNumber: Array.from(document.querySelectorAll(".remark-slides-area .remark-slide-number")).pop().textContent,
    })"""
    expected = deck.page.evaluate(facts)
    assert (expected["slides"], expected["formulas"], expected["lastNumber"]) == (5, 2, "3/3")
    assert single.page.evaluate(facts) == expected
    assert single.ready == deck.ready == {"failed": []}
    assert all(complete and width > 0 for complete, width in expected["images"])


def test_every_slide_looks_the_same_as_in_the_deck(deck_and_file):
    deck, single = deck_and_file
    assert single.slide_screenshots(5) == deck.slide_screenshots(5)


# -- what the inliner does with a deck's Markdown and stylesheets -----------------------------------

@pytest.fixture
def build_folder(tmp_path) -> Path:
    """A build: deck/ with a figure and a stylesheet, img/ beside it."""
    (tmp_path / "deck" / "figures").mkdir(parents=True)
    (tmp_path / "deck" / "figures" / "a.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "b.svg").write_text("<svg/>")
    return tmp_path / "deck"


def test_images_become_data_uris_except_in_code(build_folder):
    markdown = ("![a](figures/a.png)\n<img src=\"../img/b.svg\" width=\"10\">\n"
                "background-image: url(../img/b.svg)\n```html\n<img src=\"../img/b.svg\">\n```\n"
                "[web](https://example.org/x.png) [slide](#name)\n")
    inlined = Inliner(build_folder).markdown(markdown)
    assert inlined == (
        "![a](data:image/png;base64,iVBORyBmYWtl)\n<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" width=\"10\">\n"
        "background-image: url(data:image/svg+xml;base64,PHN2Zy8+)\n```html\n<img src=\"../img/b.svg\">\n```\n"
        "[web](https://example.org/x.png) [slide](#name)\n")


def test_comments_go_but_remark_property_comments_stay(build_folder):
    inliner = Inliner(build_folder)
    inlined = inliner.markdown("<!-- class: center -->\nText <!-- <img src=\"../img/gone.png\"> --> here\n")
    assert inlined == "<!-- class: center -->\nText  here\n"
    assert inliner.missing == set()


def test_stylesheets_keep_only_font_files_the_build_has(build_folder):
    (build_folder / "fonts").mkdir()
    (build_folder / "fonts" / "f.woff2").write_bytes(b"wOF2")
    css = ("@font-face { font-family: F; src: url(fonts/f.woff2) format(\"woff2\"), "
           "url(fonts/f.woff) format(\"woff\"), url(fonts/f.ttf) format(\"truetype\"); }\n"
           "body { background: url(../img/b.svg); }")
    inliner = Inliner(build_folder)
    assert inliner.stylesheet(css, build_folder) == (
        "@font-face { font-family: F; src: url(data:font/woff2;base64,d09GMg==) format(\"woff2\"); }\n"
        "body { background: url(data:image/svg+xml;base64,PHN2Zy8+); }")
    assert inliner.missing == set()


def test_a_file_the_build_lacks_is_named(build_folder):
    inliner = Inliner(build_folder)
    assert inliner.markdown("![x](../img/none.png) ![y](../../outside.png)") == \
        "![x](../img/none.png) ![y](../../outside.png)"
    assert inliner.missing == {"../img/none.png"}
