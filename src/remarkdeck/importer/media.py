"""Pictures, videos and sounds of an imported deck: local files copied to ``img/<deck>/`` and their
paths rewritten; missing or remote ones replaced by a labelled placeholder picture (this tool
never fetches from the web); an embedded web page becomes a placeholder that links to it."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..syntax import CODE_SPAN, HTML_COMMENT, PROPERTY_COMMENT
from .code import prose_tokens
from .edits import Edit
from .lexer import RemarkSlide, Token

MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\[([^\]]+)\]")
MEDIA_ELEMENT = re.compile(r"<(video|audio)\b[^>]*>.*?</\1\s*>", re.I | re.S)
IFRAME = re.compile(r"<iframe\b[^>]*>(?:.*?</iframe\s*>)?", re.I | re.S)
TAG = re.compile(r"<(img|source|embed|video|audio|input)\b[^>]*>", re.I)
# src="..." or poster='...' (a quoted value may hold spaces), or an unquoted value; group 3: the URL
SOURCE_ATTRIBUTE = re.compile(r"""\s(src|poster)\s*=\s*(["'])?((?(2)[^"'>]+|[^"'\s>]+))(?(2)\2)""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""", re.I)
STYLE_PLACES = re.compile(r"<[^>]*>|^background-image:.*$|<!--\s*background-image:.*?-->", re.I | re.M)
SIZE_ATTRIBUTE = re.compile(r"""\s(width|height|class|style)\s*=\s*(["'])(.*?)\2""", re.I)
INLINE_CODE = re.compile(r"`[^`]+?`")
UNDESCRIBED_IMAGE = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]+)>?")  # ![](url): no alternative text
ALT_ATTRIBUTE = re.compile(r"""\s(?:alt|aria-label|aria-labelledby)\s*=""", re.I)
MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".mp4", ".webm", ".ogg",
                  ".ogv", ".mov", ".mp3", ".wav", ".m4a", ".pdf"}
FOLDERS_DROPPED = {"img", "imgs", "image", "images", "figures", "figs", "media", "assets", "static"}


@dataclass
class MediaChange:
    slide: int
    original: str
    kind: str  # copied, missing, remote, embedded page
    target: str  # the project path now used


@dataclass
class MediaPlan:
    deck: str
    base: Path
    copies: dict[str, Path] = field(default_factory=dict)  # project path -> source file
    placeholders: dict[str, str] = field(default_factory=dict)  # project path -> label
    changes: list[MediaChange] = field(default_factory=list)
    undescribed: list[tuple[int, str]] = field(default_factory=list)  # (slide, picture) without alt text
    _urls: dict[str, tuple[str, str]] = field(default_factory=dict)

    def resolve(self, url: str, slide: int | None, what: str = "picture") -> str:
        """The URL the imported deck uses for ``url``; records the copy or placeholder, and the
        change on ``slide`` (None: used by no slide, the caller reports it)."""
        if url not in self._urls:
            self._urls[url] = self._place(url, what)
        kind, target = self._urls[url]
        if kind != "kept" and slide is not None:
            self.changes.append(MediaChange(slide, url, kind, target))
        return "../" + target if kind != "kept" else url

    def status(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "mailto") or url.startswith("#"):
            return "kept"
        if parts.scheme or parts.netloc:
            return "remote"
        return "copied" if self._local(url) is not None else "missing"

    def _local(self, url: str) -> Path | None:
        path = unquote(urlsplit(url).path)
        if not path or path.startswith("/"):
            return None
        file = (self.base / path).resolve()
        return file if file.is_file() else None

    def _place(self, url: str, what: str) -> tuple[str, str]:
        kind = self.status(url)
        if kind == "kept":
            return kind, url
        if kind == "copied":
            target = self._unique(f"img/{self.deck}/{_relative_name(url)}")
            self.copies[target] = self._local(url)
            return kind, target
        stem = re.sub(r"[^\w.-]+", "-", Path(unquote(urlsplit(url).path)).stem or "page").strip("-") or "media"
        target = self._unique(f"img/{self.deck}/placeholders/{stem}.svg")
        reason = "not fetched (from the web)" if kind == "remote" else "not found"
        self.placeholders[target] = f"{what}: {url}|{reason}"
        return kind, target

    def _unique(self, target: str) -> str:
        stem, suffix = posixpath.splitext(target)
        number = 1
        while target in self.copies or target in self.placeholders:
            number += 1
            target = f"{stem}-{number}{suffix}"
        return target


def _relative_name(url: str) -> str:
    """The copy's path under img/<deck>/, with no spaces: a URL with spaces works in an HTML
    attribute or a macro but not as a Markdown link, and the copy may be used in either."""
    parts = [p for p in posixpath.normpath(unquote(urlsplit(url).path)).split("/") if p not in ("", ".", "..")]
    if len(parts) > 1 and parts[0].lower() in FOLDERS_DROPPED:
        parts = parts[1:]
    return "/".join(re.sub(r"\s+", "-", part) for part in parts)


def rewrite_media(source: str, slides: list[RemarkSlide], plan: MediaPlan) -> list[Edit]:
    """Edits that point every picture, video and sound of the deck at its imported file."""
    edits: list[Edit] = []
    references = _image_references(source, slides)
    for slide in slides:
        for token in _joined(prose_tokens(source, slide)):
            edits += _rewrite_text(token, slide.index, plan)
            plan.undescribed += [(slide.index, url) for url in _undescribed_pictures(token.text)]
        for token in slide.tokens:
            if token.type == "macro" and token.name == "scale" and len(token.args) < 2:
                plan.undescribed.append((slide.index, token.obj or ""))
            if token.type == "macro" and token.obj and _looks_like_media(token.obj):
                at = token.start + token.text.rindex(token.obj)
                edits.append(Edit(at, at + len(token.obj), plan.resolve(token.obj, slide.index)))
            elif token.type == "def" and token.name.lower() in references:
                at = token.start + token.text.index(token.href, token.text.index("]:"))
                edits.append(Edit(at, at + len(token.href), plan.resolve(token.href, slide.index)))
    return edits


def _joined(tokens: list[Token]) -> list[Token]:
    """Neighbouring pieces of a slide's text as one, as Markdown reads them: an HTML tag may cross
    them (``<img src=...`` with its other attributes on the next line, indented: Remark's lexer sets
    that line apart as code)."""
    joined: list[Token] = []
    for token in tokens:
        if joined and joined[-1].end == token.start:
            joined[-1] = replace(joined[-1], end=token.end, text=joined[-1].text + token.text)
        else:
            joined.append(token)
    return joined


def _image_references(source: str, slides: list[RemarkSlide]) -> set[str]:
    return {ref.lower() for slide in slides for token in prose_tokens(source, slide)
            for ref in IMAGE_REFERENCE.findall(token.text)}


def _undescribed_pictures(text: str) -> list[str]:
    """The pictures of some Markdown that say nothing of what they show: ``![](url)``, an <img>
    without alt (the original's alt text is kept as it is, like the rest of the text)."""
    unmasked = HTML_COMMENT.sub("", INLINE_CODE.sub("", text))
    tags = [tag for tag in TAG.finditer(unmasked) if tag.group(1).lower() == "img" and not ALT_ATTRIBUTE.search(tag.group(0))]
    return UNDESCRIBED_IMAGE.findall(unmasked) + [url for tag in tags for _, url in _tag_sources(tag)]


def _looks_like_media(value: str) -> bool:
    return Path(urlsplit(value).path).suffix.lower() in MEDIA_SUFFIXES


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans Remark does not load from: plain HTML comments and Markdown's code spans."""
    spans = [m.span() for m in HTML_COMMENT.finditer(text) if not PROPERTY_COMMENT.match(m.group(0))]
    return spans + [m.span() for m in CODE_SPAN.finditer(text)]


def _rewrite_text(token: Token, slide: int, plan: MediaPlan) -> list[Edit]:
    text, masked, edits = token.text, _masked(token.text), []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(a <= start < b for a, b in masked) and not any(a < end and start < b for a, b in taken)

    def replace(start: int, end: int, new: str) -> None:
        taken.append((start, end))
        edits.append(Edit(token.start + start, token.start + end, new))

    for pattern, rewrite in MEDIA_RULES:
        for match in pattern.finditer(text):
            rewrite(match, slide, plan, free, replace)
    return edits


def _rewrite_element(match: re.Match, slide: int, plan: MediaPlan, replace) -> None:
    """A <video> or <audio> element: its files copied, or the whole element a placeholder picture
    when any of them cannot be had."""
    element, kind = match.group(0), match.group(1).lower()
    urls = [m.group(3) for tag in TAG.finditer(element)
            for m in SOURCE_ATTRIBUTE.finditer(tag.group(0)) if m.group(1).lower() == "src"]
    if urls and all(plan.status(url) in ("copied", "kept") for url in urls):
        for tag in TAG.finditer(element):
            for attribute in SOURCE_ATTRIBUTE.finditer(tag.group(0)):
                start = match.start() + tag.start() + attribute.start(3)
                replace(start, start + len(attribute.group(3)), plan.resolve(attribute.group(3), slide, kind))
        return
    first = urls[0] if urls else "(no source)"
    picture = plan.resolve(first, slide, kind) if urls else first
    replace(match.start(), match.end(), _placeholder_img(element, picture, f"{kind}: {first}"))


def _rewrite_iframe(match: re.Match, slide: int, plan: MediaPlan, replace) -> None:
    src = next((m.group(3) for m in SOURCE_ATTRIBUTE.finditer(match.group(0)) if m.group(1).lower() == "src"), "")
    status = plan.status(src) if src else "kept"
    if status in ("copied", "kept"):
        if src and status == "copied":
            start = match.start() + match.group(0).index(src)
            replace(start, start + len(src), plan.resolve(src, slide, "embedded file"))
        return
    what = "embedded page" if status == "remote" else "embedded file"
    picture = plan.resolve(src, slide, what)
    image = _placeholder_img(match.group(0), picture, f"{what}: {src}")
    linked = f'<a href="{html.escape(src)}">{image}</a>' if status == "remote" else image
    replace(match.start(), match.end(), linked)


def _whole_match(rewrite):
    """A rule for an element rewritten as a whole by ``rewrite``, unless an earlier rule took part of it."""
    def rule(match: re.Match, slide: int, plan: MediaPlan, free, replace) -> None:
        if free(*match.span()):
            rewrite(match, slide, plan, replace)
    return rule


def _each_url(urls_of):
    """A rule that points each URL of a match, given as (offset in the text, URL) by ``urls_of``, at
    its imported file, unless an earlier rule took it."""
    def rule(match: re.Match, slide: int, plan: MediaPlan, free, replace) -> None:
        for start, url in urls_of(match):
            if free(start, start + len(url)):
                replace(start, start + len(url), plan.resolve(url, slide))
    return rule


def _tag_sources(tag: re.Match) -> list[tuple[int, str]]:
    return [(tag.start() + attribute.start(3), attribute.group(3)) for attribute in SOURCE_ATTRIBUTE.finditer(tag.group(0))]


def _image_target(image: re.Match) -> list[tuple[int, str]]:
    return [(image.start(1), image.group(1))]


def _css_urls(place: re.Match) -> list[tuple[int, str]]:
    return [(place.start() + url.start(1), url.group(1)) for url in CSS_URL.finditer(place.group(0))]


# Where a slide's text names a picture, video or sound, and how each is rewritten, in order: a rule
# leaves alone what an earlier one took (a <video>'s own <source> tags, a picture inside an
# <iframe> replaced whole), and files are named (picture-2.png ...) in the order they are met.
MEDIA_RULES = (
    (MEDIA_ELEMENT, _whole_match(_rewrite_element)),
    (IFRAME, _whole_match(_rewrite_iframe)),
    (TAG, _each_url(_tag_sources)),
    (MARKDOWN_IMAGE, _each_url(_image_target)),
    (STYLE_PLACES, _each_url(_css_urls)),
)


def _placeholder_img(element: str, picture: str, alt: str) -> str:
    opening = element[:element.index(">") + 1]
    attributes = "".join(f' {m.group(1)}={m.group(2)}{m.group(3)}{m.group(2)}' for m in SIZE_ATTRIBUTE.finditer(opening))
    return f'<img src="{picture}" alt="{html.escape(alt)}"{attributes}>'


def placeholder_svg(label: str) -> str:
    """A labelled grey picture standing for a file the import could not copy."""
    what, reason = label.split("|", 1)
    lines = [what[i:i + 60] for i in range(0, len(what), 60)][:4] + [reason]
    text = "".join(f'<text x="320" y="{150 + 28 * n}" text-anchor="middle">{html.escape(line)}</text>'
                   for n, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
            f'<title>{html.escape(what)}</title><rect width="640" height="360" fill="#eee" stroke="#999" stroke-width="4"/>'
            f'<g font-family="sans-serif" font-size="20" fill="#555">{text}</g></svg>\n')
