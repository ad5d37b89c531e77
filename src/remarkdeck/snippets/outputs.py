"""What slides show of a snippet's run: its printed output and figures, from the cache or a fresh run.

Snippets run only when a slide asks for their output or figure and the cache has no result for
their current key; the worker (and so TensorFlow) starts only then.
"""

from __future__ import annotations

import difflib
import logging
import tempfile
from pathlib import Path

from ..errors import Location, SnippetError
from ..logs import at
from ..project import Project
from .cache import ResultCache, snippet_key
from .execute import RunResult
from .files import SnippetLibrary
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

    def output(self, name: str) -> str:
        return shown_output(self._result(name))

    def figure(self, name: str, index: int) -> str:
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


def output_diff(before: str, after: str, lines: int = 12) -> str:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), "last run", "this run", lineterm="", n=1)
    return "\n".join(list(diff)[:lines])
