"""The command line: parses arguments, calls a command, turns a DeckError into ``path:line: message``."""

from __future__ import annotations

import argparse
import shlex
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import DeckError, display_path
from .logs import print_warnings
from .project import Project


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    print_warnings()
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        project = Project.find(args.root) if args.needs_project else None
        return args.command(project, args) or 0
    except DeckError as error:
        print(f"{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("remarkdeck: internal error (the traceback above is a bug in remarkdeck, not in your deck; "
              "please report it)", file=sys.stderr)
        return 2


def _build(project: Project, args) -> int:
    from .build import build

    say = (lambda *_: None) if args.quiet else (lambda message: print(message, file=sys.stderr))
    report = build(project, args.decks, force=args.force, say=say, standalone=args.standalone, strict=args.strict)
    for deck in report.decks:
        say(f"built {project.relative(project.build_dir / deck.name / 'index.html')}: "
            f"{deck.slide_count} slides, last number {deck.last_number}")
    say(f"ran {len(report.ran)} snippet(s), typeset {report.typeset} formula(s); {report.seconds:.2f} s")
    return 0


def _browser(project: Project, args) -> int:
    from .browser import find_browser, install_browser

    browser = install_browser(say=lambda m: print(m, file=sys.stderr)) if args.install else find_browser()
    print(browser)
    return 0


def _serve(project: Project, args) -> int:
    from .serve import serve

    serve(project, [args.deck] if args.deck else None, host=args.host, port=args.port,
          say=lambda message: print(message, file=sys.stderr, flush=True))
    return 0


def _pdf(project: Project, args) -> int:
    from .pdf import print_decks

    report = print_decks(project, args.decks, notes=args.notes, timeout=args.timeout, quiet=args.quiet,
                         strict=args.strict)
    if not args.quiet:
        print(f"printed {len(report.pdfs)} PDF(s); {report.seconds:.2f} s", file=sys.stderr)
    return 0


def _init(_, args) -> int:
    from .init import init_project

    new = init_project(args.folder, deck=args.deck, title=args.title)
    shown = display_path(new.root)
    print(f"wrote {len(new.files)} files into {shown}/, with the deck slides/{new.deck}.md", file=sys.stderr)
    if new.requirement.startswith("remarkdeck @ file:"):
        print(f"note: pyproject.toml installs remarkdeck from {new.requirement.split(' @ ', 1)[1]}, a file "
              "on this machine; where it is missing (CI) require remarkdeck from the package index instead",
              file=sys.stderr)
    print(f"next: cd {shlex.quote(shown)} && make slides   (then make test, make pdf, make serve)", file=sys.stderr)
    return 0


def _import(project: Project, args) -> int:
    from .importer import import_deck

    report = import_deck(project, args.source, args.name, strict=args.strict, dry_run=args.dry_run)
    print(report.text(), end="")
    for diff in report.diffs:
        print(f"\n{diff}", end="")
    if args.dry_run:
        print("\n(dry run: nothing written)")
    return 0


def _upgrade(project: Project, args) -> int:
    from .upgrade import upgrade_decks

    say = (lambda *_: None) if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    report = upgrade_decks(project, args.decks, dry_run=args.dry_run, say=say)
    print(report.text(), end="")
    return 0


def _matrix(project: Project, args) -> int:
    from .matrix.run import run_matrix
    from .matrix.table import markdown_table, summary_line, text_table

    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    report = run_matrix(project, args.cells, args.decks, say=say)
    print(text_table(report), end="")
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(markdown_table(report))
    print(f"{summary_line(report)}\nwrote build/matrix.json and build/matrix.html", file=sys.stderr)
    return 1 if report.failing else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="remarkdeck", description="Build Remark.js lecture decks whose code runs.")
    parser.add_argument("--version", action="version", version=f"remarkdeck {__version__}")
    parser.add_argument("--root", type=Path, default=None, help="the lecture project folder (default: found from here)")
    parser.set_defaults(needs_project=True)
    commands = parser.add_subparsers(title="commands")

    init = commands.add_parser("init", help="start a new lecture project in FOLDER (never overwrites a file)")
    init.add_argument("folder", type=Path, metavar="FOLDER", help="where to write it (created if missing)")
    init.add_argument("--deck", help="the first deck's name (default: from the folder's name)")
    init.add_argument("--title", help="the first deck's title (default: from its name)")
    init.set_defaults(command=_init, needs_project=False)

    build = commands.add_parser("build", help="build slides/<deck>.md into build/<deck>/index.html")
    build.add_argument("decks", nargs="*", metavar="DECK", help="deck names (default: every deck)")
    build.add_argument("--force", action="store_true", help="re-run every snippet whose output is shown")
    build.add_argument("--standalone", action="store_true",
                       help="also write build/<deck>.html: the deck as one file with everything inlined")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only")
    _add_strict(build, "build/ is left as it was")
    build.set_defaults(command=_build)

    browser = commands.add_parser("browser", help="show the browser remarkdeck uses (--install: get one if none)")
    browser.add_argument("--install", action="store_true", help="install Chromium when no browser is found")
    browser.set_defaults(command=_browser)

    pdf = commands.add_parser("pdf", help="print built decks as build/<deck>.pdf and build/<deck>-handout.pdf")
    pdf.add_argument("decks", nargs="*", metavar="DECK", help="deck names (default: every deck)")
    pdf.add_argument("--notes", action="store_true", help="presenter notes under each slide of the handout")
    pdf.add_argument("--timeout", type=float, default=60, metavar="SECONDS",
                     help="how long a deck may take to be ready to print (default: 60)")
    pdf.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only")
    _add_strict(pdf, "a deck's PDFs are left as they were")
    pdf.set_defaults(command=_pdf)

    serve = commands.add_parser("serve", help="serve build/ at http://127.0.0.1:8000, rebuilt and reloaded on every change")
    serve.add_argument("deck", nargs="?", metavar="DECK", help="the deck to build and show (default: every deck)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the interface to listen on (default: 127.0.0.1, this machine only)")
    serve.set_defaults(command=_serve)

    imports = commands.add_parser("import", help="bring an existing Remark deck (Markdown or HTML page) into the project")
    imports.add_argument("source", type=Path, metavar="SOURCE",
                         help="a Remark Markdown file, or the HTML page holding the deck")
    imports.add_argument("--name", metavar="DECK", help="the deck's name (default: from SOURCE's file name)")
    imports.add_argument("--dry-run", action="store_true",
                         help="print the report and the changes to pyproject.toml and the lock; write nothing")
    _add_strict(imports, "nothing is written")
    imports.set_defaults(command=_import)

    upgrade = commands.add_parser("upgrade", help="rewrite snippets for API changes (Keras 3, NumPy 2, pandas, "
                                  "scikit-learn); keep what runs; refresh pasted outputs")
    upgrade.add_argument("decks", nargs="*", metavar="DECK", help="deck names (default: every deck)")
    upgrade.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    upgrade.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    upgrade.set_defaults(command=_upgrade)

    matrix = commands.add_parser("matrix", help="run every deck's snippets on each set of library versions of "
                                 "[tool.remarkdeck.matrix] (the lock first); exit 1 if one breaks what the lock passes")
    matrix.add_argument("decks", nargs="*", metavar="DECK", help="deck names (default: every deck)")
    matrix.add_argument("--cell", dest="cells", action="append", metavar="NAME",
                        help="run this cell (repeatable; default: every cell); the lock always runs")
    matrix.add_argument("--summary", type=Path, metavar="FILE",
                        help="also append the table in Markdown to FILE (in CI: $GITHUB_STEP_SUMMARY)")
    matrix.set_defaults(command=_matrix)
    return parser


def _add_strict(command: argparse.ArgumentParser, kept: str) -> None:
    command.add_argument("--strict", action="store_true",
                         help=f"treat every warning as an error: exit 1 listing them ({kept})")
