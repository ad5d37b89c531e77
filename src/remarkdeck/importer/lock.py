"""Pinned versions for newly declared distributions, resolved by pip itself: ``pip install
--dry-run --report`` against the project's ``requirements.lock`` as constraints, so what is locked
stays and only what is missing is added, as lines of the ``pip freeze`` form the lock already has."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .distributions import canonical

LOCK_FILE = "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==")
PIP_SECONDS = 600


@dataclass
class Resolution:
    """What pip would install (canonical name -> (name, version)), and what it could not resolve
    (requested name -> pip's message)."""

    installs: dict[str, tuple[str, str]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def locked_names(lock: str) -> set[str]:
    return {canonical(m.group(1)) for line in lock.splitlines() if (m := PIN.match(line))}


def resolve(names: list[str], constraints: Path | None = None) -> Resolution:
    """pip's resolution of ``names`` together; when that fails, of each alone, so that one name pip
    cannot resolve does not keep the others from being locked."""
    resolution = _pip_resolution(names, constraints)
    if resolution.failures and len(names) > 1:
        resolution = Resolution()
        for name in names:
            alone = _pip_resolution([name], constraints)
            resolution.installs.update(alone.installs)
            resolution.failures.update(alone.failures)
    return resolution


def _pip_resolution(names: list[str], constraints: Path | None) -> Resolution:
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
               "--disable-pip-version-check", "--report", "-"]
    command += ["-c", str(constraints)] if constraints else []
    try:
        done = subprocess.run(command + names, capture_output=True, text=True, timeout=PIP_SECONDS)
    except subprocess.TimeoutExpired:
        return Resolution(failures={name: f"pip took over {PIP_SECONDS} s" for name in names})
    if done.returncode:
        return Resolution(failures={name: _pip_message(done.stderr) for name in names})
    report = json.loads(done.stdout)
    installs = {canonical(item["metadata"]["name"]): (item["metadata"]["name"], item["metadata"]["version"])
                for item in report.get("install", [])}
    return Resolution(installs)


def _pip_message(stderr: str) -> str:
    """pip's last error line (its conclusion), else its last line."""
    errors = [line[len("ERROR: "):] for line in stderr.splitlines() if line.startswith("ERROR: ")]
    lines = errors or [line for line in stderr.splitlines() if line.strip()] or ["pip failed"]
    return lines[-1].strip()


def with_pins(lock: str, installs: dict[str, tuple[str, str]]) -> str:
    """``lock`` with a ``name==version`` line for each install it does not pin yet, each where
    ``pip freeze`` would put it (names in case-insensitive order), the other lines unchanged."""
    known = locked_names(lock)
    lines = lock.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, (name, version) in sorted(installs.items(), key=lambda item: item[1][0].lower()):
        if key in known:
            continue
        at = next((i for i, line in enumerate(lines) if (m := PIN.match(line)) and m.group(1).lower() > name.lower()),
                  len(lines))
        lines.insert(at, f"{name}=={version}\n")
        known.add(key)
    return "".join(lines)
