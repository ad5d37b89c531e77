"""Known failures: why a snippet fails, in words, kept as its ``# known-failure: REASON`` header line.

``record_known_failures`` runs a deck's snippets as pytest does and marks each one that fails
(unmarking those that pass); ``classify`` turns a failed run's error into the reason, by the rules
of ``RULES``; ``deck_status`` counts a deck's snippets from their headers, for the index page.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SnippetError
from ..project import Project
from .files import HEADER, RUNNABLE, Snippet, SnippetLibrary
from .outputs import SnippetOutputs, pasted_difference
from .runner import SnippetRunner

KEY = "known-failure"
MAX_FIELD = 100  # characters of an error message kept in a reason: the header is one line

# (pattern searched in the error's summary line, reason), first match wins. The summary line is
# the exception line closing the traceback, or the runner's own sentence (timeout, crash). A
# reason ends with the kind of failure in parentheses, so that reasons group by it.
TYPE = r"^(?:\w+\.)*"  # an exception's module path, as Python prints it for non-builtins
RULES: tuple[tuple[str, str], ...] = (
    (TYPE + r"NameError: name '(?P<name>\w+)' is not defined", "{name} is defined off-slide (NameError)"),
    # a dotted name whose package is installed here: the module is gone from it
    (TYPE + r"ModuleNotFoundError: No module named '(?P<module>(?P<installed>[^'.]+)\.[^']+)'",
     "imports {module}, which its package no longer has (ModuleNotFoundError)"),
    (TYPE + r"ModuleNotFoundError: No module named '(?P<package>[^'.]+)",
     "needs package {package}, not installed (ModuleNotFoundError)"),
    (TYPE + r"(?P<type>FileNotFoundError|OSError): \[Errno \d+\] [^:]*: '(?P<file>[^']+)'",
     "reads {file}, which the deck does not include ({type})"),
    (TYPE + r"(?P<type>OSError): (?P<file>\S+) not found\.", "reads {file}, which the deck does not include ({type})"),
    (TYPE + r"(?P<type>ValueError): File not found: filepath=(?P<file>\S+?)\.(?:\s|$)",  # Keras' load_model
     "reads {file}, which the deck does not include ({type})"),
    (r"^snippet '[^']+' declares it reads '(?P<file>[^']+)', which does not exist",
     "reads {file}, which the deck does not include (missing file)"),
    (TYPE + r"(?P<type>SyntaxError|IndentationError|TabError): (?P<message>.+)",
     "not valid Python: {message} ({type})"),
    (r"^timed out after (?P<seconds>[\d.]+) s", "does not finish within {seconds} s (timeout)"),
    (r"^the interpreter running it was killed by signal (?P<signal>\w+)", "crashes the Python interpreter ({signal})"),
    (r"^the interpreter running it exited with status (?P<status>\d+)",
     "ends the Python interpreter with status {status} (exit)"),
    (TYPE + r"SystemExit: (?P<status>.*)", "calls sys.exit({status}) (SystemExit)"),
    (r"^\S+:(?P<line>\d+): what this statement printed differs",
     "prints something else than the output pasted under line {line} (output differs)"),
    (r"^printed something else than the output pasted in (?P<pasted>\S+)",
     "prints something else than the output pasted in {pasted} (output differs)"),
    (r"^its output differs from the last run", "prints something else at each run (output not reproducible)"),
    (TYPE + r"(?P<type>\w+): (?P<message>.+)", "{message} ({type})"),
    (TYPE + r"(?P<type>\w+)$", "raises {type} with no message ({type})"),
    (r"^(?P<summary>.+)", "{summary} (error)"),
)
_RULES = tuple((re.compile(pattern), reason) for pattern, reason in RULES)
FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line \d+')
PRELUDE_FAILED = "the prelude failed:"


# -- reasons in words -------------------------------------------------------------------------------

def classify(error: str, snippet: Path | None = None) -> str:
    """The reason a run failed, in words, from its error text (a traceback or the runner's
    sentence). When the failure comes from another snippet it required (its first frame is in
    another file), the reason says so: 'requires NAME, which fails: REASON'."""
    summary = summary_line(error)
    reason = _fragment(error, summary) or _reason(summary)
    source = failing_file(error)
    if snippet is not None and source is not None and source.resolve() != snippet.resolve():
        return f"requires {source.stem}, which fails: {reason}"
    return reason


FRAGMENT_ERRORS = re.compile(TYPE + r"(?P<type>TypeError|AttributeError|ValueError|IndexError|KeyError)\b")
ELLIPSIS = re.compile(r"(?<![\w.])\.\.\.(?![\w.])")
LINE = re.compile(r"line (\d+)")
STRINGS = re.compile(r"""("|')(?:\\.|(?!\1).)*\1""")


def _fragment(error: str, summary: str) -> str:
    """'a fragment: ...' when the line that raised holds a ``...`` standing for code the slide
    leaves out (``Conv2D(..., activation=None)``) and the error is what that makes Python raise."""
    found = FRAGMENT_ERRORS.match(summary)
    lines = error.rstrip().split("\n")
    frames = [index for index, line in enumerate(lines) if FRAME.match(line)]
    if not found or not frames or frames[-1] + 1 >= len(lines):
        return ""
    if ELLIPSIS.search(STRINGS.sub("", lines[frames[-1] + 1])):
        where = f"the '...' of line {LINE.search(lines[frames[-1]]).group(1)}"
    elif "'ellipsis' object" in summary:  # model = ... earlier, model.fit() here
        where = "a '...'"
    else:
        return ""
    return f"a fragment: {where} stands for code the slide leaves out ({found['type']})"


def _reason(summary: str) -> str:
    for pattern, template in _RULES:
        match = pattern.search(summary)
        if match and (match.groupdict().get("installed") is None or is_installed(match["installed"])):
            return template.format(**{key: _clip(value or "") for key, value in match.groupdict().items()})
    return "fails with no message (error)"


def is_installed(package: str) -> bool:
    """Whether the top-level package ``package`` can be imported here."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD - 3].rstrip() + "..."


def summary_line(error: str) -> str:
    """The line that says what went wrong: the exception line closing the last traceback, or the
    first line of a message that is no traceback (a timeout, a crash, a difference)."""
    lines = error.strip().removeprefix(PRELUDE_FAILED).strip().split("\n")
    if not (lines[0].startswith("Traceback") or FRAME.match(lines[0])):
        return lines[0]
    frames = [index for index, line in enumerate(lines) if FRAME.match(line)]
    after = [line for line in lines[frames[-1] + 1:] if line.strip() and not line.startswith(" ")] if frames else []
    return after[0] if after else lines[-1]


def failing_file(error: str) -> Path | None:
    """The file that was running when the last traceback of ``error`` was raised (its first frame:
    remarkdeck's own frames are not in it), or None when it is no traceback."""
    text = error.strip().removeprefix(PRELUDE_FAILED).strip()
    last = re.split(r"\n(?:During handling of the above exception|The above exception was the direct cause)[^\n]*\n",
                    text)[-1]
    lines = last.strip().split("\n")
    if not (lines[0].startswith("Traceback") or FRAME.match(lines[0])):
        return None
    frame = next((FRAME.match(line) for line in lines if FRAME.match(line)), None)
    return Path(frame.group("path")) if frame else None


# -- the header line --------------------------------------------------------------------------------

def mark_known_failure(path: Path, reason: str) -> bool:
    """Write ``# known-failure: REASON`` as the file's first header line, or replace the one it has
    (other header lines kept); returns whether the file changed."""
    line = f"# {KEY}: {' '.join(reason.split())}"
    lines, at = _header_of(path)
    if at is None:
        lines.insert(0, line)
    else:
        lines[at] = line
    return _write(path, lines)


def unmark_known_failure(path: Path) -> bool:
    """Remove the file's ``# known-failure:`` line; returns whether the file changed."""
    lines, at = _header_of(path)
    if at is not None:
        del lines[at]
    return _write(path, lines)


def _header_of(path: Path) -> tuple[list[str], int | None]:
    """The file's lines and the index of its known-failure line among its header lines."""
    lines = _text(path).split("\n")
    for index, line in enumerate(lines):
        match = HEADER.match(line)
        if not match:
            break
        if match.group(1) == KEY:
            return lines, index
    return lines, None


def _text(path: Path) -> str:
    """The file's text as snippets are read: byte-order mark dropped, lines ending in \\n."""
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def _write(path: Path, lines: list[str]) -> bool:
    """Write ``lines`` back with the file's own line endings and byte-order mark; False if unchanged."""
    if "\n".join(lines) == _text(path):
        return False
    raw = path.read_bytes()
    newline = "\r\n" if b"\r\n" in raw else "\n"
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    path.write_bytes(bom + newline.join(lines).encode("utf-8"))
    return True


# -- a deck's snippets run and marked -------------------------------------------------------------

@dataclass
class KnownFailures:
    """What ``record_known_failures`` found in a deck: the snippets that pass, those that fail and
    why, and the header lines it wrote or removed."""

    deck: str
    passing: list[str] = field(default_factory=list)
    failing: dict[str, str] = field(default_factory=dict)  # snippet name -> reason
    marked: list[str] = field(default_factory=list)  # snippets whose known-failure line was written or changed
    unmarked: list[str] = field(default_factory=list)  # snippets whose known-failure line was removed

    def by_reason(self) -> dict[str, list[str]]:
        """The failing snippets grouped by reason, the most common reason first."""
        groups: dict[str, list[str]] = {}
        for name, reason in sorted(self.failing.items()):
            groups.setdefault(reason, []).append(name)
        return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))

    def lines(self) -> list[str]:
        """The summary as the import report (and the upgrade) prints it."""
        if not self.failing:
            return [f"snippets run: all {len(self.passing)} pass"] if self.passing else []
        head = (f"snippets run: {len(self.passing)} pass, {len(self.failing)} fail, each now marked "
                f"'# {KEY}: REASON' in its file (pytest expects it to fail, and fails the day it passes):")
        return [head] + [f"  {reason}: {len(names)} ({', '.join(names)})" for reason, names in self.by_reason().items()]


def record_known_failures(project: Project, deck: str, runner: SnippetRunner | None = None,
                          progress=lambda message: None) -> KnownFailures:
    """Run every runnable snippet of ``deck`` as its pytest item does (prelude, requirements,
    pasted output compared) and mark each one that fails with the reason in words; a marked
    snippet that passes loses its line. ``runner``: a worker to reuse (else one is started and
    closed here)."""
    project = Project(project.root.resolve())  # snippets run in a working folder of their own
    library = SnippetLibrary(project.snippets_dir / deck, deck)
    found = KnownFailures(deck)
    with contextlib.nullcontext(runner) if runner else SnippetRunner() as running:
        outputs = SnippetOutputs(project, deck, running, force=True, progress=progress)
        for name in runnable_names(library):
            snippet = library.get(name)
            reason = failure_reason(outputs, snippet)
            if reason:
                found.failing[name] = reason
            else:
                found.passing.append(name)
    _write_marks(library, found)
    return found


def _write_marks(library: SnippetLibrary, found: KnownFailures) -> None:
    """Once every snippet has run (a mark changes the files later runs read): mark, re-word, unmark."""
    for name in runnable_names(library):
        path = library.get(name).path
        if name in found.failing and mark_known_failure(path, found.failing[name]):
            found.marked.append(name)
        elif name not in found.failing and unmark_known_failure(path):
            found.unmarked.append(name)


def runnable_names(library: SnippetLibrary) -> list[str]:
    return [name for name in library.names() if library.get(name).path.suffix in RUNNABLE]


def failure_reason(outputs: SnippetOutputs, snippet: Snippet) -> str:
    """Why the snippet's test fails, in words; '' when it passes. The checks are those of its
    pytest item: it runs, prints the same as last time, and prints the output it ``expects``."""
    try:
        result = outputs.fetch(snippet.name)
        if not result.ok:
            return classify(result.error, snippet.path)
        if result.changed_from is not None:
            return classify("its output differs from the last run")
        if snippet.expects:
            pasted, diff = pasted_difference(outputs.project, outputs.library, snippet, result)
            if diff:
                shown = outputs.project.relative(pasted.path)
                return classify(f"printed something else than the output pasted in {shown}")
    except SnippetError as error:
        return classify(error.message)
    return ""


# -- counts for the index page ---------------------------------------------------------------------

@dataclass
class DeckStatus:
    """A deck's snippets as their files declare them: verified by pytest (runnable, not marked),
    known failures by reason, and shown only (not Python: never run)."""

    verified: int = 0
    known_failures: dict[str, int] = field(default_factory=dict)  # reason -> snippets
    shown_only: int = 0

    @property
    def failing(self) -> int:
        return sum(self.known_failures.values())


def deck_status(project: Project, deck: str) -> DeckStatus:
    """Counts from the snippet files' headers: nothing runs (``make slides`` runs no test)."""
    library = SnippetLibrary(project.snippets_dir / deck, deck)
    snippets = [library.get(name) for name in library.names()]
    reasons = Counter(s.known_failure for s in snippets if s.runnable and s.known_failure)
    return DeckStatus(verified=sum(1 for s in snippets if s.runnable and not s.known_failure),
                      known_failures=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
                      shown_only=sum(1 for s in snippets if not s.runnable))
