"""The one place that finds and launches a browser (PDF printing, browser tests, screenshots).

Order: Playwright's own Chromium when installed; else ``$REMARKDECK_BROWSER``; else a Chromium or
Chrome on PATH; else ``/usr/bin/chromium``; else an error saying how to get one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import BrowserError, Location

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Without these, a headless Chromium keeps trying to reach the network (and hangs offline).
LAUNCH_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
)
INSTALL_TIMEOUT = 600
HOW_TO_INSTALL = (
    "no browser found for Playwright: run `make browser` (or `.venv/bin/playwright install chromium`), "
    "or install Chromium with your system's package manager (`apt-get install chromium`), "
    "or point $REMARKDECK_BROWSER at a Chromium or Chrome executable"
)


@dataclass(frozen=True)
class Browser:
    """A Chromium to launch: ``executable`` is None for Playwright's own build."""

    executable: Path | None
    source: str

    def __str__(self) -> str:
        return f"{self.executable or 'Playwright Chromium'} ({self.source})"


def find_browser(playwright=None) -> Browser:
    """The browser to launch; pass the running ``playwright`` when there is one (it cannot be nested)."""
    if _playwright_chromium(playwright) is not None:
        return Browser(None, "installed by Playwright")
    named = os.environ.get("REMARKDECK_BROWSER")
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return Browser(path, "$REMARKDECK_BROWSER")
        raise BrowserError(f"$REMARKDECK_BROWSER is {named!r}, which is not an executable file: fix or unset it")
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return Browser(Path(found), "found on PATH")
    if SYSTEM_CHROMIUM.is_file():
        return Browser(SYSTEM_CHROMIUM, "system package")
    raise BrowserError(HOW_TO_INSTALL)


def _playwright_chromium(playwright=None) -> Path | None:
    """The Chromium Playwright downloaded for itself, if it is there."""
    if playwright is not None:
        path = Path(playwright.chromium.executable_path)
        return path if path.is_file() else None
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started:
            return _playwright_chromium(started)
    except Exception:
        return None


def launch(playwright, browser: Browser | None = None):
    """A headless Chromium through Playwright."""
    browser = browser or find_browser(playwright)
    try:
        return playwright.chromium.launch(
            executable_path=str(browser.executable) if browser.executable else None,
            args=list(LAUNCH_ARGS), headless=True, timeout=60_000,
        )
    except Exception as error:
        raise BrowserError(f"could not start the browser {browser}: {str(error).splitlines()[0]}") from None


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """``with chromium() as browser:`` a launched browser, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong on a page: script and console errors, and the URLs that did not load."""

    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@contextlib.contextmanager
def open_page(browser, path: Path, width: int = 1210, height: int = 681, timeout: float = 60) -> Iterator[tuple]:
    """``with open_page(browser, path) as (page, log):`` the local page ``path``, its scripts run
    (images and fonts may still be loading), closed afterwards."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("console", lambda message: _console_error(message, log))
    page.on("requestfailed", lambda request: log.failed.append(request.url))
    try:
        try:
            page.goto(path.resolve().as_uri(), wait_until="domcontentloaded", timeout=timeout * 1000)
        except Exception as error:
            raise BrowserError(f"the browser could not open the page: {str(error).splitlines()[0]}",
                               Location(path)) from None
        yield page, log
    finally:
        page.close()


def _console_error(message, log: PageLog) -> None:
    """Console errors, except the browser's own "Failed to load resource" (``log.failed`` has the URL)."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        log.errors.append(message.text)


def install_browser(say=print) -> Browser:
    """Make sure a browser exists: Playwright's download first, the system package manager next.
    Each attempt is bounded in time, so this never hangs."""
    with contextlib.suppress(BrowserError):
        return find_browser()
    attempts = [
        [sys.executable, "-m", "playwright", "install", "--with-deps", "chromium"],
        [sys.executable, "-m", "playwright", "install", "chromium"],
    ]
    if shutil.which("apt-get"):
        attempts.append(["sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"])
    for command in attempts:
        say(f"installing a browser: {' '.join(command)}")
        try:
            subprocess.run(command, check=True, timeout=INSTALL_TIMEOUT, stdin=subprocess.DEVNULL)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            say(f"  did not work: {error}")
            continue
        with contextlib.suppress(BrowserError):
            return find_browser()
    raise BrowserError(HOW_TO_INSTALL)
