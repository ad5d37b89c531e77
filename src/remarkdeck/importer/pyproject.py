"""The project's ``lecture`` dependency list in pyproject.toml, extended as text: the optional
dependency ``lecture`` (``[project.optional-dependencies]``, as in this repository) or the
dependency group ``lecture`` (``[dependency-groups]``, as in a project ``remarkdeck init`` made).
Only the list changes, every other character (comments, layout) stays; the result is checked by
reading it back as TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

LIST = "lecture"
EXTRAS, GROUPS = "project.optional-dependencies", "dependency-groups"
TABLE_LINE = re.compile(r"^[ \t]*\[(?!\[)\s*([^\]#]+?)\s*\][ \t]*(?:#.*)?$", re.M)
KEY_LINE = re.compile(r"""^[ \t]*(?:lecture|"lecture"|'lecture')[ \t]*=[ \t]*\[""", re.M)
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
INDENT = "    "


class PyprojectEditError(Exception):
    """The list could not be extended as text: the lecturer adds the names by hand."""


@dataclass(frozen=True)
class ListPlace:
    table: str  # EXTRAS or GROUPS
    opening: int  # offset of the list's "[", or -1 when the table has no such list yet
    closing: int  # offset of its "]" (or where to add the list)

    def describe(self) -> str:
        return f"pyproject.toml [{self.table}] {LIST}"


def declared_names(text: str) -> set[str]:
    """Canonical names of every requirement the file declares: the project's dependencies, its
    optional dependencies and its dependency groups."""
    data = tomllib.loads(text)
    project = data.get("project", {})
    lists = [project.get("dependencies", [])] + list(project.get("optional-dependencies", {}).values()) \
        + list(data.get("dependency-groups", {}).values())
    names = set()
    for requirements in lists:
        for requirement in requirements:
            if isinstance(requirement, str) and (match := REQUIREMENT_NAME.match(requirement)):
                names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def lecture_list(text: str) -> ListPlace:
    """Where the lecture list is, or where it goes: a list already there first, else the table
    the file has (dependency groups first), else an optional dependency of a [project]."""
    tables = _tables(text)
    for table in (EXTRAS, GROUPS):
        if table in tables and (found := KEY_LINE.search(text, *tables[table])):
            opening = found.end() - 1
            return ListPlace(table, opening, _closing_bracket(text, opening))
    for table in (GROUPS, EXTRAS):
        if table in tables:
            return ListPlace(table, -1, tables[table][1])
    return ListPlace(EXTRAS if "project" in tables else GROUPS, -1, len(text))


def with_requirements(text: str, names: list[str]) -> tuple[str, ListPlace]:
    """``text`` with ``names`` added at the end of the lecture list (created if missing)."""
    place = lecture_list(text)
    if not names:
        return text, place
    if place.opening < 0:
        new = _with_new_list(text, place, names)
    else:
        new = _with_items(text, place, names)
    _check(new, place, names)
    return new, place


def _tables(text: str) -> dict[str, tuple[int, int]]:
    """Each table header's name -> the span of its body (to the next header)."""
    headers = [(re.sub(r"\s*\.\s*", ".", m.group(1).replace('"', "").replace("'", "")), m.end())
               for m in TABLE_LINE.finditer(text)]
    starts = [m.start() for m in TABLE_LINE.finditer(text)] + [len(text)]
    return {name: (end, starts[index + 1]) for index, (name, end) in enumerate(headers)}


def _closing_bracket(text: str, opening: int) -> int:
    """The offset of the ``]`` that closes the list opened at ``opening`` (strings, comments and
    nested lists skipped)."""
    depth, at = 0, opening
    while at < len(text):
        char = text[at]
        if char in "\"'":
            at = _string_end(text, at)
            continue
        if char == "#":
            at = text.find("\n", at)
            at = len(text) if at < 0 else at
            continue
        depth += (char == "[") - (char == "]")
        if depth == 0:
            return at
        at += 1
    raise PyprojectEditError("its lecture list is never closed")


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    at = start + 1
    while at < len(text) and text[at] != quote:
        at += 2 if quote == '"' and text[at] == "\\" else 1
    return at + 1


def _with_items(text: str, place: ListPlace, names: list[str]) -> str:
    inside = text[place.opening + 1:place.closing]
    last = _last_value_end(text, place)
    line_start = text.rfind("\n", 0, place.closing) + 1
    if "\n" in inside and not text[line_start:place.closing].strip():
        indent = _item_indent(inside)
        items = "".join(f'{indent}"{name}",\n' for name in names)
        comma = last is not None and not _comma_after(text, last, place.closing)
        new = text[:line_start] + items + text[line_start:]
        return new[:last] + "," + new[last:] if comma else new
    if last is None:
        return text[:place.opening + 1] + ", ".join(f'"{n}"' for n in names) + text[place.opening + 1:]
    added = "".join(f', "{name}"' for name in names)
    return text[:last] + added + text[last:]


def _with_new_list(text: str, place: ListPlace, names: list[str]) -> str:
    lines = f"{LIST} = [\n" + "".join(f'{INDENT}"{name}",\n' for name in names) + "]\n"
    if place.closing == len(text) and not _tables(text).get(place.table):
        head = text if text.endswith("\n") or not text else text + "\n"
        return head + ("\n" if head else "") + f"[{place.table}]\n" + lines
    before = text[:place.closing].rstrip("\n") + "\n"
    after = text[place.closing:]
    return before + lines + ("\n" + after if after else "")


def _last_value_end(text: str, place: ListPlace) -> int | None:
    """Where the list's last string item ends, or None for an empty list."""
    at, last = place.opening + 1, None
    while at < place.closing:
        char = text[at]
        if char in "\"'":
            at = last = _string_end(text, at)
            continue
        if char == "#":
            at = text.find("\n", at)
            continue
        at += 1
    return last


def _comma_after(text: str, at: int, closing: int) -> bool:
    return text[at:closing].lstrip().startswith(",")


def _item_indent(inside: str) -> str:
    for line in inside.split("\n")[1:]:
        if line.strip().startswith(("\"", "'")):
            return line[:len(line) - len(line.lstrip())]
    return INDENT


def _check(new: str, place: ListPlace, names: list[str]) -> None:
    try:
        data = tomllib.loads(new)
    except tomllib.TOMLDecodeError as error:
        raise PyprojectEditError(f"the edited file would not be TOML ({error})") from None
    table = data.get("project", {}).get("optional-dependencies", {}) if place.table == EXTRAS \
        else data.get("dependency-groups", {})
    if not set(names) <= set(table.get(LIST, [])):
        raise PyprojectEditError("the edited file does not hold the new names in its lecture list")
