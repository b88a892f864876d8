"""Pooling figures (FORMULAS.md §3): a window sliding over a small feature map, the gradient routed back.

Both figures draw their grids side by side in ONE pair of axes (one cell = one unit), so an arrow can go
from a window to the output cell it makes, or from an upstream gradient cell to the input cell it lands
on. Every number comes from a `PoolingRun` of `engine.pool_trace` (its windows, winners, ties and the
running ∂L/∂X); this module only draws it.

Forward: the padded input | the output map. Each frame moves the window (a layout shape), outlines the
winning cell (max pooling; cells that tie but lose dotted), points an arrow at the output cell and
fills it in.
Backward ("routing"): the upstream gradient δ | the accumulated ∂L/∂X. Each frame sends one
window's δ to its winner (max) or spreads δ / (KH·KW) over the window (average); ∂L/∂X after that step is
the engine's backward pass of δ restricted to the windows so far, so the last frame is the engine's dX.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from engine.geometry import Pair
from engine.pool_trace import PoolingRun, output_cells, ties, window_rows_cols
from viz.animation import block_rect, cell_rect, figure_spec, play_controls, step_slider, typed_array
from viz.pooling_tex import cell_number, forward_step_text, routing_step_text
from viz.theme import (
    BLACK,
    CELL_COLOR,
    DIVERGING,
    TEXT_DARK,
    WINDOW_COLOR,
    font_size,
    line_width,
    style_figure,
    symmetric_limits,
)

# Cells between two grids of one figure (room for row numbers and arrows).
GAP = 3
# Figure coordinate of the top edge: room for each grid's title and column numbers.
TOP = -2.4
# Width in pixels the grids are sized for (the page beside the sidebar, colour bar excluded): a laptop
# screen, and a bit more for the larger type of presentation mode (a 1600 to 1920 px wide projector).
FIGURE_PX = 1000
PRESENTATION_FIGURE_PX = 1100
# Above this many steps the slider's step labels would overlap: they are hidden (the current one shows).
MAX_TICK_LABELS = 24
# Cell numbers: two decimals at most, trailing zeros dropped (4, 2.5, 0.33).
CELL_FORMAT = "%{z:.2~f}"
PAD_FILL = "#e5e7eb"  # padding cells: light grey, visibly not part of the input
EMPTY_CELL = "#f1f3f6"  # output cells not computed yet
WINNER_COLOR = BLACK  # the cell that wins a max window (and receives its gradient)
# Trace indices the frames update.
FORWARD_OUTPUT = 3
ROUTING_DX = 2


class PoolingLabels(NamedTuple):
    """Every word the two figures show, translated by the page."""

    input_title: str
    output_title: str
    upstream_title: str
    dx_title: str
    value_colorbar: str
    gradient_colorbar: str
    step_prefix: str
    speeds: tuple[str, ...]
    pause: str
    padding_hover: str


# ---------------------------------------------------------------------------------------------------------
# Figure geometry: where each grid sits in the shared axes


class _Grid(NamedTuple):
    """A grid of the figure: figure column and row of its cell (0, 0), and its size."""

    x0: float
    y0: float
    rows: int
    cols: int

    def xy(self, r: float, c: float) -> tuple[float, float]:
        """Figure (x, y) of the grid's cell (r, c)."""
        return self.x0 + c, self.y0 + r

    def right_edge(self, r: float) -> tuple[float, float]:
        """Figure (x, y) just right of the grid, level with row r: where an arrow leaves the grid."""
        return self.x0 + self.cols - 0.4, self.y0 + r


def _sizes(run: PoolingRun) -> tuple[int, int, int, int]:
    """(H_pad, W_pad, H_out, W_out)."""
    (H, W), (ph, pw) = run.x.shape, run.padding
    return H + 2 * ph, W + 2 * pw, *run.y.shape


def _forward_grids(run: PoolingRun) -> tuple[_Grid, _Grid]:
    """The input (its cell (0, 0) sits after the padding) and the output, centred beside it."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    H_pad, W_pad, H_out, W_out = _sizes(run)
    return _Grid(pw, ph, H, W), _Grid(W_pad + GAP, (H_pad - H_out) // 2, H_out, W_out)


def _routing_grids(run: PoolingRun) -> tuple[_Grid, _Grid]:
    """The upstream gradient (centred) and ∂L/∂X beside it, with room for its padding."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    H_pad, _, H_out, W_out = _sizes(run)
    upstream = _Grid(0, (H_pad - H_out) // 2, H_out, W_out)
    return upstream, _Grid(W_out + GAP + pw, ph, H, W)


def _cell_px(n_cols: float, presentation: bool) -> float:
    """Pixels of one cell when the grids fill a page-wide figure, within limits that keep numbers readable."""
    width = PRESENTATION_FIGURE_PX if presentation else FIGURE_PX
    return float(np.clip(width / n_cols, 22, 90 if presentation else 72))


def _cell_font(cell_px: float, presentation: bool) -> int:
    """Size of the numbers in the cells: "−1.4" must fit in one cell."""
    return int(np.clip(cell_px * (0.46 if presentation else 0.42), 11, 30))


def _heatmap(values: np.ndarray, grid: _Grid, hover: str, **style) -> go.Heatmap:
    """A heatmap of `values` at `grid` (cells centred on integer figure coordinates), numbers printed."""
    return go.Heatmap(
        z=values,
        x=grid.x0 + np.arange(values.shape[1]),
        y=grid.y0 + np.arange(values.shape[0]),
        xgap=2,
        ygap=2,
        texttemplate=CELL_FORMAT,
        customdata=_index_text(values.shape),
        hovertemplate=f"{hover}(%{{customdata}})<br>%{{z:.4g}}<extra></extra>",
        **style,
    )


def _empty_cells(grid: _Grid) -> go.Heatmap:
    """Light grey cells under the output map: the cells not computed yet (blank in the map) show as empty."""
    return _flat_cells(np.zeros((grid.rows, grid.cols)), grid.x0, grid.y0, EMPTY_CELL, hoverinfo="skip")


def _padding_cells(run: PoolingRun, grid: _Grid, text: str, hover: str, font: int) -> go.Heatmap:
    """Grey padding cells around the grid (real cells left empty), each showing `text`."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    z = np.ones((H + 2 * ph, W + 2 * pw))
    z[ph : ph + H, pw : pw + W] = np.nan
    return _flat_cells(
        z,
        grid.x0 - pw,
        grid.y0 - ph,
        PAD_FILL,
        text=np.where(np.isnan(z), "", text),
        texttemplate="%{text}",
        textfont={"size": font, "color": "#6b7280"},
        hovertemplate=f"{hover}<extra></extra>",
    )


def _flat_cells(z: np.ndarray, x0: float, y0: float, color: str, **style) -> go.Heatmap:
    """Cells of one colour with their cell (0, 0) at figure (x0, y0); NaN cells are left out."""
    x, y = x0 + np.arange(z.shape[1]), y0 + np.arange(z.shape[0])
    fill = dict(zmin=0, zmax=1, colorscale=[[0, color], [1, color]], showscale=False)
    return go.Heatmap(z=z, x=x, y=y, xgap=2, ygap=2, **fill, **style)


def _labels_trace(grids: list[tuple[_Grid, str, Pair, bool]], font: int) -> go.Scatter:
    """Titles, column numbers (above) and row numbers of each grid, outside its padding (one trace).

    Args:
        grids: (grid, title, (ph, pw) padding drawn around it, row numbers on the right) for each grid.
            A grid that arrows point into gets its row numbers on the right, away from the arrow heads.
    """
    items: list[tuple[float, float, str, int]] = []  # (x, y, text, font size)
    small = max(9, font - 4)
    for grid, title, (ph, pw), right in grids:
        top = grid.y0 - ph
        row_x = grid.x0 + grid.cols - 1 + pw + 0.9 if right else grid.x0 - pw - 0.9
        items.append((grid.x0 + (grid.cols - 1) / 2, top - 1.75, f"<b>{title}</b>", font + 3))
        items += [(grid.x0 + c, top - 0.9, str(c), small) for c in range(grid.cols)]
        items += [(row_x, grid.y0 + r, str(r), small) for r in range(grid.rows)]
    xs, ys, texts, sizes = zip(*items)
    return go.Scatter(
        x=xs,
        y=ys,
        text=texts,
        mode="text",
        textfont={"size": list(sizes), "color": "#374151"},
        hoverinfo="skip",
        showlegend=False,
    )


def _styled(fig: go.Figure, run: PoolingRun, n_cols: float, presentation: bool) -> go.Figure:
    """Fixed axes (matrix orientation, square cells, pinned to the top), the theme, the height."""
    bottom = max(_sizes(run)[0], run.y.shape[0]) - 0.4
    fig.update_xaxes(range=[-1.6, n_cols + 0.8], visible=False, fixedrange=True, constrain="domain")
    fig.update_yaxes(
        range=[bottom, TOP],
        visible=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
        constraintoward="top",
    )
    height = (bottom - TOP) * _cell_px(n_cols + 2.5, presentation) + 75 + 160
    style_figure(fig, presentation=presentation, height=int(height))
    fig.update_layout(margin=dict(l=10, r=10, t=75, b=160), showlegend=False)
    return fig


def _animated(
    fig: go.Figure, run: PoolingRun, frames: list[dict], labels: PoolingLabels, presentation: bool
) -> dict:
    """The spec of a styled figure with its frames, the first frame's layout, Play/Pause and the slider.

    The frame-sized parts are added to the spec as plain dicts: Plotly would validate every step of the
    slider and every shape (a quarter of a second for a few hundred steps).
    """
    names = [frame["name"] for frame in frames]
    steps = [f"({i}, {j})" for i, j in output_cells(run)]
    sliders = step_slider(names, steps, 0, labels.step_prefix, presentation)
    if len(steps) > MAX_TICK_LABELS:
        # Hundreds of step labels would print over each other: the current one still shows above the slider.
        sliders[0]["font"]["color"] = "rgba(0, 0, 0, 0)"
        sliders[0]["currentvalue"]["font"]["color"] = TEXT_DARK
    spec = figure_spec(fig, frames)
    spec["layout"].update(
        frames[0]["layout"],
        sliders=sliders,
        updatemenus=play_controls(names, 0, labels.speeds, labels.pause, presentation),
    )
    return spec


def _colorbar(title: str, presentation: bool) -> dict:
    size = font_size(presentation)
    return dict(
        title=dict(text=title, side="right", font=dict(size=size)),
        tickfont=dict(size=size - 1),
        thickness=24 if presentation else 18,
        len=1.0,
        y=1.0,
        yanchor="top",
        x=1.0,
        xanchor="left",
    )


def _arrow(tail: tuple[float, float], head: tuple[float, float], color: str, width: float) -> dict:
    """An annotation arrow between two points of the data coordinates."""
    return dict(
        x=head[0],
        y=head[1],
        ax=tail[0],
        ay=tail[1],
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=2,
        arrowsize=1.1,
        arrowwidth=width,
        arrowcolor=color,
        text="",
    )


def _caption(text: str, presentation: bool) -> dict:
    """The step's arithmetic, written above the grids."""
    return dict(
        text=text,
        x=0.0,
        y=1.0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        yshift=12,
        showarrow=False,
        font=dict(size=font_size(presentation) + 7, color=TEXT_DARK),
    )


def _window_shapes(run: PoolingRun, grid: _Grid, i: int, j: int, width: float) -> list[dict]:
    """Window (i, j) on a grid of input cells, with its winner (solid) and the cells that tie (dotted)."""
    rows, cols = window_rows_cols(run, i, j)
    (x0, y0), (x1, y1) = grid.xy(rows[0], cols[0]), grid.xy(rows[-1], cols[-1])
    shapes = [block_rect((y0, y1), (x0, x1), "x", "y", line={"color": WINDOW_COLOR, "width": width})]
    if run.mode == "max":
        winner = int(run.winner_rows[i, j]), int(run.winner_cols[i, j])
        shapes.append(_cell_shape(grid, *winner, WINNER_COLOR, width))
        shapes += [_cell_shape(grid, r, c, WINNER_COLOR, width * 0.7, dash="dot") for r, c in ties(run, i, j)]
    return shapes


def _cell_shape(grid: _Grid, r: int, c: int, color: str, width: float, dash: str = "solid") -> dict:
    """An outline a little inside cell (r, c), so that it stays visible inside the window's outline."""
    x, y = grid.xy(r, c)
    shape = cell_rect(y, x, "x", "y", color, width)
    shape |= {"x0": x - 0.42, "x1": x + 0.42, "y0": y - 0.42, "y1": y + 0.42}
    shape["line"]["dash"] = dash
    return shape


def _same_shape_count(layouts: list[dict]) -> list[dict]:
    """Give every frame's layout the same number of shapes, padding with hidden ones.

    Plotly merges a frame's shapes into the figure's index by index: a frame with fewer shapes than the
    one before would leave the extra highlights of that earlier frame on the screen.
    """
    n = max(len(layout["shapes"]) for layout in layouts)
    hidden = {"type": "rect", "xref": "x", "yref": "y", "x0": 0, "x1": 0, "y0": 0, "y1": 0, "visible": False}
    for layout in layouts:
        layout["shapes"] = [shape | {"visible": True} for shape in layout["shapes"]]
        layout["shapes"] += [hidden] * (n - len(layout["shapes"]))
    return layouts


def _frames(layouts: list[dict], maps: list[np.ndarray] | np.ndarray, trace: int) -> list[dict]:
    """One frame per step t: heatmap `trace` shows maps[t], the layout its shapes and annotations."""
    frames = []
    for t, (layout, z) in enumerate(zip(layouts, maps, strict=True)):
        data = [{"type": "heatmap", "z": typed_array(z)}]
        frames.append({"name": str(t), "data": data, "traces": [trace], "layout": layout})
    return frames


def _revealed(values: np.ndarray, t: int) -> np.ndarray:
    """The output with the cells after step t (row-major) blank (NaN): not computed yet."""
    shown = values.astype(np.float32).ravel().copy()
    shown[t + 1 :] = np.nan
    return shown.reshape(values.shape)


# ---------------------------------------------------------------------------------------------------------
# Forward


def forward_animation(run: PoolingRun, labels: PoolingLabels, *, presentation: bool = False) -> dict:
    """The window sliding over the padded input while the output map fills in, one frame per output cell.

    Args:
        run: from `run_pooling`.
        labels: the figure's words.
        presentation: larger type and lines.

    Returns:
        A JSON-ready figure spec (see `viz.animation.figure_spec`) with H_out·W_out frames; frame t sets
        trace FORWARD_OUTPUT to the output map with the cells after step t blank (NaN).
    """
    source, target = _forward_grids(run)
    n_cols = target.x0 + target.cols
    font = _cell_font(_cell_px(n_cols + 2.5, presentation), presentation)
    limits = symmetric_limits(run.x)
    signed = dict(zmin=limits[0], zmax=limits[1], colorscale=DIVERGING, textfont={"size": font})
    pad_text = "−∞" if run.mode == "max" else "0"
    titles = [(source, labels.input_title, run.padding, False), (target, labels.output_title, (0, 0), True)]
    fig = go.Figure(
        [
            _padding_cells(run, source, pad_text, labels.padding_hover, font),
            _heatmap(run.x, source, "X", colorbar=_colorbar(labels.value_colorbar, presentation), **signed),
            _empty_cells(target),
            _heatmap(_revealed(run.y, 0), target, "y", showscale=False, **signed),
            _labels_trace(titles, font),
        ]
    )
    layouts = _same_shape_count([_forward_layout(run, i, j, presentation) for i, j in output_cells(run)])
    frames = _frames(layouts, [_revealed(run.y, t) for t in range(len(layouts))], FORWARD_OUTPUT)
    return _animated(_styled(fig, run, n_cols, presentation), run, frames, labels, presentation)


def _forward_layout(run: PoolingRun, i: int, j: int, presentation: bool) -> dict:
    """Shapes and annotations of one forward step: window, winner, output cell, arrow, arithmetic."""
    source, target = _forward_grids(run)
    width = line_width(presentation)
    rows = window_rows_cols(run, i, j)[0]
    shapes = [*_window_shapes(run, source, i, j, width), _cell_shape(target, i, j, CELL_COLOR, width)]
    tail = source.right_edge((rows[0] + rows[-1]) / 2)
    arrow = _arrow(tail, target.xy(i, j - 0.5), WINDOW_COLOR, width)
    return {"shapes": shapes, "annotations": [arrow, _caption(forward_step_text(run, i, j), presentation)]}


# ---------------------------------------------------------------------------------------------------------
# Backward: routing


def routing_animation(run: PoolingRun, labels: PoolingLabels, *, presentation: bool = False) -> dict:
    """The upstream gradient routed back window by window, ∂L/∂X accumulating (one frame per output cell).

    Args:
        run: from `run_pooling`.
        labels: the figure's words.
        presentation: larger type and lines.

    Returns:
        A JSON-ready figure spec with H_out·W_out frames; frame t sets trace ROUTING_DX to
        `run.dx_steps[t]`, so the last frame shows the engine's ∂L/∂X.
    """
    upstream, target = _routing_grids(run)
    n_cols = target.x0 + target.cols + run.padding[1]
    font = _cell_font(_cell_px(n_cols + 2.5, presentation), presentation)
    limits = symmetric_limits(run.dy, run.dx)
    signed = dict(zmin=limits[0], zmax=limits[1], colorscale=DIVERGING, textfont={"size": font})
    dx = _heatmap(run.dx_steps[0], target, "∂L/∂X", showscale=False, **signed)
    # The hover also gives the input value: why a cell won (the forward figure shows the whole input).
    dx.update(
        text=np.vectorize(cell_number)(run.x),
        hovertemplate="∂L/∂X(%{customdata})<br>%{z:.4g}<br>X = %{text}<extra></extra>",
    )
    fig = go.Figure(
        [
            _heatmap(
                run.dy, upstream, "δ", colorbar=_colorbar(labels.gradient_colorbar, presentation), **signed
            ),
            _padding_cells(run, target, "", labels.padding_hover, font),
            dx,
            _labels_trace(
                [
                    (upstream, labels.upstream_title, (0, 0), False),
                    (target, labels.dx_title, run.padding, True),
                ],
                font,
            ),
        ]
    )
    layouts = _same_shape_count([_routing_layout(run, i, j, presentation) for i, j in output_cells(run)])
    frames = _frames(layouts, run.dx_steps, ROUTING_DX)
    return _animated(_styled(fig, run, n_cols, presentation), run, frames, labels, presentation)


def _routing_layout(run: PoolingRun, i: int, j: int, presentation: bool) -> dict:
    """Shapes and annotations of one routing step: windows, winner, δ cell, the arrow, the arithmetic."""
    upstream, target = _routing_grids(run)
    width = line_width(presentation)
    shapes = [*_window_shapes(run, target, i, j, width), _cell_shape(upstream, i, j, CELL_COLOR, width)]
    if run.mode == "max":
        head = target.xy(int(run.winner_rows[i, j]), int(run.winner_cols[i, j]) - 0.5)
    else:
        rows, cols = window_rows_cols(run, i, j)
        head = target.xy((rows[0] + rows[-1]) / 2, cols[0] - 0.5)
    arrow = _arrow(upstream.right_edge(i), head, CELL_COLOR, width)
    return {"shapes": shapes, "annotations": [arrow, _caption(routing_step_text(run, i, j), presentation)]}


def _index_text(shape: tuple[int, int]) -> np.ndarray:
    """'r, c' for every cell: the hover label's index."""
    rows, cols = np.indices(shape)
    return np.char.add(np.char.add(rows.astype(str), ", "), cols.astype(str))
