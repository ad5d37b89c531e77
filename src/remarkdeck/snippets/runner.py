"""The worker process that runs snippets for the build and for pytest.

One worker per deck prelude: it pays the prelude's imports (TensorFlow) once, then runs snippet
after snippet. A snippet that hangs past its timeout or kills its interpreter fails alone: the
worker is replaced and the next snippet runs in a fresh one.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .execute import DEFAULT_TIMEOUT, RunResult, worker_environment
from .files import Snippet, SnippetLibrary

WARM_TIMEOUT = 600.0


class SnippetRunner:
    """Runs snippets in a long-lived worker; use as a context manager."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._process: subprocess.Popen | None = None
        self._prelude: Path | None = None
        self._log = None
        self._results: Path | None = None
        self._scratch: tempfile.TemporaryDirectory | None = None  # the worker's TMPDIR, gone with it
        self.warm_seconds = 0.0

    def __enter__(self) -> "SnippetRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._scratch is not None:  # also what a worker that crashed or hung left behind
            self._scratch.cleanup()
            self._scratch = None

    def run(self, library: SnippetLibrary, snippet: Snippet, results: Path) -> RunResult:
        """Run ``snippet`` with its prelude and requirements; output and figures go to ``results``."""
        prelude = library.prelude()
        chain = [s.path for s in library.chain(snippet.name)]
        if prelude is not None and snippet.name == prelude.name:
            chain = []
        prelude_path = prelude.path if prelude is not None else None
        warm_error = self._ensure_worker(prelude_path)
        if warm_error:
            return RunResult(name=snippet.name, ok=False, error=f"the prelude failed:\n{warm_error}")
        request = {"op": "run", "name": snippet.name, "prelude": str(prelude_path or ""),
                   "chain": [str(p) for p in chain], "results": str(results)}
        timeout = snippet.timeout or self.timeout
        started = time.perf_counter()
        self._results = results
        reply = self._ask(request, timeout)
        if isinstance(reply, str):
            return RunResult(name=snippet.name, ok=False, error=reply, seconds=time.perf_counter() - started)
        return RunResult(**reply)

    def _ensure_worker(self, prelude: Path | None) -> str:
        """Start (or restart) the worker for this prelude and pay its imports; '' if all went well."""
        if self._process is not None and self._process.poll() is None and self._prelude == prelude:
            return ""
        self.close()
        self._log = tempfile.TemporaryFile()
        self._scratch = tempfile.TemporaryDirectory(prefix="remarkdeck-worker-", ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "remarkdeck.snippets.execute"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            env=worker_environment() | {"TMPDIR": self._scratch.name}, text=True, bufsize=1,
        )
        self._prelude = prelude
        started = time.perf_counter()
        reply = self._ask({"op": "warm", "prelude": str(prelude or "")}, WARM_TIMEOUT)
        self.warm_seconds += time.perf_counter() - started
        if isinstance(reply, str):
            return reply
        return "" if reply["ok"] else reply["error"]

    def _ask(self, request: dict, timeout: float) -> dict | str:
        """Send a request; the reply, or a sentence saying why there is none."""
        process = self._process
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            return self._died()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            process.kill()
            process.wait()
            self._process = None
            return (f"timed out after {timeout:g} s (the prelude's imports not counted) and was stopped: "
                    "make it faster, or raise its limit with a '# timeout: SECONDS' header line")
        line = process.stdout.readline()
        if not line:
            return self._died()
        return json.loads(line)

    def _died(self) -> str:
        process = self._process
        code = process.wait()
        self._process = None
        how = f"was killed by signal {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
        return f"the interpreter running it {how}{self._log_tail()}"

    def _log_tail(self, lines: int = 15) -> str:
        """The end of what the dying interpreter wrote to its error output."""
        captured = self._results / "stderr.txt" if self._results else None
        if captured is not None and captured.is_file() and captured.stat().st_size:
            text = captured.read_bytes()[-20000:]
        elif self._log is not None:
            self._log.seek(0)
            text = self._log.read()[-20000:]
        else:
            return ""
        tail = text.decode("utf-8", "replace").strip().split("\n")[-lines:]
        return ("; its last error output:\n" + "\n".join(tail)) if any(tail) else ""
