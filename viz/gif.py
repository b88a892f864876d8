"""Animated GIFs of a forward or backward trace for slides: the page's animation steps, one frame each.

Drawn with NumPy and Pillow from the engine's traces (the engine computes, viz/ draws): a notebook can
call `forward_trace_gif(trace)` or `backward_trace_gif(trace)` and get the bytes of a GIF. A forward
frame draws the padded input crop with the window, the output crop filling in, and the step's
sum + bias = output line. A backward frame draws the input crop with the window, δ over the region with
the current cell, the running dW and the running dX_pad crop (each filling in as the steps add
δ(i, j)·window and δ(i, j)·W), and the step's line. Text is plain ASCII ("delta", not δ): Pillow's
built-in font draws Greek letters as empty boxes. The palette, the font, the cells and grids of cells and
the saving of the frames are in viz/gif_draw.py.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from engine.running_totals import input_padding_mask
from engine.trace import BackwardTrace, ForwardTrace, running_dx_pad, traced_crop
from viz.gif_draw import (
    BLACK,
    CELL,
    CELL_EDGE,
    CELL_RGB,
    PADDING,
    TEXT_HEIGHT,
    WHITE,
    WINDOW,
    WINDOW_RGB,
    Grid,
    diverging_index,
    diverging_indices,
    draw_cell,
    draw_grid,
    gray_index,
    load_font,
    make_palette,
    save_gif,
)

GAP = 40  # pixels between the two grids of a forward frame


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
    small, big = load_font(max(9, CELL // 3)), load_font(18)
    palette = make_palette()
    canvas = Image.new("P", (width, height), WHITE)
    canvas.putpalette(palette)
    draw = ImageDraw.Draw(canvas)
    shade = trace.x_pad.mean(axis=0)  # the gray level shown for each input cell
    for r in range(rows):
        for c in range(cols):
            value = shade[top + r, left + c]
            colour = PADDING if trace.is_padding[top + r, left + c] else gray_index(value)
            draw_cell(draw, CELL + c * CELL, CELL + r * CELL, colour, f"{value:.2f}", small, palette)
    x_out = CELL + cols * CELL + GAP
    frames = []
    for step in steps:
        cell = (x_out + (step.j - j0) * CELL, CELL + (step.i - i0) * CELL)
        draw_cell(draw, *cell, diverging_index(step.a, limit), f"{step.a:.2f}", small, palette)
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


def forward_trace_gif(trace: ForwardTrace, duration_ms: int = 350) -> bytes:
    """The trace as an animated GIF (one frame per step, looping), in memory.

    Args:
        trace: from `engine.trace.forward_trace`.
        duration_ms: how long each frame shows.

    Returns:
        The GIF file's bytes.
    """
    return save_gif(forward_trace_frames(trace), duration_ms)


# --- the backward pass ----------------------------------------------------------------------------------

PANEL_PX = 300  # the largest side of a grid: a big crop gets smaller cells
MIN_CELL = 4
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


def _cell_size(shape: tuple[int, int]) -> int:
    return int(np.clip(PANEL_PX // max(shape), MIN_CELL, CELL))


def _backward_layout(panels: BackwardPanels, C: int, font) -> tuple[dict[str, Grid], tuple[int, int]]:
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
        grids[name] = Grid(x, MARGIN + TITLE_HEIGHT, cell, titles[name])
        x += max(cell * shape[1], round(font.getlength(titles[name]))) + PANEL_GAP
    tallest = max(_cell_size(shape) * shape[0] for shape in shapes.values())
    return grids, (x - PANEL_GAP + MARGIN, MARGIN + TITLE_HEIGHT + tallest + 12 + TEXT_HEIGHT)


def _input_colours(panels: BackwardPanels) -> np.ndarray:
    """Gray levels of the input crop (its range stretched to [0, 1] if it leaves it); padding in gray."""
    low, high = min(0.0, float(panels.x.min())), max(1.0, float(panels.x.max()))
    grays = np.vectorize(lambda v: gray_index((v - low) / (high - low)), otypes=[int])(panels.x)
    return np.where(panels.is_padding, PADDING, grays)


def _backward_canvas(trace: BackwardTrace, panels: BackwardPanels, line_px: float):
    """The frame before the first step: titles, the input crop, δ, and dX at 0; with its grids.

    line_px: the width of the longest step line, which the frame must also fit.
    """
    title_font, palette = load_font(14), make_palette()
    grids, (width, height) = _backward_layout(panels, trace.x_pad.shape[0], title_font)
    canvas = Image.new("P", (max(width, round(line_px) + 2 * MARGIN), height), WHITE)
    canvas.putpalette(palette)
    draw = ImageDraw.Draw(canvas)
    for grid in grids.values():
        draw.text((grid.x, MARGIN), grid.title, fill=BLACK, font=title_font)
    draw_grid(draw, grids["input"], panels.x, _input_colours(panels), palette)
    draw_grid(draw, grids["delta"], panels.delta, diverging_indices(panels.delta, panels.limits[0]), palette)
    zeros = np.zeros_like(panels.x)
    draw_grid(draw, grids["dx"], zeros, diverging_indices(zeros, panels.limits[2]), palette)
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
    panels, big = backward_panels(trace), load_font(16)
    lines = [_backward_line(s, step, len(trace.steps)) for s, step in enumerate(trace.steps)]
    canvas, grids, palette = _backward_canvas(trace, panels, max(big.getlength(line) for line in lines))
    draw, origin = ImageDraw.Draw(canvas), (panels.rows.start, panels.cols.start)
    frames = []
    for s, step in enumerate(trace.steps):
        for n, c in enumerate(panels.channels):
            dw = panels.dw[s, n]
            draw_grid(draw, grids[f"dw{c}"], dw, diverging_indices(dw, panels.limits[1]), palette)
        # Only the window's cells of dX changed at this step: the rest of the canvas is already right.
        window = np.ix_(np.subtract(step.rows, origin[0]), np.subtract(step.cols, origin[1]))
        dx = panels.dx[s][window]
        draw_grid(draw, grids["dx"], dx, diverging_indices(dx, panels.limits[2]), palette, window)
        frame = canvas.copy()
        _backward_overlay(ImageDraw.Draw(frame), step, grids, origin, trace)
        ImageDraw.Draw(frame).text((MARGIN, frame.height - TEXT_HEIGHT), lines[s], fill=BLACK, font=big)
        frames.append(frame)
    return frames


def _backward_overlay(overlay, step, grids: dict[str, Grid], origin: tuple[int, int], trace) -> None:
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


def _outline(grid: Grid) -> int:
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
    return save_gif(backward_trace_frames(trace), duration_ms)
