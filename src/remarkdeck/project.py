"""Where a lecture project keeps things: slides/, snippets/, templates/, img/, build/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DeckError, Location

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The nearest folder at or above ``start`` that has a ``slides/`` folder."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "slides").is_dir():
                return cls(folder)
        raise DeckError(
            f"no slides/ folder in {here} or above it: run remarkdeck inside a lecture project "
            "(a folder with slides/<deck>.md) or pass --root"
        )

    @property
    def slides_dir(self) -> Path:
        return self.root / "slides"

    @property
    def snippets_dir(self) -> Path:
        return self.root / "snippets"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def img_dir(self) -> Path:
        return self.root / "img"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / ".cache"

    def deck_names(self) -> list[str]:
        return sorted(path.stem for path in self.slides_dir.glob("*.md"))

    def deck_path(self, name: str) -> Path:
        path = self.slides_dir / f"{name}.md"
        if not path.is_file():
            known = ", ".join(self.deck_names()) or "none"
            raise DeckError(
                f"no deck named '{name}': expected {path.relative_to(self.root)} (decks here: {known})",
                Location(self.slides_dir),
            )
        return path

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
