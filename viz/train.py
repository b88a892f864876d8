"""Figures of the training page: learning curves, kernels, gradient sizes, confusion matrix, examples,
feature maps and class probabilities.

Data in, figure out: the numbers come from engine/model.py and engine/training.py, the words from the
page (already translated). The three figures redrawn while the network trains (curves, kernels,
gradient sizes) are JSON-ready specs: their layout is built and validated once and cached, each redraw
only makes the traces, in a few milliseconds instead of Plotly's ~100 ms of validation. The others
are `go.Figure`s. Grids of small images (kernels, examples, feature maps) are one mosaic heatmap each,
the images side by side with a one-cell gap: one trace and one colour scale.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.theme import (
    BLUE,
    DIVERGING,
    GRAYS,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
    colorbar,
    font_size,
    is_signed,
    style_figure,
    symmetric_limits,
)

TRAIN_COLOR = BLUE
TEST_COLOR = VERMILLION
BATCH_COLOR = "rgba(153, 153, 153, 0.45)"  # every mini-batch's loss: noisy, so faint
LAYER_COLORS: tuple[str, ...] = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, YELLOW, GREY)
WHITE_TO_BLUE = [[0.0, "#ffffff"], [1.0, BLUE]]
GAP_CELLS = 1  # empty cells between two images of a mosaic
EXAMPLE_COLUMNS = 6
EXAMPLES_WIDTH_PX = 520  # the width the examples grid is laid out for: half of a wide page
KERNEL_COLUMNS = 4
CAPTION_CELLS = 2  # rows of empty cells under each kernel or example, where its caption goes
SMOOTHING_PER_EPOCH = 8  # the gradient sizes are averaged over an eighth of an epoch


class CurveLabels(NamedTuple):
    loss_title: str
    accuracy_title: str
    epoch_axis: str
    train: str
    test: str
    batch: str


class GradientLabels(NamedTuple):
    title: str
    epoch_axis: str
    value_axis: str
    names: tuple[str, ...]  # one label per parameter, in param_names order


class MatrixLabels(NamedTuple):
    title: str
    predicted_axis: str
    true_axis: str
    colorbar: str


class FeatureLabels(NamedTuple):
    row_titles: tuple[str, ...]  # two rows per conv block: its activation maps, then its pooled maps
    colorbar: str


def curves_figure(
    at: Sequence[float],
    train: tuple[Sequence[float], Sequence[float]],
    test: tuple[Sequence[float], Sequence[float]],
    batch_loss: Sequence[float],
    batches_per_epoch: int,
    epochs: int,
    labels: CurveLabels,
    *,
    presentation: bool = False,
) -> dict:
    """Loss (left) and accuracy (right) against epochs, training set vs held-out set, as a figure spec.

    Redrawn several times a second while the network trains, so it is a JSON-ready spec: the layout is
    built (and validated) once per run and only the traces are made anew.

    Args:
        at: where each evaluation happened, in epochs.
        train, test: (losses, accuracies) at those points, accuracies as fractions.
        batch_loss: the loss of every mini-batch so far (drawn faint behind the loss curves).
        batches_per_epoch, epochs: fix the x axis to the whole run, so the curves grow into a fixed frame.
    """
    width = 3.5 if presentation else 2.5
    marker = {"size": 7 if presentation else 5}
    batch_x = (np.arange(len(batch_loss)) + 1) / batches_per_epoch
    traces = [_line(batch_x, batch_loss, labels.batch, {"color": BATCH_COLOR, "width": 1}, "x", "y")]
    for k, axes in ((0, ("x", "y")), (1, ("x2", "y2"))):
        for name, series, color, dash in (
            (labels.train, train, TRAIN_COLOR, "solid"),
            (labels.test, test, TEST_COLOR, "dash"),
        ):
            line = _line(at, series[k], name, {"color": color, "width": width, "dash": dash}, *axes)
            line.update(mode="lines+markers", marker=marker, legendgroup=name, showlegend=k == 0)
            traces.append(line)
    return {"data": traces, "layout": json.loads(_curves_layout(epochs, labels, presentation))}


@functools.lru_cache(maxsize=64)
def _curves_layout(epochs: int, labels: CurveLabels, presentation: bool) -> str:
    """The curves' layout as JSON: two panels, a legend on top, fixed epoch axes."""
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=(labels.loss_title, labels.accuracy_title), horizontal_spacing=0.08
    )
    fig.update_xaxes(range=[0, epochs], title_text=labels.epoch_axis, dtick=_epoch_ticks(epochs))
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    style_figure(fig, presentation=presentation, height=430 if presentation else 360)
    legend = dict(orientation="h", yanchor="bottom", y=1.12, x=0, font=dict(size=font_size(presentation)))
    fig.update_layout(legend=legend, margin=dict(t=90))
    return fig.layout.to_json()


def _line(x, y, name: str, line: dict, xaxis: str, yaxis: str) -> dict:
    """A plain scatter-line trace."""
    return {
        "type": "scatter",
        "mode": "lines",
        "x": np.asarray(x, dtype=np.float64),
        "y": np.asarray(y, dtype=np.float64),
        "name": name,
        "line": line,
        "xaxis": xaxis,
        "yaxis": yaxis,
    }


def _trailing_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Row k becomes the mean of rows max(0, k − window + 1) … k (a moving average that never looks ahead)."""
    sums = np.cumsum(values, axis=0)
    start = np.maximum(np.arange(values.shape[0]) - window, -1)
    before = np.where(start[:, None] >= 0, sums[np.maximum(start, 0)], 0.0)
    return (sums - before) / (np.arange(values.shape[0]) - start)[:, None]


def _epoch_ticks(epochs: int) -> int:
    """A tick every epoch for short runs, fewer for long ones."""
    return 1 if epochs <= 12 else (2 if epochs <= 24 else 5)


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
    rows, cols = _grid(F, KERNEL_COLUMNS)
    mosaic = _mosaic(list(kernels), rows, cols, row_gap=CAPTION_CELLS)
    zmin, zmax = symmetric_limits(kernels)
    trace = {
        "type": "heatmap",
        "z": _with_gaps(mosaic),
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
    rows, cols = _grid(F, KERNEL_COLUMNS)
    notes = []
    for f in range(F):
        r, c = divmod(f, cols)
        x, y = c * (K + GAP_CELLS) + (K - 1) / 2, r * (K + CAPTION_CELLS) + K - 0.4
        notes.append(_note(f"{kernel_label} {f + 1}".strip(), x, y, presentation))
    fig = go.Figure()
    _mosaic_axes(fig)
    fig.update_yaxes(autorange=False, range=[rows * (K + CAPTION_CELLS) - 0.5, -0.5])
    fig.update_xaxes(range=[-0.5, cols * (K + GAP_CELLS) - GAP_CELLS - 0.5])
    height = _mosaic_height(rows * (K + CAPTION_CELLS), cols * (K + GAP_CELLS), presentation, width_px=480)
    style_figure(fig, presentation=presentation, height=height, title=title)
    fig.update_layout(annotations=notes, margin=dict(b=10))
    return fig.layout.to_json()


def _grid(n: int, max_cols: int) -> tuple[int, int]:
    """(rows, cols) for n images at most max_cols a row, the rows as even as they can be."""
    rows = -(-n // max_cols)
    return rows, -(-n // rows)


def _with_gaps(mosaic: np.ndarray) -> list:
    """Rows of a mosaic for JSON: the gap cells (NaN) become null, so Plotly leaves them empty."""
    return [[None if np.isnan(v) else v for v in row] for row in mosaic.tolist()]


def gradients_figure(
    grad_rms: Sequence[Sequence[float]],
    batches_per_epoch: int,
    epochs: int,
    labels: GradientLabels,
    *,
    presentation: bool = False,
) -> dict:
    """The size (RMS) of each parameter's gradient along the run, log scale, as a figure spec.

    Single mini-batches jump up and down by a factor of ten; each point is the mean over the last few
    batches (an eighth of an epoch), so the trend of each layer can be told apart.

    Args:
        grad_rms: (n_batches, n_params): one row per trained batch, columns in param_names order.
    """
    values = _trailing_mean(
        np.asarray(grad_rms, dtype=np.float64).reshape(-1, len(labels.names)),
        max(1, batches_per_epoch // SMOOTHING_PER_EPOCH),
    )
    x = (np.arange(values.shape[0]) + 1) / batches_per_epoch
    traces = []
    for p, name in enumerate(labels.names):
        # Weights solid, biases dotted; one colour per layer (a layer has a weight and a bias: p // 2).
        line = {
            "color": LAYER_COLORS[p // 2 % len(LAYER_COLORS)],
            "width": 2.5 if presentation else 1.8,
            "dash": "solid" if p % 2 == 0 else "dot",
        }
        traces.append(_line(x, np.maximum(values[:, p], 1e-12), name, line, "x", "y"))
    return {"data": traces, "layout": json.loads(_gradients_layout(epochs, labels, presentation))}


@functools.lru_cache(maxsize=64)
def _gradients_layout(epochs: int, labels: GradientLabels, presentation: bool) -> str:
    """The gradient sizes' layout as JSON: epochs across, a log scale up."""
    fig = go.Figure()
    fig.update_xaxes(range=[0, epochs], title_text=labels.epoch_axis, dtick=_epoch_ticks(epochs))
    fig.update_yaxes(type="log", title_text=labels.value_axis, exponentformat="power", dtick="D2")
    style_figure(fig, presentation=presentation, height=400 if presentation else 340, title=labels.title)
    legend = dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=font_size(presentation) - 2))
    # The legend sits above the plot, under the title pinned to the top: room for two rows of names.
    fig.update_layout(
        legend=legend, margin=dict(t=150 if presentation else 120), title=dict(y=0.98, yanchor="top")
    )
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
    mosaic = _mosaic(list(images), rows, cols, row_gap=row_gap)
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
        _note(
            caption,
            (k % cols) * (W + GAP_CELLS) + (W - 1) / 2,
            (k // cols) * (H + row_gap) + H - 0.3,
            presentation,
        )
        for k, caption in enumerate(captions)
    ]
    _mosaic_axes(fig)
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
        trace = _feature_trace(_mosaic(list(big), 1, len(big)), signed, limits, labels.colorbar, presentation)
        fig.add_trace(trace, row=r, col=1)
        fig.update_xaxes(range=[-0.5, widest * (unit + GAP_CELLS) - GAP_CELLS - 0.5], row=r, col=1)
    _mosaic_axes(fig)
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
    _mosaic_axes(fig)
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


def _mosaic(images: list[np.ndarray], rows: int, cols: int, row_gap: int = GAP_CELLS) -> np.ndarray:
    """Images of one shape (H, W) laid out rows × cols with NaN gaps between them: one 2-D array."""
    H, W = images[0].shape
    g = GAP_CELLS
    out = np.full((rows * (H + row_gap) - row_gap, cols * (W + g) - g), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, cols)
        out[r * (H + row_gap) : r * (H + row_gap) + H, c * (W + g) : c * (W + g) + W] = image
    return out


def _mosaic_axes(fig: go.Figure) -> None:
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


def _mosaic_height(cells_high: int, cells_wide: int, presentation: bool, width_px: int = 800) -> int:
    """A figure height that shows square cells of a mosaic at a readable size, within sensible bounds."""
    cell_px = min(width_px / max(cells_wide, 1), 60 if presentation else 46)
    return int(min(max(cells_high * cell_px + 110, 200), 900))


def _note(text: str, x: float, y: float, presentation: bool, yanchor: str = "top") -> dict:
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
