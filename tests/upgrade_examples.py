"""Runs the examples of the upgrade rules, every one in this one process (TensorFlow is imported once),
and prints, as JSON, what each ``before`` fails with (its exception and warnings) and whether each
``after`` runs. A rule whose library is not installed is skipped. Used by tests/test_upgrade.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import traceback
import warnings

from remarkdeck.upgrade.rules import load_rules

MODULES = {"Keras": "keras", "NumPy": "numpy", "pandas": "pandas", "scikit-learn": "sklearn", "imbalanced-learn": "imblearn",
           "Matplotlib": "matplotlib"}


def failure(code: str, name: str) -> str:
    """What running ``code`` raises and warns, as text ('' when it runs quietly)."""
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        previous = os.getcwd()
        os.chdir(folder)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"<{name}>", "exec"), {"__name__": "__main__"})
            raised = ""
        except Exception:
            raised = traceback.format_exc(limit=0)
        finally:
            os.chdir(previous)
    return raised + "".join(f"warning: {warning.message}\n" for warning in caught)


def main() -> None:
    results = {}
    for rule in load_rules():
        module = MODULES.get(rule.library)
        if not rule.run_example:
            results[rule.id] = {"skipped": "its example is not run (run_example = false)"}
            continue
        try:
            __import__(module) if module else None
        except ImportError:
            results[rule.id] = {"skipped": f"{rule.library} is not installed"}
            continue
        results[rule.id] = {"before": failure(rule.before, f"{rule.id} before"),
                            "after": failure(rule.after, f"{rule.id} after")}
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
