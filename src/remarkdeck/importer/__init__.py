"""``remarkdeck import``: an existing Remark deck brought into the project, its code as snippets.

read the source (source.py) -> repair mis-decoded text (mojibake.py) -> read it as Remark does
(lexer.py) -> code blocks to snippets (code.py) and what each needs (names.py) -> pictures and
media (media.py) -> the page's CSS (styles.py) -> formulas for KaTeX (formulas.py) -> what the
build refuses (repairs.py) -> stand-ins for macros nothing brought defines (stand_ins.py) -> the
packages the snippets import (packages.py: distributions.py, pyproject.py, lock.py) ->
write it all aside and move it into place (files.py), with its report (report.py); then the
project's pyproject.toml and lock, the new packages installed -> run the snippets and mark those
that fail as known failures (snippets/failures.py).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from ..assets import Assets
from ..errors import DeckImportError, Location
from ..logs import at, collected_warnings, fail_on_warnings
from ..project import Project
from ..snippets.failures import record_known_failures
from ..snippets.files import PRELUDE
from .assumed import assumed_imports, with_assumed_imports
from .code import SnippetFile, finish_headers, plan_snippets
from .edits import Edit, apply_edits, moved_offset
from .files import DeckFiles, front_matter, refuse_existing, write_deck_files
from .formulas import KatexChecker, check_formulas, katex_macros, tex_of
from .lexer import RemarkSlide, clean_input, line_of, parse
from .media import MediaPlan, rewrite_media
from .mojibake import Repair, repair_text
from .names import infer_requirements
from .packages import PackagePlan, deck_modules, install_packages, plan_packages, summary
from .repairs import repair_deck
from .report import ImportReport, SlideEntry, count_by
from .source import DeckSource, read_source
from .stand_ins import stand_in_macros, where_macros_came_from
from .styles import page_styles

log = logging.getLogger(__name__)


def import_deck(project: Project, source: Path, name: str | None = None, strict: bool = False,
                dry_run: bool = False) -> ImportReport:
    """Import the deck at ``source`` as ``name`` (default: from the file name); raises
    DeckImportError, writing nothing, when it cannot or when the deck already exists. What the
    lecturer must fix is also logged as a warning at its line in ``source``; ``strict`` makes
    those warnings an error (StrictError), raised before anything is written. The packages the
    snippets import are declared in the project (its pyproject.toml, its lock), as the report's
    diffs show; ``dry_run``: the report and its diffs only, nothing written."""
    started = time.perf_counter()
    deck_source = read_source(source)
    deck = _deck_name(name, source)
    refuse_existing(project, deck)
    markdown, slides, mojibake = _parse(deck_source)
    report = _new_report(project, source, deck, slides)
    files = DeckFiles(deck)
    edits = _code_edits(deck, deck_source, markdown, slides, report, files)
    edits += _media_edits(deck, deck_source, markdown, slides, report, files)
    math_macros = _math_macros(deck_source, report)
    edits += _formulas(project, markdown, slides, report, math_macros)
    edits += _repair_edits(markdown, slides, report)
    _note_mojibake(markdown, slides, mojibake, report)
    _note_macros(project, deck, deck_source, slides, report, files)
    packages = _packages(project, deck, deck_source, report, files)
    files.deck_text = _edited_deck(deck_source, markdown, slides, edits, math_macros, report)
    _finish_report(report, files, packages, started, dry_run)
    with collected_warnings() as warnings:
        _log_warnings(report, slides, markdown, deck_source)
    fail_on_warnings(warnings, strict, kept="nothing is written")
    if dry_run:
        return report
    write_deck_files(project, files)
    packages.write(project)
    running = time.perf_counter()
    _install_packages(project, packages, report)
    _assume_imports(project, deck, report)
    _mark_known_failures(project, deck, report)
    done = time.perf_counter()
    report.seconds, report.run_seconds = done - started, done - running
    (project.slides_dir / f"{deck}.import-report.txt").write_text(report.text(), encoding="utf-8")
    return report


def _install_packages(project: Project, packages: PackagePlan, report: ImportReport) -> None:
    """The distributions just declared, installed where remarkdeck runs (the project's environment,
    which ``make test`` then finds up to date), so that the snippets run with them before any is
    marked as a known failure."""
    if problem := install_packages(project, packages):
        report.packages.append(f"not installed ({problem}): the snippets that import them are marked as known "
                               "failures until `make test` installs them")
        log.warning(f"the declared packages could not be installed: {problem}")


def _assume_imports(project: Project, deck: str, report: ImportReport) -> None:
    """The imports the slides left out (``np``, ``train_test_split``), checked and written into the
    deck's prelude, which runs before every snippet and is never shown."""
    undefined = {name for names in report.undefined_names.values() for name in names}
    found = assumed_imports(undefined, set(report.imports))
    if found.lines:
        prelude = project.snippets_dir / deck / f"{PRELUDE}.py"
        text = prelude.read_text(encoding="utf-8") if prelude.is_file() else ""
        prelude.write_text(with_assumed_imports(text, found.lines), encoding="utf-8")
        report.assumed_imports = sorted(found.lines)
    report.packages += [f"{name}: `{statement}` does not run here, so it is not assumed"
                        for name, statement in sorted(found.failed.items())]


def _mark_known_failures(project: Project, deck: str, report: ImportReport) -> None:
    """Run the written snippets; each that fails gets its '# known-failure:' line, listed in the report."""
    report.known_failures = record_known_failures(project, deck).lines()


def _parse(deck_source: DeckSource) -> tuple[str, list[RemarkSlide], list[Repair]]:
    """The deck's Markdown, repaired and cleaned as Remark cleans it, its slides, and the
    mis-decoded text found in it."""
    markdown, mojibake = repair_text(deck_source.markdown)
    markdown = clean_input(markdown)
    return markdown, parse(markdown), mojibake


def _new_report(project: Project, source: Path, deck: str, slides: list[RemarkSlide]) -> ImportReport:
    report = ImportReport(deck, project.relative(source), _slide_entries(slides))
    report.shown_slides = sum(slide.shown for slide in slides)
    return report


def _code_edits(deck: str, deck_source: DeckSource, markdown: str, slides: list[RemarkSlide], report: ImportReport,
                files: DeckFiles) -> list[Edit]:
    markers = _reads_highlight_markers(deck_source)
    snippets, edits = plan_snippets(markdown, slides, markers)
    if not markers:
        _note_stars_kept(snippets, report)
    _plan_code(deck, snippets, report, files)
    if deck_source.path == deck_source.page and any(snippet.no_break_spaces for snippet in snippets):
        # Remark reads a textarea as HTML, where a non-breaking space is "&nbsp;": code showed that
        report.text_changes.append(("&nbsp;", " "))
    return edits


def _reads_highlight_markers(deck_source: DeckSource) -> bool:
    # Remark reads a code line's leading `*` as a highlight marker only with highlightLines; a page
    # that does not turn it on showed the star (a Markdown file alone: taken as markers)
    return deck_source.page is None or bool(deck_source.options.get("highlightLines"))


def _note_stars_kept(snippets: list[SnippetFile], report: ImportReport) -> None:
    if any(line.startswith("*") for snippet in snippets for line in snippet.body):
        report.deck_notes.append("the page does not turn on Remark's highlightLines, so code lines starting with "
                                 "'*' showed their star and keep it; to highlight such a line instead, remove "
                                 "the star and use snippet(..., highlight=[...])")


def _media_edits(deck: str, deck_source: DeckSource, markdown: str, slides: list[RemarkSlide], report: ImportReport,
                 files: DeckFiles) -> list[Edit]:
    plan = MediaPlan(deck, deck_source.base)
    edits = rewrite_media(markdown, slides, plan)
    _copy_page_styles(deck, deck_source, plan, report, files)
    _note_media(plan, report, files)
    return edits


def _copy_page_styles(deck: str, deck_source: DeckSource, plan: MediaPlan, report: ImportReport,
                      files: DeckFiles) -> None:
    files.styles, style_notes = page_styles(deck_source, plan)
    report.deck_notes += style_notes
    if files.styles:
        report.deck_notes.append(f"the page's own CSS copied to templates/styles/{deck}.css, which the build "
                                 "puts after the theme")


def _math_macros(deck_source: DeckSource, report: ImportReport) -> dict[str, str]:
    math_macros, macro_notes = katex_macros(deck_source.math_macros)
    report.deck_notes += macro_notes
    return math_macros


def _repair_edits(markdown: str, slides: list[RemarkSlide], report: ImportReport) -> list[Edit]:
    repairs, edits = repair_deck(markdown, slides)
    for repair in repairs:
        report.note(repair.slide, repair.message)
    return edits


def _edited_deck(deck_source: DeckSource, markdown: str, slides: list[RemarkSlide], edits: list[Edit],
                 math_macros: dict[str, str], report: ImportReport) -> str:
    """The imported deck's text: its front matter, then the Markdown with every edit applied."""
    body, anchors = apply_edits(markdown, edits)
    head, settings_notes = front_matter(deck_source, slides, markdown, math_macros)
    report.deck_notes += deck_source.notes + settings_notes
    _number_slide_lines(slides, report, head, body, anchors)
    return head + body


def _number_slide_lines(slides: list[RemarkSlide], report: ImportReport, head: str, body: str,
                        anchors: list[tuple[int, int]]) -> None:
    """Each slide's line in the written deck, for the report."""
    head_lines = head.count("\n")
    for slide, entry in zip(slides, report.slides):
        entry.line = head_lines + line_of(body, moved_offset(anchors, slide.start))


def _finish_report(report: ImportReport, files: DeckFiles, packages: PackagePlan, started: float,
                   dry_run: bool) -> None:
    report.written, report.dry_run = files.targets() + packages.changed(), dry_run
    report.seconds = time.perf_counter() - started
    files.report_text = report.text()


def _log_warnings(report: ImportReport, slides: list[RemarkSlide], markdown: str, source: DeckSource) -> None:
    """Each problem the report names for the lecturer to fix, at its slide's line in the source."""
    for index, message, near in report.warnings:
        start = slides[index].start if slides else 0
        found = markdown.find(near, start) if near else -1
        line = line_of(markdown, found if found >= 0 else start)
        log.warning(message, extra=at(Location(source.path, source.markdown_line + line - 1)))


def _deck_name(name: str | None, source: Path) -> str:
    if name is not None:
        if not re.fullmatch(r"[\w][\w.-]*", name):
            raise DeckImportError(f"deck name '{name}' cannot be a file name: use letters, digits, '-' and '_'")
        return name
    return re.sub(r"[^\w-]+", "-", source.stem).strip("-").lower() or "deck"


def _slide_entries(slides: list[RemarkSlide]) -> list[SlideEntry]:
    entries, number = [], 0
    for slide in slides:
        number += slide.shown
        entries.append(SlideEntry(number if slide.shown else None, 0))
    return entries


def _plan_code(deck: str, snippets: list[SnippetFile], report: ImportReport, files: DeckFiles) -> None:
    runnable = [s for s in snippets if s.runs]
    needs = infer_requirements([(s.name, s.python_source()) for s in runnable])
    finish_headers(snippets, needs.requires)
    for snippet in snippets:
        files.snippets[snippet.filename] = snippet.text()
        report.note(snippet.slide, _describe(snippet))
        if snippet.no_break_spaces:
            report.note(snippet.slide, f"{snippet.filename}: {snippet.no_break_spaces} non-breaking space(s) of the "
                                       "code written as plain spaces (Python rejects them)")
        if snippet.highlight:
            report.note(snippet.slide, f"{snippet.filename}: highlighted lines {', '.join(map(str, snippet.highlight))} "
                                       "(snippet(..., highlight=[...]))")
        if any(line.strip() == "---" for line in snippet.body):
            report.note(snippet.slide, f"{snippet.filename} holds a line '---': Remark showed what a slide "
                                       "separator would have split as code, as here; if a ``` is missing or "
                                       "stray in the original, fix it there and import again")
        if snippet.name in needs.syntax_errors:
            report.warn(snippet.slide, f"{snippet.filename} is not valid Python ({needs.syntax_errors[snippet.name]}): "
                                       "it fails under pytest until fixed")
        if undefined := needs.undefined.get(snippet.name):
            report.undefined_names[snippet.name] = undefined
            report.warn(snippet.slide, f"{snippet.filename} uses {', '.join(undefined)}, which no earlier snippet "
                                       f"defines: define in `snippets/{deck}/prelude.py`")
        if missing := needs.missing_packages.get(snippet.name):
            report.missing_packages[snippet.name] = missing
        for name in needs.imports.get(snippet.name, []):
            report.imports.setdefault(name, (snippet.slide, snippet.filename))
    report.code_blocks = len(snippets)
    report.snippets = count_by(snippets, lambda s: s.suffix)
    report.pasted_outputs = sum(1 for s in snippets if s.kind == "output")


def _describe(snippet: SnippetFile) -> str:
    what = {"python": "Python", "session": "interactive session, its outputs checked",
            "output": f"pasted output of {snippet.output_of}.py: `make test` checks the code still prints it",
            "code": f"{snippet.fence.language or 'no language'}, shown only"}[snippet.kind]
    requires = next((line[2:] for line in snippet.header if line.startswith("# requires:")), "")
    return f"snippet {snippet.filename} ({what}{'; ' + requires if requires else ''})"


def _note_media(plan: MediaPlan, report: ImportReport, files: DeckFiles) -> None:
    files.copies, files.placeholders = plan.copies, plan.placeholders
    for change in plan.changes:
        if change.kind == "copied":
            continue
        reason = {"missing": "not found", "remote": "on the web, not fetched"}.get(change.kind, change.kind)
        report.warn(change.slide, f"{change.original} ({reason}) replaced by the placeholder {change.target}: "
                                  "put the real file there", near=change.original)
    for slide, picture in dict.fromkeys(plan.undescribed):
        report.note(slide, f"picture {picture} has no alternative text: say what it shows (the build warns about it)")
    report.pictures_copied = len(plan.copies)
    report.pictures_replaced = len(plan.placeholders)


def _formulas(project: Project, markdown: str, slides: list[RemarkSlide], report: ImportReport,
              macros: dict[str, str]) -> list[Edit]:
    katex = KatexChecker(Assets.locate(project), macros)
    try:
        results, edits = check_formulas(markdown, slides, katex)
    finally:
        katex.close()
    for result in results:
        for name in result.stand_ins:
            report.stand_ins.append(f"TeX macro {name} (front matter)")
            report.warn(result.slide, f"formula uses {name}, which neither KaTeX nor the page defines (MathJax showed "
                                      "its name in red): a stand-in in the front matter's [math.macros] shows the "
                                      f"same; define {name} there", near=result.original.split("\n", 1)[0])
        if result.error:
            report.formulas_failing += 1
            report.warn(result.slide, f"formula KaTeX rejects: {_one_line(result.original)} ({result.error}); rewrite it",
                        near=result.original.split("\n", 1)[0])
        elif result.translated != result.original:
            report.formulas_translated += 1
            report.text_changes.append((tex_of(result.original), result.translated))
            report.note(result.slide, f"formula translated ({'; '.join(result.applied)}): "
                                      f"{_one_line(result.original)} -> {_one_line(result.translated)}")
    return edits


def _one_line(formula: str) -> str:
    return " ".join(formula.split())


def _packages(project: Project, deck: str, source: DeckSource, report: ImportReport,
              files: DeckFiles) -> PackagePlan:
    """The distributions the snippets' imports need, to declare and lock; what cannot be, a warning."""
    plan = plan_packages(project, list(report.imports), deck_modules(project, deck, source.base, files.snippets))
    report.packages, report.diffs = summary(plan), plan.diffs()
    for name, why in plan.mapping.unmapped.items():
        slide, filename = report.imports[name]
        report.warn(slide, f"{filename} imports {name}, which cannot be mapped to a distribution ({why}): declare "
                           "what provides it in pyproject.toml", near=name)
    not_installed = {package for missing in report.missing_packages.values() for package in missing}
    for name, distribution in plan.mapping.distributions.items():
        slide, filename = report.imports[name]
        if distribution.name in plan.not_locked:
            report.warn(slide, f"{filename} imports {name}: {distribution.name} is declared in {plan.where} but "
                               f"could not be locked ({plan.not_locked[distribution.name]})", near=name)
        elif plan.problem and name in not_installed:
            report.warn(slide, f"{filename} imports {name}, not installed here and not declared ({plan.problem}): "
                               f"declare {distribution.name}", near=name)
    return plan


def _note_mojibake(markdown: str, slides: list[RemarkSlide], repairs, report: ImportReport) -> None:
    starts = [slide.start for slide in slides]
    for repair in repairs:
        offset = sum(len(line) + 1 for line in markdown.split("\n")[:repair.line - 1])
        index = max(i for i, start in enumerate(starts) if start <= offset) if starts else 0
        if repair.after != repair.before:
            report.note(index, f"mis-decoded text repaired: '{repair.before.strip()}' -> '{repair.after.strip()}'")
        else:
            report.warn(index, f"text looks mis-decoded but could not be repaired: '{repair.before.strip()}'")


def _note_macros(project: Project, deck: str, source: DeckSource, slides: list[RemarkSlide], report: ImportReport,
                 files: DeckFiles) -> None:
    files.macros = source.macros
    if source.macros:
        report.deck_notes.append(f"macros defined by the page ({', '.join(source.macros)}) copied to "
                                 f"templates/macros/{deck}.js")
    stand_ins = stand_in_macros(project, source, slides)
    files.macro_stand_ins = stand_ins.script
    for name, uses in stand_ins.uses.items():
        report.stand_ins.append(f"Remark macro {name} (templates/macros/{deck}.js)")
        report.warn(uses[0], f"macro '{name}' is not defined ({where_macros_came_from(source)}): a stand-in in "
                             f"templates/macros/{deck}.js shows its picture or its text on {len(uses)} slide(s); "
                             f"replace it with the real remark.macros.{name}", near=f"![:{name}")
