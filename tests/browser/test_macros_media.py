"""An imported deck (tests/projects/imported) in headless Chromium: Remark macros, built in
(``scale``) and the project's own (``templates/macros.js``), render in the deck, in its single file
and after ``remarkdeck serve`` swaps new slides in; its video and sound load."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import built_project, copy_project

from .conftest import BUILD_TIMEOUT, seed_snippet_cache, served

MACRO_SLIDE, MEDIA_SLIDE = 6, 7
# Each picture of the visible slide: its style, and its width over its container's content width.
PICTURES = """() => Array.from(document.querySelectorAll(".remark-visible .remark-slide-content img"), image => {
    const box = image.parentElement, style = getComputedStyle(box);
    const content = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {style: image.getAttribute("style"), className: image.className, loaded: image.naturalWidth > 0,
            share: Math.round(100 * image.getBoundingClientRect().width / content
                              / (box.getBoundingClientRect().width / box.offsetWidth))};
})"""
MEDIA = """async () => {
    const elements = Array.from(document.querySelectorAll(".remark-visible video, .remark-visible audio"));
    await Promise.all(elements.map(element => element.readyState >= 1 ? null : new Promise(done => {
        element.addEventListener("loadedmetadata", done);
        element.addEventListener("error", done);
        element.load();
    })));
    return elements.map(element => [element.tagName.toLowerCase(), element.readyState >= 1, element.error === null]);
}"""


@pytest.fixture(scope="module")
def imported_build(tmp_path_factory) -> Path:
    return built_project("imported", tmp_path_factory.mktemp("imported"), "--standalone", timeout=BUILD_TIMEOUT)


def assert_macros_rendered(tab) -> None:
    scaled, framed = tab.page.evaluate(PICTURES)
    assert scaled == {"style": "width: 50%", "className": "", "loaded": True, "share": 50}
    assert framed["className"] == "framed" and framed["loaded"]
    assert tab.problems == []


@pytest.mark.parametrize("page", ["imported/index.html", "imported.html"])
def test_builtin_and_project_macros_render(tab, imported_build, page):
    tab.open((imported_build / "build" / page).as_uri(), slide=MACRO_SLIDE)
    assert tab.ready == {"failed": []}
    assert_macros_rendered(tab)


@pytest.mark.parametrize("page", ["imported/index.html", "imported.html"])
def test_video_and_sound_load(tab, imported_build, page):
    tab.open((imported_build / "build" / page).as_uri(), slide=MEDIA_SLIDE)
    assert tab.page.evaluate(MEDIA) == [["video", True, True], ["audio", True, True]]
    assert tab.problems == []


def test_macros_keep_working_when_serve_swaps_slides(tab, imported_build, tmp_path):
    root = copy_project("imported", tmp_path)
    seed_snippet_cache(imported_build, root)
    with served(root, "imported") as server:
        tab.open(server.url, slide=MACRO_SLIDE)
        loaded = tab.loaded_at()
        deck = root / "slides" / "imported.md"
        deck.write_text(deck.read_text().replace("## Macros", "## Macros, edited"))
        tab.page.wait_for_function("""() => document.querySelector(".remark-visible .remark-slide-content")
            .textContent.includes("Macros, edited")""", polling="raf", timeout=10_000)
        assert tab.loaded_at() == loaded  # swapped in, not reloaded
        assert_macros_rendered(tab)
