"""The packages an imported deck's snippets import, declared in the project: import names mapped to
distributions, the pyproject.toml list extended as text, the lock extended by pip's resolution
(against PyPI, with a tiny distribution), and --dry-run writing nothing."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from helpers import run_remarkdeck, tree_digest

from remarkdeck.importer.distributions import SAME_NAME, Distribution, ImportMapping, map_imports
from remarkdeck.importer.lock import with_pins
from remarkdeck.importer.packages import PackagePlan, deck_modules, install_packages
from remarkdeck.importer.pyproject import declared_names, with_requirements
from remarkdeck.project import Project

REPO = Path(__file__).resolve().parents[2]
DECKS = REPO / "tests" / "importer" / "decks"


@pytest.mark.parametrize("name, distribution", [
    ("sklearn", "scikit-learn"),  # pipreqs' table
    ("cv2", "opencv-python-headless"),  # remarkdeck's table: no GUI libraries
    ("PIL", "pillow"),
    ("yaml", "pyyaml"),
    ("skimage", "scikit-image"),
    ("tensorflow", "tensorflow"),
    ("keras", "tensorflow"),  # Keras 3 without a backend does not import
])
def test_import_names_map_to_their_distributions(name, distribution):
    assert map_imports([name], set()).distributions[name].name == distribution


def test_standard_library_and_local_modules_need_no_distribution_and_namespaces_are_not_guessed():
    mapping = map_imports(["os", "sys", "collections", "__future__", "helpers", "google", "remarkdeck_test_nothing"],
                          local={"helpers"})
    assert list(mapping.distributions) == ["remarkdeck_test_nothing"]
    # no table knows it: a distribution of its own name, which the import checks with pip before declaring it
    assert mapping.distributions["remarkdeck_test_nothing"].source == SAME_NAME
    assert mapping.unmapped == {"google": "'google' is a namespace many distributions share"}


def test_a_declared_alternative_provides_the_import():
    """This repository declares tensorflow-cpu: a deck importing tensorflow adds nothing."""
    distribution = map_imports(["tensorflow"], set()).distributions["tensorflow"]
    assert "tensorflow-cpu" in distribution.names()
    assert "tensorflow-cpu" in declared_names((REPO / "pyproject.toml").read_text())


PYPROJECT_EDITS = [
    ('[dependency-groups]\nlecture = ["numpy"]  # why\n', '[dependency-groups]\nlecture = ["numpy", "pandas"]  # why\n'),
    ('[dependency-groups]\nlecture = []\n', '[dependency-groups]\nlecture = ["pandas"]\n'),
    ('[dependency-groups]\nlecture = [\n  "numpy"  # why\n]\n',
     '[dependency-groups]\nlecture = [\n  "numpy",  # why\n  "pandas",\n]\n'),
    ('[dependency-groups]\nlecture = [\n    "pkg[extra]>=1",  # ] in a string\n]\n',
     '[dependency-groups]\nlecture = [\n    "pkg[extra]>=1",  # ] in a string\n    "pandas",\n]\n'),
    ('[project]\nname = "x"\n', '[project]\nname = "x"\n\n[project.optional-dependencies]\nlecture = [\n    "pandas",\n]\n'),
    ('[dependency-groups]\ndev = ["pytest"]\n\n[tool.x]\na = 1\n',
     '[dependency-groups]\ndev = ["pytest"]\nlecture = [\n    "pandas",\n]\n\n[tool.x]\na = 1\n'),
]


@pytest.mark.parametrize("before, after", PYPROJECT_EDITS)
def test_the_lecture_list_is_extended_as_text(before, after):
    assert with_requirements(before, ["pandas"])[0] == after


def test_this_repositorys_pyproject_keeps_its_comments_and_the_edit_is_idempotent():
    text = (REPO / "pyproject.toml").read_text()
    new, place = with_requirements(text, ["scikit-learn"])
    assert place.describe() == "pyproject.toml [project.optional-dependencies] lecture"
    assert new == text.replace('    "matplotlib>=3.8",\n]', '    "matplotlib>=3.8",\n    "scikit-learn",\n]')
    assert "scikit-learn" in declared_names(new)  # so a second import declares nothing more
    assert with_requirements(new, [])[0] == new


def test_pins_go_where_pip_freeze_puts_them():
    lock = "# header\n# two lines\nJinja2==3.1.6\nnumpy==2.4.6\ntornado==6.6.1\n"
    new = with_pins(lock, {"numpy": ("numpy", "2.4.6"), "tomli": ("tomli", "2.5.0"), "joblib": ("joblib", "1.6.0")})
    assert new == "# header\n# two lines\nJinja2==3.1.6\njoblib==1.6.0\nnumpy==2.4.6\ntomli==2.5.0\ntornado==6.6.1\n"


@pytest.fixture
def init_project(tmp_path) -> Path:
    done = run_remarkdeck(tmp_path, "init", "lectures", "--deck", "first")
    assert done.code == 0, done.stderr
    return tmp_path / "lectures"


def test_an_init_project_declares_in_its_lecture_group(init_project):
    """No lock yet: only the group. numpy is declared already; helpers is a snippet of the deck;
    google is a namespace, which the report names."""
    before = (init_project / "pyproject.toml").read_text()
    done = run_remarkdeck(init_project, "import", str(DECKS / "packages.md"))
    assert done.code == 0, done.stderr
    after = (init_project / "pyproject.toml").read_text()
    assert after == before.replace('    "matplotlib>=3.8",\n]', '    "matplotlib>=3.8",\n    "scikit-learn",\n'
                                   '    "opencv-python-headless",\n    "pillow",\n    "pyyaml",\n]')
    assert ("packages declared in pyproject.toml [dependency-groups] lecture: scikit-learn (sklearn), "
            "opencv-python-headless (cv2), pillow (PIL), pyyaml (yaml); the next `make test` installs them") in done.stdout
    assert (f"{DECKS / 'packages.md'}:25: warning: what_the_code_imports.py imports google, which cannot be mapped to "
            "a distribution ('google' is a namespace many distributions share): declare what provides it in "
            "pyproject.toml") in done.stderr
    assert "+    \"opencv-python-headless\",\n" in done.stdout  # the change, as a diff
    assert not (init_project / "requirements.lock").exists()


@pytest.fixture
def repository_copy(tmp_path) -> Path:
    """A project declaring packages as this repository does: its pyproject.toml and its lock."""
    root = tmp_path / "lectures"
    (root / "slides").mkdir(parents=True)
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copyfile(REPO / name, root / name)
    return root


def test_the_lock_gains_pins_resolved_by_pip_and_a_second_import_changes_nothing(repository_copy):
    root = repository_copy
    pyproject, lock = (root / "pyproject.toml").read_text(), (root / "requirements.lock").read_text()
    done = run_remarkdeck(root, "import", str(DECKS / "tiny-packages.md"))
    assert done.code == 0, done.stderr
    assert (root / "pyproject.toml").read_text() == pyproject.replace('    "matplotlib>=3.8",\n]',
                                                                      '    "matplotlib>=3.8",\n    "tomli",\n]')
    new_lock = (root / "requirements.lock").read_text()
    added = [line for line in new_lock.splitlines() if line not in lock.splitlines()]
    assert len(added) == 1 and re.fullmatch(r"tomli==\d+(\.\d+)+", added[0]), added
    assert new_lock == lock.replace("\ntornado==", f"\n{added[0]}\ntornado==")  # where pip freeze puts it
    assert f"requirements.lock: 1 pinned line(s) added ({added[0]})" in done.stdout
    # a name no table knows, which pip finds nowhere: named, not declared
    assert ("reading_toml_as_before.py imports remarkdeck_test_no_such_package, which cannot be mapped to a "
            "distribution (no table maps it, and pip cannot resolve 'remarkdeck-test-no-such-package' "
            "(No matching distribution found for remarkdeck-test-no-such-package))") in done.stderr
    again = run_remarkdeck(root, "import", str(DECKS / "tiny-packages.md"), "--name", "again")
    assert again.code == 0, again.stderr
    assert "packages the snippets import, all declared already: tomli" in again.stdout
    assert (root / "requirements.lock").read_text() == new_lock
    assert "--- a/pyproject.toml" not in again.stdout


def test_dry_run_prints_the_report_and_diffs_and_writes_nothing(repository_copy):
    before = tree_digest(repository_copy)
    done = run_remarkdeck(repository_copy, "import", str(DECKS / "tiny-packages.md"), "--dry-run")
    assert done.code == 0, done.stderr
    assert tree_digest(repository_copy) == before
    assert "--- a/pyproject.toml\n+++ b/pyproject.toml\n" in done.stdout and '+    "tomli",\n' in done.stdout
    assert re.search(r"^\+tomli==", done.stdout, re.M)
    assert "Would write (dry run): slides/tiny-packages.md" in done.stdout
    assert done.stdout.endswith("(dry run: nothing written)\n")


def test_the_decks_own_modules_are_no_distributions(tmp_path):
    """A snippet's file name, the file a snippet says it is, a module in the deck's folder."""
    (tmp_path / "deck" / "cython").mkdir(parents=True)
    (tmp_path / "deck" / "cython" / "fib.py").write_text("")
    snippets = {"helpers.py": "", "example.py": "# content of inc.py\ndef inc(x):\n    return x + 1\n"}
    modules = deck_modules(Project(tmp_path), "deck", tmp_path / "deck", snippets)
    assert {"helpers", "example", "inc", "fib"} <= modules


def test_declared_packages_are_installed_only_into_the_projects_own_environment(tmp_path):
    plan = PackagePlan(ImportMapping(), declared=[Distribution("scikit-learn", "pipreqs' table")],
                       pinned=["scikit-learn==1.9.1"], where="the `lecture` extra")
    problem = install_packages(Project(tmp_path), plan)
    assert problem.startswith(f"remarkdeck runs from {sys.prefix}, not the project's .venv: import with "
                              "`.venv/bin/remarkdeck import`")
    assert install_packages(Project(tmp_path), PackagePlan(ImportMapping())) == ""
