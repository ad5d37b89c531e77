"""Snippet files: ``snippets/<deck>/<name>.py`` with a header, named regions and hidden setup.

A snippet file starts with optional header comments::

    # requires: compile_simple, data
    # reads: data/train.csv
    # timeout: 60
    # echo: last
    # expects: fit_output
    # known-failure: X_train is defined off-slide (NameError)

(``known-failure``: the snippet fails today, for the reason in words; pytest reports it as an
expected failure, and fails the day it passes; see ``failures.py``) and may mark regions with ``# region NAME`` ... ``# endregion``. A region named ``setup`` runs but
is never shown. A region named ``solution`` is the answer to an exercise: it runs, and slides show it
in the exercise form (nbgrader's placeholder) unless asked for the solution. ``.pycon`` files are
interactive sessions, run and checked (see ``interactive.py``). Files in other languages (``.sh``,
``.txt`` ...) are shown but not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Location, SnippetError

HEADER = re.compile(r"^#\s*(requires|reads|timeout|echo|expects|known-failure)\s*:\s*(.*?)\s*$")
ECHO_MODES = ("last",)
RUNNABLE = (".py", ".pycon")
REGION_START = re.compile(r"^\s*#\s*region\s+([\w-]+)\s*$")
REGION_END = re.compile(r"^\s*#\s*endregion\b.*$")
HIDDEN_REGIONS = ("setup",)
SOLUTION = "solution"
EXERCISE = ("# your code here", "raise NotImplementedError")  # nbgrader's placeholder for a solution
PRELUDE = "prelude"
LANGUAGES = {".py": "python", ".pycon": "python", ".sh": "bash", ".js": "javascript", ".json": "json", ".txt": "text",
             ".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".r": "r", ".jl": "julia"}


@dataclass(frozen=True)
class Region:
    name: str
    start: int  # 1-based line of the first line inside the region
    end: int  # 1-based line of the last line inside the region


@dataclass
class Snippet:
    """One snippet file and what its header declares."""

    deck: str
    name: str
    path: Path
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    timeout: float | None = None
    echo: str = ""  # "last": the last expression's value is printed, as Jupyter shows it
    expects: str = ""  # the snippet holding the output this one must print
    known_failure: str = ""  # why it fails today, in words ('# known-failure: REASON')
    known_failure_line: int = 0  # the header line that says so
    header_lines: int = 0
    regions: dict[str, Region] = field(default_factory=dict)

    @property
    def runnable(self) -> bool:
        return self.path.suffix in RUNNABLE

    @property
    def language(self) -> str:
        return LANGUAGES.get(self.path.suffix.lower(), self.path.suffix.lstrip(".") or "text")

    @cached_property
    def lines(self) -> list[str]:
        return self.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")

    def shown_lines(self, region: str | None = None, hide: tuple[str, ...] = HIDDEN_REGIONS,
                    where: Location | None = None, solution: bool = False) -> list[tuple[int, str]]:
        """(file line, text) pairs shown on a slide: the region (or the file after its header),
        without region markers and hidden regions, outer blank lines trimmed. The ``solution``
        region is shown in its exercise form unless ``solution`` (or asked for by name)."""
        if region is not None and region not in self.regions:
            known = ", ".join(self.regions) or "none"
            raise SnippetError(
                f"snippet '{self.name}' has no region '{region}' (regions in "
                f"{self.path.name}: {known}); mark it with '# region {region}' ... '# endregion'",
                where,
            )
        if region is not None:
            first, last = self.regions[region].start, self.regions[region].end
        else:
            first, last = self.header_lines + 1, len(self.lines)
        hidden = [self.regions[name] for name in hide if name in self.regions and name != region]
        shown = [
            (number, self.lines[number - 1])
            for number in range(first, last + 1)
            if not any(r.start - 1 <= number <= r.end + 1 for r in hidden)
            and not REGION_START.match(self.lines[number - 1])
            and not REGION_END.match(self.lines[number - 1])
        ]
        if SOLUTION in self.regions and not solution and region != SOLUTION:
            shown = self.exercise_form(shown)
        while shown and not shown[0][1].strip():
            shown.pop(0)
        while shown and not shown[-1][1].strip():
            shown.pop()
        return shown

    def exercise_form(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """``lines`` with the solution region's lines replaced by the placeholder, at its indentation."""
        answer = self.regions[SOLUTION]
        inside = [text for number, text in lines if answer.start <= number <= answer.end]
        first = next((text for text in inside if text.strip()), "")
        indent = first[:len(first) - len(first.lstrip())]
        placeholder = [(answer.start, indent + text) for text in EXERCISE]
        before = [pair for pair in lines if pair[0] < answer.start]
        after = [pair for pair in lines if pair[0] > answer.end]
        return before + (placeholder if inside else []) + after


def load_snippet(path: Path, deck: str) -> Snippet:
    """Parse a snippet file's header and regions; malformed markers are errors at their line."""
    snippet = Snippet(deck=deck, name=path.stem, path=path)
    header = header_lines(snippet.lines)
    for index, (key, value) in enumerate(header):
        _set_header(snippet, key, value, Location(path, index + 1))
    snippet.header_lines = len(header)
    snippet.regions = _find_regions(snippet.lines, path)
    return snippet


def header_lines(lines: list[str]) -> list[tuple[str, str]]:
    """(key, value) of each header line at the top of a snippet file."""
    header = []
    for line in lines:
        if not (match := HEADER.match(line)):
            break
        header.append(match.groups())
    return header


def _set_header(snippet: Snippet, key: str, value: str, where: Location) -> None:
    items = tuple(item.strip() for item in value.split(",") if item.strip())
    if key == "requires":
        snippet.requires = items
    elif key == "reads":
        snippet.reads = items
    elif key == "echo":
        if value not in ECHO_MODES:
            raise SnippetError(f"echo must be 'last' (print the value of the last line when it is an "
                               f"expression), not '{value}'", where)
        snippet.echo = value
    elif key == "expects":
        if len(items) != 1 or not re.fullmatch(r"[\w.-]+", items[0]):
            raise SnippetError(f"expects takes the name of one snippet holding the output to compare "
                               f"with (e.g. '# expects: fit_output'), not '{value}'", where)
        snippet.expects = items[0]
    elif key == "known-failure":
        if not value:
            raise SnippetError("known-failure takes the reason the snippet fails, in words (e.g. "
                               "'# known-failure: X_train is defined off-slide (NameError)')", where)
        snippet.known_failure, snippet.known_failure_line = value, where.line
    else:
        try:
            snippet.timeout = float(value)
        except ValueError:
            raise SnippetError(f"timeout must be a number of seconds, not '{value}'", where) from None


def _find_regions(lines: list[str], path: Path) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    open_name, open_line = None, 0
    for number, line in enumerate(lines, start=1):
        if match := REGION_START.match(line):
            if open_name:
                raise SnippetError(
                    f"region '{match.group(1)}' starts inside region '{open_name}' "
                    f"(opened at line {open_line}): close it first with '# endregion'",
                    Location(path, number),
                )
            if match.group(1) in regions:
                raise SnippetError(f"region '{match.group(1)}' is defined twice", Location(path, number))
            open_name, open_line = match.group(1), number
        elif REGION_END.match(line):
            if not open_name:
                raise SnippetError("'# endregion' without a '# region NAME' before it", Location(path, number))
            regions[open_name] = Region(open_name, open_line + 1, number - 1)
            open_name = None
    if open_name:
        raise SnippetError(
            f"region '{open_name}' is never closed: add '# endregion' after its last line",
            Location(path, open_line),
        )
    return regions


class SnippetLibrary:
    """The snippets of one deck, loaded on first use."""

    def __init__(self, folder: Path, deck: str):
        self.folder = folder
        self.deck = deck
        self._loaded: dict[str, Snippet] = {}

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.stem for path in self.folder.iterdir() if path.is_file() and not path.name.startswith("."))

    def has(self, name: str) -> bool:
        return self._path(name) is not None

    def get(self, name: str, where: Location | None = None) -> Snippet:
        if name not in self._loaded:
            path = self._path(name)
            if path is None:
                raise SnippetError(
                    f"no snippet '{name}': create snippets/{self.deck}/{name}.py "
                    f"(snippets of this deck: {', '.join(self.names()) or 'none'})",
                    where,
                )
            self._loaded[name] = load_snippet(path, self.deck)
        return self._loaded[name]

    def prelude(self) -> Snippet | None:
        return self.get(PRELUDE) if self.has(PRELUDE) else None

    def chain(self, name: str, where: Location | None = None) -> list[Snippet]:
        """What runs for ``name``, in order: its requirements (depth first, each once), then itself.
        The prelude is not part of the chain."""
        order: list[Snippet] = []
        visiting: list[str] = []

        def visit(current: str, requested_at: Location | None) -> None:
            if current in visiting:
                cycle = " -> ".join([*visiting[visiting.index(current):], current])
                raise SnippetError(f"snippets require each other in a cycle: {cycle}", requested_at)
            if any(s.name == current for s in order):
                return
            visiting.append(current)
            snippet = self.get(current, requested_at)
            for requirement in snippet.requires:
                visit(requirement, Location(snippet.path, 1))
            visiting.pop()
            order.append(snippet)

        visit(name, where)
        return order

    def _path(self, name: str) -> Path | None:
        if not re.fullmatch(r"[\w.-]+", name) or not self.folder.is_dir():
            return None
        exact = self.folder / f"{name}.py"
        if exact.is_file():
            return exact
        others = sorted(p for p in self.folder.glob(f"{name}.*") if p.is_file() and p.stem == name)
        return others[0] if others else None


USE = re.compile(r"""\b(snippet|output|figure)\(\s*["']([\w.-]+)["']""")


def slides_using(deck_path: Path, name: str) -> list[Location]:
    """Where a deck's source shows a snippet, its output or its figure."""
    if not deck_path.is_file():
        return []
    text = deck_path.read_text(encoding="utf-8-sig", errors="replace")
    return [
        Location(deck_path, number)
        for number, line in enumerate(text.split("\n"), start=1)
        if any(found == name for _, found in USE.findall(line))
    ]
