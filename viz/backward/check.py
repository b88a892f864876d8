"""The gradient check: each checked entry's relative error on a log scale, by array, with the 10⁻⁷ line."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.layer_check import GradientCheck
from viz.numbers import figure_number
from viz.theme import BLUE, VERMILLION, base_layout, font_size


class CheckLabels(NamedTuple):
    """Every word of the gradient-check figure, translated by the page."""

    arrays: tuple[str, str, str]  # axis names of dW, db, dX
    smooth: str  # legend: entries checked
    kink: str  # legend: entries at a kink (left out)
    threshold: str  # the 1e-7 line's label
    y_title: str
    exact: str  # hover text for an error of exactly 0
    # Hover words before each entry's numbers.
    analytic: str
    numeric: str
    error: str


def check_figure(check: GradientCheck, labels: CheckLabels, *, presentation: bool = False) -> dict:
    """Each checked entry's relative error on a log scale, by array, with the 10⁻⁷ line.

    An error of exactly 0 is drawn at 10⁻¹⁷ (a log axis has no 0) and says so on hover.
    """
    position = {"W": 0, "b": 1, "X": 2}
    x = np.array([position[a] for a in check.arrays], dtype=float)
    # Spread each array's dots sideways in a fixed pattern (no randomness: the figure never changes).
    x += (np.arange(len(x)) * 0.618034 % 1.0 - 0.5) * 0.5
    y = np.maximum(check.errors, 1e-17)
    names = np.array([f"d{a}[{', '.join(map(str, i))}]" for a, i in zip(check.arrays, check.indices)])
    size = font_size(presentation)
    data = []
    for mask, name, color, symbol in (
        (~check.kinks, labels.smooth, BLUE, "circle"),
        (check.kinks, labels.kink, VERMILLION, "x"),
    ):
        if not mask.any():
            continue
        hover = [
            f"{n}<br>{labels.analytic} {figure_number(a, 8)}<br>{labels.numeric} {figure_number(v, 8)}<br>"
            + (labels.exact if e == 0 else f"{labels.error} {e:.2e}")
            for n, a, v, e in zip(names[mask], check.analytic[mask], check.numeric[mask], check.errors[mask])
        ]
        marker = {"color": color, "size": 11 if presentation else 8, "symbol": symbol, "opacity": 0.8}
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": x[mask].tolist(),
                "y": y[mask].tolist(),
                "name": name,
                "marker": marker,
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    line = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": 1e-7,
        "y1": 1e-7,
        "line": {"color": VERMILLION, "width": 2, "dash": "dash"},
    }
    note = {
        "text": labels.threshold,
        "xref": "paper",
        "x": 1.0,
        "xanchor": "right",
        "yref": "y",
        "y": -7,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size, "color": VERMILLION},
    }
    layout = base_layout(presentation=presentation, height=420 if presentation else 360)
    layout.update(
        xaxis={
            "tickvals": [0, 1, 2],
            "ticktext": list(labels.arrays),
            "range": [-0.6, 2.6],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "type": "log",
            # automargin widens the left margin to fit the tick labels (10⁻¹⁶ is wide in presentation
            # mode) and the title beside them; standoff keeps a gap between the two.
            "title": {"text": labels.y_title, "standoff": 12},
            "automargin": True,
            "range": [-17.5, 0.5],
            "exponentformat": "power",
            "dtick": 2,
            "gridcolor": "#e5e5e5",
        },
        shapes=[line],
        annotations=[note],
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
    )
    layout["margin"] = {"l": 20, "r": 10, "t": 50, "b": 40}
    return {"data": data, "layout": layout}
