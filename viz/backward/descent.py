"""Learning the kernel: the loss curve and one kernel converging toward its target, animated."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.descent import Descent
from viz.animation import play_controls, step_slider, typed_array
from viz.backward.common import (
    cell_numbers,
    cell_side_px,
    columns,
    heatmap,
    matrix_axes,
    panel_title,
    side_by_side,
)
from viz.theme import BLUE, VERMILLION, base_layout, font_size, symmetric_limits

MAX_DESCENT_FRAMES = 60


class DescentLabels(NamedTuple):
    """Every word of the learning figure, translated by the page."""

    loss_title: str
    x_title: str  # "step"
    y_title: str  # "loss"
    start_title: str
    now_title: str
    target_title: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str


def descent_figure(
    descent: Descent,
    target: np.ndarray,
    labels: DescentLabels,
    *,
    kernel: int = 0,
    presentation: bool = False,
) -> dict:
    """The loss curve and one kernel converging toward its target, animated over the steps taken.

    Args:
        descent: engine.descent.descend's history.
        target: (F, C, KH, KW) the target kernels.
        kernel: which kernel f to show (channels side by side).

    Returns:
        A figure spec; frames (at most MAX_DESCENT_FRAMES) move the marker on the curve and update the
        "now" grid; it opens on the last step.
    """
    f = kernel
    n_steps = len(descent.losses) - 1
    shown = np.unique(np.linspace(0, n_steps, min(MAX_DESCENT_FRAMES, n_steps + 1)).round().astype(int))
    grids = [
        side_by_side(descent.kernels[0, f]),
        side_by_side(descent.kernels[-1, f]),
        side_by_side(target[f]),
    ]
    limits = symmetric_limits(descent.kernels[:, f], target[f])
    x_curve, x_grids = (0.0, 0.4), [(0.5 + a, 0.5 + b) for a, b in columns(3, 0.04, right=0.5)]
    plot_h = 380 if presentation else 330
    # The curve's tick labels and axis title sit inside the figure, above the Play buttons.
    y_curve, y_grids = (0.2, 1.0), (0.2, 0.85)
    numbers = cell_numbers(cell_side_px(grids[0].shape, x_grids[0], plot_h, y_grids), presentation, 5)
    losses = np.maximum(descent.losses, 1e-300)
    curve = {
        "type": "scatter",
        "mode": "lines",
        "x": list(range(n_steps + 1)),
        "y": losses.tolist(),
        "xaxis": "x",
        "yaxis": "y",
        "line": {"color": BLUE, "width": 3},
        "showlegend": False,
        "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
    }
    data = [curve, _marker(n_steps, losses[-1], presentation)]
    for n, z in enumerate(grids, start=2):
        data.append(heatmap(z, n, limits, numbers=numbers, number_format=".2f", gaps=True))
    frames = [
        {
            "name": str(k),
            "data": [
                _marker(k, losses[k], presentation),
                {"type": "heatmap", "z": typed_array(side_by_side(descent.kernels[k, f]))},
            ],
            "traces": [1, 3],
        }
        for k in shown
    ]
    axes = {
        "xaxis": {
            "domain": list(x_curve),
            "anchor": "y",
            "title": {"text": labels.x_title},
            "rangemode": "tozero",
        },
        "yaxis": {
            "anchor": "x",
            "domain": list(y_curve),
            "type": "log",
            "dtick": 1,  # one tick per power of ten
            "title": {"text": labels.y_title},
            "exponentformat": "power",
            "gridcolor": "#e5e5e5",
        },
    }
    for n, domain in enumerate(x_grids, start=2):
        axes.update(matrix_axes(n, domain, y_grids, grids[0].shape, ticks=False))
    size = font_size(presentation)
    titles = [panel_title(labels.loss_title, x_curve, 1.0, size)]
    grid_titles = (labels.start_title, labels.now_title, labels.target_title)
    titles += [panel_title(text, d, y_grids[1], size) for text, d in zip(grid_titles, x_grids)]
    layout = base_layout(presentation=presentation, height=plot_h + 210)
    layout.update(axes, annotations=titles, dragmode=False)
    layout["margin"] = {"l": 70, "r": 10, "t": 40, "b": 130}
    names = [str(k) for k in shown]
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation)
    layout["sliders"] = step_slider(names, names, len(names) - 1, labels.step_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _marker(step: int, loss: float, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [int(step)],
        "y": [float(loss)],
        "xaxis": "x",
        "yaxis": "y",
        "marker": {"color": VERMILLION, "size": 16 if presentation else 12},
        "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
        "showlegend": False,
    }
