"""Code run the way an interactive interpreter shows it: a snippet's last expression printed
(``# echo: last``), and sessions (``.pycon``) whose pasted outputs are checked statement by statement.

Two prompt styles run. Python's (``>>> ``, ``... ``): each statement runs as the REPL runs it, so
an expression shows its ``repr()``. IPython's (``In [1]: ``, ``   ...: ``, ``Out[1]: ``): a cell
shows the value of its last expression with IPython's pretty printer (``repr()`` without IPython),
nothing when the cell ends with ``;``. Outputs compare with whitespace at line ends and trailing
blank lines ignored.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import io
import re
import sys
import tokenize
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location

PYTHON_PROMPT = re.compile(r"^(\s*)>>>(?: |$)")
PYTHON_MORE = re.compile(r"^\s*\.\.\.(?: |$)")
IPYTHON_PROMPT = re.compile(r"^(\s*)In \[\d*\]:(?: |$)")
IPYTHON_MORE = re.compile(r"^\s*\.{3,}:(?: |$)")
IPYTHON_OUT = re.compile(r"^Out\[\d*\]:(?: |$)")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)")
SILENT_TOKENS = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                 tokenize.ENDMARKER)


# -- echo: the last expression's value --------------------------------------------------------------

def run_showing_last(source: str, filename: str, namespace: dict, show=repr) -> None:
    """Run ``source`` as a Jupyter cell runs: when its last top-level statement is an expression,
    print ``show(value)`` after it, unless the value is None or the statement ends with ``;``."""
    tree = ast.parse(source, filename)
    last = tree.body[-1] if tree.body else None
    shown = isinstance(last, ast.Expr) and not ends_with_semicolon(source)
    if shown:
        tree.body.pop()
    exec(compile(tree, filename, "exec", dont_inherit=True), namespace)
    if shown:
        value = eval(compile(ast.Expression(last.value), filename, "eval", dont_inherit=True), namespace)
        if value is not None:
            print(show(value))


def ends_with_semicolon(source: str) -> bool:
    """IPython's rule (``DisplayHook.quiet``): the cell's last token, comments aside, is ``;``."""
    tokens = [token for token in tokenize.generate_tokens(io.StringIO(source).readline)
              if token.type not in SILENT_TOKENS]
    return bool(tokens) and tokens[-1].string == ";"


def ipython_repr(value: object) -> str:
    """A value as IPython's ``Out[n]:`` shows it."""
    try:
        from IPython.lib.pretty import pretty
    except ImportError:
        return repr(value)
    return pretty(value, max_width=79)


# -- comparing a printed output with a pasted one ----------------------------------------------------

def output_lines(text: str) -> list[str]:
    """An output as compared: whitespace at line ends and trailing blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def output_difference(pasted: str, printed: str, pasted_label: str = "pasted",
                      printed_label: str = "printed") -> str:
    """A unified diff from the pasted output to the printed one; '' when they agree."""
    expected, actual = output_lines(pasted), output_lines(printed)
    if expected == actual:
        return ""
    return "\n".join(difflib.unified_diff(expected, actual, pasted_label, printed_label, lineterm=""))


# -- sessions ---------------------------------------------------------------------------------------

@dataclass
class Statement:
    """One prompt of a session: its code (prompts stripped) and the output pasted under it."""

    line: int  # file line of the prompt
    prompt: str  # that line as written
    style: str  # "python" or "ipython"
    indent: str
    code: list[str]
    pasted: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        """A line after the prompt: more code while no output has been pasted, else output."""
        more = PYTHON_MORE if self.style == "python" else IPYTHON_MORE
        if not self.pasted and (found := more.match(text)):
            self.code.append(text[found.end():])
            return
        if text.startswith(self.indent):
            text = text[len(self.indent):]
        if self.style == "python":
            text = "" if text.strip() == "<BLANKLINE>" else text
        elif found := IPYTHON_OUT.match(text):
            text = text[found.end():]
            if not text.strip():
                return  # a multi-line value starts on the next line
        self.pasted.append(text)


def parse_session(lines: list[str], first: int = 1) -> list[Statement]:
    """The statements of a session whose text is ``lines``, from file line ``first`` on; lines
    before the first prompt are not part of any statement."""
    statements: list[Statement] = []
    for number in range(first, len(lines) + 1):
        text = lines[number - 1]
        if found := PYTHON_PROMPT.match(text):
            statements.append(Statement(number, text, "python", found.group(1), [text[found.end():]]))
        elif found := IPYTHON_PROMPT.match(text):
            statements.append(Statement(number, text, "ipython", found.group(1), [text[found.end():]]))
        elif statements:
            statements[-1].add(text)
    return statements


@dataclass
class Mismatch:
    statement: Statement
    location: Location
    diff: str

    def __str__(self) -> str:
        return (f"{self.location}: what this statement printed differs from the output pasted under it\n"
                f"    {self.statement.prompt.strip()}\n{self.diff}")


class SessionMismatch(Exception):
    """Statements of a session printed something else than what is pasted under them."""

    def __init__(self, mismatches: list[Mismatch]):
        super().__init__(mismatches)
        self.mismatches = mismatches

    def __str__(self) -> str:
        return "\n\n".join(str(mismatch) for mismatch in self.mismatches)


def run_session(path: Path, lines: list[str], first: int, namespace: dict) -> None:
    """Run every statement of a session in ``namespace`` (what each prints also goes to stdout);
    raises SessionMismatch listing the statements whose output differs from the pasted one. An
    exception nobody pasted stops the session with its traceback at the statement's line."""
    mismatches = []
    for statement in parse_session(lines, first):
        printed, raised = _run_statement(statement, str(path), namespace)
        sys.stdout.write(printed)
        pasted = "\n".join(statement.pasted)
        if raised is not None and not TRACEBACK.search(pasted):
            raise raised
        if raised is not None:  # as doctest does: compare what was raised, not the stack
            pasted, printed = output_lines(pasted)[-1], _exception_line(raised)
        diff = output_difference(pasted, printed)
        if diff:
            mismatches.append(Mismatch(statement, Location(path, statement.line), diff))
    if mismatches:
        raise SessionMismatch(mismatches)


def _run_statement(statement: Statement, filename: str, namespace: dict) -> tuple[str, Exception | None]:
    """Run one statement, compiled under the session's path at its own lines; what it printed,
    and what it raised."""
    source = "\n" * (statement.line - 1) + "\n".join(statement.code) + "\n"
    printed = io.StringIO()
    raised = None
    with contextlib.redirect_stdout(printed):
        try:
            if statement.style == "python":
                exec(compile(source, filename, "single", dont_inherit=True), namespace)
            else:
                run_showing_last(source, filename, namespace, show=ipython_repr)
        except Exception as error:  # compared with the pasted traceback, or re-raised
            raised = error
    return printed.getvalue(), raised


def _exception_line(error: BaseException) -> str:
    return traceback.format_exception_only(type(error), error)[-1].rstrip("\n")
