"""Edits to the deck's text, applied in one pass; original text is escaped for Jinja, generated
Jinja (snippet calls) is not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

JINJA_OPENERS = re.compile(r"\{[{%#]")


@dataclass
class Edit:
    """Replace ``source[start:end]`` by ``text``; ``jinja``: the text is Jinja the build must run."""

    start: int
    end: int
    text: str
    jinja: bool = False
    snippet: Any = None  # the snippet whose call replaces a fence


def escape_jinja(text: str) -> str:
    """Text shown as written by a Jinja-rendered deck: ``{{``, ``{%`` and ``{#`` become expressions
    that print them."""
    return JINJA_OPENERS.sub(lambda m: '{{ "%s" }}' % m.group(0), text)


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """The edited text, and (source offset, text offset) at the start of each unedited stretch,
    to find where a place of the source ended up."""
    pieces, at = [], 0  # (source offset, text, is Jinja)
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < at:
            raise AssertionError(f"overlapping edits at offset {edit.start}")
        pieces.append((at, source[at:edit.start], False))
        text = edit.snippet.call() if edit.snippet is not None else edit.text
        pieces.append((edit.start, text, edit.jinja))
        at = edit.end
    pieces.append((at, source[at:], False))
    out, anchors, length = [], [], 0
    for index, (source_at, text, is_jinja) in enumerate(pieces):
        shown = text if is_jinja else escape_jinja(text)
        if out and out[-1].endswith("{") and shown.startswith("{"):
            out[-1] = out[-1][:-1] + '{{ "{" }}'  # a lone brace must not join the next one into a tag
            length += len('{{ "{" }}') - 1
        if index % 2 == 0:
            anchors.append((source_at, length))
        out.append(shown)
        length += len(shown)
    return "".join(out), anchors


def moved_offset(anchors: list[tuple[int, int]], offset: int) -> int:
    """Where a source offset outside any edit is in the edited text."""
    before = [(s, t) for s, t in anchors if s <= offset]
    source_start, text_start = before[-1] if before else (0, 0)
    return text_start + (offset - source_start)
