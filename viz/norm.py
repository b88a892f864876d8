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

from engine.norm_views import BatchNormEntry

# Short names: the formulas below are long lines of them (the one formatter is viz.numbers).
from viz.numbers import tex_number as _v
from viz.numbers import tex_operand as _n
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
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[p.title for p in panels],
        row_titles=list(row_titles) if row_titles else None,
        horizontal_spacing=0.02 + 0.06 / cols,
        vertical_spacing=0.16 / rows,
    )
    size = font_size(presentation)
    for r, row in enumerate(grid, start=1):
        for k, p in enumerate(row, start=1):
            fig.add_trace(
                signed_heatmap(
                    p.values,
                    limits=limits[p.group],
                    text=cell_text(p.values, digits),
                    texttemplate="%{text}",
                    textfont=dict(size=size - 2),
                    xgap=2,
                    ygap=2,
                    hovertemplate="(%{y}, %{x}) = %{z:.6g}<extra></extra>",
                ),
                row=r,
                col=k,
            )
            matrix_axes(fig, row=r, col=k, showticklabels=False)
            fig.update_yaxes(showticklabels=False, row=r, col=k)
    cell_px = 40 if presentation else 34
    style_figure(
        fig,
        presentation=presentation,
        title=title,
        height=int((90 if title else 50) + rows * (H * cell_px + 40)),
    )
    fig.update_annotations(font_size=size - 1)
    fig.update_layout(margin=dict(t=90 if title else 50, r=40))
    return fig


def batchnorm_grids(
    x: np.ndarray, x_hat: np.ndarray, y: np.ndarray, dy: np.ndarray, dx: np.ndarray, words: Sequence[str]
) -> tuple[list[list[Panel]], list[list[Panel]]]:
    """The panels of batch norm's forward (x, x̂, y) and backward (∂L/∂y, ∂L/∂x) grids.

    Args:
        x, x_hat, y, dy, dx: (N, C, H, W) each.
        words: names of x, x̂, y, ∂L/∂y, ∂L/∂x, the word "example" and the word "channel".

    Returns:
        Two grids of N rows; each row holds every channel of each quantity (titles on the first row).
    """
    name_x, name_x_hat, name_y, name_dy, name_dx, _, channel = words

    def row(n: int, quantities) -> list[Panel]:
        return [
            Panel(f"{name} · {channel} {c + 1}" if n == 0 else "", a[n, c], group)
            for name, a, group in quantities
            for c in range(a.shape[1])
        ]

    forward = ((name_x, x, "x"), (name_x_hat, x_hat, "x_hat"), (name_y, y, "y"))
    backward = ((name_dy, dy, "g"), (name_dx, dx, "g"))
    return [row(n, forward) for n in range(x.shape[0])], [row(n, backward) for n in range(x.shape[0])]


def split_grid(
    x: np.ndarray, grads: Sequence[np.ndarray], dx: np.ndarray, words: Sequence[str]
) -> list[list[Panel]]:
    """x and its two copies above; ∂L/∂x (the sum) and each branch's gradient below.

    Args:
        x: (H, W);  grads: the two branches' gradients, each (H, W);  dx: their sum (H, W).
        words: names of x, of a copy, of ∂L/∂x and of a branch's gradient.
    """
    name_x, copy, name_dx, branch = words
    return [
        [Panel(name_x, x, "v"), Panel(f"{copy} 1", x, "v"), Panel(f"{copy} 2", x, "v")],
        [Panel(name_dx, dx, "g"), Panel(f"{branch} 1", grads[0], "g"), Panel(f"{branch} 2", grads[1], "g")],
    ]


def concat_grids(
    a: np.ndarray, b: np.ndarray, y: np.ndarray, dy: np.ndarray, da: np.ndarray, db: np.ndarray, channel: str
) -> tuple[list[list[Panel]], list[list[Panel]]]:
    """Forward: the channels of a and b above, of y below. Backward: ∂L/∂y above, ∂L/∂a and ∂L/∂b below.

    Args:
        a, da: (C1, H, W);  b, db: (C2, H, W);  y, dy: (C1 + C2, H, W).
        channel: the word "channel".
    """

    def channels(name: str, maps: np.ndarray, group: str) -> list[Panel]:
        return [Panel(f"{name} · {channel} {c + 1}", m, group) for c, m in enumerate(maps)]

    forward = [[*channels("a", a, "v"), *channels("b", b, "v")], channels("y", y, "v")]
    backward = [channels("∂L/∂y", dy, "g"), [*channels("∂L/∂a", da, "g"), *channels("∂L/∂b", db, "g")]]
    return forward, backward


# ------------------------------------------------------------------------------------------------- LaTeX


def _dL(of: str) -> str:
    """∂L/∂(of) in LaTeX."""
    return rf"\frac{{\partial L}}{{\partial {of}}}"


def batchnorm_forward_latex(e: BatchNormEntry) -> list[str]:
    """μ, σ², x̂ and y for one entry, the general formula then its numbers."""
    idx = f"{e.n + 1},{e.c + 1},{e.i + 1},{e.j + 1}"
    c = e.c + 1
    x, x_hat, mu, var = f"x_{{{idx}}}", rf"\hat{{x}}_{{{idx}}}", rf"\mu_{{{c}}}", rf"\sigma^2_{{{c}}}"
    return [
        rf"{mu} = \frac{{1}}{{m}} \sum_{{n,i,j}} x_{{n,{c},i,j}} = {_v(e.mean)}, \qquad "
        rf"{var} = \frac{{1}}{{m}} \sum_{{n,i,j}} (x_{{n,{c},i,j}} - {mu})^2 = {_v(e.var)}"
        rf"\qquad (m = N H W = {e.m})",
        rf"{x_hat} = \frac{{{x} - {mu}}}{{\sqrt{{{var} + \varepsilon}}}} = "
        rf"\frac{{{_n(e.x)} - {_n(e.mean)}}}{{\sqrt{{{_n(e.var)} + {_v(e.eps)}}}}} = "
        rf"{_v(e.x_hat)}",
        rf"y_{{{idx}}} = \gamma_{{{c}}} {x_hat} + \beta_{{{c}}} = {_n(e.gamma)} \cdot {_n(e.x_hat)}"
        rf" + {_n(e.beta)} = {_v(e.y)}",
    ]


def batchnorm_backward_latex(e: BatchNormEntry) -> list[str]:
    """The compact backward formula, then its numbers for one entry; dγ and dβ for its channel."""
    idx = f"{e.n + 1},{e.c + 1},{e.i + 1},{e.j + 1}"
    c = e.c + 1
    s = np.sqrt(e.var + e.eps)
    g, x_hat, dy = r"\hat{g}", r"\hat{x}", _dL("y")
    dx, dgamma, dbeta = _dL(f"x_{{{idx}}}"), _dL(rf"\gamma_{{{c}}}"), _dL(rf"\beta_{{{c}}}")
    return [
        rf"{_dL('x')} = \frac{{1}}{{m\sqrt{{\sigma^2 + \varepsilon}}}}\left(m\,{g} - \sum {g} - {x_hat} "
        rf"\sum {g}\,{x_hat}\right), \qquad {g} = \gamma\, {dy}",
        rf"{dx} = \frac{{1}}{{{e.m} \cdot {_v(s)}}}\left({e.m} \cdot {_n(e.dx_hat)}"
        rf" - {_n(e.sum_dx_hat)} - {_n(e.x_hat)} \cdot {_n(e.sum_dx_hat_x_hat)}\right) = "
        rf"{_v(e.dx)}",
        rf"{dgamma} = \sum_{{n,i,j}} {dy}\,{x_hat} = {_v(e.dgamma)}, \qquad "
        rf"{dbeta} = \sum_{{n,i,j}} {dy} = {_v(e.dbeta)}",
    ]


def split_latex(g1: float, g2: float, total: float, where: tuple[int, int]) -> str:
    """dx = g₁ + g₂ for one entry (the copies' gradients add)."""
    ij = f"{where[0] + 1},{where[1] + 1}"
    dx, d1, d2 = _dL(f"x_{{{ij}}}"), _dL(f"x^{{(1)}}_{{{ij}}}"), _dL(f"x^{{(2)}}_{{{ij}}}")
    return rf"{dx} = {d1} + {d2} = {_n(g1)} + {_n(g2)} = {_v(total)}"


def concat_latex(C1: int, C2: int) -> str:
    """How the concatenation's gradient is cut back: channels 1…C₁ to a, the rest to b."""

    def channels(first: int, last: int) -> str:
        return f"{first}" if first == last else f"{first}..{last}"

    return (
        rf"y = [\,a\,;\,b\,] \;\Rightarrow\; {_dL('a')} = {_dL('y')}_{{[{channels(1, C1)}]}}, \quad "
        rf"{_dL('b')} = {_dL('y')}_{{[{channels(C1 + 1, C1 + C2)}]}}"
    )
