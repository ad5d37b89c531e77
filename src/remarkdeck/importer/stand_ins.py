"""Stand-ins for what a deck uses but the import cannot bring: a Remark macro that a script the deck
did not come with defined (its theme's JavaScript from the web, a file not there) becomes a stand-in
definition in ``templates/macros/<deck>.js``; a TeX macro no one defines, a stand-in in the front
matter's ``[math.macros]``. The deck builds, shows what the stand-in can show, and the report
names each stand-in for the lecturer to replace."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..macros import BUILTIN_FILE, PROJECT_FILE, defined_names
from ..project import Project
from .lexer import RemarkSlide
from .source import DeckSource

# What a stand-in macro shows: the picture its URL names, sized by a width among its arguments as
# the Remark wiki's `scale` macro does, its arguments as the picture's alt text; a link for another
# URL; else its arguments as text.
STAND_IN_HELPER = r"""// Stand-ins written by `remarkdeck import` for macros the page took from a script that did not
// come with the deck. Each shows the picture its URL names (its arguments as the alt text, a width
// among them as the picture's width), a link for another URL, else its arguments as text: replace
// each with the real definition.
function remarkdeckStandIn(name, value, args) {
  var escape = function (text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  };
  var url = (typeof value === "string" || value instanceof String) ? String(value) : "";
  var words = args.map(function (arg) { return String(arg).trim(); }).filter(Boolean);
  var isWidth = function (word) { return /^\d+(\.\d+)?(%|px|em|rem|vw|vh|cm|mm|in|pt)$/.test(word); };
  var width = words.filter(isWidth)[0];
  if (/\.(png|jpe?g|gif|svg|webp|bmp|avif)([?#].*)?$/i.test(url)) {
    var alt = words.filter(function (word) { return !isWidth(word); }).join(" ") || name;
    return '<img src="' + escape(url) + '" alt="' + escape(alt) + '"' +
      (width ? ' style="width: ' + width + '"' : "") + " />";
  }
  if (url) {
    return '<a href="' + escape(url) + '">' + (words.join(" ") || escape(url)) + "</a>";
  }
  return words.join(" ");
}
"""


@dataclass
class MacroStandIns:
    """The stand-in definitions (``script``), and for each macro the slides that use it."""

    script: str = ""
    uses: dict[str, list[int]] = field(default_factory=dict)  # macro name -> slide indexes, in order


def stand_in_macros(project: Project, source: DeckSource, slides: list[RemarkSlide]) -> MacroStandIns:
    """A stand-in for each macro the slides use that neither the page's scripts, nor the build's
    built-in macros, nor the project's ``templates/macros.js`` define."""
    defined = set(source.macros) | set(_project_macros(project))
    stand_ins = MacroStandIns()
    for slide in slides:
        for token in slide.macros():
            if token.name not in defined:
                stand_ins.uses.setdefault(token.name, []).append(slide.index)
    if stand_ins.uses:
        definitions = [f"remark.macros[{json.dumps(name)}] = function () {{\n"
                       f"  return remarkdeckStandIn({json.dumps(name)}, this, Array.prototype.slice.call(arguments));\n"
                       "};\n" for name in stand_ins.uses]
        stand_ins.script = STAND_IN_HELPER + "\n" + "\n".join(definitions)
    return stand_ins


def _project_macros(project: Project) -> list[str]:
    files = [BUILTIN_FILE, project.templates_dir / PROJECT_FILE]
    return [name for path in files if path.is_file() for name in defined_names(path.read_text(encoding="utf-8"))]


def where_macros_came_from(source: DeckSource) -> str:
    """For the report: the scripts a macro the page used may have come from."""
    if source.page is None:
        return "read from a Markdown file alone: the scripts of the page that showed it were not read"
    if not source.unread_scripts:
        return "no script of the page defines it"
    return f"the page took it from a script not brought along ({', '.join(source.unread_scripts)})"


def tex_stand_in(name: str) -> str:
    """What MathJax showed for a TeX macro nobody defined (its noUndefined extension, loaded by the
    usual configurations): the macro's name in red."""
    return r"{\color{red}\text{\textbackslash " + name.lstrip("\\") + "}}"
