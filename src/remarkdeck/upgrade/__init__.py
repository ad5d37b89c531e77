"""``remarkdeck upgrade``: snippets rewritten for known API changes of the scientific Python stack
(Keras 3, NumPy 2, pandas, scikit-learn), each rewrite run and kept only where it helps, and pasted
outputs replaced by what the code prints now.

    rules.toml     the built-in rules, one [[rule]] per change, each with an example
    rules.py       the table loaded and checked (a project's own: templates/upgrade.toml)
    names.py       what a snippet's names stand for, from its imports and its requirements'
    rewrite.py     a snippet's text rewritten by the rules, with the sites each changed
    fixers.py      the rewrites a table cannot say
    syntax_fix.py  the fixes Python's syntax errors name: a missing comma, a shared indentation
    run.py         each snippet run, rewritten, run again; kept or given back; outputs refreshed
    report.py      every change as a diff at its path:line and slide
"""

from __future__ import annotations

import shutil

from ..project import Project
from ..snippets.execute import DEFAULT_TIMEOUT
from ..snippets.failures import record_known_failures
from ..snippets.runner import SnippetRunner
from .report import UpgradeReport
from .rules import load_rules
from .run import DeckRun, DeckUpgrade, Scratch


def upgrade_decks(project: Project, decks: list[str] | None = None, dry_run: bool = False,
                  timeout: float = DEFAULT_TIMEOUT, say=lambda message: None) -> UpgradeReport:
    """Upgrade the snippets of ``decks`` (default: every deck); with ``dry_run`` nothing is written."""
    names = decks or project.deck_names()
    for name in names:
        project.deck_path(name)  # an unknown deck is an error before anything runs
    rules = load_rules(project.root)
    reports = []
    with SnippetRunner(timeout=timeout) as runner:
        for name in names:
            if not (project.snippets_dir / name).is_dir():
                continue
            scratch = Scratch(project, name)
            try:
                report = DeckRun(project, name, rules, runner, say).upgrade(scratch)
                _record_known_failures(scratch, name, report, runner)
                if not dry_run:
                    _write(project, name, scratch)
            finally:
                scratch.close()
            reports.append(report)
    return UpgradeReport(project, reports, dry_run)


def _write(project: Project, deck: str, scratch: Scratch) -> None:
    """Each file of the scratch copy that differs from the deck's, copied over it."""
    for upgraded in sorted(scratch.folder.iterdir()):
        real = project.snippets_dir / deck / upgraded.name
        if real.is_file() and upgraded.is_file() and real.read_bytes() != upgraded.read_bytes():
            shutil.copyfile(upgraded, real)


def _record_known_failures(scratch: Scratch, deck: str, report: DeckUpgrade, runner: SnippetRunner) -> None:
    """What still fails after the upgrade is marked as a known failure with its reason, and a known
    failure that passes now loses its line, in the scratch copy (written with the rest, unless a
    dry run), so that ``make test`` is green and honest."""
    report.known = record_known_failures(Project(scratch.root), deck, runner)
