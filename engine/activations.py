"""Element-wise activation functions A = σ(Z) and their derivatives (FORMULAS.md §4).

The backward pass multiplies element-wise: ∂L/∂Z = ∂L/∂A ⊙ σ'(Z). `activation_derivative` gives the
σ'(Z) array itself, the mask a page can show (for ReLU: 1 where the unit was on, 0 where it was off).

Conventions at the kink z = 0, where ReLU and leaky ReLU have no derivative: we take the right-hand rule
"z > 0 counts as positive", so ReLU'(0) = 0 (as PyTorch does) and leaky ReLU'(0) = LEAKY_SLOPE.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from engine.errors import EngineError

ActivationKind = Literal["identity", "relu", "leaky_relu", "sigmoid", "tanh"]
ACTIVATIONS: tuple[str, ...] = ("identity", "relu", "leaky_relu", "sigmoid", "tanh")
# Slope α of leaky ReLU for z < 0 (PyTorch's default negative_slope).
LEAKY_SLOPE: float = 0.01


class ActivationCache(NamedTuple):
    """What the activation forward pass saves: its input, its output and which function it was."""

    z: np.ndarray  # pre-activation, any shape
    a: np.ndarray  # σ(z), same shape
    kind: str


def activation_forward(z: np.ndarray, kind: ActivationKind) -> tuple[np.ndarray, ActivationCache]:
    """Apply the activation σ element-wise: A = σ(Z).

    Args:
        z: pre-activation, any shape.
        kind: one of ACTIVATIONS.

    Returns:
        a: σ(z), z's shape; cache for `activation_backward`.

    Raises:
        EngineError: for an unknown kind.
    """
    z = np.asarray(z, dtype=np.float64)
    _check_kind(kind)
    if kind == "identity":
        a = z.copy()
    elif kind == "relu":
        a = np.maximum(z, 0.0)
    elif kind == "leaky_relu":
        a = np.where(z > 0, z, LEAKY_SLOPE * z)
    elif kind == "sigmoid":
        a = sigmoid(z)
    else:
        a = np.tanh(z)
    return a, ActivationCache(z, a, kind)


def activation_derivative(z: np.ndarray, kind: ActivationKind) -> np.ndarray:
    """The local derivative σ'(z), element-wise (FORMULAS.md §4).

    Args:
        z: pre-activation, any shape.
        kind: one of ACTIVATIONS.

    Returns:
        σ'(z), z's shape: identity 1; ReLU 1 for z > 0 else 0; leaky ReLU 1 for z > 0 else LEAKY_SLOPE;
        sigmoid σ(z)(1 − σ(z)); tanh 1 − tanh²(z); both > 0 for every |z| up to ~700 (computed
        without the cancellation of those two forms).
    """
    z = np.asarray(z, dtype=np.float64)
    _check_kind(kind)
    if kind == "identity":
        return np.ones_like(z)
    if kind == "relu":
        return (z > 0).astype(np.float64)
    if kind == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    # σ(1 − σ) and 1 − tanh² cancel to exactly 0 once σ or tanh rounds to 1 (|z| ≳ 37 and ≳ 19), where
    # the true slope is still e.g. σ'(40) ≈ 4.2e-18. Written with e^(−|z|) they keep full precision until
    # the exponential itself underflows (|z| ≳ 745 for the sigmoid).
    if kind == "sigmoid":
        e = np.exp(-np.abs(z))
        return e / (1.0 + e) ** 2  # = σ(z)(1 − σ(z)), the same expression multiplied through by e^(2z)
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2  # = 1 − tanh²(z) = sech²(z) = 4 / (e^z + e^−z)²


def activation_backward(da: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """Activation backward: ∂L/∂Z = ∂L/∂A ⊙ σ'(Z).

    Args:
        da: upstream gradient ∂L/∂A, the shape of the forward input.
        cache: from `activation_forward`.

    Returns:
        dz: ∂L/∂Z, same shape.
    """
    da = np.asarray(da, dtype=np.float64)
    if da.shape != cache.z.shape:
        raise ValueError(
            f"The upstream gradient must have the activation's shape {cache.z.shape}, not {da.shape}."
        )
    return da * activation_derivative(cache.z, cache.kind)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^−z), element-wise, without overflow for any z.

    e^−z overflows for z ≲ −710, so each side uses an exponent that is never positive:
    z ≥ 0: 1 / (1 + e^−z);   z < 0: e^z / (1 + e^z)   (the same value, multiplied through by e^z).
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _check_kind(kind: str) -> None:
    if kind not in ACTIVATIONS:
        raise EngineError(
            "The activation must be one of {choices}, not {kind!r}.",
            choices=", ".join(ACTIVATIONS),
            kind=kind,
        )
