"""Figures of the training page (viz/train_curves.py, viz/train_pictures.py): what each shows, its words,
and that it serialises."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from viz.theme import DIVERGING, VERMILLION, font_size
from viz.train_curves import CurveLabels, GradientLabels, curves_figure, gradients_figure
from viz.train_pictures import (
    FeatureLabels,
    MatrixLabels,
    confusion_figure,
    examples_figure,
    feature_maps_figure,
    input_figure,
    kernels_figure,
    probabilities_figure,
)

CURVES = CurveLabels("Loss", "Accuracy", "epoch", "train", "held out", "batch")


def _sent(spec) -> dict:
    """The figure as the browser gets it (plain JSON)."""
    return json.loads(pio.to_json(spec, validate=False))


def test_curves_show_both_sets_in_a_fixed_frame() -> None:
    at = (0.0, 0.25, 0.5)
    spec = _sent(
        curves_figure(
            at,
            ((2.3, 1.0, 0.5), (0.1, 0.6, 0.8)),
            ((2.2, 1.1, 0.6), (0.12, 0.55, 0.75)),
            [2.0, 1.5, 1.2, 0.9, 0.7, 0.6],
            12,
            5,
            CURVES,
        )
    )
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["batch", "train", "held out", "train", "held out"]
    assert spec["data"][1]["y"] == [2.3, 1.0, 0.5] and spec["data"][4]["y"] == [0.12, 0.55, 0.75]
    assert spec["data"][0]["x"][0] == pytest.approx(1 / 12)  # batch k ends at (k + 1) / batches_per_epoch
    layout = spec["layout"]
    assert layout["xaxis"]["range"] == [0, 5] and layout["xaxis2"]["range"] == [0, 5]
    assert layout["yaxis2"]["tickformat"] == ".0%"
    assert [a["text"] for a in layout["annotations"]] == ["Loss", "Accuracy"]
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"  # the theme's white template


def test_curves_with_one_point_and_no_batches_yet() -> None:
    spec = _sent(curves_figure((0.0,), ((2.3,), (0.1,)), ((2.3,), (0.1,)), [], 45, 8, CURVES))
    assert spec["data"][0]["x"] == [] and spec["data"][1]["x"] == [0.0]


@pytest.mark.parametrize(("F", "K", "rows"), [(8, 3, 2), (3, 5, 1), (5, 4, 2), (1, 3, 1)])
def test_kernels_grid_on_a_symmetric_diverging_scale(
    F: int, K: int, rows: int, rng: np.random.Generator
) -> None:
    w = rng.normal(size=(F, 1, K, K))
    spec = _sent(kernels_figure(w, "Kernels", "weight", kernel_label="kernel"))
    (trace,) = spec["data"]
    z = trace["z"]
    cols = -(-F // rows)
    assert len(z) == rows * (K + 2) - 2 and len(z[0]) == cols * (K + 1) - 1
    assert z[0][0] == pytest.approx(w[0, 0, 0, 0])
    if F > 1:
        assert z[0][K] is None  # the gap between two kernels is empty
    assert trace["zmin"] == -trace["zmax"] == pytest.approx(-np.abs(w).max())
    assert trace["colorscale"] == [list(stop) for stop in DIVERGING]
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert notes == [f"kernel {f + 1}" for f in range(F)]


def test_gradient_sizes_on_a_log_scale_one_line_per_parameter() -> None:
    labels = GradientLabels(
        "Gradients", "epoch", "RMS", ("conv 1 weights", "conv 1 biases", "dense weights", "dense biases")
    )
    rms = np.full((16, 4), 0.1)
    rms[:, 3] = 0.0  # a gradient that is exactly 0 still plots (clipped to a tiny positive value)
    spec = _sent(gradients_figure(rms, 8, 3, labels))
    assert [trace["name"] for trace in spec["data"]] == list(labels.names)
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert spec["layout"]["xaxis"]["range"] == [0, 3]
    assert spec["data"][0]["y"] == pytest.approx([0.1] * 16)  # the moving average of a constant
    assert min(spec["data"][3]["y"]) > 0
    assert spec["data"][0]["line"]["dash"] == "solid" and spec["data"][1]["line"]["dash"] == "dot"
    assert spec["data"][0]["line"]["color"] == spec["data"][1]["line"]["color"]  # one colour per layer


def test_gradient_sizes_are_averaged_over_the_last_few_batches() -> None:
    labels = GradientLabels("g", "epoch", "RMS", ("w",))
    rms = np.array([[1.0], [3.0], [5.0], [7.0]])
    spec = _sent(gradients_figure(rms, 16, 1, labels))  # window: 16 // 8 = 2 batches
    assert spec["data"][0]["y"] == pytest.approx([1.0, 2.0, 4.0, 6.0])


def test_confusion_matrix_writes_counts_and_colours_row_shares() -> None:
    counts = np.array([[8, 2, 0], [0, 5, 0], [1, 0, 9]])
    fig = confusion_figure(counts, ["a", "b", "c"], MatrixLabels("Confusion", "predicted", "true", "share"))
    assert isinstance(fig, go.Figure)
    (trace,) = fig.data
    np.testing.assert_allclose(trace.z[0], [0.8, 0.2, 0.0])
    assert trace.text[0].tolist() == ["8", "2", ""]  # zeros left blank
    assert list(trace.x) == ["a", "b", "c"]
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.xaxis.title.text == "predicted"


def test_examples_grid_has_a_caption_under_each_image(rng: np.random.Generator) -> None:
    images = rng.random((8, 8, 8))
    fig = examples_figure(images, [f"{k} → {k + 1}" for k in range(8)], "Mistakes")
    z = np.array(fig.data[0].z, dtype=float)
    gap = z.shape[0] - 2 * 8  # two rows of six images, empty rows between them for the captions
    assert z.shape[1] == 6 * 9 - 1 and gap >= 3
    np.testing.assert_allclose(z[:8, :8], images[0])
    np.testing.assert_allclose(z[8 + gap :, :8], images[6])
    assert np.isnan(z[8 : 8 + gap]).all()
    assert [a.text for a in fig.layout.annotations] == [f"{k} → {k + 1}" for k in range(8)]


def test_feature_maps_line_up_pooled_maps_under_their_maps(rng: np.random.Generator) -> None:
    blocks = [
        {"a": rng.random((3, 8, 6)), "pooled": rng.random((3, 4, 3))},
        {"a": rng.random((2, 4, 3)), "pooled": rng.random((2, 2, 1))},
    ]
    fig = feature_maps_figure(blocks, FeatureLabels(("conv 1", "pool 1", "conv 2", "pool 2"), "value"))
    assert [a.text for a in fig.layout.annotations] == ["conv 1", "pool 1", "conv 2", "pool 2"]
    first, pooled = (np.array(trace.z, dtype=float) for trace in fig.data[:2])
    assert first.shape == pooled.shape == (8, 3 * 7 - 1)
    # Each pooled cell covers the 2 × 2 cells of the map it pooled.
    np.testing.assert_allclose(pooled[:2, :2], blocks[0]["pooled"][0, 0, 0])
    assert fig.data[0].colorscale[0][1] == "#000000"  # non-negative maps: gray


def test_signed_feature_maps_use_the_diverging_scale(rng: np.random.Generator) -> None:
    blocks = [{"a": rng.normal(size=(2, 4, 4)), "pooled": rng.normal(size=(2, 2, 2))}]
    fig = feature_maps_figure(blocks, FeatureLabels(("a", "p"), "value"))
    assert fig.data[0].zmin == -fig.data[0].zmax


def test_probabilities_highlight_the_winner() -> None:
    p = np.array([0.05, 0.8, 0.15])
    fig = probabilities_figure(p, ["x", "y", "z"], "Probabilities", "probability")
    bar = fig.data[0]
    assert bar.marker.color[1] == VERMILLION and bar.marker.color[0] != VERMILLION
    assert list(bar.text) == ["5%", "80%", "15%"]
    assert fig.layout.yaxis.tickformat == ".0%"


def test_presentation_mode_enlarges_the_type(rng: np.random.Generator) -> None:
    image = rng.random((8, 8))
    small, big = (input_figure(image, "Input", presentation=p) for p in (False, True))
    assert big.layout.font.size == font_size(True) > small.layout.font.size == font_size(False)
    spec = _sent(kernels_figure(rng.normal(size=(2, 1, 3, 3)), "k", "w", presentation=True))
    assert spec["layout"]["font"]["size"] == font_size(True)
