"""Where a planted mistake shows: maps of how far a gradient is from the one it should be, side by side.

Each panel is one array (dW of a kernel, dX of a channel, pooling's ∂L/∂X), drawn on the diverging scale
with limits symmetric about 0 (white: no difference), each panel with its own limits and colour bar so a
small dW error is not washed out by a large dX one. Cells with no number (NaN: an entry the gradient check
did not sample) are left blank and say so on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from viz.numbers import figure_number
from viz.theme import DIVERGING, base_layout, colorbar, font_size, symmetric_limits


class DifferenceLabels(NamedTuple):
    """Every word of the difference figure, translated by the page."""

    bar: str  # the colour bars' title, e.g. "planted − numerical"
    unchecked: str  # hover text of a blank cell
    row: str  # hover words before the row and column numbers
    col: str


def difference_figure(
    panels: Sequence[tuple[str, np.ndarray]],
    labels: DifferenceLabels,
    *,
    floors: Sequence[float] | None = None,
    presentation: bool = False,
) -> dict:
    """Maps side by side, each on the diverging scale centred on 0.

    Args:
        panels: (title, map (rows, cols)) per panel, left to right; NaN marks a cell with no number.
        labels: the figure's words.
        floors: per panel, the smallest limit of its scale: differences far below it (rounding, ~1e-13 of
            a gradient of 1) stay white instead of filling the scale. None: each panel's own largest |value|.

    Returns:
        A figure spec (plain dicts and lists).
    """
    n = len(panels)
    gap, bar_room = 0.1, 0.06
    width = (1.0 - gap * (n - 1)) / n
    size = font_size(presentation)
    data, layout = [], base_layout(presentation=presentation, height=420 if presentation else 340)
    notes = []
    for p, (title, z) in enumerate(panels):
        z = np.asarray(z, dtype=np.float64)
        x0 = p * (width + gap)
        x1 = x0 + width - bar_room
        low, high = symmetric_limits(z) if np.isfinite(z).any() else (-1.0, 1.0)
        if floors is not None and floors[p] > high:
            low, high = -float(floors[p]), float(floors[p])
        hover = [
            [
                f"{labels.row} {i}, {labels.col} {j}<br>"
                + (labels.unchecked if np.isnan(v) else figure_number(float(v), 4))
                for j, v in enumerate(row)
            ]
            for i, row in enumerate(z)
        ]
        suffix = "" if p == 0 else str(p + 1)
        data.append(
            {
                "type": "heatmap",
                "z": [[None if np.isnan(v) else float(v) for v in row] for row in z],
                "zmin": low,
                "zmax": high,
                "colorscale": DIVERGING,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "hoverongaps": True,
                "colorbar": colorbar(labels.bar, presentation, x=x1 + 0.01, len=0.85, xanchor="left"),
            }
        )
        rows, cols = z.shape
        layout[f"xaxis{suffix}"] = {
            "domain": [x0, x1],
            "range": [-0.5, cols - 0.5],
            "showgrid": False,
            "zeroline": False,
            "constrain": "domain",
            "anchor": f"y{suffix}",
            **_whole_ticks(cols),
        }
        layout[f"yaxis{suffix}"] = {
            "range": [rows - 0.5, -0.5],  # row 0 at the top, as the maps everywhere else in the app
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": f"x{suffix}",
            "anchor": f"x{suffix}",
            **_whole_ticks(rows),
            "constrain": "domain",
            "domain": [0.0, 0.9],
        }
        notes.append(
            {
                "text": title,
                "xref": "paper",
                "yref": "paper",
                "x": (x0 + x1) / 2,
                "y": 1.0,
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": size},
            }
        )
    layout["annotations"] = notes
    layout["margin"] = {"l": 40, "r": 10, "t": 30, "b": 30}  # room for the row numbers left of the first map
    layout["plot_bgcolor"] = "#eeeeee"  # blank (unchecked) cells show as light grey, not as white = 0
    return {"data": data, "layout": layout}


def _whole_ticks(n: int) -> dict:
    """Ticks on whole cells only: every cell of a short axis, Plotly's own choice on a long one."""
    return {"dtick": 1} if n <= 12 else {}
