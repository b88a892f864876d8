"""A convolution as a matrix–vector product, drawn aligned, one highlighted row (or column) at a time.

Each figure is one product: a matrix (C, or the fast path's im2col), a vector drawn as a row aligned with
the matrix's columns (above it when it is what the matrix multiplies, below when it is the result), a
vector drawn as a column aligned with its rows (right of it), and the two grids those vectors are the
rows of (left and right). Forward, row r of C times vec(x) above it gives y_r at its right end:

                  [ vec(x)ᵀ ]
        [X]       [    C    ] [y]       [Y]

backward, column q of C times δ at its right gives dX_q under it (the matrix read down a column is Cᵀ):

        [δ]       [    C    ] [δ]       [dX]
                  [  dXᵀ    ]

Everything is drawn in ONE pair of axes, one cell = one unit (as viz/pooling_layout.py does), so the
vectors line up with the matrix's rows and columns at any window size. One frame per row (forward) or
column (backward): frames move the highlights (layout shapes) and rewrite the arithmetic line (the one
trace they name); the grids are sent once. The numbers come from `engine.matrix.MatrixRun`; this draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.matrix import MatrixRun, column_terms, row_terms, tap_terms
from viz.animation import block_rect, cell_rect, play_controls, step_slider, typed_array
from viz.numbers import MIN_PROJECTED_PX, figure_number, fitting_font, grid_texts
from viz.projector import MARGIN as PROJECTOR_MARGIN
from viz.projector import PLOT_PX, title_px
from viz.theme import (
    CELL_COLOR,
    DIVERGING,
    GREY,
    PADDING_COLOR,
    WINDOW_COLOR,
    base_layout,
    font_size,
    line_width,
    symmetric_limits,
)

# Trace order: frames rewrite TEXT only (the highlights are shapes).
LEFT, MATRIX, SHADE, ACROSS, DOWN, RIGHT, TEXT = range(7)
PANELS = ("left", "matrix", "across", "down", "right")
NUMBER_FORMAT = ".2~f"  # at most two decimals, trailing zeros dropped (the page's values are integers)
# The plot area planned for, in px: the page's column beside the sidebar, or the projector's first screen.
PAGE_PX = (960, 760)
MAX_CELL_PX = {False: 44.0, True: 72.0}
GAP_PX = 64  # between a grid and the matrix: room for a vector's title
SMALL_PX = 8  # between the matrix and its vectors
TITLE_PX = 30  # above the top panels
TEXT_PX = 34  # the arithmetic line under everything
NORMAL_MARGIN = {"l": 10, "r": 10, "t": 16, "b": 96}
# More terms than this on the arithmetic line are elided ("+ …"): the LaTeX under the figure has them all.
LINE_TERMS = 6
# Steps whose slider prints a label under each step; more run together, so the slider goes compact.
LABELLED_STEPS = 16


# The panels' titles are symbols, the same in every language (the page's captions say them in words).
TITLES: dict[str, dict[str, str]] = {
    "forward_C": {"left": "X", "matrix": "C", "across": "vec(x)ᵀ", "down": "y", "right": "Y"},
    "forward_im2col": {"left": "X", "matrix": "im2col", "across": "vec(W)ᵀ", "down": "y", "right": "Y"},
    "backward_C": {"left": "δ", "matrix": "C", "across": "dXᵀ", "down": "δ", "right": "dX"},
    "backward_im2col": {"left": "δ", "matrix": "im2col", "across": "dWᵀ", "down": "δ", "right": "dW"},
}


class MatrixLabels(NamedTuple):
    """Every word the figures show, translated by the page (the titles are symbols: TITLES)."""

    step_prefix: dict[str, str]  # "forward", "backward_C", "backward_im2col" -> "output cell (i, j) = "
    speeds: tuple[str, ...]
    pause: str


class Product(NamedTuple):
    """What one figure draws: a matrix, its two vectors and the grids they come from."""

    matrix: np.ndarray  # (m, n), NaN where the matrix has no entry (drawn blank)
    shade: np.ndarray  # (m, n) bool: entries shaded over (im2col's padding zeros)
    across: np.ndarray  # (n,) drawn as a row aligned with the matrix's columns
    across_above: bool  # above the matrix (the operand) or below it (the result)
    down: np.ndarray  # (m,) drawn as a column right of the matrix, aligned with its rows
    left: np.ndarray  # 2-D grid left of the matrix
    right: np.ndarray  # 2-D grid right of it
    limits: dict[str, tuple[float, float]]  # panel -> colour limits (zero-centred)
    names: dict[str, str]  # panel -> symbol in the hover ("C", "x", ...)


class Focus(NamedTuple):
    """One frame: which row or column of the matrix, and the cells of the other panels it involves."""

    row: int | None
    col: int | None
    across: list[int]
    down: list[int]
    left: list[tuple[int, int]]
    right: list[tuple[int, int]]
    label: str  # the slider's step label
    line: str  # the arithmetic of this step


class Placement(NamedTuple):
    """Where each panel's cell (0, 0) sits in figure coordinates (cell units), and the cell's size."""

    origin: dict[str, tuple[float, float]]  # panel -> (x0, y0)
    shape: dict[str, tuple[int, int]]  # panel -> (rows, cols)
    cell_px: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # top to bottom (the axis is reversed)
    text_y: float
    height: int
    margin: dict[str, int]


# --- the four figures ---------------------------------------------------------------------------------------


def forward_figure(
    run: MatrixRun, form: str, labels: MatrixLabels, start: int = 0, *, presentation: bool = False
) -> dict:
    """y = C·vec(x) (form "C") or y = im2col·vec(W) (form "im2col"), one frame per output cell (row).

    Args:
        run: from `engine.matrix.run_matrix`.
        start: the row shown first (an output cell r = i·W_out + j).

    Returns:
        A JSON-ready figure spec with H_out·W_out frames.
    """
    x, y = run.x.ravel(), run.y.ravel()
    limits_x, limits_w, limits_y = symmetric_limits(run.x), symmetric_limits(run.w), symmetric_limits(run.y)
    if form == "C":
        product = Product(
            np.where(run.taps >= 0, run.C, np.nan), np.zeros(run.C.shape, bool), x, True, y, run.x, run.y,
            {"left": limits_x, "matrix": limits_w, "across": limits_x, "down": limits_y, "right": limits_y},
            {"left": "X", "matrix": "C", "across": "x", "down": "y", "right": "Y"},
        )  # fmt: skip
    else:
        product = Product(
            run.im2col, run.on_padding, run.w.ravel(), True, y, run.x, run.y,
            {"left": limits_x, "matrix": limits_x, "across": limits_w, "down": limits_y, "right": limits_y},
            {"left": "X", "matrix": "im2col", "across": "w", "down": "y", "right": "Y"},
        )  # fmt: skip
    focuses = [_row_focus(run, r, form) for r in range(run.C.shape[0])]
    return _animation(product, focuses, start, TITLES[f"forward_{form}"], labels.step_prefix["forward"],
                      labels, presentation)  # fmt: skip


def backward_figure(
    run: MatrixRun, form: str, labels: MatrixLabels, start: int = 0, *, presentation: bool = False
) -> dict:
    """dX = Cᵀ·vec(δ) (form "C", one frame per input cell: a column of C) or dW = im2colᵀ·vec(δ) (form
    "im2col", one frame per kernel tap: a column of im2col).

    Returns:
        A JSON-ready figure spec with H·W (or K·K) frames.
    """
    delta = run.delta.ravel()
    limits_d = symmetric_limits(run.delta)
    if form == "C":
        product = Product(
            np.where(run.taps >= 0, run.C, np.nan), np.zeros(run.C.shape, bool), run.dx.ravel(), False, delta,
            run.delta, run.dx,
            {"left": limits_d, "matrix": symmetric_limits(run.w), "across": symmetric_limits(run.dx),
             "down": limits_d, "right": symmetric_limits(run.dx)},
            {"left": "δ", "matrix": "C", "across": "dX", "down": "δ", "right": "dX"},
        )  # fmt: skip
        focuses = [_column_focus(run, q) for q in range(run.C.shape[1])]
    else:
        product = Product(
            run.im2col, run.on_padding, run.dw.ravel(), False, delta, run.delta, run.dw,
            {"left": limits_d, "matrix": symmetric_limits(run.x), "across": symmetric_limits(run.dw),
             "down": limits_d, "right": symmetric_limits(run.dw)},
            {"left": "δ", "matrix": "im2col", "across": "dW", "down": "δ", "right": "dW"},
        )  # fmt: skip
        focuses = [_tap_focus(run, t) for t in range(run.w.size)]
    kind = f"backward_{form}"
    return _animation(product, focuses, start, TITLES[kind], labels.step_prefix[kind], labels, presentation)


# --- what each step highlights ---------------------------------------------------------------------------


def _row_focus(run: MatrixRun, r: int, form: str) -> Focus:
    """Output cell r: row r of the matrix, the input cells its window reads, y_r."""
    W, W_out = run.x.shape[1], run.y.shape[1]
    terms = row_terms(run, r)
    read = [divmod(t.col, W) for t in terms]
    if form == "C":
        across, pairs = [t.col for t in terms], [(t.entry, t.operand) for t in terms]
    else:  # im2col row r times vec(W): every tap, the padding's with a 0
        taps = list(range(run.w.size))
        across, pairs = taps, [(float(run.im2col[r, t]), float(run.w.flat[t])) for t in taps]
    i, j = divmod(r, W_out)
    return Focus(r, None, across, [r], read, [(i, j)], f"({i}, {j})",
                 _sum_line(f"y({i}, {j})", pairs, run.y[i, j]))  # fmt: skip


def _column_focus(run: MatrixRun, q: int) -> Focus:
    """Input cell q: column q of C, the outputs whose windows read it, dX_q."""
    W_out, W = run.y.shape[1], run.x.shape[1]
    terms = column_terms(run, q)
    rows = [t.row for t in terms]
    u, v = divmod(q, W)
    line = _sum_line(f"dX({u}, {v})", [(t.entry, t.operand) for t in terms], run.dx[u, v])
    return Focus(None, q, [q], rows, [divmod(r, W_out) for r in rows], [(u, v)], f"({u}, {v})", line)


def _tap_focus(run: MatrixRun, t: int) -> Focus:
    """Kernel tap t: column t of im2col (every window's value under that tap) times δ, dW_t."""
    W_out, KW = run.y.shape[1], run.w.shape[1]
    terms = [term for term in tap_terms(run, t) if not run.on_padding[term.row, t]]
    rows = [term.row for term in terms]
    k, l = divmod(t, KW)
    line = _sum_line(f"dW({k}, {l})", [(term.entry, term.operand) for term in terms], run.dw[k, l])
    return Focus(None, t, [t], rows, [divmod(r, W_out) for r in rows], [(k, l)], f"({k}, {l})", line)


def _sum_line(head: str, pairs: Sequence[tuple[float, float]], value: float) -> str:
    """ "y(0, 0) = 1·2 + (−1)·0 + … = 5": the products of a step, elided after LINE_TERMS."""
    if not pairs:
        return f"{head} = 0"
    products = [f"{_operand(a)}·{_operand(b)}" for a, b in pairs[:LINE_TERMS]]
    more = " + …" if len(pairs) > LINE_TERMS else ""
    return f"{head} = {' + '.join(products)}{more} = {figure_number(value)}"


def _operand(v: float) -> str:
    text = figure_number(v)
    return f"({text})" if text.startswith("−") else text


# --- layout -------------------------------------------------------------------------------------------------


def placement(product: Product, titles: dict[str, str], presentation: bool = False) -> Placement:
    """Place the panels (module docstring) with one cell size, as large as the planned plot area allows.

    The grids are top-aligned with the matrix; the vectors sit SMALL_PX from it; the gap left of the
    matrix holds the titles of the matrix and of the row vector.
    """
    m, n = product.matrix.shape
    (Lr, Lc), (Rr, Rc) = product.left.shape, product.right.shape
    width_px, height_px = PLOT_PX if presentation else PAGE_PX
    size = font_size(presentation) + 1
    left_gap = max(GAP_PX, *(title_px(titles[p], size) + 2 * SMALL_PX for p in ("matrix", "across")))
    # Rows of cells from top to bottom: the row vector above the matrix and the grids beside it, or the
    # matrix and the grids with the row vector under the matrix.
    rows = 1 + max(m, Lr, Rr) if product.across_above else max(m + 1, Lr, Rr)
    cols = Lc + n + 1 + Rc
    cell = min(
        MAX_CELL_PX[presentation],
        (width_px - left_gap - GAP_PX - SMALL_PX) / cols,
        (height_px - SMALL_PX - TITLE_PX - TEXT_PX) / rows,
    )
    gap, small = GAP_PX / cell, SMALL_PX / cell
    top = 1 + small if product.across_above else 0.0  # the matrix's top row
    mx = Lc + left_gap / cell
    origin = {
        "left": (0.0, top),
        "matrix": (mx, top),
        "across": (mx, 0.0 if product.across_above else m + small),
        "down": (mx + n + small, top),
        "right": (mx + n + small + 1 + gap, top),
    }
    shape = {"left": (Lr, Lc), "matrix": (m, n), "across": (1, n), "down": (m, 1), "right": (Rr, Rc)}
    bottom = max(origin[p][1] + shape[p][0] for p in PANELS)
    # Cells are centred on whole coordinates: the panels' bottom edge is at bottom − 0.5.
    text_y = bottom - 0.5 + TEXT_PX / 2 / cell
    y_range = (-TITLE_PX / cell - 0.5, bottom + TEXT_PX / cell - 0.5)
    x_range = (-0.5, origin["right"][0] + Rc - 0.5)
    margin = dict(PROJECTOR_MARGIN, t=16) if presentation else NORMAL_MARGIN
    plot_h = (y_range[1] - y_range[0]) * cell
    return Placement(origin, shape, cell, x_range, y_range, text_y,
                     round(plot_h + margin["t"] + margin["b"]), margin)  # fmt: skip


def panel_fonts(product: Product, cell_px: float, presentation: bool) -> dict[str, int]:
    """Each panel's number size in px: the largest its numbers fit a cell at; 0 (colours only) when they
    would be smaller than 18 px on a projector, or 9 px on the page."""
    largest, smallest = (24, MIN_PROJECTED_PX) if presentation else (18, 9)
    return {
        name: fitting_font(grid_texts(_values(product, name), NUMBER_FORMAT), cell_px, largest, smallest)
        for name in PANELS
    }


def _values(product: Product, name: str) -> np.ndarray:
    grids = {"left": product.left, "matrix": product.matrix, "right": product.right}
    if name in grids:
        return grids[name]
    return (product.across if name == "across" else product.down).reshape(-1)


# --- the figure ---------------------------------------------------------------------------------------------


def _animation(
    product: Product,
    focuses: list[Focus],
    start: int,
    titles: dict[str, str],
    prefix: str,
    labels: MatrixLabels,
    presentation: bool,
) -> dict:
    """The figure spec: the panels once, one frame per focus (shapes and the arithmetic line)."""
    place = placement(product, titles, presentation)
    fonts = panel_fonts(product, place.cell_px, presentation)
    start = int(min(max(start, 0), len(focuses) - 1))
    data = [
        _panel(product, "left", place, fonts),
        _panel(product, "matrix", place, fonts),
        _shade(product, place),
        _panel(product, "across", place, fonts),
        _panel(product, "down", place, fonts),
        _panel(product, "right", place, fonts),
        _text(focuses[start].line, place, presentation),
    ]
    names = [str(n) for n in range(len(focuses))]
    frames = [
        {
            "name": name,
            "data": [{"type": "scatter", "text": [focus.line]}],
            "traces": [TEXT],
            "layout": {"shapes": _shapes(focus, place, presentation)},
        }
        for name, focus in zip(names, focuses)
    ]
    layout = base_layout(presentation=presentation, height=place.height)
    axis = {"visible": False, "fixedrange": True}
    layout.update(
        margin=place.margin,
        xaxis={**axis, "range": list(place.x_range), "constrain": "domain"},
        yaxis={**axis, "range": [place.y_range[1], place.y_range[0]], "scaleanchor": "x",
               "constrain": "domain"},
        shapes=_shapes(focuses[start], place, presentation),
        annotations=_titles(titles, place, presentation),
    )  # fmt: skip
    compact = presentation or len(focuses) > LABELLED_STEPS
    steps = [focus.label for focus in focuses]
    layout["updatemenus"] = play_controls(names, start, labels.speeds, labels.pause, presentation, compact)
    layout["sliders"] = step_slider(names, steps, start, prefix, presentation, compact)
    return {"data": data, "layout": layout, "frames": frames}


def _panel(product: Product, name: str, place: Placement, fonts: dict[str, int]) -> dict:
    """One panel as a heatmap placed at its origin (NaN cells are blank), its numbers when they fit."""
    z = _values(product, name).reshape(place.shape[name])
    x0, y0 = place.origin[name]
    low, high = product.limits[name]
    trace = {
        "type": "heatmap",
        "z": typed_array(z),
        "x0": x0,
        "dx": 1,
        "y0": y0,
        "dy": 1,
        "zmin": low,
        "zmax": high,
        "colorscale": DIVERGING,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": f"{product.names[name]}: %{{z:.4g}}<extra></extra>",
    }
    if fonts[name]:
        trace.update(texttemplate=f"%{{z:{NUMBER_FORMAT}}}", textfont={"size": fonts[name]})
    return trace


def _shade(product: Product, place: Placement) -> dict:
    """Grey over the matrix's entries that are padding zeros (im2col), none for C."""
    x0, y0 = place.origin["matrix"]
    return {
        "type": "heatmap",
        "z": typed_array(np.where(product.shade, 1.0, np.nan)),
        "x0": x0,
        "dx": 1,
        "y0": y0,
        "dy": 1,
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, PADDING_COLOR], [1, PADDING_COLOR]],
        "showscale": False,
        "hoverinfo": "skip",
    }


def _text(line: str, place: Placement, presentation: bool) -> dict:
    """The arithmetic line under the matrix (frames rewrite it)."""
    return {
        "type": "scatter",
        "mode": "text",
        "x": [place.origin["matrix"][0] - 0.5],
        "y": [place.text_y],
        "text": [line],
        "textposition": "middle right",
        "textfont": {"size": font_size(presentation) + 1},
        "cliponaxis": False,
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _shapes(focus: Focus, place: Placement, presentation: bool) -> list[dict]:
    """The frame's highlights, always the same number of shapes: the row or column of the matrix, the
    vectors' and grids' cells it involves, and the matrix's outline (its blank entries have no edge)."""
    width = line_width(presentation)
    (mx, my), (m, n) = place.origin["matrix"], place.shape["matrix"]
    outline = block_rect((my, my + m - 1), (mx, mx + n - 1), "x", "y", line={"color": GREY, "width": 1})
    if focus.row is not None:
        band = block_rect((my + focus.row,) * 2, (mx, mx + n - 1), "x", "y")
    else:
        band = block_rect((my, my + m - 1), (mx + focus.col,) * 2, "x", "y")
    band["line"] = {"color": CELL_COLOR, "width": width}
    return [
        outline,
        band,
        _cells(place, "across", [(0, c) for c in focus.across], WINDOW_COLOR, width),
        _cells(place, "down", [(r, 0) for r in focus.down], WINDOW_COLOR, width),
        _cells(place, "left", focus.left, WINDOW_COLOR, width),
        _cells(place, "right", focus.right, CELL_COLOR, width),
    ]


def _cells(place: Placement, panel: str, cells: Sequence[tuple[int, int]], color: str, width: float) -> dict:
    """One path outlining these cells of a panel; an invisible one when there are none (a cell of the
    padding reads nothing), so every frame has the same shapes."""
    x0, y0 = place.origin[panel]
    if len(cells) == 1:
        return cell_rect(y0 + cells[0][0], x0 + cells[0][1], "x", "y", color, width)
    parts = [
        f"M{x0 + c - 0.5:g},{y0 + r - 0.5:g}H{x0 + c + 0.5:g}V{y0 + r + 0.5:g}H{x0 + c - 0.5:g}Z"
        for r, c in cells
    ]
    path = {"type": "path", "xref": "x", "yref": "y", "line": {"color": color, "width": width}}
    return path | ({"path": "".join(parts)} if parts else {"path": "M0,0Z", "visible": False})


def _titles(titles: dict[str, str], place: Placement, presentation: bool) -> list[dict]:
    """Each panel's title: above the grids and the column vector; left of the matrix and of the row
    vector, in the gap after the left grid (titles above them could run into each other)."""
    size = font_size(presentation) + 1
    notes = []
    for panel, text in titles.items():
        x0, y0 = place.origin[panel]
        rows, cols = place.shape[panel]
        x, y, xanchor, yanchor = x0 + (cols - 1) / 2, y0 - 0.5, "center", "bottom"
        if panel in ("matrix", "across"):
            x, y = x0 - 0.5 - SMALL_PX / place.cell_px, y0 + (rows - 1) / 2
            xanchor, yanchor = "right", "middle"
        notes.append(
            {
                "text": f"<b>{text}</b>",
                "x": x,
                "y": y,
                "xref": "x",
                "yref": "y",
                "xanchor": xanchor,
                "yanchor": yanchor,
                "showarrow": False,
                "font": {"size": size},
            }
        )
    return notes
