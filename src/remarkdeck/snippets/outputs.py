"""What slides show of a snippet's run: its printed output and figures, from the cache or a fresh run.

Snippets run only when a slide asks for their output or figure and the cache has no result for
their current key; the worker (and so TensorFlow) starts only then. A snippet marked
``# known-failure:`` does not run: its slide shows a stand-in that says why, with a warning.
"""

from __future__ import annotations

import difflib
import html
import logging
import tempfile
from pathlib import Path

from ..errors import Location, SnippetError
from ..logs import at
from ..project import Project
from .cache import ResultCache, snippet_key
from .execute import RunResult
from .files import Snippet, SnippetLibrary
from .interactive import output_difference
from .runner import SnippetRunner

log = logging.getLogger(__name__)

class SnippetOutputs:
    """The ``Outputs`` a build renders with; also counts what it ran."""

    def __init__(self, project: Project, deck: str, runner: SnippetRunner, force: bool = False,
                 progress=print):
        self.project = project
        self.deck = deck
        self.library = SnippetLibrary(project.snippets_dir / deck, deck)
        self.cache = ResultCache(project.cache_dir / "snippets")
        self.runner = runner
        self.force = force
        self.progress = progress
        self.results: dict[str, RunResult] = {}
        self.figure_files: dict[str, Path] = {}
        self.ran: list[str] = []
        self.stand_ins: set[str] = set()  # known failures whose slides show a stand-in

    def output(self, name: str) -> str:
        if self._known_failure(name):
            return f"[output not shown: snippet {name} is a known failure: {self.library.get(name).known_failure}]"
        return shown_output(self._result(name))

    def figure(self, name: str, index: int) -> str:
        if self._known_failure(name):
            return self._stand_in_figure(self.library.get(name), index)
        result = self._result(name)
        if not 1 <= index <= len(result.figures):
            raise SnippetError(
                f"snippet '{name}' drew {len(result.figures)} figure(s), so figure {index} does not exist: "
                "draw it with matplotlib in the snippet (open figures are saved after it runs)"
            )
        source = Path(result.figures[index - 1])
        url = f"figures/{source.name}"
        self.figure_files[url] = source
        return url

    def _known_failure(self, name: str) -> bool:
        """Whether the snippet is marked as a known failure; the first time, a warning at its line."""
        snippet = self.library.get(name)
        if snippet.known_failure and name not in self.stand_ins:
            self.stand_ins.add(name)
            log.warning(f"snippet '{name}' is a known failure ({snippet.known_failure}), so its slide shows a "
                        "stand-in instead of its output or figure: fix it, then delete this line",
                        extra=at(Location(snippet.path, snippet.known_failure_line)))
        return bool(snippet.known_failure)

    def _stand_in_figure(self, snippet: Snippet, index: int) -> str:
        """A grey picture saying why the figure is missing, kept beside the snippet cache."""
        source = self.project.cache_dir / "stand-ins" / self.deck / f"{snippet.name}-{index}.svg"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(stand_in_svg(f"figure {index} of snippet {snippet.name} not shown",
                                       f"known failure: {snippet.known_failure}"), encoding="utf-8")
        url = f"figures/{source.name}"
        self.figure_files[url] = source
        return url

    def _result(self, name: str) -> RunResult:
        if name not in self.results:
            self.results[name] = self.fetch(name)
        result = self.results[name]
        if not result.ok:
            snippet = self.library.get(name)
            raise SnippetError(
                f"snippet '{name}' ({self.project.relative(snippet.path)}) failed, so its output "
                f"cannot be shown; fix it (run `make test` to see it fail alone):\n{result.error.rstrip()}"
            )
        return result

    def fetch(self, name: str) -> RunResult:
        """The snippet's result: from the cache when its key matches (unless forced), else a fresh
        run, stored in the cache when it succeeds."""
        snippet = self.library.get(name)
        if not snippet.runnable:
            raise SnippetError(f"snippet '{name}' is {snippet.language}, which remarkdeck shows but does not run")
        key = snippet_key(self.project.root, self.library, snippet)
        cached = self.cache.load(self.deck, name, key)
        if cached is not None and not self.force:
            return cached
        self.progress(f"running snippet {self.deck}/{name}")
        with tempfile.TemporaryDirectory(prefix="remarkdeck-run-") as scratch:
            result = self.runner.run(self.library, snippet, Path(scratch))
            self.ran.append(name)
            if not result.ok:
                return result
            stored = self.cache.store(self.deck, name, key, result, Path(scratch))
        if cached is not None and cached.stdout != result.stdout:
            stored.changed_from = cached.stdout
            log.warning(f"snippet '{name}' printed something else than last time with the same code and "
                        "data (time, randomness without a seed, ordering?); slides must show reproducible "
                        "output:\n" + output_diff(cached.stdout, result.stdout), extra=at(Location(snippet.path)))
        return stored


def shown_output(result: RunResult) -> str:
    """What a slide's ``output()`` shows of a run."""
    text = result.stdout
    if result.truncated:
        text += "\n[... output cut: the snippet printed more than a slide can show]"
    return text


def pasted_difference(project: Project, library: SnippetLibrary, snippet: Snippet,
                      result: RunResult) -> tuple[Snippet, str]:
    """The snippet holding the output ``snippet`` expects, and a diff from it to what the run
    printed, as a slide's ``output()`` shows it ('' when they agree; whitespace at line ends ignored)."""
    pasted = library.get(snippet.expects, Location(snippet.path, 1))
    diff = output_difference("\n".join(pasted.lines[pasted.header_lines:]), shown_output(result),
                             f"pasted ({project.relative(pasted.path)})", f"printed ({project.relative(snippet.path)})")
    return pasted, diff


def stand_in_svg(title: str, reason: str) -> str:
    """A labelled grey picture standing for a figure that cannot be drawn."""
    lines = [title] + [reason[i:i + 60] for i in range(0, len(reason), 60)][:4]
    text = "".join(f'<text x="320" y="{140 + 28 * n}" text-anchor="middle">{html.escape(line)}</text>'
                   for n, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
            f'<title>{html.escape(title)}</title><rect width="640" height="360" fill="#eee" stroke="#999" '
            f'stroke-width="4"/><g font-family="sans-serif" font-size="20" fill="#555">{text}</g></svg>\n')


def output_diff(before: str, after: str, lines: int = 12) -> str:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), "last run", "this run", lineterm="", n=1)
    return "\n".join(list(diff)[:lines])
