"""What happened to one item (a snippet, a deck's notebook) in one cell, as the table and
``matrix.json`` say it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

PASSED = "passed"
PRINTS_OTHERWISE = "passed, printing something else"  # than it prints with the lock, as the slides show
FAILED = "failed"
KNOWN_FAILURE = "known failure"  # pytest's xfail: a `# known-failure:` snippet that fails, as expected
KNOWN_FAILURE_PASSES = "known failure that passes here"
SKIPPED = "skipped"
NOT_RUN = "not run"  # the cell has no environment, or the item is missing from its run


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str = ""  # a failure's last line, a known failure's reason, why it did not run, what it prints
    where: str = ""  # the slides that show the snippet: 'slide 3 (slides/deck.md:12)'

    @property
    def text(self) -> str:
        """As matrix.json writes it: 'passed', 'failed: <last line> — slide 3 (slides/deck.md:12)', ..."""
        if self.status in (FAILED, PRINTS_OTHERWISE):
            return f"{self.status}: {self.message}" + (f" — {self.where}" if self.where else "")
        if self.message and self.status in (KNOWN_FAILURE, SKIPPED, NOT_RUN):
            return f"{self.status}: {self.message}"
        return self.status

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Outcome":
        return cls(data["status"], data.get("message", ""), data.get("where", ""))
