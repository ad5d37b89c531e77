"""KaTeX run by the build itself, in an embedded V8 (mini-racer): TeX in, KaTeX's HTML with its
MathML out, or KaTeX's error. Results are cached under ``build/.cache/formulas/<deck>.json``, keyed
by the formula, display mode, macros and KaTeX version; V8 starts only when one is missing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .assets import Assets
from .errors import BuildError

FORMAT = 1
SECONDS_PER_BATCH = 60  # KaTeX bounds macro expansion itself; this only catches a stuck engine
# Each formula gets its own copy of the macros (a \gdef in one formula does not leak into the next,
# so every result can be cached on its own), and JavaScript's exceptions become messages here: a
# ParseError's rawMessage is its message without the "at position N: …" tail.
TYPESET_JS = r"""
function remarkdeckTypeset(formulas, macros) {
  return JSON.stringify(formulas.map(function (formula) {
    var warnings = [];
    var options = {
      displayMode: formula.display, output: "htmlAndMathml", throwOnError: true,
      macros: Object.assign({}, macros),
      strict: function (code, message) { warnings.push(message + " [" + code + "]"); return "ignore"; }
    };
    try {
      return {html: katex.renderToString(formula.tex, options), warnings: warnings};
    } catch (e) {
      var message = e.rawMessage !== undefined ? "KaTeX parse error: " + e.rawMessage : String(e.message || e);
      return {error: message, warnings: warnings};
    }
  }));
}
"""


@dataclass(frozen=True)
class Typeset:
    """What KaTeX made of one formula: its HTML, or the error that stopped it; and its warnings
    (input that KaTeX accepts but LaTeX would not)."""

    html: str = ""
    error: str = ""
    warnings: tuple[str, ...] = ()


@dataclass
class KaTeX:
    """KaTeX for one build: results from the cache, the others typeset in V8 (started on first need)."""

    script: Path
    version: str
    cache_dir: Path
    typeset_count: int = 0  # formulas this build sent to KaTeX (not found in the cache)
    _engine: object = field(default=None, repr=False)

    @classmethod
    def for_project(cls, assets: Assets, cache_dir: Path) -> "KaTeX":
        return cls(assets.path("katex", "dist/katex.min.js"), assets.version("katex"), cache_dir / "formulas")

    def __enter__(self) -> "KaTeX":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def typeset(self, deck: str, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[Typeset]:
        """Each (TeX, display mode) typeset, in order; successes are stored in the deck's cache."""
        keys = [formula_key(self.version, tex, display, macros) for tex, display in formulas]
        cached = self._load(deck)
        missing = [(key, formula) for key, formula in zip(keys, formulas) if key not in cached]
        fresh = dict(zip((key for key, _ in missing), self.render([formula for _, formula in missing], macros)))
        results = {**cached, **fresh}
        if fresh:
            self._store(deck, keys, results)
        return [results[key] for key in keys]

    def render(self, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[Typeset]:
        """Each (TeX, display mode) typeset in V8, without the cache."""
        if not formulas:
            return []
        payload = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
        answer = self._context().eval(f"remarkdeckTypeset({payload}, {json.dumps(macros)})",
                                      timeout_sec=None if in_event_loop() else SECONDS_PER_BATCH)
        self.typeset_count += len(formulas)
        return [Typeset(item.get("html", ""), item.get("error", ""), tuple(dict.fromkeys(item["warnings"])))
                for item in json.loads(answer)]

    def _context(self):
        """V8 with KaTeX loaded: made once per build, and only if some formula is not cached."""
        if self._engine is None:
            from py_mini_racer import MiniRacer  # starting V8 costs a third of a second: only when needed

            try:
                script = self.script.read_text(encoding="utf-8")
            except OSError as error:
                raise BuildError(f"cannot read KaTeX ({error.strerror}): run `npm ci` in the project folder") from None
            self._engine = MiniRacer()
            self._engine.eval(script)
            self._engine.eval(TYPESET_JS)
        return self._engine

    def _cache_file(self, deck: str) -> Path:
        return self.cache_dir / f"{deck}.json"

    def _load(self, deck: str) -> dict[str, Typeset]:
        """The deck's cached results; an unreadable or foreign file counts as empty."""
        try:
            stored = json.loads(self._cache_file(deck).read_text(encoding="utf-8"))
            if stored.get("format") != FORMAT:
                return {}
            return {key: Typeset(entry["html"], "", tuple(entry["warnings"]))
                    for key, entry in stored["formulas"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _store(self, deck: str, used: list[str], results: dict[str, Typeset]) -> None:
        """Write the deck's cache: this build's results first, then as many earlier ones (so that
        undoing an edit finds its formula), atomically. Errors are not stored."""
        earlier = [key for key in results if key not in set(used)][:max(len(set(used)), 20)]
        kept = {key: {"html": results[key].html, "warnings": list(results[key].warnings)}
                for key in list(dict.fromkeys(used)) + earlier if not results[key].error}
        target = self._cache_file(deck)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{deck}-", suffix=".json", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"format": FORMAT, "formulas": kept}, file, ensure_ascii=False)
        os.replace(temporary, target)


def in_event_loop() -> bool:
    """Whether this thread runs an asyncio loop (Jupyter, Playwright's sync API), where mini-racer
    refuses a timeout; KaTeX's own bound on macro expansion still holds there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def formula_key(version: str, tex: str, display: bool, macros: dict[str, str]) -> str:
    text = json.dumps([FORMAT, version, display, sorted(macros.items()), tex], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
