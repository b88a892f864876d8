"""The forward-pass animation: the window slides over the padded input, the output fills in.

One figure, five panels: the padded input (crop) with the window, the output map (crop) filling in, and
on the right the window's numbers, the kernel and their products, with the sum + bias = output lines.
Only what changes travels in the frames: the window and products grids (float32), the arithmetic text
and the highlight shapes; the images are sent once.

The figure is written as a plain Plotly spec (dicts), not with graph objects: Plotly validates every
property of every frame and slider step, which took about 1 s for 100 frames; the spec takes a few ms.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.trace import ForwardStep, ForwardTrace
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.numbers import figure_number
from viz.theme import (
    CELL_COLOR,
    DIVERGING,
    GRAYS,
    PADDING_COLOR,
    WINDOW_COLOR,
    base_layout,
    colorbar,
    font_size,
    line_width,
    symmetric_limits,
)

# Trace order in the figure: frames name WINDOW, PRODUCTS and TEXT.
INPUT, PADDING, OUTPUT, CLICK, WINDOW, KERNEL, PRODUCTS, TEXT = range(8)
# Panel domains (paper coordinates): x ranges of the three columns, y ranges of the right-hand stack.
_X = {"input": (0.0, 0.39), "output": (0.43, 0.69), "right": (0.78, 1.0)}
_Y_RIGHT = {"window": (0.74, 0.97), "kernel": (0.45, 0.68), "products": (0.16, 0.39), "text": (0.0, 0.12)}
# Pixels the input panel gets on a wide screen, used to size the numbers printed in its cells.
INPUT_PANEL_PX = 420


# The largest animated figure we send (DESIGN.md: never over 3 MB), with room for the static part.
FRAMES_BUDGET_BYTES = 2_400_000


def max_animation_steps(channels: int, kernel: tuple[int, int], dilated: bool, limit: int = 400) -> int:
    """How many frames fit the size budget: each frame carries two C×KH×KW float32 grids and the shapes."""
    taps = kernel[0] * kernel[1]
    grids = 2 * channels * taps * 4 * 4 / 3  # base64 of float32
    window = taps * 28 if dilated else 160  # one path segment per tap, or one rectangle
    per_frame = grids + window + 900  # text, covers, cell highlight, frame keys
    return int(max(16, min(limit, FRAMES_BUDGET_BYTES // per_frame)))


class ForwardLabels(NamedTuple):
    """Every word the figure shows, translated by the page."""

    input_title: str
    output_title: str
    window_title: str
    kernel_title: str
    products_title: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str
    sum_line: str  # "Σ window ⊙ kernel = {total}"
    bias_line: str  # "+ bias {bias} → z = {z}"
    activation_line: str  # "ReLU(z) = {a}"; empty for no activation
    channel_names: tuple[str, ...]  # ("R", "G", "B") or ("",)
    output_colorbar: str
    padding_hover: str


def stack_channels(a: np.ndarray) -> np.ndarray:
    """(C, KH, KW) → (C·KH + C − 1, KW): channels one above the other, a blank (NaN) row between."""
    C, KH, KW = a.shape
    out = np.full((C * KH + C - 1, KW), np.nan, dtype=np.float32)
    for c in range(C):
        out[c * (KH + 1) : c * (KH + 1) + KH] = a[c]
    return out


def input_crop(trace: ForwardTrace) -> tuple[slice, slice]:
    """Rows and columns of the padded input that the traced windows touch."""
    top = min(s.rows[0] for s in trace.steps)
    bottom = max(s.rows[-1] for s in trace.steps)
    left = min(s.cols[0] for s in trace.steps)
    right = max(s.cols[-1] for s in trace.steps)
    return slice(top, bottom + 1), slice(left, right + 1)


def arithmetic_lines(step: ForwardStep, labels: ForwardLabels) -> list[str]:
    """The sum + bias = output lines of one step, numbers formatted for reading aloud."""
    lines = []
    if len(step.channel_sums) > 1:
        parts = [f"{name} {figure_number(v)}" for name, v in zip(labels.channel_names, step.channel_sums)]
        lines.append(" + ".join(parts))
    lines.append(labels.sum_line.format(total=figure_number(step.total)))
    lines.append(labels.bias_line.format(bias=figure_number(step.bias), z=figure_number(step.z)))
    if labels.activation_line:
        lines.append(labels.activation_line.format(a=figure_number(step.a)))
    return lines


def forward_animation(
    trace: ForwardTrace,
    labels: ForwardLabels,
    *,
    start: int = 0,
    limits: tuple[float, float] | None = None,
    presentation: bool = False,
) -> dict:
    """Build the animated forward pass of a trace as a Plotly figure spec.

    Args:
        trace: from `engine.trace.forward_trace` (one image, one kernel, a region of outputs).
        labels: the figure's words.
        start: the step shown first (and where Play starts).
        limits: colour range of the output; by default ±max over the crop. Pass the whole map's range so
            the crop's colours match the full-resolution map.
        presentation: larger type and thicker lines.

    Returns:
        A JSON-ready figure dict with one frame per step of the trace.
    """
    rows, cols = input_crop(trace)
    step = trace.steps[start]
    size = font_size(presentation)
    data = [
        *_input_traces(trace, rows, cols, labels, presentation),
        *_output_traces(trace, labels, limits or symmetric_limits(trace.a), presentation),
        _window_trace(step, size),
        _grid_trace(
            stack_channels(trace.kernel), symmetric_limits(trace.kernel), DIVERGING, size, "x4", "y4", ".3~g"
        ),
        _grid_trace(
            stack_channels(step.products), _products_limits(trace), DIVERGING, size, "x5", "y5", ".2f"
        ),
        _text_trace(step, labels, presentation),
    ]
    names = [str(s.step) for s in trace.steps]
    frames = [
        {
            "name": name,
            "data": _frame_data(s, labels),
            "traces": [WINDOW, PRODUCTS, TEXT],
            "layout": {"shapes": _shapes(s, trace, presentation)},
        }
        for name, s in zip(names, trace.steps)
    ]
    layout = base_layout(presentation=presentation, height=780 if presentation else 660)
    layout.update(_axes(), annotations=_titles(labels, size), shapes=_shapes(step, trace, presentation))
    layout["margin"] = {"l": 45, "r": 10, "t": 70, "b": 150}
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation)
    step_labels = [f"({s.i}, {s.j})" for s in trace.steps]
    layout["sliders"] = step_slider(names, step_labels, start, labels.step_prefix, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _input_traces(trace: ForwardTrace, rows: slice, cols: slice, labels: ForwardLabels, presentation) -> list:
    """The padded input crop (gray with numbers, or colour for RGB) and the shading of padding cells."""
    crop = trace.x_pad[:, rows, cols]
    y, x = list(range(rows.start, rows.stop)), list(range(cols.start, cols.stop))
    text_size = cell_font(max(crop.shape[1:]), presentation)
    if crop.shape[0] == 1:
        image = {
            "type": "heatmap",
            "z": typed_array(crop[0]),
            "x": x,
            "y": y,
            "zmin": 0,
            "zmax": 1,
            "colorscale": GRAYS,
            "showscale": False,
            "xaxis": "x",
            "yaxis": "y",
            "hovertemplate": "row %{y}, col %{x}<br>%{z:.3f}<extra></extra>",
        }
        if text_size:
            image.update(texttemplate="%{z:.2f}", textfont={"size": text_size})
    else:
        rgb = np.clip(np.moveaxis(crop, 0, -1) * 255 + 0.5, 0, 255).astype(np.uint8)
        image = {
            "type": "image",
            "z": typed_array(rgb, "u1"),
            "x0": x[0],
            "y0": y[0],
            "dx": 1,
            "dy": 1,
            "xaxis": "x",
            "yaxis": "y",
            "hovertemplate": "row %{y}, col %{x}<br>RGB %{z}<extra></extra>",
        }
    padding = np.where(trace.is_padding[rows, cols], 1.0, np.nan)
    shade = {
        "type": "heatmap",
        "z": typed_array(padding),
        "x": x,
        "y": y,
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, PADDING_COLOR], [1, PADDING_COLOR]],
        "showscale": False,
        "xaxis": "x",
        "yaxis": "y",
        "hovertemplate": f"{labels.padding_hover}<extra></extra>",
    }
    return [image, shade]


def _output_traces(
    trace: ForwardTrace, labels: ForwardLabels, limits: tuple[float, float], presentation
) -> list:
    """The output crop (revealed by covers in the frames) and invisible click targets on its cells."""
    i0, i1, j0, j1 = trace.region
    y, x = list(range(i0, i1)), list(range(j0, j1))
    zmin, zmax = limits
    text_size = cell_font(max(i1 - i0, j1 - j0), presentation, panel_px=INPUT_PANEL_PX * 0.66)
    output = {
        "type": "heatmap",
        "z": typed_array(trace.a),
        "x": x,
        "y": y,
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": DIVERGING,
        "xaxis": "x2",
        "yaxis": "y2",
        "hoverinfo": "skip",
        "colorbar": colorbar(labels.output_colorbar, presentation, x=_X["output"][1] + 0.01, len=0.9),
    }
    if text_size:
        output.update(texttemplate="%{z:.2f}", textfont={"size": text_size})
    jj, ii = np.meshgrid(x, y)
    # Nearly invisible markers on every cell centre: a click on one selects it (see TESTING.md).
    click = {
        "type": "scatter",
        "mode": "markers",
        "x": jj.ravel().tolist(),
        "y": ii.ravel().tolist(),
        "customdata": typed_array(trace.a.ravel()),
        "marker": {"size": 16, "opacity": 0.01, "color": "black"},
        "hovertemplate": "(%{y}, %{x})<br>%{customdata:.4f}<extra></extra>",
        "showlegend": False,
        "xaxis": "x2",
        "yaxis": "y2",
    }
    return [output, click]


def _window_trace(step: ForwardStep, size: int) -> dict:
    return _grid_trace(stack_channels(step.window), (0.0, 1.0), GRAYS, size, "x3", "y3", ".2f")


def _grid_trace(z, limits, colorscale, size, xaxis, yaxis, number_format) -> dict:
    """A small numbers grid (window, kernel or products)."""
    return {
        "type": "heatmap",
        "z": typed_array(z),
        "zmin": limits[0],
        "zmax": limits[1],
        "colorscale": colorscale,
        "showscale": False,
        "texttemplate": f"%{{z:{number_format}}}",
        "textfont": {"size": size},
        "hovertemplate": "%{z:.4g}<extra></extra>",
        "xaxis": xaxis,
        "yaxis": yaxis,
        "xgap": 1,
        "ygap": 1,
    }


def _products_limits(trace: ForwardTrace) -> tuple[float, float]:
    # One colour range for every step (the largest product anywhere), so colours compare across frames.
    return symmetric_limits(*(s.products for s in trace.steps))


def _text_trace(step: ForwardStep, labels: ForwardLabels, presentation) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [0.5],
        "xaxis": "x6",
        "yaxis": "y6",
        "text": ["<br>".join(arithmetic_lines(step, labels))],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation) + 1},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _frame_data(step: ForwardStep, labels: ForwardLabels) -> list[dict]:
    """What one frame changes: the window and products grids and the arithmetic text, nothing else."""
    return [
        {"type": "heatmap", "z": typed_array(stack_channels(step.window))},
        {"type": "heatmap", "z": typed_array(stack_channels(step.products))},
        {"type": "scatter", "text": ["<br>".join(arithmetic_lines(step, labels))]},
    ]


def _shapes(step: ForwardStep, trace: ForwardTrace, presentation) -> list[dict]:
    """The window on the input, the current output cell, and covers over the outputs not computed yet."""
    width = line_width(presentation)
    shapes = [_window_shape(step, trace, width)]
    _, i1, j0, j1 = trace.region
    cover = {"fillcolor": "white", "line": {"width": 0}, "layer": "above"}
    if step.j + 1 < j1:
        shapes.append(block_rect((step.i, step.i), (step.j + 1, j1 - 1), "x2", "y2", **cover))
    if step.i + 1 < i1:
        shapes.append(block_rect((step.i + 1, i1 - 1), (j0, j1 - 1), "x2", "y2", **cover))
    shapes.append(cell_rect(step.i, step.j, "x2", "y2", CELL_COLOR, width))
    return shapes


def _window_shape(step: ForwardStep, trace: ForwardTrace, width: float) -> dict:
    dh, dw = trace.geometry.dilation
    if dh == 1 and dw == 1:
        rows, cols = (step.rows[0], step.rows[-1]), (step.cols[0], step.cols[-1])
        return block_rect(rows, cols, "x", "y", line={"color": WINDOW_COLOR, "width": width})
    # A dilated window: each tap its own cell, so the gaps between taps show.
    return cells_path(step.rows, step.cols, "x", "y", WINDOW_COLOR, width)


def _axes() -> dict:
    """Axis dicts: matrix orientation (row 0 on top), square cells; small grids and the text have no ticks."""
    domains = {
        1: (_X["input"], (0.0, 1.0)),
        2: (_X["output"], (0.0, 1.0)),
        3: (_X["right"], _Y_RIGHT["window"]),
        4: (_X["right"], _Y_RIGHT["kernel"]),
        5: (_X["right"], _Y_RIGHT["products"]),
    }
    axes = {}
    for n, (x_domain, y_domain) in domains.items():
        suffix = "" if n == 1 else str(n)
        ticks = n <= 2
        axes[f"xaxis{suffix}"] = {
            "domain": list(x_domain),
            "anchor": f"y{suffix}",
            "showgrid": False,
            "zeroline": False,
            "constrain": "domain",
            "showticklabels": ticks,
            "side": "top",
            "ticks": "",
            "nticks": 12,
        }
        axes[f"yaxis{suffix}"] = {
            "domain": list(y_domain),
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "scaleanchor": f"x{suffix}",
            "constrain": "domain",
            "showgrid": False,
            "zeroline": False,
            "showticklabels": ticks,
            "ticks": "",
            "nticks": 12,
        }
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    axes["xaxis6"] = {"domain": list(_X["right"]), "anchor": "y6", **hidden}
    axes["yaxis6"] = {"domain": list(_Y_RIGHT["text"]), "anchor": "x6", **hidden}
    return axes


def _titles(labels: ForwardLabels, size: int) -> list[dict]:
    """Panel titles as paper-positioned annotations above each panel."""
    places = [
        (labels.input_title, _X["input"], 1.0),
        (labels.output_title, _X["output"], 1.0),
        (labels.window_title, _X["right"], _Y_RIGHT["window"][1]),
        (labels.kernel_title, _X["right"], _Y_RIGHT["kernel"][1]),
        (labels.products_title, _X["right"], _Y_RIGHT["products"][1]),
    ]
    return [
        {
            "text": f"<b>{text}</b>",
            "x": (x[0] + x[1]) / 2,
            "y": y,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "center",
            "yanchor": "bottom",
            "yshift": 22 if y == 1.0 else 2,
            "showarrow": False,
            "font": {"size": size + 1},
        }
        for text, x, y in places
    ]


def cell_font(n_cells: int, presentation: bool, panel_px: float = INPUT_PANEL_PX) -> int:
    """Font size for numbers printed in cells; 0 when cells are too small to hold a readable number."""
    cell_px = panel_px / max(1, n_cells)
    size = int(cell_px * 0.32 * (1.2 if presentation else 1.0))
    return 0 if size < 8 else min(size, 22)
