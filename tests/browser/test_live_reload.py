"""``remarkdeck serve`` seen from an open page: a saved edit of a slide's text shows on the same
slide, swapped in without a reload (how soon is measured by benchmarks/bench_serve.py); other
changes (a snippet, a picture) reload the page on its slide; a failed build overlays its
``path:line: message`` over the last good deck until the source is fixed."""

from __future__ import annotations

import pytest

UNDEFINED = "slides/basic.md:17: 'nope' is undefined: define it in the front matter or fix the name"
SHOWS = """text => {
    const slide = document.querySelector(".remark-visible .remark-slide-content");
    return slide !== null && slide.textContent.includes(text);
}"""
DECK_BACK = "typeof slideshow !== 'undefined' && !document.getElementById('remarkdeck-build-error')"


@pytest.fixture
def deck_source(served_sample):
    return served_sample.root / "slides" / "basic.md"


def test_saved_edits_show_on_the_same_slide_without_a_reload(tab, served_sample, deck_source):
    """Four saves of a slide's text, each swapped into the open page on the slide it shows. How soon
    an edit shows is a figure, measured by benchmarks/bench_serve.py, not a pass or fail here."""
    tab.open(served_sample.url, slide=4)
    loaded = tab.loaded_at()
    source = deck_source.read_text()
    for edit in range(4):
        title = f"A figure, edit {edit}"
        deck_source.write_text(source.replace("## A figure from a snippet", f"## {title}"))
        tab.page.wait_for_function(SHOWS, arg=title, polling="raf", timeout=10_000)
        assert tab.position == (4, "#4")
    assert tab.loaded_at() == loaded
    assert tab.problems == []


def test_swapped_slides_are_typeset_and_presented(tab, served_sample, deck_source):
    """In presenter mode, on the slide before a formula: a new formula on a slide and one in the notes
    are swapped in without a reload, typeset by the build, in the preview of the next slide too."""
    tab.open(served_sample.url, slide=4)
    loaded = tab.loaded_at()
    tab.press("ArrowRight")
    tab.press("p")
    deck_source.write_text(deck_source.read_text()
                           .replace("These are the presenter notes.", "These are the edited notes, with $y_1$.")
                           .replace("Back to [the code](#code).", "Back to [the code](#code), where $x^2$ is."))
    tab.page.wait_for_function(SHOWS, arg="where", polling="raf", timeout=10_000)
    assert tab.position == (5, "#p5")
    notes = tab.page.locator(".remark-notes-current-area .remark-notes")
    assert notes.locator(".katex annotation").all_text_contents() == ["y_1"]
    assert notes.text_content().strip().startswith("These are the edited notes, with")
    assert tab.visible.locator(".katex annotation").all_text_contents() == ["x^2"]
    tab.go(4)
    assert tab.page.locator(".remark-preview-area .remark-slide-content .katex annotation").all_text_contents() == ["x^2"]
    assert tab.loaded_at() == loaded
    assert tab.problems == []


def test_snippet_edit_reloads_the_page_on_the_same_slide(tab, served_sample):
    """What a snippet prints may show in a figure file of the same name: the page reloads."""
    tab.open(served_sample.url, slide=2)
    loaded = tab.loaded_at()
    snippet = served_sample.root / "snippets" / "basic" / "hello.py"
    snippet.write_text(snippet.read_text().replace('print("hello", x)', 'print("hello again", x)'))
    tab.page.wait_for_function(SHOWS, arg="hello again 2", polling="raf", timeout=60_000)
    assert tab.position == (2, "#2")
    assert tab.loaded_at() > loaded


def test_presenter_mode_survives_a_reload(tab, served_sample):
    tab.open(served_sample.url, slide=5)
    tab.press("p")
    loaded = tab.loaded_at()
    picture = served_sample.root / "img" / "square.svg"
    picture.write_text(picture.read_text().replace("#2980b9", "#c0392b"))
    tab.page.wait_for_function("loaded => performance.timeOrigin / 1000 > loaded", arg=loaded, timeout=10_000)
    tab.wait_until_drawn()
    assert tab.position == (5, "#p5")
    assert tab.page.locator(".remark-notes-current-area .remark-notes").inner_text().strip() == \
           "These are the presenter notes."


def test_failed_build_shows_its_line_until_fixed(tab, served_sample, deck_source):
    tab.open(served_sample.url, slide=2)
    good = deck_source.read_text()
    deck_source.write_text(good.replace('{{ output("hello") }}', "{{ nope }}"))
    overlay = tab.page.locator("#remarkdeck-build-error")
    overlay.wait_for(timeout=10_000)
    assert overlay.locator("pre").inner_text() == UNDEFINED
    assert tab.position == (2, "#2")  # the last good deck stays behind the overlay
    assert tab.visible.locator("pre").nth(1).inner_text() == "hello 2"
    deck_source.write_text(good.replace("## Code and its output", "## Code and its output, fixed"))
    tab.page.wait_for_function(SHOWS, arg="its output, fixed", polling="raf", timeout=10_000)
    assert overlay.count() == 0
    assert tab.position == (2, "#2")
    assert tab.visible.locator("pre").nth(1).inner_text() == "hello 2"
    assert served_sample.process.poll() is None


def test_page_opened_before_the_first_good_build(tab, broken_sample):
    """``build/`` is empty: the page says so, shows why, and becomes the deck once it builds."""
    tab.page.goto(broken_sample.url)
    overlay = tab.page.locator("#remarkdeck-build-error")
    overlay.wait_for(timeout=10_000)
    assert overlay.locator("pre").inner_text() == UNDEFINED
    deck = broken_sample.root / "slides" / "basic.md"
    deck.write_text(deck.read_text().replace("{{ nope }}", '{{ output("hello") }}'))
    tab.page.wait_for_function(DECK_BACK, timeout=10_000)
    tab.wait_until_drawn()
    assert tab.page.evaluate("slideshow.getSlideCount()") == 5
