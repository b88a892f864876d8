"""Transposed-convolution figures: each input cell stamps its scaled kernel onto the output, stamps add up.

The animation has four panels in one row: the input X (the stamping cell outlined), the kernel W, the stamp
x(i, j)·W, and the canvas every stamp lands on, accumulating; its cells are numbered in output coordinates,
so the rows and columns the padding crops off are numbered below 0 and from H_out on, shaded, and the output
is outlined. One frame per input cell: it updates the stamp, the canvas and the arithmetic line (the traces
it names), and moves the outlines (layout shapes). In presentation mode the row is planned for a projector
by viz/projector.py: numbers of at least 18 px, or colours only.

Two static figures complete it: the same output as a plain convolution (the input with s − 1 zeros between
its cells, padded by d·(K − 1) − p, the kernel rotated by 180°, the result) and the number of stamps that
reach each output cell. Every number comes from `engine.transposed_trace.TransposedRun`; this module draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.transposed import stamp_slices
from engine.transposed_trace import TransposedRun, input_cells
from viz import projector
from viz.animation import block_rect, cell_rect, cells_path, play_controls, step_slider, typed_array
from viz.numbers import MIN_PROJECTED_PX, figure_number, fitting_font, grid_texts
from viz.theme import (
    BLACK,
    CELL_COLOR,
    DIVERGING,
    PADDING_COLOR,
    SEQUENTIAL,
    WINDOW_COLOR,
    base_layout,
    colorbar,
    font_size,
    line_width,
    symmetric_limits,
)

# Trace order of the animation: frames name STAMP, CANVAS and TEXT.
INPUT, KERNEL, STAMP, CANVAS, CROPPED, TEXT = range(6)
PANELS = ("input", "kernel", "stamp", "canvas")
# Numbers in the cells: at most two decimals, trailing zeros dropped (the page's values are integers).
NUMBER_FORMAT = ".2~f"
# The page's figure (not a projector's): the row's width in pixels it is planned for, and the cells' limits.
ROW_PX = 980
GAP_PX = 46
CELL_PX = (22.0, 56.0)
NORMAL_MARGIN = {"l": 40, "r": 10, "t": 64, "b": 150}
STATIC_MARGIN = {"l": 40, "r": 10, "t": 56, "b": 16}
TEXT_PX = 56  # the two lines of arithmetic under the small grids


class TransposedLabels(NamedTuple):
    """Every word the figures show, translated by the page."""

    input_title: str
    kernel_title: str
    stamp_title: str
    canvas_title: str
    padded_title: str
    rotated_title: str
    result_title: str
    counts_title: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str
    step_line: str  # "x({i}, {j}) = {x}: {x}·W added at"
    step_where: str  # "rows {r0}…{r1}, columns {c0}…{c1}" (the line below it)
    cropped_hover: str
    inserted_hover: str
    padding_hover: str
    value_colorbar: str
    count_colorbar: str


class RowPlan(NamedTuple):
    """Where the panels of a row go (paper domains), their numbers' size (px, 0: none) and the height."""

    x: dict[str, tuple[float, float]]
    y: dict[str, tuple[float, float]]
    fonts: dict[str, int]
    height: int
    margin: dict[str, int]
    colorbar: bool


def row_plan(
    shapes: dict[str, tuple[int, int]],
    texts: dict[str, list[str]],
    text_under: Sequence[str] = (),
    margin: dict[str, int] | None = None,
    presentation: bool = False,
) -> RowPlan:
    """The page's layout of a row of grids: one cell size for all, as large as the row's width allows.

    Args:
        shapes: panel name -> (rows, cols), left to right.
        texts: panel name -> the numbers it prints (to size them).
        text_under: panels a line of text is written under (its room is added below them).
        presentation: numbers of at least MIN_PROJECTED_PX, or none (colours only, the hover has them).
    """
    margin = margin or STATIC_MARGIN
    names = list(shapes)
    cols = sum(shape[1] for shape in shapes.values())
    cell = float(np.clip((ROW_PX - GAP_PX * (len(names) - 1)) / max(cols, 1), *CELL_PX))
    width = cols * cell + GAP_PX * (len(names) - 1)
    tall = max(
        shapes[name][0] * cell + (TEXT_PX if name in text_under else 0) for name in names
    )  # the plot is as tall as its tallest panel
    x, y, left = {}, {}, 0.0
    for name in names:
        rows, n_cols = shapes[name]
        x[name] = (left / width, (left + n_cols * cell) / width)
        y[name] = (1 - rows * cell / tall, 1.0)
        left += n_cols * cell + GAP_PX
    if text_under:
        x["text"] = (min(x[n][0] for n in text_under), max(x[n][1] for n in text_under))
        y["text"] = (0.0, max(0.01, min(y[n][0] for n in text_under) - 4 / tall))
    smallest, largest = (MIN_PROJECTED_PX, 24) if presentation else (10, 20)
    fonts = {name: fitting_font(texts.get(name, []), cell, largest, smallest) for name in names}
    return RowPlan(x, y, fonts, int(tall + margin["t"] + margin["b"]), margin, True)


# --- the animation ---------------------------------------------------------------------------------------


def stamp_animation(run: TransposedRun, labels: TransposedLabels, *, presentation: bool = False) -> dict:
    """Each input cell stamps x(i, j)·W onto the canvas, one frame per input cell (row-major).

    Args:
        run: from `engine.transposed_trace.run_transposed`.
        labels: the figure's words.
        presentation: the projector's layout (viz/projector.py): numbers ≥ 18 px or none, no colour bar.

    Returns:
        A JSON-ready figure spec with H·W frames; frame t sets trace CANVAS to `run.canvas_steps[t]`, so the
        last frame shows every stamp (the output is its outlined part).
    """
    stamps = run.x[..., None, None] * run.w  # (H, W, KH, KW): the stamp of every input cell
    texts = {
        "input": grid_texts(run.x, NUMBER_FORMAT),
        "kernel": grid_texts(run.w, NUMBER_FORMAT),
        "stamp": grid_texts(stamps, NUMBER_FORMAT),
        "canvas": grid_texts(run.canvas_steps, NUMBER_FORMAT),
    }
    shapes = {
        "input": run.x.shape,
        "kernel": run.w.shape,
        "stamp": run.w.shape,
        "canvas": run.geometry.canvas,
    }
    titles = dict(
        zip(PANELS, (labels.input_title, labels.kernel_title, labels.stamp_title, labels.canvas_title))
    )
    if presentation:
        plan = _projector_plan(shapes, texts, titles)
    else:
        plan = row_plan(shapes, texts, ("kernel", "stamp"), NORMAL_MARGIN)
    stamp_limits = symmetric_limits(stamps, run.w)
    canvas_limits = symmetric_limits(run.canvas_steps)
    first = input_cells(run.x.shape)[0]
    data = [
        _grid(run.x, 1, symmetric_limits(run.x), plan.fonts["input"], "X"),
        _grid(run.w, 2, stamp_limits, plan.fonts["kernel"], "W"),
        _grid(stamps[first], 3, stamp_limits, plan.fonts["stamp"], "x·W"),
        _canvas(run, 0, canvas_limits, plan, labels, presentation),
        _cropped_cells(run, labels.cropped_hover),
        _text(_step_line(run, *first, labels), presentation),
    ]
    names = [str(t) for t in range(len(run.canvas_steps))]
    frames = [
        {
            "name": name,
            "data": [
                {"type": "heatmap", "z": typed_array(stamps[i, j])},
                {"type": "heatmap", "z": typed_array(run.canvas_steps[t])},
                {"type": "scatter", "text": [_step_line(run, i, j, labels)]},
            ],
            "traces": [STAMP, CANVAS, TEXT],
            "layout": {"shapes": _shapes(run, i, j, presentation)},
        }
        for name, (t, (i, j)) in zip(names, enumerate(input_cells(run.x.shape)))
    ]
    size = font_size(presentation)
    layout = base_layout(presentation=presentation, height=plan.height)
    layout.update(
        _axes(run, plan, presentation), margin=plan.margin, shapes=_shapes(run, *first, presentation)
    )
    layout["annotations"] = _titles(titles, plan, size + 1)
    steps = [f"({i}, {j})" for i, j in input_cells(run.x.shape)]
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation, presentation)
    layout["sliders"] = step_slider(names, steps, 0, labels.step_prefix, presentation, presentation)
    return {"data": data, "layout": layout, "frames": frames}


def _projector_plan(shapes: dict, texts: dict, titles: dict) -> RowPlan:
    """Presentation mode: the row planned for a projector's first screen (viz.projector)."""
    Panel = projector.Panel
    panels = [
        Panel(
            "input", shapes["input"], texts["input"], "input", ticks=True, priority=2, title=titles["input"]
        ),
        Panel("kernel", shapes["kernel"], texts["kernel"], "grid", above_text=True, priority=1),
        Panel("stamp", shapes["stamp"], texts["stamp"], "grid", above_text=True, priority=1),
        Panel("canvas", shapes["canvas"], texts["canvas"], "canvas", ticks=True, title=titles["canvas"]),
    ]
    plan = projector.figure_plan(projector.row_layout(panels, text_lines=2))
    return RowPlan(plan.x, plan.y, plan.fonts, plan.height, plan.margin, False)


def _grid(z: np.ndarray, n: int, limits: tuple[float, float], font: int, name: str) -> dict:
    """A grid of numbers on axes n (no numbers when `font` is 0: the hover still has them)."""
    suffix = "" if n == 1 else str(n)
    trace = {
        "type": "heatmap",
        "z": typed_array(z),
        "zmin": limits[0],
        "zmax": limits[1],
        "colorscale": DIVERGING,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "xaxis": f"x{suffix}",
        "yaxis": f"y{suffix}",
        "hovertemplate": f"{name}(%{{y}}, %{{x}}) = %{{z:.4g}}<extra></extra>",
    }
    if font:
        trace.update(texttemplate=f"%{{z:{NUMBER_FORMAT}}}", textfont={"size": font})
    return trace


def _canvas_axis_values(run: TransposedRun) -> tuple[list[int], list[int]]:
    """The canvas's row and column numbers in output coordinates: the padding's are below 0 and past H_out."""
    (ph, pw), (Hc, Wc) = run.geometry.padding, run.geometry.canvas
    return list(range(-ph, Hc - ph)), list(range(-pw, Wc - pw))


def _canvas(run, t: int, limits, plan: RowPlan, labels: TransposedLabels, presentation: bool) -> dict:
    """The canvas after stamp t (the frames replace it), with the colour bar on the page."""
    rows, cols = _canvas_axis_values(run)
    trace = _grid(run.canvas_steps[t], 4, limits, plan.fonts["canvas"], "y")
    trace.update(x=cols, y=rows)
    if plan.colorbar:
        trace.update(
            showscale=True,
            colorbar=colorbar(labels.value_colorbar, presentation, x=plan.x["canvas"][1] + 0.01, len=0.9),
        )
    return trace


def _cropped_cells(run: TransposedRun, hover: str) -> dict:
    """A grey veil over the canvas where the padding crops it (the other cells are left out: NaN)."""
    rows, cols = _canvas_axis_values(run)
    H_out, W_out = run.geometry.out_size
    r, c = np.meshgrid(rows, cols, indexing="ij")
    cropped = (r < 0) | (r >= H_out) | (c < 0) | (c >= W_out)
    return {
        "type": "heatmap",
        "z": typed_array(np.where(cropped, 1.0, np.nan)),
        "x": cols,
        "y": rows,
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, PADDING_COLOR], [1, PADDING_COLOR]],
        "showscale": False,
        "xaxis": "x4",
        "yaxis": "y4",
        "hovertemplate": f"{hover}<extra></extra>",
    }


def _text(line: str, presentation: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "x": [0.0],
        "y": [1.0],
        "xaxis": "x5",
        "yaxis": "y5",
        "text": [line],
        "textposition": "bottom right",
        "textfont": {"size": font_size(presentation) + 1},
        "cliponaxis": False,  # a line longer than the small grids are wide is shown whole
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _step_line(run: TransposedRun, i: int, j: int, labels: TransposedLabels) -> str:
    """One stamp in two lines: the value that scales W, and where it lands (in output coordinates)."""
    rows, cols = stamp_slices(run.geometry, i, j)
    (ph, pw) = run.geometry.padding
    what = labels.step_line.format(i=i, j=j, x=figure_number(run.x[i, j]))
    where = labels.step_where.format(
        r0=rows.start - ph, r1=rows.stop - rows.step - ph, c0=cols.start - pw, c1=cols.stop - cols.step - pw
    )
    return f"{what}<br>{where}"


def _shapes(run: TransposedRun, i: int, j: int, presentation: bool) -> list[dict]:
    """The stamping input cell, its stamp on the canvas, and the outline of the output (every frame)."""
    width = line_width(presentation)
    rows, cols = stamp_slices(run.geometry, i, j)
    (ph, pw), (H_out, W_out) = run.geometry.padding, run.geometry.out_size
    rows = [r - ph for r in range(rows.start, rows.stop, rows.step)]
    cols = [c - pw for c in range(cols.start, cols.stop, cols.step)]
    if run.geometry.dilation == (1, 1):
        stamp = block_rect(
            (rows[0], rows[-1]), (cols[0], cols[-1]), "x4", "y4", line={"color": WINDOW_COLOR, "width": width}
        )
    else:  # a dilated stamp: each tap its own cell, so the gaps show
        stamp = cells_path(rows, cols, "x4", "y4", WINDOW_COLOR, width)
    output = block_rect(
        (0, H_out - 1),
        (0, W_out - 1),
        "x4",
        "y4",
        line={"color": BLACK, "width": width * 0.6, "dash": "dash"},
    )
    return [cell_rect(i, j, "x", "y", CELL_COLOR, width), stamp, output]


def _axes(run: TransposedRun, plan: RowPlan, presentation: bool) -> dict:
    """Axes of the four panels (matrix orientation, square cells) and the text's hidden axes."""
    axes = {}
    for n, name in enumerate(PANELS, start=1):
        axes.update(_panel_axes(n, plan.x[name], plan.y[name], name in ("input", "canvas")))
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    axes["xaxis5"] = {"domain": list(plan.x["text"]), "anchor": "y5", **hidden}
    axes["yaxis5"] = {"domain": list(plan.y["text"]), "anchor": "x5", **hidden}
    return projector.tick_axes(axes) if presentation else axes


def _panel_axes(n: int, x: tuple[float, float], y: tuple[float, float], ticks: bool) -> dict:
    suffix = "" if n == 1 else str(n)
    common = {
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "showticklabels": ticks,
        "ticks": "",
        "tickmode": "linear",  # rows and columns are whole numbers: no tick between two of them
        "dtick": 1,
    }
    return {
        f"xaxis{suffix}": {"domain": list(x), "anchor": f"y{suffix}", "side": "top", **common},
        f"yaxis{suffix}": {
            "domain": list(y),
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "scaleanchor": f"x{suffix}",
            **common,
        },
    }


def _titles(titles: dict[str, str], plan: RowPlan, size: int) -> list[dict]:
    """Each panel's title above it (centred; on a projector kept inside the plot's edges)."""
    annotations = []
    for name, text in titles.items():
        if plan.colorbar:
            x, anchor = (plan.x[name][0] + plan.x[name][1]) / 2, "center"
        else:
            x, anchor = projector.title_place(plan.x[name], text, size)
        annotations.append(
            {
                "text": f"<b>{text}</b>",
                "x": x,
                "y": plan.y[name][1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": anchor,
                "yanchor": "bottom",
                "yshift": projector.TITLE_SHIFT,
                "showarrow": False,
                "font": {"size": size},
            }
        )
    return annotations


# --- the same output as a plain convolution --------------------------------------------------------------


def zero_insert_figure(run: TransposedRun, labels: TransposedLabels, *, presentation: bool = False) -> dict:
    """The zero-inserted, padded input, the rotated kernel and their convolution: the same output.

    Cells of the padded input that hold no input value (inserted zeros, padding) are shaded; hover says which.

    Returns:
        A JSON-ready figure spec (static).
    """
    view = run.view
    padded, rotated, result = view.padded[0, 0], view.rotated[0, 0], view.y[0, 0]
    shapes = {"padded": padded.shape, "rotated": rotated.shape, "result": result.shape}
    texts = {
        "padded": grid_texts(padded, NUMBER_FORMAT),
        "rotated": grid_texts(rotated, NUMBER_FORMAT),
        "result": grid_texts(result, NUMBER_FORMAT),
    }
    plan = row_plan(shapes, texts, presentation=presentation)
    fonts = plan.fonts
    limits = symmetric_limits(padded)
    data = [
        _grid(padded, 1, limits, fonts["padded"], "P"),
        _not_input_cells(run, labels),
        _grid(rotated, 2, symmetric_limits(rotated), fonts["rotated"], "rot(W)"),
        _grid(result, 3, symmetric_limits(result), fonts["result"], "y"),
    ]
    data[2]["xaxis"], data[2]["yaxis"] = "x2", "y2"
    data[3]["xaxis"], data[3]["yaxis"] = "x3", "y3"
    titles = {"padded": labels.padded_title, "rotated": labels.rotated_title, "result": labels.result_title}
    layout = base_layout(presentation=presentation, height=plan.height)
    for n, name in enumerate(shapes, start=1):
        layout.update(_panel_axes(n, plan.x[name], plan.y[name], name != "rotated"))
    layout.update(margin=plan.margin, annotations=_titles(titles, plan, font_size(presentation) + 1))
    return {"data": data, "layout": layout}


def _not_input_cells(run: TransposedRun, labels: TransposedLabels) -> dict:
    """Shade over the padded input's cells that hold no input value: inserted zeros and padding."""
    view, (sh, sw) = run.view, run.geometry.stride
    (top, _), (left, _) = view.pads
    Hs, Ws = view.spread.shape[2:]
    Hp, Wp = view.padded.shape[2:]
    r, c = np.meshgrid(np.arange(Hp) - top, np.arange(Wp) - left, indexing="ij")  # cells of the spread input
    inside = (r >= 0) & (r < Hs) & (c >= 0) & (c < Ws)
    is_input = inside & (r % sh == 0) & (c % sw == 0)
    hover = np.where(inside, labels.inserted_hover, labels.padding_hover)
    return {
        "type": "heatmap",
        "z": typed_array(np.where(is_input, np.nan, 1.0)),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, PADDING_COLOR], [1, PADDING_COLOR]],
        "showscale": False,
        "text": hover.tolist(),
        "hovertemplate": "%{text}<extra></extra>",
        "xaxis": "x",
        "yaxis": "y",
    }


# --- how many stamps reach each output cell -----------------------------------------------------------------


def overlap_figure(run: TransposedRun, labels: TransposedLabels, *, presentation: bool = False) -> dict:
    """The number of stamps that reach each output cell, with the counts printed (a checkerboard when uneven).

    Returns:
        A JSON-ready figure spec (static).
    """
    counts = run.counts
    plan = row_plan(
        {"counts": counts.shape}, {"counts": grid_texts(counts, ".0f")}, presentation=presentation
    )
    font = plan.fonts["counts"]
    heatmap = {
        "type": "heatmap",
        "z": counts.tolist(),
        "zmin": 0,
        "zmax": max(1, int(counts.max())),
        "colorscale": SEQUENTIAL,
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": "(%{y}, %{x}): %{z}<extra></extra>",
    }
    if font:
        heatmap.update(texttemplate="%{z}", textfont={"size": font})
    # Half the row at most: a small map stays small, its colour bar beside it.
    width = min(0.5, plan.x["counts"][1])
    heatmap["colorbar"] = colorbar(labels.count_colorbar, presentation, len=0.9, x=width + 0.02, dtick=1)
    layout = base_layout(presentation=presentation, height=plan.height)
    layout.update(_panel_axes(1, (0.0, width), plan.y["counts"], True), margin=plan.margin)
    layout["annotations"] = _titles(
        {"counts": labels.counts_title}, plan._replace(x={"counts": (0, width)}), 17
    )
    return {"data": [heatmap], "layout": layout}
