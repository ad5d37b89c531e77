"""`--strict`: every warning of `build`, `pdf` and `import` is an error, and what was there stays."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import built_project, run_remarkdeck, tree_digest

FORGOTTEN = ("snippets/basic/forgotten.py: warning: snippet 'forgotten' is not used by any slide of "
             'slides/basic.md: show it with {{ snippet("forgotten") }} or delete it')


@pytest.fixture
def built_basic(tmp_path) -> Path:
    return built_project("basic", tmp_path)


def test_a_warning_fails_a_strict_build_and_keeps_the_last_good_one(built_basic):
    (built_basic / "snippets" / "basic" / "forgotten.py").write_text("print(1)\n")
    before = tree_digest(built_basic / "build", cache=False)
    done = run_remarkdeck(built_basic, "build", "--strict")
    assert done.code == 1
    assert FORGOTTEN in done.stderr
    assert done.stderr.rstrip().endswith(f"  {FORGOTTEN}\nfix them, or run without --strict to let warnings pass")
    assert "--strict turns 1 warning into errors (build/ is left as it was)" in done.stderr
    assert tree_digest(built_basic / "build", cache=False) == before


def test_without_strict_the_same_deck_builds_and_warns(built_basic):
    (built_basic / "snippets" / "basic" / "forgotten.py").write_text("print(1)\n")
    done = run_remarkdeck(built_basic, "build")
    assert done.code == 0
    assert done.stderr.count(FORGOTTEN) == 1


def test_a_strict_build_without_warnings_succeeds(built_basic):
    done = run_remarkdeck(built_basic, "build", "--strict")
    assert done.code == 0, done.stderr
    assert "warning" not in done.stderr


def test_strict_import_writes_nothing_when_the_deck_needs_fixing(tmp_path):
    root = tmp_path / "lectures"
    (root / "slides").mkdir(parents=True)
    deck = tmp_path / "old.md"
    deck.write_text("# Title\n\n---\n\n# A picture\n\n![](missing.png)\n")
    done = run_remarkdeck(root, "import", str(deck), "--strict")
    assert done.code == 1
    assert f"{deck}:7: warning: missing.png (not found) replaced by the placeholder" in done.stderr
    assert "(nothing is written)" in done.stderr
    assert not (root / "slides" / "old.md").exists()
    assert not (root / "snippets").exists()
    lenient = run_remarkdeck(root, "import", str(deck))
    assert lenient.code == 0, lenient.stderr
    assert f"{deck}:7: warning: missing.png (not found)" in lenient.stderr
    assert (root / "slides" / "old.md").is_file()


def test_a_warning_while_printing_keeps_the_last_pdfs_under_strict(tmp_path):
    root = built_project("print", tmp_path, "square")
    assert run_remarkdeck(root, "pdf", "-q", "square").code == 0
    pdf = root / "build" / "square.pdf"
    printed = pdf.read_bytes()
    source = root / "slides" / "square.md"
    later = (root / "build" / "square" / "index.html").stat().st_mtime + 10
    os.utime(source, (later, later))
    done = run_remarkdeck(root, "pdf", "-q", "--strict", "square")
    assert done.code == 1
    assert "slides/square.md: warning: changed since build/square/index.html was built" in done.stderr
    assert "(the PDFs of deck 'square' are unchanged)" in done.stderr
    assert pdf.read_bytes() == printed
