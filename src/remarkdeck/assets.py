"""Run-time assets every deck gets beside it: Remark.js, KaTeX and the fonts, from node_modules.

They come from the npm packages pinned in package-lock.json (``npm ci``), so a deck opened from
``file://`` needs no network.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .project import Project

# (package, file inside the package, where it goes under vendor/)
FILES = (
    ("remark-slide", "out/remark.min.js", "remark.min.js"),
    ("katex", "dist/katex.min.js", "katex/katex.min.js"),
    ("katex", "dist/katex.min.css", "katex/katex.min.css"),
    ("katex", "dist/contrib/auto-render.min.js", "katex/contrib/auto-render.min.js"),
)
KATEX_FONTS = ("katex", "dist/fonts", "katex/fonts", "*.woff2")
FONT_STYLES = (
    ("@fontsource/source-sans-3", ("latin-400", "latin-400-italic", "latin-600", "latin-700",
                                   "latin-ext-400", "latin-ext-600", "latin-ext-700")),
    # DejaVu Mono has the box-drawing characters of tables that programs print (model.summary())
    ("@fontsource/dejavu-mono", ("latin-400", "latin-700")),
    ("@fontsource/noto-emoji", ("400",)),  # so 🐍 is a snake on every machine, not a box
)
FONT_URL = re.compile(r"url\(\./files/([^)]+)\)")
WOFF_FALLBACK = re.compile(r",\s*url\(\./files/[^)]+\.woff\)\s*format\('woff'\)")


@dataclass(frozen=True)
class Assets:
    """Where the npm packages are, checked once per build."""

    node_modules: Path

    @classmethod
    def locate(cls, project: Project) -> "Assets":
        assets = cls(project.node_modules)
        missing = [package for package, *_ in FILES if not (assets.node_modules / package).is_dir()]
        missing += [package for package, _ in FONT_STYLES if not (assets.node_modules / package).is_dir()]
        if missing:
            raise BuildError(
                f"npm packages missing from {assets.node_modules}: {', '.join(sorted(set(missing)))}; "
                "run `npm ci` in the project folder (or `make slides`, which does it)"
            )
        return assets

    def copy_into(self, vendor: Path) -> None:
        """Write vendor/: scripts, KaTeX with its fonts, and fonts.css with the web fonts."""
        for package, source, target in FILES:
            _copy(self.node_modules / package / source, vendor / target)
        package, folder, target, pattern = KATEX_FONTS
        for font in sorted((self.node_modules / package / folder).glob(pattern)):
            _copy(font, vendor / target / font.name)
        (vendor / "fonts.css").write_text(self._font_faces(vendor / "fonts"), encoding="utf-8")

    def _font_faces(self, fonts: Path) -> str:
        """One stylesheet of @font-face rules pointing at local woff2 files."""
        rules = []
        for package, styles in FONT_STYLES:
            for style in styles:
                css = (self.node_modules / package / f"{style}.css").read_text(encoding="utf-8")
                css = WOFF_FALLBACK.sub("", css)
                for file in FONT_URL.findall(css):
                    _copy(self.node_modules / package / "files" / file, fonts / file)
                rules.append(FONT_URL.sub(r"url(fonts/\1)", css))
        return "\n".join(rules)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
