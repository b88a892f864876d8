"""dX two ways (scatter and gather) and how many windows read each input cell."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.gather import GatherView
from viz.animation import block_rect, typed_array
from viz.backward.common import (
    EXACT_CELLS,
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
from viz.theme import SEQUENTIAL, WINDOW_COLOR, base_layout, colorbar, font_size, line_width, symmetric_limits


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
        view: engine.gather.gather_dx for ONE kernel (F = 1).
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
    domains = columns(4, 0.045)
    width = domains[0][1] - domains[0][0]
    row_px = [fit_height([z.shape for z in row[:3]], width, 120, 300) for row in (top, bottom)]
    title_px = 120.0  # the bottom row's titles (up to three lines) and tick labels, below the top row
    plot_h = sum(row_px) + title_px
    rows_y = [(1.0 - row_px[0] / plot_h, 1.0), (0.0, row_px[1] / plot_h)]
    size = font_size(presentation)
    data, axes, annotations = [], {}, []
    for n, (z, lim) in enumerate(zip(top + bottom, limits), start=1):
        domain, y = domains[(n - 1) % 4], rows_y[(n - 1) // 4]
        small = n == 4  # the kernel: no ticks, numbers always
        axes.update(matrix_axes(n, domain, y, z.shape, ticks=not small))
        annotations.append(panel_title(titles[n - 1], domain, y[1], size - 1, shift=6 if small else 22))
        if z.size > EXACT_CELLS:
            data += map_traces(z, n, lim)
            continue
        numbers = cell_numbers(cell_side_px(z.shape, domain, plot_h, y), presentation)
        scale = grid_scale(lim) if numbers else GridScale(1.0, ".2f", "")
        data.append(
            heatmap(
                z * scale.factor,
                n,
                scaled(lim, scale),
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
    return [block_rect(rows, cols, f"x{axis_suffix(n)}", f"y{axis_suffix(n)}", line=line) for n in panels]


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
    layout.update(matrix_axes(1, (0.0, right), (0.0, 1.0), (rows, cols)))
    heading = {**panel_title(title, (0.0, right), 1.0, size, 24), "x": 0.0, "xanchor": "left"}
    layout.update(annotations=[heading], dragmode=False)
    layout["shapes"] = _input_outline(is_padding, line_width(presentation), (1,))
    layout["margin"] = {"l": 35, "r": 10, "t": 70, "b": 10}
    return {"data": [trace], "layout": layout}
