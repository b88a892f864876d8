"""Network diagram, matrix and map figures, and the LaTeX of the dense and normalization pages."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from engine.network import classic_example, random_example, run_network
from viz.network import (
    MAX_LABELLED_EDGES,
    DiagramLabels,
    _label_points,
    delta_latex,
    forward_latex,
    gradient_latex,
    matrices_figure,
    network_figure,
    node_positions,
    unit_name,
    update_latex,
)
from viz.norm import BatchNormEntry, Panel, batchnorm_backward_latex, batchnorm_forward_latex, maps_figure

LABELS = DiagramLabels("title", ("in", "l1", "l2", "l3"), "a", "w", "value")


def _diagram(sizes, rng, values=True):
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in pairwise(sizes)]
    nodes = [rng.normal(size=n) if values else None for n in sizes]
    labels = LABELS._replace(layer_titles=LABELS.layer_titles[: len(sizes)])
    return weights, nodes, network_figure(weights, nodes, labels)


@pytest.mark.parametrize("sizes", [(2, 2, 2), (3, 5), (4, 1, 3, 2), (8, 8, 8, 8, 8)])
def test_one_line_per_edge_and_one_circle_per_unit(sizes, rng):
    weights, nodes, fig = _diagram(sizes, rng)
    assert len(fig.layout.shapes) == sum(w.size for w in weights)
    circles = [trace for trace in fig.data if trace.mode == "markers+text"]
    assert [len(trace.x) for trace in circles] == list(sizes)
    for trace, values in zip(circles, nodes):
        assert list(trace.text) == [f"{v:.3g}".replace("-", "−") for v in values]


def test_edge_colour_and_width_follow_sign_and_magnitude():
    weights = [np.array([[2.0, -2.0, 0.0, 1.0]])]
    fig = network_figure(weights, [np.zeros(4), np.zeros(1)], LABELS._replace(layer_titles=("a", "b")))
    lines = [shape.line for shape in fig.layout.shapes]
    widths = [line.width for line in lines]
    assert widths[0] == widths[1] > widths[3] > widths[2]  # |2| = |−2| > |1| > |0|
    red, blue, white = lines[0].color, lines[1].color, lines[2].color
    assert red != blue
    assert white == "rgb(247, 247, 247)"  # zero is the scale's white centre
    r, _, b = (int(v) for v in red[4:-1].split(","))
    assert r > b  # positive is red
    r, _, b = (int(v) for v in blue[4:-1].split(","))
    assert b > r  # negative is blue


def test_edge_values_are_printed_only_when_they_fit(rng):
    _, _, small = _diagram((3, 4), rng)
    _, _, big = _diagram((5, 4), rng)
    numbers = lambda fig: [a for a in fig.layout.annotations if a.bgcolor]  # noqa: E731
    assert len(numbers(small)) == 12 <= MAX_LABELLED_EDGES
    assert numbers(big) == []
    hover = [trace for trace in big.data if trace.mode == "markers" and trace.text]
    assert sum(len(trace.text) for trace in hover) == 20  # every edge still has its hover


@pytest.mark.parametrize(("n_in", "n_out"), [(2, 2), (4, 3), (3, 4), (1, 4)])
def test_edge_labels_never_share_a_height(n_in, n_out):
    positions = node_positions((n_in, n_out))
    points = _label_points(positions[0], positions[1]).reshape(-1, 2)
    heights = np.sort(points[:, 1])
    assert np.min(np.diff(heights)) >= 1 / (n_out + 1) - 1e-12


def test_layers_without_values_are_drawn_white(rng):
    weights, _, fig = _diagram((2, 3), rng)
    fig = network_figure(weights, [None, rng.normal(size=3)], LABELS._replace(layer_titles=("a", "b")))
    first = next(trace for trace in fig.data if trace.mode == "markers+text")
    assert list(first.marker.color) == ["white", "white"]
    assert list(first.text) == ["", ""]


def test_unit_names():
    assert unit_name("a", 2, 1) == "a²₁"
    assert unit_name("x", 0, 3) == "x₃"
    assert unit_name("δ", 1, 2, html=True) == "δ<sup>1</sup><sub>2</sub>"


def test_matrices_figure_shows_the_numbers_on_a_scale_per_group(rng):
    a, b, g = rng.normal(size=(3, 5)), rng.normal(size=4), 1e-3 * rng.normal(size=(3, 5))
    fig = matrices_figure([("A", a, "w"), ("b", b, "w"), ("dA", g, "g")])
    heatmaps = list(fig.data)
    np.testing.assert_array_equal(np.array(heatmaps[0].z), a)
    np.testing.assert_array_equal(np.array(heatmaps[1].z), b[:, None])
    m = max(np.abs(a).max(), np.abs(b).max())
    assert all(h.zmin == -m and h.zmax == m for h in heatmaps[:2])
    assert heatmaps[2].zmax == pytest.approx(np.abs(g).max())  # a small gradient keeps its own scale
    assert heatmaps[2].text[0][0] == f"{g[0, 0]:.3g}".replace("-", "−")


def test_maps_figure_grid_and_groups(rng):
    x, g = rng.normal(size=(2, 3)), 10 * rng.normal(size=(2, 3))
    fig = maps_figure([[Panel("x", x, "v"), Panel("g", g, "g")], [Panel("", -x, "v"), Panel("", g, "g")]])
    assert len(fig.data) == 4
    assert fig.data[0].zmax == pytest.approx(np.abs(x).max())
    assert fig.data[1].zmax == pytest.approx(np.abs(g).max())
    assert list(fig.data[0].text.ravel()) == [f"{v:.2f}".replace("-", "−") for v in x.ravel()]


def test_classic_example_formulas_show_its_numbers():
    run = run_network(classic_example(), lr=0.5)
    z1, a1 = forward_latex(run, 1, 0)
    assert "0.3775" in z1 and "0.5933" in a1 and r"\sigma" in a1
    assert "0.1385" in delta_latex(run, 2, 0)  # δ of o1 = (0.7514 − 0.01) · 0.1868
    assert r"W^{(3)" not in delta_latex(run, 1, 0) and r"W^{(2)\top}" in delta_latex(run, 1, 0)
    dW, db = gradient_latex(run, 2)
    assert "0.08217" in dW and r"\sum_n" in db
    W, _ = update_latex(run, 2)
    assert "0.3589" in W


def test_batch_formulas_say_one_over_n(rng):
    run = run_network(random_example((2, 3, 2), ("tanh", "sigmoid"), N=3, seed=1))
    assert r"\tfrac{1}{N}" in delta_latex(run, 2, 1)
    assert r"\tfrac{1}{N}" not in delta_latex(run, 1, 1)


def test_batchnorm_latex_shows_the_entry():
    entry = BatchNormEntry(
        1, 0, 2, 1, 36, 0.5, 0.1, 0.25, 1e-5, 0.8, 2.0, -1.0, 0.6, 0.3, 0.6, 1.5, -0.7, 0.123, 4.5, 2.25
    )
    forward = "".join(batchnorm_forward_latex(entry))
    backward = "".join(batchnorm_backward_latex(entry))
    assert "x_{2,1,3,2}" in forward and "0.8" in forward and "m = N H W = 36" in forward
    assert "0.123" in backward and "4.5" in backward and "2.25" in backward
