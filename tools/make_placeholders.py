"""Placeholder pictures for the third-party images of the intro-ml deck: img/placeholders/*.svg.

The original deck loaded photos, logos, screenshots and animations that are not ours to ship.
Each one gets a grey box of the same shape, saying what belongs there and whom to credit, so the
deck builds and a lecturer can see at a glance which real picture to drop in.

    python tools/make_placeholders.py            # (re)write img/placeholders/*.svg
    python tools/make_placeholders.py --table    # print the Markdown table of img/README.md

Plain Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
from html import escape
from pathlib import Path
from typing import NamedTuple

OUT_DIR = Path(__file__).resolve().parent.parent / "img" / "placeholders"
FONT = "'Source Sans 3', 'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"
UNCREDITED = "not given in the original deck"


class Placeholder(NamedTuple):
    """One picture of the original deck.

    ``width`` and ``height`` are the placeholder's own size in pixels: the shape we guess for
    the original (logos wide, photos 4:3, screenshots 16:9 ...) at about the size the slide
    shows it, so that its text stays legible there.
    """

    name: str  # written as img/placeholders/<name>.svg
    original: str  # the file (or address) the original deck loaded
    subject: str  # what the picture shows
    credit: str  # credit or source, as the original deck gives it
    width: int
    height: int
    slide: str  # title of the slide that shows it
    caption_at: str = "middle"  # "top" for a slide background, whose middle holds the title
    circular: bool = False  # the slide crops it to a circle: keep the caption inside it


PLACEHOLDERS = (
    Placeholder("brain", "../img/brain.png", "brain picture, background of the title slide", UNCREDITED,
                1210, 681, "title slide (background-image)", caption_at="top"),
    Placeholder("tf2", "../img/tf2.png", "TensorFlow 2 logo", UNCREDITED, 165, 45, "title slide"),
    Placeholder("logo-ecole-euclid", "../img/logo-ecole-euclid.svg", "École Euclid (Euclid Summer School) logo",
                UNCREDITED, 250, 100, "title slide"),
    Placeholder("profile", "https://aboucaud.github.io/img/profile.png", "portrait photo of Alexandre Boucaud",
                "the author's site aboucaud.github.io", 150, 150, "Alexandre Boucaud", circular=True),
    Placeholder("apc_logo_transp", "../img/apc_logo_transp.png", "APC laboratory logo (transparent)", UNCREDITED,
                120, 100, "Alexandre Boucaud"),
    Placeholder("vera_rubin_logo_horizontal", "../img/vera_rubin_logo_horizontal.png",
                "Vera C. Rubin Observatory logo, horizontal", UNCREDITED, 360, 100, "Alexandre Boucaud"),
    Placeholder("euclid_logo", "../img/euclid_logo.png", "Euclid mission logo", UNCREDITED, 150, 100,
                "Alexandre Boucaud"),
    Placeholder("arxiv-2019-04", "../img/arxiv-2019-04.png", "plot: deep learning vs. physics papers on arXiv (2019)",
                UNCREDITED, 800, 450, "deep learning vs. physics arXiv (excluded)"),
    Placeholder("imagenet", "../img/imagenet.png", "common ImageNet network architectures: depth vs. accuracy",
                "jeremyjordan.me/convnet-architectures (linked)", 700, 394, "What does \"deep\" means ? (excluded)"),
    Placeholder("data_driven1", "../img/data_driven1.png", "diagram: entering the data driven era, step 1/3",
                UNCREDITED, 700, 394, "Entering the data driven era"),
    Placeholder("data_driven2", "../img/data_driven2.png", "diagram: entering the data driven era, step 2/3",
                UNCREDITED, 700, 394, "Entering the data driven era"),
    Placeholder("data_driven3", "../img/data_driven3.png", "diagram: entering the data driven era, step 3/3",
                UNCREDITED, 700, 394, "Entering the data driven era"),
    Placeholder("hstvseuclid", "../img/vid/hstvseuclid.mp4", "video: sky area observed over time, HST vs. Euclid",
                "courtesy Jarle Brinchmann", 590, 495, "Observed sky area vs. time"),
    Placeholder("big_surveys", "../img/big_surveys.png", "images of the large imaging surveys of the next 5 years",
                "LSST DC2 simulation", 680, 383, "Large imaging surveys in < 5y"),
    Placeholder("complex_surveys", "../img/complex_surveys.png", "increased complexity of survey data",
                UNCREDITED, 680, 383, "Increased complexity of data"),
    Placeholder("complex_simulations", "../img/complex_simulations.png", "increased complexity of simulations",
                UNCREDITED, 680, 383, "... and simulations"),
    Placeholder("euclid_sim0", "../img/euclid_sim0.png", "Euclid simulated images, step 1/3",
                "Marc Huertas-Company", 750, 422, "Example with Euclid"),
    Placeholder("euclid_sim1", "../img/euclid_sim1.png", "Euclid simulated images, step 2/3",
                "Marc Huertas-Company", 750, 422, "Example with Euclid"),
    Placeholder("euclid_sim2", "../img/euclid_sim2.png", "Euclid simulated images, step 3/3",
                "Marc Huertas-Company", 750, 422, "Example with Euclid"),
    Placeholder("arxiv-neural-2022", "../img/arxiv-neural-2022.png", "plot: word frequency on astro-ph",
                "Huertas-Company & Lanusse 2022", 600, 450, "How can we do this ?"),
    Placeholder("tensor_core2", "../img/tensor_core2.png", "illustration of GPU tensor core computations",
                UNCREDITED, 600, 250, "Computational power availability"),
    Placeholder("ccin2p3", "../img/ccin2p3.png", "photo of the CC-IN2P3 computing centre", UNCREDITED,
                350, 263, "CCIN2P3"),
    Placeholder("in2p3-logo", "../img/in2p3-logo.png", "IN2P3 logo", UNCREDITED, 200, 80, "CCIN2P3"),
    Placeholder("jeanzay", "../img/jeanzay.png", "photo of the Jean Zay supercomputer", UNCREDITED,
                350, 263, "Jean Zay"),
    Placeholder("frameworks", "../img/frameworks.png", "logos of deep learning software frameworks", UNCREDITED,
                800, 400, "Deep learning software ecosystem (excluded)"),
    Placeholder("dl_ex1", "../img/dl_ex1.png", "examples of deep learning applications", UNCREDITED,
                700, 300, "Deep learning in the last decade"),
    Placeholder("dl_ex2", "../img/dl_ex2.png", "more examples of deep learning applications", UNCREDITED,
                800, 450, "Deep learning examples"),
    Placeholder("WaveNet", "../img/WaveNet.gif", "animation: WaveNet dilated convolutions generating audio",
                "WaveNet - TTS with sound generation - DeepMind (2017)", 500, 250, "Speech analysis"),
    Placeholder("imgbw", "../img/imgbw.png", "black and white input photo", "Real-time image colorization (2017)",
                166, 166, "Image colorization"),
    Placeholder("imgcolor", "../img/imgcolor.png", "the same photo colorized in three ways",
                "Real-time image colorization (2017)", 500, 166, "Image colorization"),
    Placeholder("starcraft-alpha_star", "../img/starcraft-alpha_star.png", "screenshot: AlphaStar playing StarCraft II",
                "AlphaStar - Starcraft II AI - DeepMind (2019)", 700, 394, "AI for strategy games"),
    Placeholder("rapids", "../img/rapids.png", "RAPIDS logo", "rapids.ai - Nvidia (2019)", 200, 80,
                "Data science ecosystem"),
    Placeholder("rapids-desc", "../img/rapids-desc.png", "diagram: the RAPIDS GPU data science stack",
                "rapids.ai - Nvidia (2019)", 650, 300, "Data science ecosystem"),
    Placeholder("gpt3", "../img/gpt3.png", "screenshot: GPT-3 natural-language tasks", "OpenAI - GPT-3 (2020)",
                750, 422, "Advanced natural-language tasks"),
    Placeholder("dalle2", "../img/dalle2.png", "images generated by DALL•E 2", "OpenAI - DALL•E 2 (2022)",
                750, 422, "State of the art image generation"),
    Placeholder("nnzoo1", "../img/nnzoo1.png", "chart: neural network zoo, part 1",
                "Neural network zoo - Fjodor van Veen (2016)", 800, 450, "Zoo of neural networks #1"),
    Placeholder("nnzoo2", "../img/nnzoo2.png", "chart: neural network zoo, part 2",
                "Neural network zoo - Fjodor van Veen (2016)", 800, 450, "Zoo of neural networks #2"),
    Placeholder("feedforwardnn", "../img/feedforwardnn.gif", "animation: a feedforward network with activations",
                "Alexander Chekunkov", 400, 300, "Adding non linearities"),
    Placeholder("backpropagation", "../img/backpropagation.gif", "animation: backpropagation through a network",
                "Alexander Chekunkov", 800, 400, "Backpropagation"),
    Placeholder("tensorboard_edward", "../img/tensorboard_edward.png", "screenshot: TensorBoard monitoring a training",
                "Edward Tensorboard tuto (edwardlib.org)", 600, 338, "Tensorboard (excluded)"),
    Placeholder("cc-by-sa-88x31", "https://i.creativecommons.org/l/by-sa/4.0/88x31.png",
                "Creative Commons BY-SA 4.0 badge", "creativecommons.org", 88, 31, "Thank you (excluded)"),
)


def wrap(text: str, max_chars: int) -> list[str]:
    """Greedy word wrap; a word longer than a line gets a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def caption_lines(item: Placeholder) -> list[tuple[str, str]]:
    """(style, text) of the caption, most important first: what is dropped when space runs out."""
    original = item.original.rsplit("/", 1)[-1]
    return [("title", "PLACEHOLDER"), ("file", original), ("subject", item.subject),
            ("credit", f"credit: {item.credit}")]


def layout(item: Placeholder) -> tuple[float, list[tuple[str, str]]]:
    """The largest font size (and the wrapped lines) that fits the box, dropping the least
    important lines until it does."""
    pad = max(3.0, min(item.width, item.height) * (0.16 if item.circular else 0.06))
    width, height = item.width - 2 * pad, item.height - 2 * pad
    parts = [part for part in caption_lines(item) if part[1]]
    while parts:
        for size in range(26, 8, -1):
            lines = [(style, line) for style, text in parts
                     for line in wrap(text, max(1, int(width / (size * _char_width(style)))))]
            tall = sum(size * _scale(style) * 1.25 for style, _ in lines)
            widest = max(len(line) * size * _char_width(style) * _scale(style) for style, line in lines)
            if tall <= height and widest <= width:
                return size, lines
        parts.pop()
    # too small for any text at a legible size: the word alone, shrunk to the box
    return width / (len("PLACEHOLDER") * _char_width("title") * _scale("title")), [("title", "PLACEHOLDER")]


def _scale(style: str) -> float:
    return {"title": 1.25, "file": 1.0, "subject": 0.95, "credit": 0.85}[style]


def _char_width(style: str) -> float:
    # average advance of a sans-serif character, in font sizes; bold capitals are wider
    return 0.68 if style == "title" else 0.53


def svg(item: Placeholder) -> str:
    size, lines = layout(item)
    heights = [size * _scale(style) * 1.25 for style, _ in lines]
    block = sum(heights)
    if item.caption_at == "top":
        top = max(8.0, item.height * 0.04)
    else:
        top = (item.height - block) / 2
    texts, y = [], top
    for (style, line), step in zip(lines, heights):
        y += step
        texts.append(_text(style, line, item.width / 2, y - step * 0.28, size * _scale(style)))
    dash = max(3, round(min(item.width, item.height) / 30))
    inset = 1.5
    description = f"{item.subject}. Original: {item.original}. Credit: {item.credit}."
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{item.width}" height="{item.height}" '
        f'viewBox="0 0 {item.width} {item.height}" role="img" aria-labelledby="title desc">',
        f'  <title id="title">Placeholder for {escape(item.original)}</title>',
        f'  <desc id="desc">{escape(description)}</desc>',
        f'  <rect x="{inset}" y="{inset}" width="{item.width - 2 * inset:g}" height="{item.height - 2 * inset:g}" '
        f'rx="{min(8, dash)}" fill="#eceff1" stroke="#90a4ae" stroke-width="{inset * 2:g}" '
        f'stroke-dasharray="{dash * 2} {dash}"/>',
        f'  <g font-family="{FONT}" text-anchor="middle">',
        *texts,
        "  </g>",
        "</svg>",
        "",
    ])


def _text(style: str, line: str, x: float, y: float, size: float) -> str:
    look = {
        "title": 'font-weight="bold" fill="#78909c" letter-spacing="0.05em"',
        "file": 'font-weight="bold" fill="#37474f"',
        "subject": 'fill="#37474f"',
        "credit": 'font-style="italic" fill="#607d8b"',
    }[style]
    return f'    <text x="{x:g}" y="{y:.1f}" font-size="{size:.1f}" {look}>{escape(line)}</text>'


def markdown_table() -> str:
    rows = ["| placeholder | original picture | what it shows | credit / source | used on slide |",
            "| --- | --- | --- | --- | --- |"]
    for item in PLACEHOLDERS:
        rows.append(f"| `placeholders/{item.name}.svg` | `{item.original}` | {item.subject} | "
                    f"{item.credit} | {item.slide} |")
    return "\n".join(rows)


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for item in PLACEHOLDERS:
        path = out_dir / f"{item.name}.svg"
        path.write_text(svg(item), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", action="store_true", help="print the Markdown table for img/README.md")
    args = parser.parse_args()
    if args.table:
        print(markdown_table())
        return
    written = write_all()
    print(f"wrote {len(written)} placeholders in {OUT_DIR}")


if __name__ == "__main__":
    main()
