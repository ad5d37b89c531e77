"""The lecture's notebooks, as `remarkdeck build` writes them (the plugin's ``slides/intro-ml.md``
item runs the solutions one)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from test_notebook import remark_syntax

from remarkdeck.notebook import deck_notebook, render_for_notebook
from remarkdeck.project import Project
from remarkdeck.slides import split_slides, visible_slides
from remarkdeck.snippets.files import SnippetLibrary

REPO = Path(__file__).resolve().parents[2]
DECK = "intro-ml"


@pytest.fixture(scope="module")
def notebooks():
    project = Project(REPO)
    deck = render_for_notebook(project, DECK)
    library = SnippetLibrary(project.snippets_dir / DECK, DECK)
    return {solutions: deck_notebook(project, deck, library, solutions) for solutions in (False, True)}


def visible_code(notebook) -> list[str]:
    return [cell.metadata["remarkdeck"]["snippet"] for cell in notebook.cells
            if cell.cell_type == "code" and "remove-input" not in cell.metadata.get("tags", [])]


def test_notebooks_are_valid_and_name_the_lecture(notebooks):
    for notebook in notebooks.values():
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3"
        assert notebook.metadata.title == "Introduction to machine learning"
        assert notebook.metadata.authors == [{"name": "Alexandre Boucaud"}]


def test_every_python_snippet_shown_is_in_the_notebook_once(notebooks):
    source = (REPO / "slides" / f"{DECK}.md").read_text()
    shown = {name for slide in visible_slides(split_slides(source))
             for name in re.findall(r'snippet\("(\w+)"', slide.content)}
    for notebook in notebooks.values():
        written = Counter(visible_code(notebook))
        assert shown <= set(written)
        assert max(written.values()) == 1
        assert visible_code(notebook)[0] == "prelude"


def test_markdown_cells_hold_no_remark_syntax(notebooks):
    for notebook in notebooks.values():
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert remark_syntax(cell.source) == [], cell.source


def test_setup_regions_run_hidden(notebooks):
    hidden = [cell.metadata["remarkdeck"]["snippet"] for cell in notebooks[False].cells
              if "remove-input" in cell.metadata.get("tags", [])]
    assert hidden == ["mlp_summary", "data", "training_loss", "classif_data"]


def test_students_solve_three_exercises_the_solutions_notebook_answers(notebooks):
    def exercises(notebook):
        return [cell.metadata["remarkdeck"]["snippet"] for cell in notebook.cells
                if cell.cell_type == "code" and "raise NotImplementedError" in cell.source]

    assert exercises(notebooks[False]) == ["tp_classifier", "tp_activations", "tp_early_stopping"]
    assert exercises(notebooks[True]) == []
    assert sum(cell.source.count("# your code here") for cell in notebooks[False].cells if cell.cell_type == "code") == 3
