"""``remarkdeck serve``: only build/ is served, pages get the live-reload script, every source change
rebuilds (running no snippet for a text edit) and open pages hear of each build and its error.

The browser side (reload on the same slide, the error overlay) is in tests/browser/test_live_reload.py.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import re
import shutil
import socket
import threading
from pathlib import Path

import pytest

import remarkdeck.serve
from remarkdeck.cli import main
from remarkdeck.livereload import CLIENT_URL, BuildStatus, open_server, page_shell
from remarkdeck.project import Project
from remarkdeck.serve import rebuild, serve, source_changes

PAGE = b"<!DOCTYPE html>\n<html><body><p>deck</p>\n</body></html>\n"
UNDEFINED = "slides/basic.md:17: 'nope' is undefined: define it in the front matter or fix the name"
OUTSIDE = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/deck/../../secret.txt",
    "/deck/%2e%2e/%2e%2e/secret.txt",
    "/deck/.%2e/.%2e/secret.txt",
    "/..\\..\\secret.txt",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/etc/passwd",
    "/leak/passwd",  # build/leak -> /etc
    "/deck/passwd",  # build/deck/passwd -> /etc/passwd
    "/deck/secret",  # build/deck/secret -> ../../secret.txt
    "/.cache/result.json",
    "/.lock",
    "/%2ecache/result.json",
    "/deck/%00index.html",
    "/%ff",
]


def get(base: tuple[str, int], path: str, method: str = "GET") -> http.client.HTTPResponse:
    """The raw request: ``path`` goes on the wire exactly as written (no client-side clean-up)."""
    connection = http.client.HTTPConnection(*base, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture
def build_tree(tmp_path) -> Path:
    """A build/ folder with one deck, hidden build files, and symlinks inside and out."""
    (tmp_path / "secret.txt").write_text("TOP SECRET CONTENT")
    build = tmp_path / "build"
    (build / "deck" / "vendor").mkdir(parents=True)
    (build / "img").mkdir()
    (build / ".cache").mkdir()
    (build / "index.html").write_bytes(PAGE)
    (build / "deck" / "index.html").write_bytes(PAGE)
    (build / "deck" / "vendor" / "remark.min.js").write_text("var remark;")
    (build / "img" / "square.svg").write_text("<svg/>")
    (build / ".cache" / "result.json").write_text("{}")
    (build / ".lock").write_text("")
    (build / "leak").symlink_to("/etc")
    (build / "deck" / "passwd").symlink_to("/etc/passwd")
    (build / "deck" / "secret").symlink_to("../../secret.txt")
    (build / "deck" / "square.svg").symlink_to("../img/square.svg")
    return build


@pytest.fixture
def http_server(build_tree):
    """The preview server alone (no builds) on a free port of 127.0.0.1; ``(host, port)``."""
    status = BuildStatus()
    server = open_server(build_tree, status, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    status.close()
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.mark.parametrize("path", OUTSIDE)
def test_nothing_outside_build_or_hidden_is_served(http_server, path):
    response = get(http_server.server_address, path)
    assert response.status == 404
    assert b"root:" not in response.body and b"TOP SECRET" not in response.body


@pytest.mark.parametrize("path", ["/deck/vendor/", "/deck/vendor", "/img/", "/img"])
def test_no_directory_listing(http_server, path):
    assert get(http_server.server_address, path).status == 404


@pytest.mark.parametrize("path, content_type", [
    ("/deck/vendor/remark.min.js", "text/javascript; charset=utf-8"),
    ("/img/square.svg", "image/svg+xml"),
    ("/deck/square.svg", "image/svg+xml"),  # a symlink that stays inside build/
])
def test_files_in_build_are_served(http_server, build_tree, path, content_type):
    response = get(http_server.server_address, path)
    assert (response.status, response.getheader("Content-Type")) == (200, content_type)
    assert response.body == (build_tree / path.lstrip("/")).read_bytes()
    assert response.getheader("Cache-Control") == "no-cache"


def test_kept_files_are_checked_and_a_rebuilt_one_is_sent_again(http_server, build_tree):
    """The browser may keep vendor files (and so their compiled code) across reloads, but every
    rebuild writes the file anew, which changes its tag."""
    first = get(http_server.server_address, "/deck/vendor/remark.min.js")
    tag = first.getheader("ETag")
    kept = get_if_changed(http_server.server_address, "/deck/vendor/remark.min.js", tag)
    script = build_tree / "deck" / "vendor" / "remark.min.js"
    script.unlink()
    script.write_text("var remark = 2;")
    rebuilt = get_if_changed(http_server.server_address, "/deck/vendor/remark.min.js", tag)
    assert (kept.status, kept.body, kept.getheader("ETag")) == (304, b"", tag)
    assert (rebuilt.status, rebuilt.body) == (200, b"var remark = 2;")
    assert rebuilt.getheader("ETag") != tag


def get_if_changed(base: tuple[str, int], path: str, tag: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(*base, timeout=10)
    connection.request("GET", path, headers={"If-None-Match": tag})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_a_deck_folder_redirects_to_its_page(http_server):
    response = get(http_server.server_address, "/deck")
    assert (response.status, response.getheader("Location")) == (301, "/deck/")


def test_pages_are_the_built_ones_plus_the_reload_script(http_server, build_tree):
    version = http_server.status.version
    shell = page_shell(PAGE, build_tree / "deck", 0)
    script = f'<script src="{CLIENT_URL}" data-build="{version}" data-shell="{shell}"></script>\n'.encode()
    for path in ("/", "/deck/", "/deck/index.html"):
        response = get(http_server.server_address, path)
        assert (response.status, response.body) == (200, PAGE.replace(b"</body>", script + b"</body>"))
    assert b"live-reload" not in (build_tree / "deck" / "index.html").read_bytes()
    head = get(http_server.server_address, "/deck/", method="HEAD")
    assert (head.status, head.body, head.getheader("Content-Length")) == (200, b"", str(len(PAGE + script)))
    client = get(http_server.server_address, CLIENT_URL)
    assert (client.status, client.getheader("Content-Type")) == (200, "text/javascript; charset=utf-8")
    assert b'new EventSource("/_remarkdeck/events")' in client.body


def test_a_page_shell_is_all_but_the_slides(tmp_path):
    """Open pages swap in new slides only when the shell is the same: when nothing but the slides'
    Markdown changed, and no snippet, picture or template since the page was served."""
    (tmp_path / "theme.css").write_text("h1 { color: red; }")

    def deck(title: str, markdown: str) -> bytes:
        options = json.dumps({"source": markdown, "ratio": "16:9"})
        return f"<title>{title}</title><script>remark.create({options});</script>".encode()

    shell = page_shell(deck("Intro", "# One\n---\n\"quoted\" \\ $x$"), tmp_path, 3)
    same = page_shell(deck("Intro", "# One, edited\n---\n# Two"), tmp_path, 3)
    retitled = page_shell(deck("Outro", "# One"), tmp_path, 3)
    later_assets = page_shell(deck("Intro", "# One"), tmp_path, 4)
    (tmp_path / "theme.css").write_text("h1 { color: blue; }")
    rethemed = page_shell(deck("Intro", "# One"), tmp_path, 3)
    assert shell == same
    assert len({shell, retitled, later_assets, rethemed}) == 4


def test_events_announce_each_build_and_its_error(http_server):
    status = http_server.status
    run = status.version.split("-")[0]
    connection = http.client.HTTPConnection(*http_server.server_address, timeout=10)
    connection.request("GET", "/_remarkdeck/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = next_event(response)
    status.publish("slides/deck.md:3: boom")
    failed = next_event(response)
    status.publish(None)
    fixed = next_event(response)
    connection.close()
    assert [first, failed, fixed] == [{"version": f"{run}-0", "error": None},
                                      {"version": f"{run}-1", "error": "slides/deck.md:3: boom"},
                                      {"version": f"{run}-2", "error": None}]


def next_event(response) -> dict:
    """The data of the next ``build`` event in a server-sent event stream."""
    event = None
    while True:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif line.startswith("data: ") and event == "build":
            return json.loads(line[len("data: "):])


def test_cli_serves_loopback_port_8000_by_default(sample_project, monkeypatch):
    calls = []
    monkeypatch.setattr(remarkdeck.serve, "serve", lambda project, names, **options: calls.append((names, options)))
    root = sample_project("basic")
    assert main(["--root", str(root), "serve"]) == 0
    assert main(["--root", str(root), "serve", "basic", "--port", "9000", "--host", "0.0.0.0"]) == 0
    assert [(names, options["host"], options["port"]) for names, options in calls] == [
        (None, "127.0.0.1", 8000), (["basic"], "0.0.0.0", 9000)]


def test_port_in_use_is_reported(cli, sample_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(sample_project("basic"), "serve", "--port", str(port), timeout=60)
    assert (result.code, result.stderr) == (1, (
        f"cannot serve on 127.0.0.1 port {port} (Address already in use): "
        "another program listens there: stop it or pick another port with --port\n"))


def test_unknown_deck_is_reported(cli, sample_project):
    result = cli(sample_project("basic"), "serve", "nope", "--port", "0", timeout=60)
    assert (result.code, result.stderr) == (
        1, "slides: no deck named 'nope': expected slides/nope.md (decks here: basic)\n")


def test_text_edit_rebuilds_without_running_snippets(sample_project, monkeypatch):
    root = sample_project("basic")
    shutil.rmtree(root / "build", ignore_errors=True)  # no snippet results yet
    monkeypatch.chdir(root)
    project, status = Project(root), BuildStatus()
    first = rebuild(project, ["basic"], status, say=lambda _: None)
    edit(root / "slides" / "basic.md", "## Code and its output", "## Code, and what it prints")
    text_edit = rebuild(project, ["basic"], status, say=lambda _: None)
    edit(root / "snippets" / "basic" / "hello.py", 'print("hello", x)', 'print("hi", x)')
    snippet_edit = rebuild(project, ["basic"], status, say=lambda _: None)
    assert (first.ran, text_edit.ran, snippet_edit.ran) == (["basic/hello", "basic/plot"], [], ["basic/hello"])
    assert "Code, and what it prints" in (root / "build" / "basic" / "index.html").read_text()


def test_failed_rebuild_keeps_the_last_build_and_tells_the_pages(sample_project, monkeypatch):
    root = sample_project("basic")
    monkeypatch.chdir(root)
    project, status, said = Project(root), BuildStatus(), []
    rebuild(project, ["basic"], status, say=said.append)
    built = (root / "build" / "basic" / "index.html").read_bytes()
    deck = root / "slides" / "basic.md"
    good = deck.read_text()
    edit(deck, "{{ output(\"hello\") }}", "{{ nope }}")
    assert rebuild(project, ["basic"], status, say=said.append) is None
    failed = status.wait(None, 0)
    deck.write_text(good)
    assert rebuild(project, ["basic"], status, say=said.append) is not None
    fixed = status.wait(failed["version"], 0)
    assert failed["error"] == UNDEFINED
    assert fixed == {"version": status.version, "error": None} and fixed["version"] != failed["version"]
    assert (root / "build" / "basic" / "index.html").read_bytes() == built
    assert said[-3:-1] == [UNDEFINED, "build failed: open pages show the error until a build succeeds"]


def test_every_source_folder_is_watched(sample_project):
    root = sample_project("basic")
    (root / "build").mkdir(exist_ok=True)
    stop, batches = threading.Event(), queue.Queue()
    watcher = threading.Thread(target=lambda: [batches.put(batch) for batch in source_changes(Project(root), stop)])
    watcher.start()
    reported = set()
    try:
        for changed in ("slides/basic.md", "snippets/basic/hello.py", "img/square.svg", "templates",
                        "templates/theme.css"):
            (root / "build" / "ignored.html").write_text(changed)  # build/ is not a source
            (root / "README.md").write_text(changed)  # nor is the project folder itself
            reported |= reported_until(root / changed, batches)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert sorted(str(path.relative_to(root)) for path in reported) == [
        "img/square.svg", "slides/basic.md", "snippets/basic/hello.py", "templates", "templates/theme.css"]
    assert not watcher.is_alive()


def reported_until(path: Path, batches: queue.Queue) -> set[Path]:
    """Every path the watcher reports while ``path`` is touched (or created) again and again until
    it is reported: a watch starts, or moves to a folder just created, a moment after it is asked to."""
    reported = set()
    for _ in range(40):
        if path.suffix:
            path.write_text(path.read_text() + "\n" if path.exists() else "")
        else:
            path.mkdir(exist_ok=True)
        with contextlib.suppress(queue.Empty):
            reported |= set(batches.get(timeout=0.5))
        if path in reported:
            return reported
    raise AssertionError(f"no change reported for {path}")


def test_serve_rebuilds_on_save_and_stops_when_asked(sample_project, monkeypatch):
    root = sample_project("basic")
    monkeypatch.chdir(root)
    stop, said = threading.Event(), queue.Queue()
    server = threading.Thread(target=serve, args=(Project(root), ["basic"]),
                              kwargs={"port": 0, "say": said.put, "stop": stop})
    server.start()
    try:
        url = wait_for(said, "serving ")
        base = ("127.0.0.1", int(re.search(r":(\d+)/", url).group(1)))
        wait_for(said, "built ")
        pages = [get(base, path) for path in ("/basic/", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd")]
        edit(root / "slides" / "basic.md", "Pictures and links", "Pictures, and links")
        assert wait_for(said, "changed: ") == "changed: slides/basic.md"
        assert wait_for(said, "built ").endswith("ran 0 snippet(s)")
        edited = get(base, "/basic/")
    finally:
        stop.set()
        server.join(timeout=10)
    assert url == f"serving build/ at http://127.0.0.1:{base[1]}/basic/ (Ctrl-C stops)"
    assert [page.status for page in pages] == [200, 404, 404]
    assert b"Pictures, and links" in edited.body and b"Pictures, and links" not in pages[0].body
    assert not server.is_alive()
    with pytest.raises(ConnectionRefusedError):
        get(base, "/basic/")


def test_a_page_opened_once_serve_says_built_shows_that_build(sample_project, monkeypatch):
    """Whoever opens the page as soon as "built" is printed gets the version the build events announce,
    so the page does not take its own build for a newer one and reload while it loads."""
    root = sample_project("basic")
    monkeypatch.chdir(root)
    stop, said, opened = threading.Event(), queue.Queue(), []

    def say(message: str) -> None:
        if message.startswith("serving "):
            opened.append(("127.0.0.1", int(re.search(r":(\d+)/", message).group(1))))
        elif message.startswith("built "):  # opened while serve is still saying it, before it goes on
            opened.append(get(opened[0], "/basic/").body.decode())
        said.put(message)

    server = threading.Thread(target=serve, args=(Project(root), ["basic"]),
                              kwargs={"port": 0, "say": say, "stop": stop})
    server.start()
    try:
        wait_for(said, "built ")
        connection = http.client.HTTPConnection(*opened[0], timeout=10)
        connection.request("GET", "/_remarkdeck/events")
        announced = next_event(connection.getresponse())
        connection.close()
    finally:
        stop.set()
        server.join(timeout=10)
    assert re.search(r'data-build="([^"]*)"', opened[1]).group(1) == announced["version"]


def wait_for(said: queue.Queue, start: str, timeout: float = 60) -> str:
    """The next message that starts with ``start`` (earlier ones are dropped)."""
    while not (message := said.get(timeout=timeout)).startswith(start):
        pass
    return message


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))
