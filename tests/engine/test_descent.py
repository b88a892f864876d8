"""engine/descent.py: gradient descent on the kernel lowers the loss, and the stable learning rate is the
edge of divergence."""

from __future__ import annotations

import numpy as np
import pytest

from engine.descent import descend, stable_learning_rate
from engine.geometry import conv_geometry
from engine.layer_loss import target_map


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


def test_the_stable_learning_rate_from_a_sample_of_windows_is_close(rng):
    x = rng.random((3, 90, 70))
    geometry = conv_geometry((1, *x.shape), (1, 3, 3, 3), padding=1)
    exact = stable_learning_rate(x, geometry, max_windows=10**9)
    assert stable_learning_rate(x, geometry, max_windows=600) == pytest.approx(exact, rel=0.05)


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
