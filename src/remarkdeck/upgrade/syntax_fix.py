"""Syntax errors whose fix Python names: "invalid syntax. Perhaps you forgot a comma?" gets its comma,
and "unexpected indent" at code that is indented as a whole (copied from inside a list or a class
on the slide) loses the indentation all its lines share.

Python raises the first for two expressions side by side (``(3, 3) strides=2``) and marks the span from the
first to the second; the comma goes at the one gap of that span where both sides are expressions.
"""

from __future__ import annotations

import ast
import io
import tokenize

from .rewrite import Source

COMMA_HINT = "Perhaps you forgot a comma?"
MAX_FIXES = 10


def fix_syntax(text: str, filename: str = "<snippet>") -> tuple[str, list[int]]:
    """``text`` with the fixes Python's errors name, and the lines they changed."""
    text, dedented = remove_shared_indent(text, filename)
    text, commas = add_missing_commas(text, filename)
    return text, dedented + commas


def remove_shared_indent(text: str, filename: str = "<snippet>") -> tuple[str, list[int]]:
    """Code that fails with "unexpected indent" because every line of it is indented, without that
    indentation; comments at the margin (the header lines) stay. The lines changed."""
    try:
        compile(text, filename, "exec", dont_inherit=True)
        return text, []
    except SyntaxError as error:
        if not isinstance(error, IndentationError) or "unexpected indent" not in (error.msg or ""):
            return text, []
    lines = text.split("\n")
    code = [line for line in lines if line.strip() and not line.startswith("#")]
    shared = min((len(line) - len(line.lstrip(" \t")) for line in code), default=0)
    if not shared or len({line[:shared] for line in code}) != 1:
        return text, []
    changed = [number for number, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    return "\n".join(line[shared:] if line[:shared].isspace() else line for line in lines), changed


def add_missing_commas(text: str, filename: str = "<snippet>") -> tuple[str, list[int]]:
    """``text`` with the commas Python asks for, and the lines they went on."""
    lines = []
    for _ in range(MAX_FIXES):
        try:
            compile(text, filename, "exec", dont_inherit=True)
            break
        except SyntaxError as error:
            if COMMA_HINT not in (error.msg or "") or not error.end_lineno:
                break
            fixed = _with_comma(text, error)
            if fixed is None:
                break
            text = fixed
            lines.append(error.lineno)
    return text, lines


def _with_comma(text: str, error: SyntaxError) -> str | None:
    source = Source(text)
    start = source.starts[error.lineno - 1] + error.offset - 1
    end = source.starts[error.end_lineno - 1] + error.end_offset - 1
    span = text[start:end]
    for gap in _gaps(span):
        if _is_expression(span[:gap]) and _is_expression(span[gap:]):
            return text[:start + gap] + "," + text[start + gap:]
    return None


def _gaps(span: str) -> list[int]:
    """Offsets in ``span`` where one top-level token ends and another begins."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(f"({span})").readline)
                  if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError):
        return []
    offsets = Source(f"({span})")
    gaps, depth = [], 0
    for token, following in zip(tokens[1:], tokens[2:-1]):
        depth += token.string in "([{" and token.type == tokenize.OP
        depth -= token.string in ")]}" and token.type == tokenize.OP
        if depth == 0:
            gaps.append(offsets.starts[token.end[0] - 1] + token.end[1] - 1)
    return gaps


def _is_expression(text: str) -> bool:
    try:
        ast.parse(f"({text})", mode="eval")
        return bool(text.strip())
    except SyntaxError:
        return False
