"""The matrix's cells: the lock, then each set of versions named in ``[tool.remarkdeck.matrix]`` of
pyproject.toml, and the requirements each one is resolved from::

    [tool.remarkdeck.matrix]
    keras2 = ["tensorflow-cpu==2.15.*"]   # the lock, with these requirements changed
    newest = "newest"                     # every package at its newest release
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..errors import ConfigError, Location
from ..project import Project

LOCK = "lock"
NEWEST = "newest"
LOCK_FILE = "requirements.lock"
TABLE = "tool.remarkdeck.matrix"
CELL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Installed from this checkout into every cell (uv would look for it on the package index)
NOT_RESOLVED = {"remarkdeck"}


@dataclass(frozen=True)
class Cell:
    """One set of library versions: the lock as it is, the lock with some requirements changed,
    or every package at its newest release."""

    name: str
    changes: tuple[str, ...] = ()
    newest: bool = False

    @property
    def is_lock(self) -> bool:
        return self.name == LOCK

    def describe(self) -> str:
        if self.is_lock:
            return f"the versions of {LOCK_FILE}"
        if self.newest:
            return "every package at its newest release"
        return f"{LOCK_FILE} with {', '.join(self.changes)}"

    def requirements(self, lock: "Lock", first: list[str] = ()) -> str:
        """What uv resolves for this cell: the lock's pins, or this cell's changes then the lock's
        packages by name (the lock's versions then being only preferences). Packages named in
        ``first`` (those the decks import) come before the others: where not every package can be at
        its newest release, uv favours the first ones."""
        if self.is_lock:
            return "".join(f"{line}\n" for line in lock.pinned)
        changed = {canonicalize_name(Requirement(text).name) for text in self.changes}
        order = {name: index for index, name in enumerate(canonicalize_name(name) for name in first)}
        kept = sorted(((name, line) for name, line in lock.unpinned if name not in changed),
                      key=lambda pair: order.get(pair[0], len(order)))
        return "".join(f"{line}\n" for line in [*self.changes, *(line for _, line in kept)])


@dataclass(frozen=True)
class Lock:
    """requirements.lock: ``pip freeze`` output, or ``uv pip compile``'s (markers kept)."""

    path: Path
    pinned: tuple[str, ...]  # each requirement line as written
    unpinned: tuple[tuple[str, str], ...]  # (canonical name, the package with its marker but no version)

    @classmethod
    def read(cls, project: Project) -> "Lock":
        path = project.root / LOCK_FILE
        if not path.is_file():
            raise ConfigError(f"no {LOCK_FILE}: the matrix starts from the versions the course is tested with; "
                              "write it with `make lock`", Location(path))
        pinned, unpinned = [], {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.split(" #", 1)[0].strip()
            if not text or text.startswith(("#", "-")):  # comments, options, editable installs
                continue
            try:
                requirement = Requirement(text)
            except InvalidRequirement as error:
                raise ConfigError(f"not a requirement: {error}", Location(path, number)) from None
            name = canonicalize_name(requirement.name)
            if name in NOT_RESOLVED:
                continue
            pinned.append(text)
            bare = requirement.name + (f" ; {requirement.marker}" if requirement.marker else "")
            unpinned.setdefault((name, bare), None)
        return cls(path, tuple(pinned), tuple(unpinned))


def load_cells(project: Project, chosen: list[str] | None = None) -> list[Cell]:
    """The lock, then the cells of pyproject.toml in their order; ``chosen`` keeps only those named
    (the lock always stays: the other cells are compared with it)."""
    cells = [Cell(LOCK), *_declared_cells(project.root / "pyproject.toml")]
    if not chosen:
        return cells
    known = {cell.name for cell in cells}
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ConfigError(f"no cell named {', '.join(map(repr, unknown))} in [{TABLE}] (cells: "
                          f"{', '.join(sorted(known))})", Location(project.root / "pyproject.toml"))
    return [cell for cell in cells if cell.is_lock or cell.name in chosen]


def _declared_cells(path: Path) -> list[Cell]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text).get("tool", {}).get("remarkdeck", {}).get("matrix", {})
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", Location(path)) from None
    if not isinstance(table, dict):
        raise ConfigError(f"[{TABLE}] must be a table of cells", Location(path, _line_of(text, "matrix")))
    return [_cell(name, value, Location(path, _line_of(text, name))) for name, value in table.items()]


def _cell(name: str, value: object, where: Location) -> Cell:
    if name == LOCK or not CELL_NAME.fullmatch(name):
        raise ConfigError(f"'{name}' cannot name a cell: use letters, digits, '-', '_' and '.', and not "
                          f"'{LOCK}' (the lock is always the first cell)", where)
    if value == NEWEST:
        return Cell(name, newest=True)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"cell '{name}': expected a list of requirements such as [\"numpy==1.26.*\"], or "
                          f"\"{NEWEST}\"; got {value!r}", where)
    for item in value:
        try:
            Requirement(item)
        except InvalidRequirement as error:
            raise ConfigError(f"cell '{name}': not a requirement: {error}", where) from None
    return Cell(name, changes=tuple(value))


def _line_of(text: str, key: str) -> int:
    """The line of ``[tool.remarkdeck.matrix]`` (key "matrix"), or of a key inside it (0 if not found)."""
    lines = text.splitlines()
    header = next((number for number, line in enumerate(lines, start=1)
                   if re.match(rf"\s*\[\s*{re.escape(TABLE)}\s*\]", line)), 0)
    if key == "matrix" or not header:
        return header
    assignment = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(lines[header:], start=header + 1):
        if line.lstrip().startswith("["):
            break
        if assignment.match(line):
            return number
    return header
