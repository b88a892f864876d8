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


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest relative error max |a − b| / max(|a| + |b|, 1e-12) over all entries.

    The floor keeps entries that are both (almost) zero from dividing by zero; they count as equal.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"Cannot compare gradients of shapes {a.shape} and {b.shape}.")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def relative_errors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Relative error of each entry, |a − b| / max(|a| + |b|, 1e-12); same shape as a and b."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)
