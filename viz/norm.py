"""Figures and formulas of the normalization page (FORMULAS.md §7): batch norm, split and concatenation.

Every array is drawn as small heatmaps with their numbers, on the diverging scale (white = 0, symmetric
limits shared by the columns of one group, so equal colours mean equal values within a quantity).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.network import latex_number
from viz.theme import cell_text, font_size, matrix_axes, signed_heatmap, style_figure, symmetric_limits


class Panel(NamedTuple):
    """One small heatmap of the grid."""

    title: str  # "" for none
    values: np.ndarray  # (H, W)
    group: str  # panels of one group share one colour scale


def maps_figure(
    grid: Sequence[Sequence[Panel]],
    *,
    row_titles: Sequence[str] | None = None,
    presentation: bool = False,
    title: str | None = None,
    digits: int = 2,
) -> go.Figure:
    """A grid of small heatmaps with their numbers, each panel on its group's symmetric diverging scale.

    Args:
        grid: rows of panels, all rows equally long, all panels of one shape (H, W).
        row_titles: shown at the right of each row (e.g. the example n).
        digits: decimals printed in the cells.

    Returns:
        The figure.
    """
    panels = [p for row in grid for p in row]
    H = panels[0].values.shape[0]
    groups = {p.group for p in panels}
    limits = {g: symmetric_limits(*(p.values for p in panels if p.group == g)) for g in groups}
    rows, cols = len(grid), len(grid[0])
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[p.title for p in panels],
                        row_titles=list(row_titles) if row_titles else None,
                        horizontal_spacing=0.02 + 0.06 / cols, vertical_spacing=0.16 / rows)  # fmt: skip
    size = font_size(presentation)
    for r, row in enumerate(grid, start=1):
        for k, p in enumerate(row, start=1):
            fig.add_trace(signed_heatmap(p.values, limits=limits[p.group], text=cell_text(p.values, digits),
                                         texttemplate="%{text}", textfont=dict(size=size - 2), xgap=2, ygap=2,
                                         hovertemplate="(%{y}, %{x}) = %{z:.6g}<extra></extra>"),
                          row=r, col=k)  # fmt: skip
            matrix_axes(fig, row=r, col=k, showticklabels=False)
            fig.update_yaxes(showticklabels=False, row=r, col=k)
    cell_px = 40 if presentation else 34
    style_figure(fig, presentation=presentation, title=title,
                 height=int((90 if title else 50) + rows * (H * cell_px + 40)))  # fmt: skip
    fig.update_annotations(font_size=size - 1)
    fig.update_layout(margin=dict(t=90 if title else 50, r=40))
    return fig


# ------------------------------------------------------------------------------------------------- LaTeX


def _n(v: float) -> str:
    text = latex_number(v, 4)
    return f"({text})" if v < 0 and text != "0" else text


class BatchNormEntry(NamedTuple):
    """The numbers of one entry x(n, c, i, j) and of its channel c that the formulas show."""

    n: int
    c: int
    i: int
    j: int
    m: int  # values per channel: N·H·W
    x: float
    mean: float  # μ_c
    var: float  # σ²_c
    eps: float
    x_hat: float
    gamma: float
    beta: float
    y: float
    dy: float
    dx_hat: float  # dy · γ
    sum_dx_hat: float  # Σ over the channel of dx̂
    sum_dx_hat_x_hat: float  # Σ over the channel of dx̂ · x̂
    dx: float
    dgamma: float
    dbeta: float


def batchnorm_forward_latex(e: BatchNormEntry) -> list[str]:
    """μ, σ², x̂ and y for one entry, the general formula then its numbers."""
    idx = f"{e.n + 1},{e.c + 1},{e.i + 1},{e.j + 1}"
    c = e.c + 1
    return [
        rf"\mu_{{{c}}} = \frac{{1}}{{m}} \sum_{{n,i,j}} x_{{n,{c},i,j}} = {_n(e.mean)}, \qquad "
        rf"\sigma^2_{{{c}}} = \frac{{1}}{{m}} \sum_{{n,i,j}} (x_{{n,{c},i,j}} - \mu_{{{c}}})^2 = {_n(e.var)}"
        rf"\qquad (m = N H W = {e.m})",
        rf"\hat{{x}}_{{{idx}}} = \frac{{x_{{{idx}}} - \mu_{{{c}}}}}{{\sqrt{{\sigma^2_{{{c}}} + \varepsilon}}}} = "
        rf"\frac{{{_n(e.x)} - {_n(e.mean)}}}{{\sqrt{{{_n(e.var)} + {latex_number(e.eps)}}}}} = {_n(e.x_hat)}",
        rf"y_{{{idx}}} = \gamma_{{{c}}} \hat{{x}}_{{{idx}}} + \beta_{{{c}}} = {_n(e.gamma)} \cdot {_n(e.x_hat)}"
        rf" + {_n(e.beta)} = {_n(e.y)}",
    ]


def batchnorm_backward_latex(e: BatchNormEntry) -> list[str]:
    """The compact backward formula, then its numbers for one entry; dγ and dβ for its channel."""
    idx = f"{e.n + 1},{e.c + 1},{e.i + 1},{e.j + 1}"
    c = e.c + 1
    s = np.sqrt(e.var + e.eps)
    return [
        r"\frac{\partial L}{\partial x} = \frac{1}{m\sqrt{\sigma^2 + \varepsilon}}\left(m\,\hat{g} - "
        r"\sum \hat{g} - \hat{x} \sum \hat{g}\,\hat{x}\right), \qquad \hat{g} = \gamma\, \frac{\partial L}{\partial y}",
        rf"\frac{{\partial L}}{{\partial x_{{{idx}}}}} = \frac{{1}}{{{e.m} \cdot {latex_number(s)}}}\left({e.m}"
        rf" \cdot {_n(e.dx_hat)} - {_n(e.sum_dx_hat)} - {_n(e.x_hat)} \cdot {_n(e.sum_dx_hat_x_hat)}\right)"
        rf" = {_n(e.dx)}",
        rf"\frac{{\partial L}}{{\partial \gamma_{{{c}}}}} = \sum_{{n,i,j}} \frac{{\partial L}}{{\partial y}}\,"
        rf"\hat{{x}} = {_n(e.dgamma)}, \qquad \frac{{\partial L}}{{\partial \beta_{{{c}}}}} = "
        rf"\sum_{{n,i,j}} \frac{{\partial L}}{{\partial y}} = {_n(e.dbeta)}",
    ]


def split_latex(g1: float, g2: float, total: float, where: tuple[int, int]) -> str:
    """dx = g₁ + g₂ for one entry (the copies' gradients add)."""
    i, j = where[0] + 1, where[1] + 1
    return (rf"\frac{{\partial L}}{{\partial x_{{{i},{j}}}}} = \frac{{\partial L}}{{\partial x^{{(1)}}_{{{i},{j}}}}}"
            rf" + \frac{{\partial L}}{{\partial x^{{(2)}}_{{{i},{j}}}}} = {_n(g1)} + {_n(g2)} = {_n(total)}")  # fmt: skip


def concat_latex(C1: int, C2: int) -> str:
    """How the concatenation's gradient is cut back: channels 1…C₁ to a, the rest to b."""
    return (rf"y = [\,a\,;\,b\,] \;\Rightarrow\; \frac{{\partial L}}{{\partial a}} = "
            rf"\frac{{\partial L}}{{\partial y}}_{{[1..{C1}]}}, \quad \frac{{\partial L}}{{\partial b}} = "
            rf"\frac{{\partial L}}{{\partial y}}_{{[{C1 + 1}..{C1 + C2}]}}")  # fmt: skip
