"""The whole image swept row by row: δ's rows send their gradient back, dX fills in, dW adds up."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from engine.geometry import ConvGeometry
from viz.animation import block_rect, play_controls, step_slider, typed_array
from viz.backward.common import (
    cell_numbers,
    cell_side_px,
    fit_height,
    grid_scale,
    heatmap,
    hidden_axes,
    map_traces,
    matrix_axes,
    panel_title,
    scaled,
    side_by_side,
)
from viz.feature_maps import input_cols_of, input_rows_of, picture_trace
from viz.numbers import figure_number
from viz.theme import CELL_COLOR, WINDOW_COLOR, base_layout, colorbar, font_size, line_width, symmetric_limits

MAX_SWEEP_FRAMES = 64


class SweepLabels(NamedTuple):
    """Every word of the sweep, translated by the page."""

    input_title: str
    delta_title: str
    dx_title: str
    dw_title: str
    db_line: str  # "db so far = {db}"
    row_prefix: str
    speeds: tuple[str, ...]
    pause: str
    colorbar: str


def backward_sweep(
    picture: str,
    delta: np.ndarray,
    dx: np.ndarray,
    dw_rows: np.ndarray,
    geometry: ConvGeometry,
    labels: SweepLabels,
    *,
    presentation: bool = False,
) -> dict:
    """The whole image swept row by row: δ's rows send their gradient back, dX fills in, dW adds up.

    Args:
        picture: the input image as a data URI; delta: one kernel's δ (H_out, W_out); dx: one channel of
            that kernel's dX (H, W); dw_rows: (H_out, C, KH, KW) each output row's share of dW.
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        A figure spec with at most MAX_SWEEP_FRAMES frames; the maps travel once as 8-bit codes, and a
        frame carries the shapes, the small dW grid and the db text.
    """
    H_out = delta.shape[0]
    per_frame = max(1, math.ceil(H_out / MAX_SWEEP_FRAMES))
    groups = [(r, min(H_out, r + per_frame) - 1) for r in range(0, H_out, per_frame)]
    dw_running = np.cumsum(dw_rows, axis=0)
    db_running = np.cumsum(delta.sum(axis=1))
    x = {"input": (0.0, 0.22), "delta": (0.26, 0.48), "dx": (0.52, 0.74), "right": (0.85, 1.0)}
    y_right = {"dw": (0.45, 0.9), "text": (0.05, 0.3)}
    plot_h = fit_height([geometry.in_size, delta.shape], 0.22, 200, 520)
    dw_limits = symmetric_limits(dw_running)
    scale = grid_scale(dw_limits)
    size = font_size(presentation)
    grid = side_by_side(dw_running[groups[0][1]])
    numbers = cell_numbers(cell_side_px(grid.shape, x["right"], plot_h, y_right["dw"]), presentation, 5)
    bar = colorbar(labels.colorbar, presentation, x=0.745, len=0.85)
    data = [
        picture_trace(picture, ""),
        *map_traces(delta, 2, symmetric_limits(delta)),
        *map_traces(dx, 3, symmetric_limits(dx), bar=bar),
    ]
    moving = [len(data), len(data) + 1]  # the dW grid and the db text, updated by the frames
    data += [
        heatmap(
            grid * scale.factor,
            4,
            scaled(dw_limits, scale),
            numbers=numbers,
            number_format=scale.number_format,
            gaps=True,
        ),
        _sweep_text(labels, db_running[groups[0][1]], presentation),
    ]
    width = line_width(presentation)
    names = [str(k) for k in range(len(groups))]
    frames = [
        {
            "name": name,
            "data": [
                {"type": "heatmap", "z": typed_array(side_by_side(dw_running[last]) * scale.factor)},
                {"type": "scatter", "text": [labels.db_line.format(db=figure_number(db_running[last], 3))]},
            ],
            "traces": moving,
            "layout": {"shapes": _sweep_shapes((first, last), geometry, width)},
        }
        for name, (first, last) in zip(names, groups)
    ]
    axes = {
        **matrix_axes(1, x["input"], (0, 1), geometry.in_size),
        **matrix_axes(2, x["delta"], (0, 1), delta.shape),
        **matrix_axes(3, x["dx"], (0, 1), geometry.in_size),
        **matrix_axes(4, x["right"], y_right["dw"], grid.shape, ticks=False),
        **hidden_axes(5, x["right"], y_right["text"]),
    }
    titles = [
        panel_title(labels.input_title, x["input"], 1.0, size, 24),
        panel_title(labels.delta_title, x["delta"], 1.0, size, 24),
        panel_title(labels.dx_title, x["dx"], 1.0, size, 24),
        panel_title(labels.dw_title + scale.suffix, x["right"], y_right["dw"][1], size),
    ]
    layout = base_layout(presentation=presentation, height=plot_h + 200)
    layout.update(axes, annotations=titles, shapes=_sweep_shapes(groups[0], geometry, width), dragmode=False)
    layout["margin"] = {"l": 45, "r": 10, "t": 90 if presentation else 70, "b": 140}
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation)
    step_labels = [f"{a}–{b}" if a != b else f"{a}" for a, b in groups]
    layout["sliders"] = step_slider(names, step_labels, 0, labels.row_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _sweep_text(labels: SweepLabels, db: float, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [0.5],
        "xaxis": "x5",
        "yaxis": "y5",
        "text": [labels.db_line.format(db=figure_number(db, 3))],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation)},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _sweep_shapes(group: tuple[int, int], geometry: ConvGeometry, width: float) -> list[dict]:
    """The band of input rows the group's windows read; δ's rows; on dX the rows still being written
    (pale) and the rows not reached yet (hidden)."""
    first, last = group
    H, W = geometry.in_size
    H_out, W_out = geometry.out_size
    band = input_rows_of(geometry, first, last)
    full_width = input_cols_of(geometry, 0, W_out - 1)
    line = {"color": WINDOW_COLOR, "width": width}
    shapes = [
        block_rect(band, full_width, "x", "y", line=line, fillcolor="rgba(230, 159, 0, 0.15)"),
        block_rect((first, last), (0, W_out - 1), "x2", "y2", line={"color": CELL_COLOR, "width": width}),
        block_rect(band, full_width, "x3", "y3", line=line),
    ]
    if last + 1 < H_out:
        if band[1] + 1 < H:
            # Rows below the band get gradient from later output rows only: hidden until then.
            cover = {"fillcolor": "white", "line": {"width": 0}, "layer": "above"}
            shapes.append(block_rect((band[1] + 1, H - 1), (0, W - 1), "x3", "y3", **cover))
        # Rows of the band that the next output rows also write to are not final yet: pale.
        unfinished = input_rows_of(geometry, last + 1, last + 1)[0]
        if unfinished <= band[1]:
            veil = {"fillcolor": "rgba(255, 255, 255, 0.6)", "line": {"width": 0}, "layer": "above"}
            shapes.append(block_rect((unfinished, band[1]), (0, W - 1), "x3", "y3", **veil))
    return shapes
