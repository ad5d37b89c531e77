"""The lecture built as `make slides` builds it: what its slides show comes from running its code."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, CliResult, copy_lecture, run_remarkdeck

DECK = "intro-ml"


@pytest.fixture(scope="module")
def lecture_copy(tmp_path_factory):
    """The lecture project copied aside (the repo's snippet cache too, when a run filled it)."""
    root = copy_lecture(tmp_path_factory.mktemp("lecture") / "lecture")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def build(root: Path) -> CliResult:
    done = run_remarkdeck(root, "build", DECK, timeout=900)
    assert done.code == 0, done.stderr
    return done


def test_mlp_slides_show_what_keras_prints_and_follow_the_code(lecture_copy):
    build(lecture_copy)
    page = (lecture_copy / "build" / DECK / "index.html").read_text()
    # one per step of the MLP summary, and one on the excluded slide (in the source, not shown)
    assert page.count("Total params: 41 (164.00 B)") == 4

    snippet = lecture_copy / "snippets" / DECK / "mlp_summary.py"
    snippet.write_text(snippet.read_text().replace("tfkl.Dense(4))\nmodel.add(tfkl.Dense(4))",
                                                   "tfkl.Dense(5))\nmodel.add(tfkl.Dense(4))", 1))
    rebuilt = build(lecture_copy)
    assert rebuilt.stderr.count("running snippet") == 1
    assert f"running snippet {DECK}/mlp_summary" in rebuilt.stderr
    page = (lecture_copy / "build" / DECK / "index.html").read_text()
    # W (3, 5) + b (5) = 20, W (5, 4) + b (4) = 24, W (4, 1) + b (1) = 5
    assert "Total params: 49" in page and "Total params: 41" not in page


def test_figures_on_slides_come_from_snippets(lecture_copy):
    figures = lecture_copy / "build" / DECK / "figures"
    if not figures.is_dir():
        build(lecture_copy)
    drawn = sorted(path.name for path in figures.glob("*.png"))
    assert drawn == ["activations.png", "classif_data.png", "classif_linear.png", "classif_nonlinear.png",
                     "learning_rates.png", "overfitting.png", "training_loss.png"]
    assert all(path.stat().st_size > 10_000 for path in figures.glob("*.png"))
