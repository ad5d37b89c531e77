"""A deck's handout as notebook cells: each slide's text as Markdown, each Python snippet it shows as
code, once, in slide order, after the prelude and whatever it requires.

A snippet's cells are its file (header and region markers left out) cut at its ``setup`` regions,
which become cells of their own tagged ``remove-input``; its ``solution`` region is the answer in the
solutions notebook and nbgrader's placeholder in the students' one.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from ..errors import Location, SnippetError
from ..render import MacroBlock, RenderedDeck
from ..slides import Slide, fenced, handout_groups, split_slides, step_chain, visible_slides
from ..snippets.files import EXERCISE, PRELUDE, REGION_END, REGION_START, SOLUTION, Snippet, SnippetLibrary
from ..snippets.interactive import TRACEBACK, parse_session
from .markdown import jupyter_markdown, link_definitions, tidy_markdown, used_definitions

SETUP = "setup"
HIDDEN_TAG = "remove-input"
RAISES_TAG = "raises-exception"  # nbclient goes on past such a cell
SLIDE_LINK = re.compile(r"\]\(#([-\w]+)\)")  # [text](#name): to the slide named so
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
BLOCK_MARK = re.compile(r"^([ \t]*)\x01(\d+)\x01[ \t]*$", re.M)  # where a fenced block was


@dataclass
class Cell:
    """One notebook cell; a code cell knows its snippet and where the slides show it (or what
    requires it)."""

    kind: str  # "markdown" or "code"
    source: str
    snippet: str = ""
    slide: Location | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """A fenced block of a slide: its rendered line, its lines, and the macro block that wrote it."""

    line: int
    lines: list[str]
    made_by: MacroBlock | None


def deck_cells(deck: RenderedDeck, library: SnippetLibrary, solutions: bool) -> list[Cell]:
    """The cells of a deck's notebook, from the rendered deck and the snippets it shows."""
    writer = _CellWriter(deck, library, solutions)
    slides = split_slides(deck.markdown)
    made_by = blocks_by_line(deck, slides)
    for group in handout_groups(slides):
        writer.add_slide(group, made_by)
    return writer.cells


def blocks_by_line(deck: RenderedDeck, slides: list[Slide]) -> dict[int, MacroBlock]:
    """The macro block behind each fenced block of the deck, by the rendered line of its opening
    fence. Blocks are matched by their text, the n-th of a text to the n-th macro call that wrote it."""
    pending: dict[str, list[MacroBlock]] = {}
    for block in deck.macro_blocks:
        pending.setdefault(_normal(block.code), []).append(block)
    found = {}
    for slide in slides:
        for line, lines in _fenced_blocks(_numbered(slide)):
            candidates = pending.get(_normal("\n".join(lines[1:-1])))
            if candidates:
                found[line] = candidates.pop(0)
    return found


class _CellWriter:
    def __init__(self, deck: RenderedDeck, library: SnippetLibrary, solutions: bool):
        self.deck, self.library, self.solutions = deck, library, solutions
        self.cells: list[Cell] = []
        self.written: set[str] = set()
        self.definitions = link_definitions(deck.markdown)
        self.anchors = heading_anchors(split_slides(deck.markdown))

    def add_slide(self, group: list[Slide], made_by: dict[int, MacroBlock]) -> None:
        """The handout slide ending ``group``: its steps' text and code. Python snippets shown only
        on the slides it supersedes come before its first code cell, so none is lost."""
        chain = step_chain(group)
        text, blocks = _text_with_block_marks([pair for step in chain for pair in _numbered(step)], made_by)
        own = {block.made_by.snippet for block in blocks if block.made_by is not None}
        carried = [(made_by[line].snippet, line) for slide in group if slide not in chain
                   for line, _ in _fenced_blocks(_numbered(slide))
                   if self._runs(made_by.get(line)) and made_by[line].snippet not in own]
        # Remark syntax goes from the whole slide at once: a class may wrap a block that becomes a cell
        pieces = BLOCK_MARK.split(jupyter_markdown(text))
        markdown = pieces[0]
        for indent, index, after in zip(pieces[1::3], pieces[2::3], pieces[3::3]):
            block = blocks[int(index)]
            if self._runs(block.made_by) and block.made_by.snippet not in self.written:
                self._add_markdown(markdown)
                markdown = ""
                for name, line in carried + [(block.made_by.snippet, block.line)]:
                    self.add_snippet(name, self.deck.location(line))
                carried = []
            if not self._runs(block.made_by) or block.made_by.kind == "output":
                markdown += textwrap.indent(_plain_block(block), indent)  # as the slide shows it
            markdown += after
        self._add_markdown(markdown)
        for name, line in carried:
            self.add_snippet(name, self.deck.location(line))

    def add_snippet(self, name: str, where: Location) -> None:
        """The snippet's cells, after the prelude's and its requirements' (each written once)."""
        if name in self.written:
            return
        prelude = self.library.prelude()
        if prelude is not None and name != PRELUDE:
            self.add_snippet(PRELUDE, where)
        for requirement in self.library.chain(name)[:-1]:
            self.add_snippet(requirement.name, where)
        self.written.add(name)
        for tags, code in snippet_pieces(self.library.get(name), self.solutions):
            self.cells.append(Cell("code", code, name, where, tags))

    def _runs(self, block: MacroBlock | None) -> bool:
        """Whether a block comes from a Python snippet, which the notebook holds as code cells:
        its code is replaced by them, what it printed follows them (kept in the text, as shown)."""
        return block is not None and self.library.get(block.snippet).runnable

    def _add_markdown(self, text: str) -> None:
        text = SLIDE_LINK.sub(lambda m: f"](#{self.anchors.get(m.group(1), m.group(1))})", tidy_markdown(text))
        needed = used_definitions(text, self.definitions)
        if text:
            self.cells.append(Cell("markdown", "\n\n".join([text, "\n".join(needed)]) if needed else text))


def heading_anchors(slides: list[Slide]) -> dict[str, str]:
    """Where a link to a named slide goes in a notebook: the anchor Jupyter gives the slide's first
    heading (its text, spaces made dashes)."""
    anchors = {}
    for slide in visible_slides(slides):
        heading = HEADING.search(jupyter_markdown(slide.content))
        if slide.name and heading and slide.name not in anchors:
            text = re.sub(r"[*_`]|<[^>]*>", "", heading.group(1)).strip()
            anchors[slide.name] = text.replace(" ", "-")
    return anchors


def snippet_pieces(snippet: Snippet, solutions: bool) -> list[tuple[list[str], str]]:
    """(tags, code) for each cell of a snippet: its code cut at its setup regions (tagged hidden),
    in file order. A setup region must hold whole statements, since each piece runs as a cell of its
    own. An interactive session is a cell per prompt, as Jupyter shows each statement's value."""
    if snippet.path.suffix == ".pycon":
        return [([RAISES_TAG] if TRACEBACK.match("\n".join(statement.pasted)) else [],
                 "\n".join(statement.code).strip("\n"))
                for statement in parse_session(snippet.lines, snippet.header_lines + 1)]
    setup = snippet.regions.get(SETUP)
    answer = snippet.regions.get(SOLUTION)
    pieces: list[tuple[bool, list[str]]] = []
    for number in range(snippet.header_lines + 1, len(snippet.lines) + 1):
        text = snippet.lines[number - 1]
        if REGION_START.match(text) or REGION_END.match(text):
            continue
        if answer and not solutions and answer.start <= number <= answer.end:
            text = _placeholder(snippet, number) if number == answer.start else None
            if text is None:
                continue
        hidden = bool(setup and setup.start <= number <= setup.end)
        if not pieces or pieces[-1][0] != hidden:
            pieces.append((hidden, []))
        pieces[-1][1].append(text)
    cells = [(hidden, "\n".join(lines).strip("\n")) for hidden, lines in pieces]
    cells = [(hidden, code) for hidden, code in cells if code.strip()]
    for hidden, code in cells:
        _check_whole(snippet, code)
    return [([HIDDEN_TAG] if hidden else [], code) for hidden, code in cells]


def _placeholder(snippet: Snippet, number: int) -> str:
    shown = snippet.exercise_form([(n, snippet.lines[n - 1]) for n in range(number, snippet.regions[SOLUTION].end + 1)])
    return "\n".join(text for _, text in shown) if shown else "\n".join(EXERCISE)


def _check_whole(snippet: Snippet, code: str) -> None:
    """A piece of a snippet split by its ``setup`` region must still be whole statements (a snippet
    that does not compile on its own fails its own test, with Python's error)."""
    if SETUP not in snippet.regions:
        return
    try:
        compile(code, str(snippet.path), "exec", dont_inherit=True)
    except SyntaxError:
        region = snippet.regions[SETUP]
        raise SnippetError(
            "the 'setup' region cuts a statement in two, and a notebook runs it as a cell of its own: "
            "start and end it between statements", Location(snippet.path, region.start - 1)) from None


def _numbered(slide: Slide) -> list[tuple[int, str]]:
    """A slide's content lines with their rendered line numbers."""
    return [(slide.content_line + offset, text) for offset, text in enumerate(slide.content.split("\n"))]


def _fenced_blocks(numbered: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """(rendered line of the opening fence, lines from fence to fence) for each fenced block."""
    blocks: list[tuple[int, list[str]]] = []
    inside = False
    for (line, text), (code, _) in zip(numbered, fenced(text for _, text in numbered)):
        if code and not inside:
            blocks.append((line, []))
        if code:
            blocks[-1][1].append(text)
        inside = code and not (len(blocks[-1][1]) > 1 and _closes(blocks[-1][1]))
    return blocks


def _closes(lines: list[str]) -> bool:
    opening, last = lines[0].strip(), lines[-1].strip()
    fence = opening[:len(opening) - len(opening.lstrip(opening[0]))]
    return last.startswith(fence) and not last.strip(fence[0])


def _text_with_block_marks(numbered: list[tuple[int, str]], made_by: dict[int, MacroBlock]) -> tuple[str, list[_Block]]:
    """A slide's text with each fenced block replaced by a mark line (at the block's indentation)
    naming its index in the returned list."""
    found = dict(_fenced_blocks(numbered))
    lines, blocks, skip = [], [], 0
    for line, text in numbered:
        if skip:
            skip -= 1
        elif line in found:
            indent = text[:len(text) - len(text.lstrip())]
            lines.append(f"{indent}\x01{len(blocks)}\x01")
            blocks.append(_Block(line, found[line], made_by.get(line)))
            skip = len(found[line]) - 1
        else:
            lines.append(text)
    return "\n".join(lines), blocks


def _plain_block(block: _Block) -> str:
    """A block kept in Markdown (code in another language) as the slide showed it, without Remark's
    ``*`` line highlight markers, and without the indentation the slide gave it."""
    opening, closing = block.lines[0].strip(), block.lines[-1].strip()
    code = block.made_by.plain if block.made_by is not None else textwrap.dedent("\n".join(block.lines[1:-1]))
    return "\n".join([opening, code, closing])


def _normal(code: str) -> str:
    return "\n".join(line.strip() for line in code.strip("\n").split("\n"))
