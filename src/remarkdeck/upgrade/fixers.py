"""Rewrites a rule table cannot say, each a function named by a ``fixer`` rule of ``rules.toml``."""

from __future__ import annotations

import ast

from .names import Scope, chain
from .rewrite import Edit, SiteEdit, Source

SHAPE_KEYWORDS = ("input_dim", "input_shape", "input_length")


def keras_input_layer(tree: ast.Module, source: Source, scope: Scope) -> list[SiteEdit]:
    """The first layer's ``input_dim``/``input_shape`` as an ``Input(shape=...)`` layer before it,
    in ``model.add(Layer(..., input_dim=3))`` and in ``Sequential([Layer(..., input_shape=(3,)), ...])``."""
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and _is_add(node.value) and _shaped(node.value.args[0]):
            layer = node.value.args[0]
            model = source.segment(node.value.func.value)
            indent = source.lines[node.lineno - 1][:node.col_offset]
            start = source.offset(node.lineno, node.col_offset)
            input_layer, imports = _input_layer(layer, source, scope)
            insert = Edit(start, start, f"{model}.add({input_layer})\n{indent}")
            sites.append(SiteEdit(layer.lineno, [insert, *_drop_shape(layer, source)], imports))
        elif isinstance(node, ast.Call) and _is_sequential(node) and _shaped(node.args[0].elts[0]):
            layer = node.args[0].elts[0]
            start = source.offset(layer.lineno, layer.col_offset)
            own_line = not source.lines[layer.lineno - 1][:layer.col_offset].strip()
            indent = source.lines[layer.lineno - 1][:layer.col_offset]
            input_layer, imports = _input_layer(layer, source, scope)
            insert = Edit(start, start, f"{input_layer},\n{indent}" if own_line else f"{input_layer}, ")
            sites.append(SiteEdit(layer.lineno, [insert, *_drop_shape(layer, source)], imports))
    return sites


def _is_add(call: ast.AST) -> bool:
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "add"
            and len(call.args) == 1 and not call.keywords)


def _is_sequential(call: ast.Call) -> bool:
    parts = chain(call.func)
    return (bool(parts) and parts[-1] == "Sequential" and bool(call.args) and isinstance(call.args[0], ast.List)
            and bool(call.args[0].elts))


def _shaped(layer: ast.AST) -> bool:
    return isinstance(layer, ast.Call) and any(k.arg in ("input_dim", "input_shape") for k in layer.keywords)


def _input_layer(layer: ast.Call, source: Source, scope: Scope) -> tuple[str, list[str]]:
    """``Input(shape=...)`` named as the layer's own module names it (``tfkl.Input``, ``layers.Input``)."""
    given = {k.arg: source.segment(k.value) for k in layer.keywords if k.arg in SHAPE_KEYWORDS}
    if "input_shape" in given:
        shape = given["input_shape"]
    elif "input_length" in given:
        shape = f"({given['input_length']}, {given['input_dim']})"
    else:
        shape = f"({given['input_dim']},)"
    if isinstance(layer.func, ast.Attribute):
        return f"{source.segment(layer.func.value)}.Input(shape={shape})", []
    path = scope.resolve(layer.func)
    if not path or "." not in path:  # the layer comes from where the snippet's other names come from
        return f"Input(shape={shape})", []
    text, imp = scope.reference(f"{path.rsplit('.', 1)[0]}.Input")
    return f"{text}(shape={shape})", [imp] if imp else []


def _drop_shape(layer: ast.Call, source: Source) -> list[Edit]:
    """Edits removing the shape keywords from the layer's call, each with its comma."""
    arguments = sorted([*layer.args, *layer.keywords], key=lambda n: (n.lineno, n.col_offset))
    edits = []
    for index, argument in enumerate(arguments):
        if not (isinstance(argument, ast.keyword) and argument.arg in SHAPE_KEYWORDS):
            continue
        start, end = source.span(argument)
        if index:
            start = source.span(arguments[index - 1])[1]
        elif index + 1 < len(arguments):
            end = source.span(arguments[index + 1])[0]
        edits.append(Edit(start, end, ""))
    return edits


FIXERS = {"keras_input_layer": keras_input_layer}
