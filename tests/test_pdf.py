"""`remarkdeck pdf`: both PDFs of a deck as a reader sees them (pages, page size, text in place,
metadata, links), the handout with notes, what happens when the deck or the browser is not ready,
and the one place that finds a browser.

projects/print has two decks: ``print`` (16:9, with steps, an excluded slide, a ``count: false``
slide, notes, links, formulas, and a slide too full for its page) and ``square`` (4:3).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PROJECTS, built_project, copy_lecture, copy_project, run_remarkdeck, tree_digest
from pdf_reader import document_info, gray_pixels, page_count, page_sizes, page_texts, tagging, words

from remarkdeck import browser as browser_module
from remarkdeck import pdf as pdf_module
from remarkdeck.cli import main
from remarkdeck.errors import BrowserError
from remarkdeck.pdf_document import add_document_info
from remarkdeck.progress import Progress
from remarkdeck.slides import split_slides, visible_slides

SOURCE = (PROJECTS / "print" / "slides" / "print.md").read_text(encoding="utf-8").split("\n")
TOO_MUCH = SOURCE.index("## Too much") + 1
# (heading, slide number, text that must be on the page, text that must not) for each page
FULL = [
    ("Printed handouts", "1/5", "Émilie du Châtelet", "Step one."),
    ("Three steps", "2/5", "Step one.", "Step two"),
    ("Three steps", "2/5", "Step two", "Step three"),
    ("Three steps", "2/5", "Step three:", "Pictures"),
    ("Pictures", "3/5", "Pictures", "Back to"),
    ("Pictures", "3/5", "Back to the steps", "Two columns"),
    ("Two columns", "4/5", "Prose on the left.", "Too much"),
    ("Too much", "5/5", "print(", "Two columns"),
]
HANDOUT = [FULL[0], FULL[3], FULL[5], FULL[6], FULL[7]]
RATIOS = {"print": 16 / 9, "square": 4 / 3}


# -- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """projects/print copied and built once for this module (no PDF yet)."""
    return built_project("print", tmp_path_factory.mktemp("print"))


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory):
    """The built project printed once: ``remarkdeck pdf`` for every deck."""
    root = copy_project(built, tmp_path_factory.mktemp("printed"))
    return root, run_remarkdeck(root, "pdf")


@pytest.fixture
def built_copy(built, tmp_path) -> Path:
    return copy_project(built, tmp_path)


# -- printing ----------------------------------------------------------------------------------------

def test_pdf_prints_two_pdfs_per_deck_saying_what_it_cut_off(printed):
    root, done = printed
    assert done.code == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[:-1] == [
        f"slides/print.md:{TOO_MUCH}: warning: slide 5 “Too much”: its content is taller than the slide: "
        "the bottom is cut off",
        f"slides/print.md:{TOO_MUCH}: warning: slide 5 “Too much”: a code block has lines too long for it: "
        "their ends are cut off",
        "printed build/print.pdf: 8 pages",
        "printed build/print-handout.pdf: 5 pages",
        "printed build/square.pdf: 2 pages",
        "printed build/square-handout.pdf: 2 pages",
    ]
    assert re.fullmatch(r"printed 4 PDF\(s\); \d+\.\d\d s", lines[-1])
    assert done.stdout == ""


@pytest.mark.parametrize("name, pages", [("print", 8), ("print-handout", 5), ("square", 2), ("square-handout", 2)])
def test_one_page_per_slide_at_the_slide_ratio(printed, name, pages):
    root, _ = printed
    sizes = page_sizes(root / "build" / f"{name}.pdf")
    assert len(sizes) == pages
    ratio = RATIOS[name.split("-")[0]]
    assert all(abs(width / height / ratio - 1) < 0.01 for width, height in sizes), sizes
    assert sizes[0][1] == pytest.approx(681 * 0.75, abs=0.5)  # Remark's slide height, unscaled


@pytest.mark.parametrize("name, expected", [("print", FULL), ("print-handout", HANDOUT)])
def test_each_page_shows_its_slide_and_only_it(printed, name, expected):
    texts = page_texts(printed[0] / "build" / f"{name}.pdf")
    assert len(texts) == len(expected)
    for text, (heading, number, shown, hidden) in zip(texts, expected):
        assert text.startswith(heading), text
        assert text.endswith(number), text
        assert shown in text and hidden not in text, text
    joined = " ".join(texts)
    assert "excluded" not in joined
    assert "$" not in joined


def test_an_uncounted_title_slide_stays_in_the_handout(printed):
    """Remark numbers an uncounted first slide 1, like the slide after it; only a `count: false`
    slide *after* another continues it."""
    for name in ("square", "square-handout"):
        texts = page_texts(printed[0] / "build" / f"{name}.pdf")
        assert [text.split()[0] for text in texts] == ["Square", "Second"]
        assert all(text.endswith("1/1") for text in texts)


def test_nothing_is_scaled_or_shifted(printed):
    """Remark's print mode would shrink a 16:9 slide onto a 4:3 page around its centre; here a
    heading sits at the slide's left padding (56 px) and the number at its right edge."""
    pdf = printed[0] / "build" / "print.pdf"
    width, height = page_sizes(pdf)[0]
    for page in range(1, 9):
        placed = words(pdf, page)
        number = placed[-1]
        assert re.fullmatch(r"\d/5", number.text)
        assert number.x_max == pytest.approx(width - 22 * 0.75, abs=1.5)
        assert number.y_max < height
        if page > 1:
            assert placed[0].x_min == pytest.approx(56 * 0.75, abs=0.5), placed[0]


def test_formula_drawn_whole_in_its_column(printed):
    pdf = printed[0] / "build" / "print.pdf"
    formula = [word for word in words(pdf, 7) if word.text in ("∫", "dx", "=")]
    assert [word.text for word in formula] == ["∫", "dx", "="]
    assert all(word.x_min > page_sizes(pdf)[6][0] / 2 for word in formula)  # the right column
    width, height, pixels = gray_pixels(pdf, 7)
    inked = [(index % width, index // width) for index, value in enumerate(pixels) if value < 128]
    columns = [x for x, _ in inked]
    assert min(columns) > 10 and max(columns) < width - 10  # nothing touches (is cut by) the edges
    right_half = [x for x in columns if x > width / 2]
    assert len(right_half) > 500  # the formula is drawn, not just its text layer


def test_title_and_author_in_the_metadata(printed):
    root, _ = printed
    for name in ("print", "print-handout"):
        info = document_info(root / "build" / f"{name}.pdf")
        assert info["Title"] == "Printed handouts"
        assert info["Author"] == "Émilie du Châtelet"
    square = document_info(root / "build" / "square.pdf")
    assert square["Title"] == "A square deck"
    assert "Author" not in square


def test_both_pdfs_tagged_in_the_decks_language_with_a_bookmark_per_numbered_slide(printed):
    """For a screen reader: tags (headings, code as text, links, pictures with their alternative
    text, formulas with their TeX), the language, and one bookmark per numbered slide, named by its
    title, at its first page."""
    titles = ["Printed handouts", "Three steps", "Pictures", "Two columns", "Too much"]
    step, picture, integral = "E = mc^2", "a square", "\\int_0^1 x\\,dx = \\frac{1}{2}"
    for name, pages, figures in (("print", [1, 2, 5, 7, 8], [step, step, picture, picture, integral]),
                                 ("print-handout", [1, 2, 3, 4, 5], [step, picture, integral])):
        found = tagging(printed[0] / "build" / f"{name}.pdf")
        assert (found.tagged, found.language) == (True, "en")
        assert found.outline == list(zip(titles, pages))
        assert (found.tags["H1"], found.tags["Code"] > 0, found.tags["Link"] > 0) == (1, True, True)
        assert found.figures == figures
    square = tagging(printed[0] / "build" / "square-handout.pdf")
    assert square.outline == [("Square", 1), ("Second slide", 2)]  # an uncounted title slide keeps its own


def minimal_pdf(trailer_extra: bytes) -> bytes:
    """A one-page PDF with a classic cross-reference table and no document information."""
    objects = [b"<</Type /Catalog /Pages 2 0 R>>", b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
               b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 100]>>"]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % at for at in offsets)
    return data + b"trailer\n<</Size 4 /Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (trailer_extra, xref)


def test_document_info_added_to_a_pdf_that_had_none(tmp_path):
    pdf = tmp_path / "plain.pdf"
    identifier = b" /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]"
    original = minimal_pdf(identifier)
    pdf.write_bytes(add_document_info(original, {"Title": "Ταυτότητα", "Author": "Ada"}))
    info = document_info(pdf)
    assert (info["Title"], info["Author"], page_count(pdf)) == ("Ταυτότητα", "Ada", 1)
    updated = pdf.read_bytes()
    assert updated.startswith(original)  # an incremental update: the printed bytes stay as they were
    previous = int(original.split(b"startxref\n")[1].split(b"\n")[0])
    xref = updated.rindex(b"\nxref\n") + 1
    assert updated[xref:].startswith(b"xref\n0 1\n0000000000 65535 f \n4 1\n")
    assert updated.endswith(b"/Info 4 0 R /Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n" % (previous, identifier, xref))


def test_links_stay_clickable(printed):
    """The web link keeps its URL; the link to a named slide jumps to that slide's page, in the
    handout to the last step of it."""
    for name in ("print", "print-handout"):
        data = (printed[0] / "build" / f"{name}.pdf").read_bytes()
        assert b"/URI (https://example.org/docs)" in data
        assert b"/Dest /slide-steps" in data
        assert re.search(rb"/slide-steps \[\d+ 0 R /XYZ", data)


def test_index_offers_the_pdfs(printed):
    index = (printed[0] / "build" / "index.html").read_text()
    for link in ('href="print.pdf"', 'href="print-handout.pdf"', 'href="square-handout.pdf"'):
        assert link in index


def test_handout_with_notes_under_each_slide(built_copy):
    done = run_remarkdeck(built_copy, "pdf", "--notes", "print")
    assert done.code == 0, done.stderr
    assert "printed build/print-handout.pdf: 5 pages with notes" in done.stderr.splitlines()
    handout = built_copy / "build" / "print-handout.pdf"
    sizes = page_sizes(handout)
    assert len(sizes) == 5
    assert all(width / height == pytest.approx(2 ** -0.5, rel=0.01) for width, height in sizes)
    slide_bottom = 681 * 0.75
    for page, note in ((1, "Welcome,"), (2, "Notes")):
        found = [word for word in words(handout, page) if word.text == note]
        assert found and found[0].y_min > slide_bottom, (page, found)
    assert "Notes of the last step." in page_texts(handout)[1]
    assert all(abs(w / h / (16 / 9) - 1) < 0.01 for w, h in page_sizes(built_copy / "build" / "print.pdf"))


def test_quiet_prints_warnings_only_and_a_stale_build_is_named(built_copy):
    source = built_copy / "slides" / "square.md"
    later = (built_copy / "build" / "square" / "index.html").stat().st_mtime + 10
    os.utime(source, (later, later))
    done = run_remarkdeck(built_copy, "pdf", "-q", "square")
    assert done.code == 0
    assert done.stderr == ("slides/square.md: warning: changed since build/square/index.html was built: "
                           "the PDFs show the last build; run `remarkdeck build` first\n")
    assert (built_copy / "build" / "square.pdf").is_file()
    assert not (built_copy / "build" / "print.pdf").exists()


def test_a_deck_not_built_yet(sample_project, cli):
    root = sample_project("print")
    done = cli(root, "pdf", "square")
    assert (done.code, done.stderr) == (1, "slides/square.md: deck 'square' is not built yet: run "
                                           "`remarkdeck build square` first (`make pdf` builds, then prints)\n")


# -- waiting for the deck ----------------------------------------------------------------------------

@pytest.fixture
def silent_server():
    """A local web server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_timeout_names_what_was_not_ready(built_copy, silent_server):
    page = built_copy / "build" / "print" / "index.html"
    html = page.read_text()
    html = html.replace("</head>", '<style>@font-face { font-family: "Slow Font"; '
                                   f'src: url({silent_server}/slow.woff2); }}</style></head>')
    html = html.replace("## Three steps", f'## Three steps \\u003cimg src=\\"{silent_server}/slow.png\\"\\u003e', 1)
    page.write_text(html)
    done = run_remarkdeck(built_copy, "pdf", "print", "--timeout", "2")
    assert (done.code, done.stderr) == (1, (
        f"build/print/index.html: not ready to print after 2 s: images not decoded: {silent_server}/slow.png; "
        "fonts still loading: Slow Font\n"))
    assert not list((built_copy / "build").glob("*.pdf"))


# -- finding a browser -------------------------------------------------------------------------------

@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    """A machine with no Chromium anywhere: not Playwright's, not on PATH, not the system's."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(empty))
    monkeypatch.delenv("REMARKDECK_BROWSER", raising=False)
    monkeypatch.setattr(browser_module, "SYSTEM_CHROMIUM", empty / "chromium")
    return empty


def test_no_browser_is_a_clear_error_and_changes_nothing(built_copy, no_browser, capsys):
    before = tree_digest(built_copy / "build")
    assert main(["--root", str(built_copy), "pdf"]) == 1
    assert capsys.readouterr().err == browser_module.HOW_TO_INSTALL + "\n"
    assert main(["--root", str(built_copy), "browser"]) == 1
    assert capsys.readouterr().err == browser_module.HOW_TO_INSTALL + "\n"
    assert tree_digest(built_copy / "build") == before


def test_a_browser_that_does_not_start(built_copy, tmp_path, monkeypatch):
    fake = tmp_path / "fake-chrome"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setenv("REMARKDECK_BROWSER", str(fake))
    done = run_remarkdeck(built_copy, "pdf")
    assert done.code == 1
    assert done.stderr.startswith(f"could not start the browser {fake} ($REMARKDECK_BROWSER): ")
    assert len(done.stderr.splitlines()) == 1
    assert not list((built_copy / "build").glob("*.pdf"))


@pytest.mark.parametrize("dying", ["renderer", "browser"])
def test_a_browser_crash_while_printing_keeps_the_last_pdfs(printed, tmp_path, monkeypatch, capsys, dying):
    """The page's process (or the whole browser) killed between the two print passes: a clear
    error, exit 1, and the PDFs of the last print untouched (the new full PDF is not kept alone)."""
    root = copy_project(printed[0], tmp_path)
    before = tree_digest(root / "build")
    real = pdf_module.print_handout

    def crash_then_print(page, *args):
        processes = page.context.browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
        for process in processes["processInfo"]:
            if process["type"] == dying:
                os.kill(process["id"], signal.SIGKILL)
        return real(page, *args)

    monkeypatch.setattr(pdf_module, "print_handout", crash_then_print)
    monkeypatch.chdir(root)
    assert main(["pdf", "-q", "print"]) == 1
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith("build/print/index.html: the browser failed while printing deck 'print' (Page.")
    assert error.endswith("); the PDFs of the last print are unchanged: run `remarkdeck pdf` again")
    assert tree_digest(root / "build") == before


def test_remarkdeck_browser_names_a_bad_setting(built_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setenv("REMARKDECK_BROWSER", str(tmp_path / "nowhere"))
    done = run_remarkdeck(built_copy, "browser")
    assert (done.code, done.stderr) == (1, f"$REMARKDECK_BROWSER is '{tmp_path / 'nowhere'}', which is not an "
                                           "executable file: fix or unset it\n")
    monkeypatch.setenv("REMARKDECK_BROWSER", sys.executable)
    done = run_remarkdeck(built_copy, "browser")
    assert (done.code, done.stdout) == (0, f"{sys.executable} ($REMARKDECK_BROWSER)\n")


@pytest.mark.parametrize("apt", [False, True])
def test_install_tries_each_way_in_bounded_time_then_says_how(monkeypatch, apt):
    """The download refused, the package manager failing: every attempt has a time limit, and the
    end is the error that says how to install a browser."""
    calls = []

    def refused(command, **options):
        calls.append((command, options))
        raise subprocess.CalledProcessError(1, command)

    monkeypatch.setattr(browser_module, "find_browser", lambda *_: (_ for _ in ()).throw(BrowserError("none")))
    monkeypatch.setattr(browser_module.subprocess, "run", refused)
    monkeypatch.setattr(browser_module.shutil, "which", lambda name: "/usr/bin/apt-get" if apt else None)
    with pytest.raises(BrowserError) as raised:
        browser_module.install_browser(say=lambda message: None)
    assert raised.value.message == browser_module.HOW_TO_INSTALL
    playwright = [sys.executable, "-m", "playwright", "install"]
    assert [command for command, _ in calls] == [playwright + ["--with-deps", "chromium"], playwright + ["chromium"]] \
        + ([["sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]]
           if apt else [])
    assert all(options["timeout"] == browser_module.INSTALL_TIMEOUT and options["stdin"] == subprocess.DEVNULL
               for _, options in calls)


# -- progress ----------------------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_plain_lines_elsewhere_nothing_when_quiet(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    runs = {}
    for kind, stream, quiet in (("terminal", Terminal(), False), ("log", io.StringIO(), False),
                                ("quiet", Terminal(), True)):
        progress = Progress(2, stream=stream, quiet=quiet)
        progress.working("printing a")
        progress.done("printed a.pdf")
        progress.working("printing b")
        progress.done("printed b.pdf")
        progress.close()
        runs[kind] = stream.getvalue()
    assert runs["log"] == "printed a.pdf\nprinted b.pdf\n"
    assert runs["quiet"] == ""
    terminal = runs["terminal"]
    assert "\r[" + "." * 30 + "] 0/2 printing a" in terminal
    assert "\r[" + "#" * 15 + "." * 15 + "] 1/2 printing b" in terminal
    assert "printed a.pdf\n" in terminal and "printed b.pdf\n" in terminal
    assert terminal.endswith("\r\x1b[K")


# -- the lecture ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """The repository's lecture built in a copy (its snippet cache too, so nothing reruns) and printed."""
    root = copy_lecture(tmp_path_factory.mktemp("lecture"))
    done = run_remarkdeck(root, "build", "intro-ml", timeout=1800)
    assert done.code == 0, done.stderr
    done = run_remarkdeck(root, "pdf", "intro-ml")
    assert done.code == 0, done.stderr
    return root


def lecture_headings(page: Path) -> list[str]:
    """Each Remark slide's first heading, as text, from the Markdown the built page gives Remark."""
    options = json.loads(re.search(r"remark\.create\((\{.*?\})\);\n", page.read_text()).group(1))
    headings, current = [], ""
    for slide in visible_slides(split_slides(options["source"])):
        found = re.search(r"^#+ (.+)$", slide.content, re.M)
        if found or not slide.increment:
            current = re.sub(r"<[^>]+>|[*_`]|\.\w+\[|\]", "", found.group(1)).strip() if found else ""
        headings.append(current)
    return headings


def test_the_lecture_prints_every_step_and_every_numbered_slide(lecture):
    full, handout = lecture / "build" / "intro-ml.pdf", lecture / "build" / "intro-ml-handout.pdf"
    for pdf, pages in ((full, 96), (handout, 64)):
        sizes = page_sizes(pdf)
        assert len(sizes) == pages
        assert all(abs(width / height / (16 / 9) - 1) < 0.01 for width, height in sizes)
    texts = page_texts(full)
    headings = lecture_headings(lecture / "build" / "intro-ml" / "index.html")
    assert len(headings) == 96
    missing = [(page, heading) for page, (heading, text) in enumerate(zip(headings, texts), 1)
               if heading and " ".join(heading.split()) not in text]
    assert missing == []
    assert not any("$$" in text for text in texts + page_texts(handout))
    numbers = [re.search(r"(\d+)/64$", text).group(1) for text in page_texts(handout)]
    assert numbers == [str(number) for number in range(1, 65)]


def test_the_lecture_pdfs_are_tagged_with_a_bookmark_per_numbered_slide_and_every_picture_described(lecture):
    full, handout = (tagging(lecture / "build" / name) for name in ("intro-ml.pdf", "intro-ml-handout.pdf"))
    for found in (full, handout):
        assert (found.tagged, found.language, len(found.outline)) == (True, "en", 64)
        assert found.figures and all(found.figures), "a Figure tag without /Alt"
    assert [page for _, page in handout.outline] == list(range(1, 65))
    assert [title for title, _ in full.outline] == [title for title, _ in handout.outline]
    assert handout.outline[0] == ("Introduction to machine learning", 1)
    assert handout.outline[-1] == ("Solution of exercise 3", 64)
    assert not any(title.startswith("Slide ") for title, _ in handout.outline)  # each slide has a title
