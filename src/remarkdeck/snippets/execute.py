"""Execution stage: snippets run in a fresh namespace, their printed output and figures captured.

``run_chain`` is the one way a snippet runs: in the long-lived worker process that the build and
the pytest plugin drive (so a crash or a hang costs only that snippet), and in-process for tests
that need the resulting namespace.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import io
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import header_lines
from .interactive import SessionMismatch, run_session, run_showing_last

SEED = 0
MAX_OUTPUT_BYTES = 1 << 20  # what a slide can show is far less; the rest is cut
MAX_FILE_BYTES = 512 << 20  # a runaway print fails its snippet instead of filling the disk
DEFAULT_TIMEOUT = 120.0
FIGURE_DPI = 150


@dataclass
class RunResult:
    """What one run of a snippet left behind."""

    name: str
    ok: bool
    stdout: str = ""
    stderr: str = ""
    figures: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    truncated: bool = False
    changed_from: str | None = None  # what the same code printed last time, when that differs

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "RunResult":
        return cls(**json.loads(text))


def worker_environment() -> dict[str, str]:
    """The environment snippets run in: headless plotting, quiet TensorFlow, fixed hashing."""
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    # COLUMNS fixes the width of tables that libraries size to the terminal (Keras' model.summary())
    env.update(MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0", COLUMNS="80",
               NO_COLOR="1", CUDA_VISIBLE_DEVICES="", PYTHONDONTWRITEBYTECODE="1")
    return env


def reset_state(seed: int = SEED) -> None:
    """Make a run independent of the runs before it: Keras names and graphs, random seeds, figures."""
    import random

    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        keras.backend.clear_session()
        keras.utils.set_random_seed(seed)
    if "tensorflow" in sys.modules:
        tf = sys.modules["tensorflow"]
        # TensorFlow's CPU kernels give the same result run after run; GPU kernels may not. Op
        # determinism slows CPU training by some 10%, so it is asked for only when a GPU is visible.
        with contextlib.suppress(Exception):
            if any(device.device_type != "CPU" for device in tf.config.list_physical_devices()):
                tf.config.experimental.enable_op_determinism()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
        sys.modules["matplotlib"].rcdefaults()
    if "mlflow" in sys.modules:  # a tracking URI, an experiment or a run left by an earlier snippet
        mlflow = sys.modules["mlflow"]
        with contextlib.suppress(Exception):
            while mlflow.active_run():
                mlflow.end_run()
            mlflow.set_tracking_uri(None)
            mlflow.tracking.fluent._active_experiment_id = None


def execute_file(path: Path, namespace: dict) -> None:
    """Run a file in a namespace, compiled under its real path so tracebacks show its real lines:
    a session (``.pycon``) statement by statement, a snippet with ``# echo: last`` showing its last
    expression's value."""
    path = Path(path)
    source = path.read_text(encoding="utf-8-sig")
    namespace["__file__"] = str(path)
    header = header_lines(source.split("\n"))
    if path.suffix == ".pycon":
        run_session(path, source.replace("\r\n", "\n").split("\n"), len(header) + 1, namespace)
    elif ("echo", "last") in header:
        run_showing_last(source, str(path), namespace)
    else:
        exec(compile(source, str(path), "exec", dont_inherit=True), namespace)


def run_chain(prelude: Path | None, chain: list[Path], before_last=None) -> dict:
    """Prelude, then each file of the chain, in one fresh namespace; returns the namespace.
    ``before_last()`` is called just before the last file runs (the snippet itself)."""
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    reset_state()
    files = ([prelude] if prelude else []) + list(chain)
    for index, path in enumerate(files):
        if before_last is not None and index == len(files) - 1:
            before_last()
        execute_file(path, namespace)
    return namespace


def save_figures(folder: Path, name: str) -> list[str]:
    """Save every open matplotlib figure as ``name.png``, ``name-2.png`` ... and close them."""
    if "matplotlib.pyplot" not in sys.modules:
        return []
    plt = sys.modules["matplotlib.pyplot"]
    saved = []
    for index, number in enumerate(plt.get_fignums(), start=1):
        target = folder / (f"{name}.png" if index == 1 else f"{name}-{index}.png")
        plt.figure(number).savefig(target, dpi=FIGURE_DPI, metadata={"Software": None})
        saved.append(str(target))
    plt.close("all")
    return saved


def snippet_traceback(error: BaseException) -> str:
    """The traceback from the snippet's own frames on: remarkdeck's frames are left out."""
    package = str(Path(__file__).parents[1])
    exception = traceback.TracebackException.from_exception(error)
    exception.stack = traceback.StackSummary.from_list(
        [frame for frame in exception.stack if not frame.filename.startswith(package)]
    )
    return "".join(exception.format())


@contextlib.contextmanager
def captured_fds(folder: Path):
    """Point file descriptors 1 and 2 at files for the duration (output of C code included)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    paths = folder / "stdout.txt", folder / "stderr.txt"
    with open(paths[0], "wb") as out, open(paths[1], "wb") as err:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            yield paths
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def read_bounded(path: Path, limit: int = MAX_OUTPUT_BYTES, start: int = 0) -> tuple[str, bool]:
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(limit + 1)
    return data[:limit].decode("utf-8", "replace"), len(data) > limit


def run_captured(name: str, prelude: Path | None, chain: list[Path], results: Path) -> RunResult:
    """Run a snippet chain with its output captured to ``results``; never raises for the snippet's faults."""
    results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"snippet-{name}-", ignore_cleanup_errors=True) as workdir:
        return _run_in(workdir, name, prelude, chain, results)


def _run_in(workdir: str, name: str, prelude: Path | None, chain: list[Path], results: Path) -> RunResult:
    started = time.perf_counter()
    error = ""
    previous = os.getcwd()
    own_output = [0]  # where the snippet's own output starts, after what its requirements printed

    def mark() -> None:
        sys.stdout.flush()
        own_output[0] = os.lseek(1, 0, os.SEEK_CUR)

    with captured_fds(results) as (out_path, err_path):
        try:
            os.chdir(workdir)
            run_chain(prelude, chain, before_last=mark)
        except SessionMismatch as exc:
            os.chdir(previous)  # its locations are shown relative to where remarkdeck runs
            error = str(exc)
        except BaseException as exc:  # the snippet's fault, reported as its result
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = snippet_traceback(exc)
        finally:
            os.chdir(previous)
    figures = save_figures(results, name) if not error else []
    stdout, truncated = read_bounded(out_path, start=own_output[0])
    stderr, _ = read_bounded(err_path)
    return RunResult(name=name, ok=not error, stdout=stdout, stderr=stderr, figures=figures,
                     error=error, seconds=time.perf_counter() - started, truncated=truncated)


def worker_main() -> None:
    """The worker process: requests on stdin, results on the descriptor that was stdout."""
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints between runs must not corrupt the replies
    faulthandler.enable()  # a crash still prints the snippet's line (into its captured stderr)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # oversized writes raise in the snippet instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    baseline = Baseline.take()
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "warm":
            reply = _warm_reply(request)
            baseline = Baseline.take()
        else:
            baseline.restore()
            reply = _run_reply(request)
        replies.write(reply + "\n")


# numpy.get_printoptions() in a fresh interpreter (NumPy 1.26 and 2.x)
NUMPY_PRINT_DEFAULTS = {"edgeitems": 3, "threshold": 1000, "floatmode": "maxprec", "precision": 8, "suppress": False,
                        "linewidth": 75, "nanstr": "nan", "infstr": "inf", "sign": "-", "formatter": None,
                        "legacy": False}


@dataclass
class Baseline:
    """Process-wide settings as the prelude left them, put back before each run: what a snippet
    sets there (an environment variable, a warnings filter, ``sys.path``, NumPy's print options,
    pandas' display options) must not change what the snippets after it print, or whether they
    pass, in this worker and not in another."""

    environ: dict[str, str]
    warning_filters: list
    path: list[str]
    numpy_print: dict
    pandas_options: dict | None

    @classmethod
    def take(cls) -> "Baseline":
        """The settings now; NumPy's and pandas' defaults when the prelude did not import them."""
        numpy, pandas = sys.modules.get("numpy"), sys.modules.get("pandas")
        numpy_print = numpy.get_printoptions() if numpy else NUMPY_PRINT_DEFAULTS
        return cls(dict(os.environ), list(warnings.filters), list(sys.path),
                   {key: value for key, value in numpy_print.items() if key != "override_repr"},
                   _pandas_options(pandas) if pandas else None)

    def restore(self) -> None:
        for key in [key for key in os.environ if key not in self.environ]:
            del os.environ[key]
        os.environ.update(self.environ)
        warnings.filters[:] = self.warning_filters
        getattr(warnings, "_filters_mutated", lambda: None)()  # what warnings.simplefilter() calls
        sys.path[:] = self.path
        if "numpy" in sys.modules:
            with contextlib.suppress(Exception):
                sys.modules["numpy"].set_printoptions(**self.numpy_print)
        pandas = sys.modules.get("pandas")
        if pandas is not None:
            if self.pandas_options is None:  # first imported by a snippet: its defaults, read once
                self.pandas_options = _pandas_options(pandas, defaults=True)
            saved = self.pandas_options
            changed = {key: saved[key] for key, value in _pandas_options(pandas).items()
                       if key in saved and value != saved[key]}
            with contextlib.suppress(Exception), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for key, value in changed.items():
                    pandas.set_option(key, value)


def _pandas_options(pandas, defaults: bool = False) -> dict:
    """Every option pandas registers, with its value (or its default); pandas has no public list."""
    with contextlib.suppress(Exception), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        registered = pandas._config.config._registered_options
        return {key: option.defval if defaults else pandas.get_option(key) for key, option in registered.items()}
    return {}


def _warm_reply(request: dict) -> str:
    """The worker made ready before its first snippet: the reply says how long it took, or why it failed."""
    started = time.perf_counter()
    try:
        _warm(request.get("prelude"))
        return json.dumps({"ok": True, "seconds": time.perf_counter() - started})
    except BaseException as exc:
        return json.dumps({"ok": False, "error": snippet_traceback(exc)})


def _warm(prelude: str | None) -> None:
    """Run the deck's prelude once, its prints dropped, so that what it imports is loaded before the
    first snippet runs."""
    if prelude:
        with contextlib.redirect_stdout(io.StringIO()):
            run_chain(Path(prelude), [])
    # What the prelude imported (TensorFlow: some 300,000 objects) lives as long as the
    # worker: freezing it keeps it out of every later collection, so that Keras'
    # clear_session() between snippets (a full gc.collect()) takes 2 ms, not 200 ms.
    gc.collect()
    gc.freeze()


def _run_reply(request: dict) -> str:
    result = run_captured(
        request["name"],
        Path(request["prelude"]) if request.get("prelude") else None,
        [Path(p) for p in request["chain"]],
        Path(request["results"]),
    )
    return result.to_json()


if __name__ == "__main__":
    worker_main()
