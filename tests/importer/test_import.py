"""remarkdeck import on the sample decks of tests/importer/decks/: the files it writes, its report,
its errors; the lexer port against Remark's own parser; the seed lecture's snippets under pytest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run_pytest, run_remarkdeck
from py_mini_racer import MiniRacer

from remarkdeck.importer import import_deck
from remarkdeck.importer.lexer import clean_input, parse
from remarkdeck.macros import MacroRunner, MacroUse
from remarkdeck.project import Project
from remarkdeck.snippets.failures import unmark_known_failure

REPO = Path(__file__).resolve().parents[2]
DECKS = REPO / "tests" / "importer" / "decks"
REMARK_SOURCE = REPO / "node_modules" / "remark-slide" / "src" / "remark"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    root = tmp_path / "lectures"
    (root / "slides").mkdir(parents=True)
    monkeypatch.setenv("REMARKDECK_NODE_MODULES", str(REPO / "node_modules"))
    monkeypatch.chdir(root)
    return Project(root)


def remark_parse(markdown: str) -> list[dict]:
    """Remark's own parser.js (with its lexer.js) run in V8 on ``markdown``."""
    context = MiniRacer()
    try:
        context.eval("var modules = {};")
        for name in ("lexer", "parser"):
            context.eval(f"modules['./{name}'] = (function () {{ var module = {{exports: {{}}}}; "
                         f"var exports = module.exports; var require = function (n) {{ return modules[n]; }};\n"
                         f"{(REMARK_SOURCE / f'{name}.js').read_text()}\nreturn module.exports; }})();")
        macros = "{scale: function () { return ''; }, shout: function () { return ''; }}"
        return json.loads(context.call(f"(function (src) {{ var Parser = modules['./parser']; "
                                       f"return JSON.stringify(new Parser().parse(src, {macros})); }})", markdown))
    finally:
        context.close()


@pytest.mark.parametrize("sample", ["code.md", "outputs.md", "text.md", "formulas.md", "seed.md"])
def test_lexer_splits_slides_and_reads_properties_as_remark_does(sample):
    markdown = clean_input((DECKS / sample).read_text(encoding="utf-8"))
    remark = remark_parse(markdown)
    ours = [slide for slide in parse(markdown) if not slide.excluded]
    assert [{k: v for k, v in s["properties"].items() if k != "continued"} for s in remark] == \
        [slide.properties for slide in ours]
    fences_in_remark = sum(len(re.findall(r"(?m)^ *(?:```|~~~)", json.dumps(s["content"]).replace("\\n", "\n"))) // 2
                           for s in remark)
    assert fences_in_remark == sum(len(slide.fences(markdown)) for slide in ours)


def test_code_blocks_become_snippets_shown_in_place(project):
    report = import_deck(project, DECKS / "code.md")
    folder = project.snippets_dir / "code"
    assert sorted(p.name for p in folder.iterdir()) == [
        "code_blocks.py", "in_classes.py", "in_classes_2.py", "in_lists.sh", "in_lists_2.py",
        "marked_lines_and.py", "marked_lines_and_2.txt", "other_languages.js", "other_languages_2.txt",
        "other_languages_3.yaml", "other_languages_4.pyx"]
    assert (folder / "in_classes.py").read_text() == "y = 2\nprint(y)\n"
    deck = (project.slides_dir / "code.md").read_text()
    assert '{{ snippet("in_classes", highlight=[1], lang="py") }}\n]' in deck
    assert '  {{ snippet("in_lists") | indent(2) }}' in deck
    assert (folder / "in_lists.sh").read_text() == "echo hi\n"
    # Remark shows a marker star followed by a space as two spaces: the code keeps its indentation
    assert (folder / "marked_lines_and.py").read_text().endswith("        return None\n    return items[0]\n")
    assert '{{ snippet("marked_lines_and", highlight=[4]) }}' in deck
    # a block right after an HTML line is set apart by a blank line, or CommonMark would read it as HTML
    assert '<img src="../img/code/pictures/square.png" width="40">\n\n{{ snippet("marked_lines_and_2") }}' in deck
    # Cython marked as Python (for its highlighting) is shown, not run as Python
    assert '{{ snippet("other_languages_4", lang="python") }}' in deck
    assert report.code_blocks == 11
    assert report.snippets == {".py": 5, ".sh": 1, ".js": 1, ".txt": 2, ".yaml": 1, ".pyx": 1}


def test_blocks_indented_by_four_spaces_become_snippets_too(project):
    """Older decks indent code as plain Markdown does; nested list items are no code."""
    report = import_deck(project, DECKS / "indented.md")
    folder = project.snippets_dir / "indented"
    assert sorted(p.name for p in folder.iterdir()) == ["a_block_then_a_session.txt", "a_block_then_a_session_2.pycon",
                                                         "a_fence_in_a_list_item.sh", "inside_a_list.txt"]
    assert (folder / "a_block_then_a_session.txt").read_text() == "# Slide 1\nThis is slide 1\n\n---\n\n# Slide 2\n"
    assert (folder / "inside_a_list.txt").read_text() == "def add(a, b):\n    return a + b\n"
    deck = (project.slides_dir / "indented.md").read_text()
    assert '   {{ snippet("inside_a_list") | indent(3) }}\n' in deck  # at the item's text, as its code was
    assert "    - not code, a nested item" in deck
    # a fence in a list item, which Remark's lexer takes for indented text and Markdown for a fence
    assert '    {{ snippet("a_fence_in_a_list_item", lang="shell") | indent(4) }}\n' in deck
    assert (folder / "a_fence_in_a_list_item.sh").read_text() == "$ pip install remarkdeck\n"
    assert report.code_blocks == 4


def test_pasted_outputs_and_sessions(project):
    report = import_deck(project, DECKS / "outputs.md")
    folder = project.snippets_dir / "outputs"
    assert (folder / "last_expression.py").read_text() == (
        "# echo: last\n# expects: last_expression_output\na = [1, 2]\na + [3]\n")
    assert (folder / "last_expression_output.txt").read_text() == "[1, 2, 3]\n"
    assert (folder / "sessions_2.pycon").read_text().startswith("# requires: last_expression\nIn [1]: b = a * 2")
    assert report.pasted_outputs == 3


def test_outputs_deck_under_pytest_fails_only_the_changed_output(project):
    """The import marks the code whose output changed as a known failure; without the mark it fails."""
    import_deck(project, DECKS / "outputs.md")
    done = run_pytest(project.root, "-q", "-rx", "snippets/outputs", timeout=600)
    assert "4 passed, 1 xfailed" in done.stdout, done.stdout
    assert ("XFAIL snippets/outputs/output_that_changed.py::output_that_changed - prints something else than the "
            "output pasted in snippets/outputs/output_that_changed_output.txt (output differs)") in done.stdout
    unmark_known_failure(project.snippets_dir / "outputs" / "output_that_changed.py")
    done = run_pytest(project.root, "-q", "-rf", "snippets/outputs", timeout=600)
    failed = sorted(re.findall(r"^FAILED \S+::(\S+)", done.stdout, re.M))
    assert failed == ["output_that_changed"], done.stdout
    assert "-then\n+now" in done.stdout


def test_report_lists_what_the_build_would_refuse(project):
    report = import_deck(project, DECKS / "text.md")
    text = report.text()
    assert "link to '#nowhere' matches no slide name: its text 'to nowhere' is kept without the link" in text
    assert "slide name 'links' is used twice: this one is now 'links-2'" in text
    assert "'Note: swallowed by Remark as a property' is read by Remark as a slide property" in text
    assert "mis-decoded text repaired: 'IngÃ©nieur de recherche, cafÃ© â€“ crÃ¨me' -> 'Ingénieur de recherche, café – crème'" in text
    deck = (project.slides_dir / "text.md").read_text()
    assert '# Templates {{ "{{" }} like this }}' in deck and "\\.unclosed[" in deck
    assert (project.slides_dir / "text.import-report.txt").read_text() == text


def test_formulas_translated_for_katex(project):
    report = import_deck(project, DECKS / "formulas.md")
    deck = (project.slides_dir / "formulas.md").read_text()
    assert r"$$\begin{array}{rcl} a &=& b + c \\ d &=& e \end{array}$$" in deck
    assert r"\begin{cases}0 & \text{if } x < 0 \\ x & \text{otherwise}\end{cases}" in deck
    assert r"$f_{\vec w}$" in deck
    # the TeX the original page typeset, once Remark's Markdown had unescaped it, with no space
    # inside the dollars (the build's rule for inline formulas)
    assert r"The parameters $\{w, b\}$, written" in deck
    # MathJax's other delimiters, and an environment it typeset with none, in the build's dollars
    assert r"Inline between $\alpha + \beta$ and displayed between" in deck
    assert "\n$$ \\frac{a}{b} = c $$\n" in deck
    assert "\n$$\\begin{align}\na &= b + c \\\\\nd &= e\n\\end{align}$$\n" in deck
    assert (report.formulas_translated, report.formulas_failing) == (7, 0)


def test_page_options_title_macros_and_media(project):
    report = import_deck(project, DECKS / "page.html")
    deck = (project.slides_dir / "page.md").read_text()
    # the page's title, author and language (read by screen readers, written into the PDFs), its options
    assert deck.startswith('+++\ntitle = "A page deck & its options"\nauthor = "Ada Lovelace & Charles Babbage"\n'
                           'language = "en-GB"\nratio = "16:9"\nhighlight_style = "monokai"\n'
                           'slide_number_format = "%current%"\ncount_incremental_slides = false\n+++\n')
    assert "remark.macros.shout = function (text)" in (project.templates_dir / "macros" / "page.js").read_text()
    assert '<img src="../img/page/pictures/square.png" width="100">' in deck
    assert '<video src="../img/page/clip.mp4" controls width="200"></video>' in deck
    assert ('<a href="https://www.youtube.com/embed/xyz"><img src="../img/page/placeholders/xyz.svg" '
            'alt="embedded page: https://www.youtube.com/embed/xyz" width="560" height="315"></a>') in deck
    assert (project.img_dir / "page" / "pictures" / "square.png").read_bytes() == (DECKS / "pictures" / "square.png").read_bytes()
    assert "https://example.org/remote.png" in (project.img_dir / "page" / "placeholders" / "remote.svg").read_text()
    assert (report.pictures_copied, report.pictures_replaced) == (2, 4)


def test_alt_text_kept_and_pictures_without_it_listed(project):
    report = import_deck(project, DECKS / "page.html")
    deck = (project.slides_dir / "page.md").read_text()
    assert '![remote](../img/page/placeholders/remote.svg)' in deck
    undescribed = [(entry.number, note) for entry in report.slides for note in entry.notes
                   if "has no alternative text" in note]
    assert undescribed == [
        (1, "picture pictures/square.png has no alternative text: say what it shows (the build warns about it)"),
        (4, "picture pictures/square.png has no alternative text: say what it shows (the build warns about it)"),
        (4, "picture pictures/missing.png has no alternative text: say what it shows (the build warns about it)"),
    ]
    assert not any(message for _, message, _ in report.warnings if "alternative text" in message)


def test_existing_deck_is_an_error_and_nothing_is_written(project):
    assert run_remarkdeck(project.root, "import", str(DECKS / "code.md")).code == 0
    before = sorted(str(p) for p in project.root.rglob("*"))
    done = run_remarkdeck(project.root, "import", str(DECKS / "outputs.md"), "--name", "code")
    assert done.code == 1
    assert done.stderr == ("slides/code.md: a deck named 'code' already exists (slides/code.md, "
                           "slides/code.import-report.txt, snippets/code, img/code): import it under another name with "
                           "--name, or remove those files first; nothing was written\n")
    assert sorted(str(p) for p in project.root.rglob("*")) == before


def test_page_without_a_deck_is_an_error(project, tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>no slides</p></body></html>")
    done = run_remarkdeck(project.root, "import", str(page))
    assert done.code == 1
    assert done.stderr.endswith("empty.html:1: no Remark deck in this page: expected <textarea id=\"source\"> "
                                "or remark.create({sourceUrl: \"deck.md\"})\n")
    assert not list(project.root.glob("**/empty*"))


def test_page_whose_own_scripts_set_up_the_deck(project):
    """Options computed by the page's script file before remark.create, which it calls once the
    page has loaded; the slides loaded from sourceUrl (the textarea is empty); macros from another
    script file, with the helper they use; TeX macros from its MathJax configuration; formulas and
    a picture in nested list items, which Markdown reads as text although they are indented."""
    report = import_deck(project, DECKS / "scripted" / "index.html")
    deck = (project.slides_dir / "index.md").read_text()
    assert deck.startswith('+++\ntitle = "A deck its scripts set up"\nratio = "16:9"\nhighlight_style = "monokai"\n')
    # the TeX macros of the page's MathJax configuration, for the build's KaTeX
    assert '\n[math.macros]\n"\\\\RR" = "\\\\mathbb{R}"\n"\\\\norm" = "\\\\left\\\\lVert #1 \\\\right\\\\rVert"\n+++\n' in deck
    assert "norms with the page's macros: $\\norm{x} \\in \\RR$\n" in deck
    assert "    - the empty set $\\{ \\}$, and $\\{a, b\\}$\n" in deck
    assert "    - a picture in a nested item: ![a square](../img/index/square.png)\n" in deck
    assert '{{ snippet("lists_with_formulas_and") }}' in deck
    assert (report.formulas_translated, report.pictures_copied, report.shown_slides) == (2, 1, 2)
    # the page's CSS, linked and inline, with the pictures it loads imported and nothing from the web
    css = (project.templates_dir / "styles" / "index.css").read_text()
    assert '.inverse { background: #272822 url("../img/index/square.png") no-repeat right top;' in css
    assert "h1 { font-family: 'Yanone Kaffeesatz', \"Source Sans 3\"" in css
    assert "http" not in css and "katex" not in css
    assert any("imports https://fonts.googleapis.com/css?family=Yanone+Kaffeesatz: not fetched" in note
               for note in report.deck_notes)
    # the script of the macros, whole: the macro uses the helper defined beside it
    macros = (project.templates_dir / "macros" / "index.js").read_text()
    assert (DECKS / "scripted" / "js" / "macros.js").read_text() in macros


def test_stars_stay_code_where_the_page_does_not_highlight_lines(project):
    report = import_deck(project, DECKS / "no-highlight.html")
    assert (project.snippets_dir / "no-highlight" / "stars_that_are_code.py").read_text() == \
        "*head, last = [1, 2, 3]\nprint(head, last)\n"
    assert '{{ snippet("stars_that_are_code") }}' in (project.slides_dir / "no-highlight.md").read_text()
    assert any("does not turn on Remark's highlightLines" in note for note in report.deck_notes)


def test_page_choosing_its_slides_when_it_runs_is_an_error(project):
    done = run_remarkdeck(project.root, "import", str(DECKS / "chosen-by-url.html"))
    assert done.code == 1
    assert done.stderr.endswith(
        "chosen-by-url.html:1: this page chooses the Markdown file of its slides when it runs (sourceUrl is "
        "not a fixed file name): import that Markdown file itself (remarkdeck import slides.md)\n")
    assert list(project.slides_dir.iterdir()) == []


def test_seed_imported_whole_and_its_failures_on_keras_3(project):
    """The seed lecture: 21 code blocks, 17 of them Python; its snippets fail where Keras 3 breaks them
    (Adam(lr=...)), where the pasted model.summary() tables no longer match, and where they use data no
    snippet defines. The import marks each as a known failure, so pytest is green the day it is
    imported; --runxfail shows the failures themselves."""
    done = run_remarkdeck(project.root, "import", str(DECKS / "seed.md"), "--name", "seed", timeout=900)
    assert done.code == 0, done.stderr
    assert "21 code blocks -> 21 snippets (17 .py, 1 .sh, 3 .txt); 3 pasted outputs paired" in done.stdout
    assert "names no snippet defines: X_train, y_train: define them in snippets/seed/prelude.py" in done.stdout
    assert "  snippets run: 8 pass, 9 fail, each now marked '# known-failure: REASON' in its file" in done.stdout
    assert ("    requires loss_and_optimizer_2, which fails: Argument(s) not recognized: {'lr': 0.01} (ValueError): "
            "5 (callbacks, callbacks_2, monitoring_the_training, training, training_2)\n") in done.stdout
    assert "    Argument(s) not recognized: {'lr': 0.01} (ValueError): 1 (loss_and_optimizer_2)\n" in done.stdout
    assert run_remarkdeck(project.root, "build", "seed", timeout=600).code == 0
    tests = run_pytest(project.root, "-q", "-rx", "snippets/seed", timeout=900)
    assert tests.returncode == 0 and "8 passed, 9 xfailed" in tests.stdout, tests.stdout[-3000:]
    tests = run_pytest(project.root, "-q", "-rf", "--runxfail", "snippets/seed", timeout=900)
    failed = sorted(re.findall(r"^FAILED \S+::(\S+)", tests.stdout, re.M))
    assert failed == ["callbacks", "callbacks_2", "loss_and_optimizer_2", "monitoring_the_training",
                      "multi_layer_perceptron_3", "multi_layer_perceptron_4", "multi_layer_perceptron_5",
                      "training", "training_2"], tests.stdout[-3000:]
    assert "9 failed, 8 passed" in tests.stdout
    assert "ValueError: Argument(s) not recognized: {'lr': 0.01}" in tests.stdout
    assert "Total params: 41" in tests.stdout  # the pasted table, in the diff against what Keras 3 prints


def test_macros_nothing_brought_defines_get_stand_ins_and_the_deck_builds(project):
    """A theme's macros and a TeX macro the import cannot bring: stand-ins, a warning at each first
    use, and a deck that builds."""
    done = run_remarkdeck(project.root, "import", str(DECKS / "stand-ins.md"))
    assert done.code == 0, done.stderr
    source = DECKS / "stand-ins.md"
    assert f"{source}:9: warning: macro 'thumb' is not defined (read from a Markdown file alone: the scripts of the " \
           "page that showed it were not read): a stand-in in templates/macros/stand-ins.js shows its picture or " \
           "its text on 1 slide(s); replace it with the real remark.macros.thumb\n" in done.stderr
    assert f"{source}:14: warning: macro 'badge' is not defined" in done.stderr
    assert f"{source}:19: warning: formula uses \\W, which neither KaTeX nor the page defines" in done.stderr
    assert "stand-ins for what the import could not bring: TeX macro \\W (front matter), Remark macro thumb " \
           "(templates/macros/stand-ins.js), Remark macro badge (templates/macros/stand-ins.js)" in done.stdout
    deck = (project.slides_dir / "stand-ins.md").read_text()
    assert '"\\\\W" = "{\\\\color{red}\\\\text{\\\\textbackslash W}}"\n' in deck
    assert run_remarkdeck(project.root, "build", "stand-ins").code == 0
    with MacroRunner(project, "stand-ins") as macros:
        assert macros.expand(MacroUse(0, 0, "thumb", ("40%", "a red square"), "../img/stand-ins/pictures/square.png")) \
            == '<img src="../img/stand-ins/pictures/square.png" alt="a red square" style="width: 40%" />'
        assert macros.expand(MacroUse(0, 0, "badge", ("new", "shiny"), None)) == "new shiny"


def test_picture_attributes_on_the_next_line_and_names_with_spaces(project):
    """``<img src=...`` with its other attributes on an indented line (which Remark's lexer sets
    apart as code) is rewritten; a copied file's name has no spaces."""
    report = import_deck(project, DECKS / "split-tags.md")
    deck = (project.slides_dir / "split-tags.md").read_text()
    assert '<img src="../img/split-tags/pictures/square.png"\n     width="100%" />' in deck
    assert ".center[![:scale 50%](../img/split-tags/pictures/a-square.png)]" in deck
    assert '<img src="../img/split-tags/pictures/a-square.png" width="20">' in deck
    assert (report.pictures_copied, report.pictures_replaced) == (2, 0)
    assert run_remarkdeck(project.root, "build", "split-tags").code == 0


def test_code_after_a_class_in_a_quote_and_with_no_break_spaces(project):
    report = import_deck(project, DECKS / "code-places.md")
    folder = project.snippets_dir / "code-places"
    deck = (project.slides_dir / "code-places.md").read_text()
    # a fence opened right after a content class: alone on its line, as the build wants
    assert '.small[\n{{ snippet("a_block_opened_after_a") }}\n]' in deck
    # a fence in a quote, which Remark's lexer does not see but its Markdown shows: still in the quote
    assert '> {{ snippet("a_block_in_a_quote") | replace("\\n", "\\n> ") }}\n' in deck
    assert (folder / "a_block_in_a_quote.py").read_text() == 'print("quoted")\n'
    # non-breaking spaces showed as spaces; Python rejects them
    assert (folder / "code_with_non_breaking.py").read_text() == "def square(x):\n    return x * x\n"
    assert "code_with_non_breaking.py: 4 non-breaking space(s) of the code written as plain spaces" in report.text()
    assert run_remarkdeck(project.root, "build", "code-places").code == 0
    assert "3 passed" in run_pytest(project.root, "-q", "snippets/code-places").stdout
