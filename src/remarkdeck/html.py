"""HTML stage: a rendered deck written as ``<deck>/index.html`` with its theme, vendor files and
figures, and the ``index.html`` that lists every deck with the state of its snippets."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .assets import REMARK_SCRIPT, Assets
from .assets.contrast import HIGHLIGHTED_LINE
from .assets.remark_styles import highlight_styles, remark_stylesheet
from .config import DeckConfig, load_deck_source
from .errors import BuildError, Location
from .macros import macros_script
from .project import Project
from .render import RenderedDeck, template_environment
from .snippets.failures import DeckStatus, deck_status

SLIDE_HEIGHT = 681  # Remark's reference slide height in pixels, whatever the ratio
FORMULAS_ELEMENT = '<script type="application/json" id="remarkdeck-formulas">'
# What a stylesheet would fetch from the web: an @import or a url() with a scheme or "//"
WEB_CSS = re.compile(r"""(?:@import\s+(?:url\(\s*)?|url\(\s*)["']?((?:[a-z][a-z0-9+.-]*:)?//[^"')\s;]+)""", re.I)


def slide_size(config: DeckConfig) -> tuple[int, int]:
    """The reference slide size Remark lays slides out at: 16:9 gives 1210x681."""
    return int(SLIDE_HEIGHT * config.aspect), SLIDE_HEIGHT  # Remark rounds down too


def script_json(value: object) -> Markup:
    """JSON that is safe inside a <script>: no `</script>`, `<!--` or `]]>` can end or bend it."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def remark_options(deck: RenderedDeck) -> dict:
    config = deck.config
    return {
        "source": deck.markdown,
        "ratio": config.ratio,
        "highlightStyle": config.highlight_style,
        "highlightLines": True,
        # Remark would turn `text` between backticks in code into a highlighted span, losing the
        # backticks: code shows exactly what its snippet holds (lines are highlighted with highlight=)
        "highlightSpans": False,
        "countIncrementalSlides": config.count_incremental_slides,
        "slideNumberFormat": config.slide_number_format,
        "navigation": {"scroll": False},
    }


def shell_environment(project: Project) -> jinja2.Environment:
    """Templates for the page itself: HTML autoescaped, the package's own also as ``remarkdeck/…``."""
    env = template_environment(project, jinja2.PrefixLoader({"remarkdeck": jinja2.FileSystemLoader(
        Path(__file__).parent / "templates")}))
    env.autoescape = jinja2.select_autoescape(enabled_extensions=("html",), default=False)
    return env


def write_deck(project: Project, deck: RenderedDeck, assets: Assets, figures: dict[str, Path],
               target: Path) -> None:
    """Write one deck's folder: index.html, theme.css, macros.js, vendor/ and figures/."""
    env = shell_environment(project)
    width, height = slide_size(deck.config)
    variables = {"config": deck.config, "deck": deck.name, "slide_width": width, "slide_height": height,
                 "highlighted_line": HIGHLIGHTED_LINE}
    target.mkdir(parents=True)
    shell = env.get_template("deck.html")
    styles = highlight_styles(deck.config.highlight_style, deck.markdown)
    remark_styles = remark_stylesheet(assets.path(*REMARK_SCRIPT), styles)
    page = shell.render(remark_options=script_json(remark_options(deck)), formulas=script_json(deck.formulas),
                        remark_styles=Markup(remark_styles) if remark_styles else None, **variables)
    if deck.formulas and FORMULAS_ELEMENT + str(script_json(deck.formulas)) not in page:
        raise BuildError(f"the page template has no place for the deck's typeset formulas: add "
                         f"{FORMULAS_ELEMENT}{{{{ formulas }}}}</script> before the script that calls "
                         "remark.create(), as in remarkdeck's own deck.html", Location(Path(shell.filename)))
    (target / "index.html").write_text(page, encoding="utf-8")
    theme = env.get_template("theme.css")
    css = theme_css(project, deck.name, theme.render(**variables))
    if web := WEB_CSS.search(css):
        raise BuildError(f"'{web.group(1)}' is loaded from the web at presentation time: put the file in the "
                         "project (a picture under img/, a font beside the stylesheet) and refer to it by a "
                         "relative path", _css_location(project, deck.name, Path(theme.filename), web.group(1)))
    (target / "theme.css").write_text(css, encoding="utf-8")
    (target / "macros.js").write_text(macros_script(project, deck.name), encoding="utf-8")
    assets.copy_into(target / "vendor", deck.markdown, deck.formulas)
    for url, source in figures.items():
        (target / url).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / url)


def theme_css(project: Project, deck: str, theme: str) -> str:
    """The deck's stylesheet: the project's theme, then the deck's own CSS, if it has some
    (``templates/styles/<deck>.css``, as ``remarkdeck import`` writes it from the original page)."""
    own = deck_css(project, deck)
    if not own.is_file():
        return theme
    return f"{theme.rstrip()}\n\n/* {project.relative(own)} */\n{own.read_text(encoding='utf-8')}"


def deck_css(project: Project, deck: str) -> Path:
    return project.templates_dir / "styles" / f"{deck}.css"


def _css_location(project: Project, deck: str, theme: Path, url: str) -> Location:
    """Where a stylesheet of the deck writes ``url``: the deck's own CSS, else the theme."""
    for path in (deck_css(project, deck), theme):
        if path.is_file() and url in (text := path.read_text(encoding="utf-8")):
            return Location(path, text.count("\n", 0, text.index(url)) + 1)
    return Location(theme)


@dataclass
class DeckEntry:
    name: str
    config: DeckConfig
    downloads: list[tuple[str, str]]
    snippets: DeckStatus
    verified: str  # "code verified with numpy 2.4.6 on 2026-12-07", or that it is not
    title_shared: bool = False  # another deck has the same title: the index names each

    @property
    def title(self) -> str:
        return self.config.title or self.name


def write_index(project: Project, built: dict[str, DeckConfig], target: Path, leaving: list[Path] = ()) -> None:
    """``index.html`` listing every deck that is (or is about to be) in build/, with the
    downloads that exist (and are not about to be removed: ``leaving``), its snippets verified, known
    to fail (by reason) and shown only, the versions its code was verified with, and the version
    matrix if one ran. ``built``: the configs of the decks this build made; other decks already in
    build/ are read from their source."""
    from .matrix.verified import verified_line

    entries = []
    for name in project.deck_names():
        if name not in built and not (project.build_dir / name / "index.html").is_file():
            continue
        config = built[name] if name in built else load_deck_source(project.deck_path(name))[0]
        downloads = [(label, file) for label, file in
                     (("PDF", f"{name}.pdf"), ("handout PDF", f"{name}-handout.pdf"), ("single file", f"{name}.html"),
                      ("notebook", f"{name}/{name}.ipynb"), ("notebook with solutions", f"{name}/{name}-solutions.ipynb"))
                     if ((project.build_dir / file).is_file() and project.build_dir / file not in leaving)
                     or (target.parent / file).is_file()]
        entries.append(DeckEntry(name, config, downloads, deck_status(project, name), verified_line(project, name)))
    titles = Counter(entry.title for entry in entries)
    for entry in entries:
        entry.title_shared = titles[entry.title] > 1
    matrix = (project.build_dir / "matrix.html").is_file()
    page = shell_environment(project).get_template("index.html").render(decks=entries, matrix=matrix)
    target.write_text(page, encoding="utf-8")


def copy_images(project: Project, target: Path) -> None:
    """img/ as build/img/, so decks keep their ``../img/...`` paths."""
    if project.img_dir.is_dir():
        shutil.copytree(project.img_dir, target, ignore=shutil.ignore_patterns("README.md", ".*"))
    else:
        target.mkdir()
