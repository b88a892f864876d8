"""Batch norm, split and concatenation: hand-computed cases, errors, gradients against central differences
(4-D and 2-D batch norm) and PyTorch, and a wrong batch-norm backward that the gradient check catches."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.gradcheck import numerical_gradient_of_output, relative_error
from engine.norm import (
    batchnorm_backward,
    batchnorm_forward,
    concat_backward,
    concat_forward,
    split_backward,
    split_forward,
)

# Split and concatenation are linear: central differences are exact up to rounding at any step, and the
# rounding (≈ 1e-16·|L| / ε) is smallest for a large step.
LINEAR_EPS = 0.5


def random_upstream(shape, rng: np.random.Generator) -> np.ndarray:
    """A random upstream gradient with magnitudes in [0.5, 1.5] and random signs.

    An upstream entry near 0 makes its gradient entries near 0, and the relative error of a near-zero
    entry measures only the rounding of the finite difference, not the backward pass.
    """
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def central_difference(forward, x, upstream, eps=3e-3):
    """Central differences at ε and ε/2 combined (Richardson) so their ε² error terms cancel.

    Plain central differences at ε ≈ 1e-6 are only good to about 1e-7 relative on small entries (the
    rounding of Σ upstream ⊙ out, divided by 2ε); this combination is good to about 1e-9 here.
    """
    coarse = numerical_gradient_of_output(forward, x, upstream, eps=eps)
    fine = numerical_gradient_of_output(forward, x, upstream, eps=eps / 2)
    return (4 * fine - coarse) / 3


def dx_relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """`relative_error`, with each entry measured against at least 1e-4 of the gradient's largest entry.

    The entries of batch norm's dx within a channel sum to zero, so some land near zero by chance. The
    finite difference of such an entry carries the same absolute rounding error as the others (≈ 1e-13),
    which would read as a large *relative* error of an entry a million times smaller than its neighbours:
    an error of the numerical gradient, not of the backward pass. A wrong backward pass is off by about the
    gradient's own size and still fails by orders of magnitude.
    """
    floor = 1e-4 * max(np.abs(analytic).max(), np.abs(numeric).max(), 1e-12)
    return float(np.max(np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)))


def spread_values(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Distinct values with a little noise: no channel is (nearly) constant, where batch norm is ill-posed."""
    size = int(np.prod(shape))
    values = (rng.permutation(size) - size / 2) / np.sqrt(size) + rng.uniform(-0.1, 0.1, size)
    return values.reshape(shape)


# ---------------------------------------------------------------------------------------------------------
# Batch norm by hand


def test_batchnorm_2d_by_hand():
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    y, cache = batchnorm_forward(x, gamma=np.array([1.0, 2.0]), beta=np.array([0.0, 1.0]), eps=0.0)
    np.testing.assert_array_equal(cache.mean, [2, 20])
    np.testing.assert_array_equal(cache.var, [1, 100])  # biased: divides by N = 2
    np.testing.assert_array_equal(cache.x_hat, [[-1, -1], [1, 1]])
    np.testing.assert_array_equal(y, [[-1, -1], [1, 3]])


def test_batchnorm_4d_normalizes_each_channel_over_batch_height_and_width(rng):
    x = rng.standard_normal((3, 2, 4, 5)) * np.array([1.0, 10.0])[None, :, None, None] + 7.0
    gamma, beta = np.array([2.0, 0.5]), np.array([-1.0, 3.0])
    y, cache = batchnorm_forward(x, gamma, beta)
    assert cache.mean.shape == cache.var.shape == (2,)
    np.testing.assert_allclose(cache.mean, x.mean(axis=(0, 2, 3)), rtol=1e-14)
    np.testing.assert_allclose(cache.var, x.var(axis=(0, 2, 3)), rtol=1e-14)
    np.testing.assert_allclose(cache.x_hat.mean(axis=(0, 2, 3)), 0.0, atol=1e-14)
    np.testing.assert_allclose(cache.x_hat.var(axis=(0, 2, 3)), cache.var / (cache.var + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), beta, atol=1e-13)


def test_batchnorm_gradients_of_gamma_and_beta_by_hand():
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    _, cache = batchnorm_forward(x, np.array([1.0, 2.0]), np.array([0.0, 1.0]), eps=0.0)
    dx, dgamma, dbeta = batchnorm_backward(np.array([[1.0, 2.0], [3.0, 5.0]]), cache)
    np.testing.assert_array_equal(dgamma, [-1 + 3, -2 + 5])  # Σ dy · x̂, x̂ = ∓1
    np.testing.assert_array_equal(dbeta, [1 + 3, 2 + 5])
    # With two examples x̂ = ±1 whatever x is (for ε = 0), so y does not depend on x at all.
    np.testing.assert_allclose(dx, 0.0, atol=1e-15)


@pytest.mark.parametrize(
    ("x_shape", "C", "message"),
    [
        ((2, 3, 4), 3, "expects"),
        ((5,), 5, "expects"),
        ((2, 3, 4, 5), 4, r"gamma must hold one number per channel, shape \(3,\)"),
        ((0, 3), 3, "at least one example"),
    ],
)
def test_batchnorm_rejects_bad_shapes(x_shape, C, message):
    with pytest.raises(ValueError, match=message):
        batchnorm_forward(np.zeros(x_shape), np.ones(C), np.zeros(C))


def test_batchnorm_backward_rejects_a_gradient_of_the_wrong_shape():
    _, cache = batchnorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"input's shape \(2, 3\)"):
        batchnorm_backward(np.ones((3, 2)), cache)


# ---------------------------------------------------------------------------------------------------------
# Batch norm gradients over random non-square shapes, 4-D and 2-D


@st.composite
def batchnorm_cases(draw):
    """(x, gamma, beta, dy): x is (N, C, H, W) with H ≠ W or (N, D), at least 3 values per channel."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        H = draw(st.integers(1, 4))
        shape = (
            draw(st.integers(1, 3)),
            draw(st.integers(1, 3)),
            H,
            draw(st.integers(1, 4).filter(lambda w: w != H)),
        )
    else:
        shape = (draw(st.integers(3, 6)), draw(st.integers(1, 4)))
    if np.prod(shape) // shape[1] < 3:
        shape = (3, *shape[1:])
    C = shape[1]
    return (
        spread_values(shape, rng),
        random_upstream(C, rng),  # γ of either sign, not near 0 (a channel scaled by ~0 has ~0 gradient)
        rng.standard_normal(C),
        random_upstream(shape, rng),
    )


@settings(max_examples=50, deadline=None)
@given(batchnorm_cases())
def test_batchnorm_gradients_match_central_differences(case):
    x, gamma, beta, dy = case
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    assert (dx.shape, dgamma.shape, dbeta.shape) == (x.shape, gamma.shape, beta.shape)
    numeric_dx = central_difference(lambda v: batchnorm_forward(v, gamma, beta)[0], x, dy)
    assert dx_relative_error(dx, numeric_dx) <= 1e-7
    numeric_dgamma = central_difference(lambda v: batchnorm_forward(x, v, beta)[0], gamma, dy)
    assert relative_error(dgamma, numeric_dgamma) <= 1e-7
    numeric_dbeta = central_difference(lambda v: batchnorm_forward(x, gamma, v)[0], beta, dy)
    assert relative_error(dbeta, numeric_dbeta) <= 1e-7


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@settings(max_examples=25, deadline=None)
@given(case=batchnorm_cases())
def test_batchnorm_matches_pytorch_in_training_mode(torch, case):
    x, gamma, beta, dy = case
    x_t, gamma_t, beta_t = (torch.tensor(v, requires_grad=True) for v in (x, gamma, beta))
    y_t = torch.nn.functional.batch_norm(x_t, None, None, gamma_t, beta_t, training=True, eps=1e-5)
    y_t.backward(torch.tensor(dy))
    y, cache = batchnorm_forward(x, gamma, beta, eps=1e-5)
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in zip(batchnorm_backward(dy, cache), (x_t, gamma_t, beta_t), strict=True):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_gradient_check_catches_a_backward_that_ignores_the_batch_statistics(rng):
    x, gamma, beta = spread_values((4, 2, 3, 5), rng), rng.standard_normal(2), rng.standard_normal(2)
    dy = random_upstream(x.shape, rng)
    _, cache = batchnorm_forward(x, gamma, beta)
    numeric = central_difference(lambda v: batchnorm_forward(v, gamma, beta)[0], x, dy)
    # Treats mean and variance as constants: only the direct path dy · γ / sqrt(σ² + ε).
    wrong = dy * gamma[None, :, None, None] / np.sqrt(cache.var[None, :, None, None] + cache.eps)
    assert dx_relative_error(batchnorm_backward(dy, cache)[0], numeric) <= 1e-7
    assert dx_relative_error(wrong, numeric) >= 1e-2


# ---------------------------------------------------------------------------------------------------------
# Split


def test_split_copies_are_independent_and_gradients_add_up():
    x = np.array([[1.0, 2.0, 3.0]])
    outs, cache = split_forward(x, copies=3)
    assert len(outs) == 3
    for out in outs:
        np.testing.assert_array_equal(out, x)
    outs[0][0, 0] = 99.0
    assert x[0, 0] == 1.0 and outs[1][0, 0] == 1.0
    dx = split_backward([np.full((1, 3), 1.0), np.full((1, 3), 2.0), np.full((1, 3), 3.0)], cache)
    np.testing.assert_array_equal(dx, np.full((1, 3), 6.0))


@pytest.mark.parametrize(
    ("copies", "douts", "message"),
    [
        (0, None, "at least 1"),
        (2.0, None, "whole number"),
        (2, [np.zeros((2, 3))], "made 2 copies but got 1"),
        (2, [np.zeros((2, 3)), np.zeros((3, 2))], r"input's shape \(2, 3\)"),
    ],
)
def test_split_errors(copies, douts, message):
    with pytest.raises(ValueError, match=message):
        _, cache = split_forward(np.zeros((2, 3)), copies)
        split_backward(douts, cache)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_split_gradient_matches_central_differences(shape, copies, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    douts = [random_upstream(shape, rng) for _ in range(copies)]
    _, cache = split_forward(x, copies)
    numeric = numerical_gradient_of_output(
        lambda v: np.stack(split_forward(v, copies)[0]), x, np.stack(douts), LINEAR_EPS
    )
    assert relative_error(split_backward(douts, cache), numeric) <= 1e-7


# ---------------------------------------------------------------------------------------------------------
# Concatenation


def test_concat_along_channels_by_hand():
    a = np.arange(4.0).reshape(1, 1, 2, 2)
    b = -np.arange(8.0).reshape(1, 2, 2, 2)
    y, cache = concat_forward([a, b], axis=1)
    assert y.shape == (1, 3, 2, 2)
    np.testing.assert_array_equal(y[:, :1], a)
    np.testing.assert_array_equal(y[:, 1:], b)
    assert cache.sizes == (1, 2)
    da, db = concat_backward(np.arange(12.0).reshape(1, 3, 2, 2), cache)
    np.testing.assert_array_equal(da, np.arange(4.0).reshape(1, 1, 2, 2))
    np.testing.assert_array_equal(db, np.arange(4.0, 12.0).reshape(1, 2, 2, 2))


def test_concat_with_a_negative_axis():
    y, cache = concat_forward([np.zeros((2, 3)), np.ones((2, 1))], axis=-1)
    np.testing.assert_array_equal(y, [[0, 0, 0, 1], [0, 0, 0, 1]])
    assert cache.axis == 1
    assert [d.shape for d in concat_backward(np.zeros((2, 4)), cache)] == [(2, 3), (2, 1)]


@pytest.mark.parametrize(
    ("xs", "axis", "message"),
    [
        ([], 1, "at least one input"),
        ([np.zeros((2, 3))], 2, "axis must be -2…1"),
        ([np.zeros((2, 3, 4)), np.zeros((2, 5, 3))], 1, "must match on every axis except axis 1"),
        ([np.zeros((2, 3)), np.zeros((2, 3, 1))], 0, "must match"),
    ],
)
def test_concat_errors(xs, axis, message):
    with pytest.raises(ValueError, match=message):
        concat_forward(xs, axis)


def test_concat_backward_rejects_a_gradient_of_the_wrong_length():
    _, cache = concat_forward([np.zeros((2, 3)), np.zeros((2, 2))], axis=1)
    with pytest.raises(ValueError, match="length 5 along axis 1"):
        concat_backward(np.zeros((2, 4)), cache)


@st.composite
def concat_cases(draw):
    """(xs, axis, dy): 1–3 arrays of 1–4 axes that differ only along `axis`."""
    base = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    axis = draw(st.integers(-len(base), len(base) - 1))
    lengths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shapes = [tuple(n if a != axis % len(base) else k for a, n in enumerate(base)) for k in lengths]
    xs = [rng.standard_normal(s) for s in shapes]
    out_shape = list(base)
    out_shape[axis] = sum(lengths)
    return xs, axis, random_upstream(out_shape, rng)


@settings(max_examples=30, deadline=None)
@given(concat_cases())
def test_concat_gradients_match_central_differences(case):
    xs, axis, dy = case
    _, cache = concat_forward(xs, axis)
    dxs = concat_backward(dy, cache)
    assert [d.shape for d in dxs] == [x.shape for x in xs]
    for i, x in enumerate(xs):

        def forward(v, i=i):
            return concat_forward([*xs[:i], v, *xs[i + 1 :]], axis)[0]

        assert relative_error(dxs[i], numerical_gradient_of_output(forward, x, dy, LINEAR_EPS)) <= 1e-7
