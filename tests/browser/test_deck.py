"""Every built deck in headless Chromium, as its audience and its lecturer see it: opened from
``file://``, stepped through with the keyboard, in presenter mode and cloned."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from remarkdeck.config import HIGHLIGHT_STYLES

# Languages highlight.js shows as they are (the output of a snippet is ``text``).
PLAIN = {"", "text", "plaintext", "nohighlight", "no-highlight"}


def test_slide_count_and_last_number(deck_tab, built_deck):
    expected = built_deck.deck
    assert deck_tab.page.evaluate("slideshow.getSlideCount()") == expected.slides
    deck_tab.press("End")
    assert deck_tab.position == (expected.slides, f"#{expected.slides}")
    number = deck_tab.visible.locator(".remark-slide-number").inner_text()
    assert number == f"{expected.last_number}/{expected.last_number}"


def test_no_console_error_exception_or_failed_request(tab, built_deck):
    """In a tab of its own: what goes wrong while the page loads counts too."""
    tab.open(built_deck.url)
    tab.page.evaluate("""async () => {
        for (let number = 2; number <= slideshow.getSlideCount(); number++) {
            slideshow.gotoSlide(number);
            await new Promise(resolve => setTimeout(resolve));
        }
        await document.fonts.ready;
    }""")
    assert tab.ready == {"failed": []}
    assert tab.problems == []


def test_remark_finds_its_stylesheet_in_the_page(deck_tab):
    """The build writes Remark's stylesheet (its layout and the deck's highlight theme) first in the
    page's head, where Remark would put it: Remark uses it instead of assembling its own from all of
    its themes while the page loads."""
    sheets, style = deck_tab.page.evaluate("""() => [
        Array.from(document.querySelectorAll("style[title=remark]"), sheet => ({
            text: sheet.textContent, first: sheet === document.head.querySelector("style, link")})),
        slideshow.getHighlightStyle()]""")
    assert [sheet["first"] for sheet in sheets] == [True]
    css = sheets[0]["text"]
    assert css.startswith("html.remark-container") and "@page{" in css
    assert [name for name in HIGHLIGHT_STYLES if f".hljs-{name} " in css] == [style]


def test_every_formula_typeset(deck_tab, built_deck):
    """Typeset by the build: every formula's place on the slides and in the notes holds KaTeX's HTML
    with its MathML (for screen readers, and to copy as TeX); no error, no dollars left as text but
    those that are not math."""
    expected = [slide.formulas() for slide in deck_tab.slide_sources()]
    typeset = deck_tab.per_slide("slide => slide.querySelectorAll('.katex').length")
    with_mathml = deck_tab.per_slide(
        "slide => slide.querySelectorAll('.katex > .katex-mathml > math annotation[encoding=\"application/x-tex\"]').length")
    errors = deck_tab.page.evaluate(
        "Array.from(document.querySelectorAll('.katex-error'), error => error.title || error.textContent)")
    left_as_text = deck_tab.page.evaluate(r"""() => {
        const walker = document.createTreeWalker(document.querySelector(".remark-slides-area"), NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (!node.parentElement.closest("pre, code, script, style, .katex") && /\$[^$]*\$/s.test(node.data)) {
                found.push(node.data.trim());
            }
        }
        return found;
    }""")
    assert sum(expected) == built_deck.deck.formulas
    assert errors == []
    assert left_as_text == list(built_deck.deck.dollar_text)
    assert typeset == expected
    assert with_mathml == expected
    assert deck_tab.page.locator("span.remarkdeck-formula").count() == 0


def test_no_katex_script_is_loaded(tab, built_deck):
    """The page only styles formulas: KaTeX's script is neither requested, nor inlined, nor run."""
    requested = []
    tab.page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    tab.open(built_deck.url)
    assert [path for path in requested if path.endswith(".js") and "katex" in path] == []
    assert tab.page.evaluate("typeof katex") == "undefined"
    assert tab.page.locator(".remark-slides-area .katex").count() == built_deck.deck.formulas


def test_formulas_in_a_class_span_in_notes_and_from_macros(tab, math_build):
    """tests/projects/math: formulas inside `.red[…]` (one holding `]`) stay in the span; notes are
    typeset; the deck's macro wins over the project's; an included template's formula is typeset."""
    tab.open((math_build / "build" / "math" / "index.html").as_uri(), slide=2)
    red = tab.visible.locator(".red")
    assert red.locator(".katex").count() == 2
    assert red.locator("annotation").all_text_contents() == ["[0, 1]", "a_1 * b_1 = \\{a, b\\}"]
    assert red.locator("em").inner_text() == "emphasis"
    assert tab.page.locator(".remark-visible .remark-slide-notes .katex annotation").all_text_contents() == ["\\frac{1}{2}"]
    tab.go(1)
    assert tab.visible.locator("mi[mathvariant='double-struck']").all_text_contents() == ["R", "E"]
    tab.go(3)
    assert tab.visible.locator(".katex annotation").all_text_contents() == ["\\int_0^1 f(x)\\,dx"]


def test_every_image_decoded(deck_tab, built_deck):
    expected = [slide.images() for slide in deck_tab.slide_sources()]
    shown = deck_tab.per_slide("slide => slide.querySelectorAll('.remark-slide-content img').length")
    broken = deck_tab.page.evaluate("""async () => {
        const images = Array.from(document.querySelectorAll(".remark-slide-content img"), image => image.src);
        const backgrounds = Array.from(document.querySelectorAll(".remark-slide-content"))
            .map(slide => /url\\("?([^")]*)"?\\)/.exec(slide.style.backgroundImage))
            .filter(match => match).map(match => new URL(match[1], location.href).href);
        const failed = await Promise.all(images.concat(backgrounds).map(src => {
            const image = new Image();
            image.src = src;
            return image.decode().then(() => image.naturalWidth > 0 ? null : src, () => src);
        }));
        return failed.filter(src => src);
    }""")
    assert sum(expected) == built_deck.deck.images
    assert shown == expected
    assert broken == []


def test_code_highlighted_with_marked_lines(deck_tab, built_deck):
    sources = deck_tab.slide_sources()
    blocks = deck_tab.per_slide("""slide => Array.from(slide.querySelectorAll("pre > code"), code => {
        const look = element => ["color", "fontWeight", "fontStyle"].map(key => getComputedStyle(element)[key]).join();
        return {
            language: code.classList[0] === "remark-code" ? "" : code.classList[0],
            highlighted: code.classList.contains("hljs"),
            styled: Array.from(code.querySelectorAll("[class^='hljs-']"))
                         .filter(token => look(token) !== look(code)).length,
            marked: Array.from(code.querySelectorAll(".remark-code-line-highlighted"), line => line.textContent),
            markedBackground: Array.from(code.querySelectorAll(".remark-code-line-highlighted"),
                                         line => getComputedStyle(line).backgroundColor),
        };
    })""")
    assert [[language for language, _ in slide.code] for slide in sources] == \
           [[block["language"] for block in slide] for slide in blocks]
    code = [(number, block) for number, slide in enumerate(blocks, 1) for block in slide
            if block["language"] not in PLAIN]
    assert len(code) == built_deck.deck.code_blocks
    assert [(number, block["language"]) for number, block in code
            if not (block["highlighted"] and block["styled"])] == []
    assert sum(len(slide.highlighted_lines()) for slide in sources) == built_deck.deck.marked_lines
    assert [slide.highlighted_lines() for slide in sources] == [
        [line for block in slide for line in block["marked"]] for slide in blocks]
    backgrounds = {colour for slide in blocks for block in slide for colour in block["markedBackground"]}
    assert "rgba(0, 0, 0, 0)" not in backgrounds


def test_arrow_keys_move_one_step_and_the_hash_follows(deck_tab, built_deck):
    count = built_deck.deck.slides
    deck_tab.page.evaluate("""() => {
        if (!window.visited) {
            document.addEventListener("keyup",
                                      () => visited.push([slideshow.getCurrentSlideIndex() + 1, location.hash]));
        }
        window.visited = [];
    }""")
    for key in ["ArrowRight"] * count + ["ArrowLeft"] * (count - 1):  # one → too many: it stays on the last slide
        deck_tab.press(key)
    forth = [[number, f"#{number}"] for number in range(2, count + 1)]
    assert deck_tab.page.evaluate("visited") == forth + forth[::-1] + [[1, "#1"]]


def test_name_links_move_to_the_named_slide(deck_tab, built_deck):
    links = deck_tab.per_slide("""slide => Array.from(slide.querySelectorAll(".remark-slide-content a[href^='#']"),
                                                      link => link.getAttribute("href"))""")
    named = [(number, href[1:]) for number, hrefs in enumerate(links, 1) for href in hrefs if not href[1:].isdigit()]
    assert tuple(named) == built_deck.deck.name_links
    slide_ids = deck_tab.per_slide("slide => slide.querySelector('.remark-slide-content').id")
    for number, name in named:
        deck_tab.go(number)
        deck_tab.visible.locator(f"a[href='#{name}']").first.click()
        target = slide_ids.index(f"slide-{name}") + 1
        with contextlib.suppress(PlaywrightTimeoutError):  # Remark follows the hash a moment later
            deck_tab.page.wait_for_function("target => location.hash === '#' + target", arg=target, timeout=5000)
        assert deck_tab.position == (target, f"#{target}"), f"the link to #{name} on slide {number}"


def test_steps_reveal_their_content_one_at_a_time(deck_tab, built_deck):
    steps = [slide.number for slide in deck_tab.slide_sources() if slide.step]
    assert tuple(steps) == built_deck.deck.steps
    for number in steps:
        deck_tab.go(number - 1)
        before = _words(deck_tab.visible_text())
        deck_tab.press("ArrowRight")
        after = _words(deck_tab.visible_text())
        assert deck_tab.position[0] == number
        assert after.startswith(before), f"step {number} hides what was shown"
        assert len(after) > len(before), f"step {number} shows nothing new"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_p_opens_presenter_mode_with_the_notes(deck_tab, built_deck):
    sources = deck_tab.slide_sources()
    deck_tab.press("p")
    assert deck_tab.page.evaluate("document.body.classList.contains('remark-presenter-mode')")
    assert deck_tab.position == (1, "#p1")
    shown = deck_tab.page.evaluate("""() => Array.from({length: slideshow.getSlideCount()}, (_, index) => {
        slideshow.gotoSlide(index + 1);
        return document.querySelector(".remark-notes-current-area .remark-notes").textContent.trim();
    })""")
    # textContent, not innerText: a hidden slide's formula has no layout to read its text from
    expected = deck_tab.per_slide("slide => slide.querySelector('.remark-slide-notes').textContent.trim()")
    assert shown == expected
    assert [bool(note) for note in shown] == [bool(slide.notes.strip()) for slide in sources]
    assert deck_tab.page.locator(".remark-notes-current-area").is_visible()
    deck_tab.press("p")
    assert not deck_tab.page.evaluate("document.body.classList.contains('remark-presenter-mode')")
    assert deck_tab.position == (built_deck.deck.slides, f"#{built_deck.deck.slides}")


def test_sample_notes_in_presenter_mode(tab, sample_build):
    """The exact text a lecturer wrote after ``???``, for the slide shown and the next one."""
    tab.open((sample_build / "build" / "basic" / "index.html").as_uri(), slide=4)
    tab.press("p")
    current = tab.page.locator(".remark-notes-current-area .remark-notes")
    upcoming = tab.page.locator(".remark-notes-preview-area .remark-notes-preview")
    assert (current.inner_text().strip(), upcoming.inner_text().strip()) == ("", "These are the presenter notes.")
    tab.press("ArrowRight")
    assert (current.inner_text().strip(), tab.position) == ("These are the presenter notes.", (5, "#p5"))


def test_c_opens_a_clone_that_follows(deck_tab, built_deck):
    deck_tab.go(2)
    with deck_tab.page.expect_popup() as opened:
        deck_tab.press("c")
    clone = opened.value
    clone.wait_for_load_state()
    assert clone.url == f"{built_deck.url}#2"
    assert clone.evaluate("slideshow.getCurrentSlideIndex() + 1") == 2
    deck_tab.press("ArrowRight")
    clone.wait_for_function("slideshow.getCurrentSlideIndex() + 1 === 3", timeout=5000)
    assert clone.url == f"{built_deck.url}#3"
