"""Packaging hook: the wheel and the sdist carry the decks' run-time assets (Remark.js, KaTeX,
fonts), copied from the npm packages of package-lock.json, so an installed remarkdeck never needs
Node.js. Everything else about the package is in pyproject.toml."""

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent
SHIPPED = HERE / "src" / "remarkdeck" / "_assets"  # present in an unpacked sdist


def _asset_files():
    spec = importlib.util.spec_from_file_location("asset_files", HERE / "src" / "remarkdeck" / "assets" / "files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bundle_assets(target: Path) -> None:
    """Copy the assets from node_modules into ``target``; from an sdist they are there already."""
    assets = _asset_files()
    node_modules = HERE / "node_modules"
    if not assets.missing_packages(node_modules):
        shutil.rmtree(target, ignore_errors=True)
        size = assets.bundle(node_modules, target)
        print(f"remarkdeck: bundled Remark.js, KaTeX and fonts from node_modules ({size / 1e6:.1f} MB)")
    elif not assets.missing_packages(SHIPPED):
        if target.resolve() != SHIPPED.resolve():
            shutil.copytree(SHIPPED, target, dirs_exist_ok=True)
    else:
        missing = ", ".join(assets.missing_packages(node_modules))
        raise SetupError(
            f"cannot package remarkdeck without its deck assets (npm packages missing from {node_modules}: "
            f"{missing}): run `npm ci` in {HERE} first, then build again"
        )


class BuildPyWithAssets(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:  # an editable install reads node_modules in place
            bundle_assets(Path(self.build_lib) / "remarkdeck" / "_assets")


class SdistWithAssets(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        bundle_assets(Path(base_dir) / "src" / "remarkdeck" / "_assets")


setup(
    cmdclass={"build_py": BuildPyWithAssets, "sdist": SdistWithAssets},
    # build/ is where lecture projects, this one included, keep their built decks
    options={"build": {"build_base": "dist/setuptools-build"}},
)
