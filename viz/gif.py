"""Animated GIFs of a forward or backward trace for slides: the page's animation steps, one frame each.

Drawn with NumPy and Pillow from the engine's traces (the engine computes, viz/ draws): a notebook can
call `forward_trace_gif(trace)` or `backward_trace_gif(trace)` and get the bytes of a GIF. A forward
frame draws the padded input crop with the window, the output crop filling in, and the step's
sum + bias = output line. A backward frame draws the input crop with the window, δ over the region with
the current cell, the running dW and the running dX_pad crop (each filling in as the steps add
δ(i, j)·window and δ(i, j)·W), and the step's line. Text is plain ASCII ("delta", not δ): Pillow's
built-in font draws Greek letters as empty boxes.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.running_totals import input_padding_mask
from engine.trace import BackwardTrace, ForwardTrace, running_dx_pad, traced_crop

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


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont:
    # Cached: load_default(size) decodes the built-in font again on every call.
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
    crop_rows, crop_cols = traced_crop(trace)
    top, left = crop_rows.start, crop_cols.start
    rows, cols = crop_rows.stop - top, crop_cols.stop - left
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
            (x + size / 2, y + size / 2), text, fill=_text_index(colour, palette), font=font, anchor="mm"
        )


def forward_trace_gif(trace: ForwardTrace, duration_ms: int = 350) -> bytes:
    """The trace as an animated GIF (one frame per step, looping), in memory.

    Args:
        trace: from `engine.trace.forward_trace`.
        duration_ms: how long each frame shows.

    Returns:
        The GIF file's bytes.
    """
    return _save_gif(forward_trace_frames(trace), duration_ms)


def _save_gif(frames: list[Image.Image], duration_ms: int) -> bytes:
    """Frames drawn with `_palette()` as a looping GIF, one frame per picture.

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


# --- the backward pass ----------------------------------------------------------------------------------

PANEL_PX = 300  # the largest side of a grid: a big crop gets smaller cells
MIN_CELL = 4
NUMBER_CELL = 26  # cells at least this big show their number
MARGIN, TITLE_HEIGHT, PANEL_GAP = 16, 26, 28


class BackwardPanels(NamedTuple):
    """The numbers each frame of the backward GIF draws, before colours (one row per step).

    The crop is the box of the padded input that the traced windows read (`engine.trace.traced_crop`).
    """

    rows: slice  # the crop's rows of x_pad
    cols: slice  # the crop's columns of x_pad
    x: np.ndarray  # (h, w) the input crop, mean over the channels
    is_padding: np.ndarray  # (h, w) bool, True on padding cells
    delta: np.ndarray  # (i1 − i0, j1 − j0) δ over the region
    channels: tuple[int, ...]  # the channels of dW shown: all when C ≤ 3, else channel 0
    dw: np.ndarray  # (steps, len(channels), KH, KW) the running dW after each step
    dx: np.ndarray  # (steps, h, w) the running dX_pad crop of channel 0 after each step
    db: np.ndarray  # (steps,) the running db after each step
    limits: tuple[float, float, float]  # δ, dW, dX: the largest |value| each panel reaches (never 0)


def backward_panels(trace: BackwardTrace) -> BackwardPanels:
    """The arrays the backward GIF draws: the crop, δ, and the running dW, dX_pad and db after each step.

    The running totals are the engine's: dw from each step's dw_total, dx from `running_dx_pad` over the
    crop. Each panel's colour scale is symmetric about 0 with the largest |value| the panel reaches over
    all the steps, so a colour means the same number on every frame.

    Args:
        trace: from `engine.trace.backward_trace` or `engine.running_totals.region_trace`.

    Returns:
        BackwardPanels; its last dw row is the last step's dw_total and its last dx the crop of the
        scatter of every step.
    """
    rows, cols = traced_crop(trace)
    i0, i1, j0, j1 = trace.region
    channels = tuple(range(trace.x_pad.shape[0])) if trace.x_pad.shape[0] <= 3 else (0,)
    delta = trace.delta[i0:i1, j0:j1]
    dw = np.stack([step.dw_total[list(channels)] for step in trace.steps])
    dx = running_dx_pad(trace, rows, cols)[:, 0]
    limits = tuple(float(np.max(np.abs(a), initial=0.0)) or 1.0 for a in (delta, dw, dx))
    return BackwardPanels(
        rows,
        cols,
        trace.x_pad[:, rows, cols].mean(axis=0),
        input_padding_mask(trace.geometry)[rows, cols],
        delta,
        channels,
        dw,
        dx,
        np.array([step.db_total for step in trace.steps]),
        limits,
    )


class _Grid(NamedTuple):
    """Where a panel's grid sits on the frame: top-left corner, cell size, and its title."""

    x: int
    y: int
    cell: int
    title: str

    def at(self, r: int, c: int) -> tuple[int, int]:
        """Top-left pixel of cell (r, c)."""
        return self.x + c * self.cell, self.y + r * self.cell


def _cell_size(shape: tuple[int, int]) -> int:
    return int(np.clip(PANEL_PX // max(shape), MIN_CELL, CELL))


def _backward_layout(panels: BackwardPanels, C: int, font) -> tuple[dict[str, _Grid], tuple[int, int]]:
    """The grids of a backward frame left to right (input, δ, dW per shown channel, dX), and the size."""
    r0, c0 = panels.rows.start, panels.cols.start
    crop = f"x_pad[{r0}:{panels.rows.stop}, {c0}:{panels.cols.stop}]"
    mean = f", mean of {C} channels" if C > 1 else ""
    of_c = f" of {C}" if C > 1 else ""
    shapes = {"input": panels.x.shape, "delta": panels.delta.shape}
    titles = {"input": f"input {crop}{mean}", "delta": "delta = dL/dZ over the region"}
    for c in panels.channels:
        shapes[f"dw{c}"] = panels.dw.shape[2:]
        titles[f"dw{c}"] = f"dW channel {c}{of_c}"
    shapes["dx"], titles["dx"] = panels.x.shape, f"dX_pad channel 0{of_c}, running"
    grids, x = {}, MARGIN
    for name, shape in shapes.items():
        cell = _cell_size(shape)
        grids[name] = _Grid(x, MARGIN + TITLE_HEIGHT, cell, titles[name])
        x += max(cell * shape[1], round(font.getlength(titles[name]))) + PANEL_GAP
    tallest = max(_cell_size(shape) * shape[0] for shape in shapes.values())
    return grids, (x - PANEL_GAP + MARGIN, MARGIN + TITLE_HEIGHT + tallest + 12 + TEXT_HEIGHT)


def _short(value: float) -> str:
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


def _draw_grid(
    draw,
    grid: _Grid,
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
    font = _font(max(9, grid.cell // 3))
    rows, cols = where if where is not None else np.ix_(range(values.shape[0]), range(values.shape[1]))
    for (r, c), value in np.ndenumerate(values):
        text = _short(float(value)) if grid.cell >= NUMBER_CELL else ""
        _cell(draw, *grid.at(rows[r, 0], cols[0, c]), int(colours[r, c]), text, font, palette, grid.cell)


def _diverging_grid(values: np.ndarray, limit: float) -> np.ndarray:
    """Palette indices of a signed array on the diverging scale of this symmetric limit."""
    return np.vectorize(lambda v: _diverging(v, limit), otypes=[int])(values)


def _input_colours(panels: BackwardPanels) -> np.ndarray:
    """Gray levels of the input crop (its range stretched to [0, 1] if it leaves it); padding in gray."""
    low, high = min(0.0, float(panels.x.min())), max(1.0, float(panels.x.max()))
    grays = np.vectorize(lambda v: _gray((v - low) / (high - low)), otypes=[int])(panels.x)
    return np.where(panels.is_padding, PADDING, grays)


def _backward_canvas(trace: BackwardTrace, panels: BackwardPanels, line_px: float):
    """The frame before the first step: titles, the input crop, δ, and dX at 0; with its grids.

    line_px: the width of the longest step line, which the frame must also fit.
    """
    title_font, palette = _font(14), _palette()
    grids, (width, height) = _backward_layout(panels, trace.x_pad.shape[0], title_font)
    canvas = Image.new("P", (max(width, round(line_px) + 2 * MARGIN), height), WHITE)
    canvas.putpalette(palette)
    draw = ImageDraw.Draw(canvas)
    for grid in grids.values():
        draw.text((grid.x, MARGIN), grid.title, fill=BLACK, font=title_font)
    _draw_grid(draw, grids["input"], panels.x, _input_colours(panels), palette)
    _draw_grid(draw, grids["delta"], panels.delta, _diverging_grid(panels.delta, panels.limits[0]), palette)
    zeros = np.zeros_like(panels.x)
    _draw_grid(draw, grids["dx"], zeros, _diverging_grid(zeros, panels.limits[2]), palette)
    return canvas, grids, palette


def backward_trace_frames(trace: BackwardTrace) -> list[Image.Image]:
    """One picture (palette mode) per step of a backward trace (what `backward_trace_gif` animates).

    Each frame shows (a) the padded input crop under the region's windows, the current window outlined;
    (b) δ over the region, the current cell outlined; (c) the running dW, each channel side by side
    when C ≤ 3 (else channel 0); (d) the running dX_pad crop of channel 0, the window's cells outlined
    (the scatter: δ(i, j)·W added into the window); (e) the step's line. Numbers come from
    `backward_panels`; the dX cells are redrawn on a running canvas only where the step wrote.

    Args:
        trace: from `engine.trace.backward_trace` or `engine.running_totals.region_trace`.
    """
    panels, big = backward_panels(trace), _font(16)
    lines = [_backward_line(s, step, len(trace.steps)) for s, step in enumerate(trace.steps)]
    canvas, grids, palette = _backward_canvas(trace, panels, max(big.getlength(line) for line in lines))
    draw, origin = ImageDraw.Draw(canvas), (panels.rows.start, panels.cols.start)
    frames = []
    for s, step in enumerate(trace.steps):
        for n, c in enumerate(panels.channels):
            dw = panels.dw[s, n]
            _draw_grid(draw, grids[f"dw{c}"], dw, _diverging_grid(dw, panels.limits[1]), palette)
        # Only the window's cells of dX changed at this step: the rest of the canvas is already right.
        window = np.ix_(np.subtract(step.rows, origin[0]), np.subtract(step.cols, origin[1]))
        dx = panels.dx[s][window]
        _draw_grid(draw, grids["dx"], dx, _diverging_grid(dx, panels.limits[2]), palette, window)
        frame = canvas.copy()
        _backward_overlay(ImageDraw.Draw(frame), step, grids, origin, trace)
        ImageDraw.Draw(frame).text((MARGIN, frame.height - TEXT_HEIGHT), lines[s], fill=BLACK, font=big)
        frames.append(frame)
    return frames


def _backward_overlay(overlay, step, grids: dict[str, _Grid], origin: tuple[int, int], trace) -> None:
    """Outline the step's window on the input and dX crops, and its cell of δ."""
    top, left = origin
    for name in ("input", "dx"):
        grid = grids[name]
        for r in step.rows:
            for q in step.cols:
                x, y = grid.at(r - top, q - left)
                overlay.rectangle((x, y, x + grid.cell, y + grid.cell), outline=WINDOW, width=_outline(grid))
    grid = grids["delta"]
    x, y = grid.at(step.i - trace.region[0], step.j - trace.region[2])
    overlay.rectangle((x, y, x + grid.cell, y + grid.cell), outline=CELL_EDGE, width=_outline(grid))


def _outline(grid: _Grid) -> int:
    return 3 if grid.cell >= 20 else 2 if grid.cell >= 10 else 1


def _backward_line(s: int, step, steps: int) -> str:
    # Plain ASCII: Pillow's built-in font draws delta and sigma as empty boxes.
    return (
        f"step {s + 1}/{steps}   ({step.i}, {step.j}):  delta = {step.delta:.4g} ;  dW += delta * window ;"
        f"  dX_pad[window] += delta * W ;  db = {step.db_total:.4g}"
    )


def backward_trace_gif(trace: BackwardTrace, duration_ms: int = 350) -> bytes:
    """A backward trace as an animated GIF (one frame per step, looping), in memory.

    Args:
        trace: from `engine.trace.backward_trace` or `engine.running_totals.region_trace`.
        duration_ms: how long each frame shows.

    Returns:
        The GIF file's bytes.
    """
    return _save_gif(backward_trace_frames(trace), duration_ms)
