"""Losses: MSE against its formula, softmax and cross-entropy by hand and at extreme logits, gradients
against central differences and PyTorch, and readable errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.gradcheck import numerical_gradient, numerical_gradient_of_output, relative_error
from engine.losses import log_softmax, mse_loss, one_hot, softmax, softmax_cross_entropy


def central_difference(f, x, eps=3e-3):
    """Central differences of a scalar f at ε and ε/2 combined (Richardson) so their ε² errors cancel.

    Plain central differences at ε ≈ 1e-6 are only good to about 1e-7 relative on small entries (the
    rounding of f divided by 2ε); this combination is accurate to about 1e-10 here.
    """
    return (4 * numerical_gradient(f, x, eps / 2) - numerical_gradient(f, x, eps)) / 3


# ---------------------------------------------------------------------------------------------------------
# MSE


def test_mse_by_hand():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = np.array([[0.0, 2.0], [3.0, 2.0]])
    loss, dy = mse_loss(y, t)
    assert loss == (1**2 + 2**2) / (2 * 2)
    np.testing.assert_array_equal(dy, [[0.5, 0.0], [0.0, 1.0]])


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 5)])
def test_mse_matches_its_formula_and_gradient(rng, shape):
    y, t = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, dy = mse_loss(y, t)
    N = shape[0]
    np.testing.assert_allclose(loss, np.sum((y - t) ** 2) / (2 * N), rtol=1e-14)
    # A quadratic: central differences are exact up to rounding at any step (the ε² term is 0).
    numeric = numerical_gradient(lambda v: mse_loss(v, t)[0], y, eps=0.5)
    assert relative_error(dy, numeric) <= 1e-7


@pytest.mark.parametrize(
    ("y", "t", "message"),
    [
        (np.zeros((3, 2)), np.zeros((2, 3)), "same shape"),
        (np.zeros(()), np.zeros(()), "at least one example"),
        (np.zeros((0, 2)), np.zeros((0, 2)), "at least one example"),
    ],
)
def test_mse_rejects_bad_shapes(y, t, message):
    with pytest.raises(ValueError, match=message):
        mse_loss(y, t)


# ---------------------------------------------------------------------------------------------------------
# Softmax and cross-entropy by hand


def test_softmax_by_hand_and_rows_sum_to_one(rng):
    np.testing.assert_allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75], rtol=1e-15)
    p = softmax(rng.standard_normal((4, 7)))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)
    assert np.all(p > 0)


def test_softmax_ignores_a_constant_added_to_a_row(rng):
    z = rng.standard_normal((3, 5))
    np.testing.assert_allclose(softmax(z + 1000.0), softmax(z), rtol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(z)), softmax(z), rtol=1e-14)


def test_cross_entropy_by_hand():
    loss, dlogits = softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([0]))
    assert loss == pytest.approx(np.log(2.0), rel=1e-15)
    np.testing.assert_allclose(dlogits, [[-0.5, 0.5]], rtol=1e-15)
    # Batch of two: the loss and the gradient are averaged, so each row's gradient is halved.
    loss, dlogits = softmax_cross_entropy(np.array([[0.0, 0.0], [np.log(3.0), 0.0]]), np.array([0, 0]))
    assert loss == pytest.approx((np.log(2.0) + np.log(4 / 3)) / 2, rel=1e-14)
    np.testing.assert_allclose(dlogits, [[-0.25, 0.25], [-0.125, 0.125]], rtol=1e-14)


def test_logits_of_a_thousand_stay_finite_without_warnings():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        p = softmax(logits)
        loss, dlogits = softmax_cross_entropy(logits, np.array([1, 2]))
    np.testing.assert_allclose(p, [[1, 0, 0], [0, 0.5, 0.5]], atol=1e-300)
    # Row 0 puts the label 1000 below the winner: −log p = 1000. Row 1: −log ½.
    assert loss == pytest.approx((1000.0 + np.log(2.0)) / 2, rel=1e-15)
    np.testing.assert_allclose(dlogits, [[0.5, -0.5, 0], [0, 0.25, -0.25]], atol=1e-300)


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(
    ("logits", "labels", "message"),
    [
        (np.zeros(3), np.array([0]), "logits must be 2-D"),
        (np.zeros((2, 3)), np.array([[0, 1]]), "labels must be 1-D"),
        (np.zeros((2, 3)), np.array([0.0, 1.0]), "whole class indices"),
        (np.zeros((2, 3)), np.array([0, 3]), "from 0 to 2"),
        (np.zeros((2, 3)), np.array([-1, 0]), "from 0 to 2"),
        (np.zeros((2, 3)), np.array([0, 1, 2]), "2 rows of logits but 3 labels"),
        (np.zeros((0, 3)), np.array([], dtype=int), "at least one example"),
    ],
)
def test_cross_entropy_rejects_bad_inputs(logits, labels, message):
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(logits, labels)


# ---------------------------------------------------------------------------------------------------------
# Properties over random batches


@st.composite
def classification_cases(draw):
    """(logits (N, K), labels (N,)) with N ≠ K."""
    N = draw(st.integers(1, 6))
    K = draw(st.integers(2, 7).filter(lambda k: k != N))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.standard_normal((N, K)), rng.integers(0, K, N)


@settings(max_examples=50, deadline=None)
@given(classification_cases())
def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n(case):
    logits, labels = case
    N, K = logits.shape
    loss, dlogits = softmax_cross_entropy(logits, labels)
    np.testing.assert_allclose(dlogits, (softmax(logits) - one_hot(labels, K)) / N, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(loss, -np.mean(np.log(softmax(logits)[np.arange(N), labels])), rtol=1e-12)
    numeric = central_difference(lambda v: softmax_cross_entropy(v, labels)[0], logits)
    assert relative_error(dlogits, numeric) <= 1e-7


@settings(max_examples=30, deadline=None)
@given(classification_cases())
def test_mse_gradient_matches_central_differences(case):
    y, labels = case
    t = one_hot(labels, y.shape[1])
    _, dy = mse_loss(y, t)
    # As a layer: L = Σ upstream ⊙ loss; with upstream 1 this is the loss itself.
    numeric = numerical_gradient_of_output(lambda v: np.array(mse_loss(v, t)[0]), y, np.array(1.0), eps=0.5)
    assert relative_error(dy, numeric) <= 1e-7


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@settings(max_examples=20, deadline=None)
@given(case=classification_cases())
def test_cross_entropy_matches_pytorch(torch, case):
    logits, labels = case
    logits_t = torch.tensor(logits, requires_grad=True)
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.tensor(labels))  # mean over the batch
    loss_t.backward()
    loss, dlogits = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(loss_t.item(), rel=1e-13)
    np.testing.assert_allclose(dlogits, logits_t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_gradient_check_catches_a_gradient_missing_the_batch_average(rng):
    logits, labels = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    numeric = central_difference(lambda v: softmax_cross_entropy(v, labels)[0], logits)
    wrong = softmax(logits) - one_hot(labels, 3)  # forgets the 1/N of the mean
    assert relative_error(softmax_cross_entropy(logits, labels)[1], numeric) <= 1e-7
    assert relative_error(wrong, numeric) >= 1e-2
