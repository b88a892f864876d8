"""The animated backward pass over a crop: each output cell sends δ(i, j) back into dW, db and dX.

One frame per traced step; a frame names the traces it updates (the dX crop, the three small grids and
the text) and moves the window and the current cell as layout shapes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.trace import BackwardStep, BackwardTrace
from viz import projector
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
from viz.numbers import figure_number, grid_texts
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
_PLOT_PX = 560  # plot height on a page (a projector's: viz.projector)
# On a projector the figure is one row (viz.projector): δ, the three small grids with the step's lines
# under them, and the running dX; the input crop is left out (the window is outlined on dX).
_PROJECTOR_ROW = ("delta", "dw_step", "dw_total", "dx_step", "dx")
FALLBACK_SIDE = 3  # the crop on a projector when dX cannot print its numbers at any crop
_PROJECTOR_MARGIN = {**projector.MARGIN, "t": projector.MARGIN["t"] + 28}  # titles of two lines


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


def projector_crop_side(
    kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int], largest: int = 8
) -> int:
    """The largest crop (output cells a side) whose δ and dX numbers a projector shows at 18 px.

    Planned with the widest numbers there can be ("−0.00": the projector's grids print at most three
    significant digits, `grid_scale(..., short=True)`), so that the crop does not change with the data.
    A window wider than dX can hold at 18 px gets FALLBACK_SIDE cells a side.
    """
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    texts = dict.fromkeys(_PROJECTOR_ROW, projector.WORST["signed"])

    def fitting(n: int, names: tuple[str, ...]) -> bool:
        crop = tuple((n - 1) * s + span for s, span in zip(stride, spans))
        return projector.fits(_projector_panels((n, n), crop, kernel, texts), 2, names)

    for n in range(largest, 1, -1):
        if fitting(n, ("delta", "dx")):
            return n
    # A window wider than dX's numbers allow (a large or dilated kernel): dX shows its colours; a crop
    # of a few cells keeps the steps few and δ's numbers large.
    return max([n for n in range(2, FALLBACK_SIDE + 1) if fitting(n, ("delta",))], default=1)


def _projector_panels(delta_shape, crop, grid_shape, texts: dict, titles=None) -> list[projector.Panel]:
    """The projector's row; the small grids get their numbers first, then δ, then dX."""
    Panel = projector.Panel
    panels = [
        Panel("delta", tuple(delta_shape), texts["delta"], "delta", ticks=True, priority=1),
        *(Panel(name, tuple(grid_shape), texts[name], "grid", above_text=True) for name in _GRIDS),
        Panel("dx", tuple(crop), texts["dx"], "dx", ticks=True, priority=2),
    ]
    return [p._replace(title=(titles or {}).get(p.name, "")) for p in panels]


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
    step = trace.steps[start]
    limits = _animation_limits(trace, dx_frames[:, channel])
    scales = {name: grid_scale(lim, short=presentation) for name, lim in limits.items()}
    if presentation:
        titles = _title_texts(labels, scales, presentation)
        plan = _projector_plan(trace, dx_frames[:, channel], scales, crop, titles)
    else:
        plan = _normal_plan(trace, crop)
    fonts = plan.fonts
    shade = _padding_shade(is_padding[rows, cols], origin, labels.padding_hover)
    bar = colorbar(labels.colorbar, presentation, x=plan.x["dx"][1] + 0.01, y=0.68, len=0.6)
    dx_scale = scales["dx"]
    image = _image_trace(trace.x_pad[:, rows, cols], 1, origin, numbers=fonts["input"])
    hidden = {"visible": False} if presentation else {}  # a projector's row has no input panel
    data = [
        {**image, **hidden},
        {**shade, "xaxis": "x", "yaxis": "y", **hidden},
        *_delta_traces(trace, labels, fonts["delta"], scales["delta"]),
        heatmap(
            dx_frames[start, channel] * dx_scale.factor,
            3,
            scaled(limits["dx"], dx_scale),
            numbers=fonts["dx"],
            number_format=dx_scale.number_format,
            origin=origin,
            bar=bar if plan.colorbar else None,
        ),
        {**shade, "xaxis": "x3", "yaxis": "y3"},
        *_grid_traces(step, limits, scales, fonts),
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
    layout = base_layout(presentation=presentation, height=plan.height)
    grid = side_by_side(trace.kernel).shape
    layout.update(_animation_axes(plan, crop, origin, (i1 - i0, j1 - j0), (i0, j0), grid, presentation))
    titles = _animation_titles(labels, scales, font_size(presentation), plan, presentation)
    layout.update(annotations=titles, dragmode=False)
    layout.update(shapes=_animation_shapes(step, trace, presentation), clickmode="event+select")
    layout["margin"] = plan.margin
    compact = presentation  # on a projector the buttons and the slider share one line
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation, compact)
    step_labels = [f"({s.i}, {s.j})" for s in trace.steps]
    layout["sliders"] = step_slider(names, step_labels, start, labels.step_prefix, presentation, compact)
    return {"data": data, "layout": layout, "frames": frames}


def _normal_plan(trace: BackwardTrace, crop: tuple[int, int]) -> projector.FigurePlan:
    """The page's layout: input, δ and dX on top; the three small grids and the step's lines below."""
    i0, i1, j0, j1 = trace.region
    x = {**_X, **_X_LOW}
    y = {**dict.fromkeys(_X, _Y_TOP), **dict.fromkeys(_X_LOW, _Y_LOW)}
    grid = side_by_side(trace.kernel).shape
    fonts = {
        "input": cell_numbers(cell_side_px(crop, _X["input"], _PLOT_PX, _Y_TOP), False, chars=4),
        "delta": cell_numbers(cell_side_px((i1 - i0, j1 - j0), _X["delta"], _PLOT_PX, _Y_TOP), False),
        "dx": cell_numbers(cell_side_px(crop, _X["dx"], _PLOT_PX, _Y_TOP), False),
        **dict.fromkeys(
            _GRIDS, cell_numbers(cell_side_px(grid, _X_LOW["dw_step"], _PLOT_PX, _Y_LOW), False, 5)
        ),
    }
    margin = {"l": 45, "r": 10, "t": 70, "b": 150}
    return projector.FigurePlan(x, y, fonts, _PLOT_PX + 210, margin, True)


def _projector_plan(
    trace: BackwardTrace,
    dx_frames: np.ndarray,
    scales: dict[str, GridScale],
    crop: tuple[int, int],
    titles: dict[str, str],
) -> projector.FigurePlan:
    """A projector's layout: one row (viz.projector), every number as large as its cells allow."""
    i0, i1, j0, j1 = trace.region
    steps = trace.steps
    values = {
        "delta": trace.delta[i0:i1, j0:j1],
        "dx": dx_frames,
        "dw_step": np.stack([s.dw_contribution for s in steps]),
        "dw_total": np.stack([s.dw_total for s in steps]),
        "dx_step": np.stack([s.dx_contribution for s in steps]),
    }
    texts = {
        name: grid_texts(a.astype(np.float32) * np.float32(scales[name].factor), scales[name].number_format)
        for name, a in values.items()
    }
    grid = side_by_side(trace.kernel).shape
    panels = _projector_panels((i1 - i0, j1 - j0), crop, grid, texts, titles)
    row = projector.row_layout(panels, text_lines=2)
    plan = projector.figure_plan(row, _PROJECTOR_MARGIN)
    # The input panel is not drawn: its axes get a sliver at the left edge, hidden.
    plan.x["input"], plan.y["input"], plan.fonts["input"] = (0.0, 0.001), (0.0, 0.001), 0
    return plan


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
    trace: BackwardTrace, labels: AnimationLabels, numbers: int, scale: GridScale
) -> list[dict]:
    """δ over the crop's output cells (all known before the pass starts), and click targets on them."""
    i0, i1, j0, j1 = trace.region
    delta = trace.delta[i0:i1, j0:j1]
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


def _grid_traces(step: BackwardStep, limits: dict, scales: dict[str, GridScale], fonts: dict) -> list[dict]:
    """The three small grids of the lower row."""
    grids = _grids_of(step, scales)
    hover = "%{z:.4g}<extra></extra>"
    return [
        heatmap(
            z,
            n,
            scaled(limits[name], scales[name]),
            numbers=fonts[name],
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
    # On a projector the lines hang from the top of the room under the small grids.
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [1.0 if presentation else 0.5],
        "xaxis": "x7",
        "yaxis": "y7",
        "text": [_text_lines(step, labels)],
        "textposition": "bottom right" if presentation else "middle right",
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
    shapes = [] if presentation else [_window(step, trace, "x", "y", width)]  # no input on a projector
    shapes.append(_window(step, trace, "x3", "y3", width))
    shapes.append(cell_rect(step.i, step.j, "x2", "y2", CELL_COLOR, width))
    return shapes


def _window(step: BackwardStep, trace: BackwardTrace, xref: str, yref: str, width: float) -> dict:
    if trace.geometry.dilation == (1, 1):
        rows, cols = (step.rows[0], step.rows[-1]), (step.cols[0], step.cols[-1])
        return block_rect(rows, cols, xref, yref, line={"color": WINDOW_COLOR, "width": width})
    return cells_path(step.rows, step.cols, xref, yref, WINDOW_COLOR, width)


def _animation_axes(
    plan: projector.FigurePlan,
    crop: tuple[int, int],
    origin: tuple[int, int],
    region: tuple[int, int],
    corner: tuple[int, int],
    grid,
    presentation: bool,
) -> dict:
    axes = {}
    axes.update(matrix_axes(1, plan.x["input"], plan.y["input"], crop, origin))
    axes.update(matrix_axes(2, plan.x["delta"], plan.y["delta"], region, corner))
    axes.update(matrix_axes(3, plan.x["dx"], plan.y["dx"], crop, origin))
    for n, name in ((4, "dw_step"), (5, "dw_total"), (6, "dx_step")):
        axes.update(matrix_axes(n, plan.x[name], plan.y[name], grid, ticks=False))
    axes.update(hidden_axes(7, plan.x["text"], plan.y["text"]))
    if presentation:  # a projector's row has no input panel
        axes["xaxis"]["visible"] = axes["yaxis"]["visible"] = False
        return projector.tick_axes(axes)
    return axes


def _title_texts(labels: AnimationLabels, scales: dict[str, GridScale], presentation: bool) -> dict[str, str]:
    """Each panel's title with its power of ten (on a projector a second line: narrow panels)."""
    texts = {
        "input": labels.input_title,
        "delta": labels.delta_title,
        "dx": labels.dx_title,
        "dw_step": labels.dw_step_title,
        "dw_total": labels.dw_total_title,
        "dx_step": labels.dx_step_title,
    }
    for name, text in texts.items():
        suffix = scales[name].suffix if name in scales else ""
        texts[name] = f"{text}<br>{suffix.strip()}" if presentation and suffix else text + suffix
    return texts


def _animation_titles(
    labels: AnimationLabels, scales: dict[str, GridScale], size: int, plan: projector.FigurePlan, presentation
) -> list[dict]:
    """Panel titles; on a projector every panel's top is the plot's."""
    texts = _title_texts(labels, scales, presentation)
    names = _PROJECTOR_ROW if presentation else ("input", "delta", "dx", *_GRIDS)
    titles = []
    for name in names:
        top = plan.y[name][1]
        title = panel_title(texts[name], plan.x[name], top, size + 1, 24 if top == 1.0 else 4)
        if presentation:  # a wide title over a narrow panel at the plot's edge: flush with the edge
            title["x"], title["xanchor"] = projector.title_place(plan.x[name], texts[name], size + 1)
        titles.append(title)
    return titles
