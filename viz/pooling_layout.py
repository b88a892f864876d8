"""What the two pooling animations (viz/pooling.py) share: a grid's cells, numbers and labels, the window and
cell outlines, the arrow, the step's caption, the colour bar, and the figure's axes and height.

Both figures draw their grids side by side in ONE pair of axes, one cell = one unit: cell (r, c) of a
grid is centred on figure (x0 + c, y0 + r), rows going down, so an arrow can go from a cell of one grid to
a cell of the other.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from engine.geometry import Pair
from engine.pool_trace import PoolingRun, ties, window_rows_cols
from viz.animation import block_rect, cell_rect
from viz.numbers import fitting_font, grid_texts
from viz.theme import BLACK, TEXT_DARK, WINDOW_COLOR, colorbar, font_size, style_figure

# Cells between two grids of one figure (room for row numbers and arrows).
GAP = 3
# Figure coordinate of the top edge: room for each grid's title and column numbers.
TOP = -2.4
# Width in pixels the grids are sized for (the page beside the sidebar, colour bar excluded): a laptop
# screen, and a bit more for the larger type of presentation mode (a 1600 to 1920 px wide projector).
FIGURE_PX = 1000
PRESENTATION_FIGURE_PX = 1100
# Cell numbers: two decimals at most, trailing zeros dropped (4, 2.5, 0.33).
CELL_FORMAT = "%{z:.2~f}"
NUMBER_FORMAT = ".2~f"  # the same, as measured by viz.numbers
# The figure's margins: the step's arithmetic above the grids; the slider and Play buttons below them.
MARGIN_TOP, MARGIN_BOTTOM = 75, 160
# Presentation mode: the whole figure fits a 720-px screen under the page's compact title (the figure
# starts ~62 px down), the cells as large as that and the width allow.
PRESENTATION_MAX_HEIGHT = 640
PRESENTATION_MAX_CELL = 90
PAD_FILL = "#e5e7eb"  # padding cells: light grey, visibly not part of the input
EMPTY_CELL = "#f1f3f6"  # output cells not computed yet
WINNER_COLOR = BLACK  # the cell that wins a max window (and receives its gradient)


class Grid(NamedTuple):
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


def map_sizes(run: PoolingRun) -> tuple[int, int, int, int]:
    """(H_pad, W_pad, H_out, W_out)."""
    (H, W), (ph, pw) = run.x.shape, run.padding
    return H + 2 * ph, W + 2 * pw, *run.y.shape


def cell_size_px(n_cols: float, presentation: bool) -> float:
    """Pixels of one cell when the grids fill a page-wide figure, within limits that keep numbers readable."""
    width = PRESENTATION_FIGURE_PX if presentation else FIGURE_PX
    return float(np.clip(width / n_cols, 22, PRESENTATION_MAX_CELL if presentation else 72))


def cell_font(cell_px: float, presentation: bool) -> int:
    """Size of the numbers in the cells: "−1.4" must fit in one cell."""
    return int(np.clip(cell_px * (0.46 if presentation else 0.42), 11, 30))


class GridPlan(NamedTuple):
    """The size of a figure's cells and of the numbers in them."""

    cell_px: float
    font: int  # px of the numbers in the cells; 0: the cells show colours only (presentation mode)
    label_font: int  # px of the grids' titles, row and column numbers


def rows_span(run: PoolingRun) -> float:
    """Figure units from the top edge (titles, column numbers) to the bottom of the taller grid."""
    return max(map_sizes(run)[0], run.y.shape[0]) - 0.4 - TOP


def grid_plan(
    run: PoolingRun,
    n_cols: float,
    values: list[np.ndarray],
    extra: list[str],
    presentation: bool,
    first_screen: bool = True,
) -> GridPlan:
    """How large the cells and their numbers are.

    On a laptop the grids fill the page's width. On a projector the whole figure also fits the first
    screen (PRESENTATION_MAX_HEIGHT) and its numbers are at least MIN_PROJECTED_PX, measured on the texts
    it prints (`values` as CELL_FORMAT writes them, and `extra`): a map too large for that shows its
    colours only, never smaller numbers.

    Args:
        n_cols: figure columns the grids take, side by side.
        values: the arrays the figure prints in its cells (every frame's).
        first_screen: on a projector, the figure opens the page and must fit a 720-px screen; else its
            grids only fill the width.
    """
    width_cell = cell_size_px(n_cols + 2.5, presentation)
    if not presentation:
        font = cell_font(width_cell, presentation)
        return GridPlan(width_cell, font, font)
    room = PRESENTATION_MAX_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    cell = min(width_cell, room / rows_span(run)) if first_screen else width_cell
    texts = [text for v in values for text in grid_texts(v, NUMBER_FORMAT)] + extra
    return GridPlan(cell, fitting_font(texts, cell, largest=30), cell_font(cell, presentation))


def heatmap(values: np.ndarray, grid: Grid, hover: str, numbers: bool = True, **style) -> go.Heatmap:
    """A heatmap of `values` at `grid` (cells centred on integer figure coordinates), numbers printed
    unless `numbers` is False (the hover still gives them)."""
    return go.Heatmap(
        z=values,
        x=grid.x0 + np.arange(values.shape[1]),
        y=grid.y0 + np.arange(values.shape[0]),
        xgap=2,
        ygap=2,
        texttemplate=CELL_FORMAT if numbers else "",
        customdata=index_text(values.shape),
        hovertemplate=f"{hover}(%{{customdata}})<br>%{{z:.4g}}<extra></extra>",
        **style,
    )


def empty_cells(grid: Grid) -> go.Heatmap:
    """Light grey cells under the output map: the cells not computed yet (blank in the map) show as empty."""
    return flat_cells(np.zeros((grid.rows, grid.cols)), grid.x0, grid.y0, EMPTY_CELL, hoverinfo="skip")


def padding_cells(run: PoolingRun, grid: Grid, text: str, hover: str, font: int) -> go.Heatmap:
    """Grey padding cells around the grid (real cells left empty), each showing `text`."""
    (ph, pw), (H, W) = run.padding, run.x.shape
    z = np.ones((H + 2 * ph, W + 2 * pw))
    z[ph : ph + H, pw : pw + W] = np.nan
    return flat_cells(
        z,
        grid.x0 - pw,
        grid.y0 - ph,
        PAD_FILL,
        text=np.where(np.isnan(z), "", text),
        texttemplate="%{text}" if text else "",
        textfont={"size": max(font, 1), "color": "#6b7280"},  # 0: no numbers (Plotly takes 1 or more)
        hovertemplate=f"{hover}<extra></extra>",
    )


def flat_cells(z: np.ndarray, x0: float, y0: float, color: str, **style) -> go.Heatmap:
    """Cells of one colour with their cell (0, 0) at figure (x0, y0); NaN cells are left out."""
    x, y = x0 + np.arange(z.shape[1]), y0 + np.arange(z.shape[0])
    fill = dict(zmin=0, zmax=1, colorscale=[[0, color], [1, color]], showscale=False)
    return go.Heatmap(z=z, x=x, y=y, xgap=2, ygap=2, **fill, **style)


def labels_trace(grids: list[tuple[Grid, str, Pair, bool]], font: int) -> go.Scatter:
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


def styled(fig: go.Figure, run: PoolingRun, n_cols: float, cell_px: float, presentation: bool) -> go.Figure:
    """Fixed axes (matrix orientation, square cells of `cell_px`, pinned to the top), theme, height."""
    bottom = TOP + rows_span(run)
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
    height = rows_span(run) * cell_px + MARGIN_TOP + MARGIN_BOTTOM
    style_figure(fig, presentation=presentation, height=int(height))
    fig.update_layout(margin=dict(l=10, r=10, t=MARGIN_TOP, b=MARGIN_BOTTOM), showlegend=False)
    return fig


def grid_colorbar(title: str, presentation: bool) -> dict:
    """The theme's colour bar, wider and as tall as the figure, right of the grids from their top."""
    return colorbar(
        title,
        presentation,
        tickfont=dict(size=font_size(presentation) - 1),
        thickness=24 if presentation else 18,
        len=1.0,
        y=1.0,
        yanchor="top",
        x=1.0,
        xanchor="left",
    )


def arrow_annotation(tail: tuple[float, float], head: tuple[float, float], color: str, width: float) -> dict:
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


def caption(text: str, presentation: bool) -> dict:
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


def window_shapes(run: PoolingRun, grid: Grid, i: int, j: int, width: float) -> list[dict]:
    """Window (i, j) on a grid of input cells, with its winner (solid) and the cells that tie (dotted)."""
    rows, cols = window_rows_cols(run, i, j)
    (x0, y0), (x1, y1) = grid.xy(rows[0], cols[0]), grid.xy(rows[-1], cols[-1])
    shapes = [block_rect((y0, y1), (x0, x1), "x", "y", line={"color": WINDOW_COLOR, "width": width})]
    if run.mode == "max":
        winner = int(run.winner_rows[i, j]), int(run.winner_cols[i, j])
        shapes.append(cell_shape(grid, *winner, WINNER_COLOR, width))
        shapes += [cell_shape(grid, r, c, WINNER_COLOR, width * 0.7, dash="dot") for r, c in ties(run, i, j)]
    return shapes


def cell_shape(grid: Grid, r: int, c: int, color: str, width: float, dash: str = "solid") -> dict:
    """An outline a little inside cell (r, c), so that it stays visible inside the window's outline."""
    x, y = grid.xy(r, c)
    shape = cell_rect(y, x, "x", "y", color, width)
    shape |= {"x0": x - 0.42, "x1": x + 0.42, "y0": y - 0.42, "y1": y + 0.42}
    shape["line"]["dash"] = dash
    return shape


def index_text(shape: tuple[int, int]) -> np.ndarray:
    """'r, c' for every cell: the hover label's index."""
    rows, cols = np.indices(shape)
    return np.char.add(np.char.add(rows.astype(str), ", "), cols.astype(str))
