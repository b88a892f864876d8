"""Grids of small images drawn as ONE heatmap: a mosaic of images of one shape side by side, NaN gaps
between them (one trace, one colour scale), on image-like axes, with captions in the gaps under them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz.theme import font_size

GAP_CELLS = 1  # empty cells between two images of a mosaic


def grid_shape(n: int, max_cols: int) -> tuple[int, int]:
    """(rows, cols) for n images at most max_cols a row, the rows as even as they can be."""
    rows = -(-n // max_cols)
    return rows, -(-n // rows)


def with_gaps(mosaic: np.ndarray) -> list:
    """Rows of a mosaic for JSON: the gap cells (NaN) become null, so Plotly leaves them empty."""
    return [[None if np.isnan(v) else v for v in row] for row in mosaic.tolist()]


def make_mosaic(images: list[np.ndarray], rows: int, cols: int, row_gap: int = GAP_CELLS) -> np.ndarray:
    """Images of one shape (H, W) laid out rows × cols with NaN gaps between them: one 2-D array."""
    H, W = images[0].shape
    g = GAP_CELLS
    out = np.full((rows * (H + row_gap) - row_gap, cols * (W + g) - g), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, cols)
        out[r * (H + row_gap) : r * (H + row_gap) + H, c * (W + g) : c * (W + g) + W] = image
    return out


def mosaic_axes(fig: go.Figure) -> None:
    """Image-like axes: no ticks or grid, row 0 on top, square cells."""
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(
        visible=False,
        showgrid=False,
        zeroline=False,
        autorange="reversed",
        scaleanchor="x",
        constrain="domain",
    )
    for k, axis in enumerate(a for a in fig.layout if a.startswith("yaxis")):
        fig.layout[axis].scaleanchor = "x" if k == 0 else f"x{k + 1}"


def mosaic_height(cells_high: int, cells_wide: int, presentation: bool, width_px: int = 800) -> int:
    """A figure height that shows square cells of a mosaic at a readable size, within sensible bounds."""
    cell_px = min(width_px / max(cells_wide, 1), 60 if presentation else 46)
    return int(min(max(cells_high * cell_px + 110, 200), 900))


def image_caption(text: str, x: float, y: float, presentation: bool, yanchor: str = "top") -> dict:
    """A caption in data coordinates (under an image of a mosaic)."""
    return dict(
        text=text,
        x=x,
        y=y,
        xref="x",
        yref="y",
        showarrow=False,
        yanchor=yanchor,
        font=dict(size=font_size(presentation) - 1),
    )
