"""The activation figures show the engine's numbers: curves, the six maps, the counts and the LaTeX."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.activation_views import Z_RANGE, run_activation
from engine.activations import ACTIVATIONS, activation_derivative, activation_forward
from engine.presets import kernel_preset
from tests.plotly_spec import decode
from viz.activations import (
    CurveLabels,
    MapLabels,
    cell_latex,
    curves_figure,
    general_latex,
    highlight_cell,
    maps_figure,
    mark_z,
)
from viz.animation import figure_spec

CURVE_LABELS = CurveLabels({k: k for k in ACTIVATIONS}, "σ(z)", "σ'(z)", "share", "cell", "z", "value")
MAP_LABELS = MapLabels(("X", "Z", "A", "dA", "slope", "dZ"), ("x", "z", "a", "da", "s", "dz"))


@pytest.fixture
def image(rng) -> np.ndarray:
    return rng.random((9, 13))  # non-square


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
