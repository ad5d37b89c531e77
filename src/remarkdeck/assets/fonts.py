"""Which web fonts a deck needs: the @font-face rules whose characters its text uses, and the KaTeX
font families its typeset formulas use. A reader's browser (and the PDF printer, which loads every
declared face before printing) then fetches and decodes only those."""

from __future__ import annotations

import re

FONT_FACE = re.compile(r"(?:/\*[^*]*\*/\s*)?@font-face\s*\{[^}]*\}")
UNICODE_RANGE = re.compile(r"unicode-range:\s*([^;}]+)")
FONT_FILE = re.compile(r"url\(\./files/([^)]+\.woff2)\)")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
KATEX_FAMILY = re.compile(r"KaTeX_\w+")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def faces_for_text(css: str, text: str) -> str:
    """``css`` without the @font-face rules whose unicode-range no character of ``text`` falls in
    (a rule with no unicode-range covers everything and stays)."""
    return faces_for_code_points(css, {ord(char) for char in text})


def faces_for_code_points(css: str, code_points: set[int]) -> str:
    """``css`` without the @font-face rules whose unicode-range none of ``code_points`` falls in."""
    return FONT_FACE.sub(lambda rule: rule.group(0) if _covers(rule.group(0), code_points) else "", css)


def covered_code_points(css: str, code_points: set[int]) -> set[int]:
    """Those of ``code_points`` that a face of ``css`` claims by its unicode-range (a face with none
    claims nothing here: what it has is not known from its rule)."""
    ranges = [_range(part.strip()) for found in UNICODE_RANGE.finditer(css) for part in found.group(1).split(",")]
    return {point for point in code_points if any(low <= point <= high for low, high in ranges)}


def with_unicode_ranges(css: str, combined: str) -> str:
    """``css``, a stylesheet of one subset's faces (fontsource's ``latin-400.css``, which declares
    no unicode-range), with each face's unicode-range from ``combined`` (``400.css``, every subset
    with its range), found by its font file; a face it does not list is left as it is."""
    ranges = {}
    for rule in FONT_FACE.finditer(combined):
        found, file = UNICODE_RANGE.search(rule.group(0)), FONT_FILE.search(rule.group(0))
        if found and file:
            ranges[file.group(1)] = found.group(1).strip()

    def add_range(rule: re.Match) -> str:
        text = rule.group(0)
        file = FONT_FILE.search(text)
        if UNICODE_RANGE.search(text) or not file or file.group(1) not in ranges:
            return text
        closing = text.rindex("}")
        return f"{text[:closing].rstrip()}\n  unicode-range: {ranges[file.group(1)]};\n}}"

    return FONT_FACE.sub(add_range, css)


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
