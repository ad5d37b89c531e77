"""A snippet's text rewritten by the rules: the new text, and each place (site) a rule changed,
with its line before and after, so that a site the new run blames can be given back alone.

Rules read the code through its syntax tree (``ast``): a name in a string or a comment is never
touched, ``np`` is known as ``numpy`` from the imports, and what is not changed keeps its spacing
and comments. Each kind of rule (see ``rules.py``) has one function here that lists its sites.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import io
import re
import tokenize
from dataclasses import dataclass, field

from ..snippets.files import HEADER
from .names import Scope, chain, matches
from .rules import Rule, expand, expand_callables


class TemplateError(ValueError):
    """A ``call`` rule's template is not a call with placeholders."""


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets in the text
    end: int
    text: str


@dataclass
class SiteEdit:
    """What one rule changes at one place: edits, and imports the new code needs."""

    line: int
    edits: list[Edit]
    imports: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Site:
    rule: Rule
    origin: int  # line in the snippet as it was
    line: int  # first line of what it became in the rewritten snippet
    last: int = 0  # and its last line

    def covers(self, line: int) -> bool:
        return self.line <= line <= max(self.last, self.line)


@dataclass
class Rewrite:
    text: str
    sites: list[Site]


@dataclass
class Context:
    """What a rule may need besides the snippet: the code that runs before it (its prelude and
    requirements, for the names they import) and the words of the deck's other snippets (a name
    they use is not renamed)."""

    earlier: list[str] = field(default_factory=list)
    elsewhere: set[str] = field(default_factory=set)


# -- applying rules ---------------------------------------------------------------------------------

def apply_rules(text: str, rules: list[Rule], context: Context | None = None,
                skip: set[tuple[str, int]] = frozenset()) -> Rewrite:
    """``text`` rewritten by each rule in turn; ``skip`` holds (rule id, original line) sites to leave."""
    context = context or Context()
    steps: list[tuple[list[str], list[str]]] = []
    found: list[tuple[Rule, int, tuple[int, int]]] = []  # rule, step, lines in that step's output
    current = text
    for rule in rules:
        for _ in range(PASSES):  # a call inside a rewritten call is rewritten on the next pass
            new, lines = apply_rule(rule, current, context,
                                    lambda line: (rule.id, _through(steps, line, backward=True)) in skip)
            if new == current:
                break
            steps.append((current.split("\n"), new.split("\n")))
            found += [(rule, len(steps), span) for span in lines]
            current = new
    sites = []
    for rule, step, (first, last) in found:
        origin = _through(steps[:step], first, backward=True)
        sites.append(Site(rule, origin, _through(steps[step:], first), _through(steps[step:], last)))
    return Rewrite(current, sites)


PASSES = 3


def apply_rule(rule: Rule, text: str, context: Context,
               skipped=lambda line: False) -> tuple[str, list[tuple[int, int]]]:
    """``text`` rewritten by one pass of one rule, and the first and last lines (in the new text) of
    what each of its sites became."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text, []
    source = Source(text)
    scope = Scope.of(*context.earlier, text)
    sites = [site for site in KIND_SITES[rule.kind](rule, tree, source, scope, context) if not skipped(site.line)]
    sites = _without_overlaps(sites)
    if not sites:
        return text, []
    edits = [edit for site in sites for edit in site.edits]
    new = source.apply(edits)
    spans = [_new_lines(site, edits, Source(new)) for site in sites]
    new, at, added = add_imports(new, [imp for site in sites for imp in site.imports])
    return new, sorted({(first + added * (first > at), last + added * (last > at)) for first, last in spans})


def _new_lines(site: SiteEdit, edits: list[Edit], new: Source) -> tuple[int, int]:
    """The first and last lines of what ``site`` became, in the text all ``edits`` made."""
    def moved(offset: int) -> int:
        return offset + sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset and e.start < offset)

    first = min(site.edits, key=lambda e: e.start)
    last = max(site.edits, key=lambda e: e.end)
    start = moved(first.start)
    end = moved(last.start) + len(last.text)
    return new.line_of(start), new.line_of(max(end - 1, start))


def _without_overlaps(sites: list[SiteEdit]) -> list[SiteEdit]:
    """The sites whose edits touch no earlier site's (an outer call before the calls inside it)."""
    taken: list[tuple[int, int]] = []
    kept = []
    for site in sorted(sites, key=lambda s: min((e.start for e in s.edits), default=0)):
        spans = [(edit.start, edit.end) for edit in site.edits]
        if any(a < d and c < b for a, b in spans for c, d in taken):
            continue
        taken += spans
        kept.append(site)
    return kept


# -- source positions and line maps ---------------------------------------------------------------

class Source:
    """A text with its syntax tree's positions (lines, UTF-8 columns) as character offsets."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line: int, column: int) -> int:
        """Character offset of (1-based line, UTF-8 byte column)."""
        raw = self.lines[line - 1].encode("utf-8")[:column]
        return self.starts[line - 1] + len(raw.decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def line_of(self, offset: int) -> int:
        return next(number for number in range(1, len(self.starts)) if self.starts[number] > offset)

    def apply(self, edits: list[Edit]) -> str:
        text = self.text
        for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[:edit.start] + edit.text + text[edit.end:]
        return text


def _map_line(before: list[str], after: list[str], line: int, backward: bool = False) -> int:
    """Where line ``line`` of ``before`` is in ``after`` (or the reverse)."""
    if backward:
        before, after = after, before
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= line - 1 < i2 or (tag == "insert" and i1 == line - 1):
            if tag == "equal":
                return j1 + (line - 1 - i1) + 1
            return j1 + min(line - 1 - i1, max(j2 - j1 - 1, 0)) + 1
    return min(line, len(after))


def _through(steps: list[tuple[list[str], list[str]]], line: int, backward: bool = False) -> int:
    for before, after in (reversed(steps) if backward else steps):
        line = _map_line(before, after, line, backward)
    return line


def add_imports(text: str, imports: list[str]) -> tuple[str, int, int]:
    """``imports`` not already made, inserted after the snippet's leading imports (or its header):
    the new text, the line they follow, and how many were added."""
    wanted = [imp for imp in dict.fromkeys(imports) if imp not in text.split("\n")]
    if not wanted:
        return text, 0, 0
    lines = text.split("\n")
    tree = ast.parse(text)
    after = 0
    for statement in tree.body:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            break
        after = statement.end_lineno
    if not after:
        while after < len(lines) and HEADER.match(lines[after]):
            after += 1
    return "\n".join(lines[:after] + wanted + lines[after:]), after, len(wanted)


# -- rename: a dotted name moved, or an attribute renamed -------------------------------------------

def rename_sites(rule: Rule, tree: ast.Module, source: Source, scope: Scope, context: Context) -> list[SiteEdit]:
    pairs = rule.pairs
    sites = []
    renamed: dict[str, str] = {}  # bindings renamed by an import this rule rewrote
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            site = _rename_import(node, pairs, source, scope, context, renamed)
            if site:
                sites.append(site)
    for node in _maximal_chains(tree):
        site = _rename_chain(node, pairs, source, scope, renamed)
        if site:
            sites.append(site)
    return sites


def _maximal_chains(tree: ast.AST):
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)) and id(node) not in inner:
            yield node


def _rename_chain(node, pairs, source: Source, scope: Scope, renamed: dict[str, str]) -> SiteEdit | None:
    root = node
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root.id in renamed:
        return SiteEdit(root.lineno, [Edit(*source.span(root), renamed[root.id])])
    if isinstance(node, ast.Name):
        return None
    for old, new in pairs:
        if old.startswith("."):
            if node.attr == old[1:]:
                end = source.offset(node.end_lineno, node.end_col_offset)
                return SiteEdit(node.end_lineno, [Edit(end - len(node.attr), end, new[1:])])
            continue
        path = scope.resolve(node)
        parts = chain(node)
        if not path or not matches(path, old) or matches(scope.bindings[parts[0]], old):
            continue
        text, imports = _name_new(new, path[len(old):], parts[0], scope)
        if text is None:
            continue
        return SiteEdit(node.lineno, [Edit(*source.span(node), text)], imports)
    return None


EXPRESSION = re.compile(r"(?P<sign>-?)(?P<path>[A-Za-z_][\w.]*)")


def _name_new(new: str, rest: str, root: str, scope: Scope) -> tuple[str | None, list[str]]:
    """Text for ``new`` + ``rest`` in this scope: through the code's own root when it leads there,
    else through whatever names it here (an import added when nothing does)."""
    found = EXPRESSION.fullmatch(new)
    if not found:  # a literal (0.0): only for the name itself
        return (new, []) if not rest else (None, [])
    path = found["path"] + rest
    bound = scope.bindings.get(root, "")
    if path == bound or path.startswith(bound + "."):
        return found["sign"] + root + path[len(bound):], []
    text, imp = scope.reference(path, module_style=True)
    return found["sign"] + text, [imp] if imp else []


def _rename_import(node, pairs, source: Source, scope: Scope, context: Context,
                   renamed: dict[str, str]) -> SiteEdit | None:
    """An import of a moved name, written as the import of its new place; the name it binds stays,
    or is renamed in this snippet when no other snippet of the deck uses it."""
    written = []
    changed = False
    module = node.module if isinstance(node, ast.ImportFrom) else None
    if isinstance(node, ast.ImportFrom) and node.level:
        return None
    for alias in node.names:
        full = f"{module}.{alias.name}" if module else alias.name
        pair = next(((old, new) for old, new in pairs if not old.startswith(".") and matches(full, old)), None)
        if pair is None or alias.name == "*" or not EXPRESSION.fullmatch(pair[1]) or pair[1].startswith("-"):
            written.append(_import_text(module, alias.name, alias.asname))
            continue
        new_full = pair[1] + full[len(pair[0]):]
        if "." not in new_full and hasattr(builtins, new_full):
            written.append(_import_text(module, alias.name, alias.asname))
            continue
        changed = True
        if module is None:  # import a.b.c [as x]
            written.append(_import_text(None, new_full, alias.asname))
            continue
        if matches(module, pair[0]) and module != full:  # the module moved, the name stays
            written.append(_import_text(pair[1] + module[len(pair[0]):], alias.name, alias.asname))
            continue
        new_module, _, new_name = new_full.rpartition(".")
        binding = alias.asname or alias.name
        if not alias.asname and binding not in context.elsewhere and new_name not in scope.bindings:
            renamed[binding] = new_name
            binding = new_name
        written.append(_import_text(new_module or None, new_name, None if binding == new_name else binding))
    if not changed:
        return None
    start, end = source.span(node)
    indent = source.lines[node.lineno - 1][:node.col_offset]
    return SiteEdit(node.lineno, [Edit(start, end, f"\n{indent}".join(_merge_from_imports(written)))])


def _import_text(module: str | None, name: str, asname: str | None) -> str:
    alias = f" as {asname}" if asname and asname != name else ""
    return f"from {module} import {name}{alias}" if module else f"import {name}{alias}"


def _merge_from_imports(statements: list[str]) -> list[str]:
    """Consecutive ``from M import a`` and ``from M import b`` as ``from M import a, b``."""
    merged: list[str] = []
    for statement in statements:
        head, _, names = statement.partition(" import ")
        if merged and head.startswith("from ") and merged[-1].startswith(head + " import "):
            merged[-1] += ", " + names
        else:
            merged.append(statement)
    return merged


# -- keyword: keyword arguments renamed ---------------------------------------------------------------

def keyword_sites(rule: Rule, tree: ast.Module, source: Source, scope: Scope, context: Context) -> list[SiteEdit]:
    callables = expand_callables(rule.fields["callables"])
    renames: dict = rule.fields["keywords"]
    values: dict = rule.fields.get("values", {})
    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not calls_one_of(node, callables, scope):
            continue
        present = {keyword.arg for keyword in node.keywords}
        for keyword in node.keywords:
            new = renames.get(keyword.arg)
            if new is None or (new != keyword.arg and new in present):
                continue
            start = source.offset(keyword.lineno, keyword.col_offset)
            edits = [Edit(start, start + len(keyword.arg), new)] if new != keyword.arg else []
            table = values.get(keyword.arg, {})  # a keyword kept as it is (max_features = "max_features"): values only
            value = keyword.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value in table:
                edits.append(Edit(*source.span(value), _string_like(table[value.value], source.segment(value))))
            if edits:
                sites.append(SiteEdit(keyword.lineno, edits))
    return sites


def _string_like(text: str, written: str) -> str:
    """``text`` as a string literal quoted as ``written`` is."""
    quote = written[:1]
    return f"{quote}{text}{quote}" if quote in ("'", '"') and quote not in text and "\\" not in text else repr(text)


def calls_one_of(call: ast.Call, callables: list[str], scope: Scope) -> bool:
    """Whether a call's function is one of ``callables``: dotted paths (compared with what the
    function resolves to, or by last name when it does not resolve) or ``.method`` names."""
    function = call.func
    path = scope.resolve(function)
    last = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    for name in callables:
        if name.startswith("."):
            if isinstance(function, ast.Attribute) and function.attr == name[1:]:
                return True
        elif path is not None:
            if path == name:
                return True
        elif last == name.rsplit(".", 1)[-1]:
            return True
    return False


# -- call: a call template rewritten as another -------------------------------------------------------

class CallTemplate:
    """``match``: a call whose arguments are placeholder names (``*rest`` and ``**rest`` take what
    is left, ``key=False`` must be written so); ``replace``: an expression using them. The function
    of ``match`` is matched by its last name; ``receiver.method(...)`` binds the receiver too."""

    def __init__(self, match: str, replace: str, where: dict | None = None):
        try:
            call = ast.parse(match, mode="eval").body
            ast.parse(replace, mode="eval")
        except SyntaxError as error:
            raise TemplateError(f"a call template is not a Python expression: {error.msg}") from None
        if not isinstance(call, ast.Call):
            raise TemplateError(f"'match' must be a call, like Conv2D(filters, size), not {match!r}")
        function = call.func
        if isinstance(function, ast.Name):
            self.name, self.receiver = function.id, None
        elif isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            self.name, self.receiver = function.attr, function.value.id
        else:
            raise TemplateError(f"'match' must call a name or receiver.method, not {ast.unparse(function)!r}")
        self.positional, self.star = [], None
        for arg in call.args:
            if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name):
                self.star = arg.value.id
            elif isinstance(arg, ast.Name):
                self.positional.append(arg.id)
            else:
                raise TemplateError(f"a positional argument of 'match' must be a name, not {ast.unparse(arg)!r}")
        self.keywords: dict[str, ast.expr] = {}
        self.double_star = None
        for keyword in call.keywords:
            if keyword.arg is None:
                self.double_star = keyword.value.id
            elif isinstance(keyword.value, (ast.Name, ast.Constant)):
                self.keywords[keyword.arg] = keyword.value
            else:
                raise TemplateError(f"keyword '{keyword.arg}' of 'match' must be a name or a constant")
        self.where = where or {}
        self.replace = replace
        names = [*self.positional, *(v.id for v in self.keywords.values() if isinstance(v, ast.Name))]
        self.placeholders = set(names) | {self.star, self.double_star, self.receiver} - {None}
        unknown = set(self.where) - self.placeholders
        if unknown:
            raise TemplateError(f"'where' names {', '.join(sorted(unknown))}, which 'match' does not")

    def bind(self, call: ast.Call, source: Source) -> dict[str, tuple[str, ast.AST | None]] | None:
        """Placeholder -> (source text, node) when ``call`` fits the template."""
        function = call.func
        last = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        if last != self.name or any(isinstance(arg, ast.Starred) for arg in call.args):
            return None
        if self.receiver and not isinstance(function, ast.Attribute):
            return None
        count = len(self.positional)
        if len(call.args) < count or (len(call.args) > count and not self.star):
            return None
        bound: dict[str, tuple[str, ast.AST | None]] = {}
        if self.receiver:
            bound[self.receiver] = (source.segment(function.value), function.value)
        for name, arg in zip(self.positional, call.args):
            bound[name] = (source.segment(arg), arg)
        if self.star:
            bound[self.star] = (_joined(call.args[count:], source), _separator(call, call.args[count:], source))
        given = {keyword.arg: keyword for keyword in call.keywords}
        for key, value in self.keywords.items():
            if key not in given:
                return None
            actual = given[key].value
            if isinstance(value, ast.Constant):
                if not (isinstance(actual, ast.Constant) and actual.value == value.value):
                    return None
            else:
                bound[value.id] = (source.segment(actual), actual)
        rest = [keyword for keyword in call.keywords if keyword.arg not in self.keywords]
        if rest and not self.double_star:
            return None
        if self.double_star:
            bound[self.double_star] = (_joined(rest, source), _separator(call, rest, source))
        for name, kind in self.where.items():
            if not _is_literal(bound[name][1], kind):
                return None
        return bound

    def render(self, bound: dict, callee: ast.expr, source: Source, scope: Scope) -> tuple[str, list[str]]:
        """The replacement text, and the imports it needs. An empty ``*rest`` or ``**rest`` goes
        with its comma."""
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(self.replace).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.NL)]
        pieces, imports = [], []
        index, at = 0, 0
        while index < len(tokens):
            token = tokens[index]
            pieces.append(self.replace[at:token.start[1]])
            following = tokens[index + 1].string if index + 1 < len(tokens) else ""
            previous = tokens[index - 1].string if index else ""
            if token.string in ("*", "**") and following in self.placeholders and not bound[following][0]:
                pieces.append("\0")  # nothing left: the placeholder goes, with its comma
                index += 1
            elif token.type != tokenize.NAME or previous == "." or following == "=":
                pieces.append(token.string)
            elif token.string in self.placeholders:
                text, node = bound[token.string]
                if isinstance(node, str):  # what is left of the call, after the separator it had there
                    joined = "".join(pieces).rstrip()
                    if previous in ("*", "**"):
                        joined = joined.removesuffix(previous).rstrip()
                    if joined.endswith(","):
                        joined = joined[:-1] + (node if node.lstrip().startswith(",") else ", ")
                    pieces = [joined]
                elif node is not None and following in (".", "[", "(") and not _is_atom(node):
                    text = f"({text})"
                pieces.append(text)
            elif following == "." or (index == 0 and following == "("):
                dotted, last = _dotted_at(tokens, index)
                text, imp = self._name(dotted, index == 0 and following == "(", callee, scope, source)
                pieces.append(text)
                imports += [imp] if imp else []
                index = last
            else:
                pieces.append(token.string)
            at = tokens[index].end[1]
            index += 1
        text = "".join(pieces)
        text = re.sub(r",\s*\0", "", text)
        return re.sub(r"\0\s*,?\s*", "", text), imports

    def _name(self, dotted: str, is_callee: bool, callee: ast.expr, scope: Scope, source: Source):
        """A name of ``replace``: the call's own function, kept as the code wrote it or renamed under
        the same prefix, or a module path, under the name the code imports it as."""
        if not is_callee or "." in dotted or self.receiver:
            own = scope.resolve(callee) or ""
            if dotted.startswith("keras.") and own.startswith("tensorflow.keras."):
                dotted = "tensorflow." + dotted  # the Keras the call's own function comes from
            text, imp = scope.reference(dotted, module_style=True)
            return text, imp
        written = source.segment(callee)
        if dotted == self.name:
            return written, None
        path = scope.resolve(callee)
        if path and "." in path and isinstance(callee, ast.Name):  # imported by name: import the new one so
            return scope.reference(path.rsplit(".", 1)[0] + "." + dotted)
        if path and "." in path:
            root = chain(callee)[0]
            text, imports = _name_new(path.rsplit(".", 1)[0] + "." + dotted, "", root, scope)
            return text, imports[0] if imports else None
        return written[: len(written) - len(self.name)] + dotted if written.endswith(self.name) else dotted, None


def _dotted_at(tokens, index: int) -> tuple[str, int]:
    parts = [tokens[index].string]
    while index + 2 < len(tokens) and tokens[index + 1].string == "." and tokens[index + 2].type == tokenize.NAME:
        parts.append(tokens[index + 2].string)
        index += 2
    return ".".join(parts), index


def _joined(nodes: list[ast.AST], source: Source) -> str:
    if not nodes:
        return ""
    first, last = source.span(nodes[0])[0], source.span(nodes[-1])[1]
    return source.text[first:last]


def _separator(call: ast.Call, rest: list[ast.AST], source: Source) -> str:
    """The text between what comes before ``rest`` in the call and ``rest`` (``",\n    "``)."""
    if not rest:
        return ""
    items = sorted([*call.args, *call.keywords], key=lambda node: (node.lineno, node.col_offset))
    index = next(i for i, item in enumerate(items) if item is rest[0])
    if not index:
        return ""
    return source.text[source.span(items[index - 1])[1]:source.span(rest[0])[0]]


def _is_atom(node: ast.AST) -> bool:
    return isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List, ast.Tuple,
                             ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp))


LITERALS = {"int": int, "str": str, "number": (int, float)}


def _is_literal(node: ast.AST | None, kind: str) -> bool:
    return (isinstance(node, ast.Constant) and not isinstance(node.value, bool)
            and isinstance(node.value, LITERALS[kind]))


def call_templates(rule: Rule) -> list[CallTemplate]:
    where = rule.fields.get("where", {})
    return [CallTemplate(match, replace, where)
            for match, replace in expand(rule.fields["match"], rule.fields["replace"], rule.fields.get("names"))]


def call_sites(rule: Rule, tree: ast.Module, source: Source, scope: Scope, context: Context) -> list[SiteEdit]:
    templates = call_templates(rule)
    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for template in templates:
            bound = template.bind(node, source)
            if bound is None:
                continue
            text, imports = template.render(bound, node.func, source, scope)
            if text != source.segment(node):
                sites.append(SiteEdit(node.lineno, [Edit(*source.span(node), text)], imports))
            break
    return sites


# -- regex: the last resort ---------------------------------------------------------------------------

def regex_sites(rule: Rule, tree: ast.Module, source: Source, scope: Scope, context: Context) -> list[SiteEdit]:
    pattern = re.compile(rule.fields["pattern"], re.MULTILINE)
    quiet = _strings_and_comments(source.text)
    sites = []
    for found in pattern.finditer(source.text):
        if any(start <= found.start() < end for start, end in quiet):
            continue
        new = found.expand(rule.fields["replace"])
        if new != found.group(0):
            sites.append(SiteEdit(source.line_of(found.start()), [Edit(found.start(), found.end(), new)]))
    return sites


def _strings_and_comments(text: str) -> list[tuple[int, int]]:
    source = Source(text)
    spans = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT):
            start = source.starts[token.start[0] - 1] + token.start[1]
            end = source.starts[token.end[0] - 1] + token.end[1]
            spans.append((start, end))
    return spans


def fixer_sites(rule: Rule, tree: ast.Module, source: Source, scope: Scope, context: Context) -> list[SiteEdit]:
    from .fixers import FIXERS

    return FIXERS[rule.fields["fixer"]](tree, source, scope)


KIND_SITES = {"rename": rename_sites, "keyword": keyword_sites, "call": call_sites, "regex": regex_sites,
              "fixer": fixer_sites}
