"""The distributions a deck's imports need: each top-level import name mapped to the distribution
that provides it, through maintained tables rather than guesses. In order: the standard library
and the deck's own modules need none; then remarkdeck's table (data/distributions.txt), the
distributions installed here (importlib.metadata), pipreqs' table (data/pipreqs-mapping.txt);
else a distribution of the import's own name, pipreqs' rule, which the caller checks on the
package index before declaring it."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

DATA = Path(__file__).parent / "data"
REMARKDECK_TABLE = DATA / "distributions.txt"
PIPREQS_TABLE = DATA / "pipreqs-mapping.txt"
SAME_NAME = "same name"  # the source of a mapping still to be checked on the package index


@dataclass(frozen=True)
class Distribution:
    """The distribution to declare for an import, where the mapping came from, and the others that
    provide the import too (a project declaring any of them needs nothing added)."""

    name: str  # canonical (PEP 503): scikit-learn, pillow, pyyaml
    source: str  # remarkdeck's table, installed here, pipreqs' table, same name
    alternatives: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.alternatives)


@dataclass
class ImportMapping:
    distributions: dict[str, Distribution] = field(default_factory=dict)  # import name -> distribution
    unmapped: dict[str, str] = field(default_factory=dict)  # import name -> why no distribution


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def map_imports(imports: Iterable[str], local: set[str]) -> ImportMapping:
    """``imports``: top-level import names; ``local``: the deck's own modules, which need nothing."""
    mapping = ImportMapping()
    for name in imports:
        if name in sys.stdlib_module_names or name in local or name in mapping.distributions:
            continue
        for source, table in MAPPINGS:
            found = table().get(name)
            if found is None:
                continue
            if isinstance(found, str):
                mapping.unmapped[name] = found
            else:
                mapping.distributions[name] = Distribution(found[0], source, found[1:])
            break
        else:
            mapping.distributions[name] = Distribution(canonical(name), SAME_NAME)
    return mapping


@cache
def remarkdeck_table() -> dict[str, tuple[str, ...] | str]:
    table: dict[str, tuple[str, ...] | str] = {}
    for name, value in _lines(REMARKDECK_TABLE):
        table[name] = tuple(canonical(d) for d in value.split("|")) if value else \
            f"'{name}' is a namespace many distributions share"
    return table


@cache
def installed_table() -> dict[str, tuple[str, ...] | str]:
    table: dict[str, tuple[str, ...] | str] = {}
    for name, distributions in importlib.metadata.packages_distributions().items():
        found = sorted({canonical(d) for d in distributions})
        table[name] = tuple(found) if len(found) == 1 else \
            f"several installed distributions provide '{name}' ({', '.join(found)})"
    return table


@cache
def pipreqs_table() -> dict[str, tuple[str, ...] | str]:
    """pipreqs' table, with its namespace names (several lines for one import) left unmapped."""
    found: dict[str, list[str]] = {}
    for name, value in _lines(PIPREQS_TABLE):
        found.setdefault(name, []).append(canonical(value))
    return {name: (dists[0],) if len(dists) == 1 else
            f"pipreqs' table names several distributions for '{name}' ({', '.join(dists)})"
            for name, dists in found.items()}


def _lines(path: Path) -> Iterable[tuple[str, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition(":")
            yield name.strip(), value.strip()


# Where an import's distribution is looked up, in order: the first table that knows the name wins.
MAPPINGS = (
    ("remarkdeck's table", remarkdeck_table),
    ("installed here", installed_table),
    ("pipreqs' table", pipreqs_table),
)
