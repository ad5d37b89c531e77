"""Code on a slide is its snippet, character for character, and an output what its snippet
printed: Remark's own markers in code (a ``*`` that starts a line, `text` between backticks) do not
change what the slide shows, and highlighted lines keep their indentation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO, built_copy

SAMPLE = REPO / "tests" / "projects" / "code"
SNIPPET = SAMPLE / "snippets" / "code" / "stars.py"
HIGHLIGHTED = {2, 4}  # the slide's highlight=[2, "return"]

DRAWN_CODE = """() => Array.from(document.querySelectorAll(".remark-slide-container pre > code"), code =>
    Array.from(code.querySelectorAll(".remark-code-line"),
               line => [line.textContent, line.classList.contains("remark-code-line-highlighted")]))"""


@pytest.fixture(scope="module")
def code_build(tmp_path_factory):
    return built_copy(tmp_path_factory, SAMPLE, "code", "the code sample deck")


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
