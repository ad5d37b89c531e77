"""Remark's own stylesheet, written into the page when the deck is built.

On ``remark.create()``, Remark styles the document unless a ``<style title="remark">`` is already
there: it makes one from its layout rules, then appends each of its 76 highlight.js themes to the
element's text, one by one, so the browser parses a growing stylesheet 76 times (about 0.15 s of
the lecture's 0.9 s page load, and more on a slower machine). The build writes that element
itself, with the layout rules and the themes the deck uses (its own, and any a slide asks for
with ``highlight-style:``), read from the same ``remark.min.js``: the page looks the same, and
Remark finds it styled. The highlight themes' colours are made readable on their code panels first
(contrast.py).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from .contrast import readable_theme

_STRING = r'"(?:[^"\\\n]|\\.)*"'
STRING = re.compile(_STRING)
LAYOUT, THEMES = "documentStyles:", "exports={styles:{"  # in the bundle's `resources` and `highlighter`
SLIDE_STYLE = re.compile(r"^highlight-style:[ \t]*(\S+)[ \t]*$", re.M)  # a slide's own, as a property
THEME = re.compile(r"\s*([A-Za-z_$][\w$]*|" + _STRING + r"):(" + _STRING + r")\s*([,}])")


def remark_stylesheet(script: Path, highlight_styles: list[str]) -> str | None:
    """The text of the ``<style title="remark">`` Remark would make for slides in
    ``highlight_styles``, or None when ``script`` is not laid out as the Remark it was written for
    (the page then lets Remark style itself, as it always could)."""
    parts = _read(script.resolve(), script.stat().st_mtime_ns)
    if parts is None:
        return None
    layout, themes = parts
    return layout + "".join(readable_theme(name, themes[name]) for name in dict.fromkeys(highlight_styles)
                            if name in themes)


def highlight_styles(default: str, markdown: str) -> list[str]:
    """The deck's highlight style, then those its slides ask for (``highlight-style: NAME``)."""
    return [default, *SLIDE_STYLE.findall(markdown)]


@functools.lru_cache(maxsize=4)
def _read(script: Path, _modified: int) -> tuple[str, dict[str, str]] | None:
    """(Remark's layout rules, its highlight themes by name) from ``remark.min.js``."""
    source = script.read_text(encoding="utf-8")
    layout, start = source.find(LAYOUT), source.find(THEMES)
    layout = STRING.match(source, layout + len(LAYOUT)) if layout >= 0 else None
    if not layout or start < 0:
        return None
    themes, position = {}, start + len(THEMES)
    while found := THEME.match(source, position):
        name, css, after = found.groups()
        themes[json.loads(name) if name.startswith('"') else name] = _literal(css)
        position = found.end()
        if after == "}":
            break
    else:
        return None
    sheets = [_literal(layout.group()), *themes.values()]
    if None in sheets or any("</" in sheet for sheet in sheets):
        return None
    return sheets[0], themes


def _literal(text: str) -> str | None:
    """A JavaScript string literal's value, when it is also valid JSON (Remark's are)."""
    try:
        return json.loads(text)
    except ValueError:
        return None
