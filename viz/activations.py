"""Activation figures (FORMULAS.md §4): the functions and their derivatives, and one applied to a feature map.

The numbers come from engine/activation_views.py (`run_activation`: Z, A = σ(Z), σ'(Z), δ_A and
δ_Z = δ_A ⊙ σ'(Z); `activation_curves`; one cell's `cell_conv` and `activation_at`). The figures only
draw them: signed maps on the zero-centred diverging scale, the input image in gray.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.activation_views import Z_RANGE, ActivationRun, activation_at, activation_curves, cell_conv
from engine.activations import ACTIVATIONS, LEAKY_SLOPE
from viz.animation import cell_rect
from viz.numbers import tex_matrix, tex_number
from viz.theme import (
    BLUE,
    CELL_COLOR,
    DIVERGING,
    GRAYS,
    GREEN,
    GREY,
    PURPLE,
    VERMILLION,
    colorbar,
    font_size,
    line_width,
    style_figure,
    symmetric_limits,
)

# Maps up to this many cells a side get their numbers printed in the cells.
MAX_SIDE_WITH_NUMBERS = 16
CURVE_COLORS: dict[str, str] = {
    "identity": GREY,
    "relu": BLUE,
    "leaky_relu": PURPLE,
    "sigmoid": VERMILLION,
    "tanh": GREEN,
}
# Panels of the maps figure, row by row: X, Z, A over δ_A, σ'(Z), δ_Z.
X_PANEL, Z_PANEL, A_PANEL, DA_PANEL, SLOPE_PANEL, DZ_PANEL = range(6)


class MapLabels(NamedTuple):
    """Every word of the maps figure, translated by the page."""

    titles: tuple[str, str, str, str, str, str]  # X, Z, A, δ_A, σ'(Z), δ_Z
    colorbars: tuple[str, str, str, str, str, str]


class CurveLabels(NamedTuple):
    """Every word of the curves figure, translated by the page."""

    names: dict[str, str]  # kind → name shown in the legend
    function: str  # legend entry of the chosen σ(z), e.g. "σ(z)"
    derivative: str  # legend entry of the chosen σ'(z)
    histogram: str  # legend entry and right axis title of the histogram of Z
    cell: str  # legend entry of the chosen cell's marker
    x_title: str
    y_title: str


# ---------------------------------------------------------------------------------------------------------
# Figures


def curves_figure(
    labels: CurveLabels, chosen: str, *, z_cells: np.ndarray | None = None, presentation: bool = False
) -> go.Figure:
    """The five activations over z ∈ [−6, 6]: the chosen one bold with its derivative dashed.

    Args:
        labels: the figure's words.
        chosen: the activation to highlight.
        z_cells: the feature map's Z values, any shape: drawn as a faint histogram (right axis).
        presentation: larger type and lines.

    Returns:
        The figure (`mark_z` adds the chosen cell to its spec).
    """
    z, curves = activation_curves()
    width = line_width(presentation)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    if z_cells is not None:
        fig.add_trace(_histogram(z_cells, labels.histogram), secondary_y=True)
    for kind in ACTIVATIONS:
        if kind != chosen:
            fig.add_trace(_curve(z, curves[kind][0], labels.names[kind], kind, width * 0.45, opacity=0.6))
    a, d = curves[chosen]
    fig.add_trace(_curve(z, a, f"{labels.function}: {labels.names[chosen]}", chosen, width * 1.2))
    fig.add_trace(_curve(z, d, labels.derivative, chosen, width * 1.2, dash="dash"))
    style_figure(fig, presentation=presentation, height=560 if presentation else 480)
    grid = dict(zeroline=True, zerolinecolor="#6b7280", zerolinewidth=1.5, gridcolor="#eef0f3")
    fig.update_xaxes(range=list(Z_RANGE), title_text=labels.x_title, dtick=1, **grid)
    fig.update_yaxes(range=[-1.5, 3.0], title_text=labels.y_title, secondary_y=False, **grid)
    fig.update_yaxes(
        title_text=labels.histogram,
        showgrid=False,
        # 0 to 100 %: the bars stay low behind the curves, and their heights compare across settings.
        range=[0, 1],
        dtick=0.25,
        tickformat=".0%",
        title_font={"color": "#6b7280"},
        tickfont={"color": "#6b7280"},
        secondary_y=True,
    )
    # The legend sits in the plot's empty upper left (z < 0, σ > 1), so the curves keep the full height.
    fig.update_layout(
        legend=dict(
            x=0.01,
            y=0.99,
            xanchor="left",
            yanchor="top",
            bgcolor="rgba(255, 255, 255, 0.85)",
            bordercolor="#d1d5db",
            borderwidth=1,
            font=dict(size=font_size(presentation) - 1),
        ),
        margin=dict(l=10, r=10, t=20, b=10),
    )
    return fig


def mark_z(spec: dict, kind: str, z: float, name: str, presentation: bool = False) -> dict:
    """The curves figure spec with the chosen cell added: (z, σ(z)) and (z, σ'(z)) on a dotted vertical line.

    `spec` is left as it is (it may be a cached spec every session shares): the new spec is a shallow copy
    with one more shape and one more trace; the curves' data are shared with `spec`, not copied.

    Args:
        spec: a JSON-ready spec of `curves_figure`.
        kind: the chosen activation.
        z: the cell's Z.
        name: legend entry of the marker.

    Returns:
        the spec with the cell.
    """
    a, d = activation_at(z, kind)
    x = float(np.clip(z, *Z_RANGE))
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": CELL_COLOR, "width": 2, "dash": "dot"},
    }
    marker = {
        "type": "scatter",
        "x": [z, z],
        "y": [a, d],
        "mode": "markers",
        "name": name,
        "showlegend": False,
        "xaxis": "x",
        "yaxis": "y",
        "marker": {
            "size": 17 if presentation else 13,
            "color": CELL_COLOR,
            "symbol": ["circle", "diamond"],
            "line": {"color": "white", "width": 2},
        },
        "hovertemplate": "z = %{x:.4f}<br>%{y:.4f}<extra></extra>",
    }
    return _with_shapes(spec, [line]) | {"data": [*spec["data"], marker]}


def _with_shapes(spec: dict, shapes: list[dict]) -> dict:
    """A shallow copy of `spec` with `shapes` added to its layout's (`spec` itself is left unchanged)."""
    layout = spec["layout"] | {"shapes": [*spec["layout"].get("shapes", []), *shapes]}
    return spec | {"layout": layout}


def _curve(z, values, name: str, kind: str, width: float, dash: str = "solid", opacity: float = 1.0):
    return go.Scatter(
        x=z,
        y=values,
        mode="lines",
        name=name,
        opacity=opacity,
        line=dict(color=CURVE_COLORS[kind], width=width, dash=dash),
        hovertemplate=f"{name}<br>z = %{{x:.3f}}<br>%{{y:.4f}}<extra></extra>",
    )


def _histogram(z_cells: np.ndarray, name: str) -> go.Histogram:
    """The distribution of the feature map's Z values (plotly.js bins them in the browser)."""
    return go.Histogram(
        x=np.ravel(z_cells).astype(np.float32),
        histnorm="probability",
        name=name,
        xbins=dict(start=Z_RANGE[0], end=Z_RANGE[1], size=0.25),
        marker=dict(color="#c7ccd4"),
        opacity=0.6,
        hovertemplate="%{x}<br>%{y:.1%}<extra></extra>",
        showlegend=False,
    )


def maps_figure(run: ActivationRun, labels: MapLabels, *, presentation: bool = False) -> go.Figure:
    """Six maps: X, Z, A = σ(Z) on top; δ_A, σ'(Z), δ_Z = δ_A ⊙ σ'(Z) below.

    Args:
        run: from `run_activation`.
        labels: panel titles and colour-bar titles.
        presentation: larger type and lines.

    Returns:
        The figure (`highlight_cell` outlines a cell in its spec). Z and A have their own symmetric limits;
        δ_A and δ_Z share theirs, so the shrinking of the gradient shows; σ'(Z) is on ±max σ'(Z), so a cell
        that passes no gradient (σ' = 0) is white.
    """
    fig = make_subplots(
        rows=2, cols=3, subplot_titles=labels.titles, horizontal_spacing=0.06, vertical_spacing=0.2
    )
    gradient_limits = symmetric_limits(run.da, run.dz)
    maps = [
        (run.x, (0.0, 1.0), GRAYS),
        (run.z, symmetric_limits(run.z), DIVERGING),
        (run.a, symmetric_limits(run.a), DIVERGING),
        (run.da, gradient_limits, DIVERGING),
        (run.slope, symmetric_limits(run.slope), DIVERGING),
        (run.dz, gradient_limits, DIVERGING),
    ]
    numbers = max(run.z.shape) <= MAX_SIDE_WITH_NUMBERS
    font = font_size(presentation)
    for panel, (values, limits, scale) in enumerate(maps):
        bar = _bar(fig, panel, labels.colorbars[panel], presentation)
        row, col = divmod(panel, 3)
        fig.add_trace(_map(values, limits, scale, bar, numbers, font), row=row + 1, col=col + 1)
    _style_map_axes(fig, run.z.shape)
    style_figure(fig, presentation=presentation, height=1020 if presentation else 860)
    fig.update_layout(margin=dict(l=10, r=10, t=60, b=90))
    fig.update_annotations(font_size=font + 3)
    return fig


def highlight_cell(spec: dict, cell: tuple[int, int], presentation: bool = False) -> dict:
    """The maps figure spec with cell (row, col) outlined in every panel (`spec` itself is left unchanged)."""
    width = line_width(presentation)
    suffixes = ["" if panel == 0 else str(panel + 1) for panel in range(6)]
    outlines = [cell_rect(cell[0], cell[1], f"x{s}", f"y{s}", CELL_COLOR, width) for s in suffixes]
    return _with_shapes(spec, outlines)


def _map(values, limits, scale, bar: dict, numbers: bool, font: int) -> go.Heatmap:
    """One panel's heatmap, with its colour bar (`bar`: a `colorbar` dict)."""
    return go.Heatmap(
        z=values.astype(np.float32),
        zmin=limits[0],
        zmax=limits[1],
        colorscale=scale,
        colorbar=bar,
        texttemplate="%{z:.2f}" if numbers else None,
        textfont=dict(size=max(9, font - 4)),
        hovertemplate="row %{y}, col %{x}<br>%{z:.4f}<extra></extra>",
    )


def _bar(fig: go.Figure, panel: int, title: str, presentation: bool) -> dict:
    """A horizontal colour bar centred under the panel, its title (what the colours mean) on top."""
    suffix = "" if panel == 0 else str(panel + 1)
    x0, x1 = fig.layout[f"xaxis{suffix}"].domain
    y0 = fig.layout[f"yaxis{suffix}"].domain[0]
    bar = colorbar(
        title,
        presentation,
        orientation="h",
        x=(x0 + x1) / 2,
        xanchor="center",
        y=y0 - 0.035,
        yanchor="top",
        len=0.8 * (x1 - x0),
    )
    bar["title"]["side"] = "top"
    return bar


def _style_map_axes(fig: go.Figure, shape: tuple[int, int]) -> None:
    """Matrix orientation (row 0 on top), square cells, fixed ranges."""
    for panel in range(6):
        suffix = "" if panel == 0 else str(panel + 1)
        fig.layout[f"yaxis{suffix}"].update(
            range=[shape[0] - 0.5, -0.5],
            scaleanchor=f"x{suffix}",
            constrain="domain",
            showgrid=False,
            zeroline=False,
        )
        fig.layout[f"xaxis{suffix}"].update(
            range=[-0.5, shape[1] - 0.5], showgrid=False, zeroline=False, constrain="domain"
        )


# ---------------------------------------------------------------------------------------------------------
# LaTeX with one cell's numbers substituted


def general_latex(kind: str) -> tuple[str, str]:
    """σ(z) and σ'(z) of an activation (FORMULAS.md §4), with symbols only."""
    alpha = tex_number(LEAKY_SLOPE)
    forms = {
        "identity": (r"\sigma(z) = z", r"\sigma'(z) = 1"),
        "relu": (
            r"\sigma(z) = \max(0, z)",
            r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        ),
        "leaky_relu": (
            rf"\sigma(z) = \begin{{cases}} z & z > 0 \\ \alpha z & z \le 0 \end{{cases}},"
            rf"\quad \alpha = {alpha}",
            r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}",
        ),
        "sigmoid": (
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)",
        ),
        "tanh": (r"\sigma(z) = \tanh z", r"\sigma'(z) = 1 - \tanh^2 z"),
    }
    return forms[kind]


def cell_latex(run: ActivationRun, r: int, c: int) -> list[str]:
    """The cell's Z (the convolution), A = σ(Z), σ'(Z) and δ_Z = δ_A · σ'(Z), numbers substituted."""
    z, a, d, da, dz = (float(m[r, c]) for m in (run.z, run.a, run.slope, run.da, run.dz))
    idx = f"{r},{c}"
    return [
        _conv_latex(run, r, c),
        rf"A_{{{idx}}} = \sigma(Z_{{{idx}}}) = {_activationtex_number(run.kind, z, a)}",
        rf"\sigma'(Z_{{{idx}}}) = {_derivativetex_number(run.kind, z, a, d)}",
        rf"\delta^{{Z}}_{{{idx}}} = \delta^{{A}}_{{{idx}}} \cdot \sigma'(Z_{{{idx}}})"
        rf" = {tex_number(da)} \cdot {tex_number(d)} = {tex_number(dz)}",
    ]


def _conv_latex(run: ActivationRun, r: int, c: int) -> str:
    """Z(r, c) = Σ (window ⊙ W) + b, with the window (the image's edge repeated outside it) and the kernel."""
    window, products = cell_conv(run, r, c)
    bias = f"+ {tex_number(run.bias)}" if run.bias >= 0 else f"- {tex_number(-run.bias)}"
    terms = rf"\sum {tex_matrix(window, 2)} \odot {tex_matrix(run.kernel, 3)} + b"
    value = rf"{tex_number(products)} {bias} = {tex_number(run.z[r, c])}"
    return rf"\begin{{aligned}} Z_{{{r},{c}}} &= {terms} \\ &= {value} \end{{aligned}}"


def _activationtex_number(kind: str, z: float, a: float) -> str:
    zt, at = tex_number(z), tex_number(a)
    if kind == "identity":
        return at
    if kind == "relu":
        return rf"\max(0, {zt}) = {at}"
    if kind == "leaky_relu":
        return f"{zt} = {at}" if z > 0 else rf"{tex_number(LEAKY_SLOPE)} \cdot ({zt}) = {at}"
    if kind == "sigmoid":
        return rf"\frac{{1}}{{1 + e^{{{tex_number(-z)}}}}} = {at}"
    return rf"\tanh({zt}) = {at}"


def _derivativetex_number(kind: str, z: float, a: float, d: float) -> str:
    zt, at, dt = tex_number(z), tex_number(a), tex_number(d)
    if kind == "identity":
        return "1"
    if kind in ("relu", "leaky_relu"):
        sign = ">" if z > 0 else r"\le"
        return rf"{dt} \quad ({zt} {sign} 0)"
    if kind == "sigmoid":
        return rf"{at} \cdot (1 - {at}) = {dt}"
    return rf"1 - {at}^2 = {dt}"
