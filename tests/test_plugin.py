"""The pytest plugin on a sample project whose snippets raise, hang, exit and crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def run_pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, REMARKDECK_NODE_MODULES=str(REPO / "node_modules"))
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def faults_run(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("faults") / "faults"
    shutil.copytree(Path(__file__).parent / "projects" / "faults", root)
    return root, run_pytest(root, "snippets")


def test_one_item_per_snippet_and_each_fault_fails_alone(faults_run):
    _, run = faults_run
    for name in ("ok", "later", "prelude", "writes"):
        assert f"PASSED snippets/faults/{name}.py::{name}" in run.stdout
    for name in ("raises", "hangs", "exits", "segfault"):
        assert f"FAILED snippets/faults/{name}.py::{name}" in run.stdout
    assert "4 failed, 4 passed" in run.stdout


def test_failure_shows_the_snippets_file_and_line_and_the_slide(faults_run):
    root, run = faults_run
    assert "snippet faults/raises failed (snippets/faults/raises.py), shown on slides/faults.md:8" in run.stdout
    assert f'File "{root}/snippets/faults/raises.py", line 2, in <module>' in run.stdout
    assert "ZeroDivisionError: division by zero" in run.stdout


def test_hang_is_stopped_by_the_timeout(faults_run):
    _, run = faults_run
    assert ("timed out after 2 s (the prelude's imports not counted) and was stopped: make it faster, "
            "or raise its limit with a '# timeout: SECONDS' header line") in run.stdout


def test_exit_and_crash_are_reported(faults_run):
    _, run = faults_run
    assert "the interpreter running it exited with status 3" in run.stdout
    assert "the interpreter running it was killed by signal SIGSEGV" in run.stdout
    assert "Fatal Python error: Segmentation fault" in run.stdout
    assert 'File "' + str(faults_run[0]) + '/snippets/faults/segfault.py", line 3 in <module>' in run.stdout


def test_snippet_writes_into_its_own_working_directory(faults_run):
    root, run = faults_run
    assert "['weights.txt']" in run.stdout
    assert not (root / "weights.txt").exists()
    assert not list(root.rglob("weights.txt"))


def test_passing_runs_fill_the_build_cache(faults_run):
    root, _ = faults_run
    cached = sorted(p.name.rsplit("-", 1)[0] for p in (root / "build" / ".cache" / "snippets" / "faults").iterdir())
    assert cached == ["later", "ok", "prelude", "writes"]


def test_same_output_alone_and_in_the_suite(faults_run):
    root, _ = faults_run
    entry = next((root / "build" / ".cache" / "snippets" / "faults").glob("later-*/result.json"))
    in_suite = entry.read_text()
    alone = run_pytest(root, "snippets/faults/later.py")
    assert "1 passed" in alone.stdout
    import json

    assert json.loads(entry.read_text())["result"]["stdout"] == json.loads(in_suite)["result"]["stdout"]
    assert json.loads(in_suite)["result"]["stdout"] == "still running after the others: 42\n"
