"""pytest plugin: every runnable file in ``snippets/<deck>/`` (``.py``, and ``.pycon`` sessions) is a
test item that runs it, and a snippet with ``# expects: X`` must print what snippet X holds; every
deck ``slides/<deck>.md`` is an item that runs its solutions notebook.

A snippet marked ``# known-failure: REASON`` still runs: its failure is reported as expected (xfail,
with the reason and the error), and the day it passes its test fails, asking to delete the line.
A deck with known failures may have a notebook that fails: that is expected too.

Snippets run in one worker process per pytest process (the prelude's imports paid once), each in a
fresh namespace with Keras state reset and seeds fixed; a hang or a crash fails that snippet only.
Successful runs fill the build's output cache. A deck's notebook runs top to bottom in a fresh
kernel, with none of that help. Fixtures give tests a snippet's namespace or output.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

from .config import load_deck_source
from .errors import DeckError, Location
from .notebook import notebook_names, render_for_notebook, write_notebooks
from .notebook.run import NotebookProblem, check_outputs, run_notebook
from .project import Project
from .slides import number_at, split_slides
from .snippets.execute import DEFAULT_TIMEOUT, RunResult, run_chain, worker_environment
from .snippets.failures import runnable_names, summary_line
from .snippets.files import RUNNABLE, Snippet, SnippetLibrary, slides_using
from .snippets.outputs import SnippetOutputs, output_diff, pasted_difference
from .snippets.runner import SnippetRunner

# --matrix-results (what `remarkdeck matrix` reads), and the record of the versions a deck passed with
pytest_plugins = ("remarkdeck.matrix.results", "remarkdeck.matrix.verified")

# -- options ---------------------------------------------------------------------------------------

def pytest_addoption(parser):
    group = parser.getgroup("remarkdeck", "remarkdeck snippets")
    group.addoption("--snippet-timeout", type=float, default=None,
                    help=f"seconds one snippet may run, prelude imports not counted (default {DEFAULT_TIMEOUT:g})")
    parser.addini("snippet_timeout", f"seconds one snippet may run (default {DEFAULT_TIMEOUT:g})",
                  default=str(DEFAULT_TIMEOUT))


# -- configure -------------------------------------------------------------------------------------

def pytest_configure(config):
    timeout = config.getoption("--snippet-timeout") or float(config.getini("snippet_timeout"))
    config.stash[_SESSION] = _SnippetSession(timeout)
    config.addinivalue_line("markers", "snippet: a lecture snippet run as a test")


def pytest_unconfigure(config):
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()


# -- collection ------------------------------------------------------------------------------------

def _is_snippet(path: Path) -> bool:
    deck_dir = path.parent
    return path.suffix in RUNNABLE and deck_dir.parent.name == "snippets" and (deck_dir.parent.parent / "slides").is_dir()


def _is_deck(path: Path) -> bool:
    return path.suffix == ".md" and path.parent.name == "slides" and (path.parent.parent / "snippets" / path.stem).is_dir()


def pytest_collect_file(file_path: Path, parent):
    if _is_deck(file_path):
        return DeckFile.from_parent(parent, path=file_path)
    # a path pytest's Python collector takes (named on the command line, or test_*.py) reaches
    # pytest_pycollect_makemodule below instead, so that it is collected once, as a snippet
    python_files = parent.config.getini("python_files")
    taken_by_python = file_path.suffix == ".py" and (
        parent.session.isinitpath(file_path) or any(file_path.match(p) for p in python_files))
    if _is_snippet(file_path) and not taken_by_python:
        return SnippetFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent):
    if _is_snippet(module_path):
        return SnippetFile.from_parent(parent, path=module_path)
    return None


class SnippetFile(pytest.File):
    def collect(self):
        yield SnippetItem.from_parent(self, name=self.path.stem)


class SnippetFailed(Exception):
    """A snippet raised, timed out, or killed its interpreter."""


class OutputDiffers(Exception):
    """A snippet printed something else than the output pasted in the snippet it ``expects``."""


class KnownFailurePasses(Exception):
    """A snippet marked ``# known-failure:`` passed: the line must go."""


class SnippetItem(pytest.Item):
    """One snippet, run with its prelude and requirements."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_marker(pytest.mark.snippet)
        self.project = Project(self.path.parent.parent.parent)
        self.deck = self.path.parent.name

    # -- run

    def runtest(self):
        outputs = self.config.stash[_SESSION].outputs(self.project, self.deck)
        snippet = outputs.library.get(self.name)
        if not snippet.known_failure or self.config.option.runxfail:
            self.check(outputs, snippet)
            return
        try:
            self.check(outputs, snippet)
        except (SnippetFailed, OutputDiffers, DeckError) as failure:
            pytest.xfail(f"{snippet.known_failure}; fails with: {_failure_line(failure)}")
        raise KnownFailurePasses(f"snippet {self.deck}/{self.name} passes now: delete its '# known-failure:' line "
                                 f"({Location(snippet.path, snippet.known_failure_line)})")

    def check(self, outputs: SnippetOutputs, snippet: Snippet) -> None:
        """Run the snippet; it must succeed, print what it printed last time, and print the output it expects."""
        result = outputs.fetch(self.name)
        self.user_properties.append(("seconds", round(result.seconds, 3)))
        if not result.ok:
            raise SnippetFailed(result)
        if result.changed_from is not None:
            result.error = ("its output differs from the last run of the same code and data, so a slide "
                            "showing it would change from build to build (time, unseeded randomness?):\n"
                            + output_diff(result.changed_from, result.stdout))
            raise SnippetFailed(result)
        if result.stdout:
            self.add_report_section("call", "snippet stdout", result.stdout)
        if snippet.expects:
            self.compare_with_pasted(outputs.library, snippet, result)

    def compare_with_pasted(self, library: SnippetLibrary, snippet: Snippet, result: RunResult) -> None:
        """What the snippet printed (as a slide's ``output()`` shows it) against the pasted output."""
        pasted, diff = pasted_difference(self.project, library, snippet, result)
        if diff:
            raise OutputDiffers(
                f"snippet {self.deck}/{self.name} printed something else than the output pasted in "
                f"{self.project.relative(pasted.path)}, shown on {self.shown_on(pasted.name)}; the code is "
                f"shown on {self.shown_on(self.name)} (whitespace at line ends is ignored)\n\n{diff}")

    # -- report

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (OutputDiffers, DeckError, KnownFailurePasses)):
            return str(excinfo.value)
        if not isinstance(excinfo.value, SnippetFailed):
            return super().repr_failure(excinfo, style)
        result: RunResult = excinfo.value.args[0]
        lines = [f"snippet {self.deck}/{self.name} failed ({self.project.relative(self.path)}), "
                 f"shown on {self.shown_on(self.name)}", "", result.error.rstrip()]
        if result.stderr.strip() and "Traceback" not in result.stderr:
            lines += ["", "its error output (last lines):", *result.stderr.strip().split("\n")[-10:]]
        return "\n".join(lines)

    def shown_on(self, name: str) -> str:
        """The slides that show a snippet (or its output or figure): 'slide 3 (slides/deck.md:12)'.
        Numbers are those Remark prints, counted in the deck's source."""
        deck_path = self.project.slides_dir / f"{self.deck}.md"
        places = slides_using(deck_path, name)
        try:
            config, body = load_deck_source(deck_path)
            slides, counted = split_slides(body), config.count_incremental_slides
        except (DeckError, OSError):  # a deck that does not load: its lines still say where
            slides, counted = [], False
        numbers = [number_at(slides, place.line, counted) if slides else None for place in places]
        return ", ".join(f"slide {number} ({place})" if number else str(place)
                         for number, place in zip(numbers, places)) or "no slide"

    def reportinfo(self):
        return self.path, 0, f"snippet {self.deck}/{self.name}"


def _failure_line(failure: Exception) -> str:
    """The one line of a snippet's failure an expected-failure report shows."""
    if isinstance(failure, SnippetFailed):
        return summary_line(failure.args[0].error)
    if isinstance(failure, OutputDiffers):
        return "it printed something else than the output pasted for it"
    return str(failure).split("\n")[0]


class DeckFile(pytest.File):
    def collect(self):
        yield NotebookItem.from_parent(self, name=notebook_names(self.path.stem)[True])


class NotebookItem(pytest.Item):
    """A deck's solutions notebook, written into a temporary folder and run top to bottom."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.project = Project(self.path.parent.parent)
        self.deck = self.path.stem

    def runtest(self):
        library = SnippetLibrary(self.project.snippets_dir / self.deck, self.deck)
        known = [name for name in runnable_names(library) if library.get(name).known_failure]
        if not known or self.config.option.runxfail:
            self.run_and_check()
            return
        try:
            self.run_and_check()
        except (NotebookProblem, DeckError) as problem:
            pytest.xfail(f"the deck has known failures ({', '.join(known)}); the notebook fails with: "
                         f"{str(problem).splitlines()[0]}")

    def run_and_check(self) -> None:
        """Run the notebook; each output a slide shows must be what the notebook printed."""
        session = self.config.stash[_SESSION]
        deck = render_for_notebook(self.project, self.deck)
        with tempfile.TemporaryDirectory(prefix=f"notebook-{self.deck}-") as folder:
            path = write_notebooks(self.project, deck, Path(folder))[True]
            notebook = run_notebook(path, session.timeout)
        shown = {}
        for block in deck.macro_blocks:
            if block.kind == "output" and block.snippet not in shown:
                result = session.outputs(self.project, self.deck).fetch(block.snippet)
                if not result.ok:
                    raise NotebookProblem(0, block.snippet, "", "the snippet fails on its own: see its test")
                shown[block.snippet] = result.stdout
        library = SnippetLibrary(self.project.snippets_dir / self.deck, self.deck)
        check_outputs(notebook, shown, {name for name in shown if library.get(name).echo == "last"})

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, DeckError):
            return str(excinfo.value)
        if not isinstance(excinfo.value, NotebookProblem):
            return super().repr_failure(excinfo, style)
        return f"notebook {self.name} of slides/{self.deck}.md: {excinfo.value}"

    def reportinfo(self):
        return self.path, 0, f"notebook {self.deck}/{self.name}"


# -- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def snippet_namespace(request):
    """``snippet_namespace(deck, name)``: the globals a snippet leaves, run in this process once per
    session (its working directory is ``ns["__snippet_cwd__"]``)."""
    cache: dict[tuple[str, str], dict] = {}
    workdirs = contextlib.ExitStack()  # the snippets' working directories, removed when the session ends
    project = Project.find(Path(str(request.config.rootpath)))
    for key, value in worker_environment().items():
        os.environ.setdefault(key, value)

    def namespace(deck: str, name: str) -> dict:
        if (deck, name) not in cache:
            library = SnippetLibrary(project.snippets_dir / deck, deck)
            prelude = library.prelude()
            chain = [s.path for s in library.chain(name)]
            workdir = workdirs.enter_context(
                tempfile.TemporaryDirectory(prefix=f"snippet-{name}-", ignore_cleanup_errors=True))
            previous = os.getcwd()
            os.chdir(workdir)
            try:
                ns = run_chain(prelude.path if prelude and name != prelude.name else None, chain)
            finally:
                os.chdir(previous)
            ns["__snippet_cwd__"] = workdir
            cache[(deck, name)] = ns
        return cache[(deck, name)]

    with workdirs:
        yield namespace


@pytest.fixture(scope="session")
def snippet_output(request):
    """``snippet_output(deck, name)``: what the snippet printed, run in the snippet worker."""
    project = Project.find(Path(str(request.config.rootpath)))
    session = request.config.stash[_SESSION]

    def output(deck: str, name: str) -> str:
        result = session.outputs(project, deck).fetch(name)
        if not result.ok:
            raise AssertionError(f"snippet {deck}/{name} failed:\n{result.error}")
        return result.stdout

    return output


class _SnippetSession:
    """The worker and per-deck outputs shared by every snippet item of this pytest process."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.runner = SnippetRunner(timeout=timeout)
        self._outputs: dict[tuple[Path, str], SnippetOutputs] = {}

    def outputs(self, project: Project, deck: str) -> SnippetOutputs:
        key = (project.root, deck)
        if key not in self._outputs:
            self._outputs[key] = SnippetOutputs(project, deck, self.runner, force=True, progress=lambda _: None)
        return self._outputs[key]

    def close(self) -> None:
        self.runner.close()


_SESSION = pytest.StashKey[_SnippetSession]()
