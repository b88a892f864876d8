"""Figures of the backward-pass page: gradients as heatmaps, the animated backward pass, dX two ways,
the gradient check and the kernel learning its target.

Every figure is a plain Plotly spec (dicts with typed arrays), like viz/forward.py: animated ones are
cached and sent as they are. Signed quantities use the diverging scale with symmetric limits (white is
0); titles carry each array's shape, which is the shape of what the gradient belongs to. Axis ranges are
fixed and figure heights follow the maps' aspect ratios, so cells stay square and fill their panels.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.backward_views import Descent, GatherView, GradientCheck
from engine.geometry import ConvGeometry
from engine.images import encode_picture
from engine.trace import BackwardStep, BackwardTrace
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.feature_maps import input_cols_of, input_rows_of, picture_trace
from viz.forward import FRAMES_BUDGET_BYTES
from viz.numbers import figure_number
from viz.theme import (
    BLUE,
    CELL_COLOR,
    DIVERGING,
    GRAYS,
    GREY,
    PADDING_COLOR,
    SEQUENTIAL,
    VERMILLION,
    WINDOW_COLOR,
    base_layout,
    colorbar,
    colorize,
    font_size,
    line_width,
    symmetric_limits,
)

# Width in pixels of a figure's plotting area in the page's main column (a 1600 px window with the
# sidebar open): panels are sized from it so that cells come out square and numbers fit in them.
PLOT_PX = 1030
CLICK_GRID = 64  # click targets per side of a full-resolution map, at most
MAX_DESCENT_FRAMES = 60
MAX_SWEEP_FRAMES = 64
# Maps with more cells than this are sent as a picture (a JPEG of their colours, ~60 kB at 512²) and a
# grid of at most CLICK_GRID² hover points with exact values, not as float32 values (1.4 MB at 512²):
# Streamlit serializes every figure on every rerun, ~15 ms per MB here.
EXACT_CELLS = 256 * 256


# --- shared pieces --------------------------------------------------------------------------------------


def _suffix(n: int) -> str:
    return "" if n == 1 else str(n)


def _matrix_axes(
    n: int,
    x_domain: Sequence[float],
    y_domain: Sequence[float],
    shape: tuple[int, int],
    origin: tuple[int, int] = (0, 0),
    ticks: bool = True,
) -> dict:
    """Axes of panel n (1-based) showing a rows × cols grid: row 0 on top, square cells, fixed ranges."""
    s, (rows, cols), (r0, c0) = _suffix(n), shape, origin
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


def _hidden_axes(n: int, x_domain: Sequence[float], y_domain: Sequence[float]) -> dict:
    s = _suffix(n)
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    return {
        f"xaxis{s}": {"domain": list(x_domain), "anchor": f"y{s}", **hidden},
        f"yaxis{s}": {"domain": list(y_domain), "anchor": f"x{s}", **hidden},
    }


def _title(text: str, x_domain: Sequence[float], y_top: float, size: int, shift: int = 4) -> dict:
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


def _heatmap(
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
    s = _suffix(n)
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


def _cell_px(shape: tuple[int, int], domain: Sequence[float], plot_h: float, y_domain=(0.0, 1.0)) -> float:
    """Side in pixels of one cell of a rows × cols grid drawn in a panel (square cells, fit inside)."""
    rows, cols = shape
    width = (domain[1] - domain[0]) * PLOT_PX
    height = (y_domain[1] - y_domain[0]) * plot_h
    return min(width / cols, height / rows)


def _fit_height(shapes: Sequence[tuple[int, int]], width_frac: float, low: int, high: int) -> int:
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
    s = _suffix(n)
    if z.size <= EXACT_CELLS:
        traces = [_heatmap(z, n, limits, numbers=numbers, number_format=number_format, bar=bar)]
        return traces + ([_click_targets(z.shape, n, hint)] if click else [])
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


def _image_trace(image: np.ndarray, n: int, origin: tuple[int, int] = (0, 0), numbers: int = 0) -> dict:
    """An input crop (C, h, w) in [0, 1]: gray heatmap with numbers for one channel, RGB image for three."""
    s = _suffix(n)
    if image.shape[0] == 3:
        rgb = np.clip(np.moveaxis(image, 0, -1) * 255 + 0.5, 0, 255).astype(np.uint8)
        return {
            "type": "image",
            "z": typed_array(rgb, "u1"),
            "x0": origin[1],
            "y0": origin[0],
            "dx": 1,
            "dy": 1,
            "xaxis": f"x{s}",
            "yaxis": f"y{s}",
            "hovertemplate": "row %{y}, col %{x}<br>RGB %{z}<extra></extra>",
        }
    hover = "row %{y}, col %{x}<br>%{z:.3f}<extra></extra>"
    return _heatmap(image[0], n, (0.0, 1.0), colorscale=GRAYS, numbers=numbers, origin=origin, hover=hover)


def _click_targets(shape: tuple[int, int], n: int, hint: str, origin: tuple[int, int] = (0, 0)) -> dict:
    """Nearly invisible markers over cell centres of panel n: a click selects the cell (TESTING.md)."""
    rows, cols = shape
    step = max(1, math.ceil(max(rows, cols) / CLICK_GRID))
    ii, jj = np.meshgrid(np.arange(0, rows, step), np.arange(0, cols, step), indexing="ij")
    s = _suffix(n)
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


def grid_scale(limits: tuple[float, float]) -> GridScale:
    """A common power of ten for a grid whose values reach ±limits[1], so numbers print in 3–4 characters.

    Gradients of a mean loss are tiny (10⁻⁵ is common): printed as they are they read 0.00. Scaled so the
    largest is between 1 and 10 (or left alone between 0.1 and 1000), they keep three significant digits
    and the title carries the factor, as a textbook table would.
    """
    m = float(limits[1])
    if not np.isfinite(m) or m <= 0:
        return GridScale(1.0, ".2f", "")
    e = math.floor(math.log10(m))
    k = e if e < -1 or e >= 3 else 0
    lead = e - k  # the largest value's exponent after scaling: 0 … 2, or −1 for 0.1 … 1
    suffix = "" if k == 0 else f" (×10{str(k).translate(_SUPERSCRIPT)})"
    return GridScale(10.0**-k, f".{max(0, 2 - lead)}f", suffix)


def _scaled(limits: tuple[float, float], scale: GridScale) -> tuple[float, float]:
    return limits[0] * scale.factor, limits[1] * scale.factor


def _columns(n: int, gap: float, right: float = 1.0, bar_room: float = 0.0) -> list[tuple[float, float]]:
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


# --- static heatmaps ------------------------------------------------------------------------------------


def chain_figure(
    panels: Sequence[tuple[str, np.ndarray]],
    *,
    slots: int | None = None,
    operators: Sequence[str] = (),
    cell: tuple[int, int] | None = None,
    region: tuple[int, int, int, int] | None = None,
    click_hint: str = "",
    constant_text: str = "",
    presentation: bool = False,
) -> dict:
    """Maps of one kernel side by side, e.g. ∂L/∂A ⊙ σ'(Z) = δ, each with its own symmetric scale.

    Args:
        panels: (title, map (H_out, W_out)) per panel, left to right.
        slots: how many panel widths the row is divided into (default: one per panel); figures with
            fewer panels than slots keep the same panel size, left-aligned.
        operators: a symbol drawn in the gap before each panel after the first (e.g. "⊙", "=").
        cell: an output cell outlined on every panel (the one-hot loss's cell).
        region: (i0, i1, j0, j1) outlined on the last panel (the animated crop).
        click_hint: hover text of the click targets (every panel is clickable).
        constant_text: written over a map whose cells are all equal, e.g. "{value} everywhere".

    Returns:
        A figure spec; a click selects a point whose (x, y) is an output cell.
    """
    domains = _columns(slots or len(panels), 0.09, bar_room=0.035)
    shape = panels[0][1].shape
    plot_h = _fit_height([shape], domains[0][1] - domains[0][0], 150, 460)
    size = font_size(presentation)
    data, axes, notes, shapes = [], {}, [], []
    width = line_width(presentation)
    numbers = cell_numbers(_cell_px(shape, domains[0], plot_h), presentation)
    for n, ((title, z), domain) in enumerate(zip(panels, domains), start=1):
        limits = symmetric_limits(z)
        scale = grid_scale(limits) if numbers else GridScale(1.0, ".2f", "")
        bar = colorbar("", presentation, x=domain[1] + 0.004, len=0.9, thickness=10)
        data += map_traces(
            z * scale.factor,
            n,
            _scaled(limits, scale),
            bar=bar,
            hint=click_hint,
            click=True,
            numbers=numbers,
            number_format=scale.number_format,
        )
        axes.update(_matrix_axes(n, domain, (0.0, 1.0), z.shape))
        notes.append(_title(title + scale.suffix, domain, 1.0, size, shift=26))
        if constant_text and z.size > 1 and np.all(z == z.flat[0]):
            notes.append(
                _center_note(constant_text.format(value=figure_number(float(z.flat[0]))), n, z.shape, size)
            )
        if n > 1 and len(operators) >= n - 1:
            notes.append(_operator(operators[n - 2], domain[0] - 0.045, domain[0], size))
        if cell is not None:
            shapes.append(cell_rect(cell[0], cell[1], f"x{_suffix(n)}", f"y{_suffix(n)}", CELL_COLOR, width))
    if region is not None:
        s = _suffix(len(panels))
        i0, i1, j0, j1 = region
        line = {"color": GREY, "width": width - 1, "dash": "dot"}
        shapes.append(block_rect((i0, i1 - 1), (j0, j1 - 1), f"x{s}", f"y{s}", line=line))
    layout = base_layout(presentation=presentation, height=plot_h + 80)
    layout.update(axes, annotations=notes, shapes=shapes, clickmode="event+select", dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}


def _operator(symbol: str, left: float, right: float, size: int) -> dict:
    """A big operator symbol (⊙, =) centred in the gap between two panels."""
    return {
        "text": f"<b>{symbol}</b>",
        "x": (left + right) / 2,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 2 * size + 6},
    }


def _center_note(text: str, n: int, shape: tuple[int, int], size: int) -> dict:
    """White bold text in the middle of panel n (over a uniformly coloured map)."""
    s = _suffix(n)
    return {
        "text": f"<b>{text}</b>",
        "x": (shape[1] - 1) / 2,
        "y": (shape[0] - 1) / 2,
        "xref": f"x{s}",
        "yref": f"y{s}",
        "showarrow": False,
        "font": {"size": size + 1, "color": "white"},
        "bgcolor": "rgba(0, 0, 0, 0.35)",
    }


def weight_gradients_figure(
    dw: np.ndarray,
    db: np.ndarray,
    dw_titles: Sequence[Sequence[str]],
    db_titles: Sequence[str],
    *,
    presentation: bool = False,
) -> dict:
    """dW per kernel (rows) and channel (columns) with its numbers, and db per kernel at the right.

    Args:
        dw: (F, C, KH, KW); db: (F,).
        dw_titles: [f][c] a title per panel; db_titles: [f].

    Returns:
        A figure spec; every dW panel shares one colour scale and one printed factor (they compare
        across kernels), and a db cell is as large as a dW cell.
    """
    F, C, KH, KW = dw.shape
    size = font_size(presentation)
    gap, title_px = 30.0, 34.0 + 8 * presentation
    cell = min((60 if presentation else 48), 320 / max(KH, KW), (PLOT_PX - gap * (C + 1)) / (C * KW + 1))
    row_px = cell * KH + title_px
    plot_h = F * row_px
    numbers = cell_numbers(cell, presentation, chars=5)
    # Each panel's slot is as wide as its grid or its title (about 0.55 em a character), whichever is wider.
    longest = max(len(text) for text in [*(x for row in dw_titles for x in row), *db_titles]) + 8
    slot = max(cell * KW, longest * 0.55 * size) + gap
    grids = [(dw[f, c], (KH, KW), dw_titles[f][c]) for f in range(F) for c in range(C)]
    grids += [(db[f : f + 1, None], (1, 1), db_titles[f]) for f in range(F)]
    scales = {(KH, KW): (symmetric_limits(dw), numbers), (1, 1): (symmetric_limits(db), max(numbers, 10))}
    data, axes, titles = [], {}, []
    for n, (z, shape, title) in enumerate(grids, start=1):
        f, c = ((n - 1) // C, (n - 1) % C) if n <= F * C else (n - 1 - F * C, C)
        top = 1.0 - (f * row_px + title_px) / plot_h
        x0 = c * slot / PLOT_PX
        domain = (x0, x0 + cell * shape[1] / PLOT_PX)
        y = (top - cell * shape[0] / plot_h, top)
        limits, font = scales[shape]
        scale = grid_scale(limits)
        axes.update(_matrix_axes(n, domain, y, shape, ticks=False))
        data.append(
            _heatmap(
                z * scale.factor,
                n,
                _scaled(limits, scale),
                numbers=font,
                number_format=scale.number_format,
                gaps=shape != (1, 1),
            )
        )
        titles.append(_title(title + scale.suffix, domain, top, size))
    layout = base_layout(presentation=presentation, height=int(plot_h + 20))
    layout.update(axes, annotations=titles, dragmode=False)
    layout["margin"] = {"l": 10, "r": 10, "t": 10, "b": 10}
    return {"data": data, "layout": layout}


def input_gradient_figure(
    picture: str,
    dx: np.ndarray,
    titles: Sequence[str],
    *,
    colorbar_title: str = "",
    presentation: bool = False,
) -> dict:
    """The input and dX per channel at full resolution (hover gives each value of dX).

    Args:
        picture: the input image as a data URI (viz.feature_maps.image_uri), sent once, compressed.
        dx: (C, H, W).
        titles: the input's title, then one per channel of dX.

    Returns:
        A figure spec; the dX panels share one symmetric scale.
    """
    C, H, W = dx.shape
    domains = _columns(C + 1, 0.04, right=0.95)
    plot_h = _fit_height([(H, W)], domains[0][1] - domains[0][0], 150, 480)
    size = font_size(presentation)
    limits = symmetric_limits(dx)
    numbers = cell_numbers(_cell_px((H, W), domains[0], plot_h), presentation)
    data = [picture_trace(picture, "", hover=True)]
    axes = _matrix_axes(1, domains[0], (0.0, 1.0), (H, W))
    for c in range(C):
        bar = colorbar(colorbar_title, presentation, x=domains[-1][1] + 0.01, len=0.9) if c == C - 1 else None
        data += map_traces(dx[c], c + 2, limits, bar=bar, numbers=numbers)
        axes.update(_matrix_axes(c + 2, domains[c + 1], (0.0, 1.0), (H, W)))
    annotations = [_title(text, d, 1.0, size, shift=26) for text, d in zip(titles, domains)]
    layout = base_layout(presentation=presentation, height=plot_h + 80)
    layout.update(axes, annotations=annotations, dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}


# --- the animated backward pass -------------------------------------------------------------------------

# Trace order in the animation: frames name DX, DW_STEP, DW_TOTAL, DX_STEP and TEXT.
INPUT, PADDING, DELTA, CLICK, DX, DX_PADDING, DW_STEP, DW_TOTAL, DX_STEP, TEXT = range(10)
# Two rows: the three maps on top, the three small grids and the text below.
_X = {"input": (0.0, 0.35), "delta": (0.39, 0.57), "dx": (0.61, 0.93)}
_X_LOW = {"dw_step": (0.0, 0.2), "dw_total": (0.25, 0.45), "dx_step": (0.5, 0.7), "text": (0.75, 1.0)}
_Y_TOP, _Y_LOW = (0.36, 1.0), (0.0, 0.24)
_ANIMATION_PLOT_PX = {False: 560, True: 680}  # plot height, normal and presentation


class AnimationLabels(NamedTuple):
    """Every word of the animated backward pass, translated by the page."""

    input_title: str
    delta_title: str
    dx_title: str  # running ∂L/∂X_pad over the crop (one channel)
    dw_step_title: str  # δ(i, j) × window
    dw_total_title: str  # dW so far
    dx_step_title: str  # δ(i, j) × W
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str
    delta_line: str  # "δ({i}, {j}) = {delta}"
    db_line: str  # "db so far = {db}"
    colorbar: str
    padding_hover: str
    click_hint: str


def max_backward_steps(
    channels: int,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
    limit: int = 400,
) -> int:
    """How many steps fit the size budget: each frame carries three C×KH×KW grids and the dX crop.

    The dX crop grows with the crop's side n (about n·s + d·(K − 1) cells per side), so the side is the
    largest n whose n² frames fit FRAMES_BUDGET_BYTES.
    """
    taps = kernel[0] * kernel[1]
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]

    def frames_bytes(n: int) -> float:
        crop = ((n - 1) * stride[0] + spans[0]) * ((n - 1) * stride[1] + spans[1])
        grids = (3 * channels * taps + crop) * 4 * 4 / 3  # float32 in base64
        window = 2 * taps * 28 if dilation != (1, 1) else 320  # two window outlines
        return n * n * (grids + window + 1000)  # text, the cell outline, frame keys

    side = 1
    while side < 20 and frames_bytes(side + 1) <= FRAMES_BUDGET_BYTES:
        side += 1
    return int(max(1, min(limit, side * side)))


def backward_input_crop(trace: BackwardTrace) -> tuple[slice, slice]:
    """Rows and columns of the padded input that the traced windows touch."""
    top = min(s.rows[0] for s in trace.steps)
    bottom = max(s.rows[-1] for s in trace.steps)
    left = min(s.cols[0] for s in trace.steps)
    right = max(s.cols[-1] for s in trace.steps)
    return slice(top, bottom + 1), slice(left, right + 1)


def backward_animation(
    trace: BackwardTrace,
    dx_frames: np.ndarray,
    is_padding: np.ndarray,
    labels: AnimationLabels,
    *,
    channel: int = 0,
    start: int = 0,
    presentation: bool = False,
) -> dict:
    """The backward pass over a crop: each output cell sends δ(i, j) back into dW, db and dX.

    Args:
        trace: from engine.trace.backward_trace over the crop's region.
        dx_frames: (steps, C, h, w) the running ∂L/∂X_pad over `backward_input_crop(trace)`
            (engine.backward_views.running_dx_crop).
        is_padding: (H_pad, W_pad) bool, True on padding cells.
        channel: the channel of dX shown.
        start: the step shown first (and where Play starts).

    Returns:
        A JSON-ready figure dict with one frame per step; a frame carries only the three small grids,
        the one-channel dX crop and the text. Each grid is printed with its own power-of-ten factor.
    """
    rows, cols = backward_input_crop(trace)
    origin, crop = (rows.start, cols.start), (rows.stop - rows.start, cols.stop - cols.start)
    i0, i1, j0, j1 = trace.region
    plot_h = _ANIMATION_PLOT_PX[presentation]
    step = trace.steps[start]
    limits = _animation_limits(trace, dx_frames[:, channel])
    scales = {name: grid_scale(lim) for name, lim in limits.items()}
    numbers = cell_numbers(_cell_px(crop, _X["input"], plot_h, _Y_TOP), presentation, chars=4)
    shade = _padding_shade(is_padding[rows, cols], origin, labels.padding_hover)
    bar = colorbar(labels.colorbar, presentation, x=_X["dx"][1] + 0.01, y=0.68, len=0.6)
    dx_scale = scales["dx"]
    data = [
        _image_trace(trace.x_pad[:, rows, cols], 1, origin, numbers=numbers),
        {**shade, "xaxis": "x", "yaxis": "y"},
        *_delta_traces(trace, labels, plot_h, scales["delta"], presentation),
        _heatmap(
            dx_frames[start, channel] * dx_scale.factor,
            3,
            _scaled(limits["dx"], dx_scale),
            numbers=cell_numbers(_cell_px(crop, _X["dx"], plot_h, _Y_TOP), presentation),
            number_format=dx_scale.number_format,
            origin=origin,
            bar=bar,
        ),
        {**shade, "xaxis": "x3", "yaxis": "y3"},
        *_grid_traces(step, limits, scales, plot_h, presentation),
        _text_trace(step, labels, presentation),
    ]
    names = [str(s.step) for s in trace.steps]
    frames = [
        {
            "name": name,
            "data": _frame_data(s, dx_frames[k, channel], scales, labels),
            "traces": [DX, DW_STEP, DW_TOTAL, DX_STEP, TEXT],
            "layout": {"shapes": _animation_shapes(s, trace, presentation)},
        }
        for k, (name, s) in enumerate(zip(names, trace.steps))
    ]
    layout = base_layout(presentation=presentation, height=plot_h + 210)
    grid = side_by_side(trace.kernel).shape
    layout.update(_animation_axes(crop, origin, (i1 - i0, j1 - j0), (i0, j0), grid))
    layout.update(annotations=_animation_titles(labels, scales, font_size(presentation)), dragmode=False)
    layout.update(shapes=_animation_shapes(step, trace, presentation), clickmode="event+select")
    layout["margin"] = {"l": 45, "r": 10, "t": 90 if presentation else 70, "b": 150}
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation)
    step_labels = [f"({s.i}, {s.j})" for s in trace.steps]
    layout["sliders"] = step_slider(names, step_labels, start, labels.step_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _animation_limits(trace: BackwardTrace, dx_frames: np.ndarray) -> dict[str, tuple[float, float]]:
    """One colour range per panel for every frame (the largest value anywhere), so colours compare."""
    i0, i1, j0, j1 = trace.region
    return {
        "delta": symmetric_limits(trace.delta[i0:i1, j0:j1]),
        "dx": symmetric_limits(dx_frames),
        "dw_step": symmetric_limits(*(s.dw_contribution for s in trace.steps)),
        "dw_total": symmetric_limits(*(s.dw_total for s in trace.steps)),
        "dx_step": symmetric_limits(*(s.dx_contribution for s in trace.steps)),
    }


def _padding_shade(mask: np.ndarray, origin: tuple[int, int], hover: str) -> dict:
    """Gray over padding cells (NaN elsewhere, so nothing is drawn there)."""
    return {
        "type": "heatmap",
        "z": typed_array(np.where(mask, 1.0, np.nan)),
        "x0": origin[1],
        "dx": 1,
        "y0": origin[0],
        "dy": 1,
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, PADDING_COLOR], [1, PADDING_COLOR]],
        "showscale": False,
        "hovertemplate": f"{hover}<extra></extra>",
    }


def _delta_traces(
    trace: BackwardTrace, labels: AnimationLabels, plot_h: int, scale: GridScale, presentation: bool
) -> list[dict]:
    """δ over the crop's output cells (all known before the pass starts), and click targets on them."""
    i0, i1, j0, j1 = trace.region
    delta = trace.delta[i0:i1, j0:j1]
    numbers = cell_numbers(_cell_px(delta.shape, _X["delta"], plot_h, _Y_TOP), presentation)
    limits = _scaled(symmetric_limits(delta), scale)
    heatmap = _heatmap(
        delta * scale.factor, 2, limits, numbers=numbers, number_format=scale.number_format, origin=(i0, j0)
    )
    return [heatmap, _click_targets(delta.shape, 2, labels.click_hint, origin=(i0, j0))]


_GRIDS = ("dw_step", "dw_total", "dx_step")


def _grids_of(step: BackwardStep, scales: dict[str, GridScale]) -> list[np.ndarray]:
    """δ·window, dW so far and δ·W of one step, channels side by side, scaled for printing."""
    raw = (step.dw_contribution, step.dw_total, step.dx_contribution)
    return [side_by_side(a) * scales[name].factor for a, name in zip(raw, _GRIDS)]


def _grid_traces(
    step: BackwardStep, limits: dict, scales: dict[str, GridScale], plot_h: int, presentation: bool
) -> list[dict]:
    """The three small grids of the lower row."""
    grids = _grids_of(step, scales)
    numbers = cell_numbers(_cell_px(grids[0].shape, _X_LOW["dw_step"], plot_h, _Y_LOW), presentation, 5)
    hover = "%{z:.4g}<extra></extra>"
    return [
        _heatmap(
            z,
            n,
            _scaled(limits[name], scales[name]),
            numbers=numbers,
            number_format=scales[name].number_format,
            gaps=True,
            hover=hover,
        )
        for n, (z, name) in enumerate(zip(grids, _GRIDS), start=4)
    ]


def _text_lines(step: BackwardStep, labels: AnimationLabels) -> str:
    lines = [
        labels.delta_line.format(i=step.i, j=step.j, delta=figure_number(step.delta)),
        labels.db_line.format(db=figure_number(step.db_total)),
    ]
    return "<br>".join(lines)


def _text_trace(step: BackwardStep, labels: AnimationLabels, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [0.5],
        "xaxis": "x7",
        "yaxis": "y7",
        "text": [_text_lines(step, labels)],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation) + 1},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _frame_data(
    step: BackwardStep, dx_crop: np.ndarray, scales: dict[str, GridScale], labels: AnimationLabels
) -> list[dict]:
    """What one frame changes: the dX crop, the three small grids and the text."""
    grids = _grids_of(step, scales)
    return [
        {"type": "heatmap", "z": typed_array(dx_crop * scales["dx"].factor)},
        *({"type": "heatmap", "z": typed_array(z)} for z in grids),
        {"type": "scatter", "text": [_text_lines(step, labels)]},
    ]


def _animation_shapes(step: BackwardStep, trace: BackwardTrace, presentation: bool) -> list[dict]:
    """The window on the input and on dX (where δ·W lands), and the current cell of δ."""
    width = line_width(presentation)
    shapes = [_window(step, trace, "x", "y", width), _window(step, trace, "x3", "y3", width)]
    shapes.append(cell_rect(step.i, step.j, "x2", "y2", CELL_COLOR, width))
    return shapes


def _window(step: BackwardStep, trace: BackwardTrace, xref: str, yref: str, width: float) -> dict:
    if trace.geometry.dilation == (1, 1):
        rows, cols = (step.rows[0], step.rows[-1]), (step.cols[0], step.cols[-1])
        return block_rect(rows, cols, xref, yref, line={"color": WINDOW_COLOR, "width": width})
    return cells_path(step.rows, step.cols, xref, yref, WINDOW_COLOR, width)


def _animation_axes(
    crop: tuple[int, int], origin: tuple[int, int], region: tuple[int, int], corner: tuple[int, int], grid
) -> dict:
    axes = {}
    axes.update(_matrix_axes(1, _X["input"], _Y_TOP, crop, origin))
    axes.update(_matrix_axes(2, _X["delta"], _Y_TOP, region, corner))
    axes.update(_matrix_axes(3, _X["dx"], _Y_TOP, crop, origin))
    for n, name in ((4, "dw_step"), (5, "dw_total"), (6, "dx_step")):
        axes.update(_matrix_axes(n, _X_LOW[name], _Y_LOW, grid, ticks=False))
    axes.update(_hidden_axes(7, _X_LOW["text"], _Y_LOW))
    return axes


def _animation_titles(labels: AnimationLabels, scales: dict[str, GridScale], size: int) -> list[dict]:
    top = [
        (labels.input_title, _X["input"]),
        (labels.delta_title + scales["delta"].suffix, _X["delta"]),
        (labels.dx_title + scales["dx"].suffix, _X["dx"]),
    ]
    low = [
        (labels.dw_step_title + scales["dw_step"].suffix, _X_LOW["dw_step"]),
        (labels.dw_total_title + scales["dw_total"].suffix, _X_LOW["dw_total"]),
        (labels.dx_step_title + scales["dx_step"].suffix, _X_LOW["dx_step"]),
    ]
    return [_title(text, x, 1.0, size + 1, 24) for text, x in top] + [
        _title(text, x, _Y_LOW[1], size + 1, 4) for text, x in low
    ]


# --- the row-by-row sweep -------------------------------------------------------------------------------


class SweepLabels(NamedTuple):
    """Every word of the sweep, translated by the page."""

    input_title: str
    delta_title: str
    dx_title: str
    dw_title: str
    db_line: str  # "db so far = {db}"
    row_prefix: str
    speeds: tuple[str, ...]
    pause: str
    colorbar: str


def backward_sweep(
    picture: str,
    delta: np.ndarray,
    dx: np.ndarray,
    dw_rows: np.ndarray,
    geometry: ConvGeometry,
    labels: SweepLabels,
    *,
    presentation: bool = False,
) -> dict:
    """The whole image swept row by row: δ's rows send their gradient back, dX fills in, dW adds up.

    Args:
        picture: the input image as a data URI; delta: one kernel's δ (H_out, W_out); dx: one channel of
            that kernel's dX (H, W); dw_rows: (H_out, C, KH, KW) each output row's share of dW.
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        A figure spec with at most MAX_SWEEP_FRAMES frames; the maps travel once as 8-bit codes, and a
        frame carries the shapes, the small dW grid and the db text.
    """
    H_out = delta.shape[0]
    per_frame = max(1, math.ceil(H_out / MAX_SWEEP_FRAMES))
    groups = [(r, min(H_out, r + per_frame) - 1) for r in range(0, H_out, per_frame)]
    dw_running = np.cumsum(dw_rows, axis=0)
    db_running = np.cumsum(delta.sum(axis=1))
    x = {"input": (0.0, 0.22), "delta": (0.26, 0.48), "dx": (0.52, 0.74), "right": (0.85, 1.0)}
    y_right = {"dw": (0.45, 0.9), "text": (0.05, 0.3)}
    plot_h = _fit_height([geometry.in_size, delta.shape], 0.22, 200, 520)
    dw_limits = symmetric_limits(dw_running)
    scale = grid_scale(dw_limits)
    size = font_size(presentation)
    grid = side_by_side(dw_running[groups[0][1]])
    numbers = cell_numbers(_cell_px(grid.shape, x["right"], plot_h, y_right["dw"]), presentation, 5)
    bar = colorbar(labels.colorbar, presentation, x=0.745, len=0.85)
    data = [
        picture_trace(picture, ""),
        *map_traces(delta, 2, symmetric_limits(delta)),
        *map_traces(dx, 3, symmetric_limits(dx), bar=bar),
    ]
    moving = [len(data), len(data) + 1]  # the dW grid and the db text, updated by the frames
    data += [
        _heatmap(
            grid * scale.factor,
            4,
            _scaled(dw_limits, scale),
            numbers=numbers,
            number_format=scale.number_format,
            gaps=True,
        ),
        _sweep_text(labels, db_running[groups[0][1]], presentation),
    ]
    width = line_width(presentation)
    names = [str(k) for k in range(len(groups))]
    frames = [
        {
            "name": name,
            "data": [
                {"type": "heatmap", "z": typed_array(side_by_side(dw_running[last]) * scale.factor)},
                {"type": "scatter", "text": [labels.db_line.format(db=figure_number(db_running[last], 3))]},
            ],
            "traces": moving,
            "layout": {"shapes": _sweep_shapes((first, last), geometry, width)},
        }
        for name, (first, last) in zip(names, groups)
    ]
    axes = {
        **_matrix_axes(1, x["input"], (0, 1), geometry.in_size),
        **_matrix_axes(2, x["delta"], (0, 1), delta.shape),
        **_matrix_axes(3, x["dx"], (0, 1), geometry.in_size),
        **_matrix_axes(4, x["right"], y_right["dw"], grid.shape, ticks=False),
        **_hidden_axes(5, x["right"], y_right["text"]),
    }
    titles = [
        _title(labels.input_title, x["input"], 1.0, size, 24),
        _title(labels.delta_title, x["delta"], 1.0, size, 24),
        _title(labels.dx_title, x["dx"], 1.0, size, 24),
        _title(labels.dw_title + scale.suffix, x["right"], y_right["dw"][1], size),
    ]
    layout = base_layout(presentation=presentation, height=plot_h + 200)
    layout.update(axes, annotations=titles, shapes=_sweep_shapes(groups[0], geometry, width), dragmode=False)
    layout["margin"] = {"l": 45, "r": 10, "t": 90 if presentation else 70, "b": 140}
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation)
    step_labels = [f"{a}–{b}" if a != b else f"{a}" for a, b in groups]
    layout["sliders"] = step_slider(names, step_labels, 0, labels.row_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _sweep_text(labels: SweepLabels, db: float, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [0.5],
        "xaxis": "x5",
        "yaxis": "y5",
        "text": [labels.db_line.format(db=figure_number(db, 3))],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation)},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _sweep_shapes(group: tuple[int, int], geometry: ConvGeometry, width: float) -> list[dict]:
    """The band of input rows the group's windows read; δ's rows; on dX the rows still being written
    (pale) and the rows not reached yet (hidden)."""
    first, last = group
    H, W = geometry.in_size
    H_out, W_out = geometry.out_size
    band = input_rows_of(geometry, first, last)
    full_width = input_cols_of(geometry, 0, W_out - 1)
    line = {"color": WINDOW_COLOR, "width": width}
    shapes = [
        block_rect(band, full_width, "x", "y", line=line, fillcolor="rgba(230, 159, 0, 0.15)"),
        block_rect((first, last), (0, W_out - 1), "x2", "y2", line={"color": CELL_COLOR, "width": width}),
        block_rect(band, full_width, "x3", "y3", line=line),
    ]
    if last + 1 < H_out:
        if band[1] + 1 < H:
            # Rows below the band get gradient from later output rows only: hidden until then.
            cover = {"fillcolor": "white", "line": {"width": 0}, "layer": "above"}
            shapes.append(block_rect((band[1] + 1, H - 1), (0, W - 1), "x3", "y3", **cover))
        # Rows of the band that the next output rows also write to are not final yet: pale.
        unfinished = input_rows_of(geometry, last + 1, last + 1)[0]
        if unfinished <= band[1]:
            veil = {"fillcolor": "rgba(255, 255, 255, 0.6)", "line": {"width": 0}, "layer": "above"}
            shapes.append(block_rect((unfinished, band[1]), (0, W - 1), "x3", "y3", **veil))
    return shapes


# --- scatter and gather ---------------------------------------------------------------------------------


def gather_figure(
    view: GatherView,
    scatter_dx_pad: np.ndarray,
    is_padding: np.ndarray,
    titles: Sequence[str],
    *,
    channel: int = 0,
    presentation: bool = False,
) -> dict:
    """dX two ways for one kernel: the gather form's arrays (top row) and the results (bottom row).

    Top: δ → δ spread by the stride → padded by d·(K − 1); the kernel rotated by 180° (dilated).
    Bottom: gather's dX_pad (padded ⋆ rotated kernel), scatter's dX_pad (Σ δ·W into windows), the
    gradient on padding cells (cropped or folded back), dX.

    Args:
        view: engine.backward_views.gather_dx for ONE kernel (F = 1).
        scatter_dx_pad: (C, H_pad, W_pad) the same kernel's dX_pad from the scatter form.
        is_padding: (H_pad, W_pad) bool.
        titles: 8 panel titles, in the order above.
        channel: the channel shown.

    Returns:
        A figure spec, 2 rows × 4 panels; large maps travel as 8-bit codes (hover off).
    """
    c = channel
    padding_only = np.where(is_padding, view.dx_pad[c], np.nan)
    top = [view.delta[0], view.spread[0], view.padded[0], view.rotated_dilated[0, c]]
    bottom = [view.dx_pad[c], scatter_dx_pad[c], padding_only, view.dx[c]]
    delta_limits = symmetric_limits(view.delta)
    dx_limits = symmetric_limits(view.dx_pad[c], view.dx[c])
    limits = [delta_limits] * 3 + [symmetric_limits(view.rotated)] + [dx_limits] * 4
    domains = _columns(4, 0.045)
    width = domains[0][1] - domains[0][0]
    row_px = [_fit_height([z.shape for z in row[:3]], width, 120, 300) for row in (top, bottom)]
    title_px = 120.0  # the bottom row's titles (up to three lines) and tick labels, below the top row
    plot_h = sum(row_px) + title_px
    rows_y = [(1.0 - row_px[0] / plot_h, 1.0), (0.0, row_px[1] / plot_h)]
    size = font_size(presentation)
    data, axes, annotations = [], {}, []
    for n, (z, lim) in enumerate(zip(top + bottom, limits), start=1):
        domain, y = domains[(n - 1) % 4], rows_y[(n - 1) // 4]
        small = n == 4  # the kernel: no ticks, numbers always
        axes.update(_matrix_axes(n, domain, y, z.shape, ticks=not small))
        annotations.append(_title(titles[n - 1], domain, y[1], size - 1, shift=6 if small else 22))
        if z.size > EXACT_CELLS:
            data += map_traces(z, n, lim)
            continue
        numbers = cell_numbers(_cell_px(z.shape, domain, plot_h, y), presentation)
        scale = grid_scale(lim) if numbers else GridScale(1.0, ".2f", "")
        data.append(
            _heatmap(
                z * scale.factor,
                n,
                _scaled(lim, scale),
                numbers=numbers,
                number_format=scale.number_format,
                gaps=small,
            )
        )
        annotations[-1]["text"] = annotations[-1]["text"].replace("</b>", scale.suffix + "</b>")
    shapes = _input_outline(is_padding, line_width(presentation), (5, 6, 7))
    layout = base_layout(presentation=presentation, height=int(plot_h + 100))
    layout.update(axes, annotations=annotations, shapes=shapes, dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 110, "b": 10}
    return {"data": data, "layout": layout}


def _input_outline(is_padding: np.ndarray, width: float, panels: Sequence[int]) -> list[dict]:
    """The unpadded input's border on padded panels (what is kept), dashed."""
    inside = np.argwhere(~is_padding)
    (r0, c0), (r1, c1) = inside.min(axis=0), inside.max(axis=0)
    line = {"color": WINDOW_COLOR, "width": width - 1, "dash": "dash"}
    rows, cols = (int(r0), int(r1)), (int(c0), int(c1))
    return [block_rect(rows, cols, f"x{_suffix(n)}", f"y{_suffix(n)}", line=line) for n in panels]


def overlap_figure(
    counts: np.ndarray,
    is_padding: np.ndarray,
    title: str,
    colorbar_title: str,
    *,
    plot_px: float = PLOT_PX,
    presentation: bool = False,
) -> dict:
    """How many windows read each cell of the padded input; the input itself outlined.

    Args:
        counts: (H_pad, W_pad) int; is_padding: (H_pad, W_pad) bool.
        plot_px: width of the plotting area in pixels (less than PLOT_PX in a page column).

    Returns:
        A figure spec (counts as exact integers).
    """
    rows, cols = counts.shape
    size = font_size(presentation)
    top = max(1, int(counts.max()))
    plot_h = 360 if presentation else 320
    right = min(0.8, plot_h * cols / rows / plot_px)
    numbers = cell_numbers(min(plot_h / rows, right * plot_px / cols), presentation, chars=2)
    trace = {
        "type": "heatmap",
        "z": typed_array(counts, "u1" if top <= 255 else "i4"),
        "zmin": 0,
        "zmax": top,
        "colorscale": SEQUENTIAL,
        "colorbar": colorbar(
            colorbar_title, presentation, x=right + 0.015, len=0.9, dtick=1 if top <= 12 else None
        ),
        "hovertemplate": "row %{y}, col %{x}<br>%{z}<extra></extra>",
    }
    if numbers:
        trace.update(texttemplate="%{z}", textfont={"size": numbers})
    layout = base_layout(presentation=presentation, height=plot_h + 80)
    layout.update(_matrix_axes(1, (0.0, right), (0.0, 1.0), (rows, cols)))
    heading = {**_title(title, (0.0, right), 1.0, size, 24), "x": 0.0, "xanchor": "left"}
    layout.update(annotations=[heading], dragmode=False)
    layout["shapes"] = _input_outline(is_padding, line_width(presentation), (1,))
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": [trace], "layout": layout}


# --- the gradient check ---------------------------------------------------------------------------------


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


# --- learning the kernel --------------------------------------------------------------------------------


class DescentLabels(NamedTuple):
    """Every word of the learning figure, translated by the page."""

    loss_title: str
    x_title: str  # "step"
    y_title: str  # "loss"
    start_title: str
    now_title: str
    target_title: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str


def descent_figure(
    descent: Descent,
    target: np.ndarray,
    labels: DescentLabels,
    *,
    kernel: int = 0,
    presentation: bool = False,
) -> dict:
    """The loss curve and one kernel converging toward its target, animated over the steps taken.

    Args:
        descent: engine.backward_views.descend's history.
        target: (F, C, KH, KW) the target kernels.
        kernel: which kernel f to show (channels side by side).

    Returns:
        A figure spec; frames (at most MAX_DESCENT_FRAMES) move the marker on the curve and update the
        "now" grid; it opens on the last step.
    """
    f = kernel
    n_steps = len(descent.losses) - 1
    shown = np.unique(np.linspace(0, n_steps, min(MAX_DESCENT_FRAMES, n_steps + 1)).round().astype(int))
    grids = [
        side_by_side(descent.kernels[0, f]),
        side_by_side(descent.kernels[-1, f]),
        side_by_side(target[f]),
    ]
    limits = symmetric_limits(descent.kernels[:, f], target[f])
    x_curve, x_grids = (0.0, 0.4), [(0.5 + a, 0.5 + b) for a, b in _columns(3, 0.04, right=0.5)]
    plot_h = 380 if presentation else 330
    # The curve's tick labels and axis title sit inside the figure, above the Play buttons.
    y_curve, y_grids = (0.2, 1.0), (0.2, 0.85)
    numbers = cell_numbers(_cell_px(grids[0].shape, x_grids[0], plot_h, y_grids), presentation, 5)
    losses = np.maximum(descent.losses, 1e-300)
    curve = {
        "type": "scatter",
        "mode": "lines",
        "x": list(range(n_steps + 1)),
        "y": losses.tolist(),
        "xaxis": "x",
        "yaxis": "y",
        "line": {"color": BLUE, "width": 3},
        "showlegend": False,
        "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
    }
    data = [curve, _marker(n_steps, losses[-1], presentation)]
    for n, z in enumerate(grids, start=2):
        data.append(_heatmap(z, n, limits, numbers=numbers, number_format=".2f", gaps=True))
    frames = [
        {
            "name": str(k),
            "data": [
                _marker(k, losses[k], presentation),
                {"type": "heatmap", "z": typed_array(side_by_side(descent.kernels[k, f]))},
            ],
            "traces": [1, 3],
        }
        for k in shown
    ]
    axes = {
        "xaxis": {
            "domain": list(x_curve),
            "anchor": "y",
            "title": {"text": labels.x_title},
            "rangemode": "tozero",
        },
        "yaxis": {
            "anchor": "x",
            "domain": list(y_curve),
            "type": "log",
            "dtick": 1,  # one tick per power of ten
            "title": {"text": labels.y_title},
            "exponentformat": "power",
            "gridcolor": "#e5e5e5",
        },
    }
    for n, domain in enumerate(x_grids, start=2):
        axes.update(_matrix_axes(n, domain, y_grids, grids[0].shape, ticks=False))
    size = font_size(presentation)
    titles = [_title(labels.loss_title, x_curve, 1.0, size)]
    grid_titles = (labels.start_title, labels.now_title, labels.target_title)
    titles += [_title(text, d, y_grids[1], size) for text, d in zip(grid_titles, x_grids)]
    layout = base_layout(presentation=presentation, height=plot_h + 210)
    layout.update(axes, annotations=titles, dragmode=False)
    layout["margin"] = {"l": 70, "r": 10, "t": 40, "b": 130}
    names = [str(k) for k in shown]
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation)
    layout["sliders"] = step_slider(names, names, len(names) - 1, labels.step_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _marker(step: int, loss: float, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [int(step)],
        "y": [float(loss)],
        "xaxis": "x",
        "yaxis": "y",
        "marker": {"color": VERMILLION, "size": 16 if presentation else 12},
        "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
        "showlegend": False,
    }
