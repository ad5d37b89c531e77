"""Code blocks become snippet files: Python as ``.py``, interactive sessions as ``.pycon``, the
unlabelled block pasted after Python code as that code's expected output, anything else by its
language. Each block, fenced or indented by four spaces, is replaced in the slide by the
``snippet()`` call that shows it again."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt

from ..snippets.files import LANGUAGES
from ..syntax import FENCE_PARTS
from .edits import Edit
from .lexer import Fence, RemarkSlide, Token
from .names import SESSION_START, session_source

PYTHON = {"python", "py", "python3", "py3", "ipython", "ipython3", "pycon"}
SHELL = {"sh", "bash", "shell", "console", "zsh", "shell-session", "shellsession"}
SUFFIXES = {"javascript": ".js", "js": ".js", "json": ".json", "yaml": ".yaml", "yml": ".yaml",
            "toml": ".toml", "r": ".r", "julia": ".jl", "jl": ".jl", "c": ".c", "cpp": ".cpp",
            "c++": ".cpp", "html": ".html", "xml": ".xml", "css": ".css", "sql": ".sql", "text": ".txt",
            "txt": ".txt", "plain": ".txt", "plaintext": ".txt", "markdown": ".md", "md": ".md",
            "latex": ".tex", "tex": ".tex", "java": ".java", "go": ".go", "rust": ".rs", "ruby": ".rb",
            "cython": ".pyx", "pyx": ".pyx"}
# Cython shown as Python (Remark has no Cython highlighting): it does not run as Python
CYTHON = re.compile(r"^[ \t]*(?:cdef|cpdef|ctypedef|cimport)\b|^[ \t]*from[ \t]+[\w.]+[ \t]+cimport\b", re.M)
SHOWN_LANGUAGE = {**LANGUAGES, ".pycon": "python"}  # what snippet() shows each file as
HEADING = re.compile(r"^ {0,3}#{1,6}\s*(.+?)\s*#*\s*$", re.M)
CLASS_WRAPPER = re.compile(r"\.[A-Za-z_][-\w]*(?:\.[A-Za-z_][-\w]*)*\[|\]")
MAX_NAME = 24
COMMONMARK = MarkdownIt("commonmark")


@dataclass
class SnippetFile:
    """A snippet the import writes, and where it came from."""

    name: str
    suffix: str
    kind: str  # python, session, output, code
    body: list[str]
    slide: int  # index of the slide in Remark's parse (excluded slides included)
    fence: Fence
    highlight: list[int] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    expects: str | None = None  # the output snippet pasted after this code
    output_of: str | None = None  # the code snippet this output was pasted after

    @property
    def no_break_spaces(self) -> int:
        """How many non-breaking spaces of the original code are written as plain spaces."""
        return self.fence.code.count(NO_BREAK_SPACE)

    @property
    def filename(self) -> str:
        return self.name + self.suffix

    @property
    def runs(self) -> bool:
        return self.kind in ("python", "session")

    def python_source(self) -> str:
        text = "\n".join(self.body)
        return session_source(text) if self.kind == "session" else text

    def text(self) -> str:
        return "\n".join(self.header + self.body) + "\n"

    def call(self) -> str:
        """The Jinja that shows this snippet where its fence was."""
        arguments = [f'"{self.name}"']
        if self.highlight:
            arguments.append(f"highlight=[{', '.join(map(str, self.highlight))}]")
        shown = SHOWN_LANGUAGE.get(self.suffix, self.suffix.lstrip("."))
        if self.fence.language and self.fence.language != shown:
            arguments.append(f'lang="{self.fence.language}"')
        indent = f" | indent({len(self.fence.indent)})" if self.fence.indent else ""
        if self.fence.quote:  # every line of the block in the quote, as the original's were
            indent += f' | replace("\\n", "\\n{self.fence.quote}")'
        return f"{self.fence.indent}{{{{ snippet({', '.join(arguments)}){indent} }}}}"


def kind_of(fence: Fence) -> tuple[str, str]:
    """(kind, file suffix) of a fence by its language and content."""
    language = fence.language.lower()
    first_code = next((line.strip() for line in fence.code.split("\n") if line.strip()), "")
    if language in PYTHON | {""} and SESSION_START.match(first_code):
        return "session", ".pycon"
    if language in PYTHON and CYTHON.search(fence.code):
        return "code", ".pyx"
    if language in PYTHON:
        return "python", ".py"
    if language in SHELL:
        return "code", ".sh"
    if not language:
        return "code", ".txt"
    return "code", SUFFIXES.get(language, "." + re.sub(r"[^a-z0-9]+", "", language) or ".txt")


REMARK_MARKER = re.compile(r"^\*( )?")
HTML_LINE = re.compile(r"[ \t]*<[A-Za-z/!]")
QUOTE_MARKERS = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
NO_BREAK_SPACE = "\u00a0"


def body_and_highlight(fence: Fence, markers: bool = True) -> tuple[list[str], list[int]]:
    """The code as a file holds it (fence indentation removed, outer blank lines dropped) and the
    lines marked ``*`` (Remark's highlighted lines), numbered as snippet(highlight=...) counts."""
    width = len(fence.indent)
    code = fence.code.replace(NO_BREAK_SPACE, " ")  # it showed as a space; in Python it is a syntax error
    lines = [line[width:] if line[:width].strip() == "" else line.lstrip() for line in code.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    body, marked = [], []
    for number, line in enumerate(lines, start=1):
        if markers and line.startswith("*"):
            marked.append(number)
            line = REMARK_MARKER.sub(r"\1\1", line)  # as Remark shows it: "* " becomes two spaces
        body.append(line.rstrip())
    return body, marked


def slide_titles(source: str, slides: list[RemarkSlide]) -> list[str]:
    """A name for each slide's snippets: its ``name:`` property, else its first heading, else
    ``slide<N>``; a ``--`` step takes its slide's."""
    titles: list[str] = []
    for slide in slides:
        heading = HEADING.search(source, slide.start, slide.end)
        title = slide.properties.get("name") or (CLASS_WRAPPER.sub("", heading.group(1)) if heading else "")
        if slide.increment and titles:
            title = titles[-1]
        titles.append(slugify(title) or f"slide{slide.index + 1}")
    return titles


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > MAX_NAME:
            break
        slug = f"{slug}_{word}" if slug else word[:MAX_NAME]
    return slug


def plan_snippets(source: str, slides: list[RemarkSlide], markers: bool = True) -> tuple[list[SnippetFile], list[Edit]]:
    """Every fence of the deck as a snippet file, and the edit that shows it in its place;
    ``markers``: whether the page read a ``*`` starting a code line as a highlight marker (Remark's
    ``highlightLines``) or showed it."""
    titles = slide_titles(source, slides)
    taken: set[str] = {"prelude"}
    snippets: list[SnippetFile] = []
    edits: list[Edit] = []
    previous: SnippetFile | None = None
    for slide in slides:
        if not slide.increment:
            previous = None  # pasted output pairs with code of the same slide (its steps included)
        fences = slide.fences(source)
        for fence in sorted(fences + indented_blocks(source, slide, fences), key=lambda block: block.start):
            kind, suffix = kind_of(fence)
            body, marked = body_and_highlight(fence, markers)
            pasted = kind == "code" and not fence.language and previous is not None \
                and previous.kind == "python" and previous.expects is None
            if pasted:
                name = _unique(f"{previous.name}_output", taken)
                snippet = SnippetFile(name, ".txt", "output", body, slide.index, fence, marked, output_of=previous.name)
                previous.expects = name
            else:
                snippet = SnippetFile(_unique(titles[slide.index], taken), suffix, kind, body, slide.index, fence, marked)
            snippets.append(snippet)
            if _right_after_html_line(source, fence.start):
                # Remark's Markdown ends an HTML line where a fence starts; CommonMark, which the
                # build checks slides with, reads on as HTML until a blank line: write one
                edits.append(Edit(fence.start, fence.start, "\n"))
            elif _after_text_on_its_line(source, fence):
                # a fence opened as ".class[```python": Remark's lexer reads it there; the build
                # wants the fence alone on its line, and the slide shows the same either way
                edits.append(Edit(fence.start, fence.start, "\n"))
            edits.append(Edit(fence.start, fence.end, "", jinja=True, snippet=snippet))
            if source[fence.end:fence.end + 1] not in ("", "\n"):
                # a fence closed as "```]": Remark reads the bracket after it; the build wants the
                # fence alone on its line, and the slide shows the same either way
                edits.append(Edit(fence.end, fence.end, "\n"))
            previous = snippet
    return snippets, edits


def indented_blocks(source: str, slide: RemarkSlide, fences: list[Fence]) -> list[Fence]:
    """The slide's code blocks that Remark's lexer does not see as fences, found as the build's
    validation finds (and refuses) them, with markdown-it's CommonMark rules: blocks indented by
    four spaces, each as a Fence with no marker, its indentation that of the list item it is in;
    and fences indented by four spaces in a list item (Remark's lexer takes their lines for
    indented text)."""
    text = source[slide.start:slide.end]
    line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]
    blocks = []
    for token in COMMONMARK.parse(text):
        if not token.map:
            continue
        if token.type == "fence":
            block = _fence_in_list_item(source, slide, slide.start + line_starts[token.map[0]], fences) \
                or _fence_in_quote(source, slide, text, line_starts, token, fences)
        elif token.type == "code_block":
            block = _indented_block(source, slide, text, line_starts, token, fences)
        else:
            continue
        if block is not None:
            blocks.append(block)
    return blocks


def _fence_in_list_item(source: str, slide: RemarkSlide, opening: int, fences: list[Fence]) -> Fence | None:
    """The fence CommonMark finds starting at ``opening``, unless Remark's lexer found it too."""
    parts = FENCE_PARTS.match(source, opening)
    if not parts or _inside_fence(fences, opening):
        return None
    return Fence(start=parts.start(1), end=parts.end(), indent=parts.group(1), marker=parts.group(2),
                 language=parts.group(3) or "", code=parts.group(4), depth=0, in_notes=_in_notes(slide, opening))


def _indented_block(source: str, slide: RemarkSlide, text: str, line_starts: list[int], token,
                    fences: list[Fence]) -> Fence | None:
    """A block indented by four spaces as a Fence, its code indented as in its list item, unless it is
    inside one of Remark's fences."""
    start, end = _nonblank_span(text, line_starts, token.map)
    start, end = slide.start + start, slide.start + end
    if _inside_fence(fences, start):
        return None
    first = source[start:end].split("\n")[0]
    first_code = next(line for line in token.content.split("\n") if line.strip())
    # the block's own indentation beyond the 4 spaces belongs to its code, not to a list item
    beyond = len(first_code) - len(first_code.lstrip(" "))
    indent = " " * max(len(first) - len(first.lstrip(" ")) - 4 - beyond, 0)
    content = textwrap.dedent(token.content).rstrip("\n")  # relative to its list item, as written
    code = "\n".join(indent + line if line else line for line in content.split("\n"))
    return Fence(start=start, end=end, indent=indent, marker="", language="", code=code,
                 in_notes=_in_notes(slide, start), depth=0)


def _fence_in_quote(source: str, slide: RemarkSlide, text: str, line_starts: list[int], token,
                    fences: list[Fence]) -> Fence | None:
    """A fence in a blockquote (``> ```python``), which Remark's lexer does not see as one, as a
    Fence from after the quote markers of its first line to the end of its last line."""
    lines = text.split("\n")[token.map[0]:token.map[1]]
    quote = QUOTE_MARKERS.match(lines[0])
    start = slide.start + line_starts[token.map[0]]
    if not quote or not quote.group(0).strip() or _inside_fence(fences, start):
        return None
    end = slide.start + line_starts[token.map[1] - 1] + len(lines[-1])
    return Fence(start=start + quote.end(), end=end, indent="", marker=token.markup,
                 language=token.info.split()[0] if token.info.strip() else "", code=token.content.rstrip("\n"),
                 in_notes=_in_notes(slide, start), depth=0, quote=quote.group(0))


def _nonblank_span(text: str, line_starts: list[int], line_range: list[int]) -> tuple[int, int]:
    """Where in ``text`` the lines of ``line_range`` start and end, outer blank lines left out."""
    lines = text.split("\n")
    numbers = [number for number in range(*line_range) if lines[number].strip()]
    return line_starts[numbers[0]], line_starts[numbers[-1]] + len(lines[numbers[-1]])


def _inside_fence(fences: list[Fence], offset: int) -> bool:
    return any(fence.start <= offset < fence.end for fence in fences)


def _in_notes(slide: RemarkSlide, offset: int) -> bool:
    return slide.notes_start is not None and offset >= slide.notes_start


def prose_tokens(source: str, slide: RemarkSlide) -> list[Token]:
    """The slide's text as Markdown reads it: its text tokens, and Remark's "code" tokens (lines
    indented by four spaces, which Remark's lexer sets apart) with their real code blocks blanked,
    since Markdown reads indented lines that continue a list item as text."""
    blocks = None
    tokens = []
    for token in slide.tokens:
        if token.type == "text":
            tokens.append(token)
        elif token.type == "code":
            blocks = indented_blocks(source, slide, slide.fences(source)) if blocks is None else blocks
            text = list(token.text)
            for block in blocks:
                for at in range(max(block.start - token.start, 0), min(block.end - token.start, len(text))):
                    text[at] = text[at] if text[at] == "\n" else " "
            tokens.append(replace(token, type="text", text="".join(text)))
    return tokens


def _after_text_on_its_line(source: str, fence: Fence) -> bool:
    return not fence.quote and bool(source[source.rfind("\n", 0, fence.start) + 1:fence.start].strip())


def _right_after_html_line(source: str, start: int) -> bool:
    """Whether the line just before the one starting at ``start`` is HTML (not blank)."""
    if start < 2 or source[start - 2] == "\n":
        return False
    return bool(HTML_LINE.match(source, source.rfind("\n", 0, start - 1) + 1))


def _unique(base: str, taken: set[str]) -> str:
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    taken.add(name)
    return name


def finish_headers(snippets: list[SnippetFile], requires: dict[str, list[str]]) -> None:
    """Header lines: what each snippet requires, and the pairing with its pasted output."""
    for snippet in snippets:
        if requires.get(snippet.name):
            snippet.header.append(f"# requires: {', '.join(requires[snippet.name])}")
        if snippet.expects:
            snippet.header += ["# echo: last", f"# expects: {snippet.expects}"]
