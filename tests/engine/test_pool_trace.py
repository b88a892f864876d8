"""The pooling run window by window (engine/pool_trace.py): hand-computed running ∂L/∂X, then properties
against engine.pool (every step is its backward pass of δ with the later windows zeroed, bit for bit) and a
readable loop over the windows; a planted bug that the checks catch; the window helpers of a run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.pool_trace as pool_trace
from engine.pool import IMPLS, POOL_MODES, pool2d_argmax_positions, pool2d_backward, pool2d_forward
from engine.pool_trace import (
    output_cells,
    padded_input,
    routing_targets,
    run_pooling,
    running_dx,
    ties,
    upstream_gradient,
    window_input_rows_cols,
    window_rows_cols,
    window_share,
    window_sum,
    window_values,
    windows_won_by,
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


def as_image(rows: list[list[float]]) -> np.ndarray:
    """A hand-written 2-D array as a (1, 1, H, W) batch."""
    return np.array(rows, dtype=np.float64)[None, None]


def masked_backward_steps(dy: np.ndarray, cache) -> np.ndarray:
    """The old way, one full backward pass per window: pool2d_backward of δ with the windows after t zeroed.

    Returns:
        (H_out·W_out, N, C, H, W).
    """
    order = np.arange(dy.shape[2] * dy.shape[3]).reshape(dy.shape[2:])
    return np.stack([pool2d_backward(np.where(order <= t, dy, 0.0), cache) for t in range(order.size)])


def loop_steps(x: np.ndarray, dy: np.ndarray, size, stride, padding, mode: str) -> np.ndarray:
    """∂L/∂X after each window, written out from FORMULAS.md §3 (no engine.pool helper): max sends δ to the
    first maximum of the window (np.argmax reads row by row), average δ / (KH·KW) to every cell; overlaps
    add up; the padding's share is cropped off.

    Returns:
        (H_out·W_out, N, C, H, W).
    """
    (KH, KW), (sh, sw), (ph, pw) = size, stride, padding
    N, C, H, W = x.shape
    fill = -np.inf if mode == "max" else 0.0
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    dx_pad = np.zeros_like(x_pad)
    steps = []
    for i, j in np.ndindex(dy.shape[2:]):
        for n, c in np.ndindex(N, C):
            window = dx_pad[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW]  # a view
            if mode == "max":
                k, l = divmod(int(np.argmax(x_pad[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW])), KW)
                window[k, l] += dy[n, c, i, j]
            else:
                window += dy[n, c, i, j] / (KH * KW)
        steps.append(dx_pad[:, :, ph : ph + H, pw : pw + W].copy())
    return np.stack(steps)


def assert_bitwise_equal(a: np.ndarray, b: np.ndarray) -> None:
    """Equal values and equal signs of zero: what the page prints cannot differ."""
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


# ---------------------------------------------------------------------------------------------------------
# Hand-computed cases


@pytest.mark.parametrize("impl", IMPLS)
def test_max_running_dx_by_hand_with_overlapping_windows(impl):
    x = as_image([[1, 5, 2], [3, 4, 0], [6, 1, 2]])
    # 2×2 windows at stride 1: [[1, 5], [3, 4]] and [[5, 2], [4, 0]] both won by the 5 at (0, 1);
    # [[3, 4], [6, 1]] by the 6 at (2, 0); [[4, 0], [1, 2]] by the 4 at (1, 1).
    _, cache = pool2d_forward(x, 2, 1, "max", impl=impl)
    dy = as_image([[1, 2], [4, 8]])
    expected = [
        [[0, 1, 0], [0, 0, 0], [0, 0, 0]],
        [[0, 3, 0], [0, 0, 0], [0, 0, 0]],  # 1 + 2: the overlap adds up
        [[0, 3, 0], [0, 0, 0], [4, 0, 0]],
        [[0, 3, 0], [0, 8, 0], [4, 0, 0]],
    ]
    np.testing.assert_array_equal(running_dx(dy, cache)[:, 0, 0], expected)


@pytest.mark.parametrize("impl", IMPLS)
def test_avg_running_dx_by_hand_with_overlapping_windows(impl):
    x = as_image([[1, 2, 3], [4, 5, 6]])
    _, cache = pool2d_forward(x, 2, 1, "avg", impl=impl)
    # δ / 4: window (0, 0) sends 1 to each of its cells, window (0, 1) 2 to each of its cells.
    steps = running_dx(as_image([[4, 8]]), cache)[:, 0, 0]
    np.testing.assert_array_equal(steps, [[[1, 1, 0], [1, 1, 0]], [[1, 3, 2], [1, 3, 2]]])


def test_avg_running_dx_by_hand_drops_the_paddings_share():
    # 2×2 windows at stride 2 over a 2×2 map padded by 1: each window holds one real cell and 3 padding.
    _, cache = pool2d_forward(as_image([[1, 2], [3, 4]]), 2, 2, "avg", padding=1)
    steps = running_dx(as_image([[4, 8], [12, 16]]), cache)[:, 0, 0]
    expected = [[[1, 0], [0, 0]], [[1, 2], [0, 0]], [[1, 2], [3, 0]], [[1, 2], [3, 4]]]
    np.testing.assert_array_equal(steps, expected)  # 10 of δ's 40 reach the input: 3/4 fell on padding


def test_max_running_dx_by_hand_ties_go_to_the_first_maximum():
    x = as_image([[2, 7, 7], [7, 1, 0]])
    _, cache = pool2d_forward(x, 2, 1, "max")
    # Window (0, 0) [[2, 7], [7, 1]]: the 7 at (0, 1) comes first; window (0, 1) [[7, 7], [1, 0]]: (0, 1).
    np.testing.assert_array_equal(running_dx(as_image([[1, 10]]), cache)[-1, 0, 0], [[0, 11, 0], [0, 0, 0]])


def test_running_dx_rejects_a_gradient_of_the_wrong_shape():
    _, cache = pool2d_forward(np.zeros((1, 2, 4, 6)), size=2)
    with pytest.raises(ValueError, match=r"output's shape \(1, 2, 2, 3\)"):
        running_dx(np.zeros((1, 2, 3, 2)), cache)


# ---------------------------------------------------------------------------------------------------------
# Properties over random non-square configurations


@st.composite
def traced_pools(draw):
    """A valid pooling: (x, size, stride, padding, mode, impl, upstream kind, rng), mostly not square."""
    KH, KW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, KH // 2)), draw(st.integers(0, KW // 2))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H = draw(st.integers(max(1, KH - 2 * ph), 7))
    W = draw(st.integers(max(1, KW - 2 * pw), 7))
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    mode = draw(st.sampled_from(POOL_MODES))
    impl = draw(st.sampled_from(IMPLS))
    # The page's two kinds (ones, one decimal), integers, and full-precision normals whose sums round.
    upstream = draw(st.sampled_from(["ones", "decimal", "integers", "normal"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Few distinct values: ties are common, so the first-maximum rule is exercised.
    x = rng.integers(-2, 3, size=(N, C, H, W)).astype(np.float64)
    return x, (KH, KW), (sh, sw), (ph, pw), mode, impl, upstream, rng


def draw_upstream(kind: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    if kind == "ones":
        return np.ones(shape)
    if kind == "decimal":
        return np.round(rng.uniform(-2, 2, shape), 1) + 0.0
    if kind == "integers":
        return rng.integers(-3, 4, shape).astype(np.float64)
    return rng.standard_normal(shape)


@settings(max_examples=150, deadline=None)
@given(traced_pools())
def test_every_step_is_the_backward_of_delta_with_the_later_windows_zeroed(config):
    x, size, stride, padding, mode, impl, upstream, rng = config
    y, cache = pool2d_forward(x, size, stride, mode, padding, impl=impl)
    dy = draw_upstream(upstream, y.shape, rng)
    steps = running_dx(dy, cache)
    assert steps.shape == (y.shape[2] * y.shape[3], *x.shape)
    assert_bitwise_equal(steps, masked_backward_steps(dy, cache))
    assert_bitwise_equal(steps[-1], pool2d_backward(dy, cache))


@settings(max_examples=100, deadline=None)
@given(traced_pools())
def test_every_step_matches_a_loop_over_the_windows(config):
    x, size, stride, padding, mode, impl, upstream, rng = config
    y, cache = pool2d_forward(x, size, stride, mode, padding, impl=impl)
    dy = draw_upstream(upstream, y.shape, rng)
    expected = loop_steps(x, dy, size, stride, padding, mode)
    if impl == "reference":
        # The loops add window after window, as the reference backward does: the same sums, bit for bit.
        assert_bitwise_equal(running_dx(dy, cache), expected)
    else:
        np.testing.assert_allclose(running_dx(dy, cache), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    H=st.integers(1, 7),
    W=st.integers(1, 7),
    size=st.integers(1, 4),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
    mode=st.sampled_from(POOL_MODES),
    upstream=st.sampled_from(pool_trace.UPSTREAM_KINDS),
    seed=st.integers(0, 1000),
)
def test_the_run_keeps_the_engines_numbers(H, W, size, stride, padding, mode, upstream, seed):
    if padding > size // 2 or H + 2 * padding < size or W + 2 * padding < size:
        return
    x = np.random.default_rng(seed).integers(-2, 3, size=(H, W)).astype(float)
    run = run_pooling(x, size, stride, padding, mode, upstream, seed)
    y, cache = pool2d_forward(x[None, None], size, stride, mode, padding)
    np.testing.assert_array_equal(run.y, y[0, 0])
    np.testing.assert_array_equal(run.dy, upstream_gradient(upstream, y.shape[2:], seed))
    assert_bitwise_equal(run.dx, pool2d_backward(run.dy[None, None], cache)[0, 0])
    assert_bitwise_equal(run.dx_steps, masked_backward_steps(run.dy[None, None], cache)[:, 0, 0])
    if mode == "max":
        rows, cols = pool2d_argmax_positions(cache)
        np.testing.assert_array_equal(run.winner_rows, rows[0, 0])
        np.testing.assert_array_equal(run.winner_cols, cols[0, 0])
    else:
        assert run.winner_rows is None and run.winner_cols is None
    # The window helpers rebuild the output: max (or mean) of each window's values.
    pool = np.max if mode == "max" else np.mean
    rebuilt = [pool(window_values(run, i, j)) for i, j in output_cells(run)]
    np.testing.assert_allclose(np.reshape(rebuilt, run.y.shape), run.y, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# A planted bug: the checks above must catch it


def _assigning_sums(shares: np.ndarray) -> np.ndarray:
    """The bug: = instead of +=, so where windows overlap the later window overwrites the earlier share."""
    totals = np.zeros_like(shares)
    for p in range(len(shares)):
        totals[: p + 1] = shares[p]
    return totals


def test_a_planted_assignment_instead_of_accumulation_is_caught(monkeypatch):
    x = as_image([[1, 5, 2], [3, 4, 0], [6, 1, 2]])
    dy = as_image([[1, 2], [4, 8]])
    overlapping = pool2d_forward(x, 2, 1, "avg")[1]
    side_by_side = pool2d_forward(x, 1, 1, "avg")[1]  # no overlap: = and += agree
    monkeypatch.setattr(pool_trace, "_sums_from", _assigning_sums)
    with pytest.raises(AssertionError):
        assert_bitwise_equal(running_dx(dy, overlapping), masked_backward_steps(dy, overlapping))
    dy_1x1 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    assert_bitwise_equal(running_dx(dy_1x1, side_by_side), masked_backward_steps(dy_1x1, side_by_side))


def _overwriting_steps(shares: np.ndarray, size, stride, out_hw) -> np.ndarray:
    """The bug: each window's shares are written into ∂L/∂X with = where += belongs."""
    dx_pad = np.zeros(shares.shape[1:])
    steps = []
    for rows, cols in pool_trace._windows(size, stride, out_hw):
        dx_pad[..., rows, cols] = pool_trace._at_window(shares, rows, cols)
        steps.append(dx_pad.copy())
    return np.stack(steps)


@pytest.mark.parametrize(
    ("impl", "order"), [("fast", "_sum_latest_first"), ("reference", "_sum_in_window_order")]
)
@pytest.mark.parametrize("mode", POOL_MODES)
def test_a_planted_overwrite_of_earlier_windows_is_caught(monkeypatch, impl, order, mode):
    x = as_image([[1, 5, 2], [3, 4, 0], [6, 1, 2]])
    dy = as_image([[1, 2], [4, 8]])
    _, cache = pool2d_forward(x, 2, 1, mode, impl=impl)
    assert_bitwise_equal(running_dx(dy, cache), masked_backward_steps(dy, cache))
    monkeypatch.setattr(pool_trace, order, _overwriting_steps)
    with pytest.raises(AssertionError):
        assert_bitwise_equal(running_dx(dy, cache), masked_backward_steps(dy, cache))


# ---------------------------------------------------------------------------------------------------------
# The windows of a run

PRESET = np.array(
    [
        [1, -3, 4, 4, -2, 0, 5, -1],
        [2, 0, -1, 3, 7, -4, 2, 6],
        [-5, 8, 2, -2, 1, 1, -3, 0],
        [3, 1, 6, -7, 0, 9, 4, -2],
        [0, -2, 5, 5, 2, -1, -6, 3],
        [4, 7, -3, 1, 8, 2, 0, -4],
    ],
    dtype=np.float64,
)


def test_windows_ties_and_targets_of_the_preset_by_hand():
    run = run_pooling(PRESET, 2, 2, 0, "max", "ones")
    assert output_cells(run)[:5] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    assert window_rows_cols(run, 0, 1) == (range(0, 2), range(2, 4))
    np.testing.assert_array_equal(window_values(run, 0, 1), [[4, 4], [-1, 3]])
    # Both 4s tie; (0, 2) comes first in row-major order and wins, (0, 3) ties but loses.
    assert (run.winner_rows[0, 1], run.winner_cols[0, 1]) == (0, 2)
    assert ties(run, 0, 1) == [(0, 3)]
    assert routing_targets(run, 0, 1) == [(0, 2)]
    assert windows_won_by(run, 0, 2) == [(0, 1)] and windows_won_by(run, 0, 3) == []
    assert window_share(run, 0, 1) == 1.0
    assert ties(run_pooling(PRESET, 2, 2, 0, "avg"), 0, 1) == []


def test_padded_input_is_what_the_layer_pads_with():
    x = np.arange(6.0).reshape(2, 3)
    max_run, avg_run = run_pooling(x, 3, 1, 1, "max"), run_pooling(x, 3, 1, 1, "avg")
    for run, fill in [(max_run, -np.inf), (avg_run, 0.0)]:
        padded = padded_input(run)
        assert padded.shape == (4, 5)
        np.testing.assert_array_equal(padded[1:3, 1:4], x)
        assert np.all(padded[[0, -1], :] == fill) and np.all(padded[:, [0, -1]] == fill)
    # Window (0, 0) covers rows −1..1 and columns −1..1: a −∞ corner never wins, a 0 corner averages in.
    np.testing.assert_array_equal(window_values(max_run, 0, 0)[0], [-np.inf] * 3)
    assert window_sum(avg_run, 0, 0) == 0 + 1 + 3 + 4
    assert avg_run.y[0, 0] == pytest.approx(8 / 9)


def test_average_targets_are_the_windows_real_cells():
    run = run_pooling(np.arange(12.0).reshape(3, 4), 3, 1, 1, "avg", "ones")
    assert window_rows_cols(run, 0, 0) == (range(-1, 2), range(-1, 2))
    assert window_input_rows_cols(run, 0, 0) == (range(0, 2), range(0, 2))
    assert routing_targets(run, 0, 0) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert window_share(run, 0, 0) == pytest.approx(1 / 9)
    assert windows_won_by(run, 0, 0) == []


def test_a_cell_that_wins_overlapping_windows_collects_their_deltas():
    x = np.zeros((3, 3))
    x[1, 1] = 5  # the centre wins all four 2×2 stride-1 windows
    run = run_pooling(x, 2, 1, 0, "max", "random", 2)
    assert windows_won_by(run, 1, 1) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert run.dx[1, 1] == pytest.approx(run.dy.sum())


@pytest.mark.parametrize("mode", POOL_MODES)
@pytest.mark.parametrize(("H", "W", "size", "stride", "padding"), CASES)
def test_each_step_adds_only_to_its_windows_targets(rng, mode, H, W, size, stride, padding):
    run = run_pooling(rng.normal(size=(H, W)), size, stride, padding, mode, "random", 7)
    before = np.zeros((H, W))
    for t, (i, j) in enumerate(output_cells(run)):
        added = run.dx_steps[t] - before
        mask = np.zeros((H, W), dtype=bool)
        for r, c in routing_targets(run, i, j):
            mask[r, c] = True
        assert np.all(added[~mask] == 0)
        KH, KW = run.size
        share = run.dy[i, j] if mode == "max" else run.dy[i, j] / (KH * KW)
        np.testing.assert_allclose(added[mask], share, atol=1e-12)
        before = run.dx_steps[t]
    np.testing.assert_array_equal(run.dx_steps[-1], run.dx)


def test_upstream_gradient_is_reproducible_and_checked():
    np.testing.assert_array_equal(upstream_gradient("ones", (2, 3)), np.ones((2, 3)))
    a, b = upstream_gradient("random", (4, 5), seed=9), upstream_gradient("random", (4, 5), seed=9)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.abs(a) <= 2) and not np.any(np.signbit(a) & (a == 0))
    with pytest.raises(ValueError, match="upstream gradient"):
        upstream_gradient("zeros", (2, 2))


@pytest.mark.parametrize(("H", "W", "size", "padding"), [(3, 5, 4, 0), (6, 8, 2, 2), (4, 4, 9, 2)])
def test_settings_that_do_not_fit_raise_a_sentence(H, W, size, padding):
    with pytest.raises(ValueError, match=r"window|padding"):
        run_pooling(np.zeros((H, W)), size, 1, padding, "max")
