"""A deck's solutions notebook run top to bottom in a fresh kernel, as a student runs it, and checked
against the slides: no cell fails, and each output a slide shows is what its snippet's cells print.

The kernel is this interpreter's (``python3``, resolved to ``sys.executable``), in the environment
snippets run in (headless plotting, 80 columns), with the notebook's folder as working directory.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..errors import DeckError
from ..snippets.execute import worker_environment

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class NotebookProblem(Exception):
    """A cell that failed, or printed something else than its slide shows."""

    cell: int  # 1-based position in the notebook
    snippet: str
    slide: str  # path:line of the slide the cell belongs with
    message: str

    def __str__(self) -> str:
        if not self.cell:  # about a snippet, not a cell
            return f"snippet {self.snippet}: {self.message}"
        return f"cell {self.cell} (snippet {self.snippet}, slide {self.slide}): {self.message}"


def run_notebook(path: Path, timeout: float) -> nbformat.NotebookNode:
    """Execute the notebook at ``path`` in its folder; returns it with its outputs. A failing cell
    raises NotebookProblem naming it, its snippet and its slide, with the kernel's traceback."""
    try:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    except ImportError:
        raise DeckError("running a deck's notebook needs nbclient and ipykernel: install them "
                        "(pip install nbclient ipykernel) in the environment pytest runs in") from None

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="remarkdeck-kernel-") as specs:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                km=_kernel_manager(Path(specs)), resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env=worker_environment())
        except CellExecutionError:
            raise _failure(notebook, _failed_cell(notebook)) from None
        except (CellTimeoutError, DeadKernelError) as error:
            index = _running_cell(notebook)
            raise _problem(notebook, index, _why_stopped(error, timeout)) from None
    return notebook


def cell_output(notebook: nbformat.NotebookNode, snippet: str, echoes: bool = False) -> str:
    """What the cells of a snippet printed, as the snippet's run prints it into a file: its standard
    output, and the plain text of what it displayed instead (Keras' summary is rich text in a
    notebook), without terminal colours. A cell's value (``execute_result``) is not printed, but
    for the last cell of a snippet with ``# echo: last``, whose run prints it too."""
    cells = [cell for cell in notebook.cells if _snippet(cell) == snippet]
    printed = "".join(_printed(output) for cell in cells for output in cell.get("outputs", ()))
    if echoes and cells:
        printed += "".join(output.get("data", {}).get("text/plain", "") + "\n" for output in cells[-1].get("outputs", ())
                           if output.get("output_type") == "execute_result")
    return printed


def _printed(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "") if output.get("name") == "stdout" else ""
    if output.get("output_type") == "display_data" and not any(k.startswith("image/") for k in output.get("data", {})):
        return ANSI.sub("", output.get("data", {}).get("text/plain", ""))
    return ""


def check_outputs(notebook: nbformat.NotebookNode, shown: dict[str, str], echoed: set[str] = frozenset()) -> None:
    """Each output a slide shows (by snippet) against what the notebook printed, normalised as the
    slides are (trailing line ends dropped); the first difference raises NotebookProblem.
    ``echoed``: the snippets that print their last expression's value (``# echo: last``)."""
    for snippet, expected in shown.items():
        printed = cell_output(notebook, snippet, snippet in echoed).rstrip("\n")
        if printed != expected.rstrip("\n"):
            index = next((i for i, cell in enumerate(notebook.cells) if _snippet(cell) == snippet), None)
            if index is None:
                raise NotebookProblem(0, snippet, "", "a slide shows its output, but the notebook has no cell of it")
            raise _problem(notebook, index, (
                "the notebook printed something else than the slide shows (the snippet depends on state "
                "the test harness resets: seeds, Keras names, the working folder?):\n"
                + _diff(expected.rstrip("\n"), printed)))


def _kernel_manager(specs: Path):
    """A kernel manager whose ``python3`` is this interpreter, whatever kernels the machine has."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = get_kernel_dict()  # argv: sys.executable -m ipykernel_launcher
    (specs / "python3").mkdir()
    (specs / "python3" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    spec_manager = KernelSpecManager(kernel_dirs=[str(specs)], ensure_native_kernel=False)
    return KernelManager(kernel_name="python3", kernel_spec_manager=spec_manager)


def _failed_cell(notebook: nbformat.NotebookNode) -> int:
    for index, cell in enumerate(notebook.cells):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", ())):
            return index
    return _running_cell(notebook)


def _running_cell(notebook: nbformat.NotebookNode) -> int:
    """The first code cell without an execution count: the one the kernel was running."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            return index
    return len(notebook.cells) - 1


def _failure(notebook: nbformat.NotebookNode, index: int) -> NotebookProblem:
    error = next(output for output in notebook.cells[index].outputs if output.get("output_type") == "error")
    traceback = ANSI.sub("", "\n".join(error.get("traceback", ())))
    return _problem(notebook, index, f"raised {error.ename}: {error.evalue}\n\n{traceback}")


def _problem(notebook: nbformat.NotebookNode, index: int, message: str) -> NotebookProblem:
    about = notebook.cells[index].metadata.get("remarkdeck", {})
    return NotebookProblem(index + 1, about.get("snippet", "?"), about.get("slide", "?"), message)


def _why_stopped(error: Exception, timeout: float) -> str:
    if "Timeout" in type(error).__name__:
        return f"did not finish within {timeout:g} s: make it faster, or raise the limit (--snippet-timeout)"
    return f"killed the kernel: {error}"


def _snippet(cell) -> str:
    return cell.get("metadata", {}).get("remarkdeck", {}).get("snippet", "")


def _diff(expected: str, printed: str) -> str:
    import difflib

    lines = difflib.unified_diff(expected.splitlines(), printed.splitlines(), "slide", "notebook", lineterm="", n=1)
    return "\n".join(list(lines)[:20])
