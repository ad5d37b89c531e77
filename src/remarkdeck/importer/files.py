"""The imported deck's files, written into a staging folder and moved into place only once all
are written: an import never leaves half a deck and never overwrites one."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import HIGHLIGHT_STYLES, LANGUAGE_TAG
from ..errors import DeckImportError, Location
from ..project import Project
from .code import CLASS_WRAPPER, HEADING
from .lexer import RemarkSlide
from .media import placeholder_svg
from .source import DeckSource

# Remark 0.14's own defaults (src/remark/models/slideshow.js), for a deck read from Markdown alone
REMARK_DEFAULTS = {"ratio": "4:3", "highlightStyle": "default", "slideNumberFormat": "%current% / %total%",
                   "countIncrementalSlides": True}


@dataclass
class DeckFiles:
    deck: str
    deck_text: str = ""
    report_text: str = ""
    snippets: dict[str, str] = field(default_factory=dict)  # file name -> text
    copies: dict[str, Path] = field(default_factory=dict)  # project path -> file to copy
    placeholders: dict[str, str] = field(default_factory=dict)  # project path -> label
    macros: dict[str, str] = field(default_factory=dict)  # name -> definition
    macro_stand_ins: str = ""  # stand-in definitions of macros nothing brought defines
    styles: str = ""  # the page's own CSS

    def targets(self) -> list[str]:
        """The project paths the import creates (folders as ``name/``)."""
        paths = [f"slides/{self.deck}.md", f"slides/{self.deck}.import-report.txt"]
        if self.snippets:
            paths.append(f"snippets/{self.deck}/")
        if self.copies or self.placeholders:
            paths.append(f"img/{self.deck}/")
        if self.macros or self.macro_stand_ins:
            paths.append(f"templates/macros/{self.deck}.js")
        if self.styles:
            paths.append(f"templates/styles/{self.deck}.css")
        return paths


def existing_paths(project: Project, deck: str) -> list[Path]:
    every = DeckFiles(deck, snippets={"-": ""}, copies={"-": Path()}, macros={"-": ""}, styles="-").targets()
    return [project.root / path.rstrip("/") for path in every if (project.root / path.rstrip("/")).exists()]


def refuse_existing(project: Project, deck: str) -> None:
    if existing := existing_paths(project, deck):
        shown = ", ".join(project.relative(path) for path in existing)
        raise DeckImportError(
            f"a deck named '{deck}' already exists ({shown}): import it under another name with "
            f"--name, or remove those files first; nothing was written", Location(existing[0]))


def front_matter(source: DeckSource, slides: list[RemarkSlide], markdown: str,
                 math_macros: dict[str, str]) -> tuple[str, list[str]]:
    """The deck's settings as front matter: the page's title and remark.create options (Remark's
    defaults for a Markdown file read alone), the TeX macros of its formulas, and notes on what
    could not be kept."""
    notes: list[str] = []
    options = dict(REMARK_DEFAULTS)
    if source.page is None:
        notes.append("read from a Markdown file alone: Remark's default settings written to the front matter "
                     "(ratio 4:3, ...); edit them to match the page that showed the deck")
    options.update({k: v for k, v in source.options.items() if v is not None})
    title = source.title or _first_heading(markdown, slides)
    values = {"title": title}
    if source.author:
        values["author"] = source.author
    if source.language:
        if re.fullmatch(LANGUAGE_TAG, source.language):
            values["language"] = source.language
        else:
            notes.append(f"the page's language '{source.language}' is not a language tag: 'en' used instead")
    values["ratio"] = str(options["ratio"])
    style = options["highlightStyle"]
    if style in HIGHLIGHT_STYLES:
        values["highlight_style"] = style
    else:
        notes.append(f"highlight style '{style}' is not one Remark bundles: 'github' used instead")
    number_format = options["slideNumberFormat"]
    if isinstance(number_format, str) and number_format != "[function]":
        values["slide_number_format"] = number_format
    else:
        notes.append("the page numbered slides with a function, which is not kept: default numbering used")
    values["count_incremental_slides"] = options["countIncrementalSlides"] is not False
    lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    if math_macros:
        notes.append(f"TeX macros ({', '.join(math_macros)}) written to the front matter's [math] macros")
        lines += ["", "[math.macros]"]
        lines += [f"{json.dumps(name)} = {json.dumps(definition, ensure_ascii=False)}" for name, definition in math_macros.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n", notes


def _first_heading(markdown: str, slides: list[RemarkSlide]) -> str:
    for slide in slides:
        if slide.shown and (heading := HEADING.search(markdown, slide.start, slide.end)):
            return re.sub(r"\s+", " ", CLASS_WRAPPER.sub("", heading.group(1))).strip()
    return ""


def write_deck_files(project: Project, files: DeckFiles) -> None:
    """Write everything aside, then move each piece into place; on any failure remove what moved."""
    refuse_existing(project, files.deck)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{files.deck}-", dir=project.root))
    moved: list[Path] = []
    try:
        _write_staging(staging, files)
        for target in files.targets():
            live = project.root / target.rstrip("/")
            live.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / target.rstrip("/"), live)
            moved.append(live)
    except BaseException:
        for path in moved:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_staging(staging: Path, files: DeckFiles) -> None:
    def write(relative: str, text: str) -> None:
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write(f"slides/{files.deck}.md", files.deck_text)
    write(f"slides/{files.deck}.import-report.txt", files.report_text)
    for name, text in files.snippets.items():
        write(f"snippets/{files.deck}/{name}", text)
    for target, label in files.placeholders.items():
        write(target, placeholder_svg(label))
    for target, original in files.copies.items():
        (staging / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, staging / target)
    if files.macros or files.macro_stand_ins:
        write(f"templates/macros/{files.deck}.js", _macros_script(files))
    if files.styles:
        header = "/* CSS of this deck, copied from the page it was imported from; the build puts it after the theme */\n"
        write(f"templates/styles/{files.deck}.css", header + files.styles)


def _macros_script(files: DeckFiles) -> str:
    parts = []
    if files.macros:
        header = "// Remark macros of this deck, copied from the page it was imported from\n"
        code = dict.fromkeys(files.macros.values())  # macros of one script share its code: once
        parts.append(header + "\n".join(code) + "\n")
    if files.macro_stand_ins:
        parts.append(files.macro_stand_ins)
    return "\n".join(parts)
