"""What each Python snippet needs from the ones before it, read with ``ast``: the earlier snippets
that define (or last changed) the names it uses, names no snippet defines, and imports of
packages that are not installed."""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

from ..snippets.failures import is_installed
from ..upgrade.syntax_fix import fix_syntax

BUILTINS = set(dir(builtins)) | {"__name__", "__file__", "__builtins__"}
PROMPT = re.compile(r"^(?:>>> ?|\.\.\. ?|In \[\d*\]: ?|\s+\.\.\.: ?)")
SESSION_START = re.compile(r"^(?:>>>|In \[\d*\]:)")


@dataclass
class CodeNeeds:
    """What one snippet binds, changes and uses, and the imports it makes."""

    defines: set[str] = field(default_factory=set)
    updates: set[str] = field(default_factory=set)
    uses: list[str] = field(default_factory=list)  # free names, in order of first use
    imports: list[str] = field(default_factory=list)  # top-level packages imported
    syntax_error: str = ""


def session_source(text: str) -> str:
    """The Python statements of an interactive session (``>>>``/``...`` or IPython prompts),
    its printed results left out."""
    lines = []
    for line in text.split("\n"):
        if PROMPT.match(line):
            lines.append(PROMPT.sub("", line, count=1))
    return "\n".join(lines)


def read_needs(source: str) -> CodeNeeds:
    """What a snippet uses, defines and imports; read with the syntax fixes `remarkdeck upgrade`
    makes (a missing comma, a shared indentation) when it does not parse as it is."""
    needs = CodeNeeds()
    try:
        module = ast.parse(source)
    except SyntaxError as error:
        needs.syntax_error = f"line {error.lineno}: {error.msg}"
        try:
            module = ast.parse(fix_syntax(source)[0])
        except SyntaxError:
            return needs
    for statement in module.body:
        for name in _free_names(statement):
            if name not in needs.defines and name not in needs.uses and name not in BUILTINS:
                needs.uses.append(name)
        needs.defines |= _bound_names(statement)
        needs.updates |= _changed_names(statement)
        needs.imports += [name for name in _imported_packages(statement) if name not in needs.imports]
    return needs


def _bound_names(statement: ast.stmt) -> set[str]:
    """Names a top-level statement binds in the module (not inside functions or classes)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names if alias.name != "*"}
    bound = set()
    for node in _walk_module_scope(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= _bound_names(node)
    return bound


def _changed_names(statement: ast.stmt) -> set[str]:
    """Names a statement changes in place: ``model.add(...)``, ``x[0] = 1``, ``model.trainable = False``;
    in the lecture, later code saw them changed."""
    changed = set()
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            changed.add(func.value.id)
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, (ast.AugAssign, ast.AnnAssign)) else []
    for target in targets:
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
            if isinstance(target, ast.Name):
                changed.add(target.id)
    return changed


def _free_names(statement: ast.stmt) -> list[str]:
    """Names a statement reads that it does not bind locally (function parameters and locals,
    comprehension variables excluded), in source order."""
    found: list[str] = []
    _collect_loads(statement, set(), found)
    return found


def _collect_loads(node: ast.AST, local: set[str], found: list[str]) -> None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            _collect_loads(default, local, found)
        inner = local | _parameters(node.args) | _assigned_inside(node)
        body = node.body if isinstance(node.body, list) else [node.body]
        for decorator in getattr(node, "decorator_list", []):
            _collect_loads(decorator, local, found)
        for child in body:
            _collect_loads(child, inner, found)
        return
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        inner = local | {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        for child in ast.iter_child_nodes(node):
            _collect_loads(child, inner, found)
        return
    if isinstance(node, ast.ClassDef):
        inner = local | _assigned_inside(node)
        for child in node.bases + node.decorator_list + node.body:
            _collect_loads(child, inner, found)
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
        found.append(node.id)
    for child in ast.iter_child_nodes(node):
        _collect_loads(child, local, found)


def _parameters(args: ast.arguments) -> set[str]:
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return {arg.arg for arg in every}


def _assigned_inside(scope: ast.AST) -> set[str]:
    names = set()
    for child in ast.walk(scope):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child is not scope:
            names.add(child.name)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in child.names}
    return names


def _walk_module_scope(node: ast.AST):
    """ast.walk that does not enter function, lambda, class or comprehension bodies."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                              ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield child
            continue
        yield from _walk_module_scope(child)


def _imported_packages(statement: ast.stmt) -> list[str]:
    packages = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Import):
            packages += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.append(node.module.split(".")[0])
    return packages


@dataclass
class Requirements:
    """For each snippet (by name): the snippets it requires, names defined nowhere, packages missing."""

    requires: dict[str, list[str]] = field(default_factory=dict)
    undefined: dict[str, list[str]] = field(default_factory=dict)
    missing_packages: dict[str, list[str]] = field(default_factory=dict)
    syntax_errors: dict[str, str] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)  # top-level names each snippet imports


def infer_requirements(snippets: list[tuple[str, str]]) -> Requirements:
    """``snippets``: (name, Python source) in slide order. A used name comes from the latest
    earlier snippet that bound or changed it, as it did when the lecture ran them in order."""
    result = Requirements()
    last_provider: dict[str, str] = {}
    order = {name: index for index, (name, _) in enumerate(snippets)}
    for name, source in snippets:
        needs = read_needs(source)
        if needs.syntax_error:
            result.syntax_errors[name] = needs.syntax_error
        providers = sorted({last_provider[used] for used in needs.uses if used in last_provider}, key=order.get)
        result.requires[name] = providers
        result.undefined[name] = [used for used in needs.uses if used not in last_provider]
        result.missing_packages[name] = [package for package in needs.imports if not is_installed(package)]
        result.imports[name] = needs.imports
        for bound in needs.defines | needs.updates:
            last_provider[bound] = name
    return result
