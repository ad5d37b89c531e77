"""The packages a deck's snippets import, declared in the project: each import mapped to its
distribution (distributions.py), those the project does not declare yet added to its ``lecture``
list (pyproject.py), and, where the project has a ``requirements.lock``, pinned there with what
they depend on (lock.py). The next ``make test`` installs them. Nothing is written before
``write``; the changes are shown as diffs."""

from __future__ import annotations

import difflib
import importlib.metadata
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..project import Project
from .distributions import SAME_NAME, Distribution, ImportMapping, canonical, map_imports
from .lock import LOCK_FILE, locked_names, resolve, with_pins
from .pyproject import REQUIREMENT_NAME, PyprojectEditError, declared_names, with_requirements

PYPROJECT = "pyproject.toml"
# A snippet that says which file it is ("# content of inc.py", pytest's documentation's habit)
FILE_COMMENT = re.compile(r"^#\s*(?:contents? of|file:?)?\s*([A-Za-z_]\w*)\.pyx?\s*$", re.M)
BESIDE_DEPTH = 2  # how deep below the deck's folder its own modules are looked for


@dataclass
class PackagePlan:
    """What the import declares and locks, what it could not, and the new files' text."""

    mapping: ImportMapping
    declared: list[Distribution] = field(default_factory=list)  # added to the lecture list
    not_locked: dict[str, str] = field(default_factory=dict)  # distribution -> pip's message
    pinned: list[str] = field(default_factory=list)  # lines added to the lock
    where: str = ""  # the list they were added to
    problem: str = ""  # why nothing could be declared
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # project path -> (old text, new text)

    def diffs(self) -> list[str]:
        return ["".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                             f"a/{path}", f"b/{path}"))
                for path, (old, new) in self.files.items() if old != new]

    def changed(self) -> list[str]:
        return [path for path, (old, new) in self.files.items() if old != new]

    def write(self, project: Project) -> None:
        for path, (old, new) in self.files.items():
            if old != new:
                (project.root / path).write_text(new, encoding="utf-8")


def install_packages(project: Project, plan: PackagePlan) -> str:
    """Install what ``plan`` declared (its pins where it locked them) with pip, when remarkdeck runs
    in the project's own environment (``.venv``, which ``make`` sets up); the problem, in pip's words
    or in ours, or "" when done (or nothing to do)."""
    requirements = plan.pinned or [distribution.name for distribution in plan.declared]
    if not requirements or not plan.where:  # nothing new, or not declared in the project
        return ""
    if Path(sys.prefix).resolve() != (project.root / ".venv").resolve():
        return (f"remarkdeck runs from {sys.prefix}, not the project's .venv: import with "
                "`.venv/bin/remarkdeck import` so it can install them")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *requirements], capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")] or done.stderr.splitlines()
    return " ".join(errors[-2:]).strip() or f"pip exited with status {done.returncode}"


def plan_packages(project: Project, imports: list[str], local: set[str]) -> PackagePlan:
    """The plan for ``imports`` (top-level names, in the order the snippets make them); ``local``:
    the deck's own modules."""
    plan = PackagePlan(map_imports(imports, local))
    pyproject = project.root / PYPROJECT
    if not pyproject.is_file():
        plan.problem = f"the project has no {PYPROJECT}"
        plan.declared = _unique(plan.mapping.distributions.values())
        return plan
    text = pyproject.read_text(encoding="utf-8")
    needed = _not_provided(plan.mapping, declared_names(text) | _remarkdeck_requirements())
    lock_path = project.root / LOCK_FILE
    lock = lock_path.read_text(encoding="utf-8") if lock_path.is_file() else None
    needed = _resolved(plan, needed, lock, lock_path)
    try:
        new_text, place = with_requirements(text, [d.name for d in needed])
    except PyprojectEditError as error:
        plan.problem = f"{PYPROJECT} could not be edited ({error})"
        plan.declared = needed
        return plan
    plan.declared, plan.where = needed, place.describe()
    plan.files = {PYPROJECT: (text, new_text), **plan.files}
    return plan


def deck_modules(project: Project, deck: str, base: Path, snippets: dict[str, str]) -> set[str]:
    """Modules the snippets may import that no distribution provides: the deck's snippets (by their
    file names, and the file a snippet says it is), and Python and Cython files in the deck's folder
    or a folder or two below it."""
    names = {Path(name).stem for name in snippets} | {path.stem for path in (project.snippets_dir / deck).glob("*.py")}
    names |= {match.group(1) for text in snippets.values() for match in FILE_COMMENT.finditer(text)}
    for depth in range(BESIDE_DEPTH + 1):
        pattern = "*/" * depth
        names |= {path.stem for suffix in ("py", "pyx") for path in base.glob(f"{pattern}*.{suffix}")}
        names |= {path.parent.name for path in base.glob(f"{pattern}*/__init__.py")}
    return names


def _not_provided(mapping: ImportMapping, provided: set[str]) -> list[Distribution]:
    return _unique(d for d in mapping.distributions.values() if not provided & set(d.names()))


def _unique(distributions) -> list[Distribution]:
    return list({d.name: d for d in distributions}.values())


def _remarkdeck_requirements() -> set[str]:
    """What remarkdeck itself brings, which every lecture project installs."""
    try:
        requirements = importlib.metadata.requires("remarkdeck") or []
    except importlib.metadata.PackageNotFoundError:
        return set()
    return {canonical(m.group(1)) for r in requirements if "extra ==" not in r and (m := REQUIREMENT_NAME.match(r))}


def _resolved(plan: PackagePlan, needed: list[Distribution], lock: str | None, lock_path: Path) -> list[Distribution]:
    """``needed`` once pip has resolved what it must: against the lock, each distribution the lock
    does not pin; without one, only those named after their import, to check they exist. A name
    pip cannot find is no distribution; one it cannot lock is still declared, and reported."""
    locked = locked_names(lock) if lock is not None else set()
    to_resolve = [d.name for d in needed if d.name not in locked and (d.source == SAME_NAME or lock is not None)]
    if not to_resolve:
        return needed
    resolution = resolve(to_resolve, lock_path if lock is not None else None)
    kept = []
    for distribution in needed:
        failure = resolution.failures.get(distribution.name)
        if failure and distribution.source == SAME_NAME:
            for name, found in plan.mapping.distributions.items():
                if found.name == distribution.name:
                    plan.mapping.unmapped[name] = f"no table maps it, and pip cannot resolve '{found.name}' " \
                                                  f"({failure})"
            continue
        if failure:
            plan.not_locked[distribution.name] = failure
        kept.append(distribution)
    plan.mapping.distributions = {name: d for name, d in plan.mapping.distributions.items()
                                  if name not in plan.mapping.unmapped}
    if lock is not None:
        new_lock = with_pins(lock, resolution.installs)
        plan.pinned = [line for line in new_lock.splitlines() if line not in set(lock.splitlines())]
        plan.files[LOCK_FILE] = (lock, new_lock)
    return kept


def summary(plan: PackagePlan) -> list[str]:
    """The report's lines on the packages: declared, locked, and what could not be."""
    lines = []
    if plan.declared and plan.problem:
        lines.append(f"packages the snippets import, not declared ({plan.problem}): {_named(plan, plan.declared)}")
    elif plan.declared:
        lines.append(f"packages declared in {plan.where}: {_named(plan, plan.declared)}; the next `make test` "
                     "installs them")
    elif plan.mapping.distributions:
        lines.append(f"packages the snippets import, all declared already: {_named(plan, _unique(plan.mapping.distributions.values()))}")
    if plan.pinned:
        lines.append(f"{LOCK_FILE}: {len(plan.pinned)} pinned line(s) added ({', '.join(plan.pinned)})")
    lines += [f"{name} could not be locked: {message}" for name, message in plan.not_locked.items()]
    if plan.mapping.unmapped:
        lines.append(f"imports not mapped to a distribution: {', '.join(plan.mapping.unmapped)}: declare what "
                     "provides them yourself")
    return lines


def _named(plan: PackagePlan, distributions: list[Distribution]) -> str:
    """``scikit-learn (sklearn), numpy``: each distribution with the imports it provides, when named otherwise."""
    shown = []
    for distribution in distributions:
        imports = [name for name, d in plan.mapping.distributions.items() if d.name == distribution.name
                   and name != distribution.name]
        shown.append(f"{distribution.name} ({', '.join(imports)})" if imports else distribution.name)
    return ", ".join(shown)
