"""Imports the slides assume: names a deck's code uses but none of its snippets defines, which a
conventional alias (``np``, ``pd``, ``plt``) or exactly one public name of a library the deck uses
(``train_test_split``, ``StandardScaler``, ``Dense``) stands for: the libraries the deck imports
first, then the others of the table (a Keras deck whose slides never show an import). They go into the deck's prelude,
which runs before every snippet and is never shown, so the slides look the same and the code runs.
Every import line is run (in a separate Python) before it is kept: one that fails is left out."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "assumed-imports.txt"
PRELUDE_HEADER = "# Imports the slides assume (written by `remarkdeck import`, each checked by running it):"
THROUGH = {"tensorflow": "keras"}  # `from tensorflow.keras import ...` is the keras library's API


@dataclass
class AssumedImports:
    lines: dict[str, str] = field(default_factory=dict)  # name -> its import, checked
    failed: dict[str, str] = field(default_factory=dict)  # name -> the import that did not run


def read_table(path: Path = TABLE) -> tuple[dict[str, str], list[str]]:
    """(alias -> import statement, libraries whose submodules' public names count)."""
    aliases, libraries = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("/"):
            libraries.append(line[:-1])
        else:
            name, _, statement = line.partition("=")
            aliases[name.strip()] = statement.strip()
    return aliases, libraries


def assumed_imports(undefined: set[str], imported: set[str], python: str = sys.executable,
                    timeout: float = 300) -> AssumedImports:
    """The imports that stand for ``undefined`` names, given the top-level packages the deck's code
    ``imported``; found and checked by ``python`` (the environment the snippets run in)."""
    aliases, libraries = read_table()
    used = {THROUGH.get(package, package) for package in imported}
    request = {"undefined": sorted(undefined), "aliases": aliases, "libraries": libraries,
               "preferred": [library for library in libraries if library in used]}
    if not undefined:
        return AssumedImports()
    done = subprocess.run([python, "-c", _FINDER], input=json.dumps(request), capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        return AssumedImports()
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return AssumedImports(found["lines"], found["failed"])


def with_assumed_imports(prelude: str, lines: dict[str, str]) -> str:
    """The prelude's text with the assumed imports as its first block (an earlier such block replaced)."""
    if prelude.startswith(PRELUDE_HEADER):
        prelude = prelude.partition("\n\n")[2]
    if not lines:
        return prelude
    return "\n".join([PRELUDE_HEADER, *sorted(set(lines.values()))]) + "\n\n" + prelude


# Run in the snippets' Python: the public names of each library's first-level submodules, the one
# module that exports each undefined name, and every candidate import executed once.
_FINDER = r'''
import importlib, json, pkgutil, sys, io, contextlib
request = json.loads(sys.stdin.read())
undefined = set(request["undefined"])
candidates = {name: request["aliases"][name] for name in undefined if name in request["aliases"]}
owners = {}
for library in request["libraries"]:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            package = importlib.import_module(library)
    except Exception:
        continue
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        if info.name.startswith("_") or info.name in ("tests", "conftest", "src", "api", "backend"):
            continue
        module_name = f"{library}.{info.name}"
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                module = importlib.import_module(module_name)
        except Exception:
            continue
        public = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in set(public) & undefined:
            if not isinstance(getattr(module, name, None), type(sys)):
                owners.setdefault(name, set()).add(module_name)
for name, modules in owners.items():
    preferred = {m for m in modules if m.split(".")[0] in request["preferred"]}
    modules = preferred or modules
    if name not in candidates and len(modules) == 1:
        candidates[name] = f"from {modules.pop()} import {name}"
lines, failed = {}, {}
for name, statement in sorted(candidates.items()):
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(statement, {})
        lines[name] = statement
    except Exception:
        failed[name] = statement
print(json.dumps({"lines": lines, "failed": failed}))
'''
