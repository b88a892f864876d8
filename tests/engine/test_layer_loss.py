"""engine/layer_loss.py: the losses at the end of the layer, and δ = ∂L/∂A ⊙ σ'(Z) into conv2d_backward."""

from __future__ import annotations

import numpy as np
import pytest

from engine.activations import activation_derivative
from engine.conv import conv2d_backward, conv2d_forward
from engine.gradcheck import numerical_gradient
from engine.layer_loss import LossSpec, layer_gradients, loss_and_gradient


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
