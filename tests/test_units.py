"""Small pieces with exact expectations: line mapping, front matter, slide splitting, snippet regions,
the fonts a deck needs, the highlight styles' contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from remarkdeck.assets.fonts import (
    covered_code_points,
    faces_for_code_points,
    faces_for_text,
    katex_faces_for_formulas,
    with_unicode_ranges,
)
from remarkdeck.assets.remark_styles import highlight_styles, remark_stylesheet
from remarkdeck.config import HIGHLIGHT_STYLES, parse_config, split_front_matter
from remarkdeck.errors import ConfigError, SnippetError
from remarkdeck.render import map_lines
from remarkdeck.slides import number_at, slide_numbers, split_slides, visible_slides
from remarkdeck.snippets.files import load_snippet

DECK = Path("slides/deck.md")


def test_rendered_lines_map_back_to_the_source_line_that_made_them():
    source = "a\n{{ snippet('x') }}\nb\nc"
    rendered = "a\n```python\nx = 1\n```\nb\nc"
    assert map_lines(source, rendered) == [1, 2, 2, 2, 3, 4]


def test_front_matter_keeps_line_numbers():
    head, body = split_front_matter('+++\ntitle = "T"\n+++\n# Slide\n', DECK)
    assert head == 'title = "T"'
    assert body.split("\n")[3] == "# Slide"


def test_unclosed_front_matter():
    with pytest.raises(ConfigError) as error:
        split_front_matter('+++\ntitle = "T"\n# Slide\n', DECK)
    assert str(error.value) == "slides/deck.md:1: front matter opened with '+++' is never closed: add a line '+++' after the last key"


def test_malformed_front_matter_names_the_file_line():
    with pytest.raises(ConfigError) as error:
        parse_config('title = "T"\nauthor = Ada', DECK)
    assert str(error.value).startswith("slides/deck.md:3: front matter is not valid TOML (")


def test_wrong_type_names_key_and_line():
    with pytest.raises(ConfigError) as error:
        parse_config('title = "T"\ncount_incremental_slides = "yes"', DECK)
    assert str(error.value).startswith("slides/deck.md:3: 'count_incremental_slides' must be a bool, not str ('yes')")


def test_increments_excluded_slides_and_numbers():
    markdown = "# one\n--\nmore\n---\nexclude: true\n# hidden\n--\nstill hidden\n---\ncount: false\n# two\n---\n# three"
    slides = split_slides(markdown)
    assert len(slides) == 6
    assert [s.line for s in visible_slides(slides)] == [1, 3, 10, 13]
    assert slide_numbers(slides) == [1, 1, 1, 2]
    assert [number_at(slides, line) for line in (1, 3, 6, 11, 13)] == [1, 1, None, 1, 2]
    assert [number_at(slides, line, count_incremental=True) for line in (1, 3, 13)] == [1, 2, 3]


def test_separators_inside_fenced_code_do_not_split():
    slides = split_slides("# one\n```\n---\n--\n```\n---\n# two")
    assert len(slides) == 2


def test_regions_and_hidden_setup(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("# requires: data\n# region setup\nx = 1\n# endregion\n\n# region fit\nmodel.fit(x)\n# endregion\nprint(x)\n")
    snippet = load_snippet(path, "deck")
    assert snippet.requires == ("data",)
    assert [text for _, text in snippet.shown_lines()] == ["model.fit(x)", "print(x)"]
    assert [number for number, _ in snippet.shown_lines("fit")] == [7]
    with pytest.raises(SnippetError, match="snippet 'fit' has no region 'plot'"):
        snippet.shown_lines("plot")


def test_unclosed_region_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("x = 1\n# region fit\nmodel.fit(x)\n")
    with pytest.raises(SnippetError) as error:
        load_snippet(path, "deck")
    assert error.value.location.line == 2
    assert "region 'fit' is never closed: add '# endregion' after its last line" in str(error.value)


def test_echo_and_expects_headers_are_hidden_and_checked(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("# echo: last\n# expects: fit_output\nmodel.fit(x)\n")
    snippet = load_snippet(path, "deck")
    assert (snippet.echo, snippet.expects) == ("last", "fit_output")
    assert [text for _, text in snippet.shown_lines()] == ["model.fit(x)"]
    path.write_text("# requires: data\n# echo: all\nmodel.fit(x)\n")
    with pytest.raises(SnippetError) as error:
        load_snippet(path, "deck")
    assert str(error.value) == (f"{path}:2: echo must be 'last' (print the value of the last line when it is "
                                "an expression), not 'all'")


def test_session_prompts_of_both_styles(tmp_path):
    from remarkdeck.snippets.interactive import parse_session

    lines = ["# requires: data", ">>> for n in range(2):", "...     n", "...", "0", "1", "",
             "In [3]: x = {", "   ...:   1: 2}", "", "In [4]: x", "Out[4]: {1: 2}", ""]
    statements = parse_session(lines, first=2)
    assert [(s.line, s.style, s.code, s.pasted) for s in statements] == [
        (2, "python", ["for n in range(2):", "    n", ""], ["0", "1", ""]),
        (8, "ipython", ["x = {", "  1: 2}"], [""]),
        (11, "ipython", ["x"], ["{1: 2}", ""]),
    ]


MACRO_CASES = [
    "![:scale 50%](../img/x.png)",
    "a `![:no](x)` b ![:yes a, b](v)\n\n```\n![:fenced](x)\n```\n    ![:indented](x)\n\n"
    ".red[![:inclass](x) .blue[![:nested 1](y)]]\n\\.esc[![:escaped](z)]\n![:bare]\n",
    "---\n![:one](a) ![:two](b)\n???\n![:notes](n)\n--\n[ref]: ![:def](x)\n<!-- ![:commented](c) -->\n",
    "  ![:indented-deck](a)\n  text\n\n      ![:code](b)\n",
]


@pytest.mark.parametrize("markdown", MACRO_CASES)
def test_macros_found_as_remarks_own_lexer_finds_them(markdown):
    """The port against the original: Remark 0.14's lexer.js run in V8."""
    import json

    from helpers import REPO
    from py_mini_racer import MiniRacer

    from remarkdeck.macros import macro_uses

    lexer = (REPO / "node_modules" / "remark-slide" / "src" / "remark" / "lexer.js").read_text()
    context = MiniRacer()
    try:
        context.eval("var module = {exports: {}};\n" + lexer)
        found = json.loads(context.eval(
            f"JSON.stringify(new module.exports().lex({json.dumps(markdown)}).filter(t => t.type === 'macro'))"))
    finally:
        context.close()
    uses = macro_uses(markdown)
    assert [(use.name, list(use.args), use.value) for use in uses] == \
           [(token["name"], token["args"], token.get("obj")) for token in found]
    assert all(markdown[use.offset:use.offset + use.length].startswith(f"![:{use.name}") for use in uses)


# -- fonts a deck needs --------------------------------------------------------------------------------

EMOJI_FACES = """/* a */
@font-face { font-family: 'Noto Emoji'; src: url(./files/a.woff2); unicode-range: U+1f40d-1f40f, U+2620; }
/* b */
@font-face { font-family: 'Noto Emoji'; src: url(./files/b.woff2); unicode-range: U+1f600-1f64f; }
@font-face { font-family: 'Any'; src: url(./files/c.woff2); }
"""


@pytest.mark.parametrize("text, files", [
    ("plain text", ["c.woff2"]),
    ("a snake 🐍", ["a.woff2", "c.woff2"]),
    ("☠ and 🙂", ["a.woff2", "b.woff2", "c.woff2"]),
])
def test_only_the_faces_whose_characters_the_deck_uses_are_kept(text, files):
    assert re.findall(r"\w\.woff2", faces_for_text(EMOJI_FACES, text)) == files


def test_a_subsets_faces_get_their_unicode_range_from_the_packages_combined_stylesheet():
    subset = "@font-face {\n  font-family: 'S';\n  src: url(./files/s-latin-ext-400-normal.woff2) format('woff2');\n}\n"
    combined = ("@font-face { src: url(./files/s-latin-400-normal.woff2); unicode-range: U+0000-00FF; }\n"
                "@font-face { src: url(./files/s-latin-ext-400-normal.woff2); unicode-range: U+0100-024F; }\n")
    ranged = with_unicode_ranges(subset, combined)
    assert ranged.endswith("format('woff2');\n  unicode-range: U+0100-024F;\n}\n")
    # so the subset is left out of a deck whose characters it has none of
    assert faces_for_text(ranged, "plain ascii").strip() == ""
    assert "s-latin-ext" in faces_for_text(ranged, "Łódź")


def test_characters_an_earlier_font_covers_do_not_need_a_later_one():
    text_font = "@font-face { src: url(./files/t.woff2); unicode-range: U+0000-00FF; }"
    keycaps = "@font-face { src: url(./files/k.woff2); unicode-range: U+23,U+30-39,U+20E3,U+FE0F; }"
    wanted = {ord(char) for char in "Slide 12 #3"}
    remaining = wanted - covered_code_points(text_font, wanted)
    assert faces_for_code_points(keycaps, remaining) == ""  # the digits and "#" are the text font's
    keycap = {ord(char) for char in "1\ufe0f\u20e3"}
    assert "k.woff2" in faces_for_code_points(keycaps, keycap - covered_code_points(text_font, keycap))


def test_only_the_katex_families_the_formulas_use_are_kept():
    css = ("@font-face{font-family:KaTeX_Main;src:url(fonts/KaTeX_Main-Regular.woff2)}"
           "@font-face{font-family:KaTeX_Fraktur;src:url(fonts/KaTeX_Fraktur-Regular.woff2)}"
           "@font-face{font-family:KaTeX_Size2;src:url(fonts/KaTeX_Size2-Regular.woff2)}"
           ".katex{font:normal 1.21em KaTeX_Main,Times New Roman,serif}"
           ".katex .mathfrak,.katex .textfrak{font-family:KaTeX_Fraktur}"
           ".katex .op-symbol.large-op{font-family:KaTeX_Size2}")
    plain = ['<span class="katex"><span class="mord">x</span></span>']
    assert re.findall(r"KaTeX_\w+(?=-Regular)", katex_faces_for_formulas(css, plain)) == ["KaTeX_Main"]
    fraktur = plain + ['<span class="katex"><span class="mord mathfrak">g</span></span>']
    assert re.findall(r"KaTeX_\w+(?=-Regular)", katex_faces_for_formulas(css, fraktur)) == ["KaTeX_Main", "KaTeX_Fraktur"]
    large = ['<span class="katex"><span class="mop op-symbol large-op">∑</span></span>']
    assert "KaTeX_Size2-Regular" in katex_faces_for_formulas(css, large)
    assert "@font-face" not in katex_faces_for_formulas(css, [])


def test_remarks_stylesheet_for_every_highlight_style_it_offers():
    """Read from the locked remark.min.js: Remark's layout rules, then the one theme asked for."""
    script = Path(__file__).parents[1] / "node_modules" / "remark-slide" / "out" / "remark.min.js"
    layout = remark_stylesheet(script, [])
    assert layout.startswith("html.remark-container") and "@page{margin:0}" in layout and ".hljs" not in layout
    for style in HIGHLIGHT_STYLES:
        css = remark_stylesheet(script, [style])
        assert css.startswith(layout)
        assert [name for name in HIGHLIGHT_STYLES if f".hljs-{name} " in css] == [style]


def test_a_slides_own_highlight_style_comes_with_the_deck_one():
    markdown = "# One\n\n---\nhighlight-style: monokai\n# Two\n\n---\nhighlight-style: zenburn\n# Three\n"
    assert highlight_styles("github", markdown) == ["github", "monokai", "zenburn"]
    script = Path(__file__).parents[1] / "node_modules" / "remark-slide" / "out" / "remark.min.js"
    css = remark_stylesheet(script, highlight_styles("github", markdown))
    assert [name for name in HIGHLIGHT_STYLES if f".hljs-{name} " in css] == ["github", "monokai", "zenburn"]


def test_a_remark_laid_out_otherwise_styles_the_page_itself(tmp_path):
    script = tmp_path / "remark.min.js"
    script.write_text('!function(){var remark={documentStyles:"html{}"};window.remark=remark}();')
    assert remark_stylesheet(script, ["github"]) is None


@pytest.mark.parametrize("style", HIGHLIGHT_STYLES)
def test_every_highlight_style_is_made_readable_on_its_panel_and_a_highlighted_line(style):
    """WCAG AA: each text colour of the style 4.5:1 against its code panel, and against the yellow of
    a highlighted line drawn on it; colours that already were are left as they are."""
    from helpers import REPO

    from remarkdeck.assets.contrast import AA, COLOR, HIGHLIGHTED_LINE, _over, _panel, contrast, parse_color
    from remarkdeck.assets.remark_styles import _read, readable_theme

    script = REPO / "node_modules" / "remark-slide" / "out" / "remark.min.js"
    original = _read(script.resolve(), script.stat().st_mtime_ns)[1][style]
    readable = readable_theme(style, original)
    panel = _panel(style, original)
    fainter = re.search(r"remark-code-line-highlighted\{background-color:(rgba\([^)]*\))\}", readable)
    backgrounds = [panel, _over(parse_color(fainter.group(1) if fainter else HIGHLIGHTED_LINE), panel)]
    colors = [parse_color(found.group(1)) for found in COLOR.finditer(readable)]
    worst = min(contrast(_over(color, panel), background) for color in colors if color for background in backgrounds)
    assert worst >= AA
    if min(contrast(_over(color, panel), b) for color in map(parse_color, COLOR.findall(original)) if color
           for b in backgrounds) >= AA:
        assert readable == original
