"""The activations page under AppTest: every activation and setting runs and shows the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, activation_derivative, activation_forward
from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from engine.samples import load_sample
from tests.app.conftest import run_page, run_script
from tests.plotly_spec import decode, spec_of


def figures(at) -> tuple[dict, dict]:
    curves, maps = (spec_of(chart.proto.spec) for chart in at.get("plotly_chart"))
    return curves, maps


def shown_maps(at) -> list[np.ndarray]:
    return [decode(trace["z"]) for trace in figures(at)[1]["data"]]


def engine_z(sample: str, size: int, kernel: str, bias: float) -> np.ndarray:
    x = load_sample(sample, size=size)[0]
    z, _ = conv2d_forward(
        x[None, None],
        kernel_preset(kernel, 3)[None, None],
        np.array([bias]),
        padding="same",
        pad_mode="replicate",
    )
    return z[0, 0]


def test_default_page_shows_the_engines_maps_and_counts_dead_cells():
    at = run_script("activations")
    assert not at.exception and not at.error
    x, z, a, da, slope, dz = shown_maps(at)
    want = engine_z("cat", 48, "sobel_x", 0.0)
    np.testing.assert_allclose(x, load_sample("cat", size=48)[0].astype(np.float32))
    np.testing.assert_allclose(z, want.astype(np.float32))
    np.testing.assert_allclose(a, np.maximum(want, 0).astype(np.float32))
    np.testing.assert_array_equal(slope, (want > 0).astype(np.float32))
    np.testing.assert_array_equal(dz, slope * da)
    dead = int((want <= 0).sum())
    assert f"{dead:,} of {want.size:,}" in at.info[0].value
    assert len(at.latex) == 6


def test_page_runs_through_the_app_navigation():
    at = run_page("activations")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_each_activation_shows_its_function_and_slope(kind):
    at = run_script("activations")
    at.radio(key="activations.kind").set_value(kind).run()
    assert not at.exception and not at.error
    _, z, a, _, slope, _ = shown_maps(at)
    want = engine_z("cat", 48, "sobel_x", 0.0)
    np.testing.assert_allclose(z, want.astype(np.float32))
    np.testing.assert_allclose(a, activation_forward(want, kind)[0].astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(slope, activation_derivative(want, kind).astype(np.float32), rtol=1e-6)
    curves, _ = figures(at)
    z_grid = decode(curves["data"][-3]["x"])  # the chosen function, before its derivative and the marker
    np.testing.assert_allclose(decode(curves["data"][-3]["y"]), activation_forward(z_grid, kind)[0])
    assert at.info[0].value


EDGE_SETTINGS = {
    "numbers in cells": {"activations.size": 12, "activations.sample": "digit"},
    "random upstream": {"activations.upstream": "random", "activations.seed": 9999},
    "negative bias": {"activations.bias": -2.0, "activations.kernel": "box_blur"},
    "positive bias, tanh": {"activations.bias": 2.0, "activations.kind": "tanh"},
    "biggest": {"activations.size": 64, "activations.sample": "astronaut", "activations.kernel": "emboss"},
    "corner cell": {"activations.cell_0": 0, "activations.cell_1": 0},
}


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state):
    at = run_script("activations", state)
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 2


def test_a_negative_bias_kills_more_relu_cells():
    at = run_script("activations", {"activations.kernel": "box_blur"})
    none_dead = at.info[0].value
    at.slider(key="activations.bias").set_value(-0.5).run()
    assert not at.exception
    slope = shown_maps(at)[4]
    want = engine_z("cat", 48, "box_blur", -0.5)
    np.testing.assert_array_equal(slope, (want > 0).astype(np.float32))
    assert at.info[0].value != none_dead


def test_the_chosen_cell_is_outlined_and_substituted():
    at = run_script("activations")
    at.number_input(key="activations.cell_0").set_value(3).run()
    at.number_input(key="activations.cell_1").set_value(40).run()
    assert any("Z_{3,40}" in latex.value for latex in at.latex)
    shapes = figures(at)[1]["layout"]["shapes"]
    assert all((s["x0"], s["y0"]) == (39.5, 2.5) for s in shapes)


def test_a_cell_beyond_a_smaller_map_is_clamped():
    at = run_script("activations")
    at.number_input(key="activations.cell_1").set_value(47).run()
    at.select_slider(key="activations.size").set_value(12).run()
    assert not at.exception and not at.error
    assert any("Z_{7,11}" in latex.value for latex in at.latex)  # the cat at 12 px is 8 × 12
