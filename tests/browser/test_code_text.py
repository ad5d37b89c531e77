"""Code on a slide is its snippet, character for character, and an output what its snippet
printed: Remark's own markers in code (a ``*`` that starts a line, `text` between backticks) do not
change what the slide shows, and highlighted lines keep their indentation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO, built_sample

SAMPLE = REPO / "tests" / "projects" / "code"
SNIPPET = SAMPLE / "snippets" / "code" / "stars.py"
HIGHLIGHTED = {2, 4}  # the slide's highlight=[2, "return"]

DRAWN_CODE = """() => Array.from(document.querySelectorAll(".remark-slide-container pre > code"), code =>
    Array.from(code.querySelectorAll(".remark-code-line"),
               line => [line.textContent, line.classList.contains("remark-code-line-highlighted")]))"""


@pytest.fixture(scope="module")
def code_build(tmp_path_factory):
    return built_sample(tmp_path_factory, "code")


def test_code_and_output_show_exactly_what_the_snippet_holds_and_prints(tab, code_build):
    tab.open((code_build / "build" / "code" / "index.html").as_uri())
    code = SNIPPET.read_text(encoding="utf-8").splitlines()
    printed = subprocess.run([sys.executable, str(SNIPPET)], capture_output=True, text=True, check=True).stdout
    assert tab.page.evaluate(DRAWN_CODE) == [
        [[line, number in HIGHLIGHTED] for number, line in enumerate(code, 1)],
        [[line, False] for line in printed.splitlines()],
    ]
    assert tab.problems == []


def test_copied_code_is_the_snippet(tab, code_build):
    """What a student copies from the slide runs: no invisible character is left in the code."""
    tab.open((code_build / "build" / "code" / "index.html").as_uri())
    copied = tab.page.evaluate("document.querySelector('.remark-slide-container pre > code').innerText")
    assert copied.rstrip("\n").split("\n") == SNIPPET.read_text(encoding="utf-8").splitlines()


def test_code_is_readable_on_the_panel_of_a_dark_highlight_style(tab, code_build):
    """The deck's highlight style (monokai) paints its code panel dark for its light text: the
    theme does not put its own light panel behind it."""
    tab.open((code_build / "build" / "code" / "index.html").as_uri())
    background, colour = tab.page.evaluate("""() => {
        const code = document.querySelector(".remark-slide-container pre > code.hljs");
        return [getComputedStyle(code).backgroundColor, getComputedStyle(code).color];
    }""")
    assert background == "rgb(39, 40, 34)"  # monokai's #272822
    assert contrast(background, colour) >= 4.5  # WCAG AA for text


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(colour: str) -> float:
        channels = [int(value) / 255 for value in colour[colour.index("(") + 1:-1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
