"""How the pooling page writes its arithmetic (FORMULAS.md §3): the LaTeX of one output cell with its numbers
substituted, and the step texts and numbers of the figures. The numbers come from `engine.pool_trace`."""

from __future__ import annotations

import numpy as np

from engine.pool_trace import (
    PoolingRun,
    window_input_rows_cols,
    window_share,
    window_sum,
    window_values,
    windows_won_by,
)
from viz.numbers import figure_number


def general_latex(mode: str) -> tuple[str, str]:
    """The forward and backward formulas of the layer (FORMULAS.md §3), with symbols only."""
    window = r"X^{\mathrm{pad}}_{i s_h + k,\; j s_w + l}"
    if mode == "max":
        forward = rf"y_{{i,j}} = \max_{{0 \le k < K_H,\; 0 \le l < K_W}} {window}"
        backward = r"\frac{\partial L}{\partial X_{u,v}} = \sum_{(i,j)\,:\; m(i,j) = (u,v)} \delta_{i,j}"
    else:
        forward = rf"y_{{i,j}} = \frac{{1}}{{K_H K_W}} \sum_{{k=0}}^{{K_H-1}} \sum_{{l=0}}^{{K_W-1}} {window}"
        backward = (
            r"\frac{\partial L}{\partial X_{u,v}} = "
            r"\sum_{(i,j)\,:\; (u,v) \in R(i,j)} \frac{\delta_{i,j}}{K_H K_W}"
        )
    return forward, backward


def cell_latex(run: PoolingRun, i: int, j: int) -> tuple[str, str]:
    """Forward and backward equations of output cell (i, j) with the run's numbers substituted."""
    matrix = _tex_matrix(window_values(run, i, j))
    KH, KW = run.size
    if run.mode == "max":
        forward = rf"y_{{{i},{j}}} = \max {matrix} = {_tex(run.y[i, j])}"
    else:
        forward = (
            rf"y_{{{i},{j}}} = \frac{{1}}{{{KH} \cdot {KW}}} \sum {matrix}"
            rf" = \frac{{{_tex(window_sum(run, i, j))}}}{{{KH * KW}}} = {_tex(run.y[i, j])}"
        )
    return forward, _backward_latex(run, i, j)


def _backward_latex(run: PoolingRun, i: int, j: int) -> str:
    d = _tex(run.dy[i, j])
    if run.mode == "avg":
        rows, cols = window_input_rows_cols(run, i, j)
        KH, KW = run.size
        return (
            rf"\frac{{\partial L}}{{\partial X_{{u,v}}}} \mathrel{{+}}= "
            rf"\frac{{\delta_{{{i},{j}}}}}{{{KH} \cdot {KW}}} = \frac{{{d}}}{{{KH * KW}}}"
            rf" = {_tex(window_share(run, i, j))},"
            rf"\quad u \in \{{{_tex_span(rows)}\}},\; v \in \{{{_tex_span(cols)}\}}"
        )
    r, c = int(run.winner_rows[i, j]), int(run.winner_cols[i, j])
    # Every window that this cell wins sends its δ here: the overlaps add up (the engine's dX says the total).
    won = windows_won_by(run, r, c)
    names = " + ".join(rf"\delta_{{{a},{b}}}" for a, b in won)
    values = " + ".join(_tex_signed(run.dy[a, b], first=n == 0) for n, (a, b) in enumerate(won))
    step = (
        rf"\frac{{\partial L}}{{\partial X_{{{r},{c}}}}} \mathrel{{+}}= \delta_{{{i},{j}}} = {d},"
        rf"\quad \frac{{\partial L}}{{\partial X_{{u,v}}}} \mathrel{{+}}= 0 \;\; (u, v) \ne ({r}, {c})"
    )
    total = rf"\frac{{\partial L}}{{\partial X_{{{r},{c}}}}} = {names}"
    if len(won) > 1:
        total += f" = {values}"
    return rf"{step} \\ {total} = {_tex(run.dx[r, c])}"


# ---------------------------------------------------------------------------------------------------------
# The arithmetic of one animation step, as the figures write it above the grids


def forward_step_text(run: PoolingRun, i: int, j: int) -> str:
    """The arithmetic of output cell (i, j), e.g. "y(0, 1) = max(4, 4, −1, 3) = 4"."""
    values = [cell_number(v) for v in window_values(run, i, j).ravel()]
    if len(values) > 9:  # a long list would run off the figure: the first four, …, the last
        values = [*values[:4], "…", values[-1]]
    KH, KW = run.size
    if run.mode == "max":
        return f"y({i}, {j}) = max({', '.join(values)}) = {cell_number(run.y[i, j])}"
    total = cell_number(window_sum(run, i, j))
    terms = "".join(f" − {v[1:]}" if v.startswith("−") else f" + {v}" for v in values[1:])
    return (
        f"y({i}, {j}) = ({values[0]}{terms}) / {KH * KW} = {total} / {KH * KW} = {cell_number(run.y[i, j])}"
    )


def routing_step_text(run: PoolingRun, i: int, j: int) -> str:
    """Where window (i, j)'s gradient goes, e.g. "∂L/∂X(0, 2) += δ(0, 1) = 0.7"."""
    d = cell_number(run.dy[i, j])
    if run.mode == "max":
        r, c = int(run.winner_rows[i, j]), int(run.winner_cols[i, j])
        return f"∂L/∂X({r}, {c}) += δ({i}, {j}) = {d}"
    rows, cols = window_input_rows_cols(run, i, j)
    KH, KW = run.size
    share = cell_number(window_share(run, i, j))
    where = f"{index_span(rows)}, {index_span(cols)}"
    return f"∂L/∂X({where}) += δ({i}, {j}) / {KH * KW} = {d} / {KH * KW} = {share}"


# ---------------------------------------------------------------------------------------------------------
# Number formatting (presentation only)


def cell_number(v: float) -> str:
    """A number for the figure text: integers as integers, else up to 4 significant digits; real minus."""
    if np.isinf(v):
        return "−∞" if v < 0 else "∞"
    # Integers whole (figure_number would write 12345 as 1.234e+04); the rest as figure_number does.
    return str(int(v)).replace("-", "−") if float(v).is_integer() else figure_number(v)


def index_span(r: range) -> str:
    """Indices of a range for the figure text: "3" or "0..2"."""
    return str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}"


def _tex(v: float) -> str:
    # Not viz.numbers.tex_number: that one writes 1e−17 as 1\times10^{-17} and 12345 as 1.234\times10^{4};
    # the page has always shown integers whole and the rest as %.4g.
    if np.isinf(v):
        return r"-\infty" if v < 0 else r"\infty"
    return str(int(v)) if float(v).is_integer() else f"{v:.4g}"


def _tex_signed(v: float, first: bool) -> str:
    """A term of a sum: negative terms in brackets after the first, so '0.7 + (−0.3)' reads right."""
    return _tex(v) if first or v >= 0 else f"({_tex(v)})"


def _tex_matrix(values: np.ndarray) -> str:
    rows = r" \\ ".join(" & ".join(_tex(v) for v in row) for row in values)
    return rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}"


def _tex_span(r: range) -> str:
    return ", ".join(map(str, r)) if len(r) <= 3 else rf"{r[0]}, \dots, {r[-1]}"
