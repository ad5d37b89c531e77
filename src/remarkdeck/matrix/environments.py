"""Each cell's environment: its requirements resolved by uv (``uv pip compile``), installed into
``build/.cache/matrix/<cell>/venv`` (``uv pip sync``) with remarkdeck from this checkout, and reused
while the resolution is unchanged. Every cell shares one uv cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import remarkdeck

from ..errors import DeckError
from ..init import remarkdeck_requirement
from ..project import Project
from .cells import Cell, Lock

STAMP = ".remarkdeck-cell.json"  # in the venv: what it was installed from
# Under build/.cache: the cells (their environments) and uv's cache, gigabytes that a copy of the
# project (a test's, a benchmark's) leaves out
CACHE_FOLDERS = ("matrix", "uv")
# uv's chatter before an error, left out of the message a cell shows
PROGRESS = ("Resolved ", "Prepared ", "Installed ", "Uninstalled ", "Audited ", "Using ", "Creating ", "Activate ",
            "Built ", "Building ", "Downloading ", "Downloaded ", " + ", " - ", " ~ ")


def without_environments(folder: str, names: list[str]) -> set[str]:
    """``ignore=`` for copying a project's build/.cache: the cells' environments and uv's cache left out."""
    return set(CACHE_FOLDERS) & set(names) if Path(folder).name == ".cache" else set()


class CellProblem(Exception):
    """The cell has no environment: uv could not resolve or install it (its message)."""


@dataclass
class CellEnvironment:
    cell: Cell
    folder: Path
    python: Path | None = None
    problem: str = ""
    reused: bool = False
    packages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # "resolve", "install"

    @property
    def venv(self) -> Path:
        return self.folder / "venv"


@dataclass(frozen=True)
class Uv:
    """uv, run with the shared cache, never downloading a Python: environments use ``python``."""

    executable: str
    cache_dir: Path
    python: str

    @classmethod
    def for_project(cls, project: Project, python: str | None = None) -> "Uv":
        shared = os.environ.get("UV_CACHE_DIR")
        return cls(find_uv(), Path(shared).resolve() if shared else project.cache_dir / "uv", python or sys.executable)

    def run(self, *args: str | Path) -> subprocess.CompletedProcess:
        env = dict(os.environ, UV_CACHE_DIR=str(self.cache_dir), UV_PYTHON_DOWNLOADS="never", NO_COLOR="1",
                   UV_NO_PROGRESS="1")
        for name in ("VIRTUAL_ENV", "CONDA_PREFIX", "UV_SYSTEM_PYTHON"):
            env.pop(name, None)
        return subprocess.run([self.executable, *map(str, args)], env=env, capture_output=True, text=True)


def find_uv() -> str:
    """uv from its Python package (``pip install uv``), else from PATH."""
    try:
        from uv import find_uv_bin
        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        pass
    found = shutil.which("uv")
    if found is None:
        raise DeckError("`remarkdeck matrix` needs uv to resolve and install each cell: `pip install uv` "
                        "(a project made by `remarkdeck init` gets it with `make setup`)")
    return found


def prepare_environment(cell: Cell, lock: Lock, project: Project, uv: Uv, first: list[str] = ()) -> CellEnvironment:
    """The cell's environment, resolved now (``first``: the packages uv favours) and installed if its
    resolution changed; a cell uv cannot resolve or install comes back with ``problem`` set."""
    environment = CellEnvironment(cell, project.cache_dir / "matrix" / cell.name)
    try:
        started = time.perf_counter()
        resolved = resolve(cell, lock, environment.folder, uv, first)
        environment.seconds["resolve"] = time.perf_counter() - started
        started = time.perf_counter()
        environment.reused = install(environment.venv, resolved, uv)
        environment.seconds["install"] = time.perf_counter() - started
    except CellProblem as problem:
        environment.problem = str(problem)
        return environment
    environment.python = environment.venv / "bin" / "python"
    environment.packages = sum(1 for line in resolved.read_text().splitlines() if line and not line.startswith("#"))
    return environment


def resolve(cell: Cell, lock: Lock, folder: Path, uv: Uv, first: list[str] = ()) -> Path:
    """``resolved.txt``: every package of the cell pinned, as uv resolves it for ``uv.python``."""
    folder.mkdir(parents=True, exist_ok=True)
    requirements = folder / "requirements.in"
    requirements.write_text(cell.requirements(lock, first), encoding="utf-8")
    resolved = folder / "resolved.txt"
    # uv keeps the versions an existing output file pins where it can: those of the lock
    resolved.write_text("" if cell.newest else "".join(f"{line}\n" for line in lock.pinned), encoding="utf-8")
    done = uv.run("pip", "compile", requirements, "--output-file", resolved, "--python", uv.python,
                  "--no-header", "--no-annotate", "--quiet", *(["--upgrade"] if cell.newest else []))
    if done.returncode != 0:
        resolved.unlink(missing_ok=True)
        raise CellProblem(f"uv cannot resolve it: {uv_message(done.stderr)}")
    return resolved


def install(venv: Path, resolved: Path, uv: Uv) -> bool:
    """Make ``venv`` hold exactly ``resolved`` and this remarkdeck; True if it already did."""
    source = remarkdeck_source()
    wanted = json.dumps({"resolved": hashlib.sha256(resolved.read_bytes()).hexdigest(), "python": uv.python,
                         "remarkdeck": source}, indent=1)
    stamp = venv / STAMP
    if (venv / "bin" / "python").exists() and stamp.is_file() and stamp.read_text() == wanted:
        return True
    previous = json.loads(stamp.read_text()) if stamp.is_file() else {}
    stamp.unlink(missing_ok=True)  # a half-made environment is never reused
    if not (venv / "bin" / "python").exists() or previous.get("python") != uv.python:
        _uv_step(uv, "cannot create its environment", "venv", "--clear", "--python", uv.python, venv)
    python = venv / "bin" / "python"
    _uv_step(uv, "cannot install it", "pip", "sync", resolved, "--python", python)
    _uv_step(uv, "cannot install remarkdeck into it", "pip", "install", "--no-deps", "--python", python, *source)
    stamp.write_text(wanted)
    return False


def _uv_step(uv: Uv, failure: str, *args: str | Path) -> None:
    done = uv.run(*args)
    if done.returncode != 0:
        raise CellProblem(f"uv {failure}: {uv_message(done.stderr)}")


def remarkdeck_source() -> list[str]:
    """What `uv pip install` is given for remarkdeck: this checkout, editable, when remarkdeck runs
    from one (src/remarkdeck beside a pyproject.toml); else the requirement it was installed from."""
    package = Path(remarkdeck.__file__).resolve().parent
    checkout = package.parent.parent
    if package.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return ["--editable", str(checkout)]
    return [remarkdeck_requirement()]


def uv_message(stderr: str) -> str:
    """uv's own explanation, without the progress lines before it."""
    lines = [line.rstrip() for line in stderr.splitlines()
             if line.strip() and not line.startswith(PROGRESS)]
    return "\n".join(lines).strip() or "(uv gave no reason)"
