"""Which web fonts a deck needs: the @font-face rules whose characters its text uses, and the KaTeX
font families its typeset formulas use. A reader's browser (and the PDF printer, which loads every
declared face before printing) then fetches and decodes only those."""

from __future__ import annotations

import re

FONT_FACE = re.compile(r"(?:/\*[^*]*\*/\s*)?@font-face\s*\{[^}]*\}")
UNICODE_RANGE = re.compile(r"unicode-range:\s*([^;}]+)")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
KATEX_FAMILY = re.compile(r"KaTeX_\w+")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def faces_for_text(css: str, text: str) -> str:
    """``css`` without the @font-face rules whose unicode-range no character of ``text`` falls in
    (a rule with no unicode-range covers everything and stays)."""
    code_points = {ord(char) for char in text}
    return FONT_FACE.sub(lambda rule: rule.group(0) if _covers(rule.group(0), code_points) else "", css)


def _covers(rule: str, code_points: set[int]) -> bool:
    found = UNICODE_RANGE.search(rule)
    if found is None:
        return True
    ranges = [_range(part.strip()) for part in found.group(1).split(",")]
    return any(low <= point <= high for point in code_points for low, high in ranges)


def _range(part: str) -> tuple[int, int]:
    """``U+0-FF``, ``U+1F40D`` or ``U+4??`` as (lowest, highest) code point."""
    value = part.upper().removeprefix("U+")
    if "-" in value:
        low, high = value.split("-", 1)
        return int(low, 16), int(high, 16)
    return int(value.replace("?", "0"), 16), int(value.replace("?", "F"), 16)


def katex_faces_for_formulas(css: str, formulas: list[str]) -> str:
    """KaTeX's stylesheet without the @font-face rules of the families no formula uses. A family is
    used when every class of some selector that sets it is on an element of the typeset formulas
    (``.katex .mathcal`` sets KaTeX_Caligraphic)."""
    classes = {name for html in formulas for match in CLASS_ATTRIBUTE.finditer(html) for name in match.group(1).split()}
    used = set()
    for selectors, declarations in RULE.findall(FONT_FACE.sub("", css)):
        families = KATEX_FAMILY.findall(declarations)
        if families and any(_selected(selector, classes) for selector in selectors.split(",")):
            used.update(families)

    def keep(rule: re.Match) -> str:
        family = KATEX_FAMILY.search(rule.group(0))
        return rule.group(0) if family is None or family.group(0) in used else ""

    return FONT_FACE.sub(keep, css)


def _selected(selector: str, classes: set[str]) -> bool:
    needed = set(re.findall(r"\.([\w-]+)", selector))
    return bool(needed) and needed <= classes


def referenced_files(css: str) -> set[str]:
    """The file names the stylesheet's url(...) point at."""
    return {url.rsplit("/", 1)[-1] for url in re.findall(r"url\(([^)]+)\)", css)}
