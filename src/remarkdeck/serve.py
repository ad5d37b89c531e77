"""``remarkdeck serve``: build/ over HTTP, rebuilt whenever a source under slides/, snippets/,
templates/ or img/ changes.

Served pages carry one script more than the built ones. When a newer build is ready it swaps the
new slides into the open page if nothing but the slides' Markdown (and formulas) changed, and reloads the page
otherwise; either way the page stays on its slide. A failed build's ``path:line: message`` shows
over the page until the source is fixed.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import traceback
from pathlib import Path
from typing import Iterator

import watchfiles

from .build import BuildReport, build
from .errors import DeckError
from .livereload import BuildStatus, is_loopback, open_server, page_url
from .project import Project

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SOURCE_FOLDERS = ("slides", "snippets", "templates", "img")
WATCH_TIMEOUT_MS = 1000  # how often the watcher looks for source folders created or removed
WATCH_STEP_MS = 20  # a save is one burst of file events; wait this long for its last one


def serve(project: Project, names: list[str] | None = None, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, say=print, stop: threading.Event | None = None) -> None:
    """Serve build/ and rebuild on every source change, until Ctrl-C or ``stop`` is set."""
    for name in names or ():
        project.deck_path(name)
    stop = stop or threading.Event()
    status = BuildStatus()
    server = open_server(project.build_dir, status, host, port)
    threading.Thread(target=server.serve_forever, name="remarkdeck-http", daemon=True).start()
    try:
        if not is_loopback(host):
            log.warning(f"--host {host} lets other machines on the network see everything in build/")
        say(f"serving {project.relative(project.build_dir)}/ at {page_url(server, names)} (Ctrl-C stops)")
        changes = _watch_in_background(project, stop)
        rebuild(project, names, status, say, assets_changed=True)
        while (changed := _next_changes(changes, stop)) is not None:
            say(f"changed: {_listed([project.relative(path) for path in changed])}")
            rebuild(project, names, status, say, assets_changed=not all(_is_deck(project, path) for path in changed))
    finally:
        stop.set()
        status.close()
        server.shutdown()
        server.server_close()


def rebuild(project: Project, names: list[str] | None, status: "BuildStatus", say,
            assets_changed: bool = True) -> BuildReport | None:
    """Build, then tell every open page: update, or show the error. The server outlives any failure.
    ``assets_changed``: something besides the decks' Markdown changed (a snippet, a picture, a template),
    so open pages must reload rather than swap in new slides."""
    try:
        report = build(project, names, say=say)
    except DeckError as error:
        return _failed(str(error), status, say, assets_changed)
    except Exception as error:
        say(traceback.format_exc().rstrip())
        return _failed(f"remarkdeck internal error: {error!r} (the traceback is in the terminal; "
                       "this is a bug in remarkdeck, not in your deck)", status, say, assets_changed)
    # Publish before saying so: whoever reads "built" (a user, a test) and opens a page gets this build's
    # version, not the previous one, which the page would take for a newer build and reload.
    status.publish(None, assets_changed)
    say(f"built {', '.join(deck.name for deck in report.decks)} in {report.seconds:.2f} s; "
        f"ran {len(report.ran)} snippet(s)")
    return report


def _failed(message: str, status: "BuildStatus", say, assets_changed: bool) -> None:
    status.publish(message, assets_changed)
    say(message)
    say("build failed: open pages show the error until a build succeeds")


def _is_deck(project: Project, path: Path) -> bool:
    return path.parent == project.slides_dir and path.suffix == ".md"


def _watch_in_background(project: Project, stop: threading.Event) -> queue.Queue:
    """The source changes, watched from before the first build on, so that a save made while it
    runs (or right after it) is not missed."""
    changes: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [changes.put(batch) for batch in source_changes(project, stop)],
                     name="remarkdeck-watch", daemon=True).start()
    return changes


def _next_changes(changes: queue.Queue, stop: threading.Event) -> list[Path] | None:
    """The files of the next save, with those of any save made meanwhile; None once stopped."""
    while not stop.is_set():
        try:
            batch = set(changes.get(timeout=0.1))
        except queue.Empty:
            continue
        with contextlib.suppress(queue.Empty):
            while True:
                batch.update(changes.get_nowait())
        return sorted(batch)
    return None


def source_changes(project: Project, stop: threading.Event) -> Iterator[list[Path]]:
    """The source files changed by each save. A source folder appearing or vanishing is a change too,
    and the watch moves to the new set of folders."""
    while not stop.is_set():
        folders = source_folders(project)
        for changes in watchfiles.watch(*folders, stop_event=stop, step=WATCH_STEP_MS, yield_on_timeout=True,
                                        rust_timeout=WATCH_TIMEOUT_MS):
            now = source_folders(project)
            changed = {Path(path) for _, path in changes} | (set(now) ^ set(folders))
            if changed:
                yield sorted(changed)
            if now != folders:
                break


def _listed(names: list[str], most: int = 3) -> str:
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def source_folders(project: Project) -> tuple[Path, ...]:
    return tuple(project.root / name for name in SOURCE_FOLDERS if (project.root / name).is_dir())
