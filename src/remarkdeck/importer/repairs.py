"""What the build rightly refuses but Remark showed: a link to a slide name no slide has (its text
kept, the link dropped), a slide name used twice (later ones get a suffix), a content class never
closed (escaped, so it shows as the same text). Lines Remark swallows as slide properties are
kept as they are and reported."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..syntax import CONTENT_CLASS
from ..validate import REMARK_PROPERTIES
from .edits import Edit
from .lexer import RemarkSlide

NAME_LINE = re.compile(r"^(name:\s*)(\S.*?)\s*$|(<!--\s*name:\s*)(\S.*?)(\s*-->)", re.M)
MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*#([^)\s]*)\s*\)")
HTML_LINK = re.compile(r"""<a\b[^>]*?\shref\s*=\s*["']#([^"']*)["'][^>]*>(.*?)</a\s*>""", re.I | re.S)
INLINE_CODE = re.compile(r"`[^`]+?`")


@dataclass
class Repair:
    slide: int
    kind: str  # renamed, link dropped, class escaped, property line
    message: str


def repair_deck(source: str, slides: list[RemarkSlide]) -> tuple[list[Repair], list[Edit]]:
    repairs: list[Repair] = []
    edits: list[Edit] = []
    names = _rename_repeated(source, slides, repairs, edits)
    for slide in slides:
        for token in slide.tokens:
            if token.type == "text":
                if slide.shown:
                    _drop_dangling_links(token, slide.index, names, repairs, edits)
                _escape_unclosed(token, slide.index, repairs, edits)
        for key, value in slide.properties.items():
            if key not in REMARK_PROPERTIES:
                repairs.append(Repair(slide.index, "property line", (
                    f"'{key}: {value}' is read by Remark as a slide property and not shown (as in the "
                    "original); kept as is: delete it, or start the slide with a blank line to show it")))
    return repairs, edits


def _rename_repeated(source: str, slides: list[RemarkSlide], repairs: list[Repair], edits: list[Edit]) -> set[str]:
    seen: set[str] = set()
    for slide in slides:
        name = slide.properties.get("name", "")
        if not slide.shown or not name:
            continue
        if name in seen:
            match = next((m for m in NAME_LINE.finditer(source, slide.start, slide.end)
                          if (m.group(2) or m.group(4)) == name), None)
            if match is not None:
                new = _free_name(name, seen)
                group = 2 if match.group(2) else 4
                edits.append(Edit(match.start(group), match.end(group), new))
                repairs.append(Repair(slide.index, "renamed", (
                    f"slide name '{name}' is used twice: this one is now '{new}' (links to '#{name}' go "
                    "to the first, as in Remark)")))
                name = new
        seen.add(name)
    return seen


def _free_name(name: str, seen: set[str]) -> str:
    number = 2
    while f"{name}-{number}" in seen:
        number += 1
    return f"{name}-{number}"


def _dangling(target: str, names: set[str]) -> bool:
    return bool(target) and not target.isdigit() and target not in names


def _drop_dangling_links(token, slide: int, names: set[str], repairs: list[Repair], edits: list[Edit]) -> None:
    code = [m.span() for m in INLINE_CODE.finditer(token.text)]
    for pattern, target_group, text_group in ((MARKDOWN_LINK, 2, 1), (HTML_LINK, 1, 2)):
        for match in pattern.finditer(token.text):
            if any(a <= match.start() < b for a, b in code) or not _dangling(match.group(target_group), names):
                continue
            edits.append(Edit(token.start + match.start(), token.start + match.end(), match.group(text_group)))
            repairs.append(Repair(slide, "link dropped", (
                f"link to '#{match.group(target_group)}' matches no slide name: its text "
                f"'{match.group(text_group)}' is kept without the link; name a slide '{match.group(target_group)}' "
                "and link it again")))


def _escape_unclosed(token, slide: int, repairs: list[Repair], edits: list[Edit]) -> None:
    code = [m.span() for m in INLINE_CODE.finditer(token.text)]
    for match in CONTENT_CLASS.finditer(token.text):
        if match.group(1) or any(a <= match.start() < b for a, b in code):
            continue
        at = token.start + match.start()
        edits.append(Edit(at, at, "\\"))
        repairs.append(Repair(slide, "class escaped", (
            f"'{match.group(0)}' is never closed with ']': Remark showed it as text, so it is escaped "
            f"as '\\{match.group(0)}'; add the ']' where the class should end")))
