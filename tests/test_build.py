"""`remarkdeck build` on sample projects: what a good deck produces, one exact error per bad one, and
the exact warnings of each deck that builds with warnings.

Each ``projects/bad-*`` and ``projects/warn-*`` folder holds only the files that differ from
``projects/basic`` and, in ``expected.txt``, the exact error (or warning) output (``{root}`` stands
for the project folder).
"""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import PROJECTS, built_project, tree_digest

BAD = sorted(path.name for path in PROJECTS.glob("bad-*"))
WARN = sorted(path.name for path in PROJECTS.glob("warn-*"))


@pytest.fixture
def built_basic(tmp_path):
    return built_project("basic", tmp_path)


def test_basic_deck_builds_every_file_it_needs(built_basic):
    deck = built_basic / "build" / "basic"
    for name in ("index.html", "theme.css", "vendor/remark.min.js", "vendor/katex/katex.min.css",
                 "vendor/fonts.css", "figures/plot.png"):
        assert (deck / name).is_file(), name
    assert not list(deck.rglob("*katex*.js")), "formulas are typeset by the build, not by the page"
    assert (built_basic / "build" / "img" / "square.svg").is_file()
    assert list((deck / "vendor" / "katex" / "fonts").glob("*.woff2"))
    assert list((deck / "vendor" / "fonts").glob("*.woff2"))


def test_remark_is_the_official_release_byte_for_byte(built_basic):
    from helpers import REPO

    shipped = REPO / "node_modules" / "remark-slide" / "out" / "remark.min.js"
    assert (built_basic / "build" / "basic" / "vendor" / "remark.min.js").read_bytes() == shipped.read_bytes()
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/remark-slide"]["version"] == "0.14.0"


def test_page_has_deck_options_and_no_outside_references(built_basic):
    page = (built_basic / "build" / "basic" / "index.html").read_text()
    assert "var slideshow = remark.create(" in page
    for option in ('"ratio": "16:9"', '"countIncrementalSlides": false', '"highlightLines": true',
                   '"highlightSpans": false', '"slideNumberFormat": "%current%/%total%"', '"highlightStyle": "github"'):
        assert option in page
    # MathML's namespace is a name, not an address anything is loaded from
    page = page.replace('xmlns=\\"http://www.w3.org/1998/Math/MathML\\"', "")
    assert "http://" not in page and "https://" not in page
    css = (built_basic / "build" / "basic" / "vendor" / "fonts.css").read_text()
    assert "url(fonts/" in css and "http" not in css


def test_snippet_code_and_output_are_on_the_slide(built_basic):
    page = (built_basic / "build" / "basic" / "index.html").read_text()
    assert '```python\\n*print(\\"hello\\", x)\\n```' in page  # highlighted line, setup hidden
    assert "```text\\nhello 2\\n```" in page
    assert "x = 2" not in page


def test_a_decks_own_css_comes_after_the_theme(sample_project, cli):
    root = sample_project("basic")
    (root / "templates" / "styles").mkdir(parents=True)
    (root / "templates" / "styles" / "basic.css").write_text(".inverse { background: #272822; }\n")
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    theme = (root / "build" / "basic" / "theme.css").read_text()
    assert theme.index(".remark-slide-content {") < theme.index(
        "/* templates/styles/basic.css */\n.inverse { background: #272822; }\n")


def test_index_lists_the_deck_with_its_metadata(built_basic):
    index = (built_basic / "build" / "index.html").read_text()
    assert '<a class="deck-title" href="basic/index.html">A sample deck</a>' in index
    assert "Ada Lovelace · remarkdeck tests · 2026" in index


def test_index_names_decks_that_share_a_title(tmp_path, cli):
    root = built_project("basic", tmp_path)
    (root / "slides" / "again.md").write_text('+++\ntitle = "A sample deck"\n+++\n# Again\n')
    assert cli(root, "build").code == 0
    index = (root / "build" / "index.html").read_text()
    for deck in ("again", "basic"):
        assert (f'<a class="deck-title" href="{deck}/index.html">A sample deck</a> '
                f'<span class="deck-name">{deck}</span></h2>') in index


def test_second_build_runs_no_snippet(built_basic, cli):
    again = cli(built_basic, "build")
    assert again.code == 0
    assert "running snippet" not in again.stderr
    assert "ran 0 snippet(s)" in again.stderr


def test_force_reruns_shown_snippets(built_basic, cli):
    again = cli(built_basic, "build", "--force")
    assert "running snippet basic/hello" in again.stderr
    assert "running snippet basic/plot" in again.stderr


def test_editing_a_snippet_reruns_only_it_and_changes_the_slide(built_basic, cli):
    hello = built_basic / "snippets" / "basic" / "hello.py"
    hello.write_text(hello.read_text().replace('print("hello", x)', 'print("bonjour", x)'))
    again = cli(built_basic, "build")
    assert "running snippet basic/hello" in again.stderr
    assert "running snippet basic/plot" not in again.stderr
    assert "bonjour 2" in (built_basic / "build" / "basic" / "index.html").read_text()


def test_undoing_an_edit_finds_the_earlier_result_and_old_ones_are_pruned(built_basic, cli):
    hello = built_basic / "snippets" / "basic" / "hello.py"
    original = hello.read_text()
    cache = built_basic / "build" / ".cache" / "snippets" / "basic"
    for greeting in ("bonjour", "hola", "ciao"):
        hello.write_text(original.replace('print("hello", x)', f'print("{greeting}", x)'))
        assert "running snippet basic/hello" in cli(built_basic, "build").stderr
    assert len(list(cache.glob("hello-*"))) == 3  # ciao, hola, bonjour: "hello" was pruned
    hello.write_text(original.replace('print("hello", x)', 'print("hola", x)'))
    again = cli(built_basic, "build")
    assert "ran 0 snippet(s)" in again.stderr
    assert "hola 2" in (built_basic / "build" / "basic" / "index.html").read_text()
    hello.write_text(original)
    assert "running snippet basic/hello" in cli(built_basic, "build").stderr


def test_corrupted_cache_entry_is_recomputed(built_basic, cli):
    entry = next((built_basic / "build" / ".cache" / "snippets" / "basic").glob("hello-*/result.json"))
    entry.write_text(entry.read_text()[:40])
    again = cli(built_basic, "build")
    assert again.code == 0
    assert "running snippet basic/hello" in again.stderr
    assert "hello 2" in (built_basic / "build" / "basic" / "index.html").read_text()


def test_unused_snippet_is_warned_about(built_basic, cli):
    (built_basic / "snippets" / "basic" / "forgotten.py").write_text("print(1)\n")
    again = cli(built_basic, "build")
    assert again.code == 0
    assert ("snippets/basic/forgotten.py: warning: snippet 'forgotten' is not used by any slide of "
            'slides/basic.md: show it with {{ snippet("forgotten") }} or delete it') in again.stderr


def test_metadata_with_markup_is_escaped(sample_project, cli):
    root = sample_project("basic")
    deck = root / "slides" / "basic.md"
    deck.write_text(deck.read_text().replace('title = "A sample deck"', 'title = "</title><script>alert(1)</script>"'))
    assert cli(root, "build").code == 0
    page = (root / "build" / "basic" / "index.html").read_text()
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("name", BAD)
def test_bad_deck_fails_with_its_exact_error_and_keeps_the_previous_build(name, built_basic, cli):
    before = tree_digest(built_basic / "build", cache=False)
    shutil.copytree(PROJECTS / name, built_basic, dirs_exist_ok=True)
    result = cli(built_basic, "build", "-q")
    expected = (PROJECTS / name / "expected.txt").read_text().replace("{root}", str(built_basic))
    assert result.code == 1
    assert result.stderr == expected
    assert tree_digest(built_basic / "build", cache=False) == before
    assert not list((built_basic / "build").glob(".staging-*"))


@pytest.mark.parametrize("name", WARN)
def test_deck_with_warnings_builds_warning_at_each_line_and_fails_under_strict(name, built_basic, cli):
    shutil.copytree(PROJECTS / name, built_basic, dirs_exist_ok=True)
    expected = (PROJECTS / name / "expected.txt").read_text().replace("{root}", str(built_basic))
    lenient = cli(built_basic, "build", "-q")
    assert (lenient.code, lenient.stderr) == (0, expected)
    strict = cli(built_basic, "build", "-q", "--strict")
    assert strict.code == 1
    count = len(expected.splitlines())
    assert f"--strict turns {count} warnings into errors" in strict.stderr
    assert [line for line in strict.stderr.splitlines() if line.startswith("  ")] == [
        f"  {line}" for line in expected.splitlines()]


def test_unknown_front_matter_key_is_a_warning(sample_project, cli):
    root = sample_project("basic")
    deck = root / "slides" / "basic.md"
    deck.write_text(deck.read_text().replace('date = "2026"', 'date = "2026"\nvenue = "Paris"'))
    result = cli(root, "build")
    assert result.code == 0
    assert "slides/basic.md:6: warning: unknown front-matter key 'venue'" in result.stderr


def test_unknown_deck_name(built_basic, cli):
    result = cli(built_basic, "build", "nope")
    assert result.code == 1
    assert result.stderr.startswith("slides: no deck named 'nope': expected slides/nope.md (decks here: basic)")


def test_products_of_a_previous_deck_version_are_removed(built_basic, cli):
    pdf = built_basic / "build" / "basic.pdf"
    single = built_basic / "build" / "basic.html"
    pdf.write_bytes(b"%PDF-1.7 printed from the current deck")
    single.write_text("<html>an older single-file deck</html>")
    unchanged = cli(built_basic, "build")
    assert pdf.exists(), "a rebuild that changes nothing keeps the PDF"
    assert not single.exists(), "a build without --standalone does not keep an old single file"
    assert "removed build/basic.html: it was made from the previous version of the deck" in unchanged.stderr
    assert ">PDF</a>" in (built_basic / "build" / "index.html").read_text()

    edit = built_basic / "slides" / "basic.md"
    edit.write_text(edit.read_text().replace("## Code and its output", "## Code, and what it prints"))
    changed = cli(built_basic, "build")
    assert not pdf.exists()
    assert "removed build/basic.pdf: it was made from the previous version of the deck" in changed.stderr
    assert ">PDF</a>" not in (built_basic / "build" / "index.html").read_text()


def test_imported_deck_builds_and_echo_prints_the_last_value(sample_project, cli):
    root = sample_project("imported")
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    page = (root / "build" / "imported" / "index.html").read_text()
    assert "```text\\nsquares of [1, 2, 3]\\n[1, 4, 9]\\n```" in page  # output(): printed, then the value
    assert "```python\\nnumbers = [1, 2, 3]" in page  # header lines hidden
    assert "```python\\n\\u003e\\u003e\\u003e total = 0\\n" in page  # a session as written (">>>" escaped)
