"""A slide's Remark Markdown as Jupyter Markdown: Remark-only syntax removed, formulas kept as ``$…$``.

Code (fenced blocks, inline code) is left exactly as written: Remark does not look inside it either.
"""

from __future__ import annotations

import html
import re
import textwrap

from ..syntax import CONTENT_CLASS, HTML_COMMENT, RULES, text_in_brackets

# Remark's link definition (lexer.js, DEF): Remark collects them over the whole deck
LINK_DEFINITION = re.compile(r"""^ *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +["(]([^\n]+)[")])? *$""", re.M)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
# What marked (Remark's Markdown) unescapes, and so what a formula on a slide was written around:
# `\\{w, b\\}` reaches KaTeX as `\{w, b\}`, and must reach Jupyter (which leaves formulas alone) so.
MARKED_ESCAPE = re.compile(r"\\([\\`*{}\[\]()#+\-.!_>])")
# KaTeX's delimiters on the slides, display ones first: $$…$$, then $…$ within a paragraph
MATH = re.compile(r"\$\$(.+?)\$\$|(?<!\\)\$((?:[^$\n]|\n(?!\s*\n))+?)(?<!\\)\$", re.S)
HIDDEN_CLASSES = {"hidden"}  # the theme's class for room kept on a slide, with nothing shown
MACRO = re.compile(RULES["MACRO"])  # ![:name args](value), as Remark reads it
PLACEHOLDER = "\x00{}\x00"
PLACEHOLDER_AT = re.compile("\x00(\\d+)\x00")


def jupyter_markdown(text: str) -> str:
    """One piece of a slide (no fenced code in it) as Markdown that Jupyter shows like the slide."""
    protected: list[str] = []
    text = INLINE_CODE.sub(lambda m: _protect(protected, m.group(0)), text)
    text = HTML_COMMENT.sub("", text)
    text = MACRO.sub(_scale_picture, text)
    text = unwrap_content_classes(text)
    text = LINK_DEFINITION.sub("", text)
    text = MATH.sub(_jupyter_formula, text)
    text = PLACEHOLDER_AT.sub(lambda m: protected[int(m.group(1))], text)
    return tidy_markdown(text)


def link_definitions(markdown: str) -> dict[str, str]:
    """Every link definition of a deck, by lower-case label (Remark shares them across slides)."""
    without_code = INLINE_CODE.sub("", markdown)
    return {label.lower(): match.group(0).strip()
            for match in LINK_DEFINITION.finditer(without_code) for label in [match.group(1)]}


def used_definitions(text: str, definitions: dict[str, str]) -> list[str]:
    """The definitions a cell's reference links (``[text][label]``, ``[label]``) need."""
    labels = {label.lower() for label in re.findall(r"\[([^\]]+)\]", text)}
    return [definition for label, definition in definitions.items() if label in labels]


def unwrap_content_classes(text: str) -> str:
    """``.red[text]`` becomes ``text`` (a block one, its lines dedented), ``.hidden[…]`` nothing,
    ``\\.red[text]`` the literal ``.red[text]``; a ``.x[`` without its ``]`` stays text, as in Remark."""
    out, position = [], 0
    while match := CONTENT_CLASS.search(text, position):
        inside = text_in_brackets(text, match.end())
        out.append(text[position:match.start()])
        if inside is None:
            out.append(match.group(0))
            position = match.end()
            continue
        position = match.end() + len(inside) + 1
        classes = set(match.group(2)[1:].split("."))
        if match.group(1):
            out.append(match.group(0)[1:] + inside + "]")
        elif not classes & HIDDEN_CLASSES:
            inner = unwrap_content_classes(inside)
            out.append(f"\n{textwrap.dedent(inner).strip(chr(10))}\n" if "\n" in inside else inner)
    out.append(text[position:])
    return "".join(out)


def _scale_picture(macro: re.Match) -> str:
    """The built-in ``![:scale 50%, what it shows](url)`` as the picture it makes on the slide (its
    alternative text kept); other macros are left as written."""
    if macro.group(1) != "scale":
        return macro.group(0)
    size, *alt = [arg.strip() for arg in macro.group(2).split(",")]
    described = f' alt="{html.escape(", ".join(alt))}"' if alt else ""
    return f'<img src="{macro.group(3) or ""}"{described} style="width: {html.escape(size)}">'


def _protect(protected: list[str], code: str) -> str:
    protected.append(code)
    return PLACEHOLDER.format(len(protected) - 1)


def _jupyter_formula(match: re.Match) -> str:
    display = match.group(1) is not None
    formula = MARKED_ESCAPE.sub(r"\1", match.group(1) if display else match.group(2))
    return f"$${formula}$$" if display else f"${formula}$"


def tidy_markdown(text: str) -> str:
    """Trailing spaces kept (two make a line break), runs of blank lines collapsed, ends trimmed."""
    lines = [line if line.strip() else "" for line in text.split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n")
