"""The deck to import, read as the browser read it: a Remark Markdown file, or an HTML page with
the deck in ``<textarea id="source">`` or loaded by ``remark.create({sourceUrl: ...})``; from the
page also its ``<title>``, its ``remark.create`` options and the macros its scripts define.

The options are what the page's own scripts (inline, and local files it loads that are not
libraries) pass to ``remark.create`` when run in embedded V8 with a stand-in browser (no DOM, an
empty URL): ``var options = {...}; remark.create(options)``, options computed from the URL, or a
call in ``js/app.js`` are read as the browser would have read them. So are the TeX macros those
scripts give MathJax or KaTeX."""

from __future__ import annotations

import html
import json
import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from py_mini_racer import MiniRacer

from ..config import read_text
from ..errors import DeckImportError, Location
from ..jsbrowser import STAND_IN_BROWSER
from ..katex import in_event_loop

MACRO_START = re.compile(r"remark\.macros(?:\.([A-Za-z_$][\w$]*)|\[\s*['\"]([^'\"]+)['\"]\s*\])\s*=")
CREATE = re.compile(r"remark\.create\s*\(")
# Scripts of the page that are libraries, not the page's own code: not run.
LIBRARY = re.compile(r"(^|/)(remark|katex|auto-render|mathjax|jquery|highlight|hljs|reveal|d3)[\w.-]*\.js$|\.min\.js$", re.I)
SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module", "text/x-mathjax-config")
RUN_SECONDS = 5
# What the page's scripts set up, recorded as they run in the stand-in browser: the options they give
# remark.create (whose callback runs then, as in Remark), and the TeX macros they give MathJax 2
# (MathJax.Hub.Config), MathJax 3 (window.MathJax) or KaTeX (renderMathInElement).
PAGE = r"""
var remarkdeckPage = {options: undefined, created: false, macros: {}};
var remarkdeckTakeMacros = function (macros, bare) {  // MathJax names its macros without the backslash
  Object.keys(macros || {}).forEach(function (name) {
    var value = macros[name];
    remarkdeckPage.macros[bare ? "\\" + name : name] = Array.isArray(value) ? value : [value];
  });
};
var remark = {macros: {}, create: function (options, callback) {
  if (!remarkdeckPage.created) {
    remarkdeckPage.created = true;
    remarkdeckPage.options = JSON.stringify(options === undefined ? {} : options, function (key, value) {
      return typeof value === "function" ? "[function]" : value;
    });
    if (typeof callback === "function") { callback(); }
  }
  return anything;
}};
var MathJax = new Proxy({Hub: new Proxy({Config: function (config) {
  if (config && config.TeX) { remarkdeckTakeMacros(config.TeX.Macros, true); }
}}, {get: function (target, key) { return key in target ? target[key] : anything; }})},
  {get: function (target, key) { return key in target ? target[key] : anything; }});
var renderMathInElement = function (element, options) { remarkdeckTakeMacros(options && options.macros, false); };
var remarkdeckPageMacros = function () {
  if (MathJax && MathJax.tex && typeof MathJax.tex === "object") { remarkdeckTakeMacros(MathJax.tex.macros, true); }
  return JSON.stringify(remarkdeckPage.macros);
};
"""


@dataclass
class DeckSource:
    path: Path  # the file the Markdown came from
    page: Path | None  # the HTML page, if the deck came from one
    markdown: str
    base: Path  # the folder relative URLs of the slides resolve against
    title: str = ""
    language: str = ""  # the page's <html lang>
    author: str = ""  # the page's <meta name="author">
    options: dict = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)  # name -> its JavaScript definition
    markdown_line: int = 1  # the line of the page where the Markdown starts
    notes: list[str] = field(default_factory=list)  # what could not be read from the page
    math_macros: dict[str, list] = field(default_factory=dict)  # the page's TeX macros: name -> [definition, ...]
    styles: list[tuple[str, str]] = field(default_factory=list)  # the page's CSS: (href or "", text) in order
    unread_scripts: list[str] = field(default_factory=list)  # the page's own scripts not read: from the web, missing


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.title, self.textarea, self.language, self.author = "", None, "", ""
        self.scripts: list[tuple[str, str, str]] = []  # (src, type, text) in page order
        self.styles: list[tuple[str, str]] = []  # (href of a linked stylesheet or "", text) in page order
        self._in, self._buffer, self.textarea_line, self._script = None, [], 0, ("", "")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html" and not self.language:
            self.language = (attributes.get("lang") or "").strip()
        elif tag == "meta" and (attributes.get("name") or "").lower() == "author" and not self.author:
            self.author = html.unescape(attributes.get("content") or "").strip()
        elif tag == "textarea" and attributes.get("id") == "source" and self.textarea is None:
            self._in, self._buffer, self.textarea_line = "textarea", [], self.getpos()[0]
            self.set_cdata_mode("textarea")  # its content is text, as in the browser
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower().split():
            if attributes.get("href"):
                self.styles.append((attributes["href"], ""))
        elif tag in ("title", "script", "style") and self._in is None:
            self._in, self._buffer = tag, []
            if tag == "script":
                self._script = (attributes.get("src") or "", (attributes.get("type") or "").strip().lower())

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = "".join(self._buffer)
        if tag == "textarea":
            self.textarea = html.unescape(text)
        elif tag == "title":
            self.title = html.unescape(text).strip()
        elif tag == "style":
            self.styles.append(("", text))
        else:
            self.scripts.append((*self._script, text))
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
    reader = _parsed_page(path)
    scripts, missing = _page_scripts(path, reader.scripts)
    run = _run_page(scripts)
    macros = _macro_definitions(scripts)
    notes = _page_notes(missing, run.problem)
    unread = missing + _scripts_from_the_web(reader.scripts)
    chosen_by_url = "sourceUrl" in run.options or any("sourceUrl" in script for script in scripts)
    if reader.textarea is not None and (reader.textarea.strip() or not chosen_by_url):
        return DeckSource(path, path, _textarea_markdown(reader.textarea), path.parent, reader.title,
                          reader.language, reader.author, run.options, macros, reader.textarea_line + 1, notes=notes,
                          math_macros=run.math_macros, styles=reader.styles, unread_scripts=unread)
    markdown_path = _markdown_file(path, run, chosen_by_url)
    return DeckSource(markdown_path, path, read_text(markdown_path), path.parent, reader.title, reader.language,
                      reader.author, run.options, macros, notes=notes, math_macros=run.math_macros, styles=reader.styles,
                      unread_scripts=unread)


def _parsed_page(path: Path) -> _PageReader:
    reader = _PageReader()
    reader.feed(read_text(path))
    reader.close()
    return reader


def _page_notes(missing: list[str], problem: str) -> list[str]:
    """What the import could not read from the page, for the report."""
    notes = [f"the page loads the script {src}, which is not there: what it sets up (options, macros, TeX "
             "macros) is not read" for src in missing]
    if problem:
        notes.append(f"the options the page gives remark.create could not be read ({problem}): Remark's "
                     "defaults written to the front matter; edit them to match the page")
    return notes


def _textarea_markdown(textarea: str) -> str:
    # the browser drops a newline right after <textarea>
    return textarea[1:] if textarea.startswith("\n") else textarea


def _markdown_file(path: Path, run: PageRun, chosen_by_url: bool) -> Path:
    """The local Markdown file the page loads by ``remark.create({sourceUrl: ...})``; raises
    DeckImportError when the page names none, or one that cannot be read."""
    url = run.options.get("sourceUrl")
    if not isinstance(url, str) or not url:
        raise _no_fixed_markdown(path, run.problem, chosen_by_url)
    if urlsplit(url).scheme or urlsplit(url).netloc:
        raise DeckImportError(f"the deck is loaded from the web ({url}): download it and import the "
                              "Markdown file", Location(path, 1))
    markdown_path = path.parent / unquote(urlsplit(url).path)
    if not markdown_path.is_file():
        raise DeckImportError(f"the page loads its slides from '{url}', which is not there "
                              f"(expected {markdown_path})", Location(path, 1))
    return markdown_path


def _no_fixed_markdown(path: Path, problem: str, chosen_by_url: bool) -> DeckImportError:
    """Why no Markdown file can be read: the page picks it as it runs, or it holds no deck at all."""
    if problem or chosen_by_url:
        return DeckImportError("this page chooses the Markdown file of its slides when it runs "
                               f"({problem or 'sourceUrl is not a fixed file name'}): import that Markdown "
                               "file itself (remarkdeck import slides.md)", Location(path, 1))
    return DeckImportError("no Remark deck in this page: expected <textarea id=\"source\"> or "
                           "remark.create({sourceUrl: \"deck.md\"})", Location(path, 1))


def _page_scripts(page: Path, scripts: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    """The text of the page's own scripts, in order: inline ones, and local files it loads that are
    not libraries (Remark, MathJax, KaTeX, ...); and the local files it loads that are not there."""
    texts, missing = [], []
    for src, kind, text in scripts:
        if kind not in SCRIPT_TYPES:
            continue
        if not src:
            texts.append(text)
            continue
        parts = urlsplit(src)
        local = page.parent / unquote(parts.path)
        if parts.scheme or parts.netloc or LIBRARY.search(parts.path):
            continue
        if local.is_file():
            texts.append(read_text(local))
        else:
            missing.append(src)
    return texts, missing


def _scripts_from_the_web(scripts: list[tuple[str, str, str]]) -> list[str]:
    """The page's own scripts (not libraries) that it loads from the web: never fetched."""
    return [src for src, kind, _ in scripts if kind in SCRIPT_TYPES and src and
            (urlsplit(src).scheme or urlsplit(src).netloc) and not LIBRARY.search(urlsplit(src).path)]


@dataclass
class PageRun:
    options: dict  # given to remark.create (functions noted as "[function]")
    problem: str  # why remark.create could not be followed to, "" if it was (or never called)
    math_macros: dict[str, list]  # TeX macro -> [definition, number of arguments?, default?]


def _run_page(scripts: list[str]) -> PageRun:
    """What the page's scripts set up, run one by one as the browser runs them, then their load
    handlers: a script that fails stops alone."""
    context = MiniRacer()
    errors = []
    timeout = None if in_event_loop() else RUN_SECONDS
    try:
        context.eval(STAND_IN_BROWSER)
        context.eval(PAGE)
        for script in scripts + ["remarkdeckLoaded(function () { return false; })"]:
            try:
                context.eval(script, timeout_sec=timeout)
            except Exception as error:  # the page's own code: any JavaScript error is the page's
                errors.append(str(error).splitlines()[0])
        created = context.eval("remarkdeckPage.created")
        options = json.loads(context.eval("remarkdeckPage.options") or "{}") if created else {}
        macros = json.loads(context.eval("remarkdeckPageMacros()"))
    finally:
        context.close()
    calls_create = any(CREATE.search(script) for script in scripts)
    problem = "" if created or not calls_create else "; ".join(errors) or "remark.create was not called"
    return PageRun(options, problem, macros)


def _macro_definitions(scripts: list[str]) -> dict[str, str]:
    """Each macro's name and the code that defines it: the whole script that assigns it, since its
    macros may use the functions and values defined beside them, unless that script also starts the
    slideshow; then the assignment alone. Macros of one script share its code (the same string)."""
    macros = {}
    for script in scripts:
        if not CREATE.search(script):
            whole = textwrap.dedent(script).strip("\n") + "\n"
            macros.update((match.group(1) or match.group(2), whole) for match in MACRO_START.finditer(script))
            continue
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
