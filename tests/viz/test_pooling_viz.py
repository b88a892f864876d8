"""The pooling figures show the engine's numbers: frames, the filled output, the routing and the dX."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.pool import pool2d_argmax_positions, pool2d_backward, pool2d_forward
from engine.pool_trace import output_cells, routing_targets, run_pooling, ties
from tests.plotly_spec import decode, json_bytes
from ui.pooling.controls import PRESET_MAP
from viz.pooling import FORWARD_OUTPUT, ROUTING_DX, PoolingLabels, forward_animation, routing_animation
from viz.pooling_tex import cell_latex, forward_step_text, general_latex, routing_step_text

LABELS = PoolingLabels(
    "X", "y", "δ", "dX", "value", "gradient", "cell ", ("slow", "play", "fast"), "pause", "padding"
)
# (H, W, size, stride, padding): non-square maps, overlapping windows, padding, a window as big as the map.
CASES = [
    (6, 8, 2, 2, 0),
    (5, 7, 3, 1, 1),
    (7, 4, 3, 2, 1),
    (4, 9, 2, 3, 0),
    (5, 6, 5, 1, 2),
    (3, 5, 3, 3, 0),
]


def engine_pool(x: np.ndarray, size: int, stride: int, padding: int, mode: str, dy: np.ndarray):
    """The engine's y, dX and (max) winner positions, computed independently of the viz module."""
    y, cache = pool2d_forward(x[None, None], size, stride, mode, padding)
    dx = pool2d_backward(dy[None, None], cache)[0, 0]
    winners = None
    if mode == "max":
        rows, cols = pool2d_argmax_positions(cache)
        winners = rows[0, 0], cols[0, 0]
    return y[0, 0], dx, winners


def grid_origin(trace: dict) -> tuple[float, float]:
    """Figure (x, y) of a heatmap trace's cell (0, 0)."""
    return float(decode(trace["x"])[0]), float(decode(trace["y"])[0])


def arrow(frame: dict) -> dict:
    return next(a for a in frame["layout"]["annotations"] if a.get("showarrow"))


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(("H", "W", "size", "stride", "padding"), CASES)
def test_one_frame_per_output_cell_and_the_last_shows_the_engines_output(
    rng, mode, H, W, size, stride, padding
):
    x = rng.integers(-9, 10, size=(H, W)).astype(float)
    run = run_pooling(x, size, stride, padding, mode, "random", 3)
    y, dx, _ = engine_pool(x, size, stride, padding, mode, run.dy)

    forward = forward_animation(run, LABELS)
    routing = routing_animation(run, LABELS)

    assert len(forward["frames"]) == len(routing["frames"]) == y.size
    last = decode(forward["frames"][-1]["data"][0]["z"])
    np.testing.assert_allclose(last, y.astype(np.float32))
    np.testing.assert_array_equal(decode(routing["frames"][-1]["data"][0]["z"]), dx.astype(np.float32))
    assert forward["frames"][-1]["traces"] == [FORWARD_OUTPUT]
    assert routing["frames"][-1]["traces"] == [ROUTING_DX]


@pytest.mark.parametrize(("H", "W", "size", "stride", "padding"), CASES)
def test_the_output_fills_in_one_cell_a_frame(rng, H, W, size, stride, padding):
    run = run_pooling(rng.normal(size=(H, W)), size, stride, padding, "max")
    frames = forward_animation(run, LABELS)["frames"]
    for t, frame in enumerate(frames):
        shown = decode(frame["data"][0]["z"]).ravel()
        assert np.isfinite(shown[: t + 1]).all() and np.isnan(shown[t + 1 :]).all()


@pytest.mark.parametrize(("H", "W", "size", "stride", "padding"), CASES)
def test_routing_sends_each_windows_gradient_to_the_engines_argmax(rng, H, W, size, stride, padding):
    x = rng.integers(-3, 4, size=(H, W)).astype(float)  # few values: many ties
    run = run_pooling(x, size, stride, padding, "max", "random", 5)
    _, _, (rows, cols) = engine_pool(x, size, stride, padding, "max", run.dy)
    spec = routing_animation(run, LABELS)
    x0, y0 = grid_origin(spec["data"][ROUTING_DX])
    for frame, (i, j) in zip(spec["frames"], output_cells(run), strict=True):
        head = arrow(frame)
        # The arrow ends at the left edge of the winning cell of ∂L/∂X.
        assert (head["x"], head["y"]) == (x0 + cols[i, j] - 0.5, y0 + rows[i, j])
        assert routing_targets(run, i, j) == [(rows[i, j], cols[i, j])]


def test_the_preset_tie_goes_to_the_first_maximum_in_row_major_order():
    run = run_pooling(PRESET_MAP, 2, 2, 0, "max", "ones")
    # Window (0, 1) covers rows 0-1, columns 2-3: [[4, 4], [-1, 3]]. Both 4s tie; (0, 2) comes first.
    assert (run.winner_rows[0, 1], run.winner_cols[0, 1]) == (0, 2)
    assert ties(run, 0, 1) == [(0, 3)]
    assert run.dx[0, 2] == 1 and run.dx[0, 3] == 0
    assert forward_step_text(run, 0, 1) == "y(0, 1) = max(4, 4, −1, 3) = 4"
    assert routing_step_text(run, 0, 1) == "∂L/∂X(0, 2) += δ(0, 1) = 1"


def test_tied_cells_are_drawn_dotted_and_every_frame_has_as_many_shapes():
    run = run_pooling(PRESET_MAP, 2, 2, 0, "max", "ones")
    spec = forward_animation(run, LABELS)
    dotted = [s for s in spec["frames"][1]["layout"]["shapes"] if s.get("line", {}).get("dash") == "dot"]
    assert len(dotted) == 1
    counts = {len(frame["layout"]["shapes"]) for frame in spec["frames"]}
    assert counts == {len(spec["layout"]["shapes"])}


def test_average_spreads_over_the_window_and_drops_the_padding_share():
    x = np.arange(12.0).reshape(3, 4)
    run = run_pooling(x, 3, 1, 1, "avg", "ones")
    # Window (0, 0) covers rows −1..1, columns −1..1: its 4 real cells get 1/9 each, padding shares vanish.
    assert routing_targets(run, 0, 0) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    np.testing.assert_allclose(run.dx_steps[0][:2, :2], 1 / 9)
    assert run.dx_steps[0].sum() == pytest.approx(4 / 9)
    assert routing_step_text(run, 0, 0) == "∂L/∂X(0..1, 0..1) += δ(0, 0) / 9 = 1 / 9 = 0.1111"
    assert (
        forward_step_text(run, 0, 0) == "y(0, 0) = (0 + 0 + 0 + 0 + 0 + 1 + 0 + 4 + 5) / 9 = 10 / 9 = 1.111"
    )


def test_padding_cells_show_what_the_layer_pads_with():
    run = run_pooling(PRESET_MAP, 3, 2, 1, "max")
    spec = forward_animation(run, LABELS)
    texts = {cell for row in spec["data"][0]["text"] for cell in row if cell}
    assert texts == {"−∞"}
    run = run_pooling(PRESET_MAP, 3, 2, 1, "avg")
    texts = {cell for row in forward_animation(run, LABELS)["data"][0]["text"] for cell in row if cell}
    assert texts == {"0"}


def test_cell_latex_substitutes_the_numbers():
    run = run_pooling(PRESET_MAP, 2, 2, 0, "max", "random", 2)
    forward, backward = cell_latex(run, 0, 1)
    assert forward == r"y_{0,1} = \max \begin{bmatrix} 4 & 4 \\ -1 & 3 \end{bmatrix} = 4"
    assert r"\frac{\partial L}{\partial X_{0,2}} \mathrel{+}= \delta_{0,1}" in backward
    run = run_pooling(PRESET_MAP, 2, 2, 0, "avg", "ones")
    forward, backward = cell_latex(run, 0, 1)
    assert forward.endswith(r"= \frac{10}{4} = 2.5")
    assert r"\frac{1}{4} = 0.25" in backward


def test_overlapping_windows_won_by_one_cell_add_up_in_the_latex():
    x = np.zeros((3, 3))
    x[1, 1] = 5  # the centre wins all four 2×2 stride-1 windows
    run = run_pooling(x, 2, 1, 0, "max", "random", 2)
    _, backward = cell_latex(run, 0, 0)
    assert r"\delta_{0,0} + \delta_{0,1} + \delta_{1,0} + \delta_{1,1}" in backward
    assert run.dx[1, 1] == pytest.approx(run.dy.sum())


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_general_latex_names_the_mode(mode):
    forward, backward = general_latex(mode)
    assert (r"\max" in forward) == (mode == "max")
    assert r"\partial L" in backward


def test_the_biggest_settings_stay_under_the_size_budget(rng):
    run = run_pooling(rng.random((16, 16)), 2, 1, 1, "avg", "random", 1)
    assert run.y.shape == (17, 17)
    assert json_bytes(forward_animation(run, LABELS)) < 3_000_000
    assert json_bytes(routing_animation(run, LABELS)) < 3_000_000


@settings(max_examples=40, deadline=None)
@given(
    H=st.integers(1, 7),
    W=st.integers(1, 7),
    size=st.integers(1, 4),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
    mode=st.sampled_from(["max", "avg"]),
    seed=st.integers(0, 1000),
)
def test_property_routing_matches_the_engine(H, W, size, stride, padding, mode, seed):
    if padding > size // 2 or H + 2 * padding < size or W + 2 * padding < size:
        return
    x = np.random.default_rng(seed).integers(-2, 3, size=(H, W)).astype(float)
    run = run_pooling(x, size, stride, padding, mode, "random", seed)
    y, dx, winners = engine_pool(x, size, stride, padding, mode, run.dy)
    np.testing.assert_array_equal(run.y, y)
    np.testing.assert_array_equal(run.dx_steps[-1], dx)
    if mode == "max":
        # Every δ lands whole on one real cell (padding never wins): nothing is lost.
        assert run.dx.sum() == pytest.approx(run.dy.sum())
        assert [routing_targets(run, i, j)[0] for i, j in output_cells(run)] == list(
            zip(winners[0].ravel().tolist(), winners[1].ravel().tolist(), strict=True)
        )
