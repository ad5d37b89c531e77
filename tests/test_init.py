"""`remarkdeck init` and the packaged tool: a new lecture project that builds and tests, never
written over existing files, and the wheel that carries Remark.js, KaTeX and the fonts so that a
lecturer needs no Node.js."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, run_pytest, run_remarkdeck, tree_digest
from pypdf import PdfReader

from remarkdeck import __version__
from remarkdeck import init as init_module
from remarkdeck.assets.files import asset_files

SCAFFOLD_FILES = [
    ".github/workflows/slides.yml", ".gitignore", "Makefile", "README.md", "img/residuals.svg",
    "pyproject.toml", "slides/demo.md", "snippets/demo/fit.py", "snippets/demo/plot_fit.py",
    "snippets/demo/prelude.py", "snippets/demo/residuals.py", "templates/theme.css", "tests/test_demo.py",
]


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def user_environment(*path_first: Path) -> dict[str, str]:
    """A lecturer's shell: no test-session variables, no shared node_modules, ``path_first`` first on PATH."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST_", "REMARKDECK_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env["PATH"] = os.pathsep.join([*map(str, path_first), env["PATH"]])
    return env


# -- the scaffold ------------------------------------------------------------------------------------

def test_init_writes_a_project_whose_deck_builds_and_whose_tests_pass(tmp_path):
    root = tmp_path / "demo"
    done = run_remarkdeck(tmp_path, "init", "demo", "--title", "Fitting lines")
    assert done.code == 0, done.stderr
    assert files_under(root) == SCAFFOLD_FILES
    assert done.stderr.splitlines()[0] == "wrote 13 files into demo/, with the deck slides/demo.md"
    assert 'title = "Fitting lines"' in (root / "slides" / "demo.md").read_text()

    built = run_remarkdeck(root, "build")
    assert built.code == 0, built.stderr
    assert "built build/demo/index.html: 5 slides, last number 4" in built.stderr
    assert "typeset 3 formula(s)" in built.stderr  # KaTeX accepts every formula of the demo
    assert (root / "build" / "demo" / "figures" / "plot_fit.png").is_file()
    page = (root / "build" / "demo" / "index.html").read_text()
    assert "slope 2.17, intercept 0.32" in page  # the output() of fit.py, from running it

    tested = run_pytest(root, "-q")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    # four snippets, the two tests of what the deck teaches, and its solutions notebook
    assert "7 passed" in tested.stdout
    notebook = json.loads((root / "build" / "demo" / "demo.ipynb").read_text())
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("# your code here\nraise NotImplementedError" in source for source in code)  # the exercise
    assert not any("residuals = y -" in source for source in code)  # and not its solution


def test_deck_name_and_title_default_to_the_folder(tmp_path):
    done = run_remarkdeck(tmp_path, "init", "Physics 101")
    assert done.code == 0, done.stderr
    deck = (tmp_path / "Physics 101" / "slides" / "physics-101.md").read_text()
    assert 'title = "Physics 101"' in deck


def test_init_never_overwrites_and_then_writes_nothing(tmp_path):
    root = tmp_path / "course"
    (root / "slides").mkdir(parents=True)
    (root / "slides" / "demo.md").write_text("my own deck\n")
    (root / "Makefile").write_text("all:\n")
    before = tree_digest(root)
    done = run_remarkdeck(tmp_path, "init", "course", "--deck", "demo")
    assert done.code == 1
    message = "exists already: remarkdeck init never overwrites a file; choose a new folder, or move this file away"
    assert done.stderr.splitlines() == [f"course/Makefile: {message}", f"course/slides/demo.md: {message}"]
    assert tree_digest(root) == before


@pytest.mark.parametrize("deck", ["Intro", "../escape", "_x", "a b"])
def test_a_deck_name_that_cannot_be_a_file_name_is_refused(tmp_path, deck):
    done = run_remarkdeck(tmp_path, "init", "course", "--deck", deck)
    assert done.code == 1
    assert done.stderr == (f"'{deck}' cannot name a deck: use lowercase letters, digits, '-' and '_' "
                           "(for example --deck intro-ml)\n")
    assert not (tmp_path / "course").exists()


class FakeDistribution:
    def __init__(self, direct_url: dict | None):
        self.direct_url = direct_url

    def read_text(self, name):
        return json.dumps(self.direct_url) if self.direct_url and name == "direct_url.json" else None


@pytest.mark.parametrize("direct_url, requirement", [
    (None, f"remarkdeck=={__version__}"),
    ({"url": "file:///wheels/remarkdeck-0.1.0-py3-none-any.whl", "archive_info": {}},
     "remarkdeck @ file:///wheels/remarkdeck-0.1.0-py3-none-any.whl"),
    ({"url": "file:///src/remarkdeck", "dir_info": {"editable": True}}, "remarkdeck @ file:///src/remarkdeck"),
    ({"url": "https://example.org/remarkdeck.git", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c"}},
     "remarkdeck @ git+https://example.org/remarkdeck.git@0a1b2c"),
])
def test_the_new_project_requires_the_remarkdeck_that_made_it(monkeypatch, direct_url, requirement):
    """PEP 610: installed from an index there is no direct_url.json; from a file, a folder or a
    repository it says which."""
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: FakeDistribution(direct_url))
    assert init_module.remarkdeck_requirement() == requirement


# -- the package ----------------------------------------------------------------------------------------

def source_copy(target: Path, node_modules: bool = True) -> Path:
    """The files a package build reads, away from the repository (whose build/ is the lecture's)."""
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "_assets"))
    if node_modules:
        (target / "node_modules").symlink_to(REPO / "node_modules")
    return target


def build_package(source: Path, out: Path, *what: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build", *what, "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    """An sdist, and a wheel built from that sdist (as `python -m build` does)."""
    source = source_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    done = build_package(source, out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_wheel_and_sdist_carry_remark_katex_and_fonts(packages):
    needed = asset_files(REPO / "node_modules")
    wheel, = packages.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = archive.read("remarkdeck/_assets/remark-slide/out/remark.min.js")
    assert {f"remarkdeck/_assets/{file}" for file in needed} <= names
    assert shipped == (REPO / "node_modules" / "remark-slide" / "out" / "remark.min.js").read_bytes()
    assert any(name.startswith("remarkdeck/scaffold/") for name in names)
    sdist, = packages.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        listed = archive.getnames()
    assert f"remarkdeck-{__version__}/src/remarkdeck/_assets/katex/dist/katex.min.js" in listed


def test_building_the_package_without_npm_packages_says_to_run_npm_ci(tmp_path):
    (tmp_path / "source").mkdir()
    source = source_copy(tmp_path / "source", node_modules=False)
    done = build_package(source, tmp_path / "dist", "--wheel")
    assert done.returncode != 0
    assert "cannot package remarkdeck without its deck assets" in done.stdout + done.stderr
    assert f"run `npm ci` in {source}" in done.stdout + done.stderr


def test_installed_wheel_starts_a_course_that_builds_tests_and_prints_without_node(packages, tmp_path):
    """The lecturer's path: pip install the wheel, `remarkdeck init`, then make slides, make test,
    make pdf, with node and npm unusable."""
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for tool in ("node", "npm", "npx"):
        (stubs / tool).write_text(f"#!/bin/sh\necho '{tool} must not be needed' >&2\nexit 1\n")
        (stubs / tool).chmod(0o755)
    env = user_environment(stubs)
    wheel, = packages.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    run = lambda *command, cwd=tmp_path: subprocess.run(  # noqa: E731
        [*map(str, command)], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    installed = run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr[-3000:]
    assert run(venv / "bin" / "remarkdeck", "--version").stdout == f"remarkdeck {__version__}\n"

    started = run(venv / "bin" / "remarkdeck", "init", "course", "--deck", "demo")
    assert started.returncode == 0, started.stderr
    course = tmp_path / "course"
    assert f'"remarkdeck @ {wheel.as_uri()}"' in (course / "pyproject.toml").read_text()

    for target in ("slides", "test", "pdf"):
        done = run("make", target, cwd=course)
        assert done.returncode == 0, f"make {target}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "must not be needed" not in done.stderr
    assert not (course / "node_modules").exists()
    # the first `make` wrote the lock with uv, from pyproject.toml, for every platform
    lock = (course / "requirements.lock").read_text()
    assert f"remarkdeck @ {wheel.as_uri()}" in lock and re.search(r"^numpy==[\d.]+( ;.*)?$", lock, re.M)
    # `make test` passed: the index and the handout's last page say what with
    verified = re.compile(r"code verified with numpy [\d.]+, matplotlib [\d.]+ on \d{4}-\d\d-\d\d")
    assert verified.search((course / "build" / "index.html").read_text())
    assert verified.search(" ".join(PdfReader(course / "build" / "demo-handout.pdf").pages[-1].extract_text().split()))
    remark = course / "build" / "demo" / "vendor" / "remark.min.js"
    assert remark.read_bytes() == (REPO / "node_modules" / "remark-slide" / "out" / "remark.min.js").read_bytes()
    assert [len(PdfReader(course / "build" / name).pages) for name in ("demo.pdf", "demo-handout.pdf")] == [5, 4]
    assert (course / "build" / "demo" / "demo-solutions.ipynb").is_file()
