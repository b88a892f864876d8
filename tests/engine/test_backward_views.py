"""The backward page's engine: gather == scatter == conv2d_backward, losses, the gradient check, descent."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import backward_views as bv
from engine import conv_reference
from engine.activations import activation_derivative
from engine.backward_views import (
    LossSpec,
    descend,
    dw_by_row,
    gather_dx,
    gather_dx_reference,
    gather_terms,
    gradient_check,
    layer_gradients,
    loss_and_gradient,
    overlap_count,
    region_trace,
    running_dx_crop,
    sample_indices,
    scatter_dx_pad,
    spread_delta,
    stable_learning_rate,
    target_map,
)
from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import backward_padded
from engine.geometry import conv_geometry, pad_input
from engine.gradcheck import numerical_gradient
from engine.trace import backward_trace, running_dx_pad, traced_crop

CASES = [
    # (C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    (1, 6, 9, 1, 3, 3, 1, 0, 1, "zeros"),
    (3, 7, 5, 2, 2, 3, (2, 1), 1, 1, "reflect"),
    (2, 9, 8, 3, 3, 2, 2, ((1, 2), (0, 1)), (2, 1), "replicate"),
    (1, 5, 6, 2, 3, 3, 1, 2, 2, "circular"),
    (3, 4, 7, 1, 1, 1, 3, 0, 1, "zeros"),
    (1, 11, 8, 1, 3, 2, (3, 2), (2, 1), (1, 3), "zeros"),
]
NAMES = ("C", "H", "W", "F", "KH", "KW", "stride", "padding", "dilation", "pad_mode")


def _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x = rng.normal(size=(C, H, W))
    w = rng.normal(size=(F, C, KH, KW))
    hyper = {"stride": stride, "padding": padding, "dilation": dilation, "pad_mode": pad_mode}
    z, cache = conv2d_forward(x[None], w, None, **hyper)
    # Magnitudes in [0.5, 1.5] with random signs: no entry of the gradients sits near 0 by accident.
    delta = rng.uniform(0.5, 1.5, size=z.shape[1:]) * rng.choice([-1, 1], size=z.shape[1:])
    return x, w, hyper, delta, cache


@pytest.mark.parametrize(NAMES, CASES)
def test_gather_equals_scatter_equals_conv2d_backward(
    rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode
):
    x, w, _, delta, cache = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    dx, _, _ = conv2d_backward(delta[None], cache)
    dx_scatter, _, _ = conv_reference.backward(delta[None], x[None], w, cache.geometry)
    view = gather_dx(delta, w, cache.geometry)
    np.testing.assert_allclose(view.dx, dx[0], atol=1e-12)
    np.testing.assert_allclose(view.dx, dx_scatter[0], atol=1e-12)
    np.testing.assert_allclose(view.cropped + view.folded, view.dx, atol=1e-12)
    if pad_mode == "zeros":
        assert not view.folded.any()  # zero padding only crops


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 4), sw=st.integers(1, 4),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    pad_mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]), seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_gather_equals_conv2d_backward_for_any_geometry(
    C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, pad_mode, seed
):
    rng = np.random.default_rng(seed)
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), pad_mode)
    except ValueError:
        return  # a geometry the engine refuses (kernel larger than the padded input, reflect too wide)
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(F, C, KH, KW))
    delta = rng.normal(size=(F, *geometry.out_size))
    _, cache = conv2d_forward(x[None], w, None, (sh, sw), (ph, pw), (dh, dw), pad_mode)
    dx, _, _ = conv2d_backward(delta[None], cache)
    dx_scatter, _, _ = conv_reference.backward(delta[None], x[None], w, geometry)
    view = gather_dx(delta, w, geometry)
    np.testing.assert_allclose(view.dx, dx[0], atol=1e-10)
    np.testing.assert_allclose(view.dx, dx_scatter[0], atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 4), sw=st.integers(1, 4),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_scatter_dx_pad_equals_the_engines_padded_gradient(C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, seed):
    rng = np.random.default_rng(seed)
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), "zeros")
    except ValueError:
        return  # a kernel larger than the padded input
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(F, C, KH, KW))
    delta = rng.normal(size=(F, *geometry.out_size))
    x_pad = pad_input(x[None], geometry.padding, "zeros")
    expected, _ = backward_padded(delta[None], x_pad, w, geometry)
    np.testing.assert_allclose(scatter_dx_pad(delta, w, geometry), expected[0], atol=1e-12)
    np.testing.assert_allclose(gather_dx(delta, w, geometry).dx_pad, expected[0], atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 12), W=st.integers(1, 12), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 3), sw=st.integers(1, 3),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    pad_mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
    block_bytes=st.sampled_from([1, 300, 2000, 1 << 20]), seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_every_gather_field_equals_its_definition(
    C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, pad_mode, block_bytes, seed
):
    """The fast gather (bands of rows, views) against the readable one, field by field, for any band size;
    the readable one's dX against the readable scatter (conv_reference)."""
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), pad_mode)
    except ValueError:
        return
    rng = np.random.default_rng(seed)
    delta, w = rng.normal(size=(F, *geometry.out_size)), rng.normal(size=(F, C, KH, KW))
    with patch.object(bv, "GATHER_BLOCK_BYTES", block_bytes):
        view = gather_dx(delta, w, geometry)
    expected = gather_dx_reference(delta, w, geometry)
    scatter = conv_reference.backward(delta[None], np.zeros((1, C, H, W)), w, geometry)[0][0]
    np.testing.assert_allclose(expected.dx, scatter, atol=1e-12)
    for name, mine, theirs in zip(bv.GatherView._fields, view, expected):
        assert mine.shape == theirs.shape and mine.dtype == np.float64, name
        np.testing.assert_allclose(mine, theirs, atol=1e-12, err_msg=name)


def test_gather_of_a_512_image_in_bands_equals_the_engines_scatter(rng):
    geometry = conv_geometry((1, 3, 512, 384), (2, 3, 3, 5), stride=1, padding=(1, 2), pad_mode="reflect")
    delta, w = rng.normal(size=(2, *geometry.out_size)), rng.normal(size=(2, 3, 3, 5))
    view = gather_dx(delta, w, geometry)
    dx_pad, _ = backward_padded(delta[None], np.zeros((1, 3, 514, 388)), w, geometry)
    np.testing.assert_allclose(view.dx_pad, dx_pad[0], atol=1e-12)


def test_gather_intermediates_by_hand():
    """1 kernel 2×2, stride 2, padding 1, dilation 1 on a 3×4 input: every intermediate written out."""
    geometry = conv_geometry((1, 1, 3, 4), (1, 1, 2, 2), stride=2, padding=1)
    assert geometry.out_size == (2, 3)
    delta = np.array([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]])
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    view = gather_dx(delta, w, geometry)
    np.testing.assert_array_equal(view.spread[0], [[1, 0, 2, 0, 3], [0, 0, 0, 0, 0], [4, 0, 5, 0, 6]])
    assert view.padded.shape == (1, 5, 7)  # padded by K − 1 = 1 on each side
    np.testing.assert_array_equal(view.rotated[0, 0], [[4, 3], [2, 1]])
    # Stride 2 and a 2×2 kernel: windows do not overlap, so dX_pad is δ(i, j)·W tiled without overlaps.
    expected = np.block([[d * w[0, 0] for d in row] for row in delta[0]])
    np.testing.assert_array_equal(view.full[0], expected)
    # The padded input is 5×6: its last row is never read (windows start at rows 0 and 2), so it gets 0.
    np.testing.assert_array_equal(view.dx_pad[0, :4], expected)
    assert not view.dx_pad[0, 4].any()
    np.testing.assert_array_equal(view.dx[0], view.dx_pad[0, 1:4, 1:5])


def test_uneven_stride_leaves_unread_rows_at_zero(rng):
    # H_pad = 8, K = 3, s = 2: windows start at 0, 2, 4 and end at row 6; row 7 is never read.
    geometry = conv_geometry((1, 1, 8, 5), (1, 1, 3, 3), stride=2)
    view = gather_dx(rng.normal(size=(1, *geometry.out_size)), rng.normal(size=(1, 1, 3, 3)), geometry)
    assert view.full.shape == (1, 7, 5)
    assert not view.dx_pad[0, 7].any()
    assert not overlap_count(geometry).padded[7].any()


def test_spread_delta_puts_s_minus_1_zeros_between_entries(rng):
    delta = rng.normal(size=(2, 3, 4))
    spread = spread_delta(delta, (3, 2))
    assert spread.shape == (2, 7, 7)
    np.testing.assert_array_equal(spread[:, ::3, ::2], delta)
    assert np.count_nonzero(spread) == np.count_nonzero(delta)


@pytest.mark.parametrize(NAMES, CASES)
def test_gather_terms_add_up_to_each_cell(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    _, w, _, delta, cache = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    view = gather_dx(delta, w, cache.geometry)
    counts = overlap_count(cache.geometry).padded
    for c, u, v in np.ndindex(view.dx_pad.shape):
        terms = gather_terms(delta, w, cache.geometry, c, u, v)
        assert len(terms) == F * counts[u, v]
        assert sum(t.delta * t.weight for t in terms) == pytest.approx(view.dx_pad[c, u, v], abs=1e-12)


def test_overlap_count_by_hand():
    # One axis: 7 cells, K = 3, s = 2 → windows at 0, 2, 4: counts 1 1 2 1 2 1 1 (uneven coverage).
    geometry = conv_geometry((1, 1, 7, 3), (1, 1, 3, 1), stride=(2, 1))
    counts = overlap_count(geometry)
    np.testing.assert_array_equal(counts.padded[:, 0], [1, 1, 2, 1, 2, 1, 1])
    assert counts.padded.shape == (7, 3)


@pytest.mark.parametrize(NAMES, CASES)
def test_overlap_count_is_dx_of_ones(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    _, _, _, delta, cache = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    ones = gather_dx(np.ones((1, *delta.shape[1:])), np.ones((1, 1, KH, KW)), cache.geometry)
    counts = overlap_count(cache.geometry)
    np.testing.assert_array_equal(counts.padded, ones.dx_pad[0])
    np.testing.assert_array_equal(counts.input, ones.dx[0])


# --- losses ---------------------------------------------------------------------------------------------


def test_losses_and_their_gradients(rng):
    a = rng.normal(size=(2, 3, 4))
    target = rng.normal(size=a.shape)
    loss, da = loss_and_gradient(a, LossSpec("sum"))
    assert loss == pytest.approx(a.sum())
    np.testing.assert_array_equal(da, np.ones_like(a))
    loss, da = loss_and_gradient(a, LossSpec("mse", target))
    assert loss == pytest.approx(np.sum((a - target) ** 2) / (2 * a.size))
    np.testing.assert_allclose(da, (a - target) / a.size)
    numeric = numerical_gradient(lambda v: loss_and_gradient(v, LossSpec("mse", target))[0], a.copy())
    np.testing.assert_allclose(da, numeric, rtol=1e-6, atol=1e-10)
    loss, da = loss_and_gradient(a, LossSpec("impulse", cell=(1, 2, 3)))
    assert loss == a[1, 2, 3]
    assert da[1, 2, 3] == 1 and da.sum() == 1


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (LossSpec("cross_entropy"), "must be one of"),
        (LossSpec("mse"), "target map"),
        (LossSpec("mse", np.zeros((1, 4, 3))), "target map"),
        (LossSpec("impulse"), "needs an output cell"),
        (LossSpec("impulse", cell=(0, 3, 0)), "outside the output"),
    ],
)
def test_a_loss_that_does_not_fit_says_why(spec, words):
    with pytest.raises(ValueError, match=words):
        loss_and_gradient(np.zeros((1, 3, 4)), spec)


@pytest.mark.parametrize("activation", ["identity", "relu", "leaky_relu", "sigmoid", "tanh"])
def test_delta_is_upstream_times_the_local_derivative(rng, activation):
    x, w, b = rng.normal(size=(2, 6, 5)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    target = rng.normal(size=(3, 4, 3))
    grads = layer_gradients(x, w, b, activation, LossSpec("mse", target), stride=(1, 2), padding=(0, 1))
    np.testing.assert_allclose(grads.dsigma, activation_derivative(grads.z, activation))
    np.testing.assert_allclose(grads.delta, grads.da * grads.dsigma)
    dx, dw, db = conv2d_backward(grads.delta[None], conv2d_forward(x[None], w, b, (1, 2), (0, 1))[1])
    np.testing.assert_allclose(grads.dx, dx[0])
    np.testing.assert_allclose(grads.dw, dw)
    np.testing.assert_allclose(grads.db, db)


# --- gradient check -------------------------------------------------------------------------------------


def _spec(kind, rng, x, w, activation, **hyper):
    if kind == "sum":
        return LossSpec("sum")
    if kind == "mse":
        w_target, b_target = rng.normal(size=w.shape), rng.normal(size=w.shape[0])
        return LossSpec("mse", target_map(x, w_target, b_target, activation, **hyper))
    grads = layer_gradients(x, w, np.zeros(w.shape[0]), activation, LossSpec("sum"), **hyper)
    F, H_out, W_out = grads.z.shape
    return LossSpec("impulse", cell=(F - 1, H_out // 2, W_out - 1))


@pytest.mark.parametrize("activation", ["identity", "relu", "leaky_relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("kind", ["sum", "mse", "impulse"])
@pytest.mark.parametrize(
    "hyper",
    [
        {"padding": 1},
        {"stride": (2, 1), "padding": ((1, 2), (0, 1)), "dilation": (1, 2), "pad_mode": "reflect"},
        {"stride": 2, "padding": 2, "pad_mode": "circular"},
    ],
)
def test_gradient_check_agrees_to_1e7(rng, activation, kind, hyper):
    x, w, b = rng.random((2, 7, 6)), rng.normal(size=(2, 2, 3, 2)), rng.normal(size=2) * 0.3
    spec = _spec(kind, rng, x, w, activation, **hyper)
    check = gradient_check(x, w, b, activation, spec, limit=40, **hyper)
    smooth = ~check.kinks
    assert smooth.sum() > 0
    assert check.worst <= 1e-7, check
    assert check.overall <= 1e-7
    assert check.totals == {"W": w.size, "b": b.size, "X": x.size}
    assert len(check.errors) == min(w.size, 40) + b.size + min(x.size, 40)


def test_small_inputs_check_every_entry(rng):
    x, w = rng.random((1, 4, 5)), rng.normal(size=(1, 1, 2, 2))
    check = gradient_check(x, w, np.zeros(1), "tanh", LossSpec("sum"), limit=300)
    assert check.arrays.count("X") == x.size and check.arrays.count("W") == w.size
    assert sorted(i for a, i in zip(check.arrays, check.indices) if a == "X") == list(np.ndindex(x.shape))


def test_kinks_are_flagged_and_left_out(rng):
    # A flat image and a kernel whose taps sum to 0: Z = 0 exactly inside, the kink of ReLU.
    x = np.ones((1, 5, 6))
    w = np.array([[[[-1.0, 0.0, 1.0]] * 3]])
    check = gradient_check(x, w, np.zeros(1), "relu", LossSpec("sum"))
    assert check.kinks.any()
    assert np.isnan(check.worst) or check.worst <= 1e-7
    smooth = gradient_check(x, w, np.zeros(1), "tanh", LossSpec("sum"))
    assert not smooth.kinks.any() and smooth.worst <= 1e-7


def test_the_check_catches_a_wrong_backward(rng, monkeypatch):
    x, w, b = rng.random((1, 6, 5)), rng.normal(size=(1, 1, 3, 3)), np.zeros(1)
    right = bv.conv2d_backward

    def wrong(dy, cache):
        dx, dw, db = right(dy, cache)
        return dx, dw.transpose(0, 1, 3, 2), db  # swapped kernel axes: the classic bug

    monkeypatch.setattr(bv, "conv2d_backward", wrong)
    check = gradient_check(x, w, b, "identity", LossSpec("sum"), padding=1)
    assert check.worst > 1e-2


def test_richardson_beats_a_plain_central_difference_on_smooth_activations(rng):
    x, w, b = rng.random((1, 6, 5)), rng.normal(size=(1, 1, 3, 3)), np.zeros(1)
    plain = gradient_check(x, w, b, "sigmoid", LossSpec("sum"), eps=1e-2, richardson=False)
    combined = gradient_check(x, w, b, "sigmoid", LossSpec("sum"), eps=1e-2, richardson=True)
    assert combined.worst < plain.worst / 100


def test_sample_indices(rng):
    assert sample_indices((2, 3), 10, rng) == list(np.ndindex(2, 3))
    picked = sample_indices((20, 30), 50, rng)
    assert len(set(picked)) == 50 and all(0 <= i < 20 and 0 <= j < 30 for i, j in picked)


def test_the_step_must_be_positive(rng):
    with pytest.raises(ValueError, match="positive"):
        gradient_check(
            rng.random((1, 4, 4)), np.ones((1, 1, 2, 2)), np.zeros(1), "relu", LossSpec("sum"), eps=0
        )


# --- learning the kernel --------------------------------------------------------------------------------


def _descent_problem(rng):
    x = rng.random((1, 9, 7))
    w_target = rng.normal(size=(1, 1, 3, 3))
    target = target_map(x, w_target, np.zeros(1), "identity", padding=1)
    return x, w_target, target


def test_descent_lowers_the_loss_and_moves_the_kernel_toward_the_target(rng):
    x, w_target, target = _descent_problem(rng)
    w0, b0 = rng.normal(size=(1, 1, 3, 3)), np.zeros(1)
    calls = []
    result = descend(
        x, w0, b0, target, "identity", 0.5, 40, on_step=lambda n, loss: calls.append(n), padding=1
    )
    assert (
        len(result.losses) == 41
        and result.kernels.shape == (41, 1, 1, 3, 3)
        and result.biases.shape == (41, 1)
    )
    assert calls == list(range(1, 41))
    assert not result.diverged
    assert np.all(np.diff(result.losses) <= 1e-15)  # below the stable step the loss never rises
    assert result.losses[-1] < result.losses[0] / 10
    assert np.abs(result.kernels[-1] - w_target).max() < np.abs(w0 - w_target).max()
    np.testing.assert_array_equal(result.kernels[0], w0)


def test_the_stable_learning_rate_is_the_edge_of_divergence(rng):
    x, _, target = _descent_problem(rng)
    geometry = conv_geometry((1, *x.shape), (1, 1, 3, 3), padding=1)
    eta = stable_learning_rate(x, geometry)
    w0 = rng.normal(size=(1, 1, 3, 3))
    below = descend(x, w0, np.zeros(1), target, "identity", 0.95 * eta, 200, padding=1)
    above = descend(x, w0, np.zeros(1), target, "identity", 1.2 * eta, 400, padding=1)
    assert below.losses[-1] < below.losses[0]
    assert above.diverged or above.losses[-1] > above.losses[0]


def test_a_huge_learning_rate_stops_as_diverged(rng):
    x, _, target = _descent_problem(rng)
    result = descend(x, rng.normal(size=(1, 1, 3, 3)), np.zeros(1), target, "identity", 50.0, 100, padding=1)
    assert result.diverged
    assert len(result.losses) < 101 and len(result.kernels) == len(result.losses)


@pytest.mark.parametrize(("lr", "steps"), [(0.0, 3), (-1.0, 3), (0.1, -1)])
def test_descent_refuses_bad_settings(rng, lr, steps):
    x, _, target = _descent_problem(rng)
    with pytest.raises(ValueError):
        descend(x, np.ones((1, 1, 3, 3)), np.zeros(1), target, "identity", lr, steps, padding=1)


# --- traces over a region -----------------------------------------------------------------------------


@pytest.mark.parametrize(NAMES, CASES)
def test_region_trace_matches_the_engines_trace(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x, w, hyper, delta, cache = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    H_out, W_out = cache.geometry.out_size
    for region in [(0, H_out, 0, W_out), (H_out // 2, H_out, W_out // 3, W_out)]:
        mine = region_trace(x, w[0], delta[0], cache.geometry, region)
        engines = backward_trace(x, w[0], delta[0], region=region, **hyper)
        assert mine.region == engines.region and len(mine.steps) == len(engines.steps)
        for a, b in zip(mine.steps, engines.steps):
            assert (a.i, a.j, a.rows, a.cols) == (b.i, b.j, b.rows, b.cols)
            np.testing.assert_allclose(a.window, b.window)
            np.testing.assert_allclose(a.dw_total, b.dw_total, atol=1e-12)
            np.testing.assert_allclose(a.dx_contribution, b.dx_contribution)
            assert a.db_total == pytest.approx(b.db_total)
        np.testing.assert_array_equal(mine.x_pad, engines.x_pad)


def test_region_trace_over_the_whole_map_is_the_whole_backward_pass(rng):
    x, w = rng.random((2, 9, 8)), rng.normal(size=(1, 2, 3, 2))
    z, cache = conv2d_forward(x[None], w, None, stride=(2, 1), padding=1, pad_mode="reflect")
    delta = rng.normal(size=z.shape[2:])
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    trace = region_trace(x, w[0], delta, cache.geometry, (0, z.shape[2], 0, z.shape[3]))
    np.testing.assert_allclose(trace.dx, dx[0], atol=1e-12)
    np.testing.assert_allclose(trace.dw, dw[0], atol=1e-12)
    assert trace.db == pytest.approx(db[0])


def test_the_stable_learning_rate_from_a_sample_of_windows_is_close(rng):
    x = rng.random((3, 90, 70))
    geometry = conv_geometry((1, *x.shape), (1, 3, 3, 3), padding=1)
    exact = stable_learning_rate(x, geometry, max_windows=10**9)
    assert stable_learning_rate(x, geometry, max_windows=600) == pytest.approx(exact, rel=0.05)


# --- running totals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(NAMES, CASES)
def test_dw_by_row_sums_to_dw(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x, _, _, delta, cache = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    _, dw, _ = conv2d_backward(delta[None], cache)
    rows = dw_by_row(x, delta[0], cache.geometry)
    assert rows.shape == (delta.shape[1], C, KH, KW)
    np.testing.assert_allclose(rows.sum(axis=0), dw[0], atol=1e-12)
    # One row's share is dW of a δ that is 0 on every other row.
    i = delta.shape[1] // 2
    one_row = np.zeros_like(delta)
    one_row[:, i] = delta[:, i]
    _, dw_i, _ = conv2d_backward(one_row[None], cache)
    np.testing.assert_allclose(rows[i], dw_i[0], atol=1e-12)


@pytest.mark.parametrize(NAMES, CASES)
def test_running_dx_crop_ends_at_the_traced_gradient(
    rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode
):
    x, w, hyper, delta, _ = _problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    trace = backward_trace(x, w[0], delta[0], **hyper)
    rows = slice(0, trace.x_pad.shape[1])
    cols = slice(0, trace.x_pad.shape[2])
    frames = running_dx_crop(trace, rows, cols)
    assert frames.shape == (len(trace.steps), *trace.x_pad.shape)
    np.testing.assert_allclose(frames[-1], trace.dx_pad, atol=1e-12)
    first = trace.steps[0]
    np.testing.assert_allclose(frames[0][:, first.rows][:, :, first.cols], first.dx_contribution)


def test_running_dx_crop_is_the_traces_running_dx_pad_over_the_region(rng):
    x, w = rng.random((3, 120, 90)), rng.normal(size=(1, 3, 3, 3))
    z, cache = conv2d_forward(x[None], w, None, stride=(1, 2), padding=1, dilation=2)
    delta = rng.normal(size=z.shape[2:])
    trace = region_trace(x, w[0], delta, cache.geometry, (50, 56, 30, 37))
    rows, cols = traced_crop(trace)
    frames = running_dx_crop(trace, rows, cols)
    # 6 windows down at stride 1 and 7 across at stride 2, each spanning 2·(3 − 1) + 1 = 5 cells.
    assert frames.shape == (42, 3, (6 - 1) * 1 + 5, (7 - 1) * 2 + 5) and (rows.start, cols.start) == (50, 60)
    np.testing.assert_array_equal(frames, running_dx_pad(trace))
    np.testing.assert_allclose(frames[-1], trace.dx_pad[:, rows, cols], atol=1e-12)
