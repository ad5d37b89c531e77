"""Cached snippet results under ``build/.cache/snippets``, keyed by everything that can change them.

The key hashes the snippet's file, the files it requires (transitively), the deck prelude, the
data files it declares it reads, the Python version and the installed packages' versions. An
entry whose checksum does not match (truncated, edited, half-written) counts as missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..errors import Location, SnippetError
from .execute import RunResult
from .files import Snippet, SnippetLibrary

FORMAT = 1
KEEP = 3  # results kept per snippet: the current one and the two stored before it


@lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """Python and every installed distribution's version, as one line of text."""
    packages = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata["Name"]})
    return f"{platform.python_implementation()} {platform.python_version()} {' '.join(packages)}"


def snippet_key(project_root: Path, library: SnippetLibrary, snippet: Snippet) -> str:
    digest = hashlib.sha256(f"remarkdeck-cache-{FORMAT}\n{environment_fingerprint()}\n".encode())
    prelude = library.prelude()
    files = ([prelude] if prelude else []) + library.chain(snippet.name)
    for item in files:
        digest.update(f"snippet {item.name}\n".encode())
        digest.update(item.path.read_bytes())
        for data in item.reads:
            path = (project_root / data).resolve()
            if not path.is_file():
                raise SnippetError(
                    f"snippet '{item.name}' declares it reads '{data}', which does not exist: "
                    "add the file or fix the '# reads:' line", Location(item.path, 1))
            digest.update(f"reads {data}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


class ResultCache:
    """One folder per (deck, snippet, key): ``result.json`` plus the snippet's figures."""

    def __init__(self, folder: Path):
        self.folder = folder

    def entry(self, deck: str, name: str, key: str) -> Path:
        return self.folder / deck / f"{name}-{key}"

    def load(self, deck: str, name: str, key: str) -> RunResult | None:
        folder = self.entry(deck, name, key)
        try:
            stored = json.loads((folder / "result.json").read_text(encoding="utf-8"))
            result = RunResult(**stored["result"])
            if stored["checksum"] != _checksum(folder, result):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return result

    def store(self, deck: str, name: str, key: str, result: RunResult, results_dir: Path) -> RunResult:
        """Move a run's files into the cache atomically; returns the result with cached paths."""
        target = self.entry(deck, name, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
        figures = []
        for figure in result.figures:
            moved = staging / Path(figure).name
            shutil.copyfile(figure, moved)
            figures.append(str(target / moved.name))
        stored = RunResult(**{**result.__dict__, "figures": figures})
        payload = {"result": stored.__dict__, "checksum": _checksum(staging, stored)}
        (staging / "result.json").write_text(json.dumps(payload), encoding="utf-8")
        self._prune(deck, name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
        return stored

    def _prune(self, deck: str, name: str) -> None:
        """Make room for a new result of this snippet: the ``KEEP - 1`` results stored last stay
        (undoing an edit, or going back to another branch, finds its result), older ones go."""
        entries = [entry for entry in (self.folder / deck).glob(f"{name}-*")
                   if entry.is_dir() and entry.name.rsplit("-", 1)[0] == name and not entry.name.startswith(".")]
        entries.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
        for old in entries[KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _checksum(folder: Path, result: RunResult) -> str:
    digest = hashlib.sha256(json.dumps({k: v for k, v in result.__dict__.items() if k != "figures"}, sort_keys=True).encode())
    for figure in result.figures:
        path = folder / Path(figure).name
        digest.update(path.read_bytes())
    return digest.hexdigest()
