"""Remark 0.14's reading of a deck: its lexer and parser, ported rule for rule, with source offsets.

Ported from node_modules/remark-slide/src/remark/lexer.js (the token rules, tried in one regular
expression in the same order) and src/remark/parser.js (slides, notes, properties, exclusion),
so that the importer splits slides and finds fenced code exactly where Remark did. Every token
keeps its offsets in the source, which is what lets the importer rewrite a fence in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..syntax import (
    BLOCK,
    CODE,
    CONTENT,
    DEF,
    DEF_HREF,
    FENCE_PARTS,
    FENCES,
    INLINE,
    INLINE_CODE,
    MACRO,
    MACRO_ARGS,
    MACRO_OBJ,
    NOTES,
    PROPERTY_FINDER,
    SEPARATOR,
    text_in_brackets,
)


@dataclass
class Token:
    type: str  # text, code, fences, def, macro, separator, notes_separator, content_start, content_end
    start: int
    end: int
    text: str = ""
    classes: tuple[str, ...] = ()
    name: str = ""
    args: tuple[str, ...] = ()
    obj: str | None = None
    href: str = ""
    depth: int = 0  # how many content classes enclose the token


@dataclass
class Fence:
    """A fenced code block as Remark found it: ``start``/``end`` span its opening fence line
    (indentation included) to its closing fence (trailing spaces included)."""

    start: int
    end: int
    indent: str
    marker: str
    language: str
    code: str
    in_notes: bool
    depth: int
    quote: str = ""  # the blockquote markers ("> ") its lines start with, in a quote


@dataclass
class RemarkSlide:
    """One slide of Remark's parse, excluded ones included; offsets are into the source."""

    index: int  # 0-based position among all slides, excluded ones included
    start: int
    end: int
    increment: bool
    properties: dict[str, str] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)
    notes_start: int | None = None

    @property
    def excluded(self) -> bool:
        return self.properties.get("exclude", "").lower() == "true"

    @property
    def layout(self) -> bool:
        return self.properties.get("layout", "") == "true"

    @property
    def shown(self) -> bool:
        return not self.excluded and not self.layout

    def fences(self, source: str) -> list[Fence]:
        return [fence_of(source, token, self.notes_start) for token in self.tokens if token.type == "fences"]

    def macros(self) -> list[Token]:
        return [token for token in self.tokens if token.type == "macro"]


def clean_input(source: str) -> str:
    """parser.js cleanInput: when every line is indented, remove the common indentation."""
    widths = [len(m.group(1)) for m in re.finditer(r"^([ \t]*)[^ \t\n]", source, re.M)]
    if not widths or min(widths) == 0:
        return source
    return re.sub(r"^[ \t]{0,%d}" % min(widths), "", source, flags=re.M)


def lex(source: str) -> list[Token]:
    """lexer.js ``Lexer.prototype.lex``: the tokens of a whole deck (neighbouring text joined)."""
    tokens = _lex(source, BLOCK, 0, 0, [])
    joined: list[Token] = []
    for token in tokens:
        if joined and token.type == "text" and joined[-1].type == "text":
            joined[-1].text += token.text
            joined[-1].end = token.end
        else:
            joined.append(token)
    return joined


def _lex(src: str, regex: re.Pattern, offset: int, depth: int, tokens: list[Token]) -> list[Token]:
    started = len(tokens)
    while (cap := regex.search(src)) is not None:
        at = offset + cap.start()
        if cap.start() > 0:
            tokens.append(Token("text", offset, at, src[:cap.start()], depth=depth))
        consumed = cap.end()
        if cap.group(CODE):
            tokens.append(Token("code", at, offset + cap.end(), cap.group(0), depth=depth))
        elif cap.group(INLINE_CODE):
            tokens.append(Token("text", at, offset + cap.end(), cap.group(0), depth=depth))
        elif cap.group(FENCES):
            tokens.append(Token("fences", at, offset + cap.end(), cap.group(0), depth=depth))
        elif cap.group(DEF):
            tokens.append(Token("def", at, offset + cap.end(), cap.group(0), name=cap.group(DEF),
                                href=cap.group(DEF_HREF), depth=depth))
        elif cap.group(MACRO):
            args = tuple(arg.strip() for arg in (cap.group(MACRO_ARGS) or "").split(","))
            tokens.append(Token("macro", at, offset + cap.end(), cap.group(0), name=cap.group(MACRO),
                                args=args, obj=cap.group(MACRO_OBJ), depth=depth))
        elif _group(cap, SEPARATOR):
            tokens.append(Token("separator", at, offset + cap.end(), cap.group(SEPARATOR), depth=depth))
        elif _group(cap, NOTES):
            tokens.append(Token("notes_separator", at, offset + cap.end(), cap.group(NOTES), depth=depth))
        elif cap.group(CONTENT):
            inner = text_in_brackets(src, cap.end())
            if inner is None:
                tokens.append(Token("text", at, offset + cap.end(), cap.group(0), depth=depth))
            elif cap.group(0).startswith("\\"):
                consumed = cap.end() + len(inner) + 1
                tokens.append(Token("text", at, offset + consumed, cap.group(0)[1:] + inner + "]", depth=depth))
            else:
                consumed = cap.end() + len(inner) + 1
                classes = tuple(cap.group(CONTENT)[1:].split("."))
                tokens.append(Token("content_start", at, offset + cap.end(), classes=classes, depth=depth))
                _lex(inner, INLINE, offset + cap.end(), depth + 1, tokens)
                tokens.append(Token("content_end", offset + consumed - 1, offset + consumed, depth=depth))
        offset += consumed
        src = src[consumed:]
    if src or len(tokens) == started:
        tokens.append(Token("text", offset, offset + len(src), src, depth=depth))
    return tokens


def _group(cap: re.Match, number: int) -> str | None:
    """A group of the block expression; the inline one has no separators."""
    return cap.group(number) if number <= cap.re.groups else None


def parse(source: str) -> list[RemarkSlide]:
    """parser.js ``Parser.prototype.parse``, without dropping excluded slides (see ``shown``)."""
    slides = [RemarkSlide(0, 0, len(source), increment=False)]
    for token in lex(source):
        slide = slides[-1]
        if token.type == "separator":
            slide.end = token.start
            slides.append(RemarkSlide(len(slides), token.end, len(source), increment=token.text == "--"))
        elif token.type == "notes_separator":
            slide.notes_start = token.end
            slide.tokens.append(token)
        else:
            slide.tokens.append(token)
    for slide in slides:
        slide.properties = extract_properties(_first_text(slide))
    return slides


def _first_text(slide: RemarkSlide) -> str:
    """The slide's first content item: the text before its first content class (parser.js keeps
    text, code and fences as one string until a content class starts)."""
    parts = []
    for token in slide.tokens:
        if token.type in ("content_start", "notes_separator"):
            break
        if token.type in ("text", "code", "fences"):
            parts.append(token.text)
    return "".join(parts)


def extract_properties(text: str) -> dict[str, str]:
    properties: dict[str, str] = {}
    while (match := PROPERTY_FINDER.search(text)) is not None:
        text = text[:match.start()] + text[match.end():]
        if match.group(1) is not None:
            properties[match.group(1).strip()] = match.group(2).strip()
        else:
            properties[match.group(3).strip()] = match.group(4).strip()
    return properties


def fence_of(source: str, token: Token, notes_start: int | None) -> Fence:
    parts = FENCE_PARTS.match(source, token.start, token.end)
    if parts is None:  # the lexer's rule matched here, so its parts do too
        raise AssertionError(f"fence at offset {token.start} not re-read")
    start = parts.start(1)
    return Fence(start=start, end=parts.end(), indent=parts.group(1), marker=parts.group(2),
                 language=parts.group(3) or "", code=parts.group(4), in_notes=notes_start is not None
                 and start >= notes_start, depth=token.depth)


def line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1
