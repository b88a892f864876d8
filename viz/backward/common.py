"""What every figure of the backward-pass page shares: panels, heatmaps, full-resolution maps, number sizes.

Panels are numbered from 1 (axes x, x2, x3, …); a grid's row 0 is on top, its cells are square and its axis
ranges fixed. Signed quantities use the diverging scale with symmetric limits (white is 0). Small grids print
their numbers with one power-of-ten factor (`grid_scale`), which the panel's title carries.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.images import encode_picture
from viz.animation import typed_array
from viz.theme import DIVERGING, colorize

# Width in pixels of a figure's plotting area in the page's main column (a 1600 px window with the
# sidebar open): panels are sized from it so that cells come out square and numbers fit in them.
PLOT_PX = 1030
CLICK_GRID = 64  # click targets per side of a full-resolution map, at most
# Maps with more cells than this are sent as a picture (a JPEG of their colours, ~60 kB at 512²) and a
# grid of at most CLICK_GRID² hover points with exact values, not as float32 values (1.4 MB at 512²):
# Streamlit serializes every figure on every rerun, ~15 ms per MB here.
EXACT_CELLS = 256 * 256


def axis_suffix(n: int) -> str:
    return "" if n == 1 else str(n)


def matrix_axes(
    n: int,
    x_domain: Sequence[float],
    y_domain: Sequence[float],
    shape: tuple[int, int],
    origin: tuple[int, int] = (0, 0),
    ticks: bool = True,
) -> dict:
    """Axes of panel n (1-based) showing a rows × cols grid: row 0 on top, square cells, fixed ranges."""
    s, (rows, cols), (r0, c0) = axis_suffix(n), shape, origin
    common = {
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "showticklabels": ticks,
        "ticks": "",
        "fixedrange": False,
    }
    x = {"domain": list(x_domain), "anchor": f"y{s}", "side": "top", "range": [c0 - 0.5, c0 + cols - 0.5]}
    y = {
        "domain": list(y_domain),
        "anchor": f"x{s}",
        "range": [r0 + rows - 0.5, r0 - 0.5],
        "scaleanchor": f"x{s}",
    }
    if ticks:
        x["tickmode"], y["tickmode"] = "auto", "auto"
        x["nticks"], y["nticks"] = 8, 8
    return {f"xaxis{s}": {**x, **common}, f"yaxis{s}": {**y, **common}}


def hidden_axes(n: int, x_domain: Sequence[float], y_domain: Sequence[float]) -> dict:
    s = axis_suffix(n)
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    return {
        f"xaxis{s}": {"domain": list(x_domain), "anchor": f"y{s}", **hidden},
        f"yaxis{s}": {"domain": list(y_domain), "anchor": f"x{s}", **hidden},
    }


def panel_title(text: str, x_domain: Sequence[float], y_top: float, size: int, shift: int = 4) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "x": (x_domain[0] + x_domain[1]) / 2,
        "y": y_top,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "yshift": shift,
        "showarrow": False,
        "font": {"size": size},
    }


def heatmap(
    z: np.ndarray,
    n: int,
    limits: tuple[float, float],
    *,
    colorscale=DIVERGING,
    numbers: int = 0,
    number_format: str = ".2f",
    origin: tuple[int, int] = (0, 0),
    hover: str = "row %{y}, col %{x}<br>%{z:.4g}<extra></extra>",
    bar: dict | None = None,
    gaps: bool = False,
) -> dict:
    """A heatmap on panel n with float32 values; cell (r, c) sits at (origin[0] + r, origin[1] + c)."""
    s = axis_suffix(n)
    trace = {
        "type": "heatmap",
        "z": typed_array(z),
        "x0": origin[1],
        "dx": 1,
        "y0": origin[0],
        "dy": 1,
        "zmin": limits[0],
        "zmax": limits[1],
        "colorscale": colorscale,
        "showscale": bar is not None,
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "hovertemplate": hover,
    }
    if bar is not None:
        trace["colorbar"] = bar
    if numbers:
        trace.update(texttemplate=f"%{{z:{number_format}}}", textfont={"size": numbers})
    if gaps:
        trace.update(xgap=1, ygap=1)
    return trace


def cell_numbers(cell_px: float, presentation: bool, chars: int = 5) -> int:
    """Font size for numbers of up to `chars` characters ("−0.25" is 5) in cells `cell_px` wide.

    A digit is about 0.58 em wide: the number fills at most ~85 % of the cell. 0 means the cells are too
    small for a readable number (then only hover shows it). Presentation mode has larger cells already.
    """
    # Presentation mode's larger type narrows the page's main column: cells are ~8 % smaller than planned.
    size = int(min(cell_px * 1.45 / max(chars, 3), cell_px * 0.5) * (0.92 if presentation else 1.0))
    return 0 if size < 8 else min(size, 26 if presentation else 22)


def cell_side_px(
    shape: tuple[int, int], domain: Sequence[float], plot_h: float, y_domain=(0.0, 1.0)
) -> float:
    """Side in pixels of one cell of a rows × cols grid drawn in a panel (square cells, fit inside)."""
    rows, cols = shape
    width = (domain[1] - domain[0]) * PLOT_PX
    height = (y_domain[1] - y_domain[0]) * plot_h
    return min(width / cols, height / rows)


def fit_height(shapes: Sequence[tuple[int, int]], width_frac: float, low: int, high: int) -> int:
    """Plot height (px) at which grids in panels `width_frac` wide fill them: the tallest one's aspect."""
    aspect = max(rows / cols for rows, cols in shapes)
    return int(np.clip(width_frac * PLOT_PX * aspect, low, high))


def _picture_uri(z: np.ndarray, limits: tuple[float, float]) -> str:
    """A map's colours on the diverging scale as a JPEG data URI (a 256-colour lookup table: fast)."""
    lo, hi = limits
    table = colorize(np.linspace(lo, hi, 256), limits)
    if np.isnan(z).any():
        z = np.nan_to_num(z)  # cells with no value (NaN) draw as 0: white
    codes = ((np.clip(z, lo, hi) - lo) * (255 / ((hi - lo) or 1.0)) + 0.5).astype(np.uint8)
    jpeg = encode_picture(np.take(table, codes, axis=0), "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def map_traces(
    z: np.ndarray,
    n: int,
    limits: tuple[float, float],
    *,
    bar: dict | None = None,
    hint: str = "",
    click: bool = False,
    numbers: int = 0,
    number_format: str = ".2f",
) -> list[dict]:
    """A full-resolution map on panel n: exact float32 cells when small, else a picture and hover points.

    Small maps (≤ EXACT_CELLS): a heatmap with every value on hover, plus click targets when `click`.
    Large maps: the picture of their colours, and a grid of nearly invisible markers (at most
    CLICK_GRID per side) that carry the exact values on hover, the clicks and the colour bar.
    """
    s = axis_suffix(n)
    if z.size <= EXACT_CELLS:
        traces = [heatmap(z, n, limits, numbers=numbers, number_format=number_format, bar=bar)]
        return traces + ([click_targets(z.shape, n, hint)] if click else [])
    rows, cols = z.shape
    step = max(1, math.ceil(max(rows, cols) / CLICK_GRID))
    ii, jj = np.meshgrid(np.arange(0, rows, step), np.arange(0, cols, step), indexing="ij")
    values = z[ii, jj].ravel()
    marker = {
        "size": 14 if click else 8,
        "opacity": 0.01,
        "color": typed_array(values),
        "colorscale": DIVERGING,
        "cmin": limits[0],
        "cmax": limits[1],
        "showscale": bar is not None,
    }
    if bar is not None:
        marker["colorbar"] = bar
    points = {
        "type": "scatter",
        "mode": "markers",
        "x": typed_array(jj.ravel(), "i2"),
        "y": typed_array(ii.ravel(), "i2"),
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "marker": marker,
        "customdata": typed_array(values),
        "hovertemplate": "row %{y}, col %{x}<br>%{customdata:.4g}"
        + (f"<br>{hint}" if hint else "")
        + "<extra></extra>",
        "showlegend": False,
    }
    picture = {
        "type": "image",
        "source": _picture_uri(z, limits),
        "x0": 0,
        "y0": 0,
        "dx": 1,
        "dy": 1,
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "hoverinfo": "skip",
    }
    return [picture, points]


def click_targets(shape: tuple[int, int], n: int, hint: str, origin: tuple[int, int] = (0, 0)) -> dict:
    """Nearly invisible markers over cell centres of panel n: a click selects the cell (TESTING.md)."""
    rows, cols = shape
    step = max(1, math.ceil(max(rows, cols) / CLICK_GRID))
    ii, jj = np.meshgrid(np.arange(0, rows, step), np.arange(0, cols, step), indexing="ij")
    s = axis_suffix(n)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": (jj.ravel() + origin[1]).tolist(),
        "y": (ii.ravel() + origin[0]).tolist(),
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "marker": {"size": 14, "opacity": 0.01, "color": "black"},
        "hovertemplate": "(%{y}, %{x})<br>" + hint + "<extra></extra>",
        "showlegend": False,
    }


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class GridScale(NamedTuple):
    """How a grid's numbers are printed: values × factor, in `number_format`, the title saying so."""

    factor: float  # 10^(−k)
    number_format: str  # d3 format of the scaled values
    suffix: str  # " (×10⁻³)" for the title; "" when k = 0


def grid_scale(limits: tuple[float, float], short: bool = False) -> GridScale:
    """A common power of ten for a grid whose values reach ±limits[1], so numbers print in 3–4 characters.

    Gradients of a mean loss are tiny (10⁻⁵ is common): printed as they are they read 0.00. Scaled so the
    largest is between 1 and 10 (or left alone between 0.1 and 1000), they keep three significant digits
    and the title carries the factor, as a textbook table would. `short` (a projector's cells): values
    below 1 are scaled too, so no number is longer than "−9.99".
    """
    m = float(limits[1])
    # The grids are float32: a largest value below float32's smallest normal number shows as 0 whatever
    # the factor, and its factor (10³⁰⁰ for a subnormal bias) would overflow the grids or the float itself.
    if not np.isfinite(m) or m < np.finfo(np.float32).tiny:
        return GridScale(1.0, ".2f", "")
    e = math.floor(math.log10(m))
    k = e if e < (0 if short else -1) or e >= 3 else 0
    lead = e - k  # the largest value's exponent after scaling: 0 … 2, or −1 for 0.1 … 1
    suffix = "" if k == 0 else f" (×10{str(k).translate(_SUPERSCRIPT)})"
    return GridScale(10.0**-k, f".{max(0, 2 - lead)}f", suffix)


def scaled(limits: tuple[float, float], scale: GridScale) -> tuple[float, float]:
    return limits[0] * scale.factor, limits[1] * scale.factor


def columns(n: int, gap: float, right: float = 1.0, bar_room: float = 0.0) -> list[tuple[float, float]]:
    """n equal side-by-side x domains over [0, right], each leaving `bar_room` for a colour bar."""
    width = (right - gap * (n - 1)) / n
    return [(k * (width + gap), k * (width + gap) + width - bar_room) for k in range(n)]


def side_by_side(a: np.ndarray) -> np.ndarray:
    """(C, KH, KW) → (KH, C·KW + C − 1): channels next to each other, a blank (NaN) column between."""
    C, KH, KW = a.shape
    out = np.full((KH, C * KW + C - 1), np.nan, dtype=np.float32)
    for c in range(C):
        out[:, c * (KW + 1) : c * (KW + 1) + KW] = a[c]
    return out
