"""What the GIFs of viz/gif.py draw with: one fixed palette, Pillow's built-in font, cells and grids of cells
with their numbers, and the saving of the frames as a looping GIF.

The frames are drawn straight in palette mode ("P") with one palette, so colours are palette indices:
gray levels for intensities, the diverging scale for signed values (white = 0), then the highlight colours.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from viz.theme import DIVERGING, colorize

CELL = 34  # pixels per cell (the largest cells)
TEXT_HEIGHT = 44  # the step's line under the grids
NUMBER_CELL = 26  # cells at least this big show their number
WINDOW_RGB = (230, 159, 0)  # Okabe–Ito orange, as in the page's figures
CELL_RGB = (213, 94, 0)  # vermillion
PADDING_RGB = (150, 150, 150)

# The frames are drawn straight in palette mode with one fixed palette (no quantizing: ~100 ms a frame):
# indices 0–127 gray levels, 128–246 the figures' own diverging scale (viz.theme.DIVERGING, the one colour
# scale of figures and GIFs), then the highlight colours.
# An odd number of diverging levels, so that zero falls exactly on the scale's white.
GRAY_LEVELS, DIVERGING_LEVELS = 128, 119
# The highlight colours follow the two scales (make_palette appends them in this order).
WINDOW, CELL_EDGE, PADDING, WHITE, BLACK, GRID = range(
    GRAY_LEVELS + DIVERGING_LEVELS, GRAY_LEVELS + DIVERGING_LEVELS + 6
)


def make_palette() -> list[int]:
    """The palette of every frame, as Pillow takes it: [r, g, b, r, g, b, …] for the 256 indices."""
    grays = [round(255 * k / (GRAY_LEVELS - 1)) for k in range(GRAY_LEVELS)]
    colours = [(g, g, g) for g in grays]
    levels = np.arange(DIVERGING_LEVELS) / (DIVERGING_LEVELS - 1)
    colours += [tuple(int(v) for v in rgb) for rgb in colorize(levels, (0.0, 1.0), DIVERGING)]
    colours += [WINDOW_RGB, CELL_RGB, PADDING_RGB, (255, 255, 255), (20, 20, 20), (200, 200, 200)]
    colours += [(255, 255, 255)] * (256 - len(colours))
    return [v for colour in colours for v in colour]


@lru_cache(maxsize=16)
def load_font(size: int) -> ImageFont.ImageFont:
    # Cached: load_default(size) decodes the built-in font again on every call.
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def diverging_index(value: float, limit: float) -> int:
    """Palette index of a signed value on the diverging scale (white = 0)."""
    t = 0.5 if limit == 0 else float(np.clip(0.5 + 0.5 * value / limit, 0.0, 1.0))
    return GRAY_LEVELS + round(t * (DIVERGING_LEVELS - 1))


def gray_index(value: float) -> int:
    """Palette index of an intensity in [0, 1]."""
    return round(float(np.clip(value, 0.0, 1.0)) * (GRAY_LEVELS - 1))


def text_index(index: int, palette: list[int]) -> int:
    """Black or white text, whichever reads on the cell's colour."""
    return BLACK if sum(palette[3 * index : 3 * index + 3]) > 380 else WHITE


def draw_cell(
    draw: ImageDraw.ImageDraw,
    x: int,
    y: int,
    colour: int,
    text: str,
    font,
    palette: list[int],
    size: int = CELL,
) -> None:
    """A filled square of `size` pixels with its top-left at (x, y), and its number unless text is empty."""
    draw.rectangle((x, y, x + size, y + size), fill=colour, outline=GRID)
    if text:
        draw.text(
            (x + size / 2, y + size / 2), text, fill=text_index(colour, palette), font=font, anchor="mm"
        )


class Grid(NamedTuple):
    """Where a panel's grid sits on the frame: top-left corner, cell size, and its title."""

    x: int
    y: int
    cell: int
    title: str

    def at(self, r: int, c: int) -> tuple[int, int]:
        """Top-left pixel of cell (r, c)."""
        return self.x + c * self.cell, self.y + r * self.cell


def draw_grid(
    draw,
    grid: Grid,
    values: np.ndarray,
    colours: np.ndarray,
    palette: list[int],
    where: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Cells of a grid, with their numbers when the cells are big enough to read one.

    Args:
        values, colours: (h, w) numbers and palette indices.
        where: the (rows, cols) of the grid that values cover, as np.ix_ gives them; by default the
            whole grid from its top-left cell.
    """
    font = load_font(max(9, grid.cell // 3))
    rows, cols = where if where is not None else np.ix_(range(values.shape[0]), range(values.shape[1]))
    for (r, c), value in np.ndenumerate(values):
        text = short_number(float(value)) if grid.cell >= NUMBER_CELL else ""
        draw_cell(draw, *grid.at(rows[r, 0], cols[0, c]), int(colours[r, c]), text, font, palette, grid.cell)


def diverging_indices(values: np.ndarray, limit: float) -> np.ndarray:
    """Palette indices of a signed array on the diverging scale of this symmetric limit."""
    return np.vectorize(lambda v: diverging_index(v, limit), otypes=[int])(values)


def short_number(value: float) -> str:
    """A number in at most 5 characters, for a cell."""
    size = abs(value)
    if size == 0:
        return "0"
    if 0.01 <= size < 0.995:
        return f"{value:.2f}"
    if 0.995 <= size < 9.95:
        return f"{value:.1f}"
    if 9.95 <= size < 999.5:
        return f"{value:.0f}"
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e")


def save_gif(frames: list[Image.Image], duration_ms: int) -> bytes:
    """Frames drawn with `make_palette()` as a looping GIF, one frame per picture.

    The frames are already in palette mode with one fixed palette: no quantizing, no dithering, flat
    colours. Each frame after the first stores only the pixels that changed. Pillow merges a frame
    identical to the one before it into a longer frame; the frames of a trace always differ (each
    writes its step's (i, j)), so the GIF keeps one frame per step.
    """
    buffer = BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=duration_ms,
        loop=0,
        # optimize: a frame stores only the pixels that changed (the rest transparent), ~3× smaller.
        optimize=True,
        disposal=1,  # keep each frame under the next, so its transparent pixels show what was there
    )
    return buffer.getvalue()
