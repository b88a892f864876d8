"""Figures of the backward-pass page: gradients as heatmaps, the animated backward pass, dX two ways,
the gradient check and the kernel learning its target.

Every figure is a plain Plotly spec (dicts with typed arrays), like viz/forward.py: animated ones are
cached and sent as they are. Signed quantities use the diverging scale with symmetric limits (white is
0); titles carry each array's shape, which is the shape of what the gradient belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.backward_views import Descent, GatherView, GradientCheck
from engine.geometry import ConvGeometry
from engine.trace import BackwardStep, BackwardTrace
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.feature_maps import input_cols_of, input_rows_of
from viz.forward import FRAMES_BUDGET_BYTES, cell_font, stack_channels
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
    font_size,
    line_width,
    symmetric_limits,
)

# Width of the page's main column on a projector-sized window (1600 px with the sidebar open): used to
# size the numbers printed in cells.
FIGURE_PX = 1080
CLICK_GRID = 64  # click targets per side of a full-resolution map, at most
MAX_DESCENT_FRAMES = 60
# Above this many cells a map of the gather figure is sent as 8-bit colour codes, not float32 values.
EXACT_CELLS = 128 * 128


# --- shared pieces --------------------------------------------------------------------------------------


def _suffix(n: int) -> str:
    return "" if n == 1 else str(n)


def _matrix_axes(n: int, x_domain: Sequence[float], y_domain: Sequence[float], ticks: bool = True) -> dict:
    """Axes of panel n (1-based): row 0 on top, square cells, the panel kept inside its domain."""
    s = _suffix(n)
    common = {
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "showticklabels": ticks,
        "ticks": "",
        "nticks": 10,
    }
    return {
        f"xaxis{s}": {"domain": list(x_domain), "anchor": f"y{s}", "side": "top", **common},
        f"yaxis{s}": {
            "domain": list(y_domain),
            "anchor": f"x{s}",
            "autorange": "reversed",
            "scaleanchor": f"x{s}",
            **common,
        },
    }


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


def _numbers(cols: int, domain_width: float, presentation: bool) -> int:
    """Font size of numbers in the cells of a panel `cols` cells wide (0: too small to read)."""
    return cell_font(cols, presentation, panel_px=FIGURE_PX * domain_width)


def _coded(z: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """Values as 8-bit colour codes 0..255 over limits (NaN stays NaN as float32 would not: kept at 0)."""
    lo, hi = limits
    return np.round((np.clip(np.nan_to_num(z), lo, hi) - lo) / (hi - lo) * 255).astype(np.uint8)


def _coded_heatmap(z: np.ndarray, n: int, limits: tuple[float, float], bar: dict | None = None) -> dict:
    """A large map as 8-bit codes (a quarter of float32's bytes), the colour bar labelled in values."""
    s = _suffix(n)
    trace = {
        "type": "heatmap",
        "z": typed_array(_coded(z, limits), "u1"),
        "zmin": 0,
        "zmax": 255,
        "colorscale": DIVERGING,
        "showscale": bar is not None,
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "hoverinfo": "skip",
    }
    if bar is not None:
        lo, hi = limits
        ticks = [lo, lo / 2, 0.0, hi / 2, hi]
        bar = {**bar, "tickvals": [0, 63.75, 127.5, 191.25, 255], "ticktext": [_num(v, 3) for v in ticks]}
        trace["colorbar"] = bar
    return trace


def _image_trace(image: np.ndarray, n: int, origin: tuple[int, int] = (0, 0), numbers: int = 0) -> dict:
    """The input (C, h, w) in [0, 1]: gray heatmap for one channel, RGB image for three."""
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


def _click_targets(shape: tuple[int, int], n: int, hint: str) -> dict:
    """Nearly invisible markers over cell centres of panel n: a click selects the cell (TESTING.md)."""
    rows, cols = shape
    step = max(1, math.ceil(max(rows, cols) / CLICK_GRID))
    ii, jj = np.meshgrid(np.arange(0, rows, step), np.arange(0, cols, step), indexing="ij")
    s = _suffix(n)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": jj.ravel().tolist(),
        "y": ii.ravel().tolist(),
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "marker": {"size": 14, "opacity": 0.01, "color": "black"},
        "hovertemplate": "(%{y}, %{x})<br>" + hint + "<extra></extra>",
        "showlegend": False,
    }


def _num(v: float, digits: int = 4) -> str:
    """A number for figure text: `digits` significant digits and a real minus sign."""
    return f"{v:.{digits}g}".replace("-", "−")


def _columns(n: int, gap: float, right: float = 1.0, bar_room: float = 0.0) -> list[tuple[float, float]]:
    """n equal side-by-side x domains over [0, right], each leaving `bar_room` for a colour bar."""
    width = (right - gap * (n - 1)) / n
    return [(k * (width + gap), k * (width + gap) + width - bar_room) for k in range(n)]


# --- static heatmaps ------------------------------------------------------------------------------------


def chain_figure(
    panels: Sequence[tuple[str, np.ndarray]],
    *,
    cell: tuple[int, int] | None = None,
    region: tuple[int, int, int, int] | None = None,
    click_hint: str = "",
    presentation: bool = False,
) -> dict:
    """Maps of one kernel side by side, e.g. A, ∂L/∂A, σ'(Z) and δ = ∂L/∂A ⊙ σ'(Z).

    Args:
        panels: (title, map (H_out, W_out)) per panel, left to right; each map gets its own symmetric
            diverging scale and colour bar.
        cell: an output cell outlined on every panel (the one-hot loss's cell).
        region: (i0, i1, j0, j1) outlined on the last panel (the animated crop).
        click_hint: hover text of the click targets (every panel is clickable).

    Returns:
        A figure spec; a click selects a point whose (x, y) is an output cell.
    """
    domains = _columns(len(panels), 0.035, bar_room=0.035)
    size = font_size(presentation)
    data, axes, titles, shapes = [], {}, [], []
    width = line_width(presentation)
    for n, ((title, z), domain) in enumerate(zip(panels, domains), start=1):
        bar = colorbar("", presentation, x=domain[1] + 0.004, len=0.85, thickness=10)
        numbers = _numbers(z.shape[1], domain[1] - domain[0], presentation)
        data.append(_heatmap(z, n, symmetric_limits(z), numbers=numbers, bar=bar))
        data.append(_click_targets(z.shape, n, click_hint))
        axes.update(_matrix_axes(n, domain, (0.0, 1.0)))
        titles.append(_title(title, domain, 1.0, size, shift=28))
        if cell is not None:
            shapes.append(cell_rect(cell[0], cell[1], f"x{_suffix(n)}", f"y{_suffix(n)}", CELL_COLOR, width))
    if region is not None:
        s = _suffix(len(panels))
        i0, i1, j0, j1 = region
        line = {"color": GREY, "width": width - 1, "dash": "dot"}
        shapes.append(block_rect((i0, i1 - 1), (j0, j1 - 1), f"x{s}", f"y{s}", line=line))
    layout = base_layout(presentation=presentation, height=400 if presentation else 330)
    layout.update(axes, annotations=titles, shapes=shapes, clickmode="event+select", dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}


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
        A figure spec; every dW panel shares one colour scale (colours compare across kernels).
    """
    F, C, KH, KW = dw.shape
    size = font_size(presentation)
    gap_x, gap_y = 0.06, 0.12 if F > 1 else 0.0
    kernel_w = 0.78 / C if KW >= KH else 0.78 / C * KW / KH
    row_h = (1.0 - gap_y * (F - 1)) / F
    dw_limits, db_limits = symmetric_limits(dw), symmetric_limits(db)
    data, axes, titles = [], {}, []
    for f in range(F):
        y = (1.0 - f * (row_h + gap_y) - row_h, 1.0 - f * (row_h + gap_y))
        for c in range(C + 1):
            n = f * (C + 1) + c + 1
            x0 = c * (kernel_w + gap_x) if c < C else C * (kernel_w + gap_x)
            domain = (x0, min(1.0, x0 + (kernel_w if c < C else 0.12)))
            axes.update(_matrix_axes(n, domain, y, ticks=False))
            if c < C:
                numbers = max(_numbers(KW, domain[1] - domain[0], presentation), 9)
                data.append(
                    _heatmap(dw[f, c], n, dw_limits, numbers=numbers, number_format=".3~g", gaps=True)
                )
                titles.append(_title(dw_titles[f][c], domain, y[1], size))
            else:
                data.append(
                    _heatmap(db[f : f + 1, None], n, db_limits, numbers=size + 2, number_format=".4~g")
                )
                titles.append(_title(db_titles[f], domain, y[1], size))
    base = 150 + 40 * max(KH, 4)
    layout = base_layout(presentation=presentation, height=int(F * base * (1.25 if presentation else 1.0)))
    layout.update(axes, annotations=titles, dragmode=False)
    layout["margin"] = {"l": 10, "r": 10, "t": 40, "b": 10}
    return {"data": data, "layout": layout}


def input_gradient_figure(
    image: np.ndarray,
    dx: np.ndarray,
    titles: Sequence[str],
    *,
    colorbar_title: str = "",
    presentation: bool = False,
) -> dict:
    """The input and dX per channel at full resolution (hover gives each value).

    Args:
        image: (C, H, W) in [0, 1]; dx: (C, H, W).
        titles: the input's title, then one per channel of dX.

    Returns:
        A figure spec; the dX panels share one symmetric scale.
    """
    C = dx.shape[0]
    domains = _columns(C + 1, 0.03, bar_room=0.0)
    size = font_size(presentation)
    limits = symmetric_limits(dx)
    numbers = _numbers(dx.shape[2], domains[0][1] - domains[0][0], presentation)
    data = [_image_trace(image, 1)]
    axes = _matrix_axes(1, domains[0], (0.0, 1.0))
    for c in range(C):
        last = c == C - 1
        bar = colorbar(colorbar_title, presentation, x=domains[c + 1][1] + 0.005, len=0.85) if last else None
        domain = (domains[c + 1][0], domains[c + 1][1] - (0.05 if last else 0.0))
        data.append(_heatmap(dx[c], c + 2, limits, numbers=numbers, bar=bar))
        axes.update(_matrix_axes(c + 2, domain, (0.0, 1.0)))
    annotations = [_title(text, d, 1.0, size, shift=28) for text, d in zip(titles, domains)]
    layout = base_layout(presentation=presentation, height=420 if presentation else 360)
    layout.update(axes, annotations=annotations, dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}


# --- the animated backward pass -------------------------------------------------------------------------

# Trace order in the animation: frames name DX, DW_STEP, DW_TOTAL, DX_STEP and TEXT.
INPUT, PADDING, DELTA, CLICK, DX, DX_PADDING, DW_STEP, DW_TOTAL, DX_STEP, TEXT = range(10)
_X = {"input": (0.0, 0.27), "delta": (0.31, 0.46), "dx": (0.51, 0.75), "right": (0.84, 1.0)}
_Y_RIGHT = {"dw_step": (0.76, 0.97), "dw_total": (0.46, 0.67), "dx_step": (0.16, 0.37), "text": (0.0, 0.1)}


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
        the one-channel dX crop and the text.
    """
    rows, cols = backward_input_crop(trace)
    origin = (rows.start, cols.start)
    size = font_size(presentation)
    step = trace.steps[start]
    limits = _animation_limits(trace, dx_frames[:, channel])
    crop_cols = cols.stop - cols.start
    numbers_in = _numbers(crop_cols, _X["input"][1] - _X["input"][0], presentation)
    numbers_dx = _numbers(crop_cols, _X["dx"][1] - _X["dx"][0], presentation)
    shade = _padding_shade(is_padding[rows, cols], origin, labels.padding_hover)
    data = [
        _image_trace(trace.x_pad[:, rows, cols], 1, origin, numbers=numbers_in),
        {**shade, "xaxis": "x", "yaxis": "y"},
        *_delta_traces(trace, labels, presentation),
        _heatmap(
            dx_frames[start, channel],
            3,
            limits["dx"],
            numbers=numbers_dx,
            origin=origin,
            bar=colorbar(labels.colorbar, presentation, x=_X["dx"][1] + 0.01, len=0.9),
        ),
        {**shade, "xaxis": "x3", "yaxis": "y3"},
        *_grid_traces(step, trace, limits, presentation),
        _text_trace(step, labels, presentation),
    ]
    names = [str(s.step) for s in trace.steps]
    frames = [
        {
            "name": name,
            "data": _frame_data(s, dx_frames[k, channel], trace, labels),
            "traces": [DX, DW_STEP, DW_TOTAL, DX_STEP, TEXT],
            "layout": {"shapes": _animation_shapes(s, trace, presentation)},
        }
        for k, (name, s) in enumerate(zip(names, trace.steps))
    ]
    layout = base_layout(presentation=presentation, height=780 if presentation else 640)
    layout.update(_animation_axes(), annotations=_animation_titles(labels, size))
    layout.update(
        shapes=_animation_shapes(step, trace, presentation), clickmode="event+select", dragmode=False
    )
    layout["margin"] = {"l": 45, "r": 10, "t": 70, "b": 150}
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation)
    step_labels = [f"({s.i}, {s.j})" for s in trace.steps]
    layout["sliders"] = step_slider(names, step_labels, start, labels.step_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _animation_limits(trace: BackwardTrace, dx_frames: np.ndarray) -> dict[str, tuple[float, float]]:
    """One colour range per panel for every frame (the largest value anywhere), so colours compare."""
    return {
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


def _delta_traces(trace: BackwardTrace, labels: AnimationLabels, presentation: bool) -> list[dict]:
    """δ over the crop's output cells (all known before the pass starts), and click targets on them."""
    i0, i1, j0, j1 = trace.region
    delta = trace.delta[i0:i1, j0:j1]
    numbers = _numbers(j1 - j0, _X["delta"][1] - _X["delta"][0], presentation)
    heatmap = _heatmap(delta, 2, symmetric_limits(trace.delta), numbers=numbers, origin=(i0, j0))
    jj, ii = np.meshgrid(np.arange(j0, j1), np.arange(i0, i1))
    click = {
        "type": "scatter",
        "mode": "markers",
        "x": jj.ravel().tolist(),
        "y": ii.ravel().tolist(),
        "marker": {"size": 16, "opacity": 0.01, "color": "black"},
        "hovertemplate": "(%{y}, %{x})<br>" + labels.click_hint + "<extra></extra>",
        "showlegend": False,
        "xaxis": "x2",
        "yaxis": "y2",
    }
    return [heatmap, click]


def _grid_traces(step: BackwardStep, trace: BackwardTrace, limits: dict, presentation: bool) -> list[dict]:
    """The three small grids of the right column: δ·window, dW so far, δ·W (channels stacked)."""
    size = font_size(presentation)
    grids = (
        (stack_channels(step.dw_contribution), limits["dw_step"], 4),
        (stack_channels(step.dw_total), limits["dw_total"], 5),
        (stack_channels(step.dx_contribution), limits["dx_step"], 6),
    )
    return [
        _heatmap(z, n, lim, numbers=size - 1, number_format=".2f", gaps=True, hover="%{z:.4g}<extra></extra>")
        for z, lim, n in grids
    ]


def _text_lines(step: BackwardStep, labels: AnimationLabels) -> str:
    return "<br>".join(
        [
            labels.delta_line.format(i=step.i, j=step.j, delta=_num(step.delta)),
            labels.db_line.format(db=_num(step.db_total)),
        ]
    )


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


def _frame_data(step: BackwardStep, dx_crop: np.ndarray, trace: BackwardTrace, labels) -> list[dict]:
    """What one frame changes: the dX crop, the three small grids and the text."""
    return [
        {"type": "heatmap", "z": typed_array(dx_crop)},
        {"type": "heatmap", "z": typed_array(stack_channels(step.dw_contribution))},
        {"type": "heatmap", "z": typed_array(stack_channels(step.dw_total))},
        {"type": "heatmap", "z": typed_array(stack_channels(step.dx_contribution))},
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


def _animation_axes() -> dict:
    axes = {}
    axes.update(_matrix_axes(1, _X["input"], (0.0, 1.0)))
    axes.update(_matrix_axes(2, _X["delta"], (0.0, 1.0)))
    axes.update(_matrix_axes(3, _X["dx"], (0.0, 1.0)))
    axes.update(_matrix_axes(4, _X["right"], _Y_RIGHT["dw_step"], ticks=False))
    axes.update(_matrix_axes(5, _X["right"], _Y_RIGHT["dw_total"], ticks=False))
    axes.update(_matrix_axes(6, _X["right"], _Y_RIGHT["dx_step"], ticks=False))
    axes.update(_hidden_axes(7, _X["right"], _Y_RIGHT["text"]))
    return axes


def _animation_titles(labels: AnimationLabels, size: int) -> list[dict]:
    places = [
        (labels.input_title, _X["input"], 1.0, 24),
        (labels.delta_title, _X["delta"], 1.0, 24),
        (labels.dx_title, _X["dx"], 1.0, 24),
        (labels.dw_step_title, _X["right"], _Y_RIGHT["dw_step"][1], 2),
        (labels.dw_total_title, _X["right"], _Y_RIGHT["dw_total"][1], 2),
        (labels.dx_step_title, _X["right"], _Y_RIGHT["dx_step"][1], 2),
    ]
    return [_title(text, x, y, size + 1, shift) for text, x, y, shift in places]


# --- the row-by-row sweep -------------------------------------------------------------------------------

MAX_SWEEP_FRAMES = 64


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
    image: np.ndarray,
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
        image: (C, H, W) in [0, 1]; delta: one kernel's δ (H_out, W_out); dx: one channel of that
            kernel's dX (H, W); dw_rows: (H_out, C, KH, KW) each output row's share of dW.
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
    x = {"input": (0.0, 0.25), "delta": (0.29, 0.54), "dx": (0.58, 0.80), "right": (0.89, 1.0)}
    y_right = {"dw": (0.4, 0.95), "text": (0.05, 0.25)}
    dw_limits = symmetric_limits(dw_running)
    size = font_size(presentation)
    data = [
        {**_image_trace(image, 1), "hoverinfo": "skip"},
        _coded_heatmap(delta, 2, symmetric_limits(delta)),
        _coded_heatmap(
            dx, 3, symmetric_limits(dx), colorbar(labels.colorbar, presentation, x=0.81, len=0.85)
        ),
        _heatmap(stack_channels(dw_running[groups[0][1]]), 4, dw_limits, numbers=size - 2, gaps=True),
        _sweep_text(labels, db_running[groups[0][1]], presentation),
    ]
    data[0].pop("hovertemplate", None)
    width = line_width(presentation)
    names = [str(k) for k in range(len(groups))]
    frames = [
        {
            "name": name,
            "data": [
                {"type": "heatmap", "z": typed_array(stack_channels(dw_running[last]))},
                {"type": "scatter", "text": [labels.db_line.format(db=_num(db_running[last]))]},
            ],
            "traces": [3, 4],
            "layout": {"shapes": _sweep_shapes((first, last), geometry, width)},
        }
        for name, (first, last) in zip(names, groups)
    ]
    axes = {**_matrix_axes(1, x["input"], (0, 1)), **_matrix_axes(2, x["delta"], (0, 1))}
    axes.update(_matrix_axes(3, x["dx"], (0, 1)), **_matrix_axes(4, x["right"], y_right["dw"], ticks=False))
    axes.update(_hidden_axes(5, x["right"], y_right["text"]))
    titles = [
        _title(labels.input_title, x["input"], 1.0, size, 24),
        _title(labels.delta_title, x["delta"], 1.0, size, 24),
        _title(labels.dx_title, x["dx"], 1.0, size, 24),
        _title(labels.dw_title, x["right"], y_right["dw"][1], size),
    ]
    layout = base_layout(presentation=presentation, height=560 if presentation else 460)
    layout.update(axes, annotations=titles, shapes=_sweep_shapes(groups[0], geometry, width), dragmode=False)
    layout["margin"] = {"l": 45, "r": 10, "t": 60, "b": 140}
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
        "text": [labels.db_line.format(db=_num(db))],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation) + 1},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _sweep_shapes(group: tuple[int, int], geometry: ConvGeometry, width: float) -> list[dict]:
    """The band of input rows the group's windows read; δ's rows; on dX the rows still being written
    (shaded) and the rows not reached yet (covered)."""
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
    # Rows below the band get gradient from later output rows only: cover them until then.
    if band[1] + 1 < H and last + 1 < H_out:
        cover = {"fillcolor": "white", "line": {"width": 0}, "layer": "above"}
        shapes.append(block_rect((band[1] + 1, H - 1), (0, W - 1), "x3", "y3", **cover))
    if last + 1 < H_out:
        # Rows of the band that the next output rows write to as well are not final yet: shade them.
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
    """dX two ways for one kernel: the gather intermediates (top row) and the results (bottom row).

    Top: δ → δ spread by the stride → padded by d·(K − 1) ; the kernel rotated by 180° (dilated).
    Bottom: gather's dX_pad (padded ⋆ rotated kernel), scatter's dX_pad (Σ δ·W into windows), the
    gradient on padding cells (cropped or folded back), dX.

    Args:
        view: engine.backward_views.gather_dx for ONE kernel (F = 1).
        scatter_dx_pad: (C, H_pad, W_pad) the same kernel's dX_pad from the scatter form.
        is_padding: (H_pad, W_pad) bool.
        titles: 8 panel titles, in the order above.
        channel: the channel shown.

    Returns:
        A figure spec, 2 rows × 4 panels.
    """
    c = channel
    padding_only = np.where(is_padding, view.dx_pad[c], np.nan)
    top = [view.delta[0], view.spread[0], view.padded[0], view.rotated_dilated[0, c]]
    bottom = [view.dx_pad[c], scatter_dx_pad[c], padding_only, view.dx[c]]
    delta_limits = symmetric_limits(view.delta)
    dx_limits = symmetric_limits(view.dx_pad[c], view.dx[c])
    limits = [delta_limits] * 3 + [symmetric_limits(view.rotated)] + [dx_limits] * 4
    domains = _columns(4, 0.04)
    rows_y = [(0.56, 0.94), (0.0, 0.38)]
    size = font_size(presentation)
    data, axes, annotations = [], {}, []
    for n, (z, lim) in enumerate(zip(top + bottom, limits), start=1):
        domain, y = domains[(n - 1) % 4], rows_y[(n - 1) // 4]
        axes.update(_matrix_axes(n, domain, y))
        annotations.append(_title(titles[n - 1], domain, y[1], size, shift=24))
        if z.size > EXACT_CELLS:
            data.append(_coded_heatmap(z, n, lim))
        else:
            numbers = _numbers(z.shape[1], domain[1] - domain[0], presentation)
            data.append(_heatmap(z, n, lim, numbers=numbers, number_format=".2~f", gaps=n == 4))
    shapes = _input_outline(view, is_padding, line_width(presentation))
    layout = base_layout(presentation=presentation, height=820 if presentation else 720)
    layout.update(axes, annotations=annotations, shapes=shapes, dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}


def _input_outline(view: GatherView, is_padding: np.ndarray, width: float) -> list[dict]:
    """The unpadded input's border on the three padded panels of the bottom row (what is kept)."""
    inside = np.argwhere(~is_padding)
    (r0, c0), (r1, c1) = inside.min(axis=0), inside.max(axis=0)
    line = {"color": WINDOW_COLOR, "width": width - 1, "dash": "dash"}
    return [
        block_rect((int(r0), int(r1)), (int(c0), int(c1)), f"x{n}", f"y{n}", line=line) for n in (5, 6, 7)
    ]


def overlap_figure(
    counts: np.ndarray, is_padding: np.ndarray, title: str, colorbar_title: str, *, presentation: bool = False
) -> dict:
    """How many windows read each cell of the padded input; the input itself outlined.

    Args:
        counts: (H_pad, W_pad) int; is_padding: (H_pad, W_pad) bool.

    Returns:
        A figure spec (counts as exact integers).
    """
    size = font_size(presentation)
    top = max(1, int(counts.max()))
    dtype = "u1" if top <= 255 else "i4"
    numbers = _numbers(counts.shape[1], 0.55, presentation)
    trace = {
        "type": "heatmap",
        "z": typed_array(counts, dtype),
        "zmin": 0,
        "zmax": top,
        "colorscale": SEQUENTIAL,
        "colorbar": colorbar(colorbar_title, presentation, x=0.62, len=0.9, dtick=1 if top <= 12 else None),
        "hovertemplate": "row %{y}, col %{x}<br>%{z}<extra></extra>",
    }
    if numbers:
        trace.update(texttemplate="%{z}", textfont={"size": numbers})
    inside = np.argwhere(~is_padding)
    (r0, c0), (r1, c1) = inside.min(axis=0), inside.max(axis=0)
    line = {"color": WINDOW_COLOR, "width": line_width(presentation), "dash": "dash"}
    layout = base_layout(presentation=presentation, height=480 if presentation else 420)
    layout.update(
        _matrix_axes(1, (0.0, 0.58), (0.0, 1.0)), annotations=[_title(title, (0.0, 0.58), 1.0, size, 24)]
    )
    layout.update(
        shapes=[block_rect((int(r0), int(r1)), (int(c0), int(c1)), "x", "y", line=line)], dragmode=False
    )
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


def check_figure(check: GradientCheck, labels: CheckLabels, *, presentation: bool = False) -> dict:
    """Each checked entry's relative error on a log scale, by array, with the 10⁻⁷ line.

    An error of exactly 0 is drawn at 10⁻¹⁷ (a log axis has no 0) and says so on hover.
    """
    position = {"W": 0, "b": 1, "X": 2}
    x = np.array([position[a] for a in check.arrays], dtype=float)
    # Spread each array's dots sideways in a fixed pattern (no randomness: the figure never changes).
    x += (np.arange(len(x)) * 0.618034 % 1.0 - 0.5) * 0.5
    y = np.maximum(check.errors, 1e-17)
    names = [f"{a}[{', '.join(map(str, i))}]" for a, i in zip(check.arrays, check.indices)]
    size = font_size(presentation)
    data = []
    for mask, name, color, symbol in (
        (~check.kinks, labels.smooth, BLUE, "circle"),
        (check.kinks, labels.kink, VERMILLION, "x"),
    ):
        if not mask.any():
            continue
        hover = [
            f"{n}<br>analytic {_num(a, 8)}<br>numeric {_num(v, 8)}<br>"
            + (labels.exact if e == 0 else f"error {e:.2e}")
            for n, a, v, e in zip(
                np.array(names)[mask], check.analytic[mask], check.numeric[mask], check.errors[mask]
            )
        ]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": x[mask].tolist(),
                "y": y[mask].tolist(),
                "name": name,
                "marker": {
                    "color": color,
                    "size": 11 if presentation else 8,
                    "symbol": symbol,
                    "opacity": 0.8,
                },
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
        },
        yaxis={
            "type": "log",
            "title": {"text": labels.y_title},
            "range": [-17.5, 0.5],
            "exponentformat": "power",
            "dtick": 2,
            "gridcolor": "#e5e5e5",
        },
        shapes=[line],
        annotations=[note],
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
    )
    layout["margin"] = {"l": 70, "r": 10, "t": 50, "b": 40}
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
        kernel: which kernel f to show (channels stacked).

    Returns:
        A figure spec; frames (at most MAX_DESCENT_FRAMES) move the marker on the curve and update the
        "now" grid.
    """
    f = kernel
    n_steps = len(descent.losses) - 1
    shown = np.unique(np.linspace(0, n_steps, min(MAX_DESCENT_FRAMES, n_steps + 1)).round().astype(int))
    grids = [
        stack_channels(descent.kernels[0, f]),
        stack_channels(descent.kernels[-1, f]),
        stack_channels(target[f]),
    ]
    limits = symmetric_limits(descent.kernels[:, f], target[f])
    x_curve, x_grids = (0.0, 0.42), _columns(3, 0.03, right=0.46)
    x_grids = [(0.54 + a, 0.54 + b) for a, b in x_grids]
    size = font_size(presentation)
    steps = np.arange(n_steps + 1)
    losses = np.maximum(descent.losses, 1e-300)
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": steps.tolist(),
            "y": losses.tolist(),
            "xaxis": "x",
            "yaxis": "y",
            "line": {"color": BLUE, "width": 3},
            "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
            "showlegend": False,
        },
        _marker(n_steps, losses[-1], presentation),
    ]
    numbers = _numbers(grids[0].shape[1], x_grids[0][1] - x_grids[0][0], presentation)
    for n, z in enumerate(grids, start=2):
        data.append(_heatmap(z, n, limits, numbers=max(numbers, 9), number_format=".2f", gaps=True))
    frames = [
        {
            "name": str(k),
            "data": [
                _marker(k, losses[k], presentation),
                {"type": "heatmap", "z": typed_array(stack_channels(descent.kernels[k, f]))},
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
            "type": "log",
            "title": {"text": labels.y_title},
            "exponentformat": "power",
            "gridcolor": "#e5e5e5",
        },
    }
    for n, domain in enumerate(x_grids, start=2):
        axes.update(_matrix_axes(n, domain, (0.1, 0.9), ticks=False))
    titles = [_title(labels.loss_title, x_curve, 1.0, size)]
    grid_titles = (labels.start_title, labels.now_title, labels.target_title)
    titles += [_title(text, d, 0.9, size) for text, d in zip(grid_titles, x_grids)]
    layout = base_layout(presentation=presentation, height=500 if presentation else 430)
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
