"""Figures and formulas of the fully connected page (FORMULAS.md §5): the network diagram, matrices, LaTeX.

The diagram draws layer l as a column of units; an edge from unit j of layer l−1 to unit i of layer l is
W_l(i, j). Colour is the value on the diverging scale (blue < 0 < red, white = 0, one symmetric scale for
nodes and edges), an edge's width grows with |value|. The page passes either the forward numbers
(activations on the nodes, weights on the edges) or the backward ones (δ on the nodes, ∂L/∂W on the edges).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from engine.network import NetworkRun
from viz.numbers import figure_number, tex_matrix, tex_number
from viz.theme import (
    DIVERGING,
    TEXT_DARK,
    colorbar_trace,
    font_size,
    matrix_axes,
    signed_heatmap,
    style_figure,
    symmetric_limits,
)

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MAX_LABELLED_EDGES = 16  # a layer with more edges shows their values on hover only: the labels would collide
LAYER_GAP = 3.0  # horizontal distance between layers, in units of the vertical distance between units
ACTIVATION_TEX = {
    "identity": r"\mathrm{id}",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LReLU}",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
}


class DiagramLabels(NamedTuple):
    """The words of the network diagram, translated by the page."""

    title: str
    layer_titles: tuple[str, ...]  # one per column: the inputs, then layer 1 … L
    node_symbol: str  # what the nodes show, e.g. "a" or "δ" (the inputs are named "x")
    edge_symbol: str  # what the edges show, e.g. "w" or "∂L/∂w"
    colorbar: str


def unit_name(symbol: str, layer: int, unit: int, html: bool = False) -> str:
    """A unit's name, its layer as superscript and its 1-based index as subscript: a²₁ (inputs: x₁).

    With `html`, Plotly's markup (a<sup>2</sup><sub>1</sub>), which a figure prints larger than the
    Unicode small digits.
    """
    if html:
        layer_mark = "" if symbol == "x" else f"<sup>{layer}</sup>"
        return f"{symbol}{layer_mark}<sub>{unit}</sub>"
    layer_mark = "" if symbol == "x" else str(layer).translate(SUPERSCRIPTS)
    return f"{symbol}{layer_mark}{str(unit).translate(SUBSCRIPTS)}"


def node_positions(sizes: Sequence[int]) -> list[np.ndarray]:
    """(x, y) of every unit: layer l at x = l·LAYER_GAP, its units one apart, centred on y = 0, first on top.

    Args:
        sizes: n_0 … n_L.

    Returns:
        one (n_l, 2) array per layer.
    """
    return [
        np.column_stack([np.full(n, l * LAYER_GAP), (n - 1) / 2 - np.arange(n)]) for l, n in enumerate(sizes)
    ]


def network_figure(
    edge_values: Sequence[np.ndarray],
    node_values: Sequence[np.ndarray | None],
    labels: DiagramLabels,
    *,
    presentation: bool = False,
) -> go.Figure:
    """The network as a diagram: nodes coloured and labelled by their values, edges by theirs.

    Args:
        edge_values: one (n_l, n_{l−1}) matrix per layer l = 1 … L (weights or their gradients).
        node_values: one (n_l,) vector per layer l = 0 … L, or None for a layer shown without numbers.
        labels: the words.

    Returns:
        The figure.
    """
    sizes = [edge_values[0].shape[1], *(w.shape[0] for w in edge_values)]
    positions = node_positions(sizes)
    shown = [v for v in node_values if v is not None]
    limits = symmetric_limits(*edge_values, *shown)
    fig = go.Figure()
    shapes, annotations = [], []
    for l, w in enumerate(edge_values, start=1):
        shapes += _edge_shapes(w, positions[l - 1], positions[l], limits[1])
        annotations += _edge_labels(w, positions[l - 1], positions[l], presentation)
        fig.add_trace(_edge_hover(w, positions[l - 1], positions[l], labels.edge_symbol, l))
    for l, values in enumerate(node_values):
        symbol = "x" if l == 0 else labels.node_symbol
        fig.add_trace(
            _nodes(
                positions[l],
                values,
                limits,
                [unit_name(symbol, l, i + 1) for i in range(sizes[l])],
                presentation,
            )
        )
        annotations += _unit_names(positions[l], symbol, l, presentation)
    fig.add_trace(colorbar_trace(limits, labels.colorbar, presentation))
    annotations += _layer_titles(positions, labels.layer_titles, presentation)
    return _diagram_layout(fig, shapes, annotations, sizes, labels.title, presentation)


def _colour(value: float, m: float) -> str:
    return sample_colorscale(DIVERGING, [min(max((value / m + 1) / 2, 0.0), 1.0)])[0]


def _edge_shapes(w: np.ndarray, source: np.ndarray, target: np.ndarray, m: float) -> list[dict]:
    """One line per edge, below the nodes: colour by sign and size, width by |w|."""
    return [
        dict(
            type="line",
            layer="below",
            x0=source[j, 0],
            y0=source[j, 1],
            x1=target[i, 0],
            y1=target[i, 1],
            line=dict(color=_colour(w[i, j], m), width=1.0 + 7.0 * abs(w[i, j]) / m),
        )
        for i in range(w.shape[0])
        for j in range(w.shape[1])
    ]


def _label_points(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Where each edge's value goes: a fraction 1/(n_l + 1) of the way from its source.

    At that fraction, edge (i, j) sits at height (const + j·n_l + i)/(n_l + 1): every edge of the layer
    at its own height, evenly spaced, so no two labels overlap.

    Returns:
        (n_l, n_{l−1}, 2) positions.
    """
    f = 1.0 / (target.shape[0] + 1)
    return source[None, :, :] * (1 - f) + target[:, None, :] * f


def _edge_labels(w: np.ndarray, source: np.ndarray, target: np.ndarray, presentation: bool) -> list[dict]:
    if w.size > MAX_LABELLED_EDGES:
        return []
    points = _label_points(source, target)
    return [
        dict(
            x=points[i, j, 0],
            y=points[i, j, 1],
            text=figure_number(w[i, j], 3),
            showarrow=False,
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(size=font_size(presentation) - 2, color=TEXT_DARK),
        )
        for i in range(w.shape[0])
        for j in range(w.shape[1])
    ]


def _edge_hover(w: np.ndarray, source: np.ndarray, target: np.ndarray, symbol: str, l: int) -> go.Scatter:
    """Invisible points on the edges that show each edge's name and value on hover."""
    points = _label_points(source, target).reshape(-1, 2)
    names = [
        f"{symbol}{str(l).translate(SUPERSCRIPTS)}{str(i + 1).translate(SUBSCRIPTS)}"
        f"{str(j + 1).translate(SUBSCRIPTS)}"
        for i in range(w.shape[0])
        for j in range(w.shape[1])
    ]
    return go.Scatter(
        x=points[:, 0],
        y=points[:, 1],
        mode="markers",
        marker=dict(size=14, opacity=0.01),
        text=[f"{n} = {v:.6g}" for n, v in zip(names, w.ravel())],
        hoverinfo="text",
        showlegend=False,
    )


def _nodes(
    xy: np.ndarray,
    values: np.ndarray | None,
    limits: tuple[float, float],
    names: list[str],
    presentation: bool,
) -> go.Scatter:
    """The units of one layer: a circle each, filled with its value's colour, the value written inside."""
    m = limits[1]
    if values is None:
        fill, text, ink = ["white"] * len(xy), [""] * len(xy), [TEXT_DARK] * len(xy)
        hover = names
    else:
        fill = [_colour(v, m) for v in values]
        text = [figure_number(v, 3) for v in values]
        ink = ["white" if abs(v) > 0.6 * m else TEXT_DARK for v in values]  # dark fills need light digits
        hover = [f"{n} = {v:.6g}" for n, v in zip(names, values)]
    size = 66 if presentation else 54
    return go.Scatter(
        x=xy[:, 0],
        y=xy[:, 1],
        mode="markers+text",
        text=text,
        textposition="middle center",
        textfont=dict(size=font_size(presentation) - 1, color=ink),
        marker=dict(size=size, color=fill, line=dict(color=TEXT_DARK, width=2)),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
    )


def _unit_names(xy: np.ndarray, symbol: str, l: int, presentation: bool) -> list[dict]:
    """Each unit's name just above its circle."""
    shift = 48 if presentation else 40
    return [
        dict(
            x=x,
            y=y,
            text=unit_name(symbol, l, i + 1, html=True),
            showarrow=False,
            yshift=shift,
            font=dict(size=font_size(presentation), color=TEXT_DARK),
        )
        for i, (x, y) in enumerate(xy)
    ]


def _layer_titles(positions: list[np.ndarray], titles: Sequence[str], presentation: bool) -> list[dict]:
    top = max(float(p[:, 1].max()) for p in positions)
    return [
        dict(
            x=p[0, 0],
            y=top + 0.75,
            text=f"<b>{title}</b>",
            showarrow=False,
            font=dict(size=font_size(presentation)),
        )
        for p, title in zip(positions, titles)
    ]


def _diagram_layout(
    fig: go.Figure,
    shapes: list[dict],
    annotations: list[dict],
    sizes: list[int],
    title: str,
    presentation: bool,
) -> go.Figure:
    rows = max(sizes)
    style_figure(fig, presentation=presentation, height=int(150 + 95 * max(rows, 2)), title=title)
    half = (rows - 1) / 2
    fig.update_layout(shapes=shapes, annotations=annotations, hovermode="closest")
    fig.update_xaxes(visible=False, range=[-0.7, (len(sizes) - 1) * LAYER_GAP + 0.7], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-half - 0.6, half + 1.1], fixedrange=True)
    return fig


def matrices_figure(
    panels: Sequence[tuple[str, np.ndarray, str]],
    *,
    presentation: bool = False,
    title: str | None = None,
) -> go.Figure:
    """Matrices side by side as heatmaps with their numbers (3 significant digits), on diverging scales.

    Panels of one group share one symmetric scale (a weight matrix before and after its update); each
    group gets its own, so a gradient a hundred times smaller than its weights still shows its pattern.

    Args:
        panels: (title, matrix (rows, cols), group) per panel; a vector (n,) is drawn as a column.
    """
    mats = [np.atleast_2d(m).T if np.ndim(m) == 1 else np.asarray(m) for _, m, _ in panels]
    groups = [g for _, _, g in panels]
    widths = [max(m.shape[1], 1) + 0.6 for m in mats]
    fig = make_subplots(
        rows=1,
        cols=len(mats),
        subplot_titles=[t for t, _, _ in panels],
        column_widths=widths,
        horizontal_spacing=0.04,
    )
    limits = {g: symmetric_limits(*(m for m, h in zip(mats, groups) if h == g)) for g in groups}
    size = font_size(presentation)
    for k, (m, group) in enumerate(zip(mats, groups), start=1):
        fig.add_trace(
            signed_heatmap(
                m,
                limits=limits[group],
                presentation=presentation,
                text=[[figure_number(v, 3) for v in row] for row in m],
                texttemplate="%{text}",
                textfont=dict(size=size - 1),
                x=list(range(1, m.shape[1] + 1)),
                y=list(range(1, m.shape[0] + 1)),
                xgap=1,
                ygap=1,
                hovertemplate="(%{y}, %{x}) = %{z:.6g}<extra></extra>",
            ),
            row=1,
            col=k,
        )
        matrix_axes(fig, row=1, col=k, dtick=1)
        fig.update_yaxes(dtick=1, row=1, col=k)
    rows = max(m.shape[0] for m in mats)
    style_figure(
        fig,
        presentation=presentation,
        height=int(110 + (48 if presentation else 40) * max(rows, 2)),
        title=title,
    )
    return fig


# ------------------------------------------------------------------------------------------------- LaTeX


def _act(run: NetworkRun, l: int) -> str:
    return ACTIVATION_TEX.get(run.example.activations[l - 1], r"f")


def forward_latex(run: NetworkRun, l: int, n: int) -> tuple[str, str]:
    """z_l = W_l a_{l−1} + b_l and a_l = f_l(z_l) for layer l (1-based) and example n, numbers substituted."""
    W, b = run.example.weights[l - 1], run.example.biases[l - 1]
    z = (
        rf"z^{{({l})}} = W^{{({l})}} a^{{({l - 1})}} + b^{{({l})}} = {tex_matrix(W)}"
        rf"{tex_matrix(run.a[l - 1][n])} + {tex_matrix(b)} = {tex_matrix(run.z[l - 1][n])}"
    )
    a = rf"a^{{({l})}} = {_act(run, l)}\left(z^{{({l})}}\right) = {tex_matrix(run.a[l][n])}"
    return z, a


def delta_latex(run: NetworkRun, l: int, n: int) -> str:
    """δ_l by the recursion for example n, numbers substituted (the output layer starts it from the loss)."""
    L = len(run.deltas)
    N = run.a[0].shape[0]
    fprime = rf"{_act(run, l)}'\left(z^{{({l})}}\right)"
    if l == L:
        scale = r"\tfrac{1}{N}" if N > 1 else ""
        return (
            rf"\delta^{{({L})}} = {scale}\left(a^{{({L})}} - t\right) \odot {fprime} = {scale}\left("
            rf"{tex_matrix(run.a[L][n])} - {tex_matrix(run.example.t[n])}\right) \odot "
            rf"{tex_matrix(run.derivatives[L - 1][n])} = {tex_matrix(run.deltas[L - 1][n])}"
        )
    W_next = run.example.weights[l]
    return (
        rf"\delta^{{({l})}} = {fprime} \odot \left(W^{{({l + 1})\top}} \delta^{{({l + 1})}}\right) = "
        rf"{tex_matrix(run.derivatives[l - 1][n])} \odot \left({tex_matrix(W_next.T)}"
        rf"{tex_matrix(run.deltas[l][n])}\right) = {tex_matrix(run.deltas[l - 1][n])}"
    )


def gradient_latex(run: NetworkRun, l: int) -> tuple[str, str]:
    """∂L/∂W_l = Δ_lᵀ A_{l−1} and ∂L/∂b_l = Σ_n δ_l over the batch (rows = examples), numbers substituted."""
    dW = (
        rf"\frac{{\partial L}}{{\partial W^{{({l})}}}} = \Delta^{{({l})\top}} A^{{({l - 1})}} = "
        rf"{tex_matrix(run.deltas[l - 1].T)} {tex_matrix(run.a[l - 1])} = {tex_matrix(run.dw[l - 1])}"
    )
    db = (
        rf"\frac{{\partial L}}{{\partial b^{{({l})}}}} = \sum_n \delta^{{({l})}}_n = "
        rf"{tex_matrix(run.db[l - 1])}"
    )
    return dW, db


def update_latex(run: NetworkRun, l: int) -> tuple[str, str]:
    """W_l := W_l − η ∂L/∂W_l and the same for b_l, numbers substituted."""
    eta = tex_number(run.lr)
    W = (
        rf"W^{{({l})}} - \eta \frac{{\partial L}}{{\partial W^{{({l})}}}} = "
        rf"{tex_matrix(run.example.weights[l - 1])} - {eta} \cdot {tex_matrix(run.dw[l - 1])} = "
        rf"{tex_matrix(run.new_weights[l - 1])}"
    )
    b = (
        rf"b^{{({l})}} - \eta \frac{{\partial L}}{{\partial b^{{({l})}}}} = "
        rf"{tex_matrix(run.example.biases[l - 1])} - {eta} \cdot {tex_matrix(run.db[l - 1])} = "
        rf"{tex_matrix(run.new_biases[l - 1])}"
    )
    return W, b
