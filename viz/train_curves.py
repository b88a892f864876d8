"""Figures of the training run, redrawn several times a second while the network trains: the learning
curves (loss and accuracy, training set vs held-out set) and the size of each parameter's gradient.

Data in, figure out: the numbers come from engine/training.py, the words from the page (already
translated). Both figures are JSON-ready specs: their layout is built and validated once and cached, each
redraw only makes the traces, in a few milliseconds instead of Plotly's ~100 ms of validation. The
pictures of the model (kernels, feature maps, examples, confusion matrix) are in viz/train_pictures.py.
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
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
    font_size,
    style_figure,
)

TRAIN_COLOR = BLUE
TEST_COLOR = VERMILLION
BATCH_COLOR = "rgba(153, 153, 153, 0.45)"  # every mini-batch's loss: noisy, so faint
LAYER_COLORS: tuple[str, ...] = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, YELLOW, GREY)
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
