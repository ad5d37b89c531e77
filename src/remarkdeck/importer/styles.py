"""The page's own CSS, for the imported deck: its ``<style>`` elements and the local stylesheets it
links (libraries such as KaTeX's left out), in page order, written as ``templates/styles/<deck>.css``,
which the build puts after the theme. Nothing is fetched: an ``@import`` and web fonts are left
out (and noted); pictures the CSS loads are copied, or replaced by placeholders, as the slides' are."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..config import read_text
from .media import CSS_URL, MediaPlan
from .source import DeckSource

LIBRARY_CSS = re.compile(r"(^|/)(katex|mathjax|highlight|hljs|remark|bootstrap|font-?awesome|normalize)[\w.-]*\.css$"
                         r"|\.min\.css$", re.I)
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)["']?\s*\)?[^;]*;""", re.I)
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
FONT_FAMILY = re.compile(r"(font-family\s*:\s*)([^;}]+?)(\s*(?:!important\s*)?[;}])", re.I)
GENERIC = re.compile(r"(^|,)\s*(serif|sans-serif|monospace|cursive|fantasy|system-ui|inherit|initial|unset|var\()", re.I)
MONO = re.compile(r"mono|code|courier|consol", re.I)
# The theme's fonts (bundled with every deck), after a family the page names: its web fonts are not kept
TEXT_FONTS = '"Source Sans 3", "Noto Emoji", "DejaVu Sans", sans-serif'
CODE_FONTS = '"DejaVu Mono", "DejaVu Sans Mono", monospace'


def page_styles(source: DeckSource, plan: MediaPlan) -> tuple[str, list[str]]:
    """The page's CSS with its URLs pointing at the imported files, and notes on what was left out."""
    parts, notes = [], []
    for href, text in source.styles:
        if not href:
            parts.append(("the page's <style>", _imported(text, "", plan, notes)))
            continue
        link = urlsplit(href)
        path = unquote(link.path)
        if link.scheme or link.netloc:
            notes.append(f"the page's stylesheet {href} is on the web: not fetched, its styles are not kept")
        elif not LIBRARY_CSS.search(path):
            file = source.base / path
            if file.is_file():
                parts.append((href, _imported(read_text(file), posixpath.dirname(path), plan, notes)))
            else:
                notes.append(f"the page's stylesheet {href} is not there: its styles are not kept")
    css = "\n".join(f"/* from {origin} */\n{text.strip()}\n" for origin, text in parts if text.strip())
    return css, notes


def _imported(css: str, folder: str, plan: MediaPlan, notes: list[str]) -> str:
    """``css`` (from ``folder``, relative to the page) with nothing loaded from the web."""
    def drop_import(found: re.Match) -> str:
        notes.append(f"the page's CSS imports {found.group(1)}: not fetched, left out (a font it named is "
                     "followed by the theme's)")
        return ""

    def drop_web_font(found: re.Match) -> str:
        sources = CSS_URL.findall(found.group(0))
        if all(plan.status(_joined(folder, url)) != "remote" for url in sources):
            return found.group(0)
        notes.append(f"a web font of the page's CSS ({', '.join(sources)}): not fetched, left out (the "
                     "theme's fonts follow the family it named)")
        return ""

    def local(found: re.Match) -> str:
        url = found.group(1)
        if plan.status(url) == "kept":
            return found.group(0)
        joined = _joined(folder, url)
        kind, target = plan.status(joined), plan.resolve(joined, None, "background picture")
        if kind != "copied":
            notes.append(f"{url}, loaded by the page's CSS ({'not found' if kind == 'missing' else 'on the web'}), "
                         f"replaced by the placeholder {target.removeprefix('../')}: put the real file there")
        return f'url("{target}")'

    css = IMPORT.sub(drop_import, css)
    css = FONT_FACE.sub(drop_web_font, css)
    css = FONT_FAMILY.sub(_with_fallback, css)
    return CSS_URL.sub(local, css)


def _with_fallback(found: re.Match) -> str:
    """A font-family the page names, with the theme's fonts after it (code ones for a code font)."""
    head, families, tail = found.groups()
    if GENERIC.search(families):
        return found.group(0)
    return f"{head}{families}, {CODE_FONTS if MONO.search(families) else TEXT_FONTS}{tail}"


def _joined(folder: str, url: str) -> str:
    """A URL of a stylesheet in ``folder`` as a URL relative to the page."""
    if urlsplit(url).scheme or urlsplit(url).netloc or not folder:
        return url
    return posixpath.normpath(posixpath.join(folder, url))
