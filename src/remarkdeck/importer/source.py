"""The deck to import, read as the browser read it: a Remark Markdown file, or an HTML page with
the deck in ``<textarea id="source">`` or loaded by ``remark.create({sourceUrl: ...})``; from the
page also its ``<title>``, its ``remark.create`` options and the macros its scripts define."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from py_mini_racer import MiniRacer

from ..config import read_text
from ..errors import DeckImportError, Location

MACRO_START = re.compile(r"remark\.macros(?:\.([A-Za-z_$][\w$]*)|\[\s*['\"]([^'\"]+)['\"]\s*\])\s*=")
CREATE = re.compile(r"remark\.create\s*\(")


@dataclass
class DeckSource:
    path: Path  # the file the Markdown came from
    page: Path | None  # the HTML page, if the deck came from one
    markdown: str
    base: Path  # the folder relative URLs of the slides resolve against
    title: str = ""
    options: dict = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)  # name -> its JavaScript definition
    markdown_line: int = 1  # the line of the page where the Markdown starts


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.title, self.textarea, self.scripts = "", None, []
        self._in, self._buffer, self.textarea_line = None, [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "textarea" and attributes.get("id") == "source" and self.textarea is None:
            self._in, self._buffer, self.textarea_line = "textarea", [], self.getpos()[0]
            self.set_cdata_mode("textarea")  # its content is text, as in the browser
        elif tag in ("title", "script") and self._in is None:
            self._in, self._buffer = tag, []

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = "".join(self._buffer)
        if tag == "textarea":
            self.textarea = html.unescape(text)
        elif tag == "title":
            self.title = html.unescape(text).strip()
        else:
            self.scripts.append(text)
        self._in = None

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def read_source(path: Path) -> DeckSource:
    if not path.is_file():
        raise DeckImportError(f"no such file: {path}; give a Remark Markdown file (.md) or the HTML "
                              "page that shows the deck", Location(path))
    if path.suffix.lower() not in (".html", ".htm"):
        return DeckSource(path=path, page=None, markdown=read_text(path), base=path.parent)
    return _read_page(path)


def _read_page(path: Path) -> DeckSource:
    reader = _PageReader()
    reader.feed(read_text(path))
    reader.close()
    options = _create_options(path, reader.scripts)
    macros = _macro_definitions(reader.scripts)
    if reader.textarea is not None:
        markdown = reader.textarea
        # the browser drops a newline right after <textarea>
        markdown = markdown[1:] if markdown.startswith("\n") else markdown
        return DeckSource(path, path, markdown, path.parent, reader.title, options, macros, reader.textarea_line + 1)
    url = options.get("sourceUrl")
    if not url:
        raise DeckImportError("no Remark deck in this page: expected <textarea id=\"source\"> or "
                              "remark.create({sourceUrl: \"deck.md\"})", Location(path, 1))
    if urlsplit(url).scheme or urlsplit(url).netloc:
        raise DeckImportError(f"the deck is loaded from the web ({url}): download it and import the "
                              "Markdown file", Location(path, 1))
    markdown_path = path.parent / unquote(urlsplit(url).path)
    if not markdown_path.is_file():
        raise DeckImportError(f"the page loads its slides from '{url}', which is not there "
                              f"(expected {markdown_path})", Location(path, 1))
    return DeckSource(markdown_path, path, read_text(markdown_path), path.parent, reader.title, options, macros)


def _create_options(path: Path, scripts: list[str]) -> dict:
    """The object given to ``remark.create``, evaluated as JavaScript (functions noted, not kept)."""
    for script in scripts:
        match = CREATE.search(script)
        if match is None:
            continue
        argument = _balanced(script, match.end() - 1, "(", ")")
        if not argument.strip():
            return {}
        context = MiniRacer()
        try:
            text = context.eval("JSON.stringify((" + argument + "), function (key, value) {"
                                " return typeof value === 'function' ? '[function]' : value; })")
        except Exception as error:  # the page's own script: any JavaScript error is the page's
            raise DeckImportError(f"cannot read the options given to remark.create: {error}; simplify "
                                  "them to a plain object", Location(path, 1)) from None
        finally:
            context.close()
        return json.loads(text) if text else {}
    return {}


def _macro_definitions(scripts: list[str]) -> dict[str, str]:
    macros = {}
    for script in scripts:
        for match in MACRO_START.finditer(script):
            brace = script.find("{", match.end())
            if brace < 0:
                continue
            body_end = brace + len(_balanced(script, brace, "{", "}")) + 2
            end = body_end + 1 if script[body_end:body_end + 1] == ";" else body_end
            definition = script[match.start():end].rstrip()
            macros[match.group(1) or match.group(2)] = definition if definition.endswith(";") else definition + ";"
    return macros


def _balanced(text: str, opening: int, open_char: str, close_char: str) -> str:
    """The text between ``text[opening]`` and its matching closing character (strings skipped)."""
    depth, at, quote = 0, opening, ""
    while at < len(text):
        char = text[at]
        if quote:
            if char == "\\":
                at += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif char == open_char:
            depth += 1
        elif char == close_char:
            depth -= 1
            if depth == 0:
                return text[opening + 1:at]
        at += 1
    return text[opening + 1:]
