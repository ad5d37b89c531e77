"""Remark 0.14's Markdown syntax, each pattern written once: comments, content classes, slide
properties, separators, notes, macros and fences, as validation, the notebooks, import and the
build read them, so that the same text is read the same way everywhere.

The token rules are Remark's own (node_modules/remark-slide/src/remark/lexer.js ``regexByName``,
tried in one expression in the same order, with the same group numbers), and the property rule is
parser.js ``extractProperties``. JavaScript's ``$`` (no m flag) is Python's ``\\Z``, and its
``\\w`` is ASCII-only, hence ``re.A``.
"""

from __future__ import annotations

import re

# lexer.js regexByName, in Remark's order
RULES = {
    "CODE": r"(?:^|\n)( {4}[^\n]+\n*)+",
    "INLINE_CODE": r"`([^`]+?)`",
    "CONTENT": r"(?:\\)?((?:\.[a-zA-Z_\-][a-zA-Z\-_0-9]*)+)\[",
    "FENCES": r"(?:^|\n) *(`{3,}|~{3,}) *(?:\S+)? *\n(?:[\s\S]+?)\s*\4 *(?:\n+|\Z)",
    "DEF": r"(?:^|\n) *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +[\"(]([^\n]+)[\")])? *(?:\n+|\Z)",
    "MACRO": r"!\[:([^\] ]+)([^\]]*)\](?:\(([^\)]*)\))?",
    "SEPARATOR": r"(?:^|\n)(---?)(?:\n|\Z)",
    "NOTES_SEPARATOR": r"(?:^|\n)(\?{3})(?:\n|\Z)",
}
# the group numbers of the combined expressions, as in lexer.js
CODE, INLINE_CODE, CONTENT, FENCES, DEF, DEF_HREF, DEF_TITLE, MACRO, MACRO_ARGS, MACRO_OBJ, SEPARATOR, NOTES = range(1, 13)
BLOCK = re.compile("|".join(RULES.values()))  # a slide deck: every rule
INLINE = re.compile("|".join(list(RULES.values())[:6]))  # inside a content class: no separators

# parser.js extractProperties: `key: value` lines at the very top of a slide, or `<!-- key: value -->`
# anywhere in its text before its first content class.
PROPERTY_FINDER = re.compile(r"^\n*([-\w]+):([^$\n]*)|\n*(?:<!--\s*)([-\w]+):([^$\n]*?)(?:\s*-->)", re.I | re.A)
# A fence's parts: indentation, the fence, its language, its code.
FENCE_PARTS = re.compile(r"\n?( *)(`{3,}|~{3,}) *(\S+)? *\n([\s\S]+?)\s*\2 *(?=\n|\Z)", re.A)

# The same rules read line by line (the build's slide reader): a separator or `???` is a line of
# its own with nothing after it, a property line is `key: value` with an ASCII key.
SEPARATOR_LINE = re.compile(r"^(---?)$")
NOTES_LINE = re.compile(r"^\?{3}$")
PROPERTY_LINE = re.compile(r"^([-\w]+):(.*)$", re.A)
PROPERTY_COMMENT_LINE = re.compile(r"^<!--\s*([-\w]+):([^$\n]*?)\s*-->\s*$", re.I | re.A)
FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
# A Markdown code span: a run of backticks, closed by a run as long, within one paragraph (no blank
# line); unlike Remark's lexer's inline code, which runs from any backtick to the next anywhere.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S])+?)(?<!`)\1(?!`)")

# `.red[` opens a content class (a `\` before it shows it as text); group 1 is that backslash,
# group 2 the classes.
CONTENT_CLASS = re.compile(r"(\\)?((?:\.[a-zA-Z_\-][a-zA-Z\-_0-9]*)+)\[")

# An HTML comment. One that is never closed hides the rest of the text, as it does in the browser
# (and in CommonMark, whose HTML block of this kind runs to the end of the document).
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# A comment Remark reads as a slide property, which stays in the deck.
PROPERTY_COMMENT = re.compile(r"<!--\s*([-\w]+):([^$\n]*?)\s*-->", re.I | re.A)  # as PROPERTY_FINDER


def text_in_brackets(text: str, start: int) -> str | None:
    """lexer.js getTextInBrackets: the text from ``start`` up to the ``]`` that closes the ``[`` just
    before it (brackets nest, lines are crossed); None if it is never closed."""
    depth, position = 1, start
    while depth > 0 and position < len(text):
        depth += (text[position] == "[") - (text[position] == "]")
        position += 1
    return text[start:position - 1] if depth == 0 else None
