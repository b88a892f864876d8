"""The static heatmaps of the backward pass: the chain ∂L/∂A ⊙ σ'(Z) = δ, dW and db, and dX at full size."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from viz.animation import block_rect, cell_rect
from viz.backward.common import (
    PLOT_PX,
    GridScale,
    axis_suffix,
    cell_numbers,
    cell_side_px,
    columns,
    fit_height,
    grid_scale,
    heatmap,
    map_traces,
    matrix_axes,
    panel_title,
    scaled,
)
from viz.feature_maps import picture_trace
from viz.numbers import figure_number
from viz.theme import CELL_COLOR, GREY, base_layout, colorbar, font_size, line_width, symmetric_limits


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
    domains = columns(slots or len(panels), 0.09, bar_room=0.035)
    shape = panels[0][1].shape
    plot_h = fit_height([shape], domains[0][1] - domains[0][0], 150, 460)
    size = font_size(presentation)
    data, axes, notes, shapes = [], {}, [], []
    width = line_width(presentation)
    numbers = cell_numbers(cell_side_px(shape, domains[0], plot_h), presentation)
    for n, ((title, z), domain) in enumerate(zip(panels, domains), start=1):
        limits = symmetric_limits(z)
        scale = grid_scale(limits) if numbers else GridScale(1.0, ".2f", "")
        bar = colorbar("", presentation, x=domain[1] + 0.004, len=0.9, thickness=10)
        data += map_traces(
            z * scale.factor,
            n,
            scaled(limits, scale),
            bar=bar,
            hint=click_hint,
            click=True,
            numbers=numbers,
            number_format=scale.number_format,
        )
        axes.update(matrix_axes(n, domain, (0.0, 1.0), z.shape))
        notes.append(panel_title(title + scale.suffix, domain, 1.0, size, shift=26))
        if constant_text and z.size > 1 and np.all(z == z.flat[0]):
            notes.append(
                _center_note(constant_text.format(value=figure_number(float(z.flat[0]))), n, z.shape, size)
            )
        if n > 1 and len(operators) >= n - 1:
            notes.append(_operator(operators[n - 2], domain[0] - 0.045, domain[0], size))
        if cell is not None:
            shapes.append(
                cell_rect(cell[0], cell[1], f"x{axis_suffix(n)}", f"y{axis_suffix(n)}", CELL_COLOR, width)
            )
    if region is not None:
        s = axis_suffix(len(panels))
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
    s = axis_suffix(n)
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
        axes.update(matrix_axes(n, domain, y, shape, ticks=False))
        data.append(
            heatmap(
                z * scale.factor,
                n,
                scaled(limits, scale),
                numbers=font,
                number_format=scale.number_format,
                gaps=shape != (1, 1),
            )
        )
        titles.append(panel_title(title + scale.suffix, domain, top, size))
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
    domains = columns(C + 1, 0.04, right=0.95)
    plot_h = fit_height([(H, W)], domains[0][1] - domains[0][0], 150, 480)
    size = font_size(presentation)
    limits = symmetric_limits(dx)
    numbers = cell_numbers(cell_side_px((H, W), domains[0], plot_h), presentation)
    data = [picture_trace(picture, "", hover=True)]
    axes = matrix_axes(1, domains[0], (0.0, 1.0), (H, W))
    for c in range(C):
        bar = colorbar(colorbar_title, presentation, x=domains[-1][1] + 0.01, len=0.9) if c == C - 1 else None
        data += map_traces(dx[c], c + 2, limits, bar=bar, numbers=numbers)
        axes.update(matrix_axes(c + 2, domains[c + 1], (0.0, 1.0), (H, W)))
    annotations = [panel_title(text, d, 1.0, size, shift=26) for text, d in zip(titles, domains)]
    layout = base_layout(presentation=presentation, height=plot_h + 80)
    layout.update(axes, annotations=annotations, dragmode=False)
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": data, "layout": layout}
