"""The command line: parses arguments, calls a command, turns a DeckError into ``path:line: message``."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import DeckError
from .project import Project


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        project = Project.find(args.root)
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
    report = build(project, args.decks, force=args.force, say=say)
    for deck in report.decks:
        say(f"built {project.relative(project.build_dir / deck.name / 'index.html')}: "
            f"{deck.slide_count} slides, last number {deck.last_number}")
    say(f"ran {len(report.ran)} snippet(s); {report.seconds:.2f} s")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="remarkdeck", description="Build Remark.js lecture decks whose code runs.")
    parser.add_argument("--version", action="version", version=f"remarkdeck {__version__}")
    parser.add_argument("--root", type=Path, default=None, help="the lecture project folder (default: found from here)")
    commands = parser.add_subparsers(title="commands")

    build = commands.add_parser("build", help="build slides/<deck>.md into build/<deck>/index.html")
    build.add_argument("decks", nargs="*", metavar="DECK", help="deck names (default: every deck)")
    build.add_argument("--force", action="store_true", help="re-run every snippet whose output is shown")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.set_defaults(command=_build)
    return parser
