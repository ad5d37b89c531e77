"""pytest plugin: ``--matrix-results FILE`` writes the outcome of every snippet and notebook item as
JSON, with the error's last line and the slide that shows the snippet: what ``remarkdeck matrix``
reads back from the pytest run in each cell."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import pytest

from .outcomes import FAILED, KNOWN_FAILURE, KNOWN_FAILURE_PASSES, PASSED, SKIPPED, Outcome

XPASS_STRICT = "[XPASS(strict)]"
TRACEBACK = "Traceback (most recent call last)"
STDOUT_SECTION = "Captured snippet stdout call"  # the section SnippetItem adds with what it printed

# -- options ---------------------------------------------------------------------------------------

def pytest_addoption(parser):
    parser.getgroup("remarkdeck").addoption(
        "--matrix-results", metavar="FILE", default=None,
        help="write each snippet's and notebook's outcome to FILE as JSON (what `remarkdeck matrix` reads)")


# -- configure -------------------------------------------------------------------------------------

def pytest_configure(config):
    path = config.getoption("--matrix-results", None)
    if path and not hasattr(config, "workerinput"):
        config.stash[_RESULTS] = _Results(Path(path))


# -- run -------------------------------------------------------------------------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    results = item.config.stash.get(_RESULTS, None)
    if results is not None:
        results.add(item, call, report)
    return report


def pytest_sessionfinish(session):
    results = session.config.stash.get(_RESULTS, None)
    if results is not None:
        results.write()


class _Results:
    """Each deck item's outcome: its call phase's, unless its setup or teardown failed."""

    def __init__(self, path: Path):
        self.path = path
        self.items: dict[str, dict] = {}
        self.stdout: dict[str, str] = {}  # what each snippet printed
        self.decks: dict[str, object] = {}  # deck name: its project

    def add(self, item, call, report) -> None:
        from ..pytest_plugin import NotebookItem, SnippetItem

        if not isinstance(item, (SnippetItem, NotebookItem)):
            return
        self.decks[item.deck] = item.project
        outcome = outcome_of(item, call, report)
        if outcome is None:
            return
        if report.when == "call" and isinstance(item, SnippetItem):
            self.stdout[item.nodeid] = dict(report.sections).get(STDOUT_SECTION, "")
        known = self.items.get(item.nodeid)
        if known is None or (report.when != "call" and outcome.status == FAILED):
            kind = "snippet" if isinstance(item, SnippetItem) else "notebook"
            self.items[item.nodeid] = {"kind": kind, "deck": item.deck, "name": item.name,
                                       "seconds": round(report.duration, 3), **outcome.as_dict()}
        else:
            known["seconds"] = round(known["seconds"] + report.duration, 3)

    def write(self) -> None:
        from .verified import deck_versions

        versions = {deck: deck_versions(project, deck) for deck, project in self.decks.items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        items = [dict(item, stdout=self.stdout[nodeid]) if nodeid in self.stdout else item
                 for nodeid, item in self.items.items()]
        self.path.write_text(json.dumps({"python": platform.python_version(), "versions": versions, "items": items},
                                        indent=1), encoding="utf-8")


def outcome_of(item, call, report) -> Outcome | None:
    """What one phase's report says of the item (None: nothing to say, a setup or teardown that passed)."""
    xfail_reason = getattr(report, "wasxfail", None)
    if report.failed:
        if str(report.longrepr).startswith(XPASS_STRICT):
            return Outcome(KNOWN_FAILURE_PASSES)
        return Outcome(FAILED, failure_line(call), _where(item))
    if report.skipped:
        if xfail_reason is not None:
            return Outcome(KNOWN_FAILURE, xfail_reason or _last_line(str(report.longrepr)))
        return Outcome(SKIPPED, _skip_reason(report))
    if report.when != "call":
        return None
    return Outcome(KNOWN_FAILURE_PASSES) if xfail_reason is not None else Outcome(PASSED, where=_where(item))


def failure_line(call) -> str:
    """The line that says what went wrong: a snippet's traceback's last line; else a message's
    first, with the difference when it is one line printed for another."""
    from ..pytest_plugin import SnippetFailed

    if call.excinfo is None:
        return "failed"
    error = call.excinfo.value
    if isinstance(error, SnippetFailed):
        text = error.args[0].error
        return _last_line(text) if TRACEBACK in text else message_with_difference(text)
    if isinstance(error, AssertionError) or not str(error).strip():
        return _last_line(call.excinfo.exconly())
    return message_with_difference(str(error))


def message_with_difference(text: str) -> str:
    """A message's first line, and the difference under it when it is one line at most each way."""
    first = text.strip().splitlines()[0].rstrip(":") if text.strip() else "failed"
    removed = [line[1:].strip() for line in text.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in text.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if "\n@@" not in text or len(removed) > 1 or len(added) > 1 or not (removed or added):
        return first
    if removed and added:
        return f"{first}: {_short(removed[0])!r} expected, {_short(added[0])!r} printed"
    return f"{first}: also printed {_short(added[0])!r}" if added else f"{first}: {_short(removed[0])!r} not printed"


def _short(line: str, length: int = 80) -> str:
    return line if len(line) <= length else line[:length - 1] + "…"


def _where(item) -> str:
    """The first slide that shows the snippet: 'slide 3 (slides/deck.md:12)'."""
    shown_on = getattr(item, "shown_on", None)
    return shown_on(item.name).split(", slide ")[0] if shown_on else ""


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2].removeprefix("Skipped: ") if isinstance(longrepr, tuple) else _last_line(str(longrepr))


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


_RESULTS = pytest.StashKey[_Results]()
