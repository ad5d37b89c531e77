"""Verified with: a pytest run in which every item of a deck passed (each snippet, its notebook)
records the versions of the libraries the deck imports, the date and a hash of its snippets, in
``build/.cache/verified/<deck>.json``; the index page and the handout show that line, or say that
the code has not passed since its last change."""

from __future__ import annotations

import ast
import datetime
import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..project import Project
from ..snippets.files import PRELUDE, RUNNABLE

FORMAT = 1
# A module that is another distribution's API: `tf.keras` is Keras (Keras 3 from TensorFlow 2.16,
# the keras 2.x distribution before), so a deck that imports tensorflow runs on some Keras too.
COMPANIONS = {"tensorflow": ("keras",)}
SESSION_PROMPTS = (">>> ", "... ")


# -- what a deck's code runs on ---------------------------------------------------------------------

def snippets_digest(project: Project, deck: str) -> str:
    """A hash of every file in ``snippets/<deck>/``: any change makes a new one."""
    digest = hashlib.sha256()
    folder = project.snippets_dir / deck
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and "__pycache__" not in relative.parts:
            digest.update(f"{relative.as_posix()}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def imported_modules(project: Project, deck: str) -> list[str]:
    """The top-level modules the deck's snippets import (the prelude's first), standard library aside."""
    folder = project.snippets_dir / deck
    files = sorted((path for path in folder.glob("*") if path.suffix in RUNNABLE),
                   key=lambda path: (path.stem != PRELUDE, path.name))
    found: dict[str, None] = {}
    for path in files:
        for name in _imports(_code_of(path)):
            if name not in sys.stdlib_module_names and not name.startswith("_"):
                found.setdefault(name, None)
                for companion in COMPANIONS.get(name, ()):
                    found.setdefault(companion, None)
    return list(found)


def deck_versions(project: Project, deck: str) -> dict[str, str]:
    """{module: version of the distribution that provides it} for the modules the deck imports,
    in this Python environment (modules no distribution provides are left out)."""
    providers = metadata.packages_distributions()
    versions = {}
    for module in imported_modules(project, deck):
        for distribution in providers.get(module, ()):
            try:
                versions[module] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def imported_distributions(project: Project, decks: list[str]) -> list[str]:
    """The distributions providing what the decks import, as installed here, in the decks' order."""
    providers = metadata.packages_distributions()
    found = {distribution: None for deck in decks for module in imported_modules(project, deck)
             for distribution in providers.get(module, ())}
    return list(found)


def _code_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix != ".pycon":
        return text
    return "\n".join(line[4:] for line in text.splitlines() if line.startswith(SESSION_PROMPTS))


def _imports(code: str) -> list[str]:
    """Top-level packages the code imports. Not importer.names' reader: this module runs in a matrix
    cell's environment, where remarkdeck is installed without its dependencies (the importer's are
    not there)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return names


# -- the record -------------------------------------------------------------------------------------

def record_path(project: Project, deck: str) -> Path:
    return project.cache_dir / "verified" / f"{deck}.json"


def write_record(project: Project, deck: str, known_failures: int = 0) -> Path:
    record = {"format": FORMAT, "deck": deck, "date": datetime.date.today().isoformat(),
              "snippets": snippets_digest(project, deck), "versions": deck_versions(project, deck),
              "python": ".".join(map(str, sys.version_info[:3])), "known_failures": known_failures}
    path = record_path(project, deck)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def verified_line(project: Project, deck: str) -> str:
    """'code verified with tensorflow 2.21.0, keras 3.15.1 on 2026-12-07', or why it is not."""
    try:
        record = json.loads(record_path(project, deck).read_text(encoding="utf-8"))
        current = record["format"] == FORMAT and record["snippets"] == snippets_digest(project, deck)
    except (OSError, ValueError, KeyError, TypeError):
        current = False
    if not current:
        return "code not verified since its last change"
    versions = ", ".join(f"{module} {version}" for module, version in record["versions"].items())
    known = record.get("known_failures", 0)
    return (f"code verified with {versions} on {record['date']}" if versions else
            f"code verified on {record['date']}") + (f" ({known} snippet{'s' * (known != 1)} known to fail)"
                                                     if known else "")


def refresh_index(project: Project) -> None:
    """build/index.html written again, if there is one, to show the latest records (and matrix)."""
    from ..html import write_index
    from ..staging import build_lock

    index = project.build_dir / "index.html"
    if not index.is_file():
        return
    with build_lock(project.build_dir, lambda _: None):
        temporary = index.with_name(".index.html.new")
        write_index(project, {}, temporary)
        temporary.replace(index)


# -- pytest plugin: a deck's record written when all its items passed ------------------------------

@dataclass
class _DeckItems:
    """What this session reported of one deck's items, by file: "passed", "known failure", "failed"."""

    outcomes: dict[Path, str] = field(default_factory=dict)

    def note(self, path: Path, outcome: str) -> None:
        order = ("passed", "known failure", "failed")
        if order.index(outcome) >= order.index(self.outcomes.get(path, "passed")):
            self.outcomes[path] = outcome


class _VerifiedRecorder:
    def __init__(self, root: Path):
        self.root = root
        self.decks: dict[tuple[Path, str], _DeckItems] = {}

    def pytest_runtest_logreport(self, report) -> None:
        found = _deck_item(self.root / report.nodeid.split("::")[0])
        if found is None:
            return
        project_root, deck, path = found
        if report.failed or (report.skipped and not hasattr(report, "wasxfail")):
            outcome = "failed"
        elif report.skipped or (report.when == "call" and hasattr(report, "wasxfail")):
            outcome = "known failure"
        elif report.when == "call":
            outcome = "passed"
        else:
            return
        self.decks.setdefault((project_root, deck), _DeckItems()).note(path, outcome)

    def pytest_sessionfinish(self, session) -> None:
        for (root, deck), items in self.decks.items():
            project = Project(root)
            expected = _deck_files(project, deck)
            if expected and expected <= set(items.outcomes) and "failed" not in items.outcomes.values():
                # the snippets known to fail, as the index lists them (the deck's notebook aside)
                write_record(project, deck, sum(outcome == "known failure" and path.suffix in RUNNABLE
                                                for path, outcome in items.outcomes.items()))
                refresh_index(project)


def _deck_item(path: Path) -> tuple[Path, str, Path] | None:
    """(project root, deck, file) for a snippet file or a deck file, else None."""
    from ..pytest_plugin import _is_deck, _is_snippet

    path = Path(str(path.resolve()))
    if _is_snippet(path):
        return path.parent.parent.parent, path.parent.name, path
    if _is_deck(path):
        return path.parent.parent, path.stem, path
    return None


def _deck_files(project: Project, deck: str) -> set[Path]:
    """Every file whose items a run must pass for the deck to be verified."""
    files = {path.resolve() for path in (project.snippets_dir / deck).glob("*") if path.suffix in RUNNABLE}
    deck_file = project.slides_dir / f"{deck}.md"
    return files | ({deck_file.resolve()} if deck_file.is_file() else set())


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # with xdist, the controller sees every worker's reports
        config.pluginmanager.register(_VerifiedRecorder(config.rootpath), "remarkdeck-verified")

