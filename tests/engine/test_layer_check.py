"""engine/layer_check.py: the gradient check of the whole layer agrees to 1e-7, flags kinks and catches a
wrong backward."""

from __future__ import annotations

import numpy as np
import pytest

from engine import layer_loss
from engine.layer_check import gradient_check, sample_indices
from engine.layer_loss import LossSpec, layer_gradients, target_map


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
    right = layer_loss.conv2d_backward

    def wrong(dy, cache):
        dx, dw, db = right(dy, cache)
        return dx, dw.transpose(0, 1, 3, 2), db  # swapped kernel axes: the classic bug

    monkeypatch.setattr(layer_loss, "conv2d_backward", wrong)
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
