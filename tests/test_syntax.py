"""Remark's syntax is written once (remarkdeck.syntax): the build's slide reader, validation, the
notebooks and import read the same text the same way, as Remark 0.14 does. Each case is one where
the readers' own copies of a pattern used to disagree."""

from __future__ import annotations

import pytest
from helpers import run_remarkdeck

from remarkdeck.importer.lexer import lex, parse
from remarkdeck.notebook.markdown import jupyter_markdown, unwrap_content_classes
from remarkdeck.slides import split_slides
from remarkdeck.syntax import HTML_COMMENT


def build_reader(markdown: str) -> list[tuple[dict, str]]:
    return [(slide.properties, slide.content.strip()) for slide in split_slides(markdown)]


def import_reader(markdown: str) -> list[dict]:
    return [slide.properties for slide in parse(markdown)]


def test_an_unclosed_comment_hides_the_rest_of_the_text_for_every_reader():
    text = "Shown\n\n<!-- never closed\n\nHidden, like $x$"
    assert HTML_COMMENT.sub("", text) == "Shown\n\n"
    assert "Hidden" not in jupyter_markdown(text)


def test_a_closed_comment_hides_only_itself():
    assert jupyter_markdown("Shown <!-- a note --> too").split() == ["Shown", "too"]


def test_a_content_class_split_over_lines_is_one_class_for_every_reader():
    text = ".red[first line\nsecond line]\n"
    assert [token.type for token in lex(text)][:1] == ["content_start"]
    assert unwrap_content_classes(text).strip() == "first line\nsecond line"


def test_an_escaped_content_class_is_text_for_every_reader():
    text = "\\.red[shown as written]"
    assert all(token.type == "text" for token in lex(text))
    assert unwrap_content_classes(text) == ".red[shown as written]"


@pytest.mark.parametrize("line, is_property", [
    ("Note: this line looks like text", True),  # Remark reads it as the property 'Note'
    ("name: intro", True),
    ("Schritt_ü: eins", False),  # Remark's \w is ASCII: not a key
    ("Two words: no key", False),
    ("<!-- layout: true -->", True),
    ("<!-- note: costs $5 -->", False),  # parser.js: a property's value holds no '$'
])
def test_a_property_line_is_read_as_remark_reads_it(line, is_property):
    markdown = f"{line}\n# Title\n"
    assert bool(build_reader(markdown)[0][0]) is is_property
    assert bool(import_reader(markdown)[0]) is is_property


@pytest.mark.parametrize("separator, slides", [("---", 2), ("--- ", 1), ("---\t", 1), ("--", 2), ("??? ", 1)])
def test_a_separator_is_a_line_with_nothing_after_it(separator, slides):
    markdown = f"# One\n{separator}\n# Two\n"
    assert len(build_reader(markdown)) == slides
    assert len(import_reader(markdown)) == slides


def test_validation_reads_an_unclosed_class_after_a_word_as_remark_does(sample_project):
    root = sample_project("basic")
    deck = root / "slides" / "basic.md"
    deck.write_text(deck.read_text() + "\n---\n# Files\n\nThe list file.names[0 is never closed.\n")
    done = run_remarkdeck(root, "build")
    assert done.code == 1
    assert "'.names[' is never closed with ']': Remark would show it as raw text; add the closing ']'" in done.stderr
