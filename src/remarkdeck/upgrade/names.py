"""What the names of a snippet stand for: the dotted paths its imports (and those of its prelude and
requirements) bind, so that ``np.float_`` is known as ``numpy.float_`` and ``tfkl`` as
``tensorflow.keras.layers``; and how to name a path in that snippet, with the import it needs."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field


@dataclass
class Scope:
    bindings: dict[str, str] = field(default_factory=dict)  # name -> dotted path

    @classmethod
    def of(cls, *sources: str) -> "Scope":
        """The bindings made by each source in turn (a later one wins); a source that does not
        parse binds nothing."""
        scope = cls()
        for source in sources:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            scope.bind(tree.body)
        return scope

    def bind(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        self.bindings[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        self.bindings[root] = root
            elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
                for alias in statement.names:
                    if alias.name != "*":
                        self.bindings[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
            elif (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                  and isinstance(statement.targets[0], ast.Name)):
                path = self.resolve(statement.value)
                if path:
                    self.bindings[statement.targets[0].id] = path
                else:
                    self.bindings.pop(statement.targets[0].id, None)
            for body in ("body", "orelse", "finalbody"):
                if isinstance(statement, (ast.If, ast.Try, ast.With)) and getattr(statement, body, None):
                    self.bind(getattr(statement, body))
            for handler in getattr(statement, "handlers", []):
                self.bind(handler.body)

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted path a Name or an attribute chain stands for, None if its root is not an import."""
        parts = chain(node)
        if not parts or parts[0] not in self.bindings:
            return None
        return ".".join([self.bindings[parts[0]], *parts[1:]])

    def reference(self, path: str, module_style: bool = False) -> tuple[str, str | None]:
        """Text naming ``path`` here, and the import statement to add when nothing here names it:
        ``from module import name`` (``module_style``: the module imported, ``module.name`` written)."""
        if "." not in path and hasattr(builtins, path):
            return path, None
        best = None
        for name, bound in self.bindings.items():
            if (path == bound or path.startswith(bound + ".")) and (best is None or len(bound) > len(best[1])):
                best = (name, bound)
        if best is not None:
            return best[0] + path[len(best[1]):], None
        module, _, name = path.rpartition(".")
        if not module:
            return path, f"import {path}"
        if module_style or name in self.bindings:
            parent, _, last = module.rpartition(".")
            if parent and last not in self.bindings:
                return f"{last}.{name}", f"from {parent} import {last}"
            return path, f"import {module}"
        return name, f"from {module} import {name}"


def chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything but a Name followed by attributes."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def matches(path: str, old: str) -> bool:
    return path == old or path.startswith(old + ".")
