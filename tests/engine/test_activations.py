"""Activations: hand-computed values and derivatives, the kink conventions, numerical stability, errors,
and the backward pass against central differences and PyTorch over random non-square shapes."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.activations import (
    ACTIVATIONS,
    LEAKY_SLOPE,
    activation_backward,
    activation_derivative,
    activation_forward,
    sigmoid,
)
from engine.gradcheck import numerical_gradient_of_output, relative_error

Z = np.array([[-2.0, 0.0, 3.0]])


def random_upstream(shape, rng: np.random.Generator) -> np.ndarray:
    """A random upstream gradient with magnitudes in [0.5, 1.5] and random signs.

    An upstream entry near 0 makes its gradient entries near 0, and the relative error of a near-zero
    entry measures only the rounding of the finite difference, not the backward pass.
    """
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def central_difference(forward, x, upstream, eps=3e-3):
    """Central differences at ε and ε/2 combined (Richardson) so their ε² error terms cancel.

    Plain central differences at ε ≈ 1e-6 are only good to about 1e-7 relative on the smallest entries
    (rounding of the scalar Σ upstream ⊙ out, divided by 2ε), so a smooth layer could fail a 1e-7 check
    that its backward pass deserves to pass; this combination is accurate to about 1e-10 here.
    """
    coarse = numerical_gradient_of_output(forward, x, upstream, eps=eps)
    fine = numerical_gradient_of_output(forward, x, upstream, eps=eps / 2)
    return (4 * fine - coarse) / 3


# ---------------------------------------------------------------------------------------------------------
# Hand-computed values


@pytest.mark.parametrize(
    ("kind", "a", "derivative"),
    [
        ("identity", [[-2, 0, 3]], [[1, 1, 1]]),
        ("relu", [[0, 0, 3]], [[0, 0, 1]]),  # ReLU'(0) = 0 by convention
        ("leaky_relu", [[-0.02, 0, 3]], [[0.01, 0.01, 1]]),  # z > 0 counts as positive, so 0 gets the slope
    ],
)
def test_piecewise_linear_activations_by_hand(kind, a, derivative):
    out, cache = activation_forward(Z, kind)
    np.testing.assert_allclose(out, a, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(activation_derivative(Z, kind), derivative)
    np.testing.assert_allclose(
        activation_backward(np.array([[10.0, 20.0, 30.0]]), cache), np.multiply([[10, 20, 30]], derivative)
    )


def test_sigmoid_and_tanh_by_hand():
    s = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(activation_forward(Z, "sigmoid")[0], s, rtol=1e-15)
    assert sigmoid(np.array(0.0)) == 0.5
    assert activation_derivative(np.array([0.0]), "sigmoid")[0] == 0.25
    # s(1 − s) itself loses a few ulps to cancellation: the engine's stable form differs by ~3e-15.
    np.testing.assert_allclose(activation_derivative(Z, "sigmoid"), s * (1 - s), rtol=1e-14)
    np.testing.assert_allclose(activation_forward(Z, "tanh")[0], np.tanh(Z), rtol=1e-15)
    assert activation_derivative(np.array([0.0]), "tanh")[0] == 1.0
    np.testing.assert_allclose(activation_derivative(Z, "tanh"), 1 - np.tanh(Z) ** 2, rtol=1e-14)


@settings(max_examples=200, deadline=None)
@given(st.floats(-700.0, 700.0))
def test_sigmoid_slope_is_positive_and_precise_far_into_saturation(z):
    # An independent form: σ'(z) = 1 / (4 cosh²(z / 2)). s(1 − s) cancelled to exactly 0 for z ≳ 36.7,
    # though σ'(40) ≈ 4.2e-18: the activations page says "σ'(Z) is never 0".
    slope = activation_derivative(np.array([z]), "sigmoid")[0]
    assert slope > 0
    np.testing.assert_allclose(slope, 1.0 / (4.0 * np.cosh(z / 2.0) ** 2), rtol=1e-13)


@settings(max_examples=200, deadline=None)
@given(st.floats(-350.0, 350.0))
def test_tanh_slope_is_positive_and_precise_far_into_saturation(z):
    # tanh'(z) = 1 / cosh²(z); 1 − tanh² cancelled to exactly 0 for |z| ≳ 19.
    slope = activation_derivative(np.array([z]), "tanh")[0]
    assert slope > 0
    np.testing.assert_allclose(slope, 1.0 / np.cosh(z) ** 2, rtol=1e-13)


def test_saturated_slopes_by_hand():
    e40 = np.exp(-40.0)
    assert activation_derivative(np.array([40.0]), "sigmoid")[0] == pytest.approx(e40, rel=1e-15)
    assert activation_derivative(np.array([-40.0]), "sigmoid")[0] == pytest.approx(e40, rel=1e-15)
    assert activation_derivative(np.array([20.0]), "tanh")[0] == pytest.approx(4 * np.exp(-40.0), rel=1e-15)


def test_constants():
    assert ACTIVATIONS == ("identity", "relu", "leaky_relu", "sigmoid", "tanh")
    assert LEAKY_SLOPE == 0.01


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_large_inputs_give_no_overflow_warning_and_sensible_values(kind):
    z = np.array([-1000.0, -40.0, 40.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a, cache = activation_forward(z, kind)
        dz = activation_backward(np.ones_like(z), cache)
    assert np.all(np.isfinite(a))
    assert np.all(np.isfinite(dz))
    if kind == "sigmoid":
        np.testing.assert_array_equal(a[[0, 3]], [0.0, 1.0])
        np.testing.assert_array_equal(dz[[0, 3]], [0.0, 0.0])


def test_forward_does_not_alias_its_input():
    z = np.array([1.0, -1.0])
    a, _ = activation_forward(z, "identity")
    a[0] = 99.0
    assert z[0] == 1.0


@pytest.mark.parametrize("function", [activation_forward, activation_derivative])
def test_unknown_kind_raises_a_readable_value_error(function):
    with pytest.raises(ValueError, match="must be one of identity, relu"):
        function(Z, "softplus")


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    _, cache = activation_forward(np.zeros((2, 3)), "relu")
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        activation_backward(np.zeros((3, 2)), cache)


# ---------------------------------------------------------------------------------------------------------
# Properties over random non-square shapes


@st.composite
def activation_cases(draw):
    """(z, upstream, kind): z in [−3, 3] but at least 0.1 away from the kink at 0, non-square shape."""
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=4)))
    if len(shape) >= 2 and len(set(shape)) == 1:
        shape = (*shape[:-1], shape[-1] + 1)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    z = rng.uniform(0.1, 3.0, shape) * rng.choice([-1.0, 1.0], shape)
    return z, random_upstream(shape, rng), draw(st.sampled_from(ACTIVATIONS))


@settings(max_examples=60, deadline=None)
@given(activation_cases())
def test_backward_matches_central_differences(case):
    z, da, kind = case
    _, cache = activation_forward(z, kind)
    numeric = central_difference(lambda v: activation_forward(v, kind)[0], z, da)
    assert relative_error(activation_backward(da, cache), numeric) <= 1e-7


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@settings(max_examples=30, deadline=None)
@given(case=activation_cases())
def test_forward_and_backward_match_pytorch(torch, case):
    z, da, kind = case
    z[..., 0] = 0.0  # PyTorch also takes ReLU'(0) = 0 and leaky ReLU'(0) = the slope
    functions = {
        "identity": lambda t: t * 1.0,
        "relu": torch.relu,
        "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, LEAKY_SLOPE),
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
    }
    z_t = torch.tensor(z, requires_grad=True)
    a_t = functions[kind](z_t)
    a_t.backward(torch.tensor(da))
    a, cache = activation_forward(z, kind)
    np.testing.assert_allclose(a, a_t.detach().numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(activation_backward(da, cache), z_t.grad.numpy(), rtol=1e-14, atol=1e-15)


def test_gradient_check_catches_a_wrong_sigmoid_derivative(rng):
    z = rng.uniform(-3, 3, (3, 5))
    da = random_upstream(z.shape, rng)
    _, cache = activation_forward(z, "sigmoid")
    numeric = central_difference(lambda v: activation_forward(v, "sigmoid")[0], z, da)
    # A classic slip: σ(z) instead of σ(z)(1 − σ(z)).
    wrong = da * cache.a
    assert relative_error(activation_backward(da, cache), numeric) <= 1e-7
    assert relative_error(wrong, numeric) >= 1e-2
