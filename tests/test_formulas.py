"""Formulas typeset when the deck is built: which dollars are math (pandoc's rule), what the page
carries, what the cache saves, and the warnings KaTeX gives. The errors are sample projects
(``projects/bad-formula*``, ``projects/bad-math-*``), run by test_build.py."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import pytest
from helpers import REPO

from remarkdeck.assets import Assets
from remarkdeck.formulas import find_formulas
from remarkdeck.katex import KaTeX
from remarkdeck.project import Project

# (Markdown, the formulas in it as written): pandoc's rule for `$`, code and comments hold none.
CASES = [
    ("It costs $5 and $10.", []),
    ("$5 and $10 and $x$", ["$x$"]),
    ("a \\$ b $x$", ["$x$"]),
    ("\\$x\\$ is text", []),
    ("\\\\$x$", ["$x$"]),  # an escaped backslash, then a formula
    ("$ x$ and $x $", []),  # a space after the opening or before the closing `$`
    ("$x$5 and $y$.", ["$y$"]),  # a digit right after the closing `$`
    ("$a \\$ b$", ["$a \\$ b$"]),  # `\$` inside a formula is TeX's
    ("$$ \\frac{a}{b $$ and $\\foo{x}$", ["$$ \\frac{a}{b $$", "$\\foo{x}$"]),
    ("$$\nx = 1\n$$", ["$$\nx = 1\n$$"]),
    ("$a\nb$", ["$a\nb$"]),  # a line break inside a paragraph
    ("$a$ then $b\n\nc$", ["$a$"]),  # never across paragraphs
    ("$a\n---\nb$", []),  # nor across slides
    ("$a\n???\nb$", []),  # nor from a slide into its notes
    ("`$x$` and $y$", ["$y$"]),
    ("``a ` $x$`` $y$", ["$y$"]),
    ("```\n$x$\n```\n$y$", ["$y$"]),
    ("para\n\n    $indented code$\n\n$z$", ["$z$"]),
    ("<!-- $a$ -->$b$", ["$b$"]),
    ("<!-- $a$\n$b$ -->", []),
    (".red[the interval $[0, 1]$]", ["$[0, 1]$"]),
    ("| price (K$) |\n| --- |\n| 5 |", []),
]


@pytest.mark.parametrize("markdown, expected", CASES, ids=[case for case, _ in CASES])
def test_which_dollars_are_formulas(markdown, expected):
    formulas, _ = find_formulas(markdown)
    assert [formula.written for formula in formulas] == expected


def test_formulas_know_their_line_and_display_mode():
    formulas, escapes = find_formulas("# Title\n\nSome $x$ and \\$5\n\n$$\ny\n$$\n---\n???\nnote $z$")
    assert [(f.written, f.line, f.display, f.tex) for f in formulas] == [
        ("$x$", 3, False, "x"), ("$$\ny\n$$", 5, True, "\ny\n"), ("$z$", 10, False, "z")]
    assert escapes == [len("# Title\n\nSome $x$ and ")]


def _page(root, deck: str) -> tuple[str, list[str]]:
    page = (root / "build" / deck / "index.html").read_text()
    source = json.loads(re.search(r'"source": ("(?:[^"\\]|\\.)*")', page).group(1))
    formulas = json.loads(re.search(r'<script type="application/json" id="remarkdeck-formulas">([^<]*)</script>',
                                    page).group(1))
    return source, formulas


@pytest.fixture
def built_math(sample_project, cli):
    root = sample_project("math")
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    assert "typeset 8 formula(s)" in result.stderr
    return root


def test_page_carries_typeset_formulas_in_place_of_the_tex(built_math):
    source, formulas = _page(built_math, "math")
    assert re.findall(r'data-formula="(\d+)"', source) == [str(n) for n in range(8)]
    assert "$a^2" not in source and "\\frac" not in source
    assert "It costs $5 and $10, and $x$ is no formula either." in source  # `\$` is a dollar
    assert "`$x$`" in source
    assert ".red[On the interval <span" in source and "stay apart.]" in source
    assert all('<math xmlns="http://www.w3.org/1998/Math/MathML"' in html for html in formulas)
    assert '<span class="katex-display">' in formulas[3]  # the $$…$$ one
    assert '<mi mathvariant="double-struck">R</mi>' in formulas[1]  # the deck's \RR over the project's
    assert "katex.min.js" not in (built_math / "build" / "math" / "index.html").read_text()


def test_warm_build_typesets_nothing_and_never_starts_the_engine(built_math):
    script = ("import sys; from remarkdeck.build import build; from remarkdeck.project import Project; "
              "report = build(Project(__import__('pathlib').Path('.').resolve()), say=lambda *_: None); "
              "print(report.typeset, 'py_mini_racer' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=built_math, capture_output=True, text=True,
                          env={**__import__("os").environ, "REMARKDECK_NODE_MODULES": str(REPO / "node_modules")})
    assert done.stdout.split() == ["0", "False"], done.stderr


def test_an_edited_formula_alone_is_typeset_again_and_undoing_finds_the_old_one(built_math, cli):
    deck = built_math / "slides" / "math.md"
    original = deck.read_text()
    deck.write_text(original.replace("$a^2 + b^2 = c^2$", "$a^3 + b^3 \\neq c^3$"))
    edited = cli(built_math, "build")
    assert "typeset 1 formula(s)" in edited.stderr
    assert "a^3 + b^3 \\neq c^3" in _page(built_math, "math")[1][0]
    deck.write_text(original)
    assert "typeset 0 formula(s)" in cli(built_math, "build").stderr


def test_changed_macros_typeset_every_formula_again(built_math, cli):
    settings = built_math / "templates" / "math.toml"
    settings.write_text(settings.read_text().replace("\\\\mathbb{E}", "\\\\operatorname{E}"))
    again = cli(built_math, "build")
    assert "typeset 8 formula(s)" in again.stderr
    assert '<mi mathvariant="double-struck">E</mi>' not in _page(built_math, "math")[1][2]


def test_latex_incompatible_input_is_a_warning_at_its_line_on_every_build(built_math, cli):
    part = built_math / "templates" / "part.md"
    part.write_text(part.read_text() + "\n$$ a \\\\ b $$\n")
    expected = ("templates/part.md:5: warning: formula $$ a \\\\ b $$: KaTeX: In LaTeX, \\\\ or \\newline does "
                "nothing in display mode [newLineInDisplayMode]")
    first, cached = cli(built_math, "build"), cli(built_math, "build")
    assert first.code == cached.code == 0
    assert expected in first.stderr and expected in cached.stderr
    assert "typeset 0 formula(s)" in cached.stderr


def test_corrupted_formula_cache_is_typeset_again(built_math, cli):
    cache = built_math / "build" / ".cache" / "formulas" / "math.json"
    cache.write_text(cache.read_text()[:100])
    again = cli(built_math, "build")
    assert again.code == 0
    assert "typeset 8 formula(s)" in again.stderr
    assert json.loads(cache.read_text())["formulas"]


def test_formulas_typeset_inside_a_running_event_loop(tmp_path):
    """From a Jupyter notebook, or beside Playwright's sync API, an asyncio loop runs in the
    thread, where mini-racer refuses its timeout: typesetting still works there."""
    katex = KaTeX.for_project(Assets.locate(Project(REPO)), tmp_path)

    async def typeset():
        return katex.render([(r"\frac{a}{b}", True), (r"\foo{x}", False)], {})

    try:
        good, bad = asyncio.run(typeset())
    finally:
        katex.close()
    assert "<math" in good.html and good.error == ""
    assert bad.error == "KaTeX parse error: Undefined control sequence: \\foo"
