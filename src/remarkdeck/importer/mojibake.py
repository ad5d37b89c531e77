"""Text mis-decoded before the import (UTF-8 read as Windows-1252: "IngÃ©nieur") repaired with
ftfy's encoding fix only (quotes, widths and the rest are left as written)."""

from __future__ import annotations

from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad


@dataclass
class Repair:
    line: int
    before: str
    after: str  # equal to before when the line still looks mis-decoded but cannot be repaired


def repair_text(text: str) -> tuple[str, list[Repair]]:
    lines, repairs = text.split("\n"), []
    for number, line in enumerate(lines, start=1):
        fixed = ftfy.fix_encoding(line)
        if fixed != line or is_bad(line):
            repairs.append(Repair(number, line, fixed))
            lines[number - 1] = fixed
    return "\n".join(lines), repairs
