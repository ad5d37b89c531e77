"""What many tests do the same way: copy a sample project aside (and build it), run ``remarkdeck``
or ``pytest`` on a project as a separate process, as a lecturer's shell runs them."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from remarkdeck.matrix.environments import without_environments

REPO = Path(__file__).resolve().parents[1]
PROJECTS = Path(__file__).parent / "projects"
LECTURE_FOLDERS = ("slides", "snippets", "templates", "img")


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def copy_project(source: str | Path, folder: Path, *, without_build: bool = False) -> Path:
    """``tests/projects/<source>`` (or the project folder ``source``) copied into ``folder`` under its
    own name, with or without the build/ it holds; returns the copy."""
    source = PROJECTS / source if isinstance(source, str) else source
    root = folder / source.name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("build") if without_build else None)
    return root


def built_project(source: str | Path, folder: Path, *arguments: str, timeout: float = 300) -> Path:
    """``copy_project`` (leaving out any build/ made in the sample's own folder), then ``remarkdeck
    build ARGUMENTS`` in the copy; a build that fails fails the test with its errors."""
    root = copy_project(source, folder, without_build=True)
    done = run_remarkdeck(root, "build", *arguments, timeout=timeout)
    if done.code:
        pytest.fail(f"{root.name} does not build:\n{done.stderr}", pytrace=False)
    return root


def copy_lecture(root: Path) -> Path:
    """The repository's lecture copied into ``root``: its sources and its snippet cache, when a run filled
    it, so that nothing reruns."""
    for name in LECTURE_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    if (REPO / "build" / ".cache").is_dir():
        shutil.copytree(REPO / "build" / ".cache", root / "build" / ".cache", ignore=without_environments)
    return root


def remarkdeck_environment(**variables: str) -> dict[str, str]:
    """This process's environment and ``variables``; every project uses the repository's npm packages."""
    return dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"), **variables)


def run_remarkdeck(root: Path, *args: str, timeout: float = 300) -> CliResult:
    """``remarkdeck ARGS`` in ``root``, as a separate process like a user's shell runs it."""
    done = subprocess.run([sys.executable, "-m", "remarkdeck", *args], cwd=root, env=remarkdeck_environment(),
                          capture_output=True, text=True, timeout=timeout)
    return CliResult(done.returncode, done.stdout, done.stderr)


def start_remarkdeck(root: Path, *args: str, variables: dict[str, str] | None = None,
                     **popen: object) -> subprocess.Popen:
    """``remarkdeck ARGS`` started in ``root`` and left running (``popen``: its pipes, its session)."""
    return subprocess.Popen([sys.executable, "-m", "remarkdeck", *args], cwd=root,
                            env=remarkdeck_environment(**(variables or {})), text=True, **popen)


def run_pytest(root: Path, *args: str, timeout: float = 300, **environment: str) -> subprocess.CompletedProcess:
    """``pytest ARGS`` in the project ``root``, as its own run: no cache written into it, and neither
    our xdist plugin nor our worker's identity; ``environment`` adds variables."""
    env = remarkdeck_environment() | environment
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def tree_digest(folder: Path, cache: bool = True) -> dict[str, str]:
    """Every file under ``folder`` (the lock aside, and the snippet cache unless ``cache``) with a
    hash of its content."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock" and (cache or ".cache" not in path.relative_to(folder).parts)
    }
