"""What Chromium leaves out of a printed PDF, added as one incremental update (the printed bytes stay
as they are, followed by the new objects): document information such as the author, and the
outline, one bookmark per slide.

Chromium's own outline (``page.pdf(outline=True)``) is made of the headings: several per slide,
nested by level, none for a slide without a heading, a picture's alt text run into the title. A
deck's reader wants one bookmark per slide, named by its title, so the outline is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REFERENCE = rb"(\d+)\s+(\d+)\s+R"


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based


def add_document_info(pdf: bytes, entries: dict[str, str]) -> bytes:
    """The PDF with ``entries`` (e.g. Author) added to its document information dictionary."""
    return finish_pdf(pdf, entries, [])


def finish_pdf(pdf: bytes, info: dict[str, str], bookmarks: list[Bookmark]) -> bytes:
    """The PDF with ``info`` added to its document information (keys it has already are kept) and,
    if there are ``bookmarks``, an outline of them shown when the PDF opens."""
    trailer_at = pdf.rfind(b"trailer")
    startxref = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if (not info and not bookmarks) or trailer_at < 0 or startxref is None:
        return pdf
    update = _Update(pdf, pdf[trailer_at:startxref.start()])
    if info:
        update.add_info(info)
    if bookmarks:
        update.add_outline(bookmarks)
    return pdf + update.written(int(startxref.group(1)))


class _Update:
    """The objects of an incremental update, as they are added, and the trailer that ends it."""

    def __init__(self, pdf: bytes, trailer: bytes):
        self.pdf = pdf
        self.trailer = trailer
        self.size = int(re.search(rb"/Size\s+(\d+)", trailer).group(1))
        self.root = int(re.search(rb"/Root\s+" + REFERENCE, trailer).group(1))
        info = re.search(rb"/Info\s+" + REFERENCE, trailer)
        self.info = int(info.group(1)) if info else None
        self.objects: dict[int, bytes] = {}
        self.offsets = xref_offsets(pdf)

    def new_number(self) -> int:
        self.size += 1
        return self.size - 1

    def add_info(self, entries: dict[str, str]) -> None:
        number = self.info if self.info is not None else self.new_number()
        old = object_dictionary(self.pdf, number, self.offsets) if self.info is not None else b""
        added = b"".join(b"/" + key.encode("ascii") + b" " + pdf_text(value) + b"\n"
                         for key, value in entries.items() if not re.search(rb"/" + key.encode("ascii") + rb"\b", old))
        self.objects[number] = b"<<" + old + b"\n" + added + b">>"
        self.info = number

    def add_outline(self, bookmarks: list[Bookmark]) -> None:
        """An Outlines dictionary with one item per bookmark, each opening its page whole, and the
        catalog pointing at it (and asking viewers to show it)."""
        pages = page_references(self.pdf, self.root, self.offsets)
        outline = self.new_number()
        items = [self.new_number() for _ in bookmarks]
        for index, (number, bookmark) in enumerate(zip(items, bookmarks)):
            links = b"".join(b" /%s %d 0 R" % (key, items[index + step]) for key, step in ((b"Prev", -1), (b"Next", 1))
                             if 0 <= index + step < len(items))
            self.objects[number] = (b"<</Title " + pdf_text(bookmark.title) + b" /Parent %d 0 R%s /Dest [%s /Fit]>>"
                                    % (outline, links, pages[bookmark.page]))
        self.objects[outline] = b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (
            items[0], items[-1], len(items))
        catalog = re.sub(rb"/(?:Outlines\s+" + REFERENCE + rb"|PageMode\s*/\w+)", b"",
                         object_dictionary(self.pdf, self.root, self.offsets))
        self.objects[self.root] = b"<<" + catalog + b"\n/Outlines %d 0 R\n/PageMode /UseOutlines>>" % outline

    def written(self, previous_xref: int) -> bytes:
        """The objects, a cross-reference section listing each (one subsection per object) and a
        trailer pointing back at the previous section."""
        body, offsets = b"\n", {}
        for number, dictionary in sorted(self.objects.items()):
            offsets[number] = len(self.pdf) + len(body)
            body += b"%d 0 obj\n%s\nendobj\n" % (number, dictionary)
        xref_at = len(self.pdf) + len(body)
        # the free list's head first, as a table that starts at object 0 (readers such as pypdf check)
        xref = b"xref\n0 1\n0000000000 65535 f \n" + b"".join(
            b"%d 1\n%010d 00000 n \n" % (number, at) for number, at in offsets.items())
        identifier = re.search(rb"/ID\s*\[[^\]]*\]", self.trailer)
        info = b" /Info %d 0 R" % self.info if self.info is not None else b""
        trailer = (b"trailer\n<</Size %d /Root %d 0 R%s /Prev %d%s>>\n" % (
            self.size, self.root, info, previous_xref, b" " + identifier.group(0) if identifier else b""))
        return body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % xref_at


def page_references(pdf: bytes, root: int, offsets: dict[int, int] | None = None) -> list[bytes]:
    """``N 0 R`` of each page, in order, walking the page tree from the catalog."""
    offsets = xref_offsets(pdf) if offsets is None else offsets
    tree = re.search(rb"/Pages\s+" + REFERENCE, object_dictionary(pdf, root, offsets))
    pages, pending = [], [int(tree.group(1))]
    while pending:
        number = pending.pop(0)
        if _is_page(pdf, number, offsets):
            pages.append(b"%d 0 R" % number)
            continue
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", object_dictionary(pdf, number, offsets))
        pending[:0] = [int(kid.group(1)) for kid in re.finditer(REFERENCE, kids.group(1))] if kids else []
    return pages


def _is_page(pdf: bytes, number: int, offsets: dict[int, int]) -> bool:
    """Whether an object of the page tree is a page (a leaf), from the start of its dictionary where
    Chromium writes its /Type, else from the whole of it."""
    start = offsets.get(number)
    head = re.match(rb"\d+ 0 obj\s*<<\s*/Type\s*/(Pages?)\b", pdf[start:start + 64]) if start is not None else None
    if head:
        return head.group(1) == b"Page"
    return not re.search(rb"/Type\s*/Pages\b", object_dictionary(pdf, number, offsets))


def xref_offsets(pdf: bytes) -> dict[int, int]:
    """Where each object is, from the classic cross-reference tables (the last one first, then
    those it points back to); empty for a PDF that keeps them in streams."""
    offsets: dict[int, int] = {}
    at = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    position = int(at.group(1)) if at else -1
    while position >= 0 and pdf.startswith(b"xref", position):
        end = pdf.find(b"trailer", position)
        lines = pdf[position + 4:end].split()
        index = 0
        while index + 1 < len(lines):
            first, count = int(lines[index]), int(lines[index + 1])
            for entry in range(count):
                offset, _, kind = lines[index + 2 + 3 * entry:index + 5 + 3 * entry]
                if kind == b"n":
                    offsets.setdefault(first + entry, int(offset))
            index += 2 + 3 * count
        previous = re.search(rb"/Prev\s+(\d+)", pdf[end:pdf.find(b">>", end)])
        position = int(previous.group(1)) if previous else -1
    return offsets


def object_dictionary(pdf: bytes, number: int, offsets: dict[int, int] | None = None) -> bytes:
    """The inside of object ``number``'s dictionary (between its outer ``<<`` and ``>>``), as last
    written; found through ``offsets`` (``xref_offsets``) when they know it."""
    pattern = re.compile(rb"(?<![0-9])%d 0 obj\s*<<(.*?)>>\s*(?:endobj|stream)" % number, re.DOTALL)
    offsets = xref_offsets(pdf) if offsets is None else offsets
    if number in offsets:
        found = pattern.match(pdf, offsets[number])
    else:
        found = None
        for found in pattern.finditer(pdf):
            pass
    return found.group(1).rstrip() if found else b""


def pdf_text(value: str) -> bytes:
    """A PDF text string that holds any Unicode: UTF-16BE with its byte-order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
