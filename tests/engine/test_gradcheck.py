"""The engine's one relative error (engine/gradcheck.py): hand-computed cases, its floor, a planted bug."""

from __future__ import annotations

import numpy as np
import pytest

from engine.gradcheck import (
    ERROR_FLOOR,
    error_floor,
    numerical_gradient,
    relative_error,
    relative_errors,
    worst_relative_error,
)


def test_relative_errors_by_hand() -> None:
    a, b = np.array([1.0, 0.0, -2.0, 0.0]), np.array([1.1, 0.0, -2.0, 1e-9])
    # |a−b| / (|a|+|b|): 0.1/2.1, both zero → 0, equal → 0, 1e-9/1e-9 = 1.
    np.testing.assert_allclose(relative_errors(a, b), [0.1 / 2.1, 0.0, 0.0, 1.0])
    assert relative_error(a, b) == pytest.approx(1.0)


def test_a_floor_measures_tiny_entries_against_the_largest() -> None:
    a, b = np.array([2.0, 0.0]), np.array([2.0, 1e-9])
    floor = error_floor(a)
    assert floor == pytest.approx(ERROR_FLOOR * 2.0)
    assert worst_relative_error(a, b, floor) == pytest.approx(1e-9 / floor)
    assert worst_relative_error(a, b) == relative_error(a, b) == pytest.approx(1.0)


def test_a_floor_per_entry_broadcasts() -> None:
    a, b = np.array([0.0, 0.0]), np.array([1e-6, 1e-6])
    np.testing.assert_allclose(relative_errors(a, b, np.array([1e-3, 0.0])), [1e-3, 1.0])


def test_empty_and_mismatched_arrays() -> None:
    assert worst_relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert error_floor() == 0.0 and error_floor(np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="shapes"):
        relative_error(np.zeros(2), np.zeros(3))


def test_a_planted_wrong_gradient_is_caught() -> None:
    # f(x) = Σ x³: ∂f/∂x = 3x²; a backward pass that forgot the 3 must fail the check by far.
    x = np.linspace(-1.0, 1.0, 7)
    numeric = numerical_gradient(lambda v: float(np.sum(v**3)), x.copy())
    right, wrong = 3 * x**2, x**2
    assert worst_relative_error(right, numeric, error_floor(right)) < 1e-7
    assert worst_relative_error(wrong, numeric, error_floor(wrong)) > 0.4
