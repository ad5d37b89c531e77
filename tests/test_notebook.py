"""Each deck's notebooks: written by the build from the handout's slides, run by the pytest plugin.

``projects/notebook`` has steps, classes, notes, an excluded slide, setup regions, a snippet shown
twice, a shell snippet, a superseded slide, a picture, a figure and an exercise;
``projects/notebook-faults`` has decks whose snippets only pass under the snippet harness.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from helpers import built_project, copy_project, run_pytest

from remarkdeck.notebook.markdown import jupyter_markdown
from remarkdeck.slides import fenced, split_slides, visible_slides
from remarkdeck.syntax import FENCE_LINE

REMARK_SYNTAX = [
    (re.compile(r"(?<![\w\\])\.[A-Za-z][-\w]*(?:\.[A-Za-z][-\w]*)*\["), "content class"),
    (re.compile(r"^(---?|\?\?\?)\s*$", re.M), "slide separator or notes"),
    (re.compile(r"^(name|class|count|exclude|layout|background-image):", re.M), "slide property"),
    (re.compile(r"<!--"), "comment"),
]


def remark_syntax(markdown: str) -> list[str]:
    """What of Remark's own syntax a Markdown cell still holds (highlight markers: in code blocks)."""
    found = [what for pattern, what in REMARK_SYNTAX if pattern.search(_without_code(markdown))]
    lines = markdown.split("\n")
    in_code = [code and not FENCE_LINE.match(line) for code, line in fenced(lines)]
    if any(code and line.startswith("*") for code, line in zip(in_code, lines)):
        found.append("line highlight marker")
    return found


def _without_code(markdown: str) -> str:
    return "\n".join(line for code, line in fenced(markdown.split("\n")) if not code)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project("notebook", tmp_path_factory.mktemp("nb"))


def cells(root: Path, name: str) -> list[tuple[str, str, list[str]]]:
    notebook = nbformat.read(root / "build" / "notebook" / name, as_version=4)
    return [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in notebook.cells]


def test_build_writes_two_valid_notebooks_with_the_decks_metadata(built):
    for name in ("notebook.ipynb", "notebook-solutions.ipynb"):
        notebook = nbformat.read(built / "build" / "notebook" / name, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3"
        assert notebook.metadata.title == "Notebook sample"
        assert notebook.metadata.authors == [{"name": "Grace Hopper"}]


def test_cells_follow_the_handout_with_code_once_in_slide_order(built):
    code = [(source, tags) for kind, source, tags in cells(built, "notebook-solutions.ipynb") if kind == "code"]
    assert code == [
        ("import math", []),  # the prelude, shown on the step slide
        ("values = [3, 1, 2]", ["remove-input"]),  # data: only a setup region, required by count
        ("values = sorted(values)", ["remove-input"]),  # count's setup region
        ('total = sum(values)\nprint("total", total, "of", values)', []),  # once, though shown twice
        ("side = math.sqrt(16)", []),  # shown only on a slide the next one supersedes
        ('def double(x):\n    """Twice x."""\n    return 2 * x\n\n\nprint(double(side))', []),
    ]


def test_markdown_cells_are_the_slides_text_without_remark_syntax(built):
    markdown = [source for kind, source, _ in cells(built, "notebook.ipynb") if kind == "markdown"]
    assert markdown == [
        "# Notebook sample with classes",
        "## Steps and formulas\n\nThe set $\\{w, b\\}$ holds the weights.",
        "See [the picture](#A-picture-and-a-figure) and [the docs][docs].\n\n[docs]: https://example.org/docs",
        "## Setup, output and a highlight",
        "```text\ntotal 6 of [1, 2, 3]\n```",
        "## Shown twice, and a shell command\n\nInstall it with\n```bash\npip install notebook-sample\n```",
        "## Superseded\n\nThe square was shown on the slide before.",
        '## A picture and a figure\n\n![a square](../img/square.svg)\n\n'
        '<img src="figures/plot.png" alt="a straight line from (0, 0) to (1, 1)" width="300px">',
        "## Exercise\n\nWrite `double`.",
        "## Solution\n\n```text\n8.0\n```",
    ]
    assert [remark_syntax(text) for text in markdown] == [[]] * len(markdown)
    assert remark_syntax("```bash\n*pip install\n```") == ["line highlight marker"]
    assert not any("Notes are for the speaker" in text or "kept room" in text for text in markdown)


def test_pictures_resolve_from_the_notebooks_folder(built):
    folder = built / "build" / "notebook"
    text = "\n".join(source for kind, source, _ in cells(built, "notebook.ipynb") if kind == "markdown")
    pictures = re.findall(r'!\[[^\]]*\]\(([^)]+)\)|src="([^"]+)"', text)
    assert len(pictures) == 2
    for markdown_src, html_src in pictures:
        assert (folder / (markdown_src or html_src)).is_file()


def test_students_get_the_exercise_form_and_slides_show_solutions_only_where_asked(built):
    student = [source for kind, source, _ in cells(built, "notebook.ipynb") if kind == "code"]
    assert student[-1] == ('def double(x):\n    """Twice x."""\n    # your code here\n    raise NotImplementedError'
                           '\n\n\nprint(double(side))')
    page = (built / "build" / "notebook" / "index.html").read_text()
    assert page.count("# your code here") == 1  # the exercise slide
    assert page.count("return 2 * x") == 1  # the solution slide


def test_every_python_snippet_a_slide_shows_is_one_cell(built):
    shown = set()
    for slide in visible_slides(split_slides((built / "slides" / "notebook.md").read_text())):
        shown.update(re.findall(r'snippet\("(\w+)"', slide.content))
    python = {name for name in shown if (built / "snippets" / "notebook" / f"{name}.py").is_file()}
    notebook = nbformat.read(built / "build" / "notebook" / "notebook.ipynb", as_version=4)
    written = [cell.metadata["remarkdeck"]["snippet"] for cell in notebook.cells
               if cell.cell_type == "code" and "remove-input" not in cell.metadata.get("tags", [])]
    assert sorted(written) == sorted(python) == ["count", "exercise", "prelude", "square"]


def test_index_links_both_notebooks(built):
    index = (built / "build" / "index.html").read_text()
    assert '<a href="notebook/notebook.ipynb" download>notebook</a>' in index
    assert '<a href="notebook/notebook-solutions.ipynb" download>notebook with solutions</a>' in index


def test_same_deck_same_notebook_bytes(built, cli):
    before = (built / "build" / "notebook" / "notebook.ipynb").read_bytes()
    assert cli(built, "build", "--force").code == 0
    assert (built / "build" / "notebook" / "notebook.ipynb").read_bytes() == before


@pytest.mark.parametrize(("remark", "jupyter"), [
    (".red[warm] and .big.blue[cold]", "warm and cold"),
    (".center[\n  <img src='a.svg'>\n]", "<img src='a.svg'>"),
    ("\\.red[literal]", ".red[literal]"),
    (".red[never closed", ".red[never closed"),
    ("`.red[code]` stays", "`.red[code]` stays"),
    ("left .hidden[room] right", "left  right"),
    ("$\\\\{a\\_1\\\\}$ and $$x\\,y$$", "$\\{a_1\\}$ and $$x\\,y$$"),  # what marked unescapes
    ("text <!-- a comment --> more\n\n\n\nafter", "text  more\n\nafter"),
    ("[label]: https://example.org\nused [here][label]", "used [here][label]"),
    # the built-in scale macro as the picture it makes, with its alternative text
    ("![:scale 50%, a blue banner, wide](../img/b.svg)", '<img src="../img/b.svg" alt="a blue banner, wide" style="width: 50%">'),
    ("![:scale 30%](x.svg) ![:framed 4px](y.svg)", '<img src="x.svg" style="width: 30%"> ![:framed 4px](y.svg)'),
])
def test_remark_markdown_as_jupyter_markdown(remark, jupyter):
    assert jupyter_markdown(remark) == jupyter


# -- the notebook run by the pytest plugin ---------------------------------------------------------

def test_plugin_runs_the_solutions_notebook_of_each_deck(tmp_path):
    root = copy_project("notebook", tmp_path)
    run = run_pytest(root, "-rA", "slides")
    assert "PASSED slides/notebook.md::notebook-solutions.ipynb" in run.stdout, run.stdout
    assert not (root / "build").exists() or not list((root / "build").glob("*/notebook*.ipynb"))


@pytest.fixture(scope="module")
def faults_run(tmp_path_factory):
    root = copy_project("notebook-faults", tmp_path_factory.mktemp("nbfaults"))
    return root, run_pytest(root, "-rA", "slides", "snippets")


def test_snippets_that_pass_alone_fail_in_the_notebook(faults_run):
    _, run = faults_run
    for name in ("export", "export_again", "roll"):
        assert re.search(rf"PASSED snippets/\w+/{name}\.py::{name}", run.stdout)
    assert "FAILED slides/tempdir.md::tempdir-solutions.ipynb" in run.stdout
    assert "FAILED slides/unseeded.md::unseeded-solutions.ipynb" in run.stdout


def test_failing_cell_is_named_with_its_snippet_and_slide(faults_run):
    _, run = faults_run
    assert ("notebook tempdir-solutions.ipynb of slides/tempdir.md: cell 4 (snippet export_again, slide "
            "slides/tempdir.md:11): raised FileExistsError: [Errno 17] File exists: 'results'") in run.stdout


def test_output_the_notebook_prints_otherwise_is_named_with_its_slide(faults_run):
    _, run = faults_run
    assert ("notebook unseeded-solutions.ipynb of slides/unseeded.md: cell 2 (snippet roll, slide "
            "slides/unseeded.md:6): the notebook printed something else than the slide shows") in run.stdout
    assert "-rolled " in run.stdout and "+rolled " in run.stdout


def test_an_interactive_session_is_a_cell_per_prompt_and_runs_in_the_notebook(sample_project, cli):
    """A `.pycon` session (as `remarkdeck import` writes them) becomes its statements without their
    prompts or pasted outputs, one cell each, so Jupyter shows each value as the session did."""
    root = sample_project("imported")
    done = cli(root, "build")
    assert done.code == 0, done.stderr
    notebook = nbformat.read(root / "build" / "imported" / "imported-solutions.ipynb", as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert "math.sqrt(16)" in code
    assert "for n in numbers:\n    total += n" in code
    assert not [source for source in code if re.search(r"^(>>>|\.\.\.|In \[\d+\]:|Out\[)", source, re.M)]
    run = run_pytest(root, "-rA", "slides")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "PASSED slides/imported.md::imported-solutions.ipynb" in run.stdout


def test_a_shown_snippet_that_is_not_python_yet_still_builds(sample_project, cli):
    """Code shown only, as an import writes it from a deck whose code never ran: the build writes
    the notebooks, and the snippet's own test says what is wrong with it."""
    root = sample_project("basic")
    (root / "snippets" / "basic" / "sketch.py").write_text("def f():\n    if x:\n        pass\n   return 1\n")
    deck = root / "slides" / "basic.md"
    deck.write_text(deck.read_text() + "\n---\n## A sketch\n\n{{ snippet(\"sketch\") }}\n")
    result = cli(root, "build")
    assert result.code == 0, result.stderr
    notebook = nbformat.read(root / "build" / "basic" / "basic.ipynb", as_version=4)
    assert any(cell.source.endswith("   return 1") for cell in notebook.cells if cell.cell_type == "code")
