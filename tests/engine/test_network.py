"""Fully connected network: the classic 2-2-2 example's published numbers, the δ recursion written out,
gradients against central differences over random non-square architectures, and readable refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.activations import ACTIVATIONS, activation_derivative
from engine.network import (
    NetworkExample,
    classic_example,
    gradient_descent_step,
    network_backward,
    network_forward,
    network_loss,
    random_example,
    richardson_gradient,
    run_network,
)


def test_classic_example_forward_and_loss():
    run = run_network(classic_example(), lr=0.5)
    np.testing.assert_allclose(run.a[1], [[0.593269992, 0.596884378]], rtol=1e-8)
    np.testing.assert_allclose(run.a[2], [[0.75136507, 0.772928465]], rtol=1e-8)
    # L = ½ Σ (y − t)² for one example (mse_loss divides by 2N).
    assert run.loss == pytest.approx(0.298371109, abs=1e-9)


def test_classic_example_gradients():
    run = run_network(classic_example(), lr=0.5)
    # ∂L/∂w5 … ∂L/∂w8 (output layer) and ∂L/∂w1 … ∂L/∂w4 (hidden layer) of the classic walk-through.
    np.testing.assert_allclose(
        run.dw[1], [[0.082167041, 0.082667628], [-0.022602540, -0.022740242]], rtol=1e-7
    )
    np.testing.assert_allclose(run.dw[0], [[0.000438568, 0.000877135], [0.000497713, 0.000995425]], rtol=1e-5)
    # After one step with η = 0.5: w5 = 0.35891648, w1 = 0.149780716.
    assert run.new_weights[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
    assert run.new_weights[0][0, 0] == pytest.approx(0.149780716, abs=1e-8)
    assert run.new_loss < run.loss
    assert run.check.max_error <= 1e-7


def test_delta_recursion_written_out_equals_the_chained_layers(rng):
    example = random_example((3, 5, 4, 2), ("tanh", "sigmoid", "identity"), N=3, seed=7)
    run = run_network(example)
    L = len(example.weights)
    f_prime = [activation_derivative(z, f) for z, f in zip(run.z, example.activations)]
    N = example.x.shape[0]
    deltas = [None] * L
    deltas[L - 1] = (run.a[L] - example.t) / N * f_prime[L - 1]  # δ_L = (a_L − t)/N ⊙ f'(z_L)
    for l in range(L - 2, -1, -1):
        deltas[l] = f_prime[l] * (deltas[l + 1] @ example.weights[l + 1])  # f'(z_l) ⊙ W_{l+1}ᵀ δ_{l+1}
    for l in range(L):
        np.testing.assert_allclose(run.deltas[l], deltas[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run.dw[l], deltas[l].T @ run.a[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run.db[l], deltas[l].sum(axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("sizes", "activations", "N"),
    [
        ((3, 2), ("identity",), 1),
        ((2, 4, 3), ("sigmoid", "tanh"), 2),
        ((5, 3, 4, 2), ("tanh", "leaky_relu", "sigmoid"), 3),
        ((4, 7, 2, 6, 3), ("sigmoid", "tanh", "identity", "relu"), 4),
    ],
)
def test_gradients_match_central_differences(sizes, activations, N):
    run = run_network(random_example(sizes, activations, N=N, seed=sum(sizes)))
    assert run.check.max_error <= 1e-7
    for dW, p in zip(run.dw, run.example.weights):
        assert dW.shape == p.shape
    for db, p in zip(run.db, run.example.biases):
        assert db.shape == p.shape


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    N=st.integers(1, 3),
    seed=st.integers(0, 10_000),
    smooth=st.lists(st.sampled_from(["identity", "sigmoid", "tanh"]), min_size=4, max_size=4),
)
def test_random_smooth_networks_pass_the_gradient_check(sizes, N, seed, smooth):
    example = random_example(sizes, smooth[: len(sizes) - 1], N=N, seed=seed)
    assert run_network(example).check.max_error <= 1e-7


def test_the_check_catches_a_wrong_backward(rng):
    example = random_example((3, 4, 2), ("tanh", "sigmoid"), N=2, seed=3)
    y, caches = network_forward(example.x, example.weights, example.biases, example.activations)
    wrong_dA = 2 * (y - example.t) / y.shape[0]  # forgot the ½ of the loss: every gradient doubles
    _, dW, _ = network_backward(wrong_dA, caches)
    weights = [w.copy() for w in example.weights]
    current = example._replace(weights=weights)
    numerical = richardson_gradient(lambda _: network_loss(current), weights[0])
    assert np.max(np.abs(dW[0] - numerical) / (np.abs(dW[0]) + np.abs(numerical))) > 0.1


def test_gradient_descent_step_is_pure():
    w = np.array([[1.0, 2.0]])
    (new,) = gradient_descent_step([w], [np.array([[0.5, -1.0]])], 0.1)
    np.testing.assert_allclose(new, [[0.95, 2.1]])
    np.testing.assert_array_equal(w, [[1.0, 2.0]])


def test_random_example_has_readable_numbers_and_the_right_shapes():
    example = random_example((4, 3, 2), ("relu", "sigmoid"), N=2, seed=1)
    assert example.x.shape == (2, 4) and example.t.shape == (2, 2)
    assert [w.shape for w in example.weights] == [(3, 4), (2, 3)]
    assert [b.shape for b in example.biases] == [(3,), (2,)]
    for a in (example.x, example.t, *example.weights, *example.biases):
        np.testing.assert_array_equal(a, np.round(a, 2))
    assert set(example.activations) <= set(ACTIVATIONS)


def _classic(**change) -> NetworkExample:
    return classic_example()._replace(**change)


@pytest.mark.parametrize(
    ("example", "message"),
    [
        (
            _classic(weights=(np.zeros((0, 2)), np.zeros((2, 0))), biases=(np.zeros(0), np.zeros(2))),
            "Layer 1 has no units",
        ),
        (_classic(x=np.zeros((1, 0))), "at least one example and one feature"),
        (_classic(x=np.zeros((0, 2))), "at least one example and one feature"),
        (_classic(weights=(np.zeros((2, 3)), np.zeros((2, 2)))), "Layer 1: Each example has 2 features"),
        (_classic(biases=(np.zeros(3), np.zeros(2))), "Layer 1: The layer has 2 outputs but 3 biases"),
        (_classic(t=np.zeros((1, 3))), "targets must have one row per example"),
        (_classic(x=np.array([[np.nan, 0.1]])), "Every input entry must be a number"),
        (_classic(t=np.array([[np.nan, 0.1]])), "Every target must be a number"),
        (_classic(activations=("sigmoid",)), "Give each of the 2 layers"),
        (_classic(activations=("sigmoid", "softplus")), "activation must be one of"),
        (_classic(weights=(), biases=(), activations=()), "at least one layer"),
    ],
)
def test_bad_networks_raise_a_sentence(example, message):
    with pytest.raises(ValueError, match=message):
        run_network(example)


def test_bad_learning_rate_raises_a_sentence():
    with pytest.raises(ValueError, match="learning rate"):
        run_network(classic_example(), lr=float("inf"))


def test_random_example_refuses_empty_layers():
    with pytest.raises(ValueError, match="at least one unit"):
        random_example((2, 0, 1), ("relu", "relu"))
