"""One pytest run of the decks' items (snippets, sessions, notebooks) with a cell's Python, on a copy
of the lecture kept beside the cell's environment (so that the project's own snippet cache and
verified records are not touched), read back through ``--matrix-results``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DeckError
from ..project import Project
from ..snippets.files import SnippetLibrary
from .environments import CellEnvironment
from .outcomes import Outcome

SOURCE_FOLDERS = ("slides", "snippets", "templates", "img")
ROOT_FILES = ("pyproject.toml", "conftest.py", "pytest.ini", "setup.cfg", "tox.ini")
# Variables of the calling process that would change what the cell's pytest runs or imports
DROPPED = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_CURRENT_TEST",
           "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID", "CONDA_PREFIX")


@dataclass
class CellRun:
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)  # (deck, item): outcome
    printed: dict[tuple[str, str], str] = field(default_factory=dict)  # (deck, snippet): what it printed
    versions: dict[str, str] = field(default_factory=dict)  # module: version, over every deck
    python: str = ""
    problem: str = ""
    seconds: float = 0.0


def run_items(environment: CellEnvironment, project: Project, decks: list[str]) -> CellRun:
    """Every item of ``decks`` run by the cell's pytest; a run that stops short says why."""
    work = copy_lecture(project, environment.folder / "project", decks)
    results = environment.folder / "results.json"
    results.unlink(missing_ok=True)
    command = [str(environment.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(work),
               f"--matrix-results={results}", *deck_paths(work, decks)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, env=cell_process_environment(environment.venv),
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    log = environment.folder / "pytest.log"
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode not in (0, 1) or not results.is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
        return CellRun(problem=f"pytest stopped (exit {done.returncode}; all of its output in {project.relative(log)}):"
                               f"\n{tail}", seconds=seconds)
    return read_results(results, seconds)


def read_results(path: Path, seconds: float) -> CellRun:
    data = json.loads(path.read_text(encoding="utf-8"))
    run = CellRun(python=data.get("python", ""), seconds=seconds)
    for item in data["items"]:
        run.outcomes[(item["deck"], item["name"])] = Outcome.from_dict(item)
        if "stdout" in item:
            run.printed[(item["deck"], item["name"])] = item["stdout"]
    for versions in data.get("versions", {}).values():
        run.versions.update(versions)
    return run


def copy_lecture(project: Project, target: Path, decks: list[str]) -> Path:
    """A fresh copy of what the items read: the source folders, the pytest configuration, and the
    data files snippets declare with ``# reads:``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in SOURCE_FOLDERS:
        if (project.root / name).is_dir():
            shutil.copytree(project.root / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ROOT_FILES:
        if (project.root / name).is_file():
            shutil.copy2(project.root / name, target / name)
    for relative in declared_reads(project, decks):
        source, copy = project.root / relative, target / relative
        if source.is_file() and not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    return target


def declared_reads(project: Project, decks: list[str]) -> set[str]:
    reads = set()
    for deck in decks:
        library = SnippetLibrary(project.snippets_dir / deck, deck)
        for name in library.names():
            reads.update(library.get(name).reads)
    return reads


def deck_paths(root: Path, decks: list[str]) -> list[str]:
    """What pytest is given: each deck's snippet folder and its deck file (its notebook)."""
    paths = []
    for deck in decks:
        if (root / "snippets" / deck).is_dir():
            paths.append(f"snippets/{deck}")
        paths.append(f"slides/{deck}.md")
    if not paths:
        raise DeckError("no decks to run")
    return paths


def cell_process_environment(venv: Path) -> dict[str, str]:
    """This process's environment, made to run the cell's Python as if its venv were activated."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return env
