"""Dense layer: a hand-computed case, shape errors, gradients against central differences and PyTorch
over random non-square shapes, and a wrong backward that the gradient check catches."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.dense import dense_backward, dense_forward
from engine.gradcheck import numerical_gradient_of_output, relative_error

# The layer is linear in each of x, w and b, so central differences are exact up to rounding at any step;
# a large step keeps that rounding (≈ 1e-16·|L| / ε) far below the 1e-7 threshold, even for a gradient
# entry whose terms almost cancel.
EPS = 0.5


def random_upstream(shape, rng: np.random.Generator) -> np.ndarray:
    """A random upstream gradient with magnitudes in [0.5, 1.5] and random signs.

    An upstream entry near 0 makes its gradient entries near 0, and the relative error of a near-zero
    entry measures only the rounding of the finite difference, not the backward pass.
    """
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def test_dense_by_hand():
    x = np.array([[1.0, 2.0, 3.0]])
    w = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([10.0, 20.0])
    y, cache = dense_forward(x, w, b)
    np.testing.assert_array_equal(y, [[1 - 3 + 10, 2 + 2 + 20]])
    dx, dw, db = dense_backward(np.array([[1.0, 2.0]]), cache)
    np.testing.assert_array_equal(dx, [[1 + 4, 0 + 2, -1 + 0]])  # dY W
    np.testing.assert_array_equal(dw, [[1, 2, 3], [2, 4, 6]])  # dYᵀ X
    np.testing.assert_array_equal(db, [1, 2])


def test_batch_gradients_sum_over_examples():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    w = np.array([[1.0, 1.0]])
    _, cache = dense_forward(x, w, np.zeros(1))
    _, dw, db = dense_backward(np.ones((3, 1)), cache)
    np.testing.assert_array_equal(dw, [[3, 3]])
    np.testing.assert_array_equal(db, [3])


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "b_shape", "message"),
    [
        ((3,), (2, 3), (2,), "input must be 2-D"),
        ((4, 3), (2, 3, 1), (2,), "weights must be 2-D"),
        ((4, 3), (2, 3), (2, 1), "biases must be 1-D"),
        ((4, 3), (2, 5), (2,), "3 features but the weights expect 5 inputs"),
        ((4, 3), (2, 3), (3,), "2 outputs but 3 biases"),
    ],
)
def test_shape_mismatch_raises_a_readable_value_error(x_shape, w_shape, b_shape, message):
    with pytest.raises(ValueError, match=message):
        dense_forward(np.zeros(x_shape), np.zeros(w_shape), np.zeros(b_shape))


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    _, cache = dense_forward(np.zeros((4, 3)), np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"output's shape \(4, 2\)"):
        dense_backward(np.zeros((2, 4)), cache)


# ---------------------------------------------------------------------------------------------------------
# Properties over random non-square shapes


@st.composite
def dense_cases(draw):
    """(x, w, b, dy) with N, D_in and D_out drawn independently (D_in ≠ D_out, so w is never square)."""
    N, D_in = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    D_out = draw(st.integers(1, 6).filter(lambda d: d != D_in))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return (
        rng.standard_normal((N, D_in)),
        rng.standard_normal((D_out, D_in)),
        rng.standard_normal(D_out),
        random_upstream((N, D_out), rng),
    )


@settings(max_examples=50, deadline=None)
@given(dense_cases())
def test_gradients_match_central_differences(case):
    x, w, b, dy = case
    y, cache = dense_forward(x, w, b)
    assert y.shape == dy.shape
    dx, dw, db = dense_backward(dy, cache)
    # Every gradient has exactly the shape of the quantity it belongs to.
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)
    assert (
        relative_error(dx, numerical_gradient_of_output(lambda v: dense_forward(v, w, b)[0], x, dy, EPS))
        <= 1e-7
    )
    assert (
        relative_error(dw, numerical_gradient_of_output(lambda v: dense_forward(x, v, b)[0], w, dy, EPS))
        <= 1e-7
    )
    assert (
        relative_error(db, numerical_gradient_of_output(lambda v: dense_forward(x, w, v)[0], b, dy, EPS))
        <= 1e-7
    )


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@settings(max_examples=20, deadline=None)
@given(case=dense_cases())
def test_forward_and_backward_match_pytorch(torch, case):
    x, w, b, dy = case
    x_t, w_t, b_t = (torch.tensor(v, requires_grad=True) for v in (x, w, b))
    y_t = torch.nn.functional.linear(x_t, w_t, b_t)  # also x wᵀ + b with w (D_out, D_in)
    y_t.backward(torch.tensor(dy))
    y, cache = dense_forward(x, w, b)
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    for ours, theirs in zip(dense_backward(dy, cache), (x_t, w_t, b_t), strict=True):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_gradient_check_catches_w_in_place_of_w_transposed(rng):
    # With a non-square w the slip dx = dY Wᵀ fails on shapes alone; a square w lets it run, and only
    # the numerical check can tell.
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)), rng.standard_normal(3)
    dy = random_upstream((4, 3), rng)
    _, cache = dense_forward(x, w, b)
    numeric = numerical_gradient_of_output(lambda v: dense_forward(v, w, b)[0], x, dy, EPS)
    dx, _, _ = dense_backward(dy, cache)
    assert relative_error(dx, numeric) <= 1e-7
    assert relative_error(dy @ w.T, numeric) >= 1e-2
