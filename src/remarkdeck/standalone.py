"""Single-file stage: ``<deck>.html``, a built deck with everything it loads inlined (Remark.js,
KaTeX and its fonts, the theme and web fonts, images as ``data:`` URIs), to mail or upload as one
file that opens from ``file://`` with no network."""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from dataclasses import replace
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Location
from .html import remark_options, script_json
from .logs import at
from .render import RenderedDeck
from .slides import fenced
from .syntax import HTML_COMMENT, PROPERTY_COMMENT
from .validate import CSS_URL, LOADED_ATTRIBUTE, LOADING_TAG

log = logging.getLogger(__name__)
LINKED_STYLE = re.compile(r"""<link\b[^>]*?\brel=["']?stylesheet["']?[^>]*>""", re.I)
LINKED_SCRIPT = re.compile(r"""<script\b([^>]*?)\bsrc=["']?([^"'\s>]+)["']?([^>]*)>\s*</script>""", re.I)
HREF = re.compile(r"""\bhref=["']?([^"'\s>]+)""", re.I)
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)", re.M)
# Remark reads `<!-- name: value -->` as a slide property: those comments stay, the others go
# (Remark's converter loads images even from inside comments).
FONT_SOURCES = re.compile(r"(\bsrc\s*:)([^;}]+)")
FONT_SOURCE = re.compile(r"""(?:url|local)\([^)]*\)(?:\s*format\([^)]*\))?""")
TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


def write_standalone(deck: RenderedDeck, deck_dir: Path, target: Path) -> int:
    """Write ``target`` from the deck's built folder ``deck_dir`` (whose ``../img`` is the build's);
    returns its size in bytes."""
    index = deck_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    built = str(script_json(remark_options(deck)))
    if page.count(built) != 1:
        raise BuildError("cannot find the slides in the page to inline them: does the deck template "
                         "pass remark_options to remark.create()?", Location(index))
    inliner = Inliner(deck_dir)
    inlined = replace(deck, markdown=inliner.markdown(deck.markdown))
    page = page.replace(built, str(script_json(remark_options(inlined))))
    page = LINKED_STYLE.sub(inliner.style_tag, page)
    page = LINKED_SCRIPT.sub(inliner.script_tag, page)
    for url in sorted(inliner.missing):
        log.warning(f"the single file {target.name} still refers to '{url}', which the build does not have",
                    extra=at(Location(deck.path)))
    return target.write_bytes(page.encode("utf-8"))


class Inliner:
    """Replaces references to the build's files, relative to ``base``, by the files' contents."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base.parent.resolve()
        self.missing: set[str] = set()

    def markdown(self, markdown: str) -> str:
        """The deck's Markdown with its images inlined; fenced code is left as written."""
        return "".join(chunk if code else self.markdown_text(chunk) for code, chunk in _fenced(markdown))

    def markdown_text(self, text: str) -> str:
        text = HTML_COMMENT.sub(lambda found: found.group(0) if PROPERTY_COMMENT.fullmatch(found.group(0)) else "", text)
        for pattern, group in ((MARKDOWN_IMAGE, 1), (REFERENCE, 1), (CSS_URL, 1)):
            text = _substitute_group(pattern, group, text, self.deck_file)
        # every src and poster of a tag (a video's poster too)
        return LOADING_TAG.sub(lambda tag: _substitute_group(LOADED_ATTRIBUTE, 2, tag.group(0), self.deck_file), text)

    def deck_file(self, url: str) -> str:
        """A URL of the deck's Markdown, inlined."""
        return self.data_uri(self.base, url)

    def stylesheet(self, css: str, base: Path) -> str:
        """A stylesheet with its url()s inlined; font sources whose file the build lacks are dropped."""
        css = FONT_SOURCES.sub(lambda found: found.group(1) + self._font_sources(found.group(2), base), css)
        return _substitute_group(CSS_URL, 1, css, lambda url: self.data_uri(base, url))

    def _font_sources(self, sources: str, base: Path) -> str:
        listed = FONT_SOURCE.findall(sources)
        kept = [source for source in listed if not source.startswith("url(")
                or self.available(base, CSS_URL.match(source).group(1))]
        return " " + ", ".join(kept) if kept else sources

    def available(self, base: Path, url: str) -> bool:
        path = self.build_file(base, url)
        return path is None or path.is_file()

    def style_tag(self, found: re.Match) -> str:
        href = HREF.search(found.group(0))
        path = self.existing_file(self.base, href.group(1)) if href else None
        if path is None:
            return found.group(0)
        css = self.stylesheet(path.read_text(encoding="utf-8"), path.parent)
        return "<style>\n" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.I) + "\n</style>"

    def script_tag(self, found: re.Match) -> str:
        path = self.existing_file(self.base, found.group(2))
        if path is None:
            return found.group(0)
        script = path.read_text(encoding="utf-8")
        # Neither may appear raw inside <script>: `</script` ends it, `<!--` can make the parser
        # skip the real end tag. Escaped, both mean the same to JavaScript (in strings and regexes).
        script = re.sub(r"</(script)", r"<\\/\1", script, flags=re.I).replace("<!--", "<\\!--")
        return f"<script{found.group(1).rstrip()}{found.group(3)}>\n{script}\n</script>"

    def data_uri(self, base: Path, url: str) -> str:
        path = self.existing_file(base, url)
        if path is None:
            return url
        kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    def existing_file(self, base: Path, url: str) -> Path | None:
        """The build file ``url`` names, if the build has it (else it is noted as missing)."""
        path = self.build_file(base, url)
        if path is not None and not path.is_file():
            self.missing.add(url)
            return None
        return path

    def build_file(self, base: Path, url: str) -> Path | None:
        """The file of the build ``url`` names, present or not; None for a web or data: URL, an
        anchor, or a path that leaves the build."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = (base / unquote(parts.path)).resolve()
        return path if path.is_relative_to(self.root) else None


def _substitute_group(pattern: re.Pattern, group: int, text: str, replace_url) -> str:
    """``text`` with each match's ``group`` (a URL) replaced by ``replace_url(URL)``."""
    def substitute(found: re.Match) -> str:
        whole = found.group(0)
        start, end = found.start(group) - found.start(0), found.end(group) - found.start(0)
        return whole[:start] + replace_url(found.group(group)) + whole[end:]

    return pattern.sub(substitute, text)


def _fenced(markdown: str) -> list[tuple[bool, str]]:
    """The Markdown in chunks, each (is fenced code, text), that join back into it."""
    return [(code, "".join(line for _, line in lines))
            for code, lines in groupby(fenced(markdown.splitlines(keepends=True)), key=itemgetter(0))]
