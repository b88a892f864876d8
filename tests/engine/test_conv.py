"""Convolution: hand-computed cases, scipy.signal per channel, finite differences, reference == fast."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from engine import conv_fast
from engine.conv import IMPLS, conv2d_backward, conv2d_forward, flip_kernel
from engine.geometry import PAD_MODES, conv_geometry, pad_input, same_padding
from engine.gradcheck import numerical_gradient_of_output, relative_error

# --- hand-computed cases ------------------------------------------------------------------------------


def test_single_channel_by_hand():
    x = np.arange(12, dtype=float).reshape(1, 1, 3, 4)  # rows 0..3, 4..7, 8..11
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    y, _ = conv2d_forward(x, w, np.array([0.5]))
    # out[0,0] = 0·1 + 1·2 + 4·3 + 5·4 + 0.5
    assert y.shape == (1, 1, 2, 3)
    assert y[0, 0, 0, 0] == 0 * 1 + 1 * 2 + 4 * 3 + 5 * 4 + 0.5
    assert y[0, 0, 1, 2] == 6 * 1 + 7 * 2 + 10 * 3 + 11 * 4 + 0.5


def test_stride_padding_dilation_by_hand():
    x = np.arange(1, 10, dtype=float).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    # zero padding 1 → 5×5; dilation 2 → taps 2 apart; stride 2 → outputs at rows/cols 0 and 2.
    y, _ = conv2d_forward(x, w, None, stride=2, padding=1, dilation=2)
    padded = np.pad(x[0, 0], 1)
    expected = [
        [padded[r, c] + padded[r, c + 2] + padded[r + 2, c] + padded[r + 2, c + 2] for c in (0, 2)]
        for r in (0, 2)
    ]
    np.testing.assert_array_equal(y[0, 0], expected)


def test_multi_channel_sums_channels_and_adds_one_bias_per_kernel():
    x = np.stack([np.ones((2, 3)), 2 * np.ones((2, 3))])[None]  # (1, 2, 2, 3)
    w = np.ones((3, 2, 1, 1)) * np.array([1.0, 10.0, -1.0])[:, None, None, None]
    y, _ = conv2d_forward(x, w, np.array([0.0, 1.0, 2.0]))
    np.testing.assert_array_equal(y[0, :, 0, 0], [3.0, 31.0, -1.0])


def test_backward_by_hand_one_output():
    x = np.arange(6, dtype=float).reshape(1, 1, 2, 3)
    w = np.array([[[[1.0, -1.0], [2.0, 0.5]]]])
    y, cache = conv2d_forward(x, w, np.zeros(1))
    dy = np.zeros_like(y)
    dy[0, 0, 0, 1] = 3.0  # only the window at columns 1..2
    dx, dw, db = conv2d_backward(dy, cache)
    np.testing.assert_array_equal(db, [3.0])
    np.testing.assert_array_equal(dw[0, 0], 3.0 * np.array([[1.0, 2.0], [4.0, 5.0]]))
    np.testing.assert_array_equal(dx[0, 0], [[0, 3.0, -3.0], [0, 6.0, 1.5]])


def test_true_convolution_is_correlation_with_the_flipped_kernel(rng):
    x = rng.normal(size=(1, 1, 6, 7))
    w = rng.normal(size=(1, 1, 3, 2))
    y, _ = conv2d_forward(x, flip_kernel(w), None)
    np.testing.assert_allclose(y[0, 0], signal.convolve2d(x[0, 0], w[0, 0], mode="valid"), atol=1e-12)


# --- output size and errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hw", "k", "stride", "padding", "dilation", "out"),
    [
        ((7, 5), (3, 3), 1, 0, 1, (5, 3)),
        ((7, 5), (3, 2), 2, 1, 1, (4, 3)),
        ((10, 8), (3, 3), 1, 0, 3, (4, 2)),
        ((9, 6), (1, 1), 4, 0, 1, (3, 2)),
        ((5, 4), (5, 4), 1, 0, 1, (1, 1)),
        ((6, 11), (2, 3), (1, 3), (2, 0), (2, 1), (8, 3)),
    ],
)
def test_output_size(rng, hw, k, stride, padding, dilation, out):
    x = rng.normal(size=(1, 1, *hw))
    y, _ = conv2d_forward(x, rng.normal(size=(2, 1, *k)), None, stride, padding, dilation)
    assert y.shape == (1, 2, *out)


@pytest.mark.parametrize(("k", "dilation"), [((3, 3), 1), ((4, 2), 1), ((3, 5), 2), ((2, 2), 3)])
def test_same_padding_keeps_the_size(rng, k, dilation):
    x = rng.normal(size=(1, 2, 9, 7))
    y, _ = conv2d_forward(x, rng.normal(size=(3, 2, *k)), None, padding="same", dilation=dilation)
    assert y.shape[2:] == (9, 7)


@pytest.mark.parametrize(
    ("n", "k", "s", "d", "pads"),
    [
        (8, 3, 2, 1, (0, 1)),  # the case: ceil(8 / 2) = 4 rows, TensorFlow pads (0, 1)
        (7, 3, 2, 1, (1, 1)),
        (9, 4, 3, 1, (0, 1)),
        (10, 1, 4, 1, (0, 0)),
        (6, 3, 2, 2, (1, 2)),
        (5, 3, 1, 1, (1, 1)),  # stride 1: d·(K − 1) in all, as before
    ],
)
def test_same_padding_at_a_stride_follows_tensorflow(n, k, s, d, pads):
    # TensorFlow's SAME: n_out = ceil(n / s), total = max((n_out − 1)·s + d·(K − 1) + 1 − n, 0), the odd
    # cell after. Worked out by hand for each row above.
    assert same_padding(k, d, s, n) == pads
    g = conv_geometry((1, 1, n, n + 1), (1, 1, k, k), stride=s, padding="same", dilation=d)
    assert g.padding[0] == pads
    assert g.out_size == (-(-n // s), -(-(n + 1) // s))


def test_same_padding_at_a_stride_gives_tensorflows_numbers(rng):
    # H = 8, K = 3, s = 2: rows 0..8 of the input padded with one zero row at the bottom only.
    x = rng.normal(size=(1, 1, 8, 8))
    w = rng.normal(size=(1, 1, 3, 3))
    y, _ = conv2d_forward(x, w, None, stride=2, padding="same")
    expected, _ = conv2d_forward(x, w, None, stride=2, padding=((0, 1), (0, 1)))
    np.testing.assert_array_equal(y, expected)
    assert y.shape[2:] == (4, 4)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.sampled_from(IMPLS))
def test_same_padding_gives_ceil_n_over_s_outputs(n, k, s, d, impl):
    x = np.ones((1, 1, n, n))
    y, cache = conv2d_forward(x, np.ones((1, 1, k, k)), None, stride=s, padding="same", dilation=d, impl=impl)
    assert y.shape[2:] == (-(-n // s),) * 2
    (top, bottom), _ = cache.geometry.padding
    assert 0 <= bottom - top <= 1


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("x_shape", "w_shape", "y_shape"),
    [
        ((1, 1, 5, 5), (0, 1, 3, 3), (1, 0, 3, 3)),  # no kernels: PyTorch returns (N, 0, H_out, W_out)
        ((0, 1, 5, 5), (2, 1, 3, 3), (0, 2, 3, 3)),  # an empty batch
        ((2, 0, 5, 4), (3, 0, 3, 3), (2, 3, 3, 2)),  # no channels: Z = b
    ],
)
def test_empty_axes_give_empty_results_not_numpy_errors(impl, x_shape, w_shape, y_shape):
    b = np.arange(w_shape[0], dtype=float)
    y, cache = conv2d_forward(np.ones(x_shape), np.ones(w_shape), b, impl=impl)
    assert y.shape == y_shape
    if x_shape[1] == 0:
        np.testing.assert_array_equal(y, np.broadcast_to(b[:, None, None], y_shape))
    dx, dw, db = conv2d_backward(np.ones(y_shape), cache)
    assert (dx.shape, dw.shape, db.shape) == (x_shape, w_shape, (w_shape[0],))


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kwargs", "words"),
    [
        ((1, 1, 4, 4), (1, 1, 5, 5), {}, "smaller kernel"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"stride": 0}, "stride"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"dilation": 0}, "dilation"),
        ((1, 3, 4, 4), (1, 1, 3, 3), {}, "as deep as the input"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"padding": 4, "pad_mode": "reflect"}, "Reflect padding"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"padding": 5, "pad_mode": "circular"}, "Circular padding"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"pad_mode": "mirror"}, "padding mode"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"padding": -1}, "negative"),
        ((1, 1, 4, 4), (1, 1, 3, 3), {"padding": "full"}, "same"),
        ((4, 4), (1, 1, 3, 3), {}, "4 axes"),
    ],
)
def test_invalid_hyper_parameters_raise_a_sentence(x_shape, w_shape, kwargs, words):
    with pytest.raises(ValueError, match=words):
        conv2d_forward(np.zeros(x_shape), np.zeros(w_shape), None, **kwargs)


def test_wrong_bias_count_and_upstream_shape_raise():
    with pytest.raises(ValueError, match="one bias per kernel"):
        conv2d_forward(np.zeros((1, 1, 4, 4)), np.zeros((2, 1, 3, 3)), np.zeros(3))
    _, cache = conv2d_forward(np.zeros((1, 1, 4, 4)), np.zeros((2, 1, 3, 3)), None)
    with pytest.raises(ValueError, match="output's shape"):
        conv2d_backward(np.zeros((1, 2, 3, 3)), cache)


# --- property tests against independent references ----------------------------------------------------


@st.composite
def conv_problems(draw, max_side=9):
    """Random non-square shapes and hyper-parameters that make a valid convolution."""
    N = draw(st.integers(1, 2))
    C = draw(st.integers(1, 3))
    F = draw(st.integers(1, 3))
    KH, KW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dh, dw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pad_mode = draw(st.sampled_from(PAD_MODES))
    H = draw(st.integers(3, max_side))
    W = draw(st.integers(3, max_side))
    limit_h, limit_w = (H - 1, W - 1) if pad_mode == "reflect" else (H, W)
    padding = (
        (draw(st.integers(0, min(3, limit_h))), draw(st.integers(0, min(3, limit_h)))),
        (draw(st.integers(0, min(3, limit_w))), draw(st.integers(0, min(3, limit_w)))),
    )
    span_h, span_w = dh * (KH - 1) + 1, dw * (KW - 1) + 1
    if span_h > H + sum(padding[0]) or span_w > W + sum(padding[1]):
        H, W = H + span_h, W + span_w  # make it fit
    seed = draw(st.integers(0, 2**32 - 1))
    return dict(
        shape=(N, C, H, W),
        w_shape=(F, C, KH, KW),
        stride=(sh, sw),
        padding=padding,
        dilation=(dh, dw),
        pad_mode=pad_mode,
        seed=seed,
    )


def _arrays(problem):
    rng = np.random.default_rng(problem["seed"])
    x = rng.normal(size=problem["shape"])
    w = rng.normal(size=problem["w_shape"])
    b = rng.normal(size=problem["w_shape"][0])
    hyper = {k: problem[k] for k in ("stride", "padding", "dilation", "pad_mode")}
    return rng, x, w, b, hyper


@settings(max_examples=80, deadline=None)
@given(conv_problems())
def test_forward_matches_scipy_correlate2d_per_channel(problem):
    _, x, w, b, hyper = _arrays(problem)
    y, cache = conv2d_forward(x, w, b, **hyper)
    g = cache.geometry
    x_pad = pad_input(x, g.padding, g.pad_mode)
    (dh, dw), (sh, sw) = g.dilation, g.stride
    for n in range(x.shape[0]):
        for f in range(w.shape[0]):
            # A dilated kernel is the kernel with d−1 zeros between taps; stride keeps every s-th output.
            expected = b[f]
            for c in range(x.shape[1]):
                dilated = np.zeros((dh * (w.shape[2] - 1) + 1, dw * (w.shape[3] - 1) + 1))
                dilated[::dh, ::dw] = w[f, c]
                expected = expected + signal.correlate2d(x_pad[n, c], dilated, mode="valid")[::sh, ::sw]
            np.testing.assert_allclose(y[n, f], expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=80, deadline=None)
@given(conv_problems())
def test_reference_and_fast_paths_agree(problem):
    rng, x, w, b, hyper = _arrays(problem)
    y_ref, cache_ref = conv2d_forward(x, w, b, **hyper, impl="reference")
    y_fast, cache_fast = conv2d_forward(x, w, b, **hyper, impl="fast")
    np.testing.assert_allclose(y_fast, y_ref, rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=y_ref.shape)
    for fast, ref in zip(conv2d_backward(dy, cache_fast), conv2d_backward(dy, cache_ref)):
        np.testing.assert_allclose(fast, ref, rtol=1e-11, atol=1e-11)


@settings(max_examples=40, deadline=None)
@given(conv_problems(max_side=7))
def test_gradients_match_central_differences(problem):
    rng, x, w, b, hyper = _arrays(problem)
    y, cache = conv2d_forward(x, w, b, **hyper)
    dy = rng.normal(size=y.shape)
    dx, dw, db = conv2d_backward(dy, cache)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)
    # The convolution is linear in each argument, so a central difference has no truncation error and a
    # larger step only shrinks the rounding error (|L|·1e-16/ε) that dominates at ε = 1e-6.
    eps = 1e-3
    num_dx = numerical_gradient_of_output(lambda v: conv2d_forward(v, w, b, **hyper)[0], x, dy, eps)
    num_dw = numerical_gradient_of_output(lambda v: conv2d_forward(x, v, b, **hyper)[0], w, dy, eps)
    num_db = numerical_gradient_of_output(lambda v: conv2d_forward(x, w, v, **hyper)[0], b, dy, eps)
    assert relative_error(dx, num_dx) <= 1e-7
    assert relative_error(dw, num_dw) <= 1e-7
    assert relative_error(db, num_db) <= 1e-7


def test_gradient_check_catches_a_wrong_backward(rng):
    """Swap the kernel for its unrotated transpose in dX: the check must fail loudly."""
    x = rng.normal(size=(1, 2, 5, 6))
    w = rng.normal(size=(3, 2, 3, 2))
    b = rng.normal(size=3)
    y, cache = conv2d_forward(x, w, b, stride=(1, 2), padding=1)
    dy = rng.normal(size=y.shape)
    wrong_cache = cache._replace(w=flip_kernel(w))  # a classic bug: the kernel flipped in the backward pass
    dx_wrong, _, _ = conv2d_backward(dy, wrong_cache)
    num_dx = numerical_gradient_of_output(
        lambda v: conv2d_forward(v, w, b, stride=(1, 2), padding=1)[0], x, dy
    )
    assert relative_error(dx_wrong, num_dx) > 1e-2


@pytest.mark.parametrize("pad_mode", PAD_MODES)
@pytest.mark.parametrize(("stride", "dilation"), [(1, 1), ((2, 1), (1, 2)), (3, 2)])
def test_matches_torch_when_installed(rng, pad_mode, stride, dilation):
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(2, 3, 9, 8))
    w = rng.normal(size=(4, 3, 3, 2))
    b = rng.normal(size=4)
    y, cache = conv2d_forward(x, w, b, stride, 2, dilation, pad_mode)
    layer = torch.nn.Conv2d(3, 4, (3, 2), stride, 2, dilation, padding_mode=pad_mode, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        layer.bias.copy_(torch.from_numpy(b))
    xt = torch.from_numpy(x.copy()).requires_grad_(True)
    yt = layer(xt)
    dy = rng.normal(size=y.shape)
    yt.backward(torch.from_numpy(dy))
    dx, dw, db = conv2d_backward(dy, cache)
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(dw, layer.weight.grad.numpy(), atol=1e-11)
    np.testing.assert_allclose(db, layer.bias.grad.numpy(), atol=1e-11)


def test_blocked_fast_path_equals_one_block(rng, monkeypatch):
    """Large images are done in blocks of rows; tiny blocks must give the same numbers as one block."""
    x = rng.normal(size=(2, 3, 13, 11))
    w = rng.normal(size=(2, 3, 3, 4))
    b = rng.normal(size=2)
    hyper = dict(stride=(2, 1), padding=((1, 2), (0, 3)), dilation=(1, 2), pad_mode="replicate")
    y_one, cache = conv2d_forward(x, w, b, **hyper)
    dy = rng.normal(size=y_one.shape)
    grads_one = conv2d_backward(dy, cache)
    monkeypatch.setattr(conv_fast, "BLOCK_BYTES", 1)  # one output row a block
    y_blocks, cache = conv2d_forward(x, w, b, **hyper)
    np.testing.assert_allclose(y_blocks, y_one, atol=1e-12)
    for got, want in zip(conv2d_backward(dy, cache), grads_one):
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_float32_stays_float32(rng):
    x = rng.normal(size=(1, 1, 5, 4)).astype(np.float32)
    w = rng.normal(size=(1, 1, 2, 2)).astype(np.float32)
    y, cache = conv2d_forward(x, w, None)
    assert y.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv2d_backward(np.ones_like(y), cache))


def test_geometry_reports_resolved_parameters():
    g = conv_geometry((1, 3, 10, 8), (4, 3, 4, 3), stride=(2, 1), padding="same", dilation=1)
    # Height at stride 2 (TensorFlow's SAME): 5 rows, (5 − 1)·2 + 4 − 10 = 2 cells of padding in all.
    assert g.padding == ((1, 1), (1, 1))
    assert g.out_size == (5, 8)


def test_backward_from_kept_columns_equals_rebuilding_them(rng, monkeypatch):
    """Small problems keep the forward pass's columns for the backward pass; the numbers must not change."""
    x = rng.normal(size=(3, 2, 7, 9))
    w = rng.normal(size=(4, 2, 2, 3))
    b = rng.normal(size=4)
    hyper = dict(stride=(1, 2), padding=((2, 1), (1, 0)), dilation=(2, 1), pad_mode="reflect")
    y, cache = conv2d_forward(x, w, b, **hyper)
    assert cache.columns is not None
    dy = rng.normal(size=y.shape)
    kept = conv2d_backward(dy, cache)
    monkeypatch.setattr(conv_fast, "KEEP_COLUMNS_BYTES", 0)
    _, cache = conv2d_forward(x, w, b, **hyper)
    assert cache.columns is None
    for got, want in zip(kept, conv2d_backward(dy, cache)):
        np.testing.assert_allclose(got, want, atol=1e-12)
