"""Notebook stage: ``<deck>.ipynb`` (exercises to do) and ``<deck>-solutions.ipynb`` beside the deck's
``index.html``, so that pictures load from the same paths as on the slides. Nothing is run here.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

from ..config import load_deck_source
from ..project import Project
from ..render import RenderedDeck, render_deck
from ..snippets.files import SnippetLibrary
from .cells import Cell, deck_cells

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def notebook_names(deck: str) -> dict[bool, str]:
    """The file name of each notebook of a deck, by whether it holds the solutions."""
    return {False: f"{deck}.ipynb", True: f"{deck}-solutions.ipynb"}


def write_notebooks(project: Project, deck: RenderedDeck, target: Path) -> dict[bool, Path]:
    """Write both notebooks of a deck into ``target``; returns their paths."""
    library = SnippetLibrary(project.snippets_dir / deck.name, deck.name)
    written = {}
    for solutions, name in notebook_names(deck.name).items():
        notebook = deck_notebook(project, deck, library, solutions)
        nbformat.write(notebook, target / name)
        written[solutions] = target / name
    return written


def deck_notebook(project: Project, deck: RenderedDeck, library: SnippetLibrary,
                  solutions: bool) -> nbformat.NotebookNode:
    """The notebook of a deck, validated against the notebook format's schema."""
    notebook = v4.new_notebook()
    notebook.cells = [_cell(project, cell, f"{deck.name}-{index}") for index, cell in
                      enumerate(deck_cells(deck, library, solutions), start=1)]
    notebook.metadata.update(kernelspec=dict(KERNEL), language_info={"name": "python"})
    if deck.config.title:
        notebook.metadata["title"] = str(deck.config.title)
    if deck.config.author:
        notebook.metadata["authors"] = [{"name": str(deck.config.author)}]
    nbformat.validate(notebook)
    return notebook


def _cell(project: Project, cell: Cell, cell_id: str) -> nbformat.NotebookNode:
    # ids are fixed by position, so that the same deck gives the same file
    if cell.kind == "markdown":
        return v4.new_markdown_cell(cell.source, id=cell_id)
    metadata = {"remarkdeck": {"snippet": cell.snippet,
                               "slide": f"{project.relative(cell.slide.path)}:{cell.slide.line}"}}
    if cell.tags:
        metadata["tags"] = list(cell.tags)
    return v4.new_code_cell(cell.source, id=cell_id, metadata=metadata)


class _NotRun:
    """The ``Outputs`` of a deck rendered for its notebook alone: nothing runs, outputs are empty
    (the notebook prints them) and figures keep the names the build gives them."""

    def output(self, name: str) -> str:
        return ""

    def figure(self, name: str, index: int) -> str:
        return f"figures/{name}.png" if index == 1 else f"figures/{name}-{index}.png"


def render_for_notebook(project: Project, name: str) -> RenderedDeck:
    """A deck rendered as the build renders it, without running any snippet."""
    path = project.deck_path(name)
    config, body = load_deck_source(path)
    return render_deck(project, name, path, config, body, _NotRun())
