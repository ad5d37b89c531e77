"""Deck metadata: the TOML front matter at the top of a deck file, checked against a schema.

A deck file may start with a block between two ``+++`` lines::

    +++
    title = "Introduction to machine learning"
    author = "Alexandre Boucaud"
    +++

(``+++`` rather than ``---``, because ``---`` separates Remark slides.)
"""

from __future__ import annotations

import copy
import datetime
import json
import logging
import re
import tomllib
from dataclasses import dataclass, field, fields, make_dataclass
from pathlib import Path

from .errors import ConfigError, Location
from .logs import at

log = logging.getLogger(__name__)
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
    fields: tuple["Option", ...] = ()  # a table with these keys
    items: type | None = None  # a table whose keys match ``pattern`` and whose values are all of this type


LANGUAGE_TAG = r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*"  # a BCP 47 tag, as <html lang> takes it

MACRO_NAME = r"\\([A-Za-z@]+|[^A-Za-z@\s])"  # a TeX macro's name, as KaTeX takes it
MATH_SCHEMA = (
    Option("macros", dict, {}, 'TeX macros for every formula, e.g. `macros = { "\\\\RR" = "\\\\mathbb{R}" }` '
                               '(`#1`, `#2`, … stand for arguments).', items=str, pattern=MACRO_NAME),
)
BACKSLASH = "\\"
MATH_FILE = "math.toml"  # in templates/: the [math] settings of every deck of the project

SCHEMA = (
    Option("title", str, "", "Deck title: the browser tab, the index page, the PDF metadata; `{{ title }}` in slides."),
    Option("author", str, "", "Who gives the lecture; `{{ author }}` in slides, PDF metadata."),
    Option("event", str, "", "Where or for what it is given; `{{ event }}` in slides."),
    Option("date", str, "", "When it is given, free text or a TOML date; `{{ date }}` in slides."),
    Option("ratio", str, "16:9", "Slide aspect ratio, `W:H`.", pattern=r"[1-9]\d*:[1-9]\d*"),
    Option("highlight_style", str, "github", "highlight.js style built into Remark.", choices=HIGHLIGHT_STYLES),
    Option("slide_number_format", str, "%current%/%total%", "Remark's slide number format; empty hides numbers."),
    Option("language", str, "en", "Language of the deck (`<html lang>`), e.g. `en`, `fr`.", pattern=LANGUAGE_TAG),
    Option("count_incremental_slides", bool, False, "Whether `--` steps get their own slide number."),
    Option("math", dict, {}, "Formula settings, a `[math]` table after the other keys; it overrides "
                             "templates/math.toml.", fields=MATH_SCHEMA),
)


class _DeckConfigMethods:
    def variables(self) -> dict:
        """What slides see as Jinja variables."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}

    @property
    def aspect(self) -> float:
        width, height = (int(part) for part in self.ratio.split(":"))
        return width / height


def _config_class(schema: tuple[Option, ...]) -> type:
    """The config object's class, one field per option of ``schema`` (its type and default), and
    ``extra``: the keys the schema does not know."""
    declared = [(option.name, option.kind, field(default_factory=lambda o=option: table_defaults((o,))[o.name]))
                for option in schema]
    config = make_dataclass("DeckConfig", declared + [("extra", dict, field(default_factory=dict))],
                            bases=(_DeckConfigMethods,), frozen=True)
    config.__module__ = __name__
    return config


DeckConfig = _config_class(SCHEMA)
DeckConfig.__doc__ = "A deck's metadata after validation: one attribute per option of SCHEMA, and ``extra``."


def options_table(schema: tuple[Option, ...] = SCHEMA) -> str:
    """The deck options as the README lists them: a Markdown table, one row per option (a table's
    keys as ``table.key``)."""
    rows = ["| option | type | default | what it sets |", "| --- | --- | --- | --- |"]
    for option, name in _documented(schema, ""):
        default = "*(empty)*" if option.default in ("", {}) else f"`{_toml(option.default)}`"
        kind = {str: "string", bool: "boolean", dict: "table"}[option.kind]
        rows.append(f"| `{name}` | {kind} | {default} | {option.doc.replace('|', '&#124;')} |")
    return "\n".join(rows) + "\n"


def _documented(schema: tuple[Option, ...], prefix: str):
    for option in schema:
        yield option, prefix + option.name
        yield from _documented(option.fields, f"{prefix}{option.name}.")


def _toml(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else json.dumps(value)


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
    raw = _parse_toml(head, path, "front matter", first_line=2)
    values = check_table(SCHEMA, raw, lambda key: Location(path, _key_line(head, key) + 1), (),
                         "front-matter key")
    known = {option.name for option in SCHEMA}
    extra = {key: value for key, value in raw.items() if key not in known}
    return DeckConfig(**{key: value for key, value in values.items() if key in known}, extra=extra)


def load_math_file(path: Path) -> dict:
    """``templates/math.toml``: the keys of a deck's ``[math]`` table, for every deck (empty if absent)."""
    if not path.is_file():
        return table_defaults(MATH_SCHEMA)
    text = read_text(path)
    raw = _parse_toml(text, path, "file", first_line=1)
    return check_table(MATH_SCHEMA, raw, lambda key: Location(path, _key_line(text, key)), (), "key")


def _parse_toml(text: str, path: Path, what: str, first_line: int) -> dict:
    """TOML parsed; ``first_line``: the file line of the text's first line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            f"{what} is not valid TOML ({message}): "
            "write `key = \"value\"` lines",
            Location(path, line + first_line - 1 if line else first_line),
        ) from None


def table_defaults(schema: tuple[Option, ...]) -> dict:
    return {option.name: table_defaults(option.fields) if option.fields else copy.copy(option.default)
            for option in schema}


def check_table(schema: tuple[Option, ...], raw: dict, locate, key: tuple[str, ...], what: str) -> dict:
    """A TOML table checked against ``schema``: defaults for missing keys, an error for a bad
    value, a warning for an unknown key. ``locate(path of a key)`` gives its Location."""
    known = {option.name: option for option in schema}
    checked = table_defaults(schema)
    for name, value in raw.items():
        where = locate(key + (name,))
        if name not in known:
            inside = f" in '{'.'.join(key)}'" if key else ""
            log.warning(f"unknown {what} '{name}'{inside} (known keys: {', '.join(known)})", extra=at(where))
            continue
        checked[name] = _check(known[name], value, where, locate, key + (name,))
    return checked


def _check(option: Option, value: object, where: Location, locate, key: tuple[str, ...]) -> object:
    name = ".".join(key)
    if option.name == "date" and isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if not isinstance(value, option.kind):
        raise ConfigError(
            f"'{name}' must be a {_kind(option.kind)}, not {type(value).__name__} "
            f"({value!r}): {option.doc}",
            where,
        )
    if option.fields:
        return check_table(option.fields, value, locate, key, "key")
    if option.items:
        return _check_items(option, value, where, name)
    if option.choices and value not in option.choices:
        raise ConfigError(
            f"'{name}' is {value!r}; choose one of: {', '.join(option.choices)}", where
        )
    if option.pattern and not re.fullmatch(option.pattern, value):
        raise ConfigError(
            f"'{name}' is {value!r}, which is not valid: write it like "
            f"{option.name} = {json.dumps(option.default)} ({option.doc})", where)
    return value


def _check_items(option: Option, value: dict, where: Location, name: str) -> dict:
    """A table of free keys (each must match ``pattern``) whose values are all ``items``."""
    for item, item_value in value.items():
        if not re.fullmatch(option.pattern, item):
            raise ConfigError(f"'{name}' has the key {json.dumps(item)}, which is not a TeX command: "
                              f"write it with its backslash, like {json.dumps(BACKSLASH + item.lstrip(BACKSLASH))}",
                              where)
        if not isinstance(item_value, option.items):
            raise ConfigError(f"'{name}' gives {json.dumps(item)} the value {item_value!r} "
                              f"({type(item_value).__name__}), not a {_kind(option.items)}: {option.doc}", where)
    return dict(value)


def _kind(kind: type) -> str:
    return "table" if kind is dict else kind.__name__


def _toml_error_line(message: str) -> int:
    found = re.search(r"at line (\d+)", message)
    return int(found.group(1)) if found else 0


TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
KEY_VALUE = re.compile(r"^\s*([^=\s#][^=]*?)\s*=")


def _key_line(text: str, key: tuple[str, ...]) -> int:
    """1-based line of a key, given as its path (``("math", "macros")``), within a TOML text:
    written as a (dotted) key, under a table header, or as a header itself; else the line of the
    table it is in; 0 if none is found."""
    header: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), start=1):
        if found := TABLE_HEADER.match(line):
            header = _dotted(found.group(1))
            if header == key:
                return number
        elif (found := KEY_VALUE.match(line)) and header + _dotted(found.group(1)) == key:
            return number
    return _key_line(text, key[:-1]) if len(key) > 1 else 0


def _dotted(written: str) -> tuple[str, ...]:
    """A TOML key as written (``math.macros``, ``"a b".c``) as its path; quoted parts may hold dots."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', written)
    return tuple(json.loads(f'"{double}"') if double else single or bare for double, single, bare in parts)


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
