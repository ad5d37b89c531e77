"""Remark's view of a Markdown deck: slides, their properties, increments and notes.

Mirrors Remark 0.14's lexer closely enough for validation and printing: ``---`` starts a slide,
``--`` an incremental step that continues the previous slide, ``???`` starts the presenter notes,
and leading ``key: value`` lines are slide properties. Separators inside fenced code do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .syntax import FENCE_LINE, NOTES_LINE, PROPERTY_COMMENT_LINE, PROPERTY_LINE, SEPARATOR_LINE


@dataclass
class Slide:
    """One Remark slide; ``line`` is the 1-based line of its first line in the rendered Markdown."""

    line: int
    increment: bool
    properties: dict[str, str] = field(default_factory=dict)
    property_lines: dict[str, int] = field(default_factory=dict)
    content_line: int = 0
    content: str = ""
    notes: str = ""

    @property
    def excluded(self) -> bool:
        """Not shown: ``exclude: true``, or a ``layout: true`` slide (a template for the next ones)."""
        return any(self.properties.get(key, "").strip().lower() == "true" for key in ("exclude", "layout"))

    @property
    def counted(self) -> bool:
        return self.properties.get("count", "").strip().lower() != "false"

    @property
    def name(self) -> str:
        return self.properties.get("name", "").strip()


def split_slides(markdown: str) -> list[Slide]:
    """Split a deck into slides in source order, excluded ones included."""
    chunks: list[tuple[int, bool, list[str]]] = [(1, False, [])]
    for number, (code, line) in enumerate(fenced(markdown.split("\n")), start=1):
        if not code and (match := SEPARATOR_LINE.match(line)):
            chunks.append((number + 1, match.group(1) == "--", []))
            continue
        chunks[-1][2].append(line)
    slides: list[Slide] = []
    for first_line, increment, lines in chunks:
        slide = _parse_slide(first_line, increment, lines)
        if increment and slides:
            # an increment continues its slide: same properties, content accumulated
            previous = slides[-1]
            inherited = dict(previous.properties)
            inherited.update(slide.properties)
            slide.properties = inherited
        slides.append(slide)
    return slides


def fenced(lines: Iterable[str]) -> Iterator[tuple[bool, str]]:
    """Each line, with whether it is part of a fenced code block (its opening and closing fences
    included). A fence closes with the same character, at least as many times."""
    fence = ""
    for line in lines:
        opened = FENCE_LINE.match(line)
        if fence:
            yield True, line
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        else:
            fence = opened.group(1) if opened else ""
            yield bool(opened), line


def _parse_slide(first_line: int, increment: bool, lines: list[str]) -> Slide:
    slide = Slide(line=first_line, increment=increment)
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and (match := PROPERTY_LINE.match(lines[index]) or PROPERTY_COMMENT_LINE.match(lines[index])):
        slide.properties[match.group(1)] = match.group(2).strip()
        slide.property_lines[match.group(1)] = first_line + index
        index += 1
    body = lines[index:]
    for offset, line in enumerate(body):
        if NOTES_LINE.match(line):
            slide.notes = "\n".join(body[offset + 1:])
            body = body[:offset]
            break
    slide.content_line = first_line + index
    slide.content = "\n".join(body)
    return slide


def visible_slides(slides: list[Slide]) -> list[Slide]:
    """The slides Remark shows: excluded slides (and their increments) dropped."""
    shown, excluded = [], False
    for slide in slides:
        if not slide.increment:
            excluded = slide.excluded
        elif slide.excluded:
            excluded = True
        if not excluded:
            shown.append(slide)
    return shown


def slide_numbers(slides: list[Slide], count_incremental: bool = False) -> list[int]:
    """The number Remark prints on each visible slide, in order."""
    numbers, current = [], 0
    for slide in visible_slides(slides):
        if slide.counted and (count_incremental or not slide.increment):
            current += 1
        numbers.append(max(current, 1))
    return numbers


def number_at(slides: list[Slide], line: int, count_incremental: bool = False) -> int | None:
    """The number Remark shows on the slide that holds a line of the Markdown; None when that
    slide is not shown."""
    holder = next((slide for slide in reversed(slides) if slide.line <= line), None)
    numbers = dict(zip(map(id, visible_slides(slides)), slide_numbers(slides, count_incremental)))
    return numbers.get(id(holder))


def superseded(counted: list[bool], continued: list[bool]) -> list[bool]:
    """The visible slides the handout leaves out: each one that the next slide continues, as a `--`
    step or as a `count: false` slide (which keeps this one's number: it builds on it)."""
    return [was_continued or not is_counted
            for is_counted, was_continued in zip(counted[1:], continued[1:])] + [False]


def handout_groups(slides: list[Slide]) -> list[list[Slide]]:
    """The handout's slides, each one last in the list of the visible slides it supersedes."""
    shown = visible_slides(slides)
    left_out = superseded([s.counted for s in shown], [s.increment for s in shown])
    groups, current = [], []
    for slide, dropped in zip(shown, left_out):
        current.append(slide)
        if not dropped:
            groups.append(current)
            current = []
    return groups


def step_chain(group: list[Slide]) -> list[Slide]:
    """The steps that make the group's last slide: it and the `--` steps it continues."""
    start = max((i for i, slide in enumerate(group) if not slide.increment), default=0)
    return group[start:]
