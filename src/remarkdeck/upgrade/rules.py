"""The rewrite rules: the built-in table ``rules.toml`` and a project's ``templates/upgrade.toml``,
each ``[[rule]]`` checked, with an error at its ``path:line``.

A rule says what changed (``what``), in which release, the error a snippet fails with because of it
(``error``, a regular expression), how to rewrite the code (``kind`` and its fields) and an example
(``before`` rewritten must give ``after``; the test suite applies and runs every example).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, Location

BUILT_IN = Path(__file__).with_name("rules.toml")
PROJECT_RULES = Path("templates") / "upgrade.toml"
KERAS_ROOTS = ("keras", "tensorflow.keras")  # what ``{keras}`` stands for in a rule

COMMON = {"id": str, "library": str, "release": str, "what": str, "kind": str, "error": str, "note": str,
          "only_on_error": bool, "before": str, "after": str, "run_example": bool}
KINDS = {
    # a dotted name (module, function, class, constant) moved or renamed; ".name": an attribute of anything
    "rename": ({"old": str, "new": str}, {"names": (list, dict)}),
    # keyword arguments renamed in calls of the given callables (values too, for ``values``)
    "keyword": ({"callables": list, "keywords": dict}, {"values": dict}),
    # a call written as a template with placeholders, rewritten as another template
    "call": ({"match": str, "replace": str}, {"where": dict, "names": (list, dict)}),
    # a regular expression replaced in the code (never where it starts in a string or a comment)
    "regex": ({"pattern": str, "replace": str}, {}),
    # a rewrite a table cannot say, written in Python in fixers.py
    "fixer": ({"fixer": str}, {}),
}
REQUIRED = ("id", "library", "release", "what", "kind", "before", "after")
ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Rule:
    id: str
    library: str
    release: str
    what: str
    kind: str
    before: str
    after: str
    error: str = ""  # a regular expression searched in the failure the change causes
    note: str = ""  # what the lecturer should check when the rule is kept
    only_on_error: bool = False  # tried only on a snippet that fails with ``error``
    run_example: bool = True  # the test suite runs ``after`` (False: it needs data or a network)
    fields: dict = field(default_factory=dict, hash=False, compare=False)
    location: Location | None = field(default=None, hash=False, compare=False)

    def addresses(self, failure: str) -> bool:
        return bool(self.error) and re.search(self.error, failure) is not None

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(old, new) of a ``rename``, with ``{name}`` and ``{keras}`` written out."""
        return expand(self.fields["old"], self.fields["new"], self.fields.get("names"))


def expand(old: str, new: str, names: list | dict | None) -> list[tuple[str, str]]:
    """Every (old, new) a templated pair stands for: ``{name}`` takes each of ``names`` (a list: the
    same name in both; a table: old name = new name), ``{keras}`` each of KERAS_ROOTS."""
    table = names if isinstance(names, dict) else {name: name for name in names or [None]}
    pairs = []
    for before, after in table.items():
        for root in KERAS_ROOTS if "{keras}" in old + new else (None,):
            pair = (old, new)
            if before is not None:
                pair = (pair[0].replace("{name}", before), pair[1].replace("{name}", after))
            if root is not None:
                pair = (pair[0].replace("{keras}", root), pair[1].replace("{keras}", root))
            pairs.append(pair)
    return pairs


def expand_callables(callables: list[str]) -> list[str]:
    return [name for callable_ in callables for name, _ in expand(callable_, callable_, None)]


def load_rules(project_root: Path | None = None) -> list[Rule]:
    """The built-in rules, then the project's own (``templates/upgrade.toml``): a project rule with
    the id of a built-in one replaces it."""
    rules = {rule.id: rule for rule in load_table(BUILT_IN)}
    if project_root is not None and (project_root / PROJECT_RULES).is_file():
        for rule in load_table(project_root / PROJECT_RULES):
            rules[rule.id] = rule
    return list(rules.values())


def load_table(path: Path) -> list[Rule]:
    text = path.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise ConfigError(f"not valid TOML: {error}", Location(path, int(found.group(1)) if found else 0)) from None
    unknown = set(table) - {"rule"}
    if unknown:
        raise ConfigError(f"unknown table(s) {', '.join(sorted(unknown))}: a rules file holds [[rule]] tables only",
                          Location(path, 1))
    starts = [number for number, line in enumerate(text.split("\n"), start=1)
              if re.match(r"\s*\[\[\s*rule\s*\]\]", line)]
    lines = text.split("\n")
    rules, seen = [], {}
    for index, raw in enumerate(table.get("rule", [])):
        start = starts[index] if index < len(starts) else 0
        end = starts[index + 1] if index + 1 < len(starts) else len(lines) + 1
        rule = _check_rule(raw, path, lambda key, s=start, e=end: _key_line(lines, key, s, e))
        if rule.id in seen:
            raise ConfigError(f"rule id '{rule.id}' is used twice (first at line {seen[rule.id]})",
                              Location(path, start))
        seen[rule.id] = start
        rules.append(rule)
    return rules


def _key_line(lines: list[str], key: str, start: int, end: int) -> int:
    for number in range(start, end):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
            return number
    return start


def _check_rule(raw: dict, path: Path, line_of) -> Rule:
    where = Location(path, line_of("id"))
    for key in REQUIRED:
        if key not in raw:
            raise ConfigError(f"a rule needs '{key}' ({', '.join(REQUIRED)} are required)", where)
    kind = raw["kind"]
    if kind not in KINDS:
        raise ConfigError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}", Location(path, line_of("kind")))
    required, optional = KINDS[kind]
    expected = {**COMMON, **required, **optional}
    for key, value in raw.items():
        if key not in expected:
            raise ConfigError(f"unknown key '{key}' in a '{kind}' rule (keys: {', '.join(expected)})",
                              Location(path, line_of(key)))
        if not isinstance(value, expected[key]):
            kinds = expected[key] if isinstance(expected[key], tuple) else (expected[key],)
            names = " or ".join("table" if k is dict else "array" if k is list else k.__name__ for k in kinds)
            raise ConfigError(f"'{key}' must be a {names}, not {type(value).__name__}", Location(path, line_of(key)))
    for key in required:
        if key not in raw:
            raise ConfigError(f"a '{kind}' rule needs '{key}'", where)
    if not ID.fullmatch(raw["id"]):
        raise ConfigError(f"rule id '{raw['id']}' must be lower-case words joined by '-'", where)
    if raw.get("error"):
        try:
            re.compile(raw["error"])
        except re.error as error:
            raise ConfigError(f"'error' is not a valid regular expression: {error}", Location(path, line_of("error")))
    if raw.get("only_on_error") and not raw.get("error"):
        raise ConfigError("'only_on_error' needs the 'error' the rule is tried on", Location(path, line_of("only_on_error")))
    if kind == "regex":
        try:
            re.compile(raw["pattern"], re.MULTILINE)
        except re.error as error:
            raise ConfigError(f"'pattern' is not a valid regular expression: {error}", Location(path, line_of("pattern")))
    if kind == "fixer":
        from .fixers import FIXERS

        if raw["fixer"] not in FIXERS:
            raise ConfigError(f"no fixer '{raw['fixer']}' (fixers: {', '.join(FIXERS)})", Location(path, line_of("fixer")))
    if kind == "call":
        from .rewrite import CallTemplate, TemplateError

        try:
            for match, replace in expand(raw["match"], raw["replace"], raw.get("names")):
                CallTemplate(match, replace, raw.get("where", {}))
        except TemplateError as error:
            raise ConfigError(str(error), Location(path, line_of("match"))) from None
    common = {key: raw[key] for key in COMMON if key in raw}
    fields = {key: value for key, value in raw.items() if key not in COMMON}
    return Rule(**common, fields=fields, location=where)
