"""Loss functions at the end of the network, each returning the loss and its gradient (FORMULAS.md §5).

Both losses average over the batch of N examples (the first axis), so the gradient they return already
carries the 1/N: the layers below just pass it on.
"""

from __future__ import annotations

import numpy as np

from engine.errors import EngineError


def mse_loss(y: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error L = Σ (y − t)² / (2N), with N = y.shape[0] examples.

    Args:
        y: predictions (N, ...) (any shape with the batch first).
        t: targets, y's shape.

    Returns:
        loss: the scalar L;  dy = ∂L/∂y = (y − t) / N, y's shape (the ½ cancels the square's 2).
    """
    y, t = np.asarray(y, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if y.shape != t.shape:
        raise EngineError(
            "Predictions {y_shape} and targets {t_shape} must have the same shape.",
            y_shape=y.shape,
            t_shape=t.shape,
        )
    if y.ndim == 0 or y.shape[0] == 0:
        raise EngineError("The loss needs a batch of at least one example (the first axis).")
    N = y.shape[0]
    diff = y - t
    return float(np.sum(diff**2) / (2 * N)), diff / N


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax along the last axis: p_k = e^{z_k} / Σ_j e^{z_j}.

    Subtracting max_j z_j first changes nothing mathematically (it cancels in the ratio) but keeps every
    exponent ≤ 0, so logits of 1000 do not overflow.

    Args:
        logits: (..., K).

    Returns:
        probabilities, logits' shape, each row summing to 1.
    """
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax along the last axis, z_k − max − log Σ_j e^{z_j − max}: finite even when p_k underflows.

    Args:
        logits: (..., K).

    Returns:
        log-probabilities, logits' shape.
    """
    z = np.asarray(logits, dtype=np.float64)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def one_hot(labels: np.ndarray, K: int) -> np.ndarray:
    """One-hot rows: row n has a 1 in column labels[n], 0 elsewhere.

    Args:
        labels: int class indices (N,), each in 0 … K − 1.
        K: number of classes.

    Returns:
        float array (N, K).
    """
    labels = _check_labels(labels, K)
    out = np.zeros((labels.shape[0], K))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax followed by cross-entropy, averaged over the batch: L = −(1/N) Σ_n log p(n, labels[n]).

    Args:
        logits: class scores (N, K).
        labels: int correct classes (N,), each in 0 … K − 1.

    Returns:
        loss: the scalar L;  dlogits = (softmax(logits) − onehot(labels)) / N, (N, K).
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2:
        raise EngineError(
            "The logits must be 2-D (examples, classes); their shape is {shape}.", shape=z.shape
        )
    N, K = z.shape
    if N == 0 or K == 0:
        raise EngineError(
            "The loss needs at least one example and one class; the logits are {shape}.", shape=z.shape
        )
    labels = _check_labels(labels, K)
    if labels.shape[0] != N:
        raise EngineError(
            "There are {N} rows of logits but {labels} labels: give one per row.", N=N, labels=labels.shape[0]
        )
    log_p = log_softmax(z)
    loss = -float(np.mean(log_p[np.arange(N), labels]))
    # The classic simplification: ∂/∂z_k of −log softmax(z)_y is p_k − [k = y].
    dlogits = (np.exp(log_p) - one_hot(labels, K)) / N
    return loss, dlogits


def _check_labels(labels: np.ndarray, K: int) -> np.ndarray:
    """Return labels as a 1-D int array, or raise a readable EngineError."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise EngineError(
            "The labels must be 1-D (one class index per example), not {shape}.", shape=labels.shape
        )
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise EngineError("The labels must be whole class indices, not {dtype} values.", dtype=labels.dtype)
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        raise EngineError(
            "Each label must be a class index from 0 to {top}; these go from {low} to {high}.",
            top=K - 1,
            low=labels.min(),
            high=labels.max(),
        )
    return labels
