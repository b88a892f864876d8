"""One theme for every figure: colours, colour scales, fonts and the common layout.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); signed maps use a
blue–white–red diverging scale centred on zero with symmetric limits, so white always means 0 and the
same colour means the same magnitude on both sides. Presentation mode enlarges every font and line.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Okabe–Ito: distinguishable with protanopia, deuteranopia and tritanopia.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#999999"

WINDOW_COLOR = ORANGE  # the sliding window / receptive field
CELL_COLOR = VERMILLION  # the output cell being computed
PADDING_COLOR = "rgba(120, 120, 120, 0.35)"  # drawn over padding cells
TEXT_DARK = "#1a1a1a"

# Blue (negative) – white (0) – red (positive). ColorBrewer RdBu, reversed so that red means positive.
DIVERGING = [
    [0.0, "#053061"],
    [0.1, "#2166ac"],
    [0.2, "#4393c3"],
    [0.3, "#92c5de"],
    [0.4, "#d1e5f0"],
    [0.5, "#f7f7f7"],
    [0.6, "#fddbc7"],
    [0.7, "#f4a582"],
    [0.8, "#d6604d"],
    [0.9, "#b2182b"],
    [1.0, "#67001f"],
]
GRAYS = [[0.0, "#000000"], [1.0, "#ffffff"]]  # image intensities: 0 black, 1 white
SEQUENTIAL = "Cividis"  # non-negative quantities (counts, magnitudes): perceptually uniform, CVD-safe

FONT_FAMILY = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', sans-serif"
BASE_FONT = 15
PRESENTATION_FONT = 22


def font_size(presentation: bool = False) -> int:
    """Base font size of figure text."""
    return PRESENTATION_FONT if presentation else BASE_FONT


def line_width(presentation: bool = False) -> float:
    """Width of highlight outlines (window, cell): thicker on a projector."""
    return 5.0 if presentation else 3.0


def symmetric_limits(*arrays: np.ndarray) -> tuple[float, float]:
    """(−m, m) with m the largest |value| over the arrays, so zero sits at the centre of the scale.

    An all-zero input gives (−1, 1) rather than an empty range.
    """
    m = max((float(np.nanmax(np.abs(a))) for a in arrays if np.size(a)), default=0.0)
    m = m if np.isfinite(m) and m > 0 else 1.0
    return -m, m


def is_signed(a: np.ndarray) -> bool:
    """True when a has negative values (then it gets the diverging scale)."""
    return bool(np.size(a)) and float(np.nanmin(a)) < 0


def colorbar(title: str, presentation: bool = False, **extra) -> dict:
    """A colour bar whose title says what the colours mean."""
    size = font_size(presentation)
    bar = dict(
        title=dict(text=title, side="right", font=dict(size=size)),
        tickfont=dict(size=size - 2),
        thickness=18 if presentation else 14,
    )
    bar.update(extra)
    return bar


def signed_heatmap(
    z: np.ndarray,
    *,
    limits: tuple[float, float] | None = None,
    colorbar_title: str | None = None,
    presentation: bool = False,
    hovertemplate: str = "row %{y}, col %{x}<br>%{z:.4g}<extra></extra>",
    **kwargs,
) -> go.Heatmap:
    """A heatmap on the diverging scale with symmetric limits (white = 0).

    Args:
        z: (rows, cols).
        limits: (zmin, zmax); by default ±max|z|.
        colorbar_title: shown beside the colour bar; None hides the bar.
    """
    zmin, zmax = limits or symmetric_limits(z)
    return go.Heatmap(
        z=z,
        zmin=zmin,
        zmax=zmax,
        colorscale=DIVERGING,
        showscale=colorbar_title is not None,
        colorbar=colorbar(colorbar_title, presentation) if colorbar_title else None,
        hovertemplate=hovertemplate,
        **kwargs,
    )


def image_heatmap(
    z: np.ndarray,
    *,
    colorbar_title: str | None = None,
    presentation: bool = False,
    hovertemplate: str = "row %{y}, col %{x}<br>%{z:.3f}<extra></extra>",
    **kwargs,
) -> go.Heatmap:
    """A heatmap of image intensities: gray [0, 1] for non-negative data, diverging when signed."""
    if is_signed(z):
        return signed_heatmap(
            z, colorbar_title=colorbar_title, presentation=presentation, hovertemplate=hovertemplate, **kwargs
        )
    top = max(1.0, float(np.nanmax(z))) if np.size(z) else 1.0
    return go.Heatmap(
        z=z,
        zmin=0.0,
        zmax=top,
        colorscale=GRAYS,
        showscale=colorbar_title is not None,
        colorbar=colorbar(colorbar_title, presentation) if colorbar_title else None,
        hovertemplate=hovertemplate,
        **kwargs,
    )


def base_layout(*, presentation: bool = False, height: int | None = None, title: str | None = None) -> dict:
    """The common layout as a plain dict: white background, the theme's fonts, tight margins."""
    size = font_size(presentation)
    layout = dict(
        font=dict(family=FONT_FAMILY, size=size, color=TEXT_DARK),
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(size=size)),
    )
    if title is not None:
        layout["title"] = dict(text=title, font=dict(size=size + 4), x=0.0, xanchor="left")
    if height is not None:
        layout["height"] = height
    return layout


def style_figure(
    fig: go.Figure,
    *,
    presentation: bool = False,
    height: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Apply the common layout (`base_layout`, on the white template) to a figure. Returns fig."""
    fig.update_layout(
        template="plotly_white", **base_layout(presentation=presentation, height=height, title=title)
    )
    fig.update_annotations(font_size=font_size(presentation))
    return fig


def matrix_axes(fig: go.Figure, row: int | None = None, col: int | None = None, **kwargs) -> None:
    """Make a subplot read like a matrix: row 0 at the top, square cells, no grid lines."""
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, row=row, col=col)
    fig.update_xaxes(showgrid=False, zeroline=False, constrain="domain", row=row, col=col, **kwargs)


def cell_text(values: np.ndarray, digits: int = 2) -> np.ndarray:
    """Numbers formatted for printing inside heatmap cells: fixed digits, '−' for minus, '0' for zeros."""
    flat = [_format_number(v, digits) for v in np.asarray(values, dtype=float).ravel()]
    return np.array(flat, dtype=object).reshape(np.shape(values))


def _format_number(v: float, digits: int) -> str:
    if not np.isfinite(v):
        return "−∞" if v < 0 else ("∞" if v > 0 else "NaN")
    text = f"{v:.{digits}f}"
    if float(text) == 0:
        return "0"
    return text.replace("-", "−")


def colorize(values: np.ndarray, limits: tuple[float, float], scale: list = DIVERGING) -> np.ndarray:
    """Map values to the colours of a scale: (H, W) → (H, W, 3) uint8, as Plotly would draw them.

    Used where a map is sent as a picture rather than as numbers (the sweep animation).
    """
    lo, hi = limits
    t = np.clip((np.asarray(values, dtype=np.float64) - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
    t = np.nan_to_num(t, nan=0.5)
    stops = np.array([stop for stop, _ in scale])
    rgb = np.array([_hex_rgb(color) for _, color in scale], dtype=np.float64)
    channels = [np.interp(t, stops, rgb[:, k]) for k in range(3)]
    return np.rint(np.stack(channels, axis=-1)).astype(np.uint8)


def _hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def colorbar_trace(limits: tuple[float, float], title: str, presentation: bool = False) -> go.Scatter:
    """An invisible trace whose only purpose is the colour bar of the diverging scale (for drawn shapes)."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        marker=dict(
            colorscale=DIVERGING,
            cmin=limits[0],
            cmax=limits[1],
            color=[0.0],
            showscale=True,
            colorbar=colorbar(title, presentation, len=0.8),
        ),
    )
