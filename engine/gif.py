"""Animated GIFs of a forward trace, for slides: the same steps as the page's animation, one frame each.

Pure NumPy + Pillow, like the rest of the engine: a notebook can call `forward_trace_gif(trace)` and get
the bytes of a GIF. Each frame draws the padded input crop with the window, the output crop filling in,
and the step's sum + bias = output line.
"""

from __future__ import annotations

from io import BytesIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.trace import ForwardTrace

CELL = 34  # pixels per cell
GAP = 40  # pixels between the two grids
TEXT_HEIGHT = 44
WINDOW_RGB = (230, 159, 0)  # Okabe–Ito orange, as in the page's figures
CELL_RGB = (213, 94, 0)  # vermillion
PADDING_RGB = (150, 150, 150)
# Blue – white – red, as the page's diverging scale: (position, colour).
_DIVERGING = (
    (0.0, (5, 48, 97)),
    (0.25, (67, 147, 195)),
    (0.5, (247, 247, 247)),
    (0.75, (214, 96, 77)),
    (1.0, (103, 0, 31)),
)


# The frames are drawn straight in palette mode with one fixed palette (no quantizing: ~100 ms a frame):
# indices 0–127 gray levels, 128–247 the diverging scale, then the highlight colours.
GRAY_LEVELS, DIVERGING_LEVELS = 128, 120
WINDOW, CELL_EDGE, PADDING, WHITE, BLACK, GRID = range(248, 254)


def _palette() -> list[int]:
    grays = [round(255 * k / (GRAY_LEVELS - 1)) for k in range(GRAY_LEVELS)]
    colours = [(g, g, g) for g in grays]
    stops = np.array([s for s, _ in _DIVERGING])
    rgb = np.array([c for _, c in _DIVERGING], dtype=float)
    for k in range(DIVERGING_LEVELS):
        t = k / (DIVERGING_LEVELS - 1)
        colours.append(tuple(round(float(np.interp(t, stops, rgb[:, ch]))) for ch in range(3)))
    colours += [WINDOW_RGB, CELL_RGB, PADDING_RGB, (255, 255, 255), (20, 20, 20), (200, 200, 200)]
    colours += [(255, 255, 255)] * (256 - len(colours))
    return [v for colour in colours for v in colour]


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _diverging(value: float, limit: float) -> int:
    """Palette index of a signed value on the diverging scale (white = 0)."""
    t = 0.5 if limit == 0 else float(np.clip(0.5 + 0.5 * value / limit, 0.0, 1.0))
    return GRAY_LEVELS + round(t * (DIVERGING_LEVELS - 1))


def _gray(value: float) -> int:
    """Palette index of an intensity in [0, 1]."""
    return round(float(np.clip(value, 0.0, 1.0)) * (GRAY_LEVELS - 1))


def _text_index(index: int, palette: list[int]) -> int:
    """Black or white text, whichever reads on the cell's colour."""
    return BLACK if sum(palette[3 * index : 3 * index + 3]) > 380 else WHITE


def forward_trace_frames(trace: ForwardTrace, sum_label: str = "z") -> list[Image.Image]:
    """One picture (palette mode) per step of the trace (what `forward_trace_gif` animates).

    The input grid is drawn once and the output cells are added to a running canvas as the steps
    reveal them; each frame copies the canvas and adds the window, the current cell and the sum line.

    Args:
        trace: from `engine.trace.forward_trace`.
        sum_label: the name written before the output value on each frame.
    """
    steps = trace.steps
    top, left = min(s.rows[0] for s in steps), min(s.cols[0] for s in steps)
    rows = max(s.rows[-1] for s in steps) - top + 1
    cols = max(s.cols[-1] for s in steps) - left + 1
    i0, i1, j0, j1 = trace.region
    width = (cols + j1 - j0) * CELL + GAP + 2 * CELL
    height = max(rows, i1 - i0) * CELL + TEXT_HEIGHT + CELL
    limit = float(np.max(np.abs(trace.a))) or 1.0
    small, big = _font(max(9, CELL // 3)), _font(18)
    palette = _palette()
    canvas = Image.new("P", (width, height), WHITE)
    canvas.putpalette(palette)
    draw = ImageDraw.Draw(canvas)
    shade = trace.x_pad.mean(axis=0)  # the gray level shown for each input cell
    for r in range(rows):
        for c in range(cols):
            value = shade[top + r, left + c]
            colour = PADDING if trace.is_padding[top + r, left + c] else _gray(value)
            _cell(draw, CELL + c * CELL, CELL + r * CELL, colour, f"{value:.2f}", small, palette)
    x_out = CELL + cols * CELL + GAP
    frames = []
    for step in steps:
        cell = (x_out + (step.j - j0) * CELL, CELL + (step.i - i0) * CELL)
        _cell(draw, *cell, _diverging(step.a, limit), f"{step.a:.2f}", small, palette)
        frame = canvas.copy()
        overlay = ImageDraw.Draw(frame)
        for r in step.rows:
            for c in step.cols:
                x, y = CELL + (c - left) * CELL, CELL + (r - top) * CELL
                overlay.rectangle((x, y, x + CELL, y + CELL), outline=WINDOW_RGB, width=3)
        overlay.rectangle((*cell, cell[0] + CELL, cell[1] + CELL), outline=CELL_RGB, width=3)
        overlay.text(
            (CELL, height - TEXT_HEIGHT + 8), _sum_line(step, trace, sum_label), fill=(20, 20, 20), font=big
        )
        frames.append(frame)
    return frames


def _sum_line(step, trace: ForwardTrace, sum_label: str) -> str:
    # Plain ASCII: Pillow's built-in font has no Σ or → glyphs.
    line = f"({step.i}, {step.j}):  sum = {step.total:.4g}   + b = {step.bias:.4g}"
    line += f"   {sum_label} = {step.z:.4g}"
    if trace.activation != "identity":
        line += f"   {trace.activation}(z) = {step.a:.4g}"
    return line


def _cell(
    draw: ImageDraw.ImageDraw, x: int, y: int, colour: int, text: str, font, palette: list[int]
) -> None:
    draw.rectangle((x, y, x + CELL, y + CELL), fill=colour, outline=GRID)
    draw.text((x + CELL / 2, y + CELL / 2), text, fill=_text_index(colour, palette), font=font, anchor="mm")


def forward_trace_gif(trace: ForwardTrace, duration_ms: int = 350) -> bytes:
    """The trace as an animated GIF (one frame per step, looping), in memory.

    Args:
        trace: from `engine.trace.forward_trace`.
        duration_ms: how long each frame shows.

    Returns:
        The GIF file's bytes.
    """
    frames = forward_trace_frames(trace)
    buffer = BytesIO()
    # Dithering off and a shared adaptive palette keep the cell colours flat and the file small.
    palette = [
        f.convert("P", palette=Image.Palette.ADAPTIVE, colors=128, dither=Image.Dither.NONE) for f in frames
    ]
    palette[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=palette[1:],
        duration=duration_ms,
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buffer.getvalue()
