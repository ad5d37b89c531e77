"""Known failures (tests/projects/known): the '# known-failure:' header, the reasons in words
(tests/failures/errors.txt), pytest's expected failures, marking a deck, the index page's counts,
and an imported deck whose snippet uses a name defined off-slide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import copy_project, run_pytest, run_remarkdeck

from remarkdeck.errors import SnippetError
from remarkdeck.importer import import_deck
from remarkdeck.matrix.verified import verified_line
from remarkdeck.project import Project
from remarkdeck.snippets.failures import (
    RULES,
    classify,
    mark_known_failure,
    record_known_failures,
    summary_line,
    unmark_known_failure,
)
from remarkdeck.snippets.files import load_snippet

CASES = Path(__file__).parent / "failures" / "errors.txt"
DECKS = Path(__file__).parent / "importer" / "decks"
NAME_ERROR = "X_train is defined off-slide (NameError)"


# -- reasons in words -------------------------------------------------------------------------------

def read_cases(path: Path) -> list:
    """(title, snippet path or None, error text, reason) of each case of the file."""
    cases = []
    for block in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title, rest = block.split("\n", 1)
        snippet = re.match(r"snippet: (.*)\n", rest)
        rest = rest[snippet.end():] if snippet else rest
        error, reason = rest.rsplit("\n=> ", 1)
        cases.append(pytest.param(Path(snippet.group(1)) if snippet else None, error, reason.strip(), id=title))
    return cases


@pytest.mark.parametrize("snippet, error, reason", read_cases(CASES))
def test_a_failed_run_gets_its_reason_in_words(snippet, error, reason):
    assert classify(error, snippet) == reason


def test_every_rule_has_a_case():
    matched = set()
    for case in read_cases(CASES):
        summary = summary_line(case.values[1])
        matched.add(next(index for index, (pattern, _) in enumerate(RULES) if re.search(pattern, summary)))
    assert matched == set(range(len(RULES)))


# -- the header line --------------------------------------------------------------------------------

def test_header_is_written_first_replaced_in_place_and_removed(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("# requires: data\n# echo: last\nmodel.fit(X_train)\n")
    assert mark_known_failure(path, NAME_ERROR)
    assert path.read_text() == f"# known-failure: {NAME_ERROR}\n# requires: data\n# echo: last\nmodel.fit(X_train)\n"
    assert not mark_known_failure(path, NAME_ERROR)
    path.write_text("# requires: data\n# known-failure: old reason\nmodel.fit(X_train)\n")
    assert mark_known_failure(path, "new  reason\n on two lines")
    assert path.read_text() == "# requires: data\n# known-failure: new reason on two lines\nmodel.fit(X_train)\n"
    assert unmark_known_failure(path)
    assert path.read_text() == "# requires: data\nmodel.fit(X_train)\n"
    assert not unmark_known_failure(path)
    assert path.read_text() == "# requires: data\nmodel.fit(X_train)\n"


def test_header_keeps_the_files_line_endings_and_byte_order_mark(tmp_path):
    path = tmp_path / "fit.py"
    path.write_bytes(b"\xef\xbb\xbf# echo: last\r\nx = 1\r\nx\r\n")
    mark_known_failure(path, "a reason (ValueError)")
    assert path.read_bytes() == b"\xef\xbb\xbf# known-failure: a reason (ValueError)\r\n# echo: last\r\nx = 1\r\nx\r\n"
    unmark_known_failure(path)
    assert path.read_bytes() == b"\xef\xbb\xbf# echo: last\r\nx = 1\r\nx\r\n"


def test_a_comment_below_the_code_is_no_header(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("x = 1\n# known-failure: not a header\n")
    assert not unmark_known_failure(path)
    mark_known_failure(path, "a reason (error)")
    assert path.read_text() == "# known-failure: a reason (error)\nx = 1\n# known-failure: not a header\n"


def test_header_is_read_and_never_shown(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text(f"# requires: data\n# known-failure: {NAME_ERROR}\nmodel.fit(X_train)\n")
    snippet = load_snippet(path, "deck")
    assert (snippet.known_failure, snippet.known_failure_line, snippet.requires) == (NAME_ERROR, 2, ("data",))
    assert snippet.shown_lines() == [(3, "model.fit(X_train)")]


def test_header_without_a_reason_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "fit.py"
    path.write_text("# echo: last\n# known-failure:\nx\n")
    with pytest.raises(SnippetError) as error:
        load_snippet(path, "deck")
    assert str(error.value).endswith("fit.py:2: known-failure takes the reason the snippet fails, in words "
                                     "(e.g. '# known-failure: X_train is defined off-slide (NameError)')")


# -- pytest ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def known_run(tmp_path_factory):
    """The whole sample project under pytest: its snippets and its deck's notebook."""
    root = copy_project("known", tmp_path_factory.mktemp("known"))
    return root, run_pytest(root, "-rxf")


def test_known_failures_are_expected_failures_with_their_reason_and_error(known_run):
    _, run = known_run
    assert ("XFAIL snippets/known/uses_data.py::uses_data - X_train is defined off-slide (NameError); "
            "fails with: NameError: name 'X_train' is not defined") in run.stdout
    assert ("XFAIL snippets/known/after_data.py::after_data - requires uses_data, which fails: X_train is "
            "defined off-slide (NameError); fails with: NameError: name 'X_train' is not defined") in run.stdout
    assert ("XFAIL snippets/known/draws.py::draws - needs package seaborn_not_here, not installed "
            "(ModuleNotFoundError); fails with: ModuleNotFoundError: No module named 'seaborn_not_here'") in run.stdout
    assert ("XFAIL snippets/known/squares.py::squares - prints something else than the output pasted in "
            "snippets/known/squares_output.txt (output differs); fails with: it printed something else than "
            "the output pasted for it") in run.stdout
    assert ("XFAIL slides/known.md::known-solutions.ipynb - the deck has known failures (after_data, draws, "
            "fixed, squares, uses_data); the notebook fails with: cell 6 (snippet uses_data, slide "
            "slides/known.md:13): raised NameError: name 'X_train' is not defined") in run.stdout


def test_known_failure_that_passes_now_fails_asking_to_delete_its_line(known_run):
    _, run = known_run
    assert ("snippet known/fixed passes now: delete its '# known-failure:' line (snippets/known/fixed.py:1)"
            in run.stdout)
    assert "1 failed, 2 passed, 5 xfailed" in run.stdout
    assert run.returncode == 1


def test_known_failures_alone_leave_pytest_green(known_run):
    root, _ = known_run
    run = run_pytest(root, "snippets/known/uses_data.py", "snippets/known/after_data.py", "snippets/known/fits.py")
    assert run.returncode == 0, run.stdout
    assert "1 passed, 2 xfailed" in run.stdout


def test_runxfail_shows_the_whole_failure(known_run):
    root, _ = known_run
    run = run_pytest(root, "--runxfail", "snippets/known/uses_data.py")
    assert run.returncode == 1
    assert f'File "{root}/snippets/known/uses_data.py", line 2, in <module>' in run.stdout


# -- a deck's snippets run and marked ---------------------------------------------------------------

def test_record_marks_what_fails_and_unmarks_what_passes(tmp_path):
    root = copy_project("known", tmp_path)
    folder = root / "snippets" / "known"
    unmark_known_failure(folder / "uses_data.py")
    mark_known_failure(folder / "draws.py", "a reason that is no longer true")
    found = record_known_failures(Project(root), "known")
    assert sorted(found.passing) == ["fits", "fixed", "prelude"]
    assert (found.marked, found.unmarked) == (["draws", "uses_data"], ["fixed"])
    assert (folder / "uses_data.py").read_text() == f"# known-failure: {NAME_ERROR}\nprint(X_train.shape)\n"
    assert (folder / "fixed.py").read_text() == 'print("rounded:", math.floor(2.5))\n'
    assert found.lines() == [
        "snippets run: 3 pass, 4 fail, each now marked '# known-failure: REASON' in its file (pytest expects it "
        "to fail, and fails the day it passes):",
        "  X_train is defined off-slide (NameError): 1 (uses_data)",
        "  needs package seaborn_not_here, not installed (ModuleNotFoundError): 1 (draws)",
        "  prints something else than the output pasted in snippets/known/squares_output.txt (output differs): "
        "1 (squares)",
        "  requires uses_data, which fails: X_train is defined off-slide (NameError): 1 (after_data)"]
    again = record_known_failures(Project(root), "known")
    assert (again.marked, again.unmarked) == ([], [])
    assert run_pytest(root, "snippets").returncode == 0


# -- the index page and the slides --------------------------------------------------------------------

@pytest.fixture(scope="module")
def known_build(tmp_path_factory):
    root = copy_project("known", tmp_path_factory.mktemp("known-build"))
    return root, run_remarkdeck(root, "build")


def test_index_counts_verified_known_failures_by_reason_and_code_shown_only(known_build):
    root, build = known_build
    assert build.code == 0, build.stderr
    index = (root / "build" / "index.html").read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", index))
    assert "Snippets 2 snippets verified: run by make test" in text
    assert ("5 snippets known to fail, the lecturer&#39;s to-do list (# known-failure: lines) "
            "X_train is defined off-slide (NameError): 1 snippet "
            "needs package seaborn_not_here, not installed (ModuleNotFoundError): 1 snippet "
            "needs package sklearn, not installed (ModuleNotFoundError): 1 snippet "
            "prints something else than the output pasted in snippets/known/squares_output.txt (output differs): "
            "1 snippet "
            "requires uses_data, which fails: X_train is defined off-slide (NameError): 1 snippet "
            "2 snippets of code shown only (not Python: never run)") in text
    assert '<h2><a class="deck-title" href="known/index.html">Known failures</a></h2>' in index
    assert '<ul class="reasons">' in index


def test_slides_show_a_stand_in_for_a_known_failures_output_with_a_warning(known_build):
    root, build = known_build
    page = (root / "build" / "known" / "index.html").read_text()
    assert ("[output not shown: snippet uses_data is a known failure: X_train is defined off-slide (NameError)]"
            in page)
    assert "known-failure" not in page
    assert r"\u003cimg src=\"figures/draws-1.svg\"" in page
    assert "not installed" in (root / "build" / "known" / "figures" / "draws-1.svg").read_text()
    assert ("snippets/known/uses_data.py:1: warning: snippet 'uses_data' is a known failure (X_train is defined "
            "off-slide (NameError)), so its slide shows a stand-in instead of its output or figure: fix it, then "
            "delete this line") in build.stderr
    assert "running snippet known/uses_data" not in build.stderr + build.stdout
    assert "known-failure" not in (root / "build" / "known" / "known.ipynb").read_text()


def test_strict_build_fails_on_a_known_failure_shown_as_a_stand_in(tmp_path):
    root = copy_project("known", tmp_path)
    build = run_remarkdeck(root, "build", "--strict")
    assert build.code == 1
    assert "snippets/known/draws.py:1: warning: snippet 'draws' is a known failure" in build.stderr


# -- import ---------------------------------------------------------------------------------------

def test_imported_snippet_using_a_name_defined_off_slide_is_marked_and_pytest_is_green(tmp_path, monkeypatch):
    root = tmp_path / "lectures"
    (root / "slides").mkdir(parents=True)
    monkeypatch.chdir(root)
    report = import_deck(Project(root), DECKS / "off-slide.md")
    folder = root / "snippets" / "off-slide"
    assert (folder / "training.py").read_text() == (
        f"# known-failure: {NAME_ERROR}\nmodel_input = X_train[:10]\nprint(len(model_input))\n")
    assert (folder / "counting.py").read_text() == "print(sum(range(4)))\n"
    assert ("  snippets run: 1 pass, 1 fail, each now marked '# known-failure: REASON' in its file (pytest expects "
            "it to fail, and fails the day it passes):\n"
            f"    {NAME_ERROR}: 1 (training)\n") in report.text()
    assert (root / "slides" / "off-slide.import-report.txt").read_text() == report.text()
    run = run_pytest(root, "-rx")
    assert run.returncode == 0, run.stdout
    assert "1 passed, 2 xfailed" in run.stdout  # the snippet and the deck's notebook
    # the index and the handout count the snippets, as the index's list of reasons does
    assert verified_line(Project(root), "off-slide").endswith(" (1 snippet known to fail)")
