"""Jinja stage: a deck's Markdown source rendered into the Markdown that Remark will see.

Templates are looked up in the project's ``templates/`` first, then in the defaults shipped with
remarkdeck; the same lookup serves deck includes, macros, the HTML shell and the theme.
"""

from __future__ import annotations

import difflib
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import jinja2
from markupsafe import escape

from .config import DeckConfig
from .errors import DeckError, Location, SnippetError, TemplateError
from .project import PACKAGE_TEMPLATES, Project
from .snippets.files import HIDDEN_REGIONS, SnippetLibrary

WORD_JOINER = "\u2060"  # invisible; keeps Remark from reading a code line's own `*` as its marker


class Outputs(Protocol):
    """What a build offers slides of a snippet's run (see ``execute.py``)."""

    def output(self, name: str) -> str: ...

    def figure(self, name: str, index: int) -> str: ...


@dataclass(frozen=True)
class MacroBlock:
    """A code block a macro wrote into the Markdown: the snippet it comes from, shown as its code
    (``kind`` "snippet") or as what it printed ("output"); ``code`` is the block's text, ``plain``
    the same without Remark's line highlight markers."""

    kind: str
    snippet: str
    code: str
    plain: str


@dataclass
class RenderedDeck:
    """The Markdown Remark will see, and where each of its lines came from."""

    name: str
    path: Path
    config: DeckConfig
    markdown: str
    origins: list[Location]  # for each rendered line, the source line (deck or included template) that made it
    generated_blocks: list[str] = field(default_factory=list)
    macro_blocks: list[MacroBlock] = field(default_factory=list)  # in the order the macros ran
    used_snippets: set[str] = field(default_factory=set)
    figures: list[str] = field(default_factory=list)
    figure_snippets: dict[str, str] = field(default_factory=dict)  # each figure's URL: the snippet that drew it
    formulas: list[str] = field(default_factory=list)  # typeset HTML of each formula placeholder (formulas.py)

    def location(self, rendered_line: int) -> Location:
        """The source line that produced a rendered line: the deck's, or an included template's."""
        if not self.origins:
            return Location(self.path, 0)
        return self.origins[min(max(rendered_line, 1), len(self.origins)) - 1]


class _DeckLoader(jinja2.BaseLoader):
    """Serves the deck body under its own path, so Jinja's errors and tracebacks name the file."""

    def __init__(self, name: str, path: Path, body: str):
        self.name, self.path, self.body = name, path, body

    def get_source(self, environment, template):
        if template != self.name:
            raise jinja2.TemplateNotFound(template)
        return self.body, str(self.path), lambda: False


def template_environment(project: Project, extra_loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The Jinja environment for decks and the HTML shell: project templates before package ones."""
    loaders = [jinja2.FileSystemLoader(project.templates_dir), jinja2.FileSystemLoader(PACKAGE_TEMPLATES)]
    if extra_loader is not None:
        loaders.insert(0, extra_loader)
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_deck(project: Project, name: str, path: Path, config: DeckConfig, body: str,
                outputs: Outputs) -> RenderedDeck:
    """Render the deck body with Jinja; every failure names ``slides/<deck>.md:<line>``."""
    template_name = f"slides/{name}.md"
    env = template_environment(project, _DeckLoader(template_name, path, body))
    deck = RenderedDeck(name=name, path=path, config=config, markdown="", origins=[])
    env.globals.update(_macros(project, deck, outputs))
    try:
        markdown = env.get_template(template_name).render(**_escaped(config.variables()), deck=name)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(_syntax_message(error), _syntax_location(error, path)) from None
    except RecursionError:
        chain, where = _include_cycle(path)
        raise TemplateError(f"templates include each other without end: {chain}; break the cycle", where) from None
    except DeckError as error:
        if error.location is None:
            error.location = _template_location(path)
        raise
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            f"template '{error.name}' not found: create templates/{error.name} or fix the name",
            _template_location(path),
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(
            f"{error.message}: define it in the front matter or fix the name",
            _template_location(path),
        ) from None
    deck.markdown = markdown
    deck.origins = map_origins(expand_includes(env, body, path), markdown)
    return deck


def _escaped(variables: dict) -> dict:
    """Metadata is text, not markup: a title with ``<script>`` in it shows as typed."""
    return {key: escape(value) if isinstance(value, str) else value for key, value in variables.items()}


def _macros(project: Project, deck: RenderedDeck, outputs: Outputs) -> dict[str, Callable]:
    library = SnippetLibrary(project.snippets_dir / deck.name, deck.name)

    def snippet(name: str, region: str | None = None, highlight=(), hide=HIDDEN_REGIONS,
                lang: str | None = None, solution: bool = False) -> str:
        code = library.get(name)
        deck.used_snippets.add(name)
        shown = [text for _, text in code.shown_lines(region, tuple(hide), solution=solution)]
        marked = for_remark(shown, _highlight(shown, highlight, name))
        deck.macro_blocks.append(MacroBlock("snippet", name, marked, "\n".join(shown)))
        return deck_block(marked, lang or code.language, deck)

    def output(name: str, lang: str = "text") -> str:
        library.get(name)
        deck.used_snippets.add(name)
        printed = outputs.output(name).rstrip("\n")
        marked = for_remark(printed.split("\n"), set())
        deck.macro_blocks.append(MacroBlock("output", name, marked, printed))
        return f".output[\n{deck_block(marked, lang, deck)}\n]"

    def figure(name: str, index: int = 1, width: str | None = None, alt: str | None = None,
               **attributes: str) -> str:
        known_failure = library.get(name).known_failure
        deck.used_snippets.add(name)
        src = outputs.figure(name, index)
        if alt is None and known_failure:  # the stand-in says so to a screen reader too
            alt = f"Figure not drawn: snippet {name} is a known failure ({known_failure})"
        deck.figures.append(src)
        deck.figure_snippets[src] = name
        # without alt, validation warns at this line (alt="" marks a figure that is only decoration)
        attrs = {"src": src, "alt": alt, "width": width, **attributes}
        rendered = " ".join(f'{key}="{escape(value)}"' for key, value in attrs.items()
                            if value or (key == "alt" and value is not None))
        return f"<img {rendered}>"

    return {"snippet": snippet, "output": output, "figure": figure}


def _highlight(lines: list[str], highlight, name: str) -> set[int]:
    """The 1-based numbers of the lines to highlight; a line is chosen by its number in the shown
    block or by a piece of its text."""
    wanted = [highlight] if isinstance(highlight, (int, str)) else list(highlight)
    chosen = set()
    for item in wanted:
        matches = [i for i, text in enumerate(lines, 1) if (item == i if isinstance(item, int) else str(item) in text)]
        if not matches:
            raise SnippetError(f"highlight {item!r} matches no shown line of snippet '{name}': give a line number of the shown code or a piece of a line's text")
        chosen.update(matches)
    return chosen


def for_remark(lines: list[str], highlighted: set[int]) -> str:
    """Code lines written so that Remark shows them exactly, the ``highlighted`` ones (1-based)
    highlighted. Remark reads a ``*`` that starts a line as its highlight marker, and removes it
    with a space after it turned into two: a highlighted line gets the marker in place of its first
    space, and a line of the code that starts with ``*`` starts with an invisible word joiner,
    which the page removes once Remark has drawn the code (deck.html)."""
    marked = []
    for number, text in enumerate(lines, 1):
        if number in highlighted:
            marked.append("*" + (text[1:] if text.startswith(" ") else text))
        else:
            marked.append(WORD_JOINER + text if text.startswith("*") else text)
    return "\n".join(marked)


def deck_block(code: str, lang: str, deck: RenderedDeck) -> str:
    """A fenced block made by a macro (validation tells these from blocks typed into slides)."""
    fence = "```"
    while fence in code:
        fence += "`"
    deck.generated_blocks.append(code)
    return f"{fence}{lang}\n{code}\n{fence}"


# A line that is only an include of a named template: `{% include "part.md" %}`, `{%- include 'x' -%}`.
INCLUDE_LINE = re.compile(r"""^\s*\{%-?\s*include\s+(["'])(?P<name>[^"']+)\1[^%]*?-?%\}\s*$""")
MAX_INCLUDE_DEPTH = 20


def map_lines(source: str, rendered: str) -> list[int]:
    """For each rendered line, the line of ``source`` it came from (see :func:`map_origins`)."""
    lines = [(text, Location(Path(), number)) for number, text in enumerate(source.split("\n"), 1)]
    return [origin.line for origin in map_origins(lines, rendered)]


def map_origins(source: list[tuple[str, Location]], rendered: str) -> list[Location]:
    """For each rendered line, where it came from in ``source`` (lines with their locations).
    Unchanged lines map to themselves; lines a Jinja expression or include produced map to the
    first source line of the changed span."""
    texts, rendered_lines = [text for text, _ in source], rendered.split("\n")
    mapping = [0] * len(rendered_lines)
    matcher = difflib.SequenceMatcher(None, texts, rendered_lines, autojunk=False)
    for tag, s1, s2, r1, r2 in matcher.get_opcodes():
        for offset, index in enumerate(range(r1, r2)):
            if tag == "equal" or (tag == "replace" and r2 - r1 == s2 - s1):
                mapping[index] = s1 + offset
            elif tag == "insert":
                mapping[index] = max(s1 - 1, 0)  # produced by the line before the insertion
            else:
                mapping[index] = s1
    return [source[min(index, len(source) - 1)][1] for index in mapping]


def expand_includes(env: jinja2.Environment, body: str, path: Path,
                    stack: tuple[str, ...] = ()) -> list[tuple[str, Location]]:
    """The deck's lines, each with its location, where every line that only includes a template is
    replaced by that template's lines (recursively): the text the rendered deck is compared with,
    so that a line an included template wrote maps to the template's own file and line."""
    lines = []
    for number, text in enumerate(body.split("\n"), 1):
        found = INCLUDE_LINE.match(text)
        included = _template_source(env, found.group("name")) if found and len(stack) < MAX_INCLUDE_DEPTH else None
        if included is None or included[1] in stack:
            lines.append((text, Location(path, number)))
        else:
            source, filename = included
            lines += expand_includes(env, source, Path(filename), stack + (filename,))
    return lines


def _template_source(env: jinja2.Environment, name: str) -> tuple[str, str] | None:
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    return (source.replace("\r\n", "\n").replace("\r", "\n"), filename) if filename else None


def _syntax_message(error: jinja2.TemplateSyntaxError) -> str:
    return f"template syntax error: {error.message}; check the {{{{ }}}} and {{% %}} tags on this line"


def _syntax_location(error: jinja2.TemplateSyntaxError, deck_path: Path) -> Location:
    path = Path(error.filename) if error.filename else deck_path
    return Location(path, error.lineno or 0)


def _template_frames() -> list[traceback.FrameSummary]:
    """The frames of template code in the traceback being handled, outermost first."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    return [f for f in frames if f.filename and not f.filename.endswith(".py") and Path(f.filename).exists()]


def _include_cycle(deck_path: Path) -> tuple[str, Location]:
    """'a.md includes b.md, which includes a.md' and the deck line that entered the cycle."""
    frames, seen = _template_frames(), []
    for frame in frames:
        if frame.filename in seen:
            seen.append(frame.filename)
            break
        seen.append(frame.filename)
    names = [Path(name).name for name in seen]
    chain = names[0] + " includes " + ", which includes ".join(names[1:])
    first = frames[0] if frames else None
    return chain, Location(Path(first.filename) if first else deck_path, first.lineno if first else 0)


def _template_location(deck_path: Path) -> Location:
    """The innermost template line in the traceback being handled (the deck's, if no other)."""
    templates = _template_frames()
    if templates:
        return Location(Path(templates[-1].filename), templates[-1].lineno or 0)
    return Location(deck_path, 0)
