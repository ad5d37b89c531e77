"""Browser fixtures: one headless Chromium for this folder's tests (launched by remarkdeck.browser,
as for the PDF), every deck built once per session and opened once in a tab that each test gets back on
slide 1, fresh tabs where the loading itself is under test, and ``remarkdeck serve`` run on a copy
of the sample deck. Every tab records console errors, uncaught exceptions and failed requests.

The decks under test and what a user must see of them are data: ``DECKS``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import built_project, run_remarkdeck, start_remarkdeck
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from remarkdeck.browser import launch
from remarkdeck.livereload import EVENTS_URL

REPO = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 720}
BUILD_TIMEOUT = 1800  # the lecture's first build trains its networks


@dataclass(frozen=True)
class Deck:
    """A deck and what its reader must see: Remark's slide count, the number on the last slide,
    how many formulas, images, highlighted code blocks and lines marked ``*`` its slides show,
    which slides are ``--`` steps and which ``#name`` links they hold."""

    fixture: str  # the session fixture that builds it
    name: str
    slides: int
    last_number: int
    formulas: int
    images: int
    code_blocks: int
    marked_lines: int
    steps: tuple[int, ...]
    name_links: tuple[tuple[int, str], ...]
    dollar_text: tuple[str, ...] = ()  # text on the slides that keeps its dollars: not formulas
    single_file: bool = False  # the deck as ``build --standalone`` writes it: build/<name>.html

    @property
    def id(self) -> str:
        return f"{self.name}-single-file" if self.single_file else self.name


DECKS = [
    Deck("sample_build", "basic", slides=5, last_number=3, formulas=2, images=3, code_blocks=2,
         marked_lines=2, steps=(3,), name_links=((5, "code"),)),
    Deck("lecture_build", "intro-ml", slides=96, last_number=64, formulas=60, images=53, code_blocks=26,
         marked_lines=1, steps=(4, 21, 22, 23, 34, 37, 38, 56, 60, 61, 66, 67, 70, 73, 74, 76, 78, 87, 92, 94),
         name_links=((89, "supervised"), (90, "supervised"), (92, "activation"), (96, "callbacks"))),
    Deck("math_build", "math", slides=3, last_number=3, formulas=8, images=0, code_blocks=0, marked_lines=0,
         steps=(), name_links=(), dollar_text=("It costs $5 and $10, and $x$ is no formula either.",)),
]
# The single file of each deck must pass every check the deck passes.
DECKS += [dataclasses.replace(deck, single_file=True) for deck in DECKS]


@dataclass(frozen=True)
class BuiltDeck:
    deck: Deck
    project: Path

    @property
    def index(self) -> Path:
        build = self.project / "build"
        return build / f"{self.deck.name}.html" if self.deck.single_file else build / self.deck.name / "index.html"

    @property
    def url(self) -> str:
        return self.index.as_uri()


def built_sample(tmp_path_factory, deck: str) -> Path:
    """The sample project ``tests/projects/<deck>`` copied and built (with its single file) in a fresh
    temporary folder."""
    return built_project(deck, tmp_path_factory.mktemp(deck), "--standalone", deck, timeout=BUILD_TIMEOUT)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """tests/projects/basic copied and built once per session (per xdist worker), with its single file."""
    return built_sample(tmp_path_factory, "basic")


@pytest.fixture(scope="session")
def math_build(tmp_path_factory) -> Path:
    """tests/projects/math (formulas of every kind) copied and built once per session, with its single file."""
    return built_sample(tmp_path_factory, "math")


@pytest.fixture(scope="session")
def lecture_build(tmp_path_factory) -> Path:
    """The repository's lecture, built in place (with its single file) once per test run: the first xdist worker builds
    while the others wait, so no page is read while build/ is being swapped."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the same folder for every worker of this run
    with open(shared / "lecture-build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        outcome = shared / "lecture-build.json"
        if not outcome.exists():
            done = run_remarkdeck(REPO, "build", "--standalone", "intro-ml", timeout=BUILD_TIMEOUT)
            outcome.write_text(json.dumps({"code": done.code, "stderr": done.stderr}))
        result = json.loads(outcome.read_text())
    if result["code"]:
        pytest.fail(f"the lecture does not build:\n{result['stderr']}", pytrace=False)
    return REPO


@pytest.fixture(params=DECKS, ids=[deck.id for deck in DECKS])
def built_deck(request) -> BuiltDeck:
    deck = request.param
    return BuiltDeck(deck, request.getfixturevalue(deck.fixture))


# One browser for all the tests of this folder. Not session-wide: while a sync Playwright runs,
# no other can start in the same process, and other tests (and `remarkdeck pdf` run in-process)
# start their own; pytest closes this one before it runs tests from elsewhere.
@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    """A fresh browser context and page; closed after the test."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield DeckTab(context.new_page())
    finally:
        context.close()


@pytest.fixture(scope="package")
def deck_tabs(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield DeckTabs(context)
    context.close()


@pytest.fixture
def deck_tab(deck_tabs, built_deck) -> "DeckTab":
    """The deck on its first slide, fully drawn (formulas typeset, images and fonts loaded)."""
    tab = deck_tabs.tab_for(built_deck)
    yield tab
    tab.close_popups()


class DeckTabs:
    """One tab per deck for the session: opening the lecture costs seconds, resetting it nothing."""

    def __init__(self, context):
        self.context = context
        self.tabs: dict[str, DeckTab] = {}

    def tab_for(self, built: BuiltDeck) -> "DeckTab":
        """The deck's tab reset to slide 1; a new one if a test left it past saving."""
        tab = self.tabs.get(built.deck.id)
        if tab is not None and tab.reset():
            return tab
        if tab is not None:
            tab.page.close()
        tab = self.tabs[built.deck.id] = DeckTab(self.context.new_page())
        tab.open(built.url)
        return tab


class DeckTab:
    """A page showing a Remark deck, with every console error, uncaught exception and failed
    request since it opened in ``problems``."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.ready: dict = {}
        self.popups: list = []
        page.on("popup", lambda popup: self.popups.append(popup))
        page.on("console", lambda message: message.type == "error" and self.problems.append(
            f"console error: {message.text} ({message.location.get('url')})"))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", lambda request: self._stream_closed(request) or self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))

    @staticmethod
    def _stream_closed(request) -> bool:
        """A served page's build-event stream, cut short as the page reloads: no failure."""
        return urlsplit(request.url).path == EVENTS_URL and request.failure == "net::ERR_ABORTED"

    def open(self, url: str, slide: int | str = 1) -> None:
        self.page.goto(f"{url}#{slide}")
        self.wait_until_drawn()

    def wait_until_drawn(self) -> None:
        self.ready = self.page.evaluate("window.remarkdeckReady")

    def loaded_at(self) -> float:
        """When the page in the tab started loading, in seconds since the epoch."""
        return self.page.evaluate("performance.timeOrigin / 1000")

    def reset(self) -> bool:
        """Back to slide 1 out of presenter mode; False if the page is past saving."""
        self.close_popups()
        try:
            self.page.evaluate("""() => {
                if (document.body.classList.contains("remark-presenter-mode")) slideshow.togglePresenterMode();
                slideshow.gotoSlide(1);
            }""")
            return self.position == (1, "#1")
        except PlaywrightError:
            return False

    def close_popups(self) -> None:
        while self.popups:
            self.popups.pop().close()

    @property
    def position(self) -> tuple[int, str]:
        """The slide Remark shows (counting from 1) and the URL's hash."""
        return tuple(self.page.evaluate("[slideshow.getCurrentSlideIndex() + 1, location.hash]"))

    def go(self, number: int) -> None:
        self.page.evaluate("number => slideshow.gotoSlide(number)", number)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    @property
    def visible(self):
        return self.page.locator(".remark-visible .remark-slide-content")

    def visible_text(self) -> str:
        """The text of the slide on screen, without its slide number."""
        return self.page.evaluate("""() => {
            const slide = document.querySelector(".remark-visible .remark-slide-content").cloneNode(true);
            slide.querySelectorAll(".remark-slide-number").forEach(number => number.remove());
            return slide.innerText;
        }""")

    def slide_sources(self) -> list["SlideSource"]:
        """Each slide's Markdown and notes as Remark holds them (a ``--`` step holds all it adds to)."""
        slides = self.page.evaluate("""() => {
            const flat = content => content.map(part => typeof part === "string" ? part : flat(part.content)).join("");
            const text = notes => typeof notes === "string" ? notes : flat(notes);
            return slideshow.getSlides().map(slide => [flat(slide.content), text(slide.notes),
                                                       slide.properties.continued === "true"]);
        }""")
        return [SlideSource(number, markdown, notes, step)
                for number, (markdown, notes, step) in enumerate(slides, 1)]

    def per_slide(self, script: str) -> list:
        """``script(container)`` evaluated for each slide's DOM, in slide order."""
        return self.page.evaluate(f"""() => Array.from(
            document.querySelectorAll(".remark-slides-area > .remark-slide-container")).map({script})""")


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
FORMULA = re.compile(r'<span class="remarkdeck-formula" data-formula="\d+"></span>')
IMAGE = re.compile(r"!\[[^\]]*\]\(|<img\b", re.I)


@dataclass
class SlideSource:
    """One Remark slide's Markdown: what the browser must show of it."""

    number: int
    markdown: str
    notes: str
    step: bool
    code: list[tuple[str, list[str]]] = field(init=False)  # (language, lines) of each fenced block
    prose: str = field(init=False)  # the Markdown without code and HTML comments

    def __post_init__(self):
        self.code, prose = split_code(self.markdown)
        self.prose = INLINE_CODE.sub("", HTML_COMMENT.sub("", prose))

    def formulas(self) -> int:
        """How many typeset formulas the build put in the slide and its notes (their placeholders)."""
        return len(FORMULA.findall(self.prose)) + len(FORMULA.findall(split_code(self.notes)[1]))

    def images(self) -> int:
        return len(IMAGE.findall(self.prose))

    def highlighted_lines(self) -> list[str]:
        """The code lines marked ``*`` for highlighting, as Remark shows them (marker removed)."""
        return [re.sub(r"^\*( )?", r"\1\1", line) for _, lines in self.code for line in lines if line.startswith("*")]


def split_code(markdown: str) -> tuple[list[tuple[str, list[str]]], str]:
    """Fenced code blocks (language, lines) and the Markdown around them."""
    blocks, prose, fence = [], [], None
    for line in markdown.split("\n"):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            blocks.append((opened.group(2).strip(), []))
        elif fence is not None and opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                and not opened.group(2).strip():
            fence = None
        elif fence is not None:
            blocks[-1][1].append(line)
        else:
            prose.append(line)
    return blocks, "\n".join(prose)


@dataclass
class ServedProject:
    """``remarkdeck serve`` running on a project copy, its terminal output collected line by line."""

    root: Path
    process: subprocess.Popen
    url: str = ""
    lines: list[str] = field(default_factory=list)
    _new_line: threading.Condition = field(default_factory=threading.Condition)

    def read_output(self) -> None:
        for line in self.process.stderr:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()

    def wait_for_line(self, pattern: str, after: int = 0, timeout: float = 60) -> re.Match:
        """The first line from index ``after`` on that matches ``pattern``."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while True:
                for line in self.lines[after:]:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"remarkdeck serve printed no line matching {pattern!r}:\n"
                                         + "\n".join(self.lines))
                self._new_line.wait(left)


@contextlib.contextmanager
def served(root: Path, *args: str):
    """``remarkdeck serve ARGS --port 0`` in ``root`` until the block ends; waits for its first build."""
    process = start_remarkdeck(root, "serve", *args, "--port", "0", variables={"PYTHONUNBUFFERED": "1"},
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = ServedProject(root, process)
    threading.Thread(target=server.read_output, daemon=True).start()
    try:
        server.url = server.wait_for_line(r"at (http://\S+) ").group(1)
        server.wait_for_line(r"^(built|build failed)")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def seed_snippet_cache(built: Path, copy: Path) -> None:
    """Give a project copy the snippet results of a built one, so its first build runs nothing."""
    shutil.rmtree(copy / "build", ignore_errors=True)
    shutil.copytree(built / "build" / ".cache", copy / "build" / ".cache")


@pytest.fixture
def served_sample(sample_project, sample_build):
    """``remarkdeck serve basic`` on a fresh copy of the sample deck, its first build done."""
    root = sample_project("basic")
    seed_snippet_cache(sample_build, root)
    with served(root, "basic") as server:
        yield server


@pytest.fixture
def broken_sample(sample_project, sample_build):
    """``remarkdeck serve basic`` on a sample deck whose first build fails at line 17."""
    root = sample_project("basic")
    seed_snippet_cache(sample_build, root)
    deck = root / "slides" / "basic.md"
    deck.write_text(deck.read_text().replace('{{ output("hello") }}', "{{ nope }}"))
    with served(root, "basic") as server:
        yield server
