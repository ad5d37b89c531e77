"""Formulas written for MathJax, checked with KaTeX itself (in embedded V8) and translated to a
KaTeX equivalent where one exists: ``eqnarray``, ``\\cases``, ``\\bm``, an accent used bare as a
subscript. Formulas are found as MathJax found them on the original page, the first delimiter
first: ``$$...$$``, ``\\[...\\]``, ``\\(...\\)`` (written ``\\\\[`` and ``\\\\(`` in Markdown, which
unescapes them), an ``equation``-like environment with no delimiter around it, then ``$...$``.
The build reads dollars only: the others are written as ``$$...$$`` and ``$...$``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import config
from ..assets import Assets
from ..katex import KaTeX
from ..syntax import HTML_COMMENT
from .code import prose_tokens
from .edits import Edit
from .lexer import RemarkSlide
from .stand_ins import tex_stand_in

FORMULA = re.compile(
    r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|\\\\\[(?P<bracket>.+?)\\\\\]"
    r"|\\\\\((?P<paren>.+?)\\\\\)"
    r"|(?P<environment>\\begin\{(?P<name>equation|align|alignat|gather|multline|flalign|eqnarray)(?P<star>\*?)\}"
    r".+?\\end\{(?P=name)(?P=star)\})"
    r"|(?<!\\)\$(?!\$)(?P<inline>.+?)(?<!\\)\$", re.S)
# group -> (display, how the build's delimiters replace the original's, what the report calls it)
DELIMITERS = {
    "display": (True, None, ""),
    "inline": (False, None, ""),
    "bracket": (True, "$$", r"\\[...\\] -> $$...$$"),
    "paren": (False, "$", r"\\(...\\) -> $...$"),
    "environment": (True, "$$", "environment without delimiters -> $$...$$"),
}
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*{}\[\]()#+\-.!_>])")  # marked's escape rule
INLINE_CODE = re.compile(r"`[^`]+?`")
MACRO_NAME = re.compile(config.MACRO_NAME)
UNDEFINED = re.compile(r"Undefined control sequence: (\\[A-Za-z]+)")
ACCENTS = "vec|hat|bar|tilde|dot|ddot|mathbf|mathrm|mathcal|mathbb|boldsymbol|bm|overline|widehat|widetilde"


def _eqnarray(tex: str) -> str:
    tex = re.sub(r"\\begin\{eqnarray\*?\}", r"\\begin{array}{rcl}", tex)
    tex = re.sub(r"\\end\{eqnarray\*?\}", r"\\end{array}", tex)
    return re.sub(r"\\(nonumber|notag)\b|\\label\{[^}]*\}", "", tex)


def _braced(tex: str, command: str, environment: str) -> str:
    """``\\cases{a & b \\cr c & d}`` (plain TeX) as ``\\begin{cases} a & b \\\\ c & d \\end{cases}``."""
    out, at = [], 0
    for match in re.finditer(r"\\%s\s*\{" % command, tex):
        if match.start() < at:
            continue
        depth, end = 1, match.end()
        while end < len(tex) and depth:
            depth += (tex[end] == "{") - (tex[end] == "}")
            end += 1
        body = re.sub(r"\\cr\b", r"\\\\", tex[match.end():end - 1])
        out += [tex[at:match.start()], f"\\begin{{{environment}}}{body}\\end{{{environment}}}"]
        at = end
    return "".join(out) + tex[at:]


# (what the report calls it, translation of the formula's Markdown text)
TRANSLATIONS: list[tuple[str, Callable[[str], str]]] = [
    ("eqnarray -> array{rcl}", _eqnarray),
    ("\\cases -> cases", lambda tex: _braced(tex, "cases", "cases")),
    ("\\pmatrix -> pmatrix", lambda tex: _braced(tex, "pmatrix", "pmatrix")),
    ("\\matrix -> matrix", lambda tex: _braced(tex, "matrix", "matrix")),
    ("\\bm -> \\boldsymbol", lambda tex: re.sub(r"\\bm\b", r"\\boldsymbol", tex)),
    ("bare accent as subscript -> braced", lambda tex: re.sub(
        r"([_^])\s*\\(%s)\s*(\{[^{}]*\}|\\[A-Za-z]+|\w)" % ACCENTS, r"\1{\\\2 \3}", tex)),
    ("\\require dropped", lambda tex: re.sub(r"\\require\{[^}]*\}", "", tex)),
]


@dataclass
class FormulaResult:
    slide: int
    original: str  # the formula's Markdown text, delimiters included
    translated: str  # same as original when KaTeX accepts it as it is
    applied: list[str]
    error: str  # KaTeX's error on the final formula, "" if accepted
    stand_ins: list[str] = field(default_factory=list)  # TeX macros first given a stand-in here


def katex_macros(page_macros: dict[str, list]) -> tuple[dict[str, str], list[str]]:
    """The page's TeX macros (MathJax's ``[definition, arguments, default]`` or KaTeX's definition)
    as the deck's ``[math] macros``, and notes on those KaTeX cannot take."""
    macros, notes = {}, []
    for name, (definition, *arity) in page_macros.items():
        if len(arity) > 1:
            notes.append(f"TeX macro {name} has an optional argument, which KaTeX macros do not have: "
                         "not kept; define it in the front matter's [math] macros")
        elif not isinstance(definition, str) or not MACRO_NAME.fullmatch(name):
            notes.append(f"TeX macro {name} of the page is not a name and a definition: not kept")
        else:
            macros[name] = definition
    return macros, notes


class KatexChecker:
    """KaTeX's own verdict on a formula, from the build's KaTeX (no cache: each is asked once),
    with the deck's macros, to which it adds the stand-ins it makes."""

    def __init__(self, assets: Assets, macros: dict[str, str]):
        self._katex = KaTeX.for_project(assets, cache_dir=Path("."))  # render() neither reads nor writes it
        self._macros = macros
        self.stand_ins: list[str] = []  # TeX macros no one defines, in the order met

    def error(self, tex: str, display: bool) -> str:
        return self._katex.render([(tex, display)], self._macros)[0].error

    def stand_in(self, error: str) -> str:
        """The TeX macro an "Undefined control sequence" error names, given a stand-in; "" for
        another error."""
        undefined = UNDEFINED.search(error)
        if not undefined or undefined.group(1) in self._macros:
            return ""
        self._macros[undefined.group(1)] = tex_stand_in(undefined.group(1))
        self.stand_ins.append(undefined.group(1))
        return undefined.group(1)

    def close(self) -> None:
        self._katex.close()


def tex_of(markdown: str) -> str:
    """The TeX the page holds once Remark's Markdown has unescaped it."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown)


def check_formulas(source: str, slides: list[RemarkSlide], katex: KatexChecker) -> tuple[list[FormulaResult], list[Edit]]:
    results, edits = [], []
    for slide in slides:
        for token in prose_tokens(source, slide):
            masked = _masked(token.text)
            for match in FORMULA.finditer(masked):
                group = next(name for name in DELIMITERS if match.group(name) is not None)
                display, delimiter, label = DELIMITERS[group]
                inner = token.text[match.start(group):match.end(group)]
                result = _check(slide.index, inner, display, katex)
                if delimiter:  # the whole formula is rewritten, with the build's delimiters
                    result = result or FormulaResult(slide.index, inner, inner, [], "")
                    start, end = match.span()
                    result.original = token.text[start:end]
                    result.applied.insert(0, label)
                    rewritten = delimiter + result.translated + delimiter
                    result.translated = result.original if result.error else rewritten
                elif result is None:
                    continue
                else:
                    start, end = match.span(group)
                results.append(result)
                if result.translated != result.original:
                    edits.append(Edit(token.start + start, token.start + end, result.translated))
    return results, edits


def _masked(text: str) -> str:
    """The text with inline code and HTML comments blanked (same length), where $ is not math."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
    return HTML_COMMENT.sub(blank, INLINE_CODE.sub(blank, text))


def _check(slide: int, markdown: str, display: bool, katex: KatexChecker) -> FormulaResult | None:
    """None when the formula needs no change. The build typesets the TeX as written, where the
    original page typeset what Remark's Markdown left of it: the import writes that TeX, then
    translates what KaTeX rejects; a formula no translation helps stays as it was."""
    tex, applied = _as_typeset(markdown, display)
    error = katex.error(tex, display)
    for label, translate in TRANSLATIONS:
        if not error:
            break
        attempt = translate(tex)
        if attempt != tex:
            tex, applied = attempt, applied + [label]
            error = katex.error(tex, display)
    stand_ins = []
    while error and (name := katex.stand_in(error)):
        error, stand_ins = katex.error(tex, display), stand_ins + [name]
    if error:
        return FormulaResult(slide, markdown, markdown, applied, error, stand_ins)
    if tex != markdown or stand_ins:
        return FormulaResult(slide, markdown, tex, applied, "", stand_ins)
    return None


def _as_typeset(markdown: str, display: bool) -> tuple[str, list[str]]:
    """The TeX the original page typeset, written so that the build finds and typesets the same."""
    tex, applied = tex_of(markdown), []
    if tex != markdown:
        applied.append("Markdown escapes resolved")
    if not display and tex != tex.strip():  # the build's $ rule: no space inside the dollars
        tex, applied = tex.strip(), applied + ["spaces inside $ removed"]
    return tex, applied
