"""Build output written aside and swapped in whole: a failed or killed build leaves the previous one.

A build writes into ``build/.staging-*``; only when every deck is complete are its folders
exchanged with the live ones (an atomic exchange on Linux), under a lock so two builds never
interleave.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .errors import BuildError, Location

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(new: Path, old: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(old))


def replace_path(new: Path, live: Path) -> None:
    """Put ``new`` where ``live`` is; the old content ends up at ``new``'s place (to be deleted)."""
    if not live.exists() and not live.is_symlink():
        os.rename(new, live)
        return
    if live.is_dir() and not live.is_symlink() and new.is_dir() and _exchange(new, live):
        return
    if live.is_dir() and not live.is_symlink():
        aside = new.with_name(new.name + ".old")
        os.rename(live, aside)
        os.rename(new, live)
        os.rename(aside, new)
    else:
        os.replace(new, live)


@contextlib.contextmanager
def build_lock(build_dir: Path, say=print):
    """Hold ``build/.lock`` for the length of a build; a second build waits for the first."""
    lock_path = build_dir / ".lock"
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another remarkdeck build is writing {build_dir}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staged_build(build_dir: Path, say=print):
    """Yield a staging folder; on success move each of its entries into ``build_dir``."""
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=build_dir, prefix=".probe-")
        probe.close()
    except OSError as error:
        raise BuildError(
            f"cannot write the build folder ({error.strerror}): make {build_dir} writable "
            "or remove it", Location(build_dir)) from None
    with build_lock(build_dir, say):
        _remove_stale(build_dir)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
        try:
            yield staging
            for entry in sorted(staging.iterdir(), key=lambda p: p.name == "index.html"):
                replace_path(entry, build_dir / entry.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _remove_stale(build_dir: Path) -> None:
    """Staging folders of builds that were killed."""
    for stale in build_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
