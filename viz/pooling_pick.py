"""The pooling page's question figure: the input map with one window outlined, for a student to click the
cell that receives the window's gradient (ui/pooling/predict.py).

One heatmap of the input (one cell = one unit, rows going down), its numbers printed, the window outlined
in the figures' orange. Nothing shows which cell wins: that is the question.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from engine.pool_trace import PoolingRun, window_rows_cols
from viz.numbers import MIN_PROJECTED_PX, fitting_font, grid_texts
from viz.theme import DIVERGING, WINDOW_COLOR, line_width, style_figure, symmetric_limits

NUMBER_FORMAT = ".2~f"
CELL_PX, PRESENTATION_CELL_PX = 44, 52


def pick_figure(run: PoolingRun, i: int, j: int, hover: str, *, presentation: bool = False) -> go.Figure:
    """The input X with window (i, j) outlined; a click on a cell selects it (its point's x, y).

    Args:
        run: from `engine.pool_trace.run_pooling`.
        i, j: the window's output cell.
        hover: the hover label's word for a cell ("Click: this cell").

    Returns:
        A figure (H·cell tall): x = column, y = row of each input cell.
    """
    H, W = run.x.shape
    cell = PRESENTATION_CELL_PX if presentation else CELL_PX
    font = fitting_font(
        grid_texts(run.x, NUMBER_FORMAT), cell, smallest=MIN_PROJECTED_PX if presentation else 10
    )
    low, high = symmetric_limits(run.x)
    fig = go.Figure(
        go.Heatmap(
            z=run.x,
            x=np.arange(W),
            y=np.arange(H),
            zmin=low,
            zmax=high,
            colorscale=DIVERGING,
            showscale=False,
            xgap=2,
            ygap=2,
            texttemplate=f"%{{z:{NUMBER_FORMAT}}}" if font else "",
            textfont={"size": max(font, 1)},
            hovertemplate=f"X(%{{y}}, %{{x}}) = %{{z:.4g}}<br>{hover}<extra></extra>",
        )
    )
    # A click on a heatmap selects nothing: nearly invisible markers over every cell centre take it, and
    # their point's x, y name the cell (../shared/TESTING.md, "Clicking a cell of a heatmap").
    cc, rr = np.meshgrid(np.arange(W), np.arange(H))
    fig.add_trace(
        go.Scatter(
            x=cc.ravel(),
            y=rr.ravel(),
            mode="markers",
            marker={"size": cell * 0.8, "opacity": 0.01, "color": "black", "symbol": "square"},
            customdata=run.x.ravel(),
            hovertemplate=f"X(%{{y}}, %{{x}}) = %{{customdata:.4g}}<br>{hover}<extra></extra>",
            showlegend=False,
        )
    )
    rows, cols = window_rows_cols(run, i, j)
    fig.add_shape(
        type="rect",
        x0=cols[0] - 0.5,
        x1=cols[-1] + 0.5,
        y0=rows[0] - 0.5,
        y1=rows[-1] + 0.5,
        line={"color": WINDOW_COLOR, "width": line_width(presentation) + 1},
    )
    style_figure(fig, presentation=presentation, height=H * cell + 60)
    fig.update_xaxes(range=[-0.6, W - 0.4], side="top", dtick=1, fixedrange=True, constrain="domain")
    fig.update_yaxes(
        range=[H - 0.4, -0.6], dtick=1, fixedrange=True, scaleanchor="x", scaleratio=1, constrain="domain"
    )
    fig.update_layout(margin={"l": 40, "r": 10, "t": 40, "b": 10}, clickmode="event+select", dragmode=False)
    return fig
