"""The fully connected (dense) layer (FORMULAS.md §5), with a batch of N examples in rows.

FORMULAS.md writes one example as a column, z = W a + b. With the batch in rows, X is (N, D_in) and
the same layer reads Y = X Wᵀ + b: row n of Y is W x_n + b. W keeps its (D_out, D_in) shape either way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.errors import EngineError


class DenseCache(NamedTuple):
    """What the dense forward pass saves for the backward pass."""

    x: np.ndarray  # (N, D_in)
    w: np.ndarray  # (D_out, D_in)
    b: np.ndarray  # (D_out,)


def dense_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, DenseCache]:
    """Dense layer forward: Y = X Wᵀ + b, i.e. y(n, o) = b(o) + Σ_d x(n, d) · w(o, d).

    Args:
        x: input (N, D_in), one example per row.
        w: weights (D_out, D_in).
        b: biases (D_out,).

    Returns:
        y: (N, D_out); cache for `dense_backward`.

    Raises:
        EngineError: when the shapes do not fit together.
    """
    x, w, b = (np.asarray(v, dtype=np.float64) for v in (x, w, b))
    _check_shapes(x, w, b)
    return x @ w.T + b, DenseCache(x, w, b)


def dense_backward(dy: np.ndarray, cache: DenseCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense layer backward: each gradient has the shape of the quantity it belongs to.

    Args:
        dy: upstream gradient ∂L/∂Y, (N, D_out).
        cache: from `dense_forward`.

    Returns:
        dx = dY W, (N, D_in);  dw = dYᵀ X, (D_out, D_in) (summed over the batch);  db = Σ_n dY, (D_out,).
    """
    x, w, _ = cache
    dy = np.asarray(dy, dtype=np.float64)
    expected = (x.shape[0], w.shape[0])
    if dy.shape != expected:
        raise ValueError(f"The upstream gradient must have the output's shape {expected}, not {dy.shape}.")
    # y(n, o) = Σ_d x(n, d) w(o, d) + b(o): ∂y(n, o)/∂x(n, d) = w(o, d), ∂y(n, o)/∂w(o, d) = x(n, d).
    dx = dy @ w
    dw = dy.T @ x
    db = dy.sum(axis=0)
    return dx, dw, db


def _check_shapes(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> None:
    """Raise an EngineError with a readable sentence unless x (N, D_in), w (D_out, D_in), b (D_out,) fit."""
    if x.ndim != 2:
        raise EngineError("The input must be 2-D (examples, features); its shape is {shape}.", shape=x.shape)
    if w.ndim != 2:
        raise EngineError("The weights must be 2-D (outputs, inputs); their shape is {shape}.", shape=w.shape)
    if b.ndim != 1:
        raise EngineError("The biases must be 1-D (one per output); their shape is {shape}.", shape=b.shape)
    if w.shape[1] != x.shape[1]:
        raise EngineError(
            "Each example has {features} features but the weights expect {inputs} inputs (weights {shape} = "
            "(outputs, inputs)).",
            features=x.shape[1],
            inputs=w.shape[1],
            shape=w.shape,
        )
    if b.shape[0] != w.shape[0]:
        raise EngineError(
            "The layer has {outputs} outputs but {biases} biases: give one per output.",
            outputs=w.shape[0],
            biases=b.shape[0],
        )
