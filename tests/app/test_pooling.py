"""The pooling page under AppTest: every setting runs without exception and shows the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine.pool import pool2d_backward, pool2d_forward
from engine.pool_trace import upstream_gradient
from tests.app.conftest import formulas, run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.pooling.controls import PRESET_MAP
from viz.pooling import FORWARD_OUTPUT, ROUTING_DX


def animations(at) -> tuple[dict, dict]:
    forward, routing = (spec_of(chart.proto.spec) for chart in at.get("plotly_chart"))
    return forward, routing


def last_frame(spec: dict) -> np.ndarray:
    return decode(spec["frames"][-1]["data"][0]["z"])


def test_default_page_shows_the_engines_pooling_of_the_example():
    at = run_script("pooling")
    assert not at.exception and not at.error
    forward, routing = animations(at)
    y, cache = pool2d_forward(PRESET_MAP[None, None], 2, 2, "max")
    dy = upstream_gradient("random", (3, 4), seed=2)
    dx = pool2d_backward(dy[None, None], cache)
    assert len(forward["frames"]) == len(routing["frames"]) == 12
    np.testing.assert_array_equal(last_frame(forward), y[0, 0].astype(np.float32))
    np.testing.assert_array_equal(last_frame(routing), dx[0, 0].astype(np.float32))
    np.testing.assert_array_equal(decode(routing["data"][0]["z"]), dy)
    window = r"\max \begin{bmatrix} 4 & 4 \\ -1 & 3 \end{bmatrix} = 4"
    assert any(window in formula for formula in formulas(at))
    assert any("row-major" in info.value for info in at.info)


def test_page_runs_through_the_app_navigation():
    at = run_page("pooling")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2


EDGE_SETTINGS = {
    "window = input": {"pooling.source": "random", "pooling.rows": 5, "pooling.cols": 5, "pooling.size": 5},
    "stride 1 overlap": {"pooling.size": 3, "pooling.stride": 1},
    "padding": {"pooling.size": 3, "pooling.padding": 1},
    "average with padding": {
        "pooling.mode": "avg",
        "pooling.size": 4,
        "pooling.stride": 1,
        "pooling.padding": 2,
    },
    "stride > window": {"pooling.size": 2, "pooling.stride": 5},
    "1x1 window": {"pooling.size": 1, "pooling.stride": 1},
    "all ones": {"pooling.upstream": "ones"},
    "image": {"pooling.source": "image", "pooling.sample": "checkerboard", "pooling.sample_size": 16},
    "tiny random": {"pooling.source": "random", "pooling.rows": 1, "pooling.cols": 3, "pooling.size": 1},
}


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state):
    at = run_script("pooling", state)
    assert not at.exception and not at.error
    forward, routing = animations(at)
    assert len(forward["frames"]) == len(routing["frames"]) >= 1
    assert forward["frames"][0]["traces"] == [FORWARD_OUTPUT] and routing["frames"][0]["traces"] == [
        ROUTING_DX
    ]


def test_window_equal_to_the_input_gives_one_output_cell():
    at = run_script("pooling", EDGE_SETTINGS["window = input"])
    forward, _ = animations(at)
    assert len(forward["frames"]) == 1
    x = np.random.default_rng(0).integers(-9, 10, size=(5, 5))
    assert last_frame(forward).item() == x.max()


INVALID = {
    "window bigger than the map": ({"pooling.size": 8}, "bigger than the padded input"),
    "padding over half the window": ({"pooling.size": 2, "pooling.padding": 2}, "at most half the window"),
}


@pytest.mark.parametrize(("state", "words"), INVALID.values(), ids=INVALID.keys())
def test_settings_that_do_not_fit_show_a_sentence_and_keep_the_last_good_figures(state, words):
    at = run_script("pooling")
    good = animations(at)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    assert animations(at) == good


def test_changing_the_mode_changes_the_result():
    at = run_script("pooling")
    max_output = last_frame(animations(at)[0])
    at.radio(key="pooling.mode").set_value("avg").run()
    assert not at.exception
    avg_output = last_frame(animations(at)[0])
    y, _ = pool2d_forward(PRESET_MAP[None, None], 2, 2, "avg")
    np.testing.assert_allclose(avg_output, y[0, 0].astype(np.float32))
    assert not np.array_equal(max_output, avg_output)


def test_the_chosen_output_cell_is_clamped_when_the_output_shrinks():
    at = run_script("pooling")
    at.number_input(key="pooling.cell_0").set_value(2).run()
    at.number_input(key="pooling.cell_1").set_value(3).run()
    assert any("y_{2,3}" in formula for formula in formulas(at))
    at.slider(key="pooling.size").set_value(6).run()  # 6 × 8 with a 6 × 6 window, stride 2: output 1 × 2
    assert not at.exception and not at.error
    assert any("y_{0,1}" in formula for formula in formulas(at))


def test_a_rerun_with_nothing_changed_sends_the_same_figures():
    at = run_script("pooling")
    first = animations(at)
    at.run()
    assert animations(at) == first
