"""`remarkdeck matrix` on a sample deck (tests/projects/matrix: NumPy 1.26 in its lock, a cell with
NumPy 2.2 where snippets fail or print something else, a cell that cannot be resolved), the cells of
pyproject.toml, and the verified-with line that a passing test run leaves on the index page and the
handout."""

from __future__ import annotations

import datetime
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from helpers import REPO, built_project, copy_project, remarkdeck_environment, run_pytest, run_remarkdeck
from pdf_reader import page_texts

from remarkdeck.errors import ConfigError
from remarkdeck.matrix.cells import Cell, Lock, load_cells
from remarkdeck.matrix.environments import Uv, prepare_environment
from remarkdeck.matrix.outcomes import FAILED, NOT_RUN, PASSED, Outcome
from remarkdeck.matrix.report import CellReport, MatrixReport, first_difference
from remarkdeck.matrix.results import message_with_difference
from remarkdeck.matrix.verified import verified_line
from remarkdeck.project import Project

# uv's cache of `make matrix`, shared by test sessions: the sample's packages are downloaded once.
UV_CACHE = REPO / "build" / ".cache" / "uv"
PYTHON = platform.python_version()
TODAY = datetime.date.today().isoformat()

TABLE = f"""\
matrix                     lock                numpy2                     numpy3
  bool_type                known failure [1]   known failure, passes      not run
  float_alias              passed              FAILED [2]                 not run
  mean                     passed              passed                     not run
  prelude                  passed              passed                     not run
  scalars                  passed              passed, other output [3]   not run
  session                  passed              FAILED [4]                 not run
  matrix-solutions.ipynb   passed              FAILED [5]                 not run

versions                   lock                numpy2                     numpy3
  python                   {PYTHON:20}{PYTHON:27}-
  numpy                    1.26.4              2.2.6                      -

[1] lock, matrix/bool_type: known failure: np.bool is back in NumPy 2
[2] numpy2, matrix/float_alias: failed: {{float_}} — slide 4 (slides/matrix.md:24)
[3] numpy2, matrix/scalars: {{scalars}} — slide 3 (slides/matrix.md:17)
[4] numpy2, matrix/session: failed: {{session}} — slide 5 (slides/matrix.md:31)
[5] numpy2, matrix/matrix-solutions.ipynb: failed: {{notebook}}
"""
NOTEBOOK = "cell 10 (snippet float_alias, slide slides/matrix.md:24): raised {float_}"
FLOAT_ = "AttributeError: `np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead."
SCALARS = "passed, printing something else: '[np.float64(12.5), np.float64(15.0)]' where the lock prints '[12.5, 15.0]'"
SESSION = ("snippets/matrix/session.pycon:2: what this statement printed differs from the output pasted under it: "
           "'53' expected, 'np.int64(53)' printed")


def run_matrix_command(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "remarkdeck", "matrix", *args], cwd=root, capture_output=True,
                          text=True, timeout=900, env=remarkdeck_environment(UV_CACHE_DIR=str(UV_CACHE)))


@pytest.fixture(scope="module")
def matrix_run(tmp_path_factory):
    """The sample's matrix run once, after an older build/index.html (which it must link to the page)."""
    root = copy_project("matrix", tmp_path_factory.mktemp("matrix"))
    (root / "build").mkdir()
    (root / "build" / "index.html").write_text("an index from an older build")
    return root, run_matrix_command(root, "--summary", "summary.md")


# -- the matrix ---------------------------------------------------------------------------------------

def test_the_table_shows_each_snippet_in_each_cell(matrix_run):
    root, done = matrix_run
    table, unresolved = done.stdout.split("\n\ncell numpy3 did not run: ")
    expected = TABLE.replace("{notebook}", NOTEBOOK).replace("{session}", SESSION).replace("{scalars}", SCALARS)
    assert table + "\n" == expected.replace("{float_}", FLOAT_)
    assert unresolved.startswith("uv cannot resolve it: ")
    assert "you require numpy>=3" in unresolved  # uv's own words


def test_a_release_that_breaks_a_slide_or_a_cell_that_cannot_be_resolved_exit_1(matrix_run):
    root, done = matrix_run
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        "3 cell(s); 3 item(s) that pass with the lock fail in another cell: matrix/float_alias in numpy2, "
        "matrix/session in numpy2, matrix/matrix-solutions.ipynb in numpy2; did not run: numpy3",
        "wrote build/matrix.json and build/matrix.html"]
    # the other cells ran although numpy3 could not be resolved
    assert "numpy2: 1 known failure that passes here, 3 failed, 3 passed" in done.stderr


def test_matrix_json_has_every_outcome(matrix_run):
    root, _ = matrix_run
    found = json.loads((root / "build" / "matrix.json").read_text())
    problem = found.pop("problems")["numpy3"]
    assert problem.startswith("uv cannot resolve it: ") and "numpy>=3" in problem
    not_run = "not run: the cell did not run"
    assert found == {
        "cells": ["lock", "numpy2", "numpy3"],
        "decks": {"matrix": {
            "bool_type": {"lock": "known failure: np.bool is back in NumPy 2",
                          "numpy2": "known failure that passes here", "numpy3": not_run},
            "float_alias": {"lock": "passed", "numpy2": f"failed: {FLOAT_} — slide 4 (slides/matrix.md:24)",
                            "numpy3": not_run},
            "mean": {"lock": "passed", "numpy2": "passed", "numpy3": not_run},
            "prelude": {"lock": "passed", "numpy2": "passed", "numpy3": not_run},
            "scalars": {"lock": "passed", "numpy2": f"{SCALARS} — slide 3 (slides/matrix.md:17)", "numpy3": not_run},
            "session": {"lock": "passed", "numpy2": f"failed: {SESSION} — slide 5 (slides/matrix.md:31)",
                        "numpy3": not_run},
            "matrix-solutions.ipynb": {
                "lock": "passed", "numpy3": not_run,
                "numpy2": f"failed: cell 10 (snippet float_alias, slide slides/matrix.md:24): raised {FLOAT_}"},
        }},
        "date": TODAY,
        "versions": {"lock": {"numpy": "1.26.4"}, "numpy2": {"numpy": "2.2.6"}, "numpy3": {}},
        "regressions": [["matrix", "float_alias", "numpy2"], ["matrix", "session", "numpy2"],
                        ["matrix", "matrix-solutions.ipynb", "numpy2"]],
    }


def test_the_page_is_linked_from_the_index_and_the_summary_written_for_ci(matrix_run):
    root, _ = matrix_run
    page = (root / "build" / "matrix.html").read_text()
    assert '<td class="failed">failed: AttributeError: `np.float_` was removed' in page
    assert '<a href="matrix.html">Version matrix</a>' in (root / "build" / "index.html").read_text()
    summary = (root / "summary.md").read_text()
    assert f"| `float_alias` | passed | **failed: {FLOAT_} — slide 4 (slides/matrix.md:24)** | not run: the cell did " \
           "not run |" in summary
    assert "| numpy | 1.26.4 | 2.2.6 | - |" in summary


def test_cells_run_on_a_copy_and_leave_the_project_cache_alone(matrix_run):
    root, _ = matrix_run
    assert sorted(path.name for path in (root / "build" / ".cache").iterdir()) == ["matrix"]
    cell = root / "build" / ".cache" / "matrix" / "numpy2"
    assert (cell / "project" / "snippets" / "matrix" / "float_alias.py").is_file()
    assert "numpy==2.2.6" in (cell / "resolved.txt").read_text().splitlines()


def test_an_environment_is_reused_while_its_resolution_is_unchanged(matrix_run, monkeypatch):
    root, _ = matrix_run
    monkeypatch.setenv("UV_CACHE_DIR", str(UV_CACHE))
    project = Project(root)
    again = prepare_environment(Cell("numpy2", changes=("numpy==2.2.*",)), Lock.read(project), project,
                                Uv.for_project(project))
    assert (again.problem, again.reused, again.python) == ("", True, again.venv / "bin" / "python")


# -- cells ----------------------------------------------------------------------------------------------

LOCK = """\
# pinned
numpy==1.26.4
pywin32==306 ; sys_platform == 'win32'
remarkdeck @ file:///somewhere
pytest==9.2.0  # a comment
"""


@pytest.mark.parametrize("cell, requirements", [
    (Cell("lock"), ["numpy==1.26.4", "pywin32==306 ; sys_platform == 'win32'", "pytest==9.2.0"]),
    (Cell("numpy2", changes=("numpy>=2",)), ["numpy>=2", "pytest", 'pywin32 ; sys_platform == "win32"']),
    (Cell("newest", newest=True), ["pytest", "numpy", 'pywin32 ; sys_platform == "win32"']),
])
def test_what_each_kind_of_cell_resolves(tmp_path, cell, requirements):
    """remarkdeck is left out (each cell gets it from this checkout); a cell's changes come first, then
    what the decks import (here pytest): uv favours the first packages."""
    (tmp_path / "slides").mkdir()
    (tmp_path / "requirements.lock").write_text(LOCK)
    assert cell.requirements(Lock.read(Project(tmp_path)), first=["pytest"]).splitlines() == requirements


@pytest.mark.parametrize("table, message", [
    ('[tool.remarkdeck.matrix]\nold = "numpy<2"\n',
     'pyproject.toml:2: cell \'old\': expected a list of requirements such as ["numpy==1.26.*"], or "newest"; '
     "got 'numpy<2'"),
    ('[tool.remarkdeck.matrix]\nlock = ["numpy<2"]\n',
     "pyproject.toml:2: 'lock' cannot name a cell: use letters, digits, '-', '_' and '.', and not 'lock' "
     "(the lock is always the first cell)"),
    ('[tool.remarkdeck.matrix]\n\nold = ["numpy<<2"]\n',
     "pyproject.toml:3: cell 'old': not a requirement: "),
])
def test_a_bad_cell_is_reported_at_its_line(tmp_path, monkeypatch, table, message):
    (tmp_path / "slides").mkdir()
    (tmp_path / "pyproject.toml").write_text(table)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as error:
        load_cells(Project(tmp_path))
    assert str(error.value).startswith(message)


def test_the_lock_always_runs_first_and_an_unknown_cell_is_named(tmp_path, monkeypatch):
    (tmp_path / "slides").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.remarkdeck.matrix]\nnew = "newest"\nold = ["numpy<2"]\n')
    monkeypatch.chdir(tmp_path)
    assert [cell.name for cell in load_cells(Project(tmp_path), ["old"])] == ["lock", "old"]
    with pytest.raises(ConfigError, match=r"^pyproject.toml: no cell named 'olde' in \[tool.remarkdeck.matrix\] "
                                          r"\(cells: lock, new, old\)$"):
        load_cells(Project(tmp_path), ["olde"])


def test_a_project_without_a_lock_is_told_to_make_one(tmp_path):
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "deck.md").write_text("# A deck\n")
    done = run_remarkdeck(tmp_path, "matrix")
    assert (done.code, done.stderr) == (1, "requirements.lock: no requirements.lock: the matrix starts from the "
                                           "versions the course is tested with; write it with `make lock`\n")


def test_only_a_regression_or_a_cell_that_did_not_run_fails_the_matrix():
    report = MatrixReport([CellReport(Cell("lock")), CellReport(Cell("new", newest=True))], {"deck": {
        "fixed": {"lock": Outcome(FAILED, "x"), "new": Outcome(PASSED)},
        "broken": {"lock": Outcome(PASSED), "new": Outcome(PASSED)},
    }})
    assert not report.failing
    report.decks["deck"]["broken"]["new"] = Outcome(FAILED, "y")
    assert report.regressions() == [("deck", "broken", "new")] and report.failing
    report.decks["deck"]["broken"]["new"] = Outcome(PASSED)
    report.cells[1].problem = "uv cannot resolve it"
    assert report.outcome("deck", "missing", "new") == Outcome(NOT_RUN, "the cell did not run")
    assert report.failing


# -- verified with --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def verified_basic(tmp_path_factory):
    """tests/projects/basic built, then all its items run and pass."""
    root = built_project("basic", tmp_path_factory.mktemp("verified"))
    before = (root / "build" / "index.html").read_text()
    done = run_pytest(root, "-q", "snippets", "slides")
    assert done.returncode == 0, done.stdout[-3000:]
    return root, before


def test_a_passing_run_records_the_versions_the_deck_imports(verified_basic):
    root, before = verified_basic
    record = json.loads((root / "build" / ".cache" / "verified" / "basic.json").read_text())
    assert (record["date"], record["versions"]) == (TODAY, {"matplotlib": metadata.version("matplotlib")})
    line = f"code verified with matplotlib {metadata.version('matplotlib')} on {TODAY}"
    assert '<p class="verified">code not verified since its last change</p>' in before
    assert f'<p class="verified">{line}</p>' in (root / "build" / "index.html").read_text()


def test_the_handout_says_it_on_its_last_page(verified_basic):
    root, _ = verified_basic
    done = run_remarkdeck(root, "pdf", "basic")
    assert done.code == 0, done.stderr
    handout = page_texts(root / "build" / "basic-handout.pdf")
    line = f"code verified with matplotlib {metadata.version('matplotlib')} on {TODAY}"
    assert line in handout[-1] and not any(line in text for text in handout[:-1])
    assert not any("verified" in text for text in page_texts(root / "build" / "basic.pdf"))


def test_a_deck_changed_since_says_it_is_not_verified(verified_basic, tmp_path):
    root = copy_project(verified_basic[0], tmp_path)
    project = Project(root)
    assert verified_line(project, "basic").startswith("code verified with matplotlib ")
    hello = root / "snippets" / "basic" / "hello.py"
    hello.write_text(hello.read_text() + "# changed\n")
    assert verified_line(project, "basic") == "code not verified since its last change"
    # a run of part of the deck's items verifies nothing
    done = run_pytest(root, "-q", "snippets/basic/hello.py")
    assert done.returncode == 0, done.stdout[-3000:]
    assert verified_line(project, "basic") == "code not verified since its last change"


# -- a new project ------------------------------------------------------------------------------------

def test_the_workflow_of_a_new_project_runs_one_job_per_cell(tmp_path):
    """The job listing the cells reads pyproject.toml with the standard library, as on a bare runner."""
    assert run_remarkdeck(tmp_path, "init", "course").code == 0
    workflow = (tmp_path / "course" / ".github" / "workflows" / "slides.yml").read_text()
    assert '  schedule:\n    - cron: "17 5 * * 1"\n' in workflow
    assert "run: make matrix CELL=${{ matrix.cell }}" in workflow
    script = workflow.split("python3 - >> \"$GITHUB_OUTPUT\" <<'EOF'\n")[1].split("          EOF\n")[0]
    script = "\n".join(line.removeprefix("          ") for line in script.splitlines())
    listed = subprocess.run([sys.executable, "-c", script], cwd=tmp_path / "course", capture_output=True, text=True)
    assert listed.stdout == 'cells=["lock", "newest"]\n', listed.stderr


@pytest.mark.parametrize("message, line", [
    ("a.pycon:2: differs:\n--- pasted\n+++ printed\n@@ -1 +1 @@\n-53\n+np.int64(53)\n",
     "a.pycon:2: differs: '53' expected, 'np.int64(53)' printed"),
    ("cell 94: the notebook printed something else:\n--- slide\n+++ notebook\n@@ -1 +1,2 @@\n"
     "+WARNING: retracing\n stopped\n",
     "cell 94: the notebook printed something else: also printed 'WARNING: retracing'"),
    ("cell 3: raised KeyError\n----> 2 x = d['k']\n", "cell 3: raised KeyError"),  # a traceback is no diff
    ("differs:\n--- a\n+++ b\n@@ -1,2 +1,2 @@\n-1\n-2\n+3\n+4\n", "differs"),
])
def test_a_failure_is_told_in_one_line(message, line):
    assert message_with_difference(message) == line


@pytest.mark.parametrize("lock, cell, difference", [
    ("Total params: 41 (164.00 B)\n", "Total params: 41 (164.00 Byte)\n",
     "'Total params: 41 (164.00 Byte)' where the lock prints 'Total params: 41 (164.00 B)'"),
    ("a\n", "a\nb\n", "also prints 'b'"),
    ("a\nb\n", "a\n", "the lock also prints 'b'"),
])
def test_what_a_cell_prints_otherwise_is_its_first_different_line(lock, cell, difference):
    assert first_difference(lock, cell) == difference
