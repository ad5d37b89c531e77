"""Validation stage: the rendered Markdown checked with markdown-it-py before anything is written.

Each check takes the deck (rendered Markdown plus its slides) and yields problems at rendered
lines; the stage maps them back to source lines and reports them all at once.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import DeckErrors, ValidationError
from .logs import at
from .macros import MacroFailed, MacroRunner, MacroUse, macro_uses, undefined_message
from .project import Project
from .render import RenderedDeck
from .slides import Slide, split_slides, visible_slides
from .syntax import CONTENT_CLASS, FENCE_LINE, HTML_COMMENT, text_in_brackets

log = logging.getLogger(__name__)
MARKDOWN_IMAGE = re.compile(r"!\[(?!:[^\]\s])[^\]]*\]\(\s*<?([^)\s>]+)")  # not a macro, ``![:name](...)``
LOADING_TAG = re.compile(r"<(?:img|video|audio|source|iframe|embed|track)\b[^>]*>", re.I | re.S)
LOADED_ATTRIBUTE = re.compile(r"""(\s(?:src|poster)\s*=\s*["']?)([^"'\s>]+)""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""", re.I)
HTML_HREF = re.compile(r"""<a\b[^>]*?\shref\s*=\s*["']#([^"']*)["']""", re.I)
IMG_TAG = re.compile(r"<img\b[^>]*>", re.I | re.S)
# What names a picture for a screen reader: alt (alt="" marks it as decoration), an ARIA label, or
# a role that takes it out of what is read
NAMED_PICTURE = re.compile(r"""\s(?:alt|aria-label|aria-labelledby)\s*=|\srole\s*=\s*["']?(?:presentation|none)\b""", re.I)
TAG_SOURCE = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]+)""", re.I)
HTML_LINK_OPEN = re.compile(r"<a\b[^>]*>", re.I)
HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.I)
HTML_TAG = re.compile(r"<[^>]*>")

INLINE_CODE = re.compile(r"`[^`]*`")
MAX_IMAGE_BYTES = 5 * 10**6
MAX_MEDIA_BYTES = 50 * 10**6  # videos and sounds: the single file carries them too
VIDEO = (".mp4", ".webm", ".ogv", ".mov", ".m4v")
AUDIO = (".wav", ".mp3", ".ogg", ".oga", ".m4a", ".flac", ".opus")
# Slide properties Remark 0.14 acts on; other "key: value" lines at a slide's top are swallowed too.
REMARK_PROPERTIES = ("name", "class", "background-image", "background-color", "background-position",
                     "background-size", "highlight-style", "count", "exclude", "layout", "template")
# Slide properties remarkdeck's page reads: what a slide's background picture shows, for screen readers
DECK_PROPERTIES = ("background-alt",)

_markdown = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Problem:
    line: int  # rendered line
    message: str
    warning: bool = False


@dataclass(frozen=True)
class MacroExpansion:
    """A macro use at a rendered line, and what Remark puts in its place ('' with a problem)."""

    line: int
    use: MacroUse
    html: str = ""
    problem: str = ""


@dataclass
class DeckView:
    """What the checks look at: the deck, its slides, each slide's tokens, its macros."""

    project: Project
    deck: RenderedDeck
    slides: list[Slide]
    _tokens: dict[int, list[tuple[int, Token]]] = field(default_factory=dict)
    _macros: list[MacroExpansion] | None = None

    def shown(self) -> list[Slide]:
        return visible_slides(self.slides)

    def macros(self) -> list[MacroExpansion]:
        """Every macro use, expanded once per build by the deck's macro files (V8 starts only for a
        deck that uses macros)."""
        if self._macros is None:
            self._macros = list(_expanded_macros(self.project, self.deck))
        return self._macros

    def macros_on(self, slide: Slide) -> list[MacroExpansion]:
        following = self.slides[self.slides.index(slide) + 1:]
        end = following[0].line if following else float("inf")
        return [macro for macro in self.macros() if slide.line <= macro.line < end]

    def tokens(self, slide: Slide) -> list[tuple[int, Token]]:
        """Every token of a slide (inline children included) with its rendered line; each slide
        is parsed once, however many checks look at it."""
        key = id(slide)
        if key not in self._tokens:
            self._tokens[key] = list(_slide_tokens(slide))
        return self._tokens[key]


def _slide_tokens(slide: Slide) -> Iterator[tuple[int, Token]]:
    for token in _markdown.parse(slide.content):
        line = slide.content_line + (token.map[0] if token.map else 0)
        yield line, token
        for child in token.children or ():
            yield line, child
            line += child.type in ("softbreak", "hardbreak")


def _expanded_macros(project: Project, deck: RenderedDeck) -> Iterator[MacroExpansion]:
    uses = macro_uses(deck.markdown)
    if not uses:
        return
    with MacroRunner(project, deck.name) as runner:
        for use in uses:
            line = deck.markdown.count("\n", 0, use.offset) + 1
            if not runner.defines(use.name):
                yield MacroExpansion(line, use, problem=undefined_message(use.name, deck.name))
                continue
            try:
                yield MacroExpansion(line, use, html=runner.expand_all(use))
            except MacroFailed as failure:
                yield MacroExpansion(line, use, problem=(
                    f'macro "{use.name}" fails here: {failure}; fix its definition or its use '
                    "(the page would show no slides)"))


def check_macros(view: DeckView) -> Iterator[Problem]:
    for macro in view.macros():
        if macro.problem:
            yield Problem(macro.line, macro.problem)


def check_typed_code(view: DeckView) -> Iterator[Problem]:
    generated = {_normal(block) for block in view.deck.generated_blocks}
    for slide in view.slides:
        for line, token in view.tokens(slide):
            if token.type in ("fence", "code_block") and _normal(token.content) not in generated:
                yield Problem(line, (
                    "code block typed into the slide: move the code to "
                    f"snippets/{view.deck.name}/<name>.py and show it with {{{{ snippet(\"<name>\") }}}}"
                    + (" (a line indented by 4 spaces is a code block in Markdown)" if token.type == "code_block" else "")
                ))


def check_sources(view: DeckView) -> Iterator[Problem]:
    for slide in view.shown():
        for line, url in _loaded_sources(view, slide):
            yield from _check_source(view, url, line)
        for line, token in view.tokens(slide):
            src = token.attrGet("src") or "" if token.type == "image" else ""
            if not _is_macro(token) and urlsplit(src).path.lower().endswith(VIDEO + AUDIO):
                kind, tag = ("a video", "video") if urlsplit(src).path.lower().endswith(VIDEO) else ("a sound", "audio")
                yield Problem(line, f"'{src}' is {kind}, which a picture cannot show: use "
                                    f"<{tag} src=\"{src}\" controls></{tag}>")


def _loaded_sources(view: DeckView, slide: Slide) -> Iterator[tuple[int, str]]:
    """Every URL a slide makes the browser load, with its rendered line."""
    if background := slide.properties.get("background-image"):
        line = slide.property_lines.get("background-image", slide.line)
        for url in CSS_URL.findall(background):
            yield line, url
    for line, token in view.tokens(slide):
        if token.type == "image" and not _is_macro(token):
            yield line, token.attrGet("src") or ""
        elif token.type in ("html_block", "html_inline"):
            for url in html_sources(_uncommented(token.content)):
                yield line, url
    for macro in view.macros_on(slide):  # what Remark puts in place of a macro loads files too
        for url in html_sources(macro.html) + MARKDOWN_IMAGE.findall(macro.html):
            yield macro.line, url


def html_sources(html: str) -> list[str]:
    """The URLs HTML loads: src and poster of pictures, videos, sounds and frames, CSS url()s,
    and Markdown pictures (inside a broken-open comment)."""
    tags = [url for tag in LOADING_TAG.findall(html) for _, url in LOADED_ATTRIBUTE.findall(tag)]
    return tags + MARKDOWN_IMAGE.findall(html) + CSS_URL.findall(html)


def _is_macro(token: Token) -> bool:
    """``![:scale 50%](...)`` is a Remark macro, replaced before Markdown sees a picture."""
    return token.type == "image" and bool(re.match(r":[^\]\s]", token.content))


def check_internal_links(view: DeckView) -> Iterator[Problem]:
    shown = view.shown()
    names = {slide.name for slide in shown if slide.name}
    for slide in shown:
        for line, token in view.tokens(slide):
            targets = []
            if token.type == "link_open" and (token.attrGet("href") or "").startswith("#"):
                targets.append(str(token.attrGet("href"))[1:])
            elif token.type in ("html_block", "html_inline"):
                targets.extend(HTML_HREF.findall(HTML_COMMENT.sub("", token.content)))
            for target in targets:
                if target and not target.isdigit() and target not in names:
                    known = ", ".join(sorted(names)) or "none"
                    yield Problem(line, f"link to '#{target}' matches no slide name (slide names: {known}); "
                                        f"add 'name: {target}' to the slide or fix the link")


def check_unique_names(view: DeckView) -> Iterator[Problem]:
    first_seen: dict[str, int] = {}
    for slide in view.shown():
        if "name" not in slide.property_lines:
            continue
        line = slide.property_lines["name"]
        if slide.name in first_seen:
            where = view.deck.location(first_seen[slide.name])
            yield Problem(line, f"slide name '{slide.name}' is already used at line {where.line}: names must be unique")
        else:
            first_seen[slide.name] = line


def check_not_empty(view: DeckView) -> Iterator[Problem]:
    if not view.deck.markdown.strip():
        yield Problem(1, "the deck has no slides: write its first slide after the front matter")


def check_slide_properties(view: DeckView) -> Iterator[Problem]:
    for slide in view.slides:
        for name, line in slide.property_lines.items():
            if name not in REMARK_PROPERTIES + DECK_PROPERTIES:
                yield Problem(line, (
                    f"Remark reads this line as slide property '{name}', which it does not know, and "
                    f"does not show it (known: {', '.join(REMARK_PROPERTIES + DECK_PROPERTIES)}); fix the name, or start "
                    "the slide with a blank line if it is text"), warning=True)


def check_content_classes(view: DeckView) -> Iterator[Problem]:
    for slide in view.slides:
        text = _without_code(slide.content)
        for match in CONTENT_CLASS.finditer(text):
            if not match.group(1) and text_in_brackets(text, match.end()) is None:
                line = slide.content_line + text.count("\n", 0, match.start())
                yield Problem(line, f"'{match.group(0)}' is never closed with ']': Remark would show it "
                                    "as raw text; add the closing ']'")


def check_image_sizes(view: DeckView) -> Iterator[Problem]:
    seen = set()
    for slide in view.shown():
        for line, url in _loaded_sources(view, slide):
            path = _source_file(view.project, view.deck.name, unquote(urlsplit(url).path))
            if path is None or path in seen or not path.is_file() or urlsplit(url).scheme:
                continue
            seen.add(path)
            size = path.stat().st_size
            limit = MAX_MEDIA_BYTES if path.suffix.lower() in VIDEO + AUDIO else MAX_IMAGE_BYTES
            if size > limit:
                yield Problem(line, (
                    f"{view.project.relative(path)} is {size / 1e6:.1f} MB, over {limit // 10**6} MB: "
                    "it slows the deck and the PDF; shrink it"), warning=True)


def check_alt_text(view: DeckView) -> Iterator[Problem]:
    """Every picture a slide shows says what it shows, for those who cannot see it: Markdown
    pictures, <img> tags, snippets' figures, pictures made by macros, and background pictures."""
    for slide in view.shown():
        if "background-image" in slide.property_lines and "background-alt" not in slide.properties:
            yield Problem(slide.property_lines["background-image"], (
                "the slide's background picture has no description: add the slide property "
                "'background-alt: what it shows' (left empty, 'background-alt:', it marks a picture that is "
                "only decoration)"), warning=True)
        for line, token in view.tokens(slide):
            if token.type == "image" and not _is_macro(token) and not token.content.strip():
                src = token.attrGet("src") or ""
                yield Problem(line, f"picture '{src}' has no alternative text: say what it shows between the "
                                    f"brackets, ![what it shows]({src})", warning=True)
        # <img> tags are looked for in the text itself: Remark's Markdown takes `<img src="x" , width="9">`
        # for HTML, where CommonMark's sees text
        text = _without_comments(_without_code(slide.content))
        for tag in IMG_TAG.finditer(text):
            if not NAMED_PICTURE.search(tag.group(0)):
                line = slide.content_line + text.count("\n", 0, tag.start())
                yield Problem(line, _unnamed_img(view, tag.group(0)), warning=True)
        for macro in view.macros_on(slide):
            for tag in IMG_TAG.findall(macro.html):
                if not NAMED_PICTURE.search(tag):
                    yield Problem(macro.line, _unnamed_macro_picture(macro.use.name), warning=True)


def _unnamed_img(view: DeckView, tag: str) -> str:
    src = found.group(1) if (found := TAG_SOURCE.search(tag)) else ""
    if src in view.deck.figure_snippets:
        return (f"the figure of snippet '{view.deck.figure_snippets[src]}' has no alternative text: say what it "
                f'shows, {{{{ figure("{view.deck.figure_snippets[src]}", alt="what it shows") }}}}')
    return (f"picture '{src}' has no alternative text: add alt=\"what it shows\" to its <img> "
            "(alt=\"\" if it is only decoration)")


def _unnamed_macro_picture(name: str) -> str:
    if name == "scale":
        return ("the picture of ![:scale ...] has no alternative text: say what it shows after its size, "
                "![:scale 50%, what it shows](...)")
    return (f'macro "{name}" makes a picture with no alternative text: have it write an alt attribute '
            "(from an argument, as the built-in scale does with its second one)")


def check_link_text(view: DeckView) -> Iterator[Problem]:
    """Every link has text a screen reader can read out (a picture's alt text counts) and somewhere
    to go."""
    for slide in view.shown():
        for line, target, text in _links(view, slide):
            if not text.strip():
                yield Problem(line, f"link to '{target}' has no text: a screen reader reads out nothing; "
                                    "write what it leads to between its brackets", warning=True)
            elif not target.strip():
                yield Problem(line, f"link '{text.strip()}' leads nowhere (its address is empty): put the address "
                                    "between its parentheses, or write <https://...> to show an address as a link",
                              warning=True)


def _links(view: DeckView, slide: Slide) -> Iterator[tuple[int, str, str]]:
    """Each link of a slide, Markdown or <a>: its line, its address and the text it reads as."""
    opened: tuple[int, str] | None = None
    text: list[str] = []
    for line, token in view.tokens(slide):
        html = HTML_COMMENT.sub("", token.content) if token.type in ("html_inline", "html_block") else ""
        if token.type == "html_block":
            for found in re.finditer(r"(<a\b[^>]*>)(.*?)</a\s*>", html, re.I | re.S):
                yield line, _href(found.group(1)), _readable_text(found.group(2))
        elif token.type == "link_open":
            opened, text = (line, token.attrGet("href") or ""), []
        elif HTML_LINK_OPEN.fullmatch(html.strip()):
            opened, text = (line, _href(html)), []
        elif opened and (token.type == "link_close" or HTML_LINK_CLOSE.fullmatch(html.strip())):
            yield opened[0], opened[1], "".join(text)
            opened = None
        elif opened:
            text.append(token.content if token.type in ("text", "code_inline", "image") else _readable_text(html))


def _href(tag: str) -> str:
    found = re.search(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", tag, re.I)
    return next((group for group in found.groups() if group is not None), "") if found else "(none)"


def _readable_text(html: str) -> str:
    """What a screen reader reads of some HTML: its text, and its pictures' alt text."""
    alts = [found.group(1) or found.group(2) or "" for tag in IMG_TAG.findall(html)
            for found in [re.search(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag)] if found]
    return HTML_TAG.sub("", html) + " ".join(alts)


CHECKS: list[tuple[str, Callable[[DeckView], Iterator[Problem]]]] = [
    ("not empty", check_not_empty),
    ("slide properties", check_slide_properties),
    ("content classes", check_content_classes),
    ("typed code", check_typed_code),
    ("macros", check_macros),
    ("sources", check_sources),
    ("image sizes", check_image_sizes),
    ("alt text", check_alt_text),
    ("link text", check_link_text),
    ("internal links", check_internal_links),
    ("unique names", check_unique_names),
]


def validate_deck(project: Project, deck: RenderedDeck) -> list[Slide]:
    """Run every check; warn about small problems, raise all errors together, each at its source
    line. Returns the slides."""
    view = DeckView(project, deck, split_slides(deck.markdown))
    problems = sorted((problem for _, check in CHECKS for problem in check(view)), key=lambda p: p.line)
    warned = set()
    for problem in problems:
        # a slide made several times by a Jinja loop warns once at its source line
        if problem.warning and (where := (deck.location(problem.line), problem.message)) not in warned:
            warned.add(where)
            log.warning(problem.message, extra=at(where[0]))
    errors = [ValidationError(p.message, deck.location(p.line)) for p in problems if not p.warning]
    if errors:
        raise DeckErrors(errors)
    return view.slides


def _check_source(view: DeckView, url: str, line: int) -> Iterator[Problem]:
    """A loaded file must be in the build: under img/ (as ``../img/...``) or a snippet's figure."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob") or url in view.deck.figures:
        return
    if parts.scheme or parts.netloc:
        yield Problem(line, f"'{url}' is loaded from the web at presentation time: "
                            f"save the file under img/ and use '../img/<file>'")
        return
    if not parts.path:
        return
    resolved = _source_file(view.project, view.deck.name, unquote(parts.path))
    if resolved is None:
        yield Problem(line, f"'{url}' is outside what the build copies: put the file under img/ "
                            f"and load it as '../img/<file>'")
    elif not resolved.is_file():
        yield Problem(line, f"'{url}' not found: expected {view.project.relative(resolved)}; "
                            f"add the file or fix the path")


def _source_file(project: Project, deck: str, path: str) -> Path | None:
    """The source file a deck-relative URL path loads, or None if the build has no such place."""
    page_dir = f"build/{deck}"
    target = posixpath.normpath(path if path.startswith("/") else posixpath.join(page_dir, path))
    if target == "build/img" or not target.startswith("build/img/"):
        return None
    return project.img_dir / target[len("build/img/"):]


def _uncommented(html: str) -> str:
    """HTML without its comments, except those Remark breaks open: a content class such as
    ``<!-- .logo[<img src=...>] -->`` is expanded before the comment is seen, so its image loads."""
    return HTML_COMMENT.sub(lambda m: m.group(0) if CONTENT_CLASS.search(m.group(0)) else "", html)


def _without_comments(html: str) -> str:
    """``_uncommented``, with the lines of each comment removed kept as blank lines."""
    return HTML_COMMENT.sub(lambda m: m.group(0) if CONTENT_CLASS.search(m.group(0)) else "\n" * m.group(0).count("\n"),
                            html)


def _without_code(markdown: str) -> str:
    """Markdown with fenced blocks and inline code blanked (line count kept), where brackets are text."""
    lines, fence = [], ""
    for line in markdown.split("\n"):
        opened = FENCE_LINE.match(line)
        if fence or opened:
            if opened and not fence:
                fence = opened.group(1)
            elif opened and opened.group(1)[0] == fence[0]:
                fence = ""
            lines.append("")
        else:
            lines.append(INLINE_CODE.sub("", line))
    return "\n".join(lines)


def _normal(code: str) -> str:
    return "\n".join(line.strip() for line in code.strip("\n").split("\n"))
