"""Inputs a lecturer gets wrong the night before, and faults during a build: each gives one clear
message, and nothing they had is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from helpers import start_remarkdeck, tree_digest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_crlf_bom_and_tabs_simply_work(sample_project, cli):
    root = sample_project("basic")
    deck = root / "slides" / "basic.md"
    text = deck.read_text().replace("An inline formula", "An\tinline formula")
    deck.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    hello = root / "snippets" / "basic" / "hello.py"
    hello.write_bytes(b"\xef\xbb\xbf" + hello.read_bytes().replace(b"\n", b"\r\n").replace(b"print(", b"if True:\r\n\tprint("))
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    page = (root / "build" / "basic" / "index.html").read_text()
    assert "\\r" not in page and "\ufeff" not in page
    assert "An\\tinline formula" in page
    assert "hello 2" in page


def test_unknown_slide_property_is_a_warning(sample_project, cli):
    root = sample_project("basic")
    edit(root / "slides" / "basic.md", "count: false\n", "count: false\nNote: pictures below\n")
    result = cli(root, "build")
    assert result.code == 0
    assert ("slides/basic.md:32: warning: Remark reads this line as slide property 'Note', which it does "
            "not know, and does not show it") in result.stderr


def test_the_properties_remark_acts_on_are_no_warning(sample_project, cli):
    """Remark 0.14 colours a slide's background and changes its highlight style by property."""
    root = sample_project("basic")
    edit(root / "slides" / "basic.md", "count: false\n",
         "count: false\nbackground-color: #f5f5f5\nhighlight-style: monokai\n")
    result = cli(root, "build")
    assert result.code == 0
    assert "warning" not in result.stderr


def test_oversized_image_is_a_warning(sample_project, cli):
    root = sample_project("basic")
    big = root / "img" / "square.svg"
    big.write_text(big.read_text() + "<!--" + "x" * 6_000_000 + "-->")
    result = cli(root, "build")
    assert result.code == 0
    assert ("slides/basic.md:34: warning: img/square.svg is 6.0 MB, over 5 MB: it slows the deck and "
            "the PDF; shrink it") in result.stderr


def test_build_folder_that_cannot_be_written(sample_project, cli):
    root = sample_project("basic")
    (root / "build").write_text("not a folder")
    result = cli(root, "build")
    assert result.code == 1
    assert result.stderr.startswith("build: cannot write the build folder (")
    assert "make " in result.stderr and "writable or remove it" in result.stderr
    assert (root / "build").read_text() == "not a folder"


def test_output_that_changes_between_runs_is_reported(sample_project, cli):
    root = sample_project("basic")
    edit(root / "snippets" / "basic" / "hello.py", 'print("hello", x)', 'import time\nprint("hello", time.time_ns())')
    assert cli(root, "build").code == 0
    again = cli(root, "build", "--force")
    assert again.code == 0
    assert ("snippets/basic/hello.py: warning: snippet 'hello' printed something else than last time with "
            "the same code and data") in again.stderr
    assert "--- last run" in again.stderr and "+++ this run" in again.stderr


def test_huge_output_is_bounded_and_the_build_survives(sample_project, cli):
    root = sample_project("basic")
    edit(root / "snippets" / "basic" / "hello.py", 'print("hello", x)',
         'import sys\nprint("hello")\nline = "y" * 1023 + "\\n"\nfor _ in range(100 * 1024):\n    sys.stdout.write(line)')
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    page = (root / "build" / "basic" / "index.html").read_text()
    assert "[... output cut: the snippet printed more than a slide can show]" in page
    assert len(page) < 3_000_000


def slow_build(root: Path) -> subprocess.Popen:
    edit(root / "snippets" / "basic" / "hello.py", 'print("hello", x)', 'import time\ntime.sleep(3)\nprint("hello", x)')
    return start_remarkdeck(root, "build", stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_killed_build_leaves_the_previous_build_whole(sample_project, cli):
    root = sample_project("basic")
    assert cli(root, "build").code == 0
    before = tree_digest(root / "build", cache=False)
    build = slow_build(root)
    wait_for(lambda: list((root / "build").glob(".staging-*")))
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert tree_digest(root / "build", cache=False) == before
    after = cli(root, "build")  # the next build cleans up what the killed one left
    assert after.code == 0
    assert not list((root / "build").glob(".staging-*"))


def test_second_build_waits_for_the_first(sample_project, cli):
    root = sample_project("basic")
    first = slow_build(root)
    wait_for(lambda: list((root / "build").glob(".staging-*")))
    second = cli(root, "build")
    first.communicate()
    assert first.returncode == 0
    assert second.code == 0
    assert "another remarkdeck build is writing" in second.stderr and "waiting for it to finish" in second.stderr


def test_a_bug_in_remarkdeck_keeps_its_traceback_and_says_so(sample_project, monkeypatch, capsys):
    from remarkdeck import build as build_module
    from remarkdeck.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("an invariant of remarkdeck does not hold")

    monkeypatch.setattr(build_module, "build", broken)
    monkeypatch.chdir(sample_project("basic"))
    assert main(["build"]) == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: an invariant of remarkdeck does not hold" in stderr
    assert stderr.rstrip().endswith(
        "remarkdeck: internal error (the traceback above is a bug in remarkdeck, not in your deck; please report it)")
