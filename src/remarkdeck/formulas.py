"""Formula stage: every ``$$…$$`` (display) and ``$…$`` (inline) formula of a rendered deck, on
slides and in notes, typeset by KaTeX when the deck is built.

In the Markdown Remark sees, each formula becomes an empty placeholder element, which no Markdown
rule can mangle; the page carries the typeset HTML and puts it into the placeholders once Remark
has built the slides. A formula KaTeX rejects is an error at its source line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from markdown_it import MarkdownIt

from .config import MATH_FILE, load_math_file
from .errors import DeckErrors, FormulaError
from .katex import KaTeX
from .logs import at
from .project import Project
from .render import RenderedDeck
from .slides import fenced
from .syntax import HTML_COMMENT, NOTES_LINE, SEPARATOR_LINE

log = logging.getLogger(__name__)
HIDDEN = "\x00"  # stands for each character of code and HTML comments, where `$` is text
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
PLACEHOLDER = '<span class="remarkdeck-formula" data-formula="{index}"></span>'

_block_parser = MarkdownIt("commonmark").disable("inline")


@dataclass(frozen=True)
class Formula:
    """One formula in the rendered Markdown: ``markdown[start:end]`` with its delimiters."""

    start: int
    end: int
    display: bool
    line: int  # rendered line of the opening delimiter
    written: str

    @property
    def tex(self) -> str:
        size = 2 if self.display else 1
        return self.written[size:-size]

    @property
    def shown(self) -> str:
        """The formula as written, on one line (for messages)."""
        return " ".join(part.strip() for part in self.written.split("\n"))


def typeset_formulas(project: Project, deck: RenderedDeck, katex: KaTeX) -> RenderedDeck:
    """The deck with its formulas typeset: placeholders in its Markdown, their HTML in
    ``deck.formulas``. Raises every formula KaTeX rejects at once, each at its line."""
    formulas, escapes = find_formulas(deck.markdown)
    unique = list(dict.fromkeys((formula.tex, formula.display) for formula in formulas))
    results = dict(zip(unique, katex.typeset(deck.name, unique, math_macros(project, deck))))
    errors = []
    for formula in formulas:
        result = results[formula.tex, formula.display]
        for warning in result.warnings:
            log.warning(f"formula {formula.shown}: KaTeX: {warning}", extra=at(deck.location(formula.line)))
        if result.error:
            errors.append(FormulaError(f"formula {formula.shown}: {result.error}", deck.location(formula.line)))
    if errors:
        raise DeckErrors(errors)
    index = {key: number for number, key in enumerate(unique)}
    markdown, origins = _with_placeholders(deck, formulas, escapes, index)
    return replace(deck, markdown=markdown, origins=origins, formulas=[results[key].html for key in unique])


def math_macros(project: Project, deck: RenderedDeck) -> dict[str, str]:
    """The project's macros (templates/math.toml) with the deck's own ([math] in its front matter) over them."""
    return {**load_math_file(project.templates_dir / MATH_FILE)["macros"], **deck.config.math["macros"]}


def find_formulas(markdown: str) -> tuple[list[Formula], list[int]]:
    """The formulas of a deck in order, and the offsets of the backslashes of ``\\$`` (a literal
    dollar) outside them. Dollars follow pandoc's rule (``tex_math_dollars`` in its Markdown reader,
    src/Text/Pandoc/Readers/Markdown.hs): an opening ``$`` has a non-space right after it, a closing
    ``$`` has a non-space right before it and no digit right after it; ``$$`` pairs hold display
    formulas. A formula stays within its paragraph; code and HTML comments hold none."""
    visible = _hide_code_and_comments(markdown)
    formulas, escapes = [], []
    for start, end in _blocks(visible):
        _scan_block(markdown, visible, start, end, formulas, escapes)
    return formulas, escapes


def _scan_block(markdown: str, visible: str, start: int, end: int, formulas: list[Formula],
                escapes: list[int]) -> None:
    at = start
    while at < end:
        char = visible[at]
        if char == "\\":
            if visible.startswith("$", at + 1):
                escapes.append(at)
            at += 2
        elif char != "$":
            at += 1
        elif visible.startswith("$$", at):
            close = _display_end(visible, at + 2, end)
            if close is None:
                at += 2
                continue
            formulas.append(_formula(markdown, at, close + 2, display=True))
            at = close + 2
        else:
            close = _inline_end(visible, at + 1, end)
            if close is None:
                at += 1
                continue
            formulas.append(_formula(markdown, at, close + 1, display=False))
            at = close + 1


def _display_end(text: str, at: int, end: int) -> int | None:
    """Where the ``$$`` closing a display formula whose TeX starts at ``at`` is, if any."""
    first = at
    while at < end:
        if text[at] == HIDDEN:
            return None
        if text[at] == "\\":
            at += 2
        elif text.startswith("$$", at) and at < end - 1:
            return at if at > first else None
        else:
            at += 1
    return None


def _inline_end(text: str, at: int, end: int) -> int | None:
    """Where the ``$`` closing an inline formula whose TeX starts at ``at`` is, if any (pandoc's rule)."""
    if at >= end or text[at].isspace():
        return None
    while at < end:
        char = text[at]
        if char == HIDDEN:
            return None
        if char == "\\":
            at += 2
        elif char == "$":
            if text[at - 1].isspace() or (at + 1 < end and text[at + 1].isdigit()):
                return None
            return at
        else:
            at += 1
    return None


def _formula(markdown: str, start: int, end: int, display: bool) -> Formula:
    return Formula(start, end, display, markdown.count("\n", 0, start) + 1, markdown[start:end])


def _hide_code_and_comments(markdown: str) -> str:
    """The Markdown with every character of code (blocks and spans) and of HTML comments replaced
    by HIDDEN (line breaks kept), and Remark's separator lines blanked: what formulas are looked for in."""
    lines = markdown.split("\n")
    code = _code_lines(lines)
    shown = []
    for number, (fence, line) in enumerate(fenced(lines)):
        if fence or number in code:
            shown.append(_hidden(line))
        elif SEPARATOR_LINE.match(line) or NOTES_LINE.match(line):
            shown.append(" " * len(line))
        else:
            shown.append(line)
    text = HTML_COMMENT.sub(lambda found: _hidden(found.group(0)), "\n".join(shown))
    return "\n\n".join(CODE_SPAN.sub(lambda found: _hidden(found.group(0)), block) for block in text.split("\n\n"))


def _code_lines(lines: list[str]) -> set[int]:
    """The 0-based numbers of the lines in code blocks (fenced, or indented by four spaces), as
    markdown-it finds them in each slide and in its notes."""
    code = set()
    for first, last in _parts(lines):
        for token in _block_parser.parse("\n".join(lines[first:last])):
            if token.type in ("fence", "code_block") and token.map:
                code.update(range(first + token.map[0], first + token.map[1]))
    return code


def _parts(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [first, last) of the slides' contents and notes, between Remark's separators."""
    parts, first = [], 0
    for number, (fence, line) in enumerate(fenced(lines)):
        if not fence and (SEPARATOR_LINE.match(line) or NOTES_LINE.match(line)):
            parts.append((first, number))
            first = number + 1
    parts.append((first, len(lines)))
    return parts


def _hidden(text: str) -> str:
    return re.sub(r"[^\n]", HIDDEN, text)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Offsets [start, end) of each paragraph-like run of non-blank lines."""
    return [(found.start(), found.end()) for found in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text)]


def _with_placeholders(deck: RenderedDeck, formulas: list[Formula], escapes: list[int],
                       index: dict[tuple[str, bool], int]) -> tuple[str, list]:
    """The deck's Markdown with each formula replaced by its placeholder (on one line) and each
    ``\\$`` by ``$``; and the source of each of its lines."""
    edits = sorted([(formula.start, formula.end, PLACEHOLDER.format(index=index[formula.tex, formula.display]))
                    for formula in formulas] + [(at, at + 1, "") for at in escapes])
    pieces, at = [], 0
    joined = set()  # lines merged into the line a formula starts on
    for start, end, text in edits:
        pieces += [deck.markdown[at:start], text]
        first = deck.markdown.count("\n", 0, start)
        joined.update(range(first + 1, first + 1 + deck.markdown.count("\n", start, end)))
        at = end
    pieces.append(deck.markdown[at:])
    origins = [origin for number, origin in enumerate(deck.origins) if number not in joined]
    return "".join(pieces), origins
