"""Shared fixtures: sample projects copied to a temporary folder, and the CLI run as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, copy_project, run_remarkdeck

# The sample projects' snippets are inputs of tests (some fail on purpose), not tests themselves.
collect_ignore = ["projects"]


@pytest.fixture(autouse=True)
def _shared_node_modules(monkeypatch):
    """Sample projects use the repository's npm packages."""
    monkeypatch.setenv("REMARKDECK_NODE_MODULES", str(REPO / "node_modules"))


@pytest.fixture
def sample_project(tmp_path):
    """``sample_project("basic")``: a fresh copy of tests/projects/basic; returns its root."""

    def copy(name: str) -> Path:
        return copy_project(name, tmp_path)

    return copy


@pytest.fixture
def cli():
    return run_remarkdeck
