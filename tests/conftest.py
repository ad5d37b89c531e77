"""Shared fixtures: sample projects copied to a temporary folder, and the CLI run as a user runs it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECTS = Path(__file__).parent / "projects"

# The sample projects' snippets are inputs of tests (some fail on purpose), not tests themselves.
collect_ignore = ["projects"]


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def _shared_node_modules(monkeypatch):
    """Sample projects use the repository's npm packages."""
    monkeypatch.setenv("REMARKDECK_NODE_MODULES", str(REPO / "node_modules"))


@pytest.fixture
def sample_project(tmp_path):
    """``sample_project("basic")``: a fresh copy of tests/projects/basic; returns its root."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(PROJECTS / name, target)
        return target

    return copy


def run_cli(root: Path, *args: str, timeout: float = 300) -> CliResult:
    """``remarkdeck ARGS`` in ``root``, as a separate process like a user's shell runs it."""
    env = dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"))
    done = subprocess.run([sys.executable, "-m", "remarkdeck", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli():
    return run_cli


def tree_digest(folder: Path, cache: bool = True) -> dict[str, str]:
    """Every file under ``folder`` (the lock aside, and the snippet cache unless ``cache``) with a
    hash of its content."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock" and (cache or ".cache" not in path.relative_to(folder).parts)
    }
