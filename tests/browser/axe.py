"""axe-core (the npm dev dependency) run on every slide of a deck open in a tab: what a screen-reader
user, a keyboard user or a reader with low vision would trip over, as violations with their slide."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"

# Every rule axe knows, experimental and deprecated ones too, but those of WCAG's level AAA (the
# theme aims at AA: 4.5:1, not 7:1), on each slide in turn: the page with the slide on
# screen, the hidden slides left out (as for the audience; checking them each time would only take
# longer). Results come back as plain data: rule, impact, the element's selector and HTML.
AXE_EVERY_SLIDE_JS = r"""
async () => {
  const HIDDEN_SLIDES = ".remark-slides-area > .remark-slide-container:not(.remark-visible)";
  const every = Object.fromEntries(axe.getRules().map(rule =>
    [rule.ruleId, {enabled: !rule.tags.some(tag => /^wcag\d*aaa$/.test(tag))}]));
  const found = [];
  for (let number = 1; number <= slideshow.getSlideCount(); number++) {
    slideshow.gotoSlide(number);
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve)));
    const results = await axe.run({exclude: [HIDDEN_SLIDES]}, {rules: every, resultTypes: ["violations"]});
    for (const violation of results.violations)
      for (const node of violation.nodes)
        found.push({slide: number, rule: violation.id, impact: violation.impact || "",
                    target: node.target.join(" "), html: node.html.slice(0, 160),
                    summary: node.failureSummary || ""});
  }
  slideshow.gotoSlide(1);
  return found;
}
"""


@dataclass(frozen=True)
class Violation:
    slide: int
    rule: str
    impact: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return f"slide {self.slide}: {self.rule} ({self.impact}) at {self.target}: {self.html}"


def axe_violations(page) -> list[Violation]:
    """Every violation of every axe rule on every slide of the deck open in ``page``."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return [Violation(**found) for found in page.evaluate(AXE_EVERY_SLIDE_JS)]


def by_rule(violations: list[Violation]) -> Counter:
    return Counter(violation.rule for violation in violations)
