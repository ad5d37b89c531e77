"""A lecture project copied aside for a benchmark, with its snippet cache, so its builds run nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from remarkdeck.matrix.environments import without_environments
from remarkdeck.serve import SOURCE_FOLDERS


def copy_project(source: Path, target: Path) -> Path:
    for name in SOURCE_FOLDERS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    if (source / "build" / ".cache").is_dir():
        shutil.copytree(source / "build" / ".cache", target / "build" / ".cache", ignore=without_environments)
    return target
