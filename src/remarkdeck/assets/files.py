"""Which files of which npm packages a deck needs at run time: Remark.js, KaTeX and the web fonts.

Standard library only: ``setup.py`` loads this file on its own to bundle the same files into the
wheel and the sdist, and ``assets.py`` uses it to find them at build time.
"""

from __future__ import annotations

import re
from pathlib import Path

# (package, files inside it): package.json gives the version, the rest is copied into decks,
# except katex.min.js, which the build runs to typeset formulas.
PACKAGE_FILES = (
    ("remark-slide", ("package.json", "out/remark.min.js")),
    ("katex", ("package.json", "dist/katex.min.js", "dist/katex.min.css", "dist/fonts/*.woff2")),
)
# (package, stylesheets): each stylesheet's woff2 files come along; the woff fallbacks do not.
FONT_STYLES = (
    ("@fontsource/source-sans-3", ("latin-400", "latin-400-italic", "latin-600", "latin-700",
                                   "latin-ext-400", "latin-ext-600", "latin-ext-700")),
    # DejaVu Mono has the box-drawing characters of tables that programs print (model.summary())
    ("@fontsource/dejavu-mono", ("latin-400", "latin-700")),
    ("@fontsource/noto-emoji", ("400",)),  # so 🐍 is a snake on every machine, not a box
)
WOFF2_URL = re.compile(r"url\(\./(files/[^)]+\.woff2)\)")
PACKAGES = tuple(package for package, _ in PACKAGE_FILES + FONT_STYLES)


def missing_packages(root: Path) -> list[str]:
    """The packages (or their package.json) absent from ``root``, a node_modules-shaped folder."""
    return [package for package in PACKAGES if not (root / package / "package.json").is_file()]


def asset_files(root: Path) -> list[str]:
    """Every file, relative to ``root``, that decks need: what :func:`bundle` copies."""
    files = []
    for package, patterns in PACKAGE_FILES:
        for pattern in patterns:
            found = sorted((root / package).glob(pattern))
            if not found:
                raise FileNotFoundError(f"{root / package / pattern} is missing")
            files += [str(path.relative_to(root)) for path in found]
    for package, styles in FONT_STYLES:
        files.append(f"{package}/package.json")
        for style in styles:
            css = (root / package / f"{style}.css").read_text(encoding="utf-8")
            files.append(f"{package}/{style}.css")
            files += [f"{package}/{font}" for font in WOFF2_URL.findall(css)]
        files += sorted({f"{package}/{combined_style(style)}.css" for style in styles} - set(files))
    return files


def combined_style(style: str) -> str:
    """The package's stylesheet of every subset, with their unicode-ranges, for one subset's style:
    ``latin-ext-400`` -> ``400``, ``latin-400-italic`` -> ``400-italic``."""
    return re.sub(r"^[a-z-]*?-(?=\d)", "", style)


def bundle(root: Path, target: Path) -> int:
    """Copy the files decks need from ``root`` into ``target`` (same layout); returns the bytes copied."""
    copied = 0
    for relative in asset_files(root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes((root / relative).read_bytes())
        copied += destination.stat().st_size
    return copied
