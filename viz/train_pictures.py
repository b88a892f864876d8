"""Pictures of the model on the training page: its kernels, what it makes of one image (the input, the
feature maps of each conv block, the class probabilities), examples with captions, the confusion matrix.

Data in, figure out: the numbers come from engine/model.py and engine/training.py, the words from the
page (already translated). The kernels are redrawn while the network trains: a JSON-ready spec whose
layout is built and validated once and cached, each redraw only makes the trace. The others are
`go.Figure`s. Grids of small images (kernels, examples, feature maps) are one mosaic heatmap each
(viz/mosaic.py): one trace and one colour scale. The learning curves are in viz/train_curves.py.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.mosaic import (
    GAP_CELLS,
    grid_shape,
    image_caption,
    make_mosaic,
    mosaic_axes,
    mosaic_height,
    with_gaps,
)
from viz.theme import (
    BLUE,
    DIVERGING,
    GRAYS,
    SKY_BLUE,
    VERMILLION,
    colorbar,
    font_size,
    is_signed,
    style_figure,
    symmetric_limits,
)

WHITE_TO_BLUE = [[0.0, "#ffffff"], [1.0, BLUE]]
EXAMPLE_COLUMNS = 6
EXAMPLES_WIDTH_PX = 520  # the width the examples grid is laid out for: half of a wide page
KERNEL_COLUMNS = 4
CAPTION_CELLS = 2  # rows of empty cells under each kernel or example, where its caption goes


class MatrixLabels(NamedTuple):
    title: str
    predicted_axis: str
    true_axis: str
    colorbar: str


class FeatureLabels(NamedTuple):
    row_titles: tuple[str, ...]  # two rows per conv block: its activation maps, then its pooled maps
    colorbar: str


def kernels_figure(
    w: np.ndarray, title: str, colorbar_title: str, *, kernel_label: str = "", presentation: bool = False
) -> dict:
    """The kernels of a conv layer in a grid (four a row) on one diverging scale (white = 0), as a spec.

    Redrawn while the network trains: a JSON-ready spec whose layout is built once per shape and title.

    Args:
        w: kernels (F, C, K, K); channel 0 of each is drawn (the inputs here are grayscale, C = 1).
        kernel_label: a word put before each kernel's number ("kernel" → "kernel 1", …).
    """
    kernels = np.asarray(w, dtype=np.float64)[:, 0]
    F = kernels.shape[0]
    rows, cols = grid_shape(F, KERNEL_COLUMNS)
    mosaic = make_mosaic(list(kernels), rows, cols, row_gap=CAPTION_CELLS)
    zmin, zmax = symmetric_limits(kernels)
    trace = {
        "type": "heatmap",
        "z": with_gaps(mosaic),
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": DIVERGING,
        "colorbar": colorbar(colorbar_title, presentation),
        "hoverongaps": False,
        "hovertemplate": "%{z:.3f}<extra></extra>",
    }
    layout = json.loads(_kernels_layout(F, kernels.shape[1], title, kernel_label, presentation))
    return {"data": [trace], "layout": layout}


@functools.lru_cache(maxsize=64)
def _kernels_layout(F: int, K: int, title: str, kernel_label: str, presentation: bool) -> str:
    """The kernels' layout as JSON: image-like axes and a numbered caption under each kernel."""
    rows, cols = grid_shape(F, KERNEL_COLUMNS)
    notes = []
    for f in range(F):
        r, c = divmod(f, cols)
        x, y = c * (K + GAP_CELLS) + (K - 1) / 2, r * (K + CAPTION_CELLS) + K - 0.4
        notes.append(image_caption(f"{kernel_label} {f + 1}".strip(), x, y, presentation))
    fig = go.Figure()
    mosaic_axes(fig)
    fig.update_yaxes(autorange=False, range=[rows * (K + CAPTION_CELLS) - 0.5, -0.5])
    fig.update_xaxes(range=[-0.5, cols * (K + GAP_CELLS) - GAP_CELLS - 0.5])
    height = mosaic_height(rows * (K + CAPTION_CELLS), cols * (K + GAP_CELLS), presentation, width_px=480)
    style_figure(fig, presentation=presentation, height=height, title=title)
    fig.update_layout(annotations=notes, margin=dict(b=10))
    return fig.layout.to_json()


def confusion_figure(
    counts: np.ndarray, class_names: Sequence[str], labels: MatrixLabels, *, presentation: bool = False
) -> go.Figure:
    """The confusion matrix: row = true class, column = predicted class, each non-zero count written in.

    The colour is the share of the row (of the true class's images), so a mistake stands out whatever
    the class's size; the diagonal holds the correct predictions. Zeros are left blank.
    """
    counts = np.asarray(counts)
    share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    names = list(class_names)
    text = np.where(counts > 0, counts.astype(str), "")
    hover = f"{labels.true_axis} %{{y}} → {labels.predicted_axis} %{{x}}: %{{text}}<extra></extra>"
    heatmap = go.Heatmap(
        z=share,
        x=names,
        y=names,
        zmin=0,
        zmax=1,
        colorscale=WHITE_TO_BLUE,
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=font_size(presentation) + 1),
        xgap=1,
        ygap=1,
        hovertemplate=hover,
        colorbar=colorbar(labels.colorbar, presentation, tickformat=".0%"),
    )
    fig = go.Figure(heatmap)
    fig.update_xaxes(title_text=labels.predicted_axis, side="top", type="category", showgrid=False)
    fig.update_yaxes(
        title_text=labels.true_axis,
        autorange="reversed",
        type="category",
        showgrid=False,
        scaleanchor="x",
        constrain="domain",
    )
    fig.update_layout(plot_bgcolor="#e5e7eb")  # the 1-pixel gaps between cells: a light grid
    style_figure(fig, presentation=presentation, height=600 if presentation else 500, title=labels.title)
    return fig


def examples_figure(
    images: np.ndarray, captions: Sequence[str], title: str, *, presentation: bool = False
) -> go.Figure:
    """A grid of small grayscale images (white ink on black), EXAMPLE_COLUMNS a row, a caption under each.

    Args:
        images: (n, H, W) in [0, 1]; at most a few dozen.
        captions: one per image; "<br>" breaks a caption into lines (two lines fit).
    """
    images = np.asarray(images, dtype=np.float64)
    n, H, W = images.shape
    rows, cols = -(-n // EXAMPLE_COLUMNS), min(n, EXAMPLE_COLUMNS)
    # Room under each image for two lines of caption: about 2.6 line heights, in cells of the mosaic.
    cell_px = EXAMPLES_WIDTH_PX / (cols * (W + GAP_CELLS))
    row_gap = int(np.ceil(2.6 * font_size(presentation) / cell_px))
    mosaic = make_mosaic(list(images), rows, cols, row_gap=row_gap)
    heatmap = go.Heatmap(
        z=mosaic,
        zmin=0,
        zmax=1,
        colorscale=GRAYS,
        showscale=False,
        hoverongaps=False,
        hovertemplate="%{z:.2f}<extra></extra>",
    )
    fig = go.Figure(heatmap)
    notes = [
        image_caption(
            caption,
            (k % cols) * (W + GAP_CELLS) + (W - 1) / 2,
            (k // cols) * (H + row_gap) + H - 0.3,
            presentation,
        )
        for k, caption in enumerate(captions)
    ]
    mosaic_axes(fig)
    # Reversed, and down to the last row's captions (the mosaic itself ends with the last image).
    fig.update_yaxes(autorange=False, range=[rows * (H + row_gap) - 0.5, -0.5])
    height = int(rows * (H + row_gap) * cell_px + 80)
    style_figure(fig, presentation=presentation, height=height, title=title)
    fig.update_layout(annotations=notes, margin=dict(b=10))
    return fig


def feature_maps_figure(
    blocks: Sequence[dict[str, np.ndarray]], labels: FeatureLabels, *, presentation: bool = False
) -> go.Figure:
    """What each conv block makes of one image: its activation maps, and under them its pooled maps.

    Each pooled map is drawn under the map it came from at the same size on screen: every pooled cell
    covers the 2 × 2 window it is the maximum (or mean) of. All maps share one colour scale (gray for
    non-negative values, diverging when there are negative ones), so a bright map is a strong response.

    Args:
        blocks: from `engine.model.feature_maps`: per block {"a": (F, H, W), "pooled": (F, H/2, W/2)}.
        labels: one title per row (two per block: activation, pooled) and the colour bar's title.
    """
    rows = [maps for block in blocks for maps in (block["a"], block["pooled"])]
    unit = rows[0].shape[2]  # width of the first block's maps, in cells: every row is drawn in these
    widest = max(len(maps) for maps in rows)
    limits = symmetric_limits(*rows)
    signed = any(is_signed(maps) for maps in rows)
    fig = make_subplots(
        rows=len(rows),
        cols=1,
        subplot_titles=labels.row_titles[: len(rows)],
        vertical_spacing=0.12 / len(rows) + 0.04,
    )
    for r, maps in enumerate(rows, start=1):
        scale = unit // maps.shape[2] if unit % maps.shape[2] == 0 else 1
        # Enlarging each map cell to scale × scale cells lines every map up with the one it came from.
        big = np.kron(maps, np.ones((1, scale, scale)))
        trace = _feature_trace(
            make_mosaic(list(big), 1, len(big)), signed, limits, labels.colorbar, presentation
        )
        fig.add_trace(trace, row=r, col=1)
        fig.update_xaxes(range=[-0.5, widest * (unit + GAP_CELLS) - GAP_CELLS - 0.5], row=r, col=1)
    mosaic_axes(fig)
    style_figure(fig, presentation=presentation, height=len(rows) * (190 if presentation else 160) + 40)
    return fig


def input_figure(image: np.ndarray, title: str, *, presentation: bool = False) -> go.Figure:
    """The network's input image (H, W), gray from 0 (black) to 1 (white), with its values on hover."""
    image = np.asarray(image, dtype=np.float64)
    fig = go.Figure(
        go.Heatmap(
            z=image,
            zmin=0,
            zmax=1,
            colorscale=GRAYS,
            showscale=False,
            hovertemplate="row %{y}, col %{x}<br>%{z:.3f}<extra></extra>",
        )
    )
    mosaic_axes(fig)
    style_figure(fig, presentation=presentation, height=300 if presentation else 260, title=title)
    return fig


def _feature_trace(mosaic, signed, limits, colorbar_title, presentation) -> go.Heatmap:
    """A row of the feature-map figure, on the figure's shared colour scale."""
    common = dict(
        z=mosaic,
        hoverongaps=False,
        hovertemplate="%{z:.3f}<extra></extra>",
        colorbar=colorbar(colorbar_title, presentation, len=0.8),
    )
    if signed:
        return go.Heatmap(**common, zmin=limits[0], zmax=limits[1], colorscale=DIVERGING)
    return go.Heatmap(**common, zmin=0, zmax=limits[1], colorscale=GRAYS)


def probabilities_figure(
    p: np.ndarray, class_names: Sequence[str], title: str, axis_title: str, *, presentation: bool = False
) -> go.Figure:
    """The class probabilities softmax(logits) as bars (the predicted one in vermillion)."""
    p = np.asarray(p, dtype=np.float64)
    winner = int(np.argmax(p))
    colors = [VERMILLION if k == winner else SKY_BLUE for k in range(p.size)]
    text = [f"{v:.0%}" if v >= 0.005 else "" for v in p]
    fig = go.Figure(
        go.Bar(
            x=list(class_names),
            y=p,
            marker_color=colors,
            text=text,
            textposition="outside",
            constraintext="none",
            textfont=dict(size=font_size(presentation)),
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%", title_text=axis_title)
    fig.update_xaxes(type="category")
    style_figure(fig, presentation=presentation, height=380 if presentation else 320, title=title)
    return fig
