"""What a reader sees in a PDF, read with Python libraries from the lock (pypdf for structure and
metadata, pypdfium2 for text placement and pixels), never with system programs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from pypdf import PdfReader


@dataclass(frozen=True)
class Word:
    """A word and its box in points, from the top-left corner of the page."""

    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def document_info(pdf: Path) -> dict[str, str]:
    """Title, Author, ... of the document information; a broken cross-reference table raises."""
    reader = PdfReader(pdf, strict=True)
    return {key.lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()}


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf, strict=True).pages)


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) of each page in points."""
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(pdf).pages]


def page_texts(pdf: Path) -> list[str]:
    """Each page's words in reading order (lines top to bottom, words left to right), space-separated."""
    with pypdfium2.PdfDocument(pdf) as document:
        return [" ".join(word.text for word in _page_words(page)) for page in document]


def words(pdf: Path, page_number: int) -> list[Word]:
    """The words of a page (1-based) in reading order, each with the box of its glyphs' advances."""
    with pypdfium2.PdfDocument(pdf) as document:
        return _page_words(document[page_number - 1])


def _page_words(page) -> list[Word]:
    """Glyphs grouped into lines by their vertical overlap and into words by the gaps between them
    (or a change of size, as from a limit to its integral sign), as a reader's eye does; the text
    layer's own spaces are unreliable in Chromium's PDFs."""
    height, text = page.get_height(), page.get_textpage()
    units = text.get_text_range().encode("utf-16-le")  # pdfium counts UTF-16 code units
    glyphs, index = [], 0
    while index < text.count_chars():
        width = 2 if 0xD800 <= int.from_bytes(units[2 * index:2 * index + 2], "little") < 0xDC00 else 1
        char = units[2 * index:2 * (index + width)].decode("utf-16-le", errors="replace")
        if char.strip():
            left, bottom, right, top = text.get_charbox(index, loose=True)
            glyphs.append(Word(char, left, height - top, right, height - bottom))
        index += width
    return [word for line in _lines(glyphs) for word in _split_words(line)]


def _lines(glyphs: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.y_min + g.y_max) / 2):
        middle = (glyph.y_min + glyph.y_max) / 2
        line = lines[-1] if lines else None
        if line and min(g.y_min for g in line) <= middle <= max(g.y_max for g in line):
            line.append(glyph)
        else:
            lines.append([glyph])
    return [sorted(line, key=lambda g: g.x_min) for line in lines]


def _split_words(line: list[Word]) -> list[Word]:
    groups = [[line[0]]]
    for previous, glyph in zip(line, line[1:]):
        sizes = sorted((previous.y_max - previous.y_min, glyph.y_max - glyph.y_min))
        if glyph.x_min - previous.x_max > 0.1 * sizes[0] or sizes[1] > 1.5 * sizes[0]:  # a gap, or a change of size
            groups.append([])
        groups[-1].append(glyph)
    return [Word("".join(g.text for g in group), min(g.x_min for g in group), min(g.y_min for g in group),
                 max(g.x_max for g in group), max(g.y_max for g in group)) for group in groups]


def gray_pixels(pdf: Path, page_number: int, dpi: int = 96) -> tuple[int, int, bytes]:
    """One page (1-based) rendered as 8-bit gray: (width, height, pixels row by row)."""
    with pypdfium2.PdfDocument(pdf) as document:
        image = document[page_number - 1].render(scale=dpi / 72).to_pil().convert("L")
        return image.width, image.height, image.tobytes()


@dataclass(frozen=True)
class Tagging:
    """What assistive technology finds in a PDF: whether it is tagged, its language, its bookmarks,
    how many tags of each kind (H1, P, Figure, Code, Link, ...) and each Figure's alternative text."""

    tagged: bool
    language: str
    outline: list[tuple[str, int]]  # (title, 1-based page) of each top-level bookmark
    tags: Counter
    figures: list[str]  # the /Alt of each Figure tag, "" where it has none


def tagging(pdf: Path) -> Tagging:
    reader = PdfReader(pdf, strict=True)
    root = reader.trailer["/Root"]
    tags, figures = Counter(), []
    structure = root.get("/StructTreeRoot")
    if structure is not None:
        for element in _elements(structure.get_object().get("/K")):
            tags[str(element["/S"]).lstrip("/")] += 1
            if element["/S"] == "/Figure":
                figures.append(str(element.get("/Alt", "")))
    outline = [(item.title, reader.get_destination_page_number(item) + 1)
               for item in reader.outline if not isinstance(item, list)]
    marked = bool(root.get("/MarkInfo", {}).get("/Marked"))
    return Tagging(structure is not None and marked, str(root.get("/Lang", "")), outline, tags, figures)


def _elements(kids):
    """The structure elements under ``kids``, depth first (marked content and annotations left out)."""
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            yield kid
            yield from _elements(kid.get("/K"))
