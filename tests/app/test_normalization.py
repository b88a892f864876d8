"""The normalization page under AppTest: batch norm's numbers come from the engine and pass their check,
edge sizes run, and the controls change what is shown."""

from __future__ import annotations

import numpy as np
import pytest

from engine.norm import batchnorm_forward
from engine.norm_views import run_normalization
from tests.app.conftest import run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.normalization.controls import NormParams


def charts(at) -> list[dict]:
    return [spec_of(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_default_page_shows_the_engines_batch_norm():
    at = run_script("normalization")
    assert not at.exception and not at.error
    specs = charts(at)
    assert len(specs) == 5  # batch norm forward and backward, split, concatenation forward and backward
    run = run_normalization(**NormParams()._asdict())
    forward = specs[0]["data"]
    N, C = run.x.shape[:2]
    assert len(forward) == N * 3 * C  # x, x̂ and y for every example and channel
    y, _ = batchnorm_forward(run.x, run.gamma, run.beta, 1e-5)
    np.testing.assert_allclose(decode(forward[2 * C]["z"]), y[0, 0], rtol=1e-12)  # first row, y of channel 1
    assert all(m.value.endswith("✓") for m in at.metric)
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    header, _, *rows = table.splitlines()
    mu = header.strip("|").split("|").index(" μ ")
    shown = [float(row.strip("|").split("|")[mu].replace("−", "-")) for row in rows]
    np.testing.assert_allclose(shown, run.mean, rtol=1e-3)  # 4 significant digits


def test_runs_inside_the_app_too():
    at = run_page("normalization")
    assert not at.exception and not at.error


@pytest.mark.parametrize(
    "state",
    [
        {"normalization.N": 6, "normalization.C": 3, "normalization.H": 4, "normalization.W": 2},
        {"normalization.gamma.0": 0.0, "normalization.beta.1": 5.0},
        {"normalization.C1": 3, "normalization.C2": 3},
        {"normalization.entry.0": 4, "normalization.entry.1": 2, "normalization.entry.2": 3},
    ],
    ids=["largest", "zero gamma", "wide concat", "other entry"],
)
def test_edge_settings_run_without_exception(state):
    at = run_script("normalization", state)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) == 5


def test_one_value_per_channel_is_refused_with_a_sentence_and_the_last_picture_kept():
    # N = H = W = 1: x̂ = 0 / √ε, y = β whatever x is and dx = 0; PyTorch refuses it, so does the engine.
    at = run_script("normalization")
    before = charts(at)[0]["data"][0]["z"]
    for name in ("N", "H", "W"):
        at.slider(key=f"normalization.{name}").set_value(1)
    at.run()
    assert not at.exception
    assert any("more than one value per channel" in e.value for e in at.error)
    assert len(at.get("plotly_chart")) == 5
    assert charts(at)[0]["data"][0]["z"] == before


def test_seed_and_gamma_change_the_result():
    at = run_script("normalization")
    before = charts(at)[0]["data"][0]["z"]
    at.number_input(key="normalization.seed").set_value(7).run()
    assert charts(at)[0]["data"][0]["z"] != before
    latex = " ".join(element.value for element in at.latex)
    at.number_input(key="normalization.gamma.0").set_value(3.0).run()
    assert not at.exception
    assert " ".join(element.value for element in at.latex) != latex


def test_split_gradient_is_the_sum_of_the_branches():
    at = run_script("normalization")
    split = charts(at)[2]["data"]
    dx, g1, g2 = (decode(split[k]["z"]) for k in (3, 4, 5))
    np.testing.assert_allclose(dx, g1 + g2)


def test_concat_channels_follow_the_sliders():
    at = run_script("normalization")
    at.slider(key="normalization.C1").set_value(1).run()
    at.slider(key="normalization.C2").set_value(3).run()
    assert not at.exception
    forward = charts(at)[3]["data"]
    assert len(forward) == 2 * 4  # a (1) and b (3) channels, then y (4)
    np.testing.assert_allclose(
        decode(forward[1]["z"]), decode(forward[5]["z"])
    )  # b's first channel is y's second
