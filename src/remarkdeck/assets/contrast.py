"""Highlight themes made readable: each text colour of a highlight.js theme moved toward black (or
white, on a dark theme) until it contrasts at least 4.5:1 (WCAG AA, for text of any size) with the
theme's code panel and with a highlighted line drawn on it. Colours that already do are kept. On a
mid-grey panel, where even white could not be read on the highlighted line's yellow, that yellow is
made fainter for the theme."""

from __future__ import annotations

import re

AA = 4.5
HIGHLIGHTED_LINE = "rgba(255, 214, 0, 0.35)"  # theme.css draws highlighted code lines in it
CODE_PANEL = "#f5f7fa"  # theme.css's code panel, for a highlight theme without a background of its own
NAMED = {"white": "#ffffff", "black": "#000000", "navy": "#000080"}  # the names Remark's themes use
COLOR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|rgba?\([^)]*\)|[a-zA-Z]+)")
BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|[a-zA-Z]+)")

RGB = tuple[float, float, float]


def readable_theme(name: str, css: str) -> str:
    """The CSS of highlight theme ``name`` with every text colour readable on its code panel."""
    panel = _panel(name, css)
    highlight = _readable_highlight(panel)
    backgrounds = [panel, _over(highlight, panel)]

    def readable_color(found: re.Match) -> str:
        color = parse_color(found.group(1))
        if color is None:
            return found.group(0)
        fixed = readable(_over(color, panel), backgrounds)
        return found.group(0) if fixed is None else found.group(0).replace(found.group(1), fixed)

    fainter = "" if highlight == parse_color(HIGHLIGHTED_LINE) else (
        f".hljs-{name} .remark-code-line-highlighted{{background-color:rgba({', '.join(f'{c:g}' for c in highlight)})}}")
    return COLOR.sub(readable_color, css) + fainter


def _readable_highlight(panel: RGB) -> tuple[float, float, float, float]:
    """The highlighted line's colour, as faint as it must be for black or white text to be read on it."""
    *yellow, alpha = parse_color(HIGHLIGHTED_LINE)
    while alpha > 0.05 and max(min(contrast(end, _over((*yellow, alpha), panel)), contrast(end, panel))
                               for end in ((0.0, 0.0, 0.0), (255.0, 255.0, 255.0))) < AA + 0.1:
        alpha = round(alpha - 0.05, 2)
    return (*yellow, alpha)


def readable(color: RGB, backgrounds: list[RGB]) -> str | None:
    """``color`` as hex, mixed with black or white (whichever reads better on these backgrounds)
    just enough to contrast 4.5:1 with each of them; None if it already does."""
    if min(contrast(color, background) for background in backgrounds) >= AA:
        return None
    black, white = (0.0, 0.0, 0.0), (255.0, 255.0, 255.0)
    target = max((black, white), key=lambda end: min(contrast(end, b) for b in backgrounds))
    for step in range(1, 101):
        mixed = tuple(c + (t - c) * step / 100 for c, t in zip(color, target))
        if min(contrast(mixed, background) for background in backgrounds) >= AA + 0.05:
            return "#" + "".join(f"{round(channel):02x}" for channel in mixed)
    return "#" + "".join(f"{round(channel):02x}" for channel in target)


def contrast(first: RGB, second: RGB) -> float:
    """WCAG 2's contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def parse_color(text: str) -> RGB | tuple[float, float, float, float] | None:
    """``#abc``, ``#aabbcc``, ``rgb(…)``, ``rgba(…)`` or a name Remark's themes use; None for others
    (``inherit``, ``url(…)``)."""
    text = NAMED.get(text.lower(), text)
    if text.startswith("#"):
        digits = text[1:] if len(text) == 7 else "".join(digit * 2 for digit in text[1:])
        return tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))
    if found := re.fullmatch(r"rgba?\(([^)]*)\)", text.replace(" ", "")):
        parts = [float(part) for part in found.group(1).split(",")]
        return tuple(parts[:4]) if len(parts) in (3, 4) else None
    return None


def _panel(name: str, css: str) -> RGB:
    """The background of the theme's code panel (``.hljs-<name> .hljs``), else the page theme's."""
    rule = re.search(r"\.hljs-" + re.escape(name) + r" \.hljs\{([^}]*)\}", css)
    found = BACKGROUND.search(rule.group(1)) if rule else None
    color = parse_color(found.group(1)) if found else None
    return color[:3] if color else parse_color(CODE_PANEL)


def _over(color, background: RGB) -> RGB:
    """A colour with an alpha channel as drawn on ``background``."""
    if len(color) == 3:
        return color
    alpha = color[3]
    return tuple(c * alpha + b * (1 - alpha) for c, b in zip(color[:3], background))


def _luminance(color: RGB) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in color)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
