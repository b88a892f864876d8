"""The activation figures show the engine's numbers: curves, the six maps, the counts and the LaTeX."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.activations import ACTIVATIONS, activation_derivative, activation_forward
from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from tests.plotly_spec import decode
from viz.activations import (
    Z_RANGE,
    CurveLabels,
    MapLabels,
    cell_latex,
    curves_figure,
    derivative_summary,
    general_latex,
    highlight_cell,
    maps_figure,
    mark_z,
    run_activation,
    upstream_gradient,
)
from viz.animation import figure_spec

CURVE_LABELS = CurveLabels({k: k for k in ACTIVATIONS}, "σ(z)", "σ'(z)", "share", "cell", "z", "value")
MAP_LABELS = MapLabels(("X", "Z", "A", "dA", "slope", "dZ"), ("x", "z", "a", "da", "s", "dz"))


@pytest.fixture
def image(rng) -> np.ndarray:
    return rng.random((9, 13))  # non-square


@pytest.mark.parametrize("kind", ACTIVATIONS)
@pytest.mark.parametrize("upstream", ["ones", "random"])
def test_run_holds_the_engines_numbers(image, kind, upstream):
    kernel = kernel_preset("sobel_x", 3)
    run = run_activation(image, kernel, -0.2, kind, upstream, seed=4)
    z, _ = conv2d_forward(
        image[None, None], kernel[None, None], np.array([-0.2]), padding="same", pad_mode="replicate"
    )
    np.testing.assert_array_equal(run.z, z[0, 0])
    np.testing.assert_array_equal(run.a, activation_forward(run.z, kind)[0])
    np.testing.assert_array_equal(run.slope, activation_derivative(run.z, kind))
    np.testing.assert_array_equal(run.dz, run.da * run.slope)
    assert run.z.shape == image.shape


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_the_maps_show_the_six_arrays(image, kind):
    run = run_activation(image, kernel_preset("laplacian", 3), 0.1, kind, "random", seed=1)
    spec = figure_spec(maps_figure(run, MAP_LABELS))
    shown = [decode(trace["z"]) for trace in spec["data"]]
    for got, want in zip(shown, [run.x, run.z, run.a, run.da, run.slope, run.dz], strict=True):
        np.testing.assert_allclose(got, want.astype(np.float32))


def test_signed_maps_are_zero_centred_and_gradients_share_limits(image):
    run = run_activation(image, kernel_preset("sobel_y", 3), 0.0, "sigmoid", "random", seed=2)
    data = figure_spec(maps_figure(run, MAP_LABELS))["data"]
    for trace in data[1:]:
        assert trace["zmin"] == -trace["zmax"]
    assert (
        data[3]["zmax"] == data[5]["zmax"] == pytest.approx(max(np.abs(run.da).max(), np.abs(run.dz).max()))
    )
    assert [trace["colorbar"]["title"]["text"] for trace in data] == list(MAP_LABELS.colorbars)


def test_numbers_are_printed_only_in_small_maps(rng):
    small = run_activation(rng.random((8, 12)), kernel_preset("sobel_x", 3), 0.0, "relu")
    large = run_activation(rng.random((20, 30)), kernel_preset("sobel_x", 3), 0.0, "relu")
    assert figure_spec(maps_figure(small, MAP_LABELS))["data"][1].get("texttemplate")
    assert not figure_spec(maps_figure(large, MAP_LABELS))["data"][1].get("texttemplate")


def test_highlight_outlines_the_cell_in_every_panel(image):
    run = run_activation(image, kernel_preset("sobel_x", 3), 0.0, "relu")
    spec = highlight_cell(figure_spec(maps_figure(run, MAP_LABELS)), (2, 7))
    shapes = spec["layout"]["shapes"]
    assert len(shapes) == 6
    assert {s["xref"] for s in shapes} == {"x", "x2", "x3", "x4", "x5", "x6"}
    assert all((s["x0"], s["x1"], s["y0"], s["y1"]) == (6.5, 7.5, 1.5, 2.5) for s in shapes)


@pytest.mark.parametrize("chosen", ACTIVATIONS)
def test_curves_draw_the_chosen_function_and_its_derivative(chosen):
    spec = figure_spec(curves_figure(CURVE_LABELS, chosen))
    function, derivative = spec["data"][-2], spec["data"][-1]
    z = decode(function["x"])
    assert z[0] == Z_RANGE[0] and z[-1] == Z_RANGE[1]
    np.testing.assert_allclose(decode(function["y"]), activation_forward(z, chosen)[0])
    np.testing.assert_allclose(decode(derivative["y"]), activation_derivative(z, chosen))
    assert derivative["line"]["dash"] == "dash"
    assert len(spec["data"]) == len(ACTIVATIONS) + 1  # the four others faint, the chosen one twice


def test_mark_z_puts_the_cell_on_both_curves():
    spec = mark_z(
        figure_spec(curves_figure(CURVE_LABELS, "sigmoid", z_cells=np.zeros(4))), "sigmoid", 1.5, "c"
    )
    marker = spec["data"][-1]
    s = 1 / (1 + np.exp(-1.5))
    np.testing.assert_allclose(marker["y"], [s, s * (1 - s)])
    assert spec["layout"]["shapes"][-1]["x0"] == 1.5
    assert spec["data"][0]["type"] == "histogram"


def test_marking_a_cell_leaves_the_cached_spec_as_it_was():
    # The page caches one spec for every session (st.cache_resource): marking one session's cell must not
    # draw it into the others'.
    curves = figure_spec(curves_figure(CURVE_LABELS, "tanh", z_cells=np.zeros(4)))
    maps = figure_spec(
        maps_figure(run_activation(np.ones((5, 5)), kernel_preset("identity", 3), 0.0, "tanh"), MAP_LABELS)
    )
    before = json.dumps(curves), json.dumps(maps)
    marked = mark_z(curves, "tanh", 0.5, "c"), highlight_cell(maps, (1, 2))
    assert (json.dumps(curves), json.dumps(maps)) == before
    assert len(marked[0]["data"]) == len(curves["data"]) + 1
    assert len(marked[1]["layout"]["shapes"]) == len(maps["layout"].get("shapes", [])) + 6


def test_mark_z_clips_the_line_but_not_the_point():
    spec = mark_z(figure_spec(curves_figure(CURVE_LABELS, "relu")), "relu", -9.0, "c")
    assert spec["layout"]["shapes"][-1]["x0"] == Z_RANGE[0]
    assert spec["data"][-1]["x"] == [-9.0, -9.0]


def test_dead_relu_cells_are_counted():
    run = run_activation(np.zeros((4, 6)), kernel_preset("identity", 3), 0.0, "relu")
    assert derivative_summary(run) == (24, 0, 24)  # Z = 0 everywhere: ReLU'(0) = 0
    run = run_activation(np.ones((4, 6)), kernel_preset("identity", 3), -1.5, "leaky_relu")
    assert derivative_summary(run) == (0, 24, 24)  # σ' = α = 0.01 < SATURATION
    run = run_activation(np.ones((4, 6)), kernel_preset("identity", 3), 0.0, "tanh")
    assert derivative_summary(run) == (0, 0, 24)


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_cell_latex_substitutes_the_cells_numbers(image, kind):
    run = run_activation(image, kernel_preset("sobel_x", 3), 0.25, kind, "random", seed=3)
    lines = cell_latex(run, 4, 11)
    assert len(lines) == 4
    assert f"= {run.z[4, 11]:.4g}" in lines[0] and "+ 0.25" in lines[0]
    assert lines[1].endswith(f"= {run.a[4, 11]:.4g}") or lines[1].endswith(f"{run.a[4, 11]:.4g}")
    assert lines[3].endswith(f"= {run.dz[4, 11]:.4g}") or run.dz[4, 11] in (0, 1)
    assert all(line.count("{") == line.count("}") for line in lines)


def test_cell_latex_of_a_dead_relu_cell():
    run = run_activation(np.zeros((3, 5)), kernel_preset("identity", 3), -1.0, "relu")
    lines = cell_latex(run, 1, 2)
    assert r"\max(0, -1) = 0" in lines[1]
    assert r"0 \quad (-1 \le 0)" in lines[2]
    assert lines[3].endswith(r"= 1 \cdot 0 = 0")


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_general_latex(kind):
    function, derivative = general_latex(kind)
    assert function.startswith(r"\sigma(z)") and derivative.startswith(r"\sigma'(z)")


def test_upstream_gradient():
    np.testing.assert_array_equal(upstream_gradient("ones", (2, 3)), np.ones((2, 3)))
    np.testing.assert_array_equal(
        upstream_gradient("random", (2, 3), 5), upstream_gradient("random", (2, 3), 5)
    )
    with pytest.raises(ValueError, match="upstream gradient"):
        upstream_gradient("twos", (2, 3))


def test_an_unknown_activation_raises_a_sentence(image):
    with pytest.raises(ValueError, match="activation must be one of"):
        run_activation(image, kernel_preset("sobel_x", 3), 0.0, "softplus")


@settings(max_examples=30, deadline=None)
@given(
    x=arrays(np.float64, st.tuples(st.integers(1, 7), st.integers(1, 7)), elements=st.floats(0, 1)),
    bias=st.floats(-2, 2),
    kind=st.sampled_from(ACTIVATIONS),
)
def test_property_the_gradient_never_grows_for_these_activations(x, bias, kind):
    run = run_activation(x, kernel_preset("sobel_x", 3), bias, kind, "random", seed=0)
    # Every σ' here lies in [0, 1]: the backward pass can only keep or shrink each cell's gradient.
    assert np.all(np.abs(run.dz) <= np.abs(run.da) + 1e-12)
    assert sum(derivative_summary(run)[:2]) <= x.size
