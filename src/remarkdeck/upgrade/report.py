"""What ``remarkdeck upgrade`` prints: every change as a unified diff headed by its
``path:line (slide N)``, grouped as kept, given back, pasted outputs refreshed, and the commas
Python asked for (to check), then what passes now."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..config import load_deck_source
from ..errors import DeckError
from ..project import Project
from ..slides import number_at, split_slides
from ..snippets.files import slides_using
from .run import Change, DeckUpgrade

SECTIONS = (
    ("kept", "Rewritten (the snippet then runs, or no longer fails with the error the rule addresses)"),
    ("output", "Pasted outputs replaced by what the code prints now"),
    ("reverted", "Tried and given back"),
    ("syntax", "Syntax fixed as Python suggests: check these"),
)


@dataclass
class UpgradeReport:
    project: Project
    decks: list[DeckUpgrade]
    dry_run: bool

    def text(self) -> str:
        out = []
        for kind, title in SECTIONS:
            changes = [(deck, change) for deck in self.decks for change in deck.changes if change.kind == kind]
            if changes:
                out += [f"== {title} ==", ""]
                for deck, change in changes:
                    out += self.change_text(deck.deck, change) + [""]
        out += self.summary()
        return "\n".join(out) + "\n"

    def change_text(self, deck: str, change: Change) -> list[str]:
        relative = self.project.relative(change.path)
        lines = [f"{relative}:{first_changed_line(change.before, change.after)} ({self.slides(deck, change.path.stem)})"]
        for rule in change.rules:
            lines.append(f"  {rule.id} ({rule.release}): {rule.what}")
            if rule.note and change.kind == "kept":
                lines.append(f"    check: {rule.note}")
        if change.reason:
            lines.append(f"  {change.reason}")
        diff = difflib.unified_diff(change.before.split("\n"), change.after.split("\n"),
                                    f"a/{relative}", f"b/{relative}", lineterm="", n=1)
        return lines + list(diff)

    def slides(self, deck: str, name: str) -> str:
        """'slide 3', 'slides 3, 7', or 'on no slide': the numbers Remark prints."""
        path = self.project.slides_dir / f"{deck}.md"
        places = slides_using(path, name)
        try:
            config, body = load_deck_source(path)
            slides = split_slides(body)
        except (DeckError, OSError):
            return ", ".join(str(place) for place in places) or "on no slide"
        numbers = [str(number_at(slides, place.line, config.count_incremental_slides)) for place in places]
        numbers = list(dict.fromkeys(n for n in numbers if n != "None"))
        if not numbers:
            return "on no slide"
        return f"slide{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"

    def summary(self) -> list[str]:
        out = []
        for deck in self.decks:
            total = len(deck.outcomes)
            before = sum(o.passed_before for o in deck.outcomes)
            after = sum(o.passed_after for o in deck.outcomes)
            written = len({c.path for c in deck.changes if c.kind != "reverted"})
            verb = "would change" if self.dry_run else "changed"
            out.append(f"{deck.deck}: {after} of {total} snippets run now ({before} before their upgrade); "
                       f"{verb} {written} file(s)")
            for outcome in deck.outcomes:
                if not outcome.passed_after and not deck.known:
                    out.append(f"  still failing: {deck.deck}/{outcome.name}: {outcome.failure}")
            if deck.skipped:
                out.append(f"  not rewritten (sessions): {', '.join(deck.skipped)}")
            if deck.known:
                out += [f"  {line}" for line in deck.known.lines()]
        if self.dry_run:
            out.append("dry run: nothing was written")
        return out


def first_changed_line(before: str, after: str) -> int:
    matcher = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"), autojunk=False)
    for tag, i1, _, _, _ in matcher.get_opcodes():
        if tag != "equal":
            return i1 + 1
    return 1
