"""The animated backward pass over a crop: each output cell sends δ(i, j) back into dW, db and dX.

One frame per traced step; a frame names the traces it updates (the dX crop, the three small grids and
the text) and moves the window and the current cell as layout shapes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.trace import BackwardStep, BackwardTrace
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.backward.common import (
    GridScale,
    axis_suffix,
    cell_numbers,
    cell_side_px,
    click_targets,
    grid_scale,
    heatmap,
    hidden_axes,
    matrix_axes,
    panel_title,
    scaled,
    side_by_side,
)
from viz.forward import FRAMES_BUDGET_BYTES
from viz.numbers import figure_number
from viz.theme import (
    CELL_COLOR,
    GRAYS,
    PADDING_COLOR,
    WINDOW_COLOR,
    base_layout,
    colorbar,
    font_size,
    line_width,
    symmetric_limits,
)

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
            (engine.trace.running_dx_pad).
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
    numbers = cell_numbers(cell_side_px(crop, _X["input"], plot_h, _Y_TOP), presentation, chars=4)
    shade = _padding_shade(is_padding[rows, cols], origin, labels.padding_hover)
    bar = colorbar(labels.colorbar, presentation, x=_X["dx"][1] + 0.01, y=0.68, len=0.6)
    dx_scale = scales["dx"]
    data = [
        _image_trace(trace.x_pad[:, rows, cols], 1, origin, numbers=numbers),
        {**shade, "xaxis": "x", "yaxis": "y"},
        *_delta_traces(trace, labels, plot_h, scales["delta"], presentation),
        heatmap(
            dx_frames[start, channel] * dx_scale.factor,
            3,
            scaled(limits["dx"], dx_scale),
            numbers=cell_numbers(cell_side_px(crop, _X["dx"], plot_h, _Y_TOP), presentation),
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


def _image_trace(image: np.ndarray, n: int, origin: tuple[int, int] = (0, 0), numbers: int = 0) -> dict:
    """An input crop (C, h, w) in [0, 1]: gray heatmap with numbers for one channel, RGB image for three."""
    s = axis_suffix(n)
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
    return heatmap(image[0], n, (0.0, 1.0), colorscale=GRAYS, numbers=numbers, origin=origin, hover=hover)


def _delta_traces(
    trace: BackwardTrace, labels: AnimationLabels, plot_h: int, scale: GridScale, presentation: bool
) -> list[dict]:
    """δ over the crop's output cells (all known before the pass starts), and click targets on them."""
    i0, i1, j0, j1 = trace.region
    delta = trace.delta[i0:i1, j0:j1]
    numbers = cell_numbers(cell_side_px(delta.shape, _X["delta"], plot_h, _Y_TOP), presentation)
    limits = scaled(symmetric_limits(delta), scale)
    delta_map = heatmap(
        delta * scale.factor, 2, limits, numbers=numbers, number_format=scale.number_format, origin=(i0, j0)
    )
    return [delta_map, click_targets(delta.shape, 2, labels.click_hint, origin=(i0, j0))]


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
    numbers = cell_numbers(cell_side_px(grids[0].shape, _X_LOW["dw_step"], plot_h, _Y_LOW), presentation, 5)
    hover = "%{z:.4g}<extra></extra>"
    return [
        heatmap(
            z,
            n,
            scaled(limits[name], scales[name]),
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
    axes.update(matrix_axes(1, _X["input"], _Y_TOP, crop, origin))
    axes.update(matrix_axes(2, _X["delta"], _Y_TOP, region, corner))
    axes.update(matrix_axes(3, _X["dx"], _Y_TOP, crop, origin))
    for n, name in ((4, "dw_step"), (5, "dw_total"), (6, "dx_step")):
        axes.update(matrix_axes(n, _X_LOW[name], _Y_LOW, grid, ticks=False))
    axes.update(hidden_axes(7, _X_LOW["text"], _Y_LOW))
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
    return [panel_title(text, x, 1.0, size + 1, 24) for text, x in top] + [
        panel_title(text, x, _Y_LOW[1], size + 1, 4) for text, x in low
    ]
