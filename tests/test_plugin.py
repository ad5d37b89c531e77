"""The pytest plugin on sample projects: snippets that raise, hang, exit and crash (``faults``), and
an imported deck's snippets checked against the outputs pasted under them (``imported``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_project, run_pytest

from remarkdeck.snippets.files import SnippetLibrary
from remarkdeck.snippets.runner import SnippetRunner


@pytest.fixture(scope="module")
def faults_run(tmp_path_factory):
    root = copy_project("faults", tmp_path_factory.mktemp("faults"))
    temporary = tmp_path_factory.mktemp("faults-tmp")
    run = run_pytest(root, "-rA", "snippets", TMPDIR=str(temporary))
    run.temporary = temporary
    return root, run


def test_one_item_per_snippet_and_each_fault_fails_alone(faults_run):
    _, run = faults_run
    for name in ("ok", "later", "prelude", "writes"):
        assert f"PASSED snippets/faults/{name}.py::{name}" in run.stdout
    for name in ("raises", "hangs", "exits", "segfault"):
        assert f"FAILED snippets/faults/{name}.py::{name}" in run.stdout
    assert "4 failed, 4 passed" in run.stdout


def test_failure_shows_the_snippets_file_and_line_and_the_slide(faults_run):
    root, run = faults_run
    assert "snippet faults/raises failed (snippets/faults/raises.py), shown on slide 1 (slides/faults.md:8)" in run.stdout
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
    assert not list(run.temporary.glob("snippet-*")), "the snippets' working directories are removed after their runs"


def test_passing_runs_fill_the_build_cache(faults_run):
    root, _ = faults_run
    cached = sorted(p.name.rsplit("-", 1)[0] for p in (root / "build" / ".cache" / "snippets" / "faults").iterdir())
    assert cached == ["later", "ok", "prelude", "writes"]


def test_same_output_alone_and_in_the_suite(faults_run):
    root, _ = faults_run
    entry = next((root / "build" / ".cache" / "snippets" / "faults").glob("later-*/result.json"))
    in_suite = entry.read_text()
    alone = run_pytest(root, "-rA", "snippets/faults/later.py")
    assert "1 passed" in alone.stdout
    import json

    assert json.loads(entry.read_text())["result"]["stdout"] == json.loads(in_suite)["result"]["stdout"]
    assert json.loads(in_suite)["result"]["stdout"] == "still running after the others: 42\n"


# -- outputs pasted under code (tests/projects/imported) ---------------------------------------------

def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_pasted_outputs_and_both_session_styles_pass(tmp_path):
    root = copy_project("imported", tmp_path)
    run = run_pytest(root, "-rA", "snippets")
    for item in ("squares.py::squares", "session.pycon::session", "ipython_session.pycon::ipython_session"):
        assert f"PASSED snippets/imported/{item}" in run.stdout
    assert "3 passed" in run.stdout


def test_pasted_output_that_differs_fails_with_a_diff_and_the_slides(tmp_path):
    root = copy_project("imported", tmp_path)
    replace_in(root / "snippets" / "imported" / "squares_output.txt", "[1, 4, 9]", "[1, 4, 8]")
    run = run_pytest(root, "-rA", "snippets/imported/squares.py")
    assert "FAILED snippets/imported/squares.py::squares" in run.stdout
    assert ("snippet imported/squares printed something else than the output pasted in "
            "snippets/imported/squares_output.txt, shown on slide 2 (slides/imported.md:12); the code is "
            "shown on slide 2 (slides/imported.md:10), slide 3 (slides/imported.md:17) "
            "(whitespace at line ends is ignored)") in run.stdout
    assert ("--- pasted (snippets/imported/squares_output.txt)\n"
            "+++ printed (snippets/imported/squares.py)\n"
            "@@ -1,2 +1,2 @@\n"
            " squares of [1, 2, 3]\n"
            "-[1, 4, 8]\n"
            "+[1, 4, 9]\n") in run.stdout


def test_echo_shows_nothing_for_none_or_a_closing_semicolon(tmp_path):
    root = copy_project("imported", tmp_path)
    squares = root / "snippets" / "imported" / "squares.py"
    replace_in(squares, "[n * n for n in numbers]", "[n * n for n in numbers];")
    run = run_pytest(root, "-rA", "snippets/imported/squares.py")
    assert "-[1, 4, 9]\n" in run.stdout  # pasted, no longer printed
    replace_in(squares, "[n * n for n in numbers];", "print([n * n for n in numbers])\nnumbers.sort()")
    assert "1 passed" in run_pytest(root, "-rA", "snippets/imported/squares.py").stdout


def test_session_with_a_wrong_output_fails_at_the_line_of_its_prompt(tmp_path):
    root = copy_project("imported", tmp_path)
    replace_in(root / "snippets" / "imported" / "session.pycon", ">>> total\n6\n", ">>> total\n7\n")
    replace_in(root / "snippets" / "imported" / "ipython_session.pycon", "Out[2]: 4.0", "Out[2]: 4")
    run = run_pytest(root, "-rA", "snippets")
    assert "snippet imported/session failed (snippets/imported/session.pycon), shown on slide 4 (slides/imported.md:22)" in run.stdout
    assert ("snippets/imported/session.pycon:6: what this statement printed differs from the output pasted under it\n"
            "    >>> total\n--- pasted\n+++ printed\n@@ -1 +1 @@\n-7\n+6\n") in run.stdout
    assert ("snippets/imported/ipython_session.pycon:3: what this statement printed differs from the output pasted "
            "under it\n    In [2]: math.sqrt(16)\n--- pasted\n+++ printed\n@@ -1 +1 @@\n-4\n+4.0\n") in run.stdout
    assert "2 failed, 1 passed" in run.stdout


def test_session_statement_that_raises_unexpectedly_shows_its_traceback_at_its_line(tmp_path):
    root = copy_project("imported", tmp_path)
    replace_in(root / "snippets" / "imported" / "session.pycon", ">>> total = 0", ">>> total = 1 / 0")
    run = run_pytest(root, "-rA", "snippets/imported/session.pycon")
    assert f'File "{root}/snippets/imported/session.pycon", line 2, in <module>' in run.stdout
    assert "ZeroDivisionError: division by zero" in run.stdout
    assert "1 failed" in run.stdout


def test_expected_exception_that_is_not_raised_is_a_difference(tmp_path):
    root = copy_project("imported", tmp_path)
    replace_in(root / "snippets" / "imported" / "session.pycon", ">>> numbers[10]", ">>> numbers[1]")
    run = run_pytest(root, "-rA", "snippets/imported/session.pycon")
    assert "snippets/imported/session.pycon:13: what this statement printed differs" in run.stdout
    assert "+2\n" in run.stdout and "-IndexError: list index out of range" in run.stdout


def test_a_snippet_does_not_see_what_earlier_snippets_left_in_the_worker(tmp_path):
    """One worker runs snippet after snippet: what an earlier one set (environment variables,
    sys.path, warnings filters, NumPy's and pandas' print options, open figures) is gone when the
    next one starts."""
    folder = tmp_path / "snippets" / "state"
    folder.mkdir(parents=True)
    (folder / "a_sets.py").write_text(
        'import os, sys, warnings\nos.environ["REMARKDECK_LEFT_BEHIND"] = "1"\nsys.path.append("/left/behind")\n'
        'warnings.simplefilter("error")\nimport matplotlib.pyplot as plt\nplt.figure()\n'
        'import numpy as np\nnp.set_printoptions(precision=2)\n'
        'import pandas as pd\npd.set_option("display.max_rows", 3)\n')
    (folder / "b_reads.py").write_text(
        'import os, sys, warnings\nassert "REMARKDECK_LEFT_BEHIND" not in os.environ\nassert "/left/behind" not in sys.path\n'
        'warnings.warn("a warning stays a warning")\nimport matplotlib.pyplot as plt\nassert not plt.get_fignums()\n'
        'import numpy as np\nassert str(np.array([1 / 3])) == "[0.33333333]"\n'
        'import pandas as pd\nassert pd.get_option("display.max_rows") == 60\n')
    library = SnippetLibrary(folder, "state")
    with SnippetRunner() as runner:
        results = [runner.run(library, library.get(name), tmp_path / "results" / name) for name in library.names()]
    assert [(result.name, result.ok, result.error) for result in results] == [("a_sets", True, ""), ("b_reads", True, "")]
