"""Each snippet of a deck run, rewritten by the rules, and run again, in a scratch copy of the deck's
snippets: a rewrite is kept where the snippet then runs, or no longer fails with the error its rule
addresses at a line it changed; otherwise that site is given back and the rest tried again. Then
each pasted output (``# expects:``) becomes what its code prints now."""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..project import Project
from ..snippets.execute import RunResult
from ..snippets.failures import KnownFailures
from ..snippets.files import SnippetLibrary
from ..snippets.interactive import output_difference
from ..snippets.outputs import shown_output
from ..snippets.runner import SnippetRunner
from .rewrite import Context, Site, _map_line, apply_rules
from .rules import Rule
from .syntax_fix import fix_syntax

MAX_ROUNDS = 6
SYNTAX_RULE = Rule(id="syntax", library="Python", release="Python 3.10 (its hints)", kind="syntax",
                   what="a fix Python's error names: the comma of 'invalid syntax. Perhaps you forgot a comma?', "
                        "the indentation every line shares for 'unexpected indent'",
                   error=r"SyntaxError: invalid syntax\. Perhaps you forgot a comma\?|IndentationError: unexpected indent",
                   before="", after="")
FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)', re.MULTILINE)


@dataclass
class Change:
    """One file's change as the report shows it: kept (rules), syntax (commas), output (a pasted
    output refreshed), or reverted (tried, given back, with why)."""

    path: Path  # in the project
    before: str
    after: str
    kind: str
    rules: list[Rule] = field(default_factory=list)
    reason: str = ""


@dataclass
class SnippetOutcome:
    name: str
    passed_before: bool
    passed_after: bool
    failure: str = ""  # the last line of the error it still fails with


@dataclass
class DeckUpgrade:
    deck: str
    changes: list[Change] = field(default_factory=list)
    outcomes: list[SnippetOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sessions (.pycon): run, not rewritten
    known: KnownFailures | None = None  # what still fails, marked in the files (written unless a dry run)


class Scratch:
    """A copy of a deck's snippets where candidates are written and run; the project's other
    folders are linked in, so that what a snippet reads by a relative path is there too."""

    def __init__(self, project: Project, deck: str):
        self.root = Path(tempfile.mkdtemp(prefix="remarkdeck-upgrade-"))
        for entry in project.root.iterdir():
            if entry.name not in ("snippets", "build"):
                (self.root / entry.name).symlink_to(entry)
        self.folder = self.root / "snippets" / deck
        shutil.copytree(project.snippets_dir / deck, self.folder)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class DeckRun:
    """The upgrade of one deck, snippet after snippet, requirements first."""

    def __init__(self, project: Project, deck: str, rules: list[Rule], runner: SnippetRunner, say=print):
        self.project, self.deck, self.rules, self.runner, self.say = project, deck, rules, runner, say
        self.real = project.snippets_dir / deck
        self.report = DeckUpgrade(deck)

    def upgrade(self, scratch: Scratch) -> DeckUpgrade:
        self.scratch = scratch
        library = SnippetLibrary(self.real, self.deck)
        for name in library.names():
            library.get(name)  # a malformed header is reported at its real path, before anything runs
        results = {}
        for name in run_order(library):
            if library.get(name).path.suffix != ".py":
                self.report.skipped.append(name)
                continue
            results[name] = self.upgrade_snippet(name)
        for name, (before, after) in results.items():
            self.report.outcomes.append(self.refresh_output(name, before, after))
        return self.report

    # -- one snippet

    def upgrade_snippet(self, name: str) -> tuple[RunResult, RunResult]:
        """(the run before, the run of what is kept); the kept text is left in the scratch copy."""
        path = self.scratch.folder / f"{name}.py"
        original = path.read_text(encoding="utf-8")
        self.say(f"upgrade: running {self.deck}/{name}")
        before = self.run(name)
        context = self.context(name)
        skip: set[tuple[str, int]] = set()
        failures = [before.error] if not before.ok else []
        accepted, result, sites = original, before, []
        for _ in range(MAX_ROUNDS):
            eligible = [r for r in self.rules if not r.only_on_error or any(r.addresses(f) for f in failures)]
            text, candidate_sites = rewrite(original, eligible, context, skip)
            if text in (original, accepted):
                break
            path.write_text(text, encoding="utf-8")
            after = self.run(name)
            failures.append(after.error)
            blamed = blame(candidate_sites, after, before, path, original)
            skip |= {(site.rule.id, site.origin) for site in blamed}
            self.reverted(name, original, blamed, f"then fails: {last_line(after.error)}", context)
            if blamed:
                continue
            missed = unreached(candidate_sites, after, path)
            if missed:
                skip |= {(site.rule.id, site.origin) for site in missed}
                self.reverted(name, original, missed, f"not reached: {why_unreached(after, path)}", context)
                text, candidate_sites = rewrite(original, eligible, context, skip)
            accepted, sites = text, [s for s in candidate_sites if (s.rule.id, s.origin) not in skip]
            result = after if text != original else before
            newly = [r for r in self.rules if r.only_on_error and r not in eligible and r.addresses(after.error)]
            if after.ok or not newly:
                break
        path.write_text(accepted, encoding="utf-8")
        self.kept(name, original, accepted, sites)
        return before, result

    def run(self, name: str) -> RunResult:
        library = SnippetLibrary(self.scratch.folder, self.deck)
        with tempfile.TemporaryDirectory(prefix="remarkdeck-upgrade-run-") as results:
            return self.runner.run(library, library.get(name), Path(results))

    def context(self, name: str) -> Context:
        library = SnippetLibrary(self.scratch.folder, self.deck)
        prelude = library.prelude()
        earlier = ([prelude] if prelude and prelude.name != name else []) + library.chain(name)[:-1]
        elsewhere = set()
        for other in library.names():
            if other != name and library.get(other).runnable:
                elsewhere |= set(re.findall(r"\w+", library.get(other).path.read_text(encoding="utf-8")))
        return Context([s.path.read_text(encoding="utf-8") for s in earlier], elsewhere)

    # -- what the report shows

    def kept(self, name: str, original: str, accepted: str, sites: list[Site]) -> None:
        real = self.real / f"{name}.py"
        fixes = [s for s in sites if s.rule is SYNTAX_RULE]
        middle = fix_syntax(original)[0] if fixes else original
        if fixes:
            self.report.changes.append(Change(real, original, middle, "syntax", [SYNTAX_RULE]))
        if accepted != middle:
            rules = list(dict.fromkeys(s.rule for s in sites if s.rule is not SYNTAX_RULE))
            self.report.changes.append(Change(real, middle, accepted, "kept", rules))

    def reverted(self, name: str, original: str, sites: list[Site], why: str, context: Context) -> None:
        """The sites given back, one change per rule: what it tried there, and why it is not kept."""
        for rule in dict.fromkeys(site.rule for site in sites):
            mine = [site for site in sites if site.rule is rule]
            if rule is SYNTAX_RULE:
                tried = fix_syntax(original)[0]
            else:
                given = {site.origin for site in mine}
                others = {(rule.id, site.origin) for site in apply_rules(original, [rule], context).sites
                          if site.origin not in given}
                tried = apply_rules(original, [rule], context, others).text
            lines = ", ".join(str(number) for number in sorted({site.line for site in mine}))
            self.report.changes.append(Change(self.real / f"{name}.py", original, tried, "reverted", [rule],
                                              f"line {lines} {why}"))

    def refresh_output(self, name: str, before: RunResult, after: RunResult) -> SnippetOutcome:
        """A pasted output the code no longer prints becomes what it prints now."""
        library = SnippetLibrary(self.scratch.folder, self.deck)
        snippet = library.get(name)
        outcome = SnippetOutcome(name, before.ok, after.ok, "" if after.ok else last_line(after.error))
        if not snippet.expects or not library.has(snippet.expects):
            return outcome
        pasted = library.get(snippet.expects)
        shown = "\n".join(pasted.lines[pasted.header_lines:])
        original = (self.real / pasted.path.name).read_text(encoding="utf-8")
        outcome.passed_before = before.ok and not output_difference(
            "\n".join(original.split("\n")[pasted.header_lines:]), shown_output(before), "a", "b")
        if not after.ok or not output_difference(shown, shown_output(after), "a", "b"):
            return outcome
        printed = [line.rstrip() for line in shown_output(after).rstrip("\n").split("\n")]
        text = "\n".join([*pasted.lines[:pasted.header_lines], *printed]) + "\n"
        pasted.path.write_text(text, encoding="utf-8")
        self.report.changes.append(Change(self.real / pasted.path.name, original, text, "output", [],
                                          f"what {name}.py prints now"))
        return outcome


def run_order(library: SnippetLibrary) -> list[str]:
    """The prelude, then every snippet after the snippets it requires."""
    order: list[str] = []
    prelude = library.prelude()
    if prelude is not None:
        order.append(prelude.name)
    for name in library.names():
        if not library.get(name).runnable:
            continue
        for snippet in library.chain(name):
            if snippet.name not in order:
                order.append(snippet.name)
    return order


def rewrite(original: str, rules: list[Rule], context: Context,
            skip: set[tuple[str, int]]) -> tuple[str, list[Site]]:
    """Syntax fixes first (a snippet must parse for the rules to read it), then the rules."""
    text, lines = fix_syntax(original)
    if any((SYNTAX_RULE.id, line) in skip for line in lines):
        text, lines = original, []
    result = apply_rules(text, rules, context, skip)
    fixes = [Site(SYNTAX_RULE, line, _map_line(text.split("\n"), result.text.split("\n"), line))
             for line in dict.fromkeys(lines)]
    return result.text, fixes + result.sites


UNDEFINED = re.compile(r"NameError: name '(\w+)' is not defined")
# What code meets outside itself: the network, files, packages. A rewrite does not cause these.
OUTSIDE = re.compile(r"^(?:[\w.]+\.)?(?:URLError|HTTPError|\w*ConnectionError|TimeoutError|gaierror|FileNotFoundError"
                     r"|ModuleNotFoundError)\b")


def blame(sites: list[Site], after: RunResult, before: RunResult, path: Path, original: str = "") -> list[Site]:
    """The sites the new run fails because of: those whose rule addresses the error it still fails
    with here, and those on the line it fails at; all of them when it ran before and fails now.
    None when the rewrite got the snippet past the error it addresses, to one no rewrite causes:
    a name the snippet always used and nothing defines, or the network, a file, a package."""
    if after.ok:
        return []
    if got_further(sites, after, before, original):
        return []
    line = failing_line(after.error, path)
    if line is None:
        return list(sites) if before.ok else []
    blamed = [site for site in sites if site.rule.addresses(after.error) or site.covers(line)]
    return blamed or (list(sites) if before.ok else [])


def got_further(sites: list[Site], after: RunResult, before: RunResult, original: str) -> bool:
    """Whether the run failed before with an error the sites' rules address, and now fails with
    one that is not of their making (see ``blame``)."""
    if before.ok or not any(site.rule.addresses(before.error) for site in sites):
        return False
    if any(site.rule.addresses(after.error) for site in sites):
        return False
    final = last_line(after.error)
    undefined = UNDEFINED.search(final)
    return bool(OUTSIDE.match(final)) or bool(undefined and _used_never_bound(undefined[1], original))


def _used_never_bound(name: str, text: str) -> bool:
    """Whether ``text`` (with its syntax fixed) reads ``name`` and binds it nowhere (no import,
    assignment or definition)."""
    try:
        tree = ast.parse(fix_syntax(text)[0])
    except SyntaxError:
        return False
    read = bound = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            read |= isinstance(node.ctx, ast.Load)
            bound |= not isinstance(node.ctx, ast.Load)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound |= node.name == name
    return read and not bound


def unreached(sites: list[Site], after: RunResult, path: Path) -> list[Site]:
    """The sites a failing run did not get to: after the line it fails at, or all of them when it
    fails before the snippet's own code (in its prelude or a requirement). Nothing shows they work.
    A syntax fix is reached by any run: the file compiled."""
    if after.ok:
        return []
    line = failing_line(after.error, path)
    return [site for site in sites if site.rule is not SYNTAX_RULE and (line is None or site.line > line)]


def why_unreached(after: RunResult, path: Path) -> str:
    line = failing_line(after.error, path)
    where = f"at line {line}" if line else "before its own code runs"
    return f"the snippet fails {where} ({last_line(after.error)}); upgrade again once that is fixed"


def failing_line(error: str, path: Path) -> int | None:
    """The line of ``path`` that a traceback ends at (its last frame in that file)."""
    lines = [int(found["line"]) for found in FRAME.finditer(error) if Path(found["path"]) == path]
    return lines[-1] if lines else None


def last_line(error: str) -> str:
    lines = [line.strip() for line in error.strip().split("\n") if line.strip()]
    return lines[-1] if lines else ""
