"""``remarkdeck build``: every deck from source to ``build/<deck>/index.html``, in one straight line.

load config -> render Jinja (running snippets whose output slides show) -> validate Markdown ->
typeset formulas -> write HTML and assets -> write the notebooks -> swap the new build in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assets import Assets
from .config import load_deck_source
from .errors import DeckError, Location
from .formulas import typeset_formulas
from .html import copy_images, write_deck, write_index
from .katex import KaTeX
from .logs import at, collected_warnings, fail_on_warnings
from .notebook import write_notebooks
from .project import Project
from .render import RenderedDeck, render_deck
from .slides import Slide, slide_numbers, visible_slides
from .snippets.files import PRELUDE, SnippetLibrary
from .snippets.outputs import SnippetOutputs
from .snippets.runner import SnippetRunner
from .staging import staged_build
from .standalone import write_standalone
from .validate import validate_deck

log = logging.getLogger(__name__)

@dataclass
class BuiltDeck:
    name: str
    deck: RenderedDeck
    slides: list[Slide]

    @property
    def slide_count(self) -> int:
        return len(visible_slides(self.slides))

    @property
    def last_number(self) -> int:
        numbers = slide_numbers(self.slides, self.deck.config.count_incremental_slides)
        return numbers[-1] if numbers else 0


@dataclass
class BuildReport:
    decks: list[BuiltDeck] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    typeset: int = 0  # formulas KaTeX typeset (the others came from the cache)
    seconds: float = 0.0


def build(project: Project, names: list[str] | None = None, force: bool = False, say=print,
          standalone: bool = False, strict: bool = False) -> BuildReport:
    """Build the named decks (all decks if none); raises DeckError, leaving build/ as it was.
    ``standalone`` also writes each deck as one self-contained file, ``build/<deck>.html``;
    ``strict`` makes any warning an error (StrictError), raised before the new build is swapped in."""
    started = time.perf_counter()
    names = list(names or project.deck_names())
    if not names:
        raise DeckError("no decks to build: write one as slides/<name>.md", Location(project.slides_dir))
    paths = [project.deck_path(name) for name in names]
    assets = Assets.locate(project)
    report = BuildReport()
    with collected_warnings() as warnings, SnippetRunner() as runner, \
            KaTeX.for_project(assets, project.cache_dir) as katex, staged_build(project.build_dir, say) as staging:
        for name, path in zip(names, paths):
            built, ran = build_deck(project, name, path, assets, runner, katex, staging, force, say)
            report.decks.append(built)
            report.ran += [f"{name}/{snippet}" for snippet in ran]
        report.typeset = katex.typeset_count
        copy_images(project, staging / "img")
        if standalone:
            for built in report.decks:
                size = write_standalone(built.deck, staging / built.name, staging / f"{built.name}.html")
                say(f"wrote {project.relative(project.build_dir / f'{built.name}.html')}: "
                    f"the deck as one file ({size / 1e6:.1f} MB)")
        stale = [path for built in report.decks for path in stale_products(project, built.name, staging, standalone)]
        write_index(project, {d.name: d.deck.config for d in report.decks}, staging / "index.html", leaving=stale)
        fail_on_warnings(warnings, strict, kept="build/ is left as it was")
    for path in stale:
        path.unlink(missing_ok=True)
        say(f"removed {project.relative(path)}: it was made from the previous version of the deck")
    report.seconds = time.perf_counter() - started
    return report


def stale_products(project: Project, name: str, staging: Path, standalone: bool) -> list[Path]:
    """Files made from a deck's previous build that the new build makes wrong: its PDFs, if the deck's
    page or theme changed; its single file, unless this build writes it anew."""
    stale = []
    if not _same_files(project.build_dir / name, staging / name, ("index.html", "theme.css")):
        stale += [project.build_dir / f"{name}.pdf", project.build_dir / f"{name}-handout.pdf"]
    if not standalone:
        stale.append(project.build_dir / f"{name}.html")
    return [path for path in stale if path.exists()]


def _same_files(old: Path, new: Path, names: tuple[str, ...]) -> bool:
    try:
        return all((old / n).read_bytes() == (new / n).read_bytes() for n in names)
    except OSError:
        return False


def build_deck(project: Project, name: str, path: Path, assets: Assets, runner: SnippetRunner, katex: KaTeX,
               staging: Path, force: bool, say) -> tuple[BuiltDeck, list[str]]:
    config, body = load_deck_source(path)
    outputs = SnippetOutputs(project, name, runner, force=force, progress=say)
    deck = render_deck(project, name, path, config, body, outputs)
    slides = validate_deck(project, deck)
    warn_unused_snippets(project, deck)
    typeset = typeset_formulas(project, deck, katex)
    write_deck(project, typeset, assets, outputs.figure_files, staging / name)
    write_notebooks(project, deck, staging / name)  # from the formulas as written: Jupyter typesets them
    return BuiltDeck(name, typeset, slides), outputs.ran


def warn_unused_snippets(project: Project, deck: RenderedDeck) -> None:
    """Snippets no slide shows, and that no shown snippet requires, are probably forgotten."""
    library = SnippetLibrary(project.snippets_dir / deck.name, deck.name)
    needed = {PRELUDE} | set(deck.used_snippets)
    for name in deck.used_snippets:
        needed.update(s.name for s in library.chain(name))
    for name in library.names():
        if name not in needed:
            log.warning(f"snippet '{name}' is not used by any slide of {project.relative(deck.path)}: "
                        f"show it with {{{{ snippet(\"{name}\") }}}} or delete it",
                        extra=at(Location(library.get(name).path)))
