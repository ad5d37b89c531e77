"""The preview server behind ``remarkdeck serve``: build/ over HTTP, each page with a script that
swaps in new slides or reloads when a newer build lands, and shows a failed build's error.

``BuildStatus`` is what the watcher publishes and every open page waits for; ``open_server``
serves build/ and the build events (server-sent events at ``EVENTS_URL``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import ipaddress
import json
import os
import re
import secrets
import socket
import socketserver
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import DeckError

EVENTS_URL = "/_remarkdeck/events"
CLIENT_URL = "/_remarkdeck/live-reload.js"
CLIENT_SCRIPT = Path(__file__).parent / "templates" / "live-reload.js"
KEEPALIVE_SECONDS = 15  # a comment line this often tells a dead page's connection from a quiet one
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    ".pdf": "application/pdf", ".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".mov": "video/quicktime", ".m4v": "video/mp4", ".wav": "audio/wav", ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".m4a": "audio/mp4",
    ".flac": "audio/flac", ".vtt": "text/vtt",
}
# The slides' Markdown in a built page: the first member of the options given to remark.create().
SLIDES_SOURCE = re.compile(rb'"source": "(?:[^"\\]|\\.)*"')
# The slides' typeset formulas in a built page (JSON made by html.script_json, so it holds no "<").
SLIDES_FORMULAS = re.compile(rb'(<script type="application/json" id="remarkdeck-formulas">)[^<]*(</script>)')
NOT_FOUND_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n" \
                 "<body><p>Not in build/: {path}</p>\n</body></html>\n"


class BuildStatus:
    """The latest build's outcome: the watcher publishes it, every open page waits for it."""

    def __init__(self):
        self._changed = threading.Condition()
        self._run = secrets.token_hex(4)  # so pages opened before a server restart reload too
        self._builds = 0
        self._error: str | None = None
        self._closed = False
        self.assets = 0  # counts builds after which more than the slides' Markdown may differ

    @property
    def version(self) -> str:
        return f"{self._run}-{self._builds}"

    def publish(self, error: str | None, assets_changed: bool = False) -> None:
        with self._changed:
            self._builds += 1
            self.assets += assets_changed
            self._error = error
            self._changed.notify_all()

    def wait(self, seen: str | None, timeout: float) -> dict | None:
        """``{"version", "error"}`` once the version is not ``seen`` (or after ``timeout``);
        None once the server is closing."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self.version != seen, timeout)
            return None if self._closed else {"version": self.version, "error": self._error}

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def served_path(build_dir: Path, url_path: str) -> Path | None:
    """The file or folder under build/ that a URL path names, or None. The rule is checked on the
    real path, after ``..`` (in any spelling: ``%2e%2e``, ``%2f``) and symlinks are resolved: it
    must be inside build/ and have no hidden part (``.cache``, ``.lock``, staging folders)."""
    segments = url_segments(url_path)
    if segments is None:
        return None
    try:
        root = build_dir.resolve()
        target = root.joinpath(*segments).resolve()
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a symlink loop
        return None
    if not target.is_relative_to(root) or any(part.startswith(".") for part in target.relative_to(root).parts):
        return None
    return target if target.exists() else None


def url_segments(url_path: str) -> list[str] | None:
    """A URL path's decoded segments, empty ones dropped; None if it is not UTF-8."""
    try:
        return [part for part in unquote(url_path, errors="strict").split("/") if part]
    except UnicodeDecodeError:
        return None


def page_shell(page: bytes, folder: Path, assets: int) -> str:
    """A digest of everything a served page is made of besides its slides' Markdown and formulas:
    when an open page's shell is the new one's, swapping in the new slides shows what a reload would."""
    shell = SLIDES_FORMULAS.sub(rb"\1\2", SLIDES_SOURCE.sub(b'"source": ""', page, count=1), count=1)
    digest = hashlib.sha256(shell)
    # the theme can depend on the front matter, the fonts on the slides' characters and formulas
    for name in ("theme.css", "macros.js", "vendor/fonts.css", "vendor/katex/katex.min.css"):
        with contextlib.suppress(OSError):
            digest.update((folder / name).read_bytes())
    digest.update(f"{assets}".encode())
    return digest.hexdigest()[:16]


def with_live_reload(page: bytes, version: str, shell: str) -> bytes:
    """The page with the live-reload script before its ``</body>``."""
    script = f'<script src="{CLIENT_URL}" data-build="{version}" data-shell="{shell}"></script>\n'.encode()
    end = page.rfind(b"</body>")
    return page[:end] + script + page[end:] if end >= 0 else page + script


class DeckRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD of what is under build/ (pages with the live-reload script), and the build events."""

    server: "PreviewServer"
    server_version = "remarkdeck"

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_URL and send_body:
            return self.stream_builds()
        if path == CLIENT_URL:
            return self.send_file(CLIENT_SCRIPT, path, send_body)
        target = served_path(self.server.build_dir, path)
        if target is not None and target.is_dir():
            page = served_path(self.server.build_dir, path.rstrip("/") + "/index.html")
            if page is not None and not path.endswith("/"):
                return self.redirect("/" + quote("/".join(url_segments(path))) + "/")
            target = page
        if target is None and path == "/favicon.ico":
            return self.send(HTTPStatus.NO_CONTENT, b"", ".ico", False, {})  # a deck has none: not an error
        if target is None or not target.is_file():
            return self.send_not_found(path, send_body)
        if target.suffix == ".html":
            return self.send_page(target, path, send_body)
        self.send_file(target, path, send_body)

    def send_page(self, page: Path, path: str, send_body: bool) -> None:
        """A page with the live-reload script, never kept by the browser."""
        # The build is read before the file: a build that lands in between costs one more
        # update, never a missed one.
        version, assets = self.server.status.version, self.server.status.assets
        try:
            body = page.read_bytes()
        except OSError:  # deleted since it was found: a build is swapping it
            return self.send_not_found(path, send_body)
        body = with_live_reload(body, version, page_shell(body, page.parent, assets))
        self.send(HTTPStatus.OK, body, ".html", send_body, {"Cache-Control": "no-store"})

    def send_file(self, file: Path, path: str, send_body: bool) -> None:
        """A file the browser may keep but must check first: every rebuild writes new files, so new
        tags. Kept scripts reload faster (Chromium keeps them compiled)."""
        try:
            with file.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                tag = f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
                unchanged = tag == self.headers.get("If-None-Match")
                body = b"" if unchanged else handle.read()
        except OSError:
            return self.send_not_found(path, send_body)
        headers = {"Cache-Control": "no-cache", "ETag": tag}
        if unchanged:
            return self.send(HTTPStatus.NOT_MODIFIED, b"", file.suffix, False, headers)
        self.send(HTTPStatus.OK, body, file.suffix, send_body, headers)

    def send_not_found(self, path: str, send_body: bool) -> None:
        """A page that says so, and reloads once a build brings what was asked for."""
        page = NOT_FOUND_PAGE.format(path=quote(path)).encode()
        self.send(HTTPStatus.NOT_FOUND, with_live_reload(page, self.server.status.version, ""), ".html", send_body,
                  {"Cache-Control": "no-store"})

    def send(self, code: HTTPStatus, body: bytes, suffix: str, send_body: bool, headers: dict[str, str]) -> None:
        self.send_response(code)
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix.lower(), "application/octet-stream"))
        if code not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):  # these have no body at all
            self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_builds(self) -> None:
        """Server-sent events: the current build at once, then every new one as it lands."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        seen = None
        while (build_state := self.server.status.wait(seen, KEEPALIVE_SECONDS)) is not None:
            if build_state["version"] == seen:
                self.wfile.write(b": waiting for a build\n\n")
            else:
                self.wfile.write(f"event: build\ndata: {json.dumps(build_state)}\n\n".encode())
                seen = build_state["version"]

    def log_request(self, code="-", size="-") -> None:
        """Quiet: the terminal is for builds and their errors."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, build_dir: Path, status: BuildStatus, host: str, port: int):
        self.build_dir = build_dir
        self.status = status
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), DeckRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also looks the host's name up in DNS, which can hang offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed mid-answer is normal
            super().handle_error(request, client_address)


def open_server(build_dir: Path, status: BuildStatus, host: str, port: int) -> PreviewServer:
    try:
        return PreviewServer(build_dir, status, host, port)
    except OSError as error:
        reason = error.strerror or str(error)
        advice = ("another program listens there: stop it or pick another port with --port"
                  if error.errno == errno.EADDRINUSE else "check --host and --port")
        raise DeckError(f"cannot serve on {host} port {port} ({reason}): {advice}") from None


def page_url(server: PreviewServer, names: list[str] | None) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    path = f"/{names[0]}/" if names and len(names) == 1 else "/"
    return f"http://{shown}:{port}{path}"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
