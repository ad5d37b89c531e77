"""Remark macros (``![:scale 50%](../img/x.png)``): where a deck uses them, which are defined, what
they expand to, and the ``macros.js`` a deck's page loads.

Uses are found by a port of Remark 0.14's lexer, which expands macros everywhere except in code.
Definitions come from the package's ``templates/builtin-macros.js`` (``scale``), then the project's
``templates/macros.js`` (all decks) and ``templates/macros/<deck>.js`` (one deck), each holding
``remark.macros.NAME = function (...) { ... };``. The build runs them in V8 (mini-racer) as the page
will, in a stand-in browser (jsbrowser.py), so a macro nothing defines, or a macro file that throws,
is an error at its line instead of a blank page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .errors import Location, ValidationError
from .jsbrowser import STAND_IN_BROWSER
from .project import PACKAGE_TEMPLATES, Project
from .syntax import BLOCK, CONTENT, INLINE, MACRO, MACRO_ARGS, MACRO_OBJ, text_in_brackets

BUILTIN_FILE = PACKAGE_TEMPLATES / "builtin-macros.js"
PROJECT_FILE = "macros.js"
EXPANSION_DEPTH = 20  # a macro whose output uses itself would make Remark recurse without end

LEADING_SPACE = re.compile(r"^([ \t]*)[^ \t\n]", re.M)
DEFINED = re.compile(r"\bremark\.macros\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*[\"']([^\"']+)[\"']\s*\])\s*=")


@dataclass(frozen=True)
class MacroUse:
    """``![:name arg1, arg2](value)`` at ``offset`` of the Markdown Remark lexes."""

    offset: int
    length: int  # of the macro's text, ``![:...](...)``
    name: str
    args: tuple[str, ...]
    value: str | None  # None without the ``(...)``: ``this`` is then the global object, as in Remark


def macro_uses(markdown: str) -> list[MacroUse]:
    """Every macro Remark would expand in ``markdown``, in order, with its offset in ``markdown``."""
    cleaned, removed = _clean_input(markdown)
    uses = list(_lex(cleaned, BLOCK, 0))
    if not removed:
        return uses
    starts = _line_starts(cleaned)
    return [replace(use, offset=_original_offset(use.offset, starts, removed)) for use in uses]


def _lex(src: str, rule: re.Pattern, base: int) -> Iterator[MacroUse]:
    """Remark's ``lex()``: the earliest rule match wins and its text is consumed (so ``^`` matches
    where the rest starts); content classes are lexed again inside their brackets with the inline
    rules. Only macros are yielded, at their offset plus ``base``."""
    while found := rule.search(src):
        consumed = found.end()
        if found.group(MACRO):
            args = tuple(arg.strip() for arg in (found.group(MACRO_ARGS) or "").split(","))
            yield MacroUse(base + found.start(), len(found.group(0)), found.group(MACRO), args,
                           found.group(MACRO_OBJ))
        elif found.group(CONTENT) and (inner := text_in_brackets(src, found.end())) is not None:
            if not found.group(0).startswith("\\"):
                yield from _lex(inner, INLINE, base + found.end())
            consumed += len(inner) + 1
        src, base = src[consumed:], base + consumed


def _clean_input(source: str) -> tuple[str, int]:
    """Remark's ``cleanInput``: when every line is indented, the common indentation goes."""
    widths = [len(found.group(1)) for found in LEADING_SPACE.finditer(source)]
    removed = min(widths) if widths else 0
    if not removed:
        return source, 0
    return re.sub(rf"^[ \t]{{{removed}}}", "", source, flags=re.M), removed


def _line_starts(text: str) -> list[int]:
    return [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]


def _original_offset(offset: int, starts: list[int], removed: int) -> int:
    line = max(index for index, start in enumerate(starts) if start <= offset)
    return offset + removed * (line + 1)


# -- definitions -------------------------------------------------------------------------------------

def macro_files(project: Project, deck: str) -> list[Path]:
    """The files that define a deck's macros, in the order the page runs them."""
    own = [project.templates_dir / PROJECT_FILE, project.templates_dir / "macros" / f"{deck}.js"]
    return [BUILTIN_FILE] + [path for path in own if path.is_file()]


def builtin_names() -> list[str]:
    return defined_names(BUILTIN_FILE.read_text(encoding="utf-8"))


def defined_names(script: str) -> list[str]:
    """The macros a script assigns, read from its text (for messages; the build runs the script)."""
    return [dotted or quoted for dotted, quoted in DEFINED.findall(script)]


def macros_script(project: Project, deck: str) -> str:
    """``macros.js`` for a deck's page: every definition file, each under a comment naming it."""
    parts = [f"// {_shown(project, path)}\n{path.read_text(encoding='utf-8')}" for path in macro_files(project, deck)]
    return "\n".join(parts)


class MacroRunner:
    """The deck's macro files run in V8, as the page runs them, to expand macros at build time; use
    as a context manager (a V8 left open keeps the interpreter from exiting)."""

    def __init__(self, project: Project, deck: str):
        from py_mini_racer import MiniRacer

        self.context = MiniRacer()
        try:
            self.context.eval(STAND_IN_BROWSER)  # a macro may use the page: its window, its DOM
            # remark.convert gives the Markdown back: Remark reads a macro's output as Markdown anyway
            self.context.eval("var remark = {macros: {}, convert: function (markdown) { return String(markdown); }};")
            for path in macro_files(project, deck):
                self._run_file(path)
            self.names = json.loads(self.context.eval("JSON.stringify(Object.keys(remark.macros))"))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "MacroRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.context.close()

    def _run_file(self, path: Path) -> None:
        from py_mini_racer import JSEvalException

        try:
            self.context.eval(path.read_text(encoding="utf-8"))
        except JSEvalException as error:
            line, message = _js_error(str(error))
            raise ValidationError(f"this macro file fails when the page runs it: {message}; fix it "
                                  "(the page would show no slides)", Location(path, line)) from None

    def defines(self, name: str) -> bool:
        return name in self.names

    def expand(self, use: MacroUse) -> str:
        """What Remark puts in place of the macro (a string it parses as Markdown again)."""
        from py_mini_racer import JSEvalException

        call = (f"(function (value) {{ return value === undefined ? '' : String(value); }})("
                f"remark.macros[{json.dumps(use.name)}].apply({json.dumps(use.value)}, {json.dumps(list(use.args))}))")
        try:
            return self.context.eval(call)
        except JSEvalException as error:
            raise MacroFailed(f"it throws {_js_error(str(error))[1]}") from None

    def expand_all(self, use: MacroUse, depth: int = 0) -> str:
        """The macro's output with the macros it uses expanded in turn, as Remark parses it again."""
        if depth > EXPANSION_DEPTH:
            raise MacroFailed(f"its output uses macros more than {EXPANSION_DEPTH} levels deep (does it use itself?)")
        output = self.expand(use)
        for inner in reversed(macro_uses(output)):
            if not self.defines(inner.name):
                raise MacroFailed(f'its output uses macro "{inner.name}", which is not defined')
            output = output[:inner.offset] + self.expand_all(inner, depth + 1) + output[inner.offset + inner.length:]
        return output


class MacroFailed(Exception):
    """A macro threw when called."""


def _js_error(text: str) -> tuple[int, str]:
    """(line, 'SyntaxError: ...') from V8's report of an error."""
    head = re.match(r"<anonymous>:(\d+): (.*)", text)
    last = [line for line in text.split("\n") if re.match(r"^\w*Error\b", line)]
    message = last[0] if last else (head.group(2) if head else text.strip().split("\n")[0])
    return (int(head.group(1)) if head else 0), message


def undefined_message(name: str, deck: str) -> str:
    return (f'macro "{name}" is not defined: define remark.macros.{name} in templates/{PROJECT_FILE} '
            f"(or templates/macros/{deck}.js); built-in macros: {', '.join(builtin_names())}")


def _shown(project: Project, path: Path) -> str:
    return f"remarkdeck/{path.name}" if path == BUILTIN_FILE else project.relative(path)
