"""A lecture project copied aside for a benchmark, with its snippet cache, so its builds run nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

SOURCES = ("slides", "snippets", "templates", "img")


def copy_project(source: Path, target: Path) -> Path:
    for name in SOURCES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    if (source / "build" / ".cache").is_dir():
        shutil.copytree(source / "build" / ".cache", target / "build" / ".cache")
    return target
