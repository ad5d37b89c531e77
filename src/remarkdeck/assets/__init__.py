"""Run-time assets every deck gets beside it: Remark.js, KaTeX's stylesheet and the fonts.

They come from the npm packages pinned in package-lock.json: the project's own ``node_modules``
(after ``npm ci``), else ``$REMARKDECK_NODE_MODULES``, else the copy bundled in the installed
remarkdeck wheel, else the node_modules of the remarkdeck source tree (an editable install). A
deck opened from ``file://`` needs no network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from ..project import Project
from .files import FONT_STYLES, combined_style, missing_packages
from .fonts import (
    covered_code_points,
    faces_for_code_points,
    katex_faces_for_formulas,
    referenced_files,
    with_unicode_ranges,
)

BUNDLED = Path(__file__).parents[1] / "_assets"
CHECKOUT = Path(__file__).parents[3] / "node_modules"  # remarkdeck run from its source tree (editable)
# (package, file inside the package, where it goes under vendor/). KaTeX's script is not among
# them: formulas are typeset when the deck is built (formulas.py), pages only style them.
REMARK_SCRIPT = ("remark-slide", "out/remark.min.js")
FILES = (
    (*REMARK_SCRIPT, "remark.min.js"),
)
KATEX_CSS = ("katex", "dist/katex.min.css", "katex/katex.min.css")
KATEX_FONTS = ("katex", "dist/fonts", "katex/fonts", "*.woff2")
FONT_URL = re.compile(r"url\(\./files/([^)]+)\)")
WOFF_FALLBACK = re.compile(r",\s*url\(\./files/[^)]+\.woff\)\s*format\('woff'\)")


@dataclass(frozen=True)
class Assets:
    """Where the npm packages are (a node_modules-shaped folder), checked once per build."""

    root: Path

    @classmethod
    def locate(cls, project: Project) -> "Assets":
        candidates = [project.root / "node_modules"]
        if os.environ.get("REMARKDECK_NODE_MODULES"):
            candidates.append(Path(os.environ["REMARKDECK_NODE_MODULES"]))
        candidates += [BUNDLED, CHECKOUT]
        for root in candidates:
            if not missing_packages(root):
                return cls(root)
        own = candidates[0]
        missing = missing_packages(own) if own.is_dir() else []
        what = f"npm packages missing from {own}: {', '.join(missing)}" if missing else \
            "Remark.js, KaTeX and the fonts are not installed"
        raise BuildError(
            f"{what}; run `npm ci` in the project folder, or install remarkdeck from its wheel "
            "(`pip install remarkdeck`), which carries them"
        )

    def path(self, package: str, relative: str) -> Path:
        """A file of an npm package, e.g. ``assets.path("katex", "dist/katex.min.js")``."""
        return self.root / package / relative

    def version(self, package: str) -> str:
        return json.loads(self.path(package, "package.json").read_text(encoding="utf-8"))["version"]

    def copy_into(self, vendor: Path, text: str, formulas: list[str]) -> None:
        """Write vendor/: Remark, KaTeX's stylesheet with the fonts of the families ``formulas`` (their
        typeset HTML) use, and fonts.css with the web fonts whose characters ``text`` uses."""
        for package, source, target in FILES:
            _copy(self.path(package, source), vendor / target)
        package, source, target = KATEX_CSS
        katex_css = katex_faces_for_formulas(self.path(package, source).read_text(encoding="utf-8"), formulas)
        _write(vendor / target, katex_css)
        package, folder, target, pattern = KATEX_FONTS
        wanted = referenced_files(katex_css)
        for font in sorted(self.path(package, folder).glob(pattern)):
            if font.name in wanted:
                _copy(font, vendor / target / font.name)
        _write(vendor / "fonts.css", self._font_faces(vendor / "fonts", text))

    def _font_faces(self, fonts: Path, text: str) -> str:
        """One stylesheet of @font-face rules pointing at local woff2 files, for the characters of
        ``text``. The fonts come in the order the theme names them: a character that an earlier
        font's faces cover (by their unicode-range) never reaches a later one, so a later font's
        face that only such characters would need is left out (the digits in Noto Emoji's
        keycap subset are Source Sans 3's)."""
        rules, wanted = [], {ord(char) for char in text}
        for package, styles in FONT_STYLES:
            faces = []
            for style in styles:
                css = self.path(package, f"{style}.css").read_text(encoding="utf-8")
                combined = self.path(package, f"{combined_style(style)}.css").read_text(encoding="utf-8")
                faces.append(faces_for_code_points(WOFF_FALLBACK.sub("", with_unicode_ranges(css, combined)), wanted))
            for css in faces:
                for file in FONT_URL.findall(css):
                    _copy(self.path(package, f"files/{file}"), fonts / file)
                rules.append(FONT_URL.sub(r"url(fonts/\1)", css).strip())
            wanted -= covered_code_points("\n".join(faces), wanted)
        return "\n".join(rule for rule in rules if rule) + "\n"


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
