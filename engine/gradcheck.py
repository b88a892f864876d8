"""Numerical gradients by central differences, and the relative error used to compare gradients.

The check every gradient in this engine passes (CS231n's convention, float64): push a random upstream
gradient g back through the layer, and compare with the derivative of the scalar Σ(g ⊙ out) taken
numerically. A relative error near 1e-7 or below is right; 1e-2 or above is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np


def numerical_gradient(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    eps: float = 1e-6,
    indices: Iterable[tuple[int, ...]] | None = None,
) -> np.ndarray:
    """Central-difference gradient of a scalar function: (f(x + ε) − f(x − ε)) / 2ε per entry.

    Args:
        f: scalar function of x; it may read x, which is changed in place and restored entry by entry.
        x: float array of any shape.
        eps: the step ε.
        indices: entries to differentiate (all when None); the others stay 0 in the result.

    Returns:
        array of x's shape.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    todo = np.ndindex(x.shape) if indices is None else indices
    for idx in todo:
        original = x[idx]
        x[idx] = original + eps
        f_plus = float(f(x))
        x[idx] = original - eps
        f_minus = float(f(x))
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def numerical_gradient_of_output(
    forward: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    upstream: np.ndarray,
    eps: float = 1e-6,
    indices: Iterable[tuple[int, ...]] | None = None,
) -> np.ndarray:
    """Numerical ∂L/∂x for L = Σ(upstream ⊙ forward(x)): what a backward pass given `upstream` must return.

    Args:
        forward: array-valued function of x.
        x: its input, any shape.
        upstream: array of forward(x)'s shape (the upstream gradient ∂L/∂out).

    Returns:
        array of x's shape.
    """
    return numerical_gradient(lambda v: float(np.sum(forward(v) * upstream)), x, eps, indices)


# An entry whose gradient is (nearly) zero is measured against this fraction of the largest |entry| of its
# array: finite differences carry rounding of ~1e-10, which a relative error of a true 0 would blow up
# to ~1 although backprop is right. `error_floor` gives the floor; every check in the engine uses it.
ERROR_FLOOR = 1e-3
# A relative error at or below this says the gradients agree (CS231n's rule of thumb).
AGREE = 1e-7
# How many roundings of the loss a Richardson-extrapolated central difference carries (see rounding_floor).
_ROUNDINGS = 16


def error_floor(*arrays: np.ndarray, fraction: float = ERROR_FLOOR) -> float:
    """`fraction` × the largest |entry| of `arrays` (0.0 when empty): the floor for `relative_error`."""
    return fraction * max((float(np.max(np.abs(a), initial=0.0)) for a in arrays), default=0.0)


def rounding_floor(loss_scale: float, eps: float) -> float:
    """The floor below which a central difference cannot tell a gradient entry from its rounding.

    L(θ ± ε) are each rounded to about loss_scale · 2⁻⁵² (loss_scale: the sum of the loss's terms'
    absolute values), so (L(θ + ε) − L(θ − ε)) / 2ε carries an absolute error of about
    loss_scale · 2⁻⁵² / ε, and Richardson's (4·D(ε/2) − D(ε)) / 3 a few times that. An entry smaller
    than that error / AGREE is measured against this floor instead of its own size: a correct backward
    pass must not fail the check because the finite difference rounds (measured: a dense network's
    db entry of 9e-7 beside a loss of 0.06 showed 1.1e-7 with a floor from the gradients alone).

    Args:
        loss_scale: Σ |term| of the loss whose differences are taken (|L| when its terms are ≥ 0).
        eps: the largest step ε of the differences.
    """
    return _ROUNDINGS * abs(loss_scale) * float(np.finfo(np.float64).eps) / eps / AGREE


def relative_errors(a: np.ndarray, b: np.ndarray, floor: float | np.ndarray = 0.0) -> np.ndarray:
    """The relative error of each entry, |a − b| / max(|a| + |b|, floor, 1e-12); same shape as a and b.

    This is the engine's one relative error (CS231n's, with a floor): 1e-7 or below says the gradients
    agree, 1e-2 or above that they do not. Two entries that are both 0 count as equal (error 0).

    Args:
        a, b: the analytic and the numerical gradient, float arrays of one shape.
        floor: a number, or an array broadcast against a and b (a floor per entry); see `error_floor`.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"Cannot compare gradients of shapes {a.shape} and {b.shape}.")
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), np.maximum(floor, 1e-12))


def worst_relative_error(a: np.ndarray, b: np.ndarray, floor: float | np.ndarray = 0.0) -> float:
    """The largest of `relative_errors(a, b, floor)` over all entries (0.0 for empty arrays)."""
    errors = relative_errors(a, b, floor)
    return float(errors.max()) if errors.size else 0.0


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest relative error, max |a − b| / max(|a| + |b|, 1e-12): `worst_relative_error`, no floor."""
    return worst_relative_error(a, b)
