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
from viz import projector
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.numbers import figure_number, grid_texts
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
# The small grids, top to bottom (right to left in presentation mode), and how each prints its numbers.
_GRIDS = ("window", "kernel", "products")
_FORMATS = {"input": ".2f", "output": ".2f", "window": ".2f", "kernel": ".3~g", "products": ".2f"}
# On a projector a kernel's weights are as wide as the others' numbers at most ("−0.87", "0.5", "2").
_PROJECTOR_KERNEL = ".2~f"


# The largest animated figure we send (DESIGN.md: never over 3 MB), with room for the static part.
FRAMES_BUDGET_BYTES = 2_400_000


def max_animation_steps(channels: int, kernel: tuple[int, int], dilated: bool, limit: int = 400) -> int:
    """How many frames fit the size budget: each frame carries two C×KH×KW float32 grids and the shapes."""
    taps = kernel[0] * kernel[1]
    grids = 2 * channels * taps * 4 * 4 / 3  # base64 of float32
    window = taps * 28 if dilated else 160  # one path segment per tap, or one rectangle
    per_frame = grids + window + 900  # text, covers, cell highlight, frame keys
    return int(max(16, min(limit, FRAMES_BUDGET_BYTES // per_frame)))


def projector_crop_side(
    kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int], largest: int = 8
) -> int:
    """The largest crop (output cells a side) whose input and output numbers a projector shows at 18 px.

    Planned with the widest numbers there can be ("0.00" in the input, "−0.00" in the output and the small
    grids) and four lines of arithmetic, so that the crop does not change with the image. A kernel too
    large for the input's numbers at any crop gets the largest crop whose output numbers fit.
    """
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    texts = {"input": projector.WORST["image"], "output": projector.WORST["signed"]}
    texts |= {name: projector.WORST["signed"] for name in _GRIDS}

    def panels(n: int) -> list[projector.Panel]:
        crop = tuple((n - 1) * s + span for s, span in zip(stride, spans))
        return _projector_panels((1, *crop), (n, n), kernel, texts)

    for names in (("input", "output"), ("output",)):
        fitting = [n for n in range(2, largest + 1) if projector.fits(panels(n), 4, names)]
        if fitting:
            return max(fitting)
    return 1


def _projector_panels(crop_shape, out_shape, grid_shape, texts: dict, titles=None) -> list[projector.Panel]:
    """The figure's panels in one row; the small grids get their numbers first, then the output."""
    Panel = projector.Panel
    panels = [
        Panel("input", tuple(crop_shape[1:]), texts["input"], "input", ticks=True, priority=2),
        Panel("output", tuple(out_shape), texts["output"], "output", ticks=True, priority=1),
        *(Panel(name, tuple(grid_shape), texts[name], "grid", above_text=True) for name in _GRIDS),
    ]
    return [p._replace(title=(titles or {}).get(p.name, "")) for p in panels]


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
    crop = trace.x_pad[:, rows, cols]
    plan = _projector_plan(trace, crop, labels) if presentation else _normal_plan(trace, crop)
    fonts = plan.fonts
    data = [
        *_input_traces(trace, rows, cols, labels, fonts["input"]),
        *_output_traces(trace, labels, limits or symmetric_limits(trace.a), presentation, plan),
        _window_trace(step, fonts["window"]),
        _grid_trace(
            stack_channels(trace.kernel),
            symmetric_limits(trace.kernel),
            DIVERGING,
            fonts["kernel"],
            "x4",
            "y4",
            _PROJECTOR_KERNEL if presentation else _FORMATS["kernel"],
        ),
        _grid_trace(
            stack_channels(step.products),
            _products_limits(trace),
            DIVERGING,
            fonts["products"],
            "x5",
            "y5",
            _FORMATS["products"],
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
    layout = base_layout(presentation=presentation, height=plan.height)
    layout.update(_axes(plan, presentation), annotations=_titles(labels, size, plan))
    layout.update(shapes=_shapes(step, trace, presentation), margin=plan.margin)
    compact = presentation  # on a projector the buttons and the slider share one line
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation, compact)
    step_labels = [f"({s.i}, {s.j})" for s in trace.steps]
    layout["sliders"] = step_slider(names, step_labels, start, labels.step_prefix, presentation, compact)
    return {"data": data, "layout": layout, "frames": frames}


def _normal_plan(trace: ForwardTrace, crop: np.ndarray) -> projector.FigurePlan:
    """The page's layout: input and output side by side, the small grids stacked on the right."""
    i0, i1, j0, j1 = trace.region
    x = {"input": _X["input"], "output": _X["output"], "text": _X["right"]}
    y = {"input": (0.0, 1.0), "output": (0.0, 1.0), "text": _Y_RIGHT["text"]}
    fonts = {
        "input": cell_font(max(crop.shape[1:]), False) if crop.shape[0] == 1 else 0,
        "output": cell_font(max(i1 - i0, j1 - j0), False, panel_px=INPUT_PANEL_PX * 0.66),
    }
    for grid in _GRIDS:
        x[grid], y[grid], fonts[grid] = _X["right"], _Y_RIGHT[grid], font_size(False)
    return projector.FigurePlan(x, y, fonts, 660, {"l": 45, "r": 10, "t": 70, "b": 150}, True)


def _projector_plan(trace: ForwardTrace, crop: np.ndarray, labels: ForwardLabels) -> projector.FigurePlan:
    """Presentation mode: every panel in one row, sized for a projector's first screen (viz.projector)."""
    titles = dict(zip(("input", "output", *_GRIDS), _title_texts(labels)))
    grid = stack_channels(trace.kernel).shape
    panels = _projector_panels(crop.shape, trace.a.shape, grid, _grid_texts(trace, crop), titles)
    return projector.figure_plan(projector.row_layout(panels, len(arithmetic_lines(trace.steps[0], labels))))


def _grid_texts(trace: ForwardTrace, crop: np.ndarray) -> dict[str, list[str]]:
    """Every number each grid prints over the whole animation, as Plotly writes it."""
    products = np.stack([s.products for s in trace.steps])
    return {
        "input": grid_texts(crop, _FORMATS["input"]) if crop.shape[0] == 1 else [],
        "output": grid_texts(trace.a, _FORMATS["output"]),
        "window": grid_texts(crop, _FORMATS["window"]),  # every window lies inside the crop
        "kernel": grid_texts(trace.kernel, _PROJECTOR_KERNEL),
        "products": grid_texts(products, _FORMATS["products"]),
    }


def _input_traces(
    trace: ForwardTrace, rows: slice, cols: slice, labels: ForwardLabels, text_size: int
) -> list:
    """The padded input crop (gray with numbers, or colour for RGB) and the shading of padding cells."""
    crop = trace.x_pad[:, rows, cols]
    y, x = list(range(rows.start, rows.stop)), list(range(cols.start, cols.stop))
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
            image.update(texttemplate=f"%{{z:{_FORMATS['input']}}}", textfont={"size": text_size})
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
    trace: ForwardTrace,
    labels: ForwardLabels,
    limits: tuple[float, float],
    presentation,
    plan: projector.FigurePlan,
) -> list:
    """The output crop (revealed by covers in the frames) and invisible click targets on its cells."""
    i0, i1, j0, j1 = trace.region
    y, x = list(range(i0, i1)), list(range(j0, j1))
    zmin, zmax = limits
    text_size = plan.fonts["output"]
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
        "showscale": plan.colorbar,  # on a projector the numbers in the cells say it
    }
    if plan.colorbar:
        output["colorbar"] = colorbar(
            labels.output_colorbar, presentation, x=plan.x["output"][1] + 0.01, len=0.9
        )
    if text_size:
        output.update(texttemplate=f"%{{z:{_FORMATS['output']}}}", textfont={"size": text_size})
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
    return _grid_trace(stack_channels(step.window), (0.0, 1.0), GRAYS, size, "x3", "y3", _FORMATS["window"])


def _grid_trace(z, limits, colorscale, size, xaxis, yaxis, number_format) -> dict:
    """A small numbers grid (window, kernel or products); `size` 0 prints no numbers (hover has them)."""
    trace = {
        "type": "heatmap",
        "z": typed_array(z),
        "zmin": limits[0],
        "zmax": limits[1],
        "colorscale": colorscale,
        "showscale": False,
        "hovertemplate": "%{z:.4g}<extra></extra>",
        "xaxis": xaxis,
        "yaxis": yaxis,
        "xgap": 1,
        "ygap": 1,
    }
    if size:
        trace.update(texttemplate=f"%{{z:{number_format}}}", textfont={"size": size})
    return trace


def _products_limits(trace: ForwardTrace) -> tuple[float, float]:
    # One colour range for every step (the largest product anywhere), so colours compare across frames.
    return symmetric_limits(*(s.products for s in trace.steps))


def _text_trace(step: ForwardStep, labels: ForwardLabels, presentation) -> dict:
    # On a projector the lines hang from the top of the room under the small grids.
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [1.0 if presentation else 0.5],
        "xaxis": "x6",
        "yaxis": "y6",
        "text": ["<br>".join(arithmetic_lines(step, labels))],
        "textposition": "bottom right" if presentation else "middle right",
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


def _axes(plan: projector.FigurePlan, presentation: bool) -> dict:
    """Axis dicts: matrix orientation (row 0 on top), square cells; small grids and the text have no ticks."""
    names = ("input", "output", *_GRIDS)
    axes = {}
    for n, name in enumerate(names, start=1):
        suffix = "" if n == 1 else str(n)
        ticks = n <= 2
        axes[f"xaxis{suffix}"] = {
            "domain": list(plan.x[name]),
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
            "domain": list(plan.y[name]),
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
    axes["xaxis6"] = {"domain": list(plan.x["text"]), "anchor": "y6", **hidden}
    axes["yaxis6"] = {"domain": list(plan.y["text"]), "anchor": "x6", **hidden}
    return projector.tick_axes(axes) if presentation else axes


def _titles(labels: ForwardLabels, size: int, plan: projector.FigurePlan) -> list[dict]:
    """Panel titles as paper-positioned annotations above each panel."""
    places = list(zip(_title_texts(labels), ("input", "output", *_GRIDS)))
    return [
        {
            "text": f"<b>{text}</b>",
            "x": x,
            "y": plan.y[name][1],
            "xref": "paper",
            "yref": "paper",
            "xanchor": anchor,
            "yanchor": "bottom",
            "yshift": projector.TITLE_SHIFT if plan.y[name][1] == 1.0 else 2,
            "showarrow": False,
            "font": {"size": size + 1},
        }
        for text, name in places
        for x, anchor in [_title_place(plan, name, text, size + 1)]
    ]


def _title_texts(labels: ForwardLabels) -> tuple[str, ...]:
    """The panels' titles: input, output, window, kernel, products."""
    return (
        labels.input_title,
        labels.output_title,
        labels.window_title,
        labels.kernel_title,
        labels.products_title,
    )


def _title_place(plan: projector.FigurePlan, name: str, text: str, size: int) -> tuple[float, str]:
    if plan.colorbar:  # the page's figure: titles centred over their panels
        return (plan.x[name][0] + plan.x[name][1]) / 2, "center"
    return projector.title_place(plan.x[name], text, size)


def cell_font(n_cells: int, presentation: bool, panel_px: float = INPUT_PANEL_PX) -> int:
    """Font size for numbers printed in cells; 0 when cells are too small to hold a readable number."""
    cell_px = panel_px / max(1, n_cells)
    size = int(cell_px * 0.32 * (1.2 if presentation else 1.0))
    return 0 if size < 8 else min(size, 22)
