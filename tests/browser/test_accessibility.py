"""Every deck as a screen-reader user, a keyboard user or a reader with low vision meets it: axe-core
(the npm dev dependency) finds no violation on any slide of the lecture, of `remarkdeck init`'s demo
deck and of each sample deck that builds; the page's landmarks, slide labels, notes and
announcements are there.

axe runs every rule it has, experimental and deprecated ones too, but those of WCAG's AAA level:
the theme's target is AA (4.5:1 contrast for text, not AAA's 7:1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import PROJECTS, built_project, run_remarkdeck
from playwright.sync_api import expect

from .axe import axe_violations, by_rule
from .conftest import BUILD_TIMEOUT

# Sample projects that build (bad-* ones fail, warn-* ones are about what the build warns of)
SAMPLES = sorted(path.name for path in PROJECTS.iterdir()
                 if path.is_dir() and not path.name.startswith(("bad-", "warn-")))
BUILT_BY_CONFTEST = {"basic": "sample_build", "math": "math_build"}


@dataclass(frozen=True)
class CheckedDeck:
    project: str  # "lecture", "init", or a sample project's name
    deck: str

    @property
    def id(self) -> str:
        return self.project if self.project in ("lecture", "init") else f"{self.project}/{self.deck}"


CHECKED = [CheckedDeck("lecture", "intro-ml"), CheckedDeck("init", "demo")] + [
    CheckedDeck(project, deck.stem) for project in SAMPLES
    for deck in sorted((PROJECTS / project / "slides").glob("*.md"))]


@pytest.fixture(scope="module")
def projects(request, tmp_path_factory):
    """Each project built once for this module, when a test first asks for it."""
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            if name == "lecture":
                built[name] = request.getfixturevalue("lecture_build")
            elif name in BUILT_BY_CONFTEST:
                built[name] = request.getfixturevalue(BUILT_BY_CONFTEST[name])
            elif name == "init":
                built[name] = built_init_demo(tmp_path_factory.mktemp("init"))
            else:
                built[name] = built_project(name, tmp_path_factory.mktemp(name), timeout=BUILD_TIMEOUT)
        return built[name]

    return build


def built_init_demo(folder: Path) -> Path:
    done = run_remarkdeck(folder, "init", "course", "--deck", "demo")
    assert done.code == 0, done.stderr
    root = folder / "course"
    done = run_remarkdeck(root, "build", timeout=BUILD_TIMEOUT)
    assert done.code == 0, done.stderr
    return root


@pytest.mark.parametrize("checked", CHECKED, ids=[checked.id for checked in CHECKED])
def test_axe_finds_no_violation_on_any_slide(tab, projects, checked):
    root = projects(checked.project)
    tab.open((root / "build" / checked.deck / "index.html").as_uri())
    violations = axe_violations(tab.page)
    counts = ", ".join(f"{rule} {count}" for rule, count in by_rule(violations).most_common())
    assert violations == [], f"{len(violations)} violations ({counts}):\n" + "\n".join(map(str, violations))


def test_slides_are_labelled_regions_of_the_main_landmark_with_notes_as_description(deck_tab, built_deck):
    page, deck = deck_tab.page, built_deck.deck
    expect(page.get_by_role("main")).to_have_count(1)
    labels = deck_tab.per_slide("slide => slide.getAttribute('aria-label')")
    numbers = deck_tab.per_slide("slide => slide.querySelector('.remark-slide-number').textContent")
    assert [label.split(":")[0] for label in labels] == [
        "Slide {} of {}".format(*number.split("/")) for number in numbers]
    assert deck_tab.per_slide("slide => [slide.getAttribute('role'), slide.getAttribute('aria-roledescription')]") \
        == [["region", "slide"]] * deck.slides
    if deck.name == "basic":
        assert labels == ["Slide 1 of 3: A sample deck", "Slide 2 of 3: Code and its output",
                          "Slide 2 of 3: Code and its output", "Slide 3 of 3: A figure from a snippet",
                          "Slide 3 of 3: Pictures and links"]
        deck_tab.go(5)
        expect(page.get_by_role("region", name=labels[4])).to_have_accessible_description(
            "These are the presenter notes.")


def test_the_slide_shown_is_announced_as_it_changes(deck_tab, built_deck):
    announcer = deck_tab.page.get_by_role("status")
    labels = deck_tab.per_slide("slide => slide.getAttribute('aria-label')")
    deck_tab.press("ArrowRight")
    expect(announcer).to_have_text(labels[1])
    deck_tab.press("End")
    expect(announcer).to_have_text(labels[-1])
    assert announcer.get_attribute("aria-live") == "polite"


def test_a_background_picture_is_described(tab, lecture_build):
    """The lecture's title slide: its `background-alt:` property names a picture a screen reader finds."""
    tab.open((lecture_build / "build" / "intro-ml" / "index.html").as_uri())
    expect(tab.visible.get_by_role("img", name="Placeholder for a picture of a brain")).to_have_count(1)
