"""``remarkdeck init``: a new lecture project, written from the files in ``scaffold/``.

Files ending in ``.jinja`` are rendered with Jinja (the deck's own ``{{ }}`` stay inside
``{% raw %}``); ``__deck__`` in a path becomes the deck name and a leading ``dot-`` a dot, so the
scaffold keeps no hidden files that packaging could drop.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2

from . import __version__
from .errors import DeckError, DeckErrors, Location

SCAFFOLD = Path(__file__).parent / "scaffold"
DECK_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass
class NewProject:
    root: Path
    deck: str
    files: list[Path]
    requirement: str


def init_project(root: Path, deck: str | None = None, title: str | None = None) -> NewProject:
    """Write a new lecture project into ``root``; writes nothing if any of its files exists."""
    deck = deck or _slug(root.resolve().name)
    if not DECK_NAME.fullmatch(deck):
        raise DeckError(f"'{deck}' cannot name a deck: use lowercase letters, digits, '-' and '_' "
                        "(for example --deck intro-ml)")
    requirement = remarkdeck_requirement()
    variables = {"deck": deck, "title": title or _title(deck), "remarkdeck_requirement": requirement}
    files = {root / target: content for target, content in scaffold_files(variables)}
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing:
        raise DeckErrors([DeckError("exists already: remarkdeck init never overwrites a file; choose a new "
                                    "folder, or move this file away", Location(path)) for path in existing])
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return NewProject(root, deck, sorted(files), requirement)


def scaffold_files(variables: dict) -> list[tuple[Path, str]]:
    """(path inside the new project, content) for every scaffold file."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SCAFFOLD), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    files = []
    for source in sorted(SCAFFOLD.rglob("*")):
        relative = source.relative_to(SCAFFOLD)
        if not source.is_file() or "__pycache__" in relative.parts:
            continue
        if source.suffix == ".jinja":
            content = env.get_template(relative.as_posix()).render(variables)
            relative = relative.with_suffix("")
        else:
            content = source.read_text(encoding="utf-8")
        files.append((_target(relative, variables["deck"]), content))
    return files


def _target(relative: Path, deck: str) -> Path:
    parts = [part.replace("__deck__", deck) for part in relative.parts]
    return Path(*(("." + part[4:]) if part.startswith("dot-") else part for part in parts))


def remarkdeck_requirement() -> str:
    """The requirement that installs this very remarkdeck: from where it was installed (PEP 610's
    ``direct_url.json``: a wheel, a folder, a repository), else its version from the package index."""
    try:
        direct = metadata.distribution("remarkdeck").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if not direct:
        return f"remarkdeck=={__version__}"
    origin = json.loads(direct)
    url = origin["url"]
    vcs = origin.get("vcs_info")
    if vcs:
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        url = f"{vcs['vcs']}+{url}" + (f"@{revision}" if revision else "")
    return f"remarkdeck @ {url}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_") or "lecture"


def _title(deck: str) -> str:
    return re.sub(r"[-_]+", " ", deck).strip().capitalize()
