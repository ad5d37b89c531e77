"""The matrix shown: a text table for the terminal (long messages as numbered notes under it), a
Markdown one for a CI job's summary, and ``build/matrix.html``."""

from __future__ import annotations

from pathlib import Path

from ..html import shell_environment
from ..project import Project
from .outcomes import FAILED, KNOWN_FAILURE, KNOWN_FAILURE_PASSES, NOT_RUN, PASSED, PRINTS_OTHERWISE, SKIPPED, Outcome
from .report import MatrixReport

LABELS = {PASSED: "passed", PRINTS_OTHERWISE: "passed, other output", FAILED: "FAILED", KNOWN_FAILURE: "known failure",
          KNOWN_FAILURE_PASSES: "known failure, passes", SKIPPED: "skipped", NOT_RUN: "not run"}
INDENT = "  "


def text_table(report: MatrixReport) -> str:
    """Rows of items under each deck, a column per cell; then the notes, the versions, the problems."""
    rows: list[list[str]] = []
    notes: list[str] = []
    for deck, items in report.decks.items():
        rows.append([deck, *report.cell_names])
        for item in items:
            row = [INDENT + item]
            for cell in report.cell_names:
                outcome = report.outcome(deck, item, cell)
                label = LABELS[outcome.status]
                if outcome.status != NOT_RUN and outcome.text != outcome.status:
                    notes.append(f"[{len(notes) + 1}] {cell}, {deck}/{item}: {outcome.text}")
                    label += f" [{len(notes)}]"
                row.append(label)
            rows.append(row)
        rows.append([])
    rows += version_rows(report)
    lines = _aligned(rows)
    if notes:
        lines += ["", *notes]
    for cell in report.unresolved:
        lines += ["", f"cell {cell.name} did not run: {cell.problem}"]
    return "\n".join(lines).rstrip() + "\n"


def version_rows(report: MatrixReport) -> list[list[str]]:
    """python, then each module the decks import, with its version in each cell."""
    modules = list(dict.fromkeys(module for cell in report.cells for module in cell.versions))
    rows = [["versions", *report.cell_names], [INDENT + "python", *(cell.python or "-" for cell in report.cells)]]
    rows += [[INDENT + module, *(cell.versions.get(module, "-") for cell in report.cells)] for module in modules]
    return rows


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max((len(row[column]) for row in rows if len(row) > column), default=0)
              for column in range(max(map(len, rows)))]
    return ["   ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip() for row in rows]


def summary_line(report: MatrixReport) -> str:
    regressions = report.regressions()
    parts = [f"{len(report.cells)} cell(s)"]
    if regressions:
        broken = ", ".join(f"{deck}/{item} in {cell}" for deck, item, cell in regressions)
        parts.append(f"{len(regressions)} item(s) that pass with the lock fail in another cell: {broken}")
    else:
        parts.append("everything that passes with the lock passes in every cell")
    if report.unresolved:
        parts.append(f"did not run: {', '.join(cell.name for cell in report.unresolved)}")
    return "; ".join(parts)


def markdown_table(report: MatrixReport) -> str:
    """For $GITHUB_STEP_SUMMARY: a table per deck with every message written out, then the versions."""
    cells = report.cell_names
    lines = ["## Version matrix", "", summary_line(report), ""]
    for deck, items in report.decks.items():
        lines += [f"| {deck} | {' | '.join(cells)} |", "|---" * (len(cells) + 1) + "|"]
        for item in items:
            shown = [_markdown_outcome(report.outcome(deck, item, cell)) for cell in cells]
            lines.append(f"| `{item}` | {' | '.join(shown)} |")
        lines.append("")
    versions = version_rows(report)
    lines += [f"| {' | '.join(versions[0])} |", "|---" * len(versions[0]) + "|"]
    lines += [f"| {row[0].strip()} | {' | '.join(row[1:])} |" for row in versions[1:]]
    for cell in report.unresolved:
        lines += ["", f"**{cell.name} did not run**:", "", "```", cell.problem, "```"]
    return "\n".join(lines) + "\n"


def _markdown_outcome(outcome: Outcome) -> str:
    text = outcome.text.replace("|", "\\|").replace("\n", " ")
    return f"**{text}**" if outcome.status == FAILED else text


def write_page(project: Project, report: MatrixReport, target: Path) -> None:
    """build/matrix.html: the same tables, a page linked from the index."""
    template = shell_environment(project).get_template("matrix.html")
    page = template.render(report=report, versions=version_rows(report), summary=summary_line(report))
    target.write_text(page, encoding="utf-8")
