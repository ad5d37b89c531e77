"""The import report: per slide, what the import did and what the lecturer should check; kept
beside the deck as ``slides/<deck>.import-report.txt``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class SlideEntry:
    number: int | None  # Remark's slide number in the URL (#N); None for a slide not shown
    line: int  # its first line in the imported deck's source file
    notes: list[str] = field(default_factory=list)

    def heading(self) -> str:
        shown = f"slide {self.number}" if self.number else "slide not shown (exclude/layout)"
        return f"{shown} (line {self.line})"


@dataclass
class ImportReport:
    deck: str
    source: str
    slides: list[SlideEntry]
    written: list[str] = field(default_factory=list)  # project paths written
    code_blocks: int = 0
    snippets: dict[str, int] = field(default_factory=dict)  # kind -> count
    pasted_outputs: int = 0
    pictures_copied: int = 0
    pictures_replaced: int = 0
    formulas_translated: int = 0
    formulas_failing: int = 0
    deck_notes: list[str] = field(default_factory=list)
    text_changes: list[tuple[str, str]] = field(default_factory=list)  # (as shown before, as shown now)
    undefined_names: dict[str, list[str]] = field(default_factory=dict)
    missing_packages: dict[str, list[str]] = field(default_factory=dict)
    imports: dict[str, tuple[int, str]] = field(default_factory=dict)  # import -> (slide, snippet file) first using it
    packages: list[str] = field(default_factory=list)  # what was declared and locked for the imports, or not
    diffs: list[str] = field(default_factory=list)  # of the project files the import changes besides the deck's
    stand_ins: list[str] = field(default_factory=list)  # what the import could not bring, standing in
    seconds: float = 0.0  # all of it
    run_seconds: float = 0.0  # of which installing the packages and running the snippets
    dry_run: bool = False  # nothing written
    shown_slides: int = 0
    known_failures: list[str] = field(default_factory=list)  # lines: the snippets that fail, by reason
    assumed_imports: list[str] = field(default_factory=list)  # names the prelude now imports
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # (slide index, message, text near it)

    def note(self, slide_index: int, message: str) -> None:
        if message not in self.slides[slide_index].notes:
            self.slides[slide_index].notes.append(message)

    def warn(self, slide_index: int, message: str, near: str = "") -> None:
        """A note that is also a problem for the lecturer to fix (a warning; an error under --strict);
        ``near``: source text on the slide that the warning is about, to point at its line."""
        self.note(slide_index, message)
        if (slide_index, message, near) not in self.warnings:
            self.warnings.append((slide_index, message, near))

    def text(self) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.snippets.items()))
        lines = [
            f"Imported {self.source} as deck '{self.deck}' in {self.seconds:.2f} s"
            + (f" ({self.run_seconds:.2f} s of it installing packages and running the snippets)" if self.run_seconds else ""),
            f"  {self.shown_slides} slides shown ({len(self.slides)} in the source)",
            f"  {self.code_blocks} code blocks -> {sum(self.snippets.values())} snippets ({kinds or 'none'}); "
            f"{self.pasted_outputs} pasted outputs paired with their code",
            f"  pictures and media: {self.pictures_copied} copied, {self.pictures_replaced} replaced by placeholders",
            f"  formulas: {self.formulas_translated} translated for KaTeX, {self.formulas_failing} still rejected",
        ]
        if self.assumed_imports:
            lines.append(f"  imports the slides assume, written into snippets/{self.deck}/prelude.py (never shown, "
                         f"each checked by running it): {', '.join(self.assumed_imports)}")
        names = sorted({name for found in self.undefined_names.values() for name in found} - set(self.assumed_imports))
        if names:
            lines.append(f"  names no snippet defines: {', '.join(names)}: define them in "
                         f"snippets/{self.deck}/prelude.py")
        if self.stand_ins:
            lines.append(f"  stand-ins for what the import could not bring: {', '.join(self.stand_ins)}: replace "
                         "each with the real definition (see the slides below)")
        lines += [f"  {line}" for line in self.packages]
        lines += [f"  {line}" for line in self.known_failures]
        lines += [f"  {note}" for note in self.deck_notes]
        lines.append("")
        for entry in self.slides:
            if entry.notes:
                lines.append(entry.heading())
                lines += [f"  - {note}" for note in entry.notes]
        lines += ["", ("Would write (dry run): " if self.dry_run else "Written: ") + ", ".join(self.written),
                  f"Next: `remarkdeck build {self.deck}`, then `make test` runs every snippet of the deck "
                  "and names the slides of those that fail."]
        return "\n".join(lines) + "\n"


def count_by(items, key) -> dict:
    counts: dict = defaultdict(int)
    for item in items:
        counts[key(item)] += 1
    return dict(counts)
