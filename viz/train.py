"""Figures of the training page: learning curves, kernels, gradient sizes, confusion matrix, examples,
feature maps and class probabilities.

Data in, `go.Figure` out: the numbers come from engine/model.py and engine/training.py, the words from
the page (already translated). Grids of small images (kernels, examples, feature maps) are drawn as one
mosaic heatmap each, the images side by side with a one-cell gap: one trace, one colour scale, so the
figure stays small and fast to send every few hundred milliseconds while the network trains.
"""

from __future__ import annotations

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
EXAMPLE_COLUMNS = 8


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
    row_titles: tuple[str, ...]  # the input row, then two rows per conv block (activation, pooled)
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
) -> go.Figure:
    """Loss (left) and accuracy (right) against epochs, training set vs held-out set.

    Args:
        at: where each evaluation happened, in epochs.
        train, test: (losses, accuracies) at those points, accuracies as fractions.
        batch_loss: the loss of every mini-batch so far (drawn faint behind the loss curves).
        batches_per_epoch, epochs: fix the x axis to the whole run, so the curves grow into a fixed frame.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels.loss_title, labels.accuracy_title),
                        horizontal_spacing=0.08)  # fmt: skip
    batch_x = (np.arange(len(batch_loss)) + 1) / batches_per_epoch
    size = font_size(presentation)
    marker = dict(size=7 if presentation else 5)
    width = 3.5 if presentation else 2.5
    fig.add_trace(go.Scatter(x=batch_x, y=list(batch_loss), name=labels.batch, mode="lines",
                             line=dict(color=BATCH_COLOR, width=1)), 1, 1)  # fmt: skip
    for col, k in ((1, 0), (2, 1)):
        for name, series, color, dash in ((labels.train, train, TRAIN_COLOR, "solid"),
                                          (labels.test, test, TEST_COLOR, "dash")):  # fmt: skip
            fig.add_trace(go.Scatter(x=list(at), y=list(series[k]), name=name, mode="lines+markers",
                                     line=dict(color=color, width=width, dash=dash), marker=marker,
                                     legendgroup=name, showlegend=col == 1), 1, col)  # fmt: skip
    fig.update_xaxes(range=[0, epochs], title_text=labels.epoch_axis, dtick=_epoch_ticks(epochs))
    top = max([*batch_loss, *train[0], *test[0], 0.1])
    fig.update_yaxes(range=[0, top * 1.05], row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    style_figure(fig, presentation=presentation, height=430 if presentation else 360)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0, font=dict(size=size)),
                      margin=dict(t=90))  # fmt: skip
    return fig


def _epoch_ticks(epochs: int) -> int:
    """A tick every epoch for short runs, fewer for long ones."""
    return 1 if epochs <= 12 else (2 if epochs <= 24 else 5)


def kernels_figure(
    w: np.ndarray, title: str, colorbar_title: str, *, kernel_label: str = "", presentation: bool = False
) -> go.Figure:
    """The kernels of a conv layer side by side, on one diverging scale (white = 0, red +, blue −).

    Args:
        w: kernels (F, C, K, K); channel 0 of each is drawn (the inputs here are grayscale, C = 1).
        kernel_label: a word put before each kernel's number ("Kernel" → "Kernel 1", …).
    """
    kernels = np.asarray(w)[:, 0]
    F, K = kernels.shape[0], kernels.shape[1]
    mosaic = _mosaic(list(kernels), 1, F)
    limits = symmetric_limits(kernels)
    text = np.where(
        np.isnan(mosaic), "", np.char.replace(np.char.mod("%.1f", np.nan_to_num(mosaic)), "-", "−")
    )
    trace = go.Heatmap(z=mosaic, zmin=limits[0], zmax=limits[1], colorscale=DIVERGING,
                       text=text if K <= 4 else None, texttemplate="%{text}" if K <= 4 else None,
                       textfont=dict(size=font_size(presentation) - 3),
                       colorbar=colorbar(colorbar_title, presentation), hoverongaps=False,
                       hovertemplate="%{z:.3f}<extra></extra>")  # fmt: skip
    fig = go.Figure(trace)
    notes = [_note(f"{kernel_label} {f + 1}".strip(), f * (K + GAP_CELLS) + (K - 1) / 2, K - 0.3, presentation)
             for f in range(F)]  # fmt: skip
    _mosaic_axes(fig)
    style_figure(
        fig, presentation=presentation, height=_mosaic_height(K, F * (K + 1), presentation), title=title
    )
    fig.update_layout(annotations=notes, margin=dict(b=40))
    return fig


def gradients_figure(
    grad_rms: Sequence[Sequence[float]],
    batches_per_epoch: int,
    epochs: int,
    labels: GradientLabels,
    *,
    presentation: bool = False,
) -> go.Figure:
    """The size (RMS) of each parameter's gradient at every mini-batch, on a log scale.

    Args:
        grad_rms: (n_batches, n_params): one row per trained batch, columns in param_names order.
    """
    fig = go.Figure()
    values = np.asarray(grad_rms, dtype=np.float64).reshape(-1, len(labels.names))
    x = (np.arange(values.shape[0]) + 1) / batches_per_epoch
    for p, name in enumerate(labels.names):
        # Weights solid, biases dotted; one colour per layer (a layer has a weight and a bias: p // 2).
        line = dict(color=LAYER_COLORS[p // 2 % len(LAYER_COLORS)], width=2.5 if presentation else 1.8,
                    dash="solid" if p % 2 == 0 else "dot")  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=np.maximum(values[:, p], 1e-12), name=name, mode="lines", line=line))
    fig.update_xaxes(range=[0, epochs], title_text=labels.epoch_axis, dtick=_epoch_ticks(epochs))
    fig.update_yaxes(type="log", title_text=labels.value_axis, exponentformat="power")
    style_figure(fig, presentation=presentation, height=400 if presentation else 340, title=labels.title)
    fig.update_layout(legend=dict(font=dict(size=font_size(presentation) - 2)))
    return fig


def confusion_figure(
    counts: np.ndarray, class_names: Sequence[str], labels: MatrixLabels, *, presentation: bool = False
) -> go.Figure:
    """The confusion matrix: row = true class, column = predicted class; each cell's count written in it.

    The colour is the share of the row (of the true class's images), so a mistake stands out whatever
    the class's size; the diagonal holds the correct predictions.
    """
    counts = np.asarray(counts)
    rows = np.maximum(counts.sum(axis=1, keepdims=True), 1)
    names = list(class_names)
    fig = go.Figure(go.Heatmap(z=counts / rows, x=names, y=names, zmin=0, zmax=1, colorscale=WHITE_TO_BLUE,
                               text=counts, texttemplate="%{text}", textfont=dict(size=font_size(presentation)),
                               colorbar=colorbar(labels.colorbar, presentation, tickformat=".0%"),
                               hovertemplate=f"{labels.true_axis} %{{y}} → {labels.predicted_axis} %{{x}}"
                                             "<br>%{text}<extra></extra>"))  # fmt: skip
    fig.update_xaxes(title_text=labels.predicted_axis, side="top", type="category", showgrid=False)
    fig.update_yaxes(title_text=labels.true_axis, autorange="reversed", type="category", showgrid=False,
                     scaleanchor="x", constrain="domain")  # fmt: skip
    style_figure(fig, presentation=presentation, height=560 if presentation else 460, title=labels.title)
    return fig


def examples_figure(
    images: np.ndarray, captions: Sequence[str], title: str, *, presentation: bool = False
) -> go.Figure:
    """A grid of small grayscale images (white ink on black) with a caption under each.

    Args:
        images: (n, H, W) in [0, 1]; at most a few dozen.
        captions: one per image (e.g. "3 → 8").
    """
    images = np.asarray(images, dtype=np.float64)
    n, H, W = images.shape
    cols = min(EXAMPLE_COLUMNS, max(n, 1))
    rows = max(1, -(-n // cols))
    row_gap = 3  # room under each image for its caption
    mosaic = _mosaic(list(images), rows, cols, row_gap=row_gap)
    fig = go.Figure(go.Heatmap(z=mosaic, zmin=0, zmax=1, colorscale=GRAYS, showscale=False, hoverongaps=False,
                               hovertemplate="%{z:.2f}<extra></extra>"))  # fmt: skip
    notes = [_note(caption, (k % cols) * (W + GAP_CELLS) + (W - 1) / 2,
                   (k // cols) * (H + row_gap) + H + 0.2, presentation, yanchor="top")
             for k, caption in enumerate(captions)]  # fmt: skip
    _mosaic_axes(fig)
    height = _mosaic_height(rows * (H + row_gap), cols * (W + GAP_CELLS), presentation, width_px=900)
    style_figure(fig, presentation=presentation, height=height, title=title)
    fig.update_layout(annotations=notes)
    return fig


def feature_maps_figure(
    image: np.ndarray,
    blocks: Sequence[dict[str, np.ndarray]],
    labels: FeatureLabels,
    *,
    presentation: bool = False,
) -> go.Figure:
    """One image through the network: the input, then each block's activation maps and pooled maps.

    Each pooled map is drawn under the activation map it came from, at the same size on screen: each of
    its cells covers the 2 × 2 window it is the maximum (or mean) of.

    Args:
        image: (H, W) input.
        blocks: from `engine.model.feature_maps`: per block {"a": (F, H, W), "pooled": (F, H/2, W/2)}.
        labels: one row title per row (1 + 2 per block), and the colour bar's title.
    """
    rows = [[np.asarray(image)]]
    for block in blocks:
        rows += [list(block["a"]), list(block["pooled"])]
    fig = make_subplots(rows=len(rows), cols=1, subplot_titles=labels.row_titles[: len(rows)],
                        vertical_spacing=0.09)  # fmt: skip
    unit = image.shape[1]  # every row is drawn in input cells: a 4 × 4 map under an 8 × 8 one takes its width
    widest = max(len(maps) for maps in rows[1:]) if len(rows) > 1 else 1
    limits = symmetric_limits(*[m for row in rows[1:] for m in row]) if len(rows) > 1 else (-1, 1)
    signed = any(is_signed(m) for row in rows[1:] for m in row)
    for r, maps in enumerate(rows, start=1):
        scale = unit / maps[0].shape[1]
        mosaic = _mosaic(maps, 1, len(maps), gap=GAP_CELLS / scale)
        fig.add_trace(_feature_trace(mosaic, scale, r == 1, signed, limits, labels.colorbar, presentation),
                      row=r, col=1)  # fmt: skip
        fig.update_xaxes(range=[-0.5, widest * (unit + GAP_CELLS) - 0.5], row=r, col=1)
    _mosaic_axes(fig)
    style_figure(fig, presentation=presentation, height=len(rows) * (170 if presentation else 140) + 60)
    return fig


def _feature_trace(mosaic, scale, is_input, signed, limits, colorbar_title, presentation) -> go.Heatmap:
    """A mosaic row of the feature-map figure; `scale` input cells per map cell."""
    common = dict(z=mosaic, x0=(scale - 1) / 2, dx=scale, y0=(scale - 1) / 2, dy=scale, hoverongaps=False,
                  hovertemplate="%{z:.3f}<extra></extra>")  # fmt: skip
    if is_input:
        return go.Heatmap(**common, zmin=0, zmax=1, colorscale=GRAYS, showscale=False)
    if signed:
        return go.Heatmap(**common, zmin=limits[0], zmax=limits[1], colorscale=DIVERGING,
                          colorbar=colorbar(colorbar_title, presentation, len=0.7, y=0.35))  # fmt: skip
    return go.Heatmap(**common, zmin=0, zmax=limits[1], colorscale=GRAYS,
                      colorbar=colorbar(colorbar_title, presentation, len=0.7, y=0.35))  # fmt: skip


def probabilities_figure(
    p: np.ndarray, class_names: Sequence[str], title: str, axis_title: str, *, presentation: bool = False
) -> go.Figure:
    """The class probabilities softmax(logits) as bars; the predicted class in vermillion, its share written."""
    p = np.asarray(p, dtype=np.float64)
    winner = int(np.argmax(p))
    colors = [VERMILLION if k == winner else SKY_BLUE for k in range(p.size)]
    text = [f"{v:.0%}" if v >= 0.005 else "" for v in p]
    fig = go.Figure(go.Bar(x=list(class_names), y=p, marker_color=colors, text=text, textposition="outside",
                           textfont=dict(size=font_size(presentation)), cliponaxis=False,
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))  # fmt: skip
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%", title_text=axis_title)
    fig.update_xaxes(type="category")
    style_figure(fig, presentation=presentation, height=380 if presentation else 320, title=title)
    return fig


def _mosaic(images: list[np.ndarray], rows: int, cols: int, row_gap: int = GAP_CELLS, gap: float = GAP_CELLS):
    """Images of one shape (H, W) laid out rows × cols with NaN gaps between them: one 2-D array."""
    H, W = images[0].shape
    g = max(1, round(gap))
    out = np.full((rows * (H + row_gap) - row_gap, cols * (W + g) - g), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, cols)
        out[r * (H + row_gap) : r * (H + row_gap) + H, c * (W + g) : c * (W + g) + W] = image
    return out


def _mosaic_axes(fig: go.Figure) -> None:
    """Image-like axes: no ticks or grid, row 0 on top, square cells."""
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, autorange="reversed",
                     scaleanchor="x", constrain="domain")  # fmt: skip
    for k, axis in enumerate(a for a in fig.layout if a.startswith("yaxis")):
        fig.layout[axis].scaleanchor = "x" if k == 0 else f"x{k + 1}"


def _mosaic_height(cells_high: int, cells_wide: int, presentation: bool, width_px: int = 800) -> int:
    """A figure height that shows square cells of a mosaic at a readable size, within sensible bounds."""
    cell_px = min(width_px / max(cells_wide, 1), 60 if presentation else 46)
    return int(min(max(cells_high * cell_px + 110, 200), 900))


def _note(text: str, x: float, y: float, presentation: bool, yanchor: str = "top") -> dict:
    """A caption in data coordinates (under an image of a mosaic)."""
    return dict(text=text, x=x, y=y, xref="x", yref="y", showarrow=False, yanchor=yanchor,
                font=dict(size=font_size(presentation) - 1))  # fmt: skip
