"""Deck metadata: the TOML front matter at the top of a deck file, checked against a schema.

A deck file may start with a block between two ``+++`` lines::

    +++
    title = "Introduction to machine learning"
    author = "Alexandre Boucaud"
    +++

(``+++`` rather than ``---``, because ``---`` separates Remark slides.)
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError, Location, warn

FENCE = "+++"

HIGHLIGHT_STYLES = (
    "arta", "ascetic", "dark", "default", "far", "github", "googlecode", "idea", "ir-black",
    "magula", "monokai", "rainbow", "solarized-dark", "solarized-light", "sunburst",
    "tomorrow", "tomorrow-night-blue", "vs", "zenburn",
)


@dataclass(frozen=True)
class Option:
    """One documented front-matter key."""

    name: str
    kind: type
    default: object
    doc: str
    choices: tuple = ()
    pattern: str = ""


SCHEMA = (
    Option("title", str, "", "Deck title: the browser tab, the index page, the PDF metadata; `{{ title }}` in slides."),
    Option("author", str, "", "Who gives the lecture; `{{ author }}` in slides, PDF metadata."),
    Option("event", str, "", "Where or for what it is given; `{{ event }}` in slides."),
    Option("date", str, "", "When it is given, free text or a TOML date; `{{ date }}` in slides."),
    Option("ratio", str, "16:9", "Slide aspect ratio, `W:H`.", pattern=r"[1-9]\d*:[1-9]\d*"),
    Option("highlight_style", str, "github", "highlight.js style built into Remark.", choices=HIGHLIGHT_STYLES),
    Option("slide_number_format", str, "%current%/%total%", "Remark's slide number format; empty hides numbers."),
    Option("language", str, "en", "Language of the deck (`<html lang>`), e.g. `en`, `fr`.", pattern=r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*"),
    Option("count_incremental_slides", bool, False, "Whether `--` steps get their own slide number."),
)


@dataclass(frozen=True)
class DeckConfig:
    """A deck's metadata after validation; ``body_offset`` is the number of lines the front matter takes."""

    title: str = ""
    author: str = ""
    event: str = ""
    date: str = ""
    ratio: str = "16:9"
    highlight_style: str = "github"
    slide_number_format: str = "%current%/%total%"
    language: str = "en"
    count_incremental_slides: bool = False
    extra: dict = field(default_factory=dict)

    def variables(self) -> dict:
        """What slides see as Jinja variables."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}

    @property
    def aspect(self) -> float:
        width, height = (int(part) for part in self.ratio.split(":"))
        return width / height


def split_front_matter(text: str, path: Path) -> tuple[str, str]:
    """Return (front matter, body) where the body keeps blank lines in place of the front matter,
    so that line numbers in the body are line numbers in the file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return "", text
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            head = "\n".join(lines[1:index])
            body = "\n" * (index + 1) + "\n".join(lines[index + 1:])
            return head, body
    raise ConfigError(
        f"front matter opened with '{FENCE}' is never closed: add a line '{FENCE}' after the last key",
        Location(path, 1),
    )


def parse_config(head: str, path: Path) -> DeckConfig:
    """Check the front matter against SCHEMA; a bad value is an error, an unknown key a warning."""
    try:
        raw = tomllib.loads(head)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            f"front matter is not valid TOML ({message}): write `key = \"value\"` lines",
            Location(path, line + 1 if line else 1),
        ) from None
    known = {option.name: option for option in SCHEMA}
    values, extra = {}, {}
    for key, value in raw.items():
        where = Location(path, _key_line(head, key) + 1)
        option = known.get(key)
        if option is None:
            warn(f"unknown front-matter key '{key}' (known keys: {', '.join(known)})", where)
            extra[key] = value
            continue
        values[key] = _check(option, value, where)
    return DeckConfig(**values, extra=extra)


def _check(option: Option, value: object, where: Location) -> object:
    if option.name == "date" and isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if not isinstance(value, option.kind):
        raise ConfigError(
            f"'{option.name}' must be a {option.kind.__name__}, not {type(value).__name__} "
            f"({value!r}): {option.doc}",
            where,
        )
    if option.choices and value not in option.choices:
        raise ConfigError(
            f"'{option.name}' is {value!r}; choose one of: {', '.join(option.choices)}", where
        )
    if option.pattern and not re.fullmatch(option.pattern, value):
        raise ConfigError(
            f"'{option.name}' is {value!r}, which is not valid: write it like "
            f"{option.name} = {json.dumps(option.default)} ({option.doc})", where)
    return value


def _toml_error_line(message: str) -> int:
    found = re.search(r"at line (\d+)", message)
    return int(found.group(1)) if found else 0


def _key_line(head: str, key: str) -> int:
    """1-based line of ``key`` within the front matter (0 if it cannot be found)."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(head.split("\n"), start=1):
        if pattern.match(line):
            return number
    return 0


def load_deck_source(path: Path) -> tuple[DeckConfig, str]:
    """Read a deck file: its config and its body (front matter blanked, line numbers kept)."""
    text = read_text(path)
    head, body = split_front_matter(text, path)
    return parse_config(head, path), body


def read_text(path: Path) -> str:
    """A source file as text: UTF-8 (a BOM is dropped), CRLF and CR become LF."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"file is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): "
            "save it as UTF-8 in your editor",
            Location(path, line),
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
