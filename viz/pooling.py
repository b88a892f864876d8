"""Pooling figures (FORMULAS.md §3): a window sliding over a small feature map, the gradient routed back.

Both figures draw their grids side by side in ONE pair of axes (one cell = one unit), so an arrow can go
from a window to the output cell it makes, or from an upstream gradient cell to the input cell it lands
on. Every number comes from a `PoolingRun` of `engine.pool_trace` (its windows, winners, ties and the
running ∂L/∂X); this module only draws it: where each grid sits and what each frame changes. The grids'
cells, labels, outlines, arrows and captions are drawn by viz/pooling_layout.py, the step texts written by
viz/pooling_tex.py.

Forward: the padded input | the output map. Each frame moves the window (a layout shape), outlines the
winning cell (max pooling; cells that tie but lose dotted), points an arrow at the output cell and
fills it in.
Backward ("routing"): the upstream gradient δ | the accumulated ∂L/∂X. Each frame sends one
window's δ to its winner (max) or spreads δ / (KH·KW) over the window (average); ∂L/∂X after that step is
the engine's backward pass of δ restricted to the windows so far, so the last frame is the engine's dX.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from engine.pool_trace import PoolingRun, output_cells, window_rows_cols
from viz.animation import figure_spec, play_controls, step_slider, typed_array
from viz.pooling_layout import (
    GAP,
    Grid,
    arrow_annotation,
    caption,
    cell_shape,
    empty_cells,
    grid_colorbar,
    grid_plan,
    heatmap,
    labels_trace,
    map_sizes,
    padding_cells,
    styled,
    window_shapes,
)
from viz.pooling_tex import cell_number, forward_step_text, routing_step_text
from viz.theme import CELL_COLOR, DIVERGING, TEXT_DARK, WINDOW_COLOR, line_width, symmetric_limits

# Above this many steps the slider's step labels would overlap: they are hidden (the current one shows).
MAX_TICK_LABELS = 24
# Trace indices the frames update.
FORWARD_OUTPUT = 3
ROUTING_DX = 2


class PoolingLabels(NamedTuple):
    """Every word the two figures show, translated by the page."""

    input_title: str
    output_title: str
    upstream_title: str
    dx_title: str
    value_colorbar: str
    gradient_colorbar: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str
    padding_hover: str


# ---------------------------------------------------------------------------------------------------------
# Where each grid sits in the shared axes


def _forward_grids(run: PoolingRun) -> tuple[Grid, Grid]:
    """The input (its cell (0, 0) sits after the padding) and the output, centred beside it."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    H_pad, W_pad, H_out, W_out = map_sizes(run)
    return Grid(pw, ph, H, W), Grid(W_pad + GAP, (H_pad - H_out) // 2, H_out, W_out)


def _routing_grids(run: PoolingRun) -> tuple[Grid, Grid]:
    """The upstream gradient (centred) and ∂L/∂X beside it, with room for its padding."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    H_pad, _, H_out, W_out = map_sizes(run)
    upstream = Grid(0, (H_pad - H_out) // 2, H_out, W_out)
    return upstream, Grid(W_out + GAP + pw, ph, H, W)


# ---------------------------------------------------------------------------------------------------------
# Frames: one per output cell, with the slider and Play/Pause


def _animated(
    fig: go.Figure, run: PoolingRun, frames: list[dict], labels: PoolingLabels, presentation: bool
) -> dict:
    """The spec of a styled figure with its frames, the first frame's layout, Play/Pause and the slider.

    The frame-sized parts are added to the spec as plain dicts: Plotly would validate every step of the
    slider and every shape (a quarter of a second for a few hundred steps).
    """
    names = [frame["name"] for frame in frames]
    steps = [f"({i}, {j})" for i, j in output_cells(run)]
    sliders = step_slider(names, steps, 0, labels.step_prefix, presentation)
    if len(steps) > MAX_TICK_LABELS:
        # Hundreds of step labels would print over each other: the current one still shows above the slider.
        sliders[0]["font"]["color"] = "rgba(0, 0, 0, 0)"
        sliders[0]["currentvalue"]["font"]["color"] = TEXT_DARK
    spec = figure_spec(fig, frames)
    spec["layout"].update(
        frames[0]["layout"],
        sliders=sliders,
        updatemenus=play_controls(names, 0, labels.speeds, labels.pause, presentation),
    )
    return spec


def _same_shape_count(layouts: list[dict]) -> list[dict]:
    """Give every frame's layout the same number of shapes, padding with hidden ones.

    Plotly merges a frame's shapes into the figure's index by index: a frame with fewer shapes than the
    one before would leave the extra highlights of that earlier frame on the screen.
    """
    n = max(len(layout["shapes"]) for layout in layouts)
    hidden = {"type": "rect", "xref": "x", "yref": "y", "x0": 0, "x1": 0, "y0": 0, "y1": 0, "visible": False}
    for layout in layouts:
        layout["shapes"] = [shape | {"visible": True} for shape in layout["shapes"]]
        layout["shapes"] += [hidden] * (n - len(layout["shapes"]))
    return layouts


def _frames(layouts: list[dict], maps: list[np.ndarray] | np.ndarray, trace: int) -> list[dict]:
    """One frame per step t: heatmap `trace` shows maps[t], the layout its shapes and annotations."""
    frames = []
    for t, (layout, z) in enumerate(zip(layouts, maps, strict=True)):
        data = [{"type": "heatmap", "z": typed_array(z)}]
        frames.append({"name": str(t), "data": data, "traces": [trace], "layout": layout})
    return frames


def _revealed(values: np.ndarray, t: int) -> np.ndarray:
    """The output with the cells after step t (row-major) blank (NaN): not computed yet."""
    shown = values.astype(np.float32).ravel().copy()
    shown[t + 1 :] = np.nan
    return shown.reshape(values.shape)


# ---------------------------------------------------------------------------------------------------------
# Forward


def forward_animation(run: PoolingRun, labels: PoolingLabels, *, presentation: bool = False) -> dict:
    """The window sliding over the padded input while the output map fills in, one frame per output cell.

    Args:
        run: from `run_pooling`.
        labels: the figure's words.
        presentation: larger type and lines.

    Returns:
        A JSON-ready figure spec (see `viz.animation.figure_spec`) with H_out·W_out frames; frame t sets
        trace FORWARD_OUTPUT to the output map with the cells after step t blank (NaN).
    """
    source, target = _forward_grids(run)
    n_cols = target.x0 + target.cols
    pad_text = "−∞" if run.mode == "max" else "0"
    plan = grid_plan(run, n_cols, [run.x, run.y], [pad_text], presentation)
    numbers = plan.font > 0
    limits = symmetric_limits(run.x)
    signed = dict(zmin=limits[0], zmax=limits[1], colorscale=DIVERGING, textfont={"size": max(plan.font, 1)})
    titles = [(source, labels.input_title, run.padding, False), (target, labels.output_title, (0, 0), True)]
    fig = go.Figure(
        [
            padding_cells(run, source, pad_text if numbers else "", labels.padding_hover, plan.font),
            heatmap(
                run.x,
                source,
                "X",
                numbers,
                colorbar=grid_colorbar(labels.value_colorbar, presentation),
                **signed,
            ),
            empty_cells(target),
            heatmap(_revealed(run.y, 0), target, "y", numbers, showscale=False, **signed),
            labels_trace(titles, plan.label_font),
        ]
    )
    layouts = _same_shape_count([_forward_layout(run, i, j, presentation) for i, j in output_cells(run)])
    frames = _frames(layouts, [_revealed(run.y, t) for t in range(len(layouts))], FORWARD_OUTPUT)
    return _animated(styled(fig, run, n_cols, plan.cell_px, presentation), run, frames, labels, presentation)


def _forward_layout(run: PoolingRun, i: int, j: int, presentation: bool) -> dict:
    """Shapes and annotations of one forward step: window, winner, output cell, arrow, arithmetic."""
    source, target = _forward_grids(run)
    width = line_width(presentation)
    rows = window_rows_cols(run, i, j)[0]
    shapes = [*window_shapes(run, source, i, j, width), cell_shape(target, i, j, CELL_COLOR, width)]
    tail = source.right_edge((rows[0] + rows[-1]) / 2)
    arrow = arrow_annotation(tail, target.xy(i, j - 0.5), WINDOW_COLOR, width)
    return {"shapes": shapes, "annotations": [arrow, caption(forward_step_text(run, i, j), presentation)]}


# ---------------------------------------------------------------------------------------------------------
# Backward: routing


def routing_animation(run: PoolingRun, labels: PoolingLabels, *, presentation: bool = False) -> dict:
    """The upstream gradient routed back window by window, ∂L/∂X accumulating (one frame per output cell).

    Args:
        run: from `run_pooling`.
        labels: the figure's words.
        presentation: larger type and lines.

    Returns:
        A JSON-ready figure spec with H_out·W_out frames; frame t sets trace ROUTING_DX to
        `run.dx_steps[t]`, so the last frame shows the engine's ∂L/∂X.
    """
    upstream, target = _routing_grids(run)
    n_cols = target.x0 + target.cols + run.padding[1]
    # Below the page's first screen: as wide as the page, as tall as that makes it.
    plan = grid_plan(run, n_cols, [run.dy, np.asarray(run.dx_steps)], [], presentation, first_screen=False)
    numbers = plan.font > 0
    limits = symmetric_limits(run.dy, run.dx)
    signed = dict(zmin=limits[0], zmax=limits[1], colorscale=DIVERGING, textfont={"size": max(plan.font, 1)})
    dx = heatmap(run.dx_steps[0], target, "∂L/∂X", numbers, showscale=False, **signed)
    # The hover also gives the input value: why a cell won (the forward figure shows the whole input).
    dx.update(
        text=np.vectorize(cell_number)(run.x),
        hovertemplate="∂L/∂X(%{customdata})<br>%{z:.4g}<br>X = %{text}<extra></extra>",
    )
    fig = go.Figure(
        [
            heatmap(
                run.dy,
                upstream,
                "δ",
                numbers,
                colorbar=grid_colorbar(labels.gradient_colorbar, presentation),
                **signed,
            ),
            padding_cells(run, target, "", labels.padding_hover, plan.font),
            dx,
            labels_trace(
                [
                    (upstream, labels.upstream_title, (0, 0), False),
                    (target, labels.dx_title, run.padding, True),
                ],
                plan.label_font,
            ),
        ]
    )
    layouts = _same_shape_count([_routing_layout(run, i, j, presentation) for i, j in output_cells(run)])
    frames = _frames(layouts, run.dx_steps, ROUTING_DX)
    return _animated(styled(fig, run, n_cols, plan.cell_px, presentation), run, frames, labels, presentation)


def _routing_layout(run: PoolingRun, i: int, j: int, presentation: bool) -> dict:
    """Shapes and annotations of one routing step: windows, winner, δ cell, the arrow, the arithmetic."""
    upstream, target = _routing_grids(run)
    width = line_width(presentation)
    shapes = [*window_shapes(run, target, i, j, width), cell_shape(upstream, i, j, CELL_COLOR, width)]
    if run.mode == "max":
        head = target.xy(int(run.winner_rows[i, j]), int(run.winner_cols[i, j]) - 0.5)
    else:
        rows, cols = window_rows_cols(run, i, j)
        head = target.xy((rows[0] + rows[-1]) / 2, cols[0] - 0.5)
    arrow = arrow_annotation(upstream.right_edge(i), head, CELL_COLOR, width)
    return {"shapes": shapes, "annotations": [arrow, caption(routing_step_text(run, i, j), presentation)]}
