"""Where the backward pass of one convolution layer starts: its loss, and every gradient back from it.

One image goes through conv → σ → loss. Three losses on the layer's output A = σ(Z) (`LossSpec`) each give
L and ∂L/∂A (`loss_and_gradient`); then δ = ∂L/∂Z = ∂L/∂A ⊙ σ'(Z), and the convolution's backward pass
turns δ into dX, dW and db (`layer_gradients`, FORMULAS.md §2). `target_map` is the map the MSE loss
pulls A toward: what a target kernel makes on the same image.

Everything works on one image (C, H, W) and a bank of F kernels (F, C, KH, KW), in float64.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.activations import activation_derivative, activation_forward
from engine.conv import conv2d_backward, conv2d_forward
from engine.errors import EngineError
from engine.geometry import ConvGeometry
from engine.losses import mse_loss

LOSSES: tuple[str, ...] = ("sum", "mse", "impulse")


class LossSpec(NamedTuple):
    """The loss at the end of the layer.

    kind "sum": L = Σ A (∂L/∂A is all ones); "mse": L = Σ (A − T)² / (2M) over the M output cells, to
    a target map T; "impulse": L = A(f, i, j), one output cell (∂L/∂A is one-hot).
    """

    kind: str
    target: np.ndarray | None = None  # (F, H_out, W_out) for "mse"
    cell: tuple[int, int, int] | None = None  # (f, i, j) for "impulse"


def check_loss(spec: LossSpec, shape: tuple[int, int, int]) -> None:
    """Raise ValueError, with a sentence, when the loss does not fit an output of this (F, H_out, W_out)."""
    if spec.kind not in LOSSES:
        raise EngineError(
            "The loss must be one of {choices}, not {kind!r}.", choices=", ".join(LOSSES), kind=spec.kind
        )
    if spec.kind == "mse" and (spec.target is None or spec.target.shape != shape):
        got = None if spec.target is None else spec.target.shape
        raise EngineError(
            "The target map must have the output's shape {shape}, not {got}.", shape=shape, got=got
        )
    if spec.kind == "impulse":
        if spec.cell is None or len(spec.cell) != 3:
            raise EngineError("The one-hot loss needs an output cell (kernel, row, column).")
        if not all(0 <= n < size for n, size in zip(spec.cell, shape)):
            f, i, j = spec.cell
            raise EngineError(
                "The output cell (kernel {kernel}, row {i}, column {j}) is outside the output ({F} "
                "kernel(s) of {H_out}×{W_out}): pick a cell inside it.",
                kernel=f + 1,
                i=i,
                j=j,
                F=shape[0],
                H_out=shape[1],
                W_out=shape[2],
            )


def loss_terms(a: np.ndarray, spec: LossSpec) -> np.ndarray:
    """The loss cell by cell, ℓ (F, H_out, W_out) with L = Σ ℓ (a gradient check subtracts these cells)."""
    if spec.kind == "sum":
        return a.copy()
    if spec.kind == "mse":
        return (a - spec.target) ** 2 / (2 * a.size)
    terms = np.zeros_like(a)
    terms[spec.cell] = a[spec.cell]
    return terms


def loss_and_gradient(a: np.ndarray, spec: LossSpec) -> tuple[float, np.ndarray]:
    """The loss L and ∂L/∂A.

    Args:
        a: the layer's output A = σ(Z), (F, H_out, W_out).
        spec: which loss (`LossSpec`).

    Returns:
        L, and ∂L/∂A of a's shape.
    """
    a = np.asarray(a, dtype=np.float64)
    check_loss(spec, a.shape)
    if spec.kind == "sum":
        return float(a.sum()), np.ones_like(a)
    if spec.kind == "mse":
        # Each output cell is one example of mse_loss: L = Σ (A − T)² / 2M, ∂L/∂A = (A − T) / M.
        loss, da = mse_loss(a.reshape(-1, 1), spec.target.reshape(-1, 1))
        return loss, da.reshape(a.shape)
    da = np.zeros_like(a)
    da[spec.cell] = 1.0
    return float(a[spec.cell]), da


def target_map(
    x: np.ndarray, w_target: np.ndarray, b_target: np.ndarray, activation: str, **hyper
) -> np.ndarray:
    """The map a target kernel makes on the same image, T = σ(conv(X, W*) + b*): what MSE pulls A toward.

    Args:
        x: (C, H, W); w_target: (F, C, KH, KW); b_target: (F,).
        hyper: stride, padding, dilation, pad_mode as in conv2d_forward.

    Returns:
        (F, H_out, W_out).
    """
    z, _ = conv2d_forward(np.asarray(x, dtype=np.float64)[None], w_target, b_target, **hyper)
    return activation_forward(z[0], activation)[0]


class LayerGradients(NamedTuple):
    """One image through conv → σ → loss, and every gradient on the way back."""

    z: np.ndarray  # (F, H_out, W_out) pre-activation
    a: np.ndarray  # (F, H_out, W_out) σ(Z)
    loss: float
    da: np.ndarray  # (F, H_out, W_out) ∂L/∂A
    dsigma: np.ndarray  # (F, H_out, W_out) σ'(Z)
    delta: np.ndarray  # (F, H_out, W_out) δ = ∂L/∂Z = ∂L/∂A ⊙ σ'(Z)
    dx: np.ndarray  # (C, H, W)
    dw: np.ndarray  # (F, C, KH, KW)
    db: np.ndarray  # (F,)
    geometry: ConvGeometry


def layer_gradients(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, activation: str, spec: LossSpec, **hyper
) -> LayerGradients:
    """Forward through the layer, then back: L, ∂L/∂A, σ'(Z), δ, and dX, dW, db (conv2d_backward).

    Args:
        x: image (C, H, W); w: kernels (F, C, KH, KW); b: biases (F,).
        activation: a kind of engine.activations.
        spec: the loss (`LossSpec`).
        hyper: stride, padding, dilation, pad_mode as in conv2d_forward.

    Raises:
        ValueError: for impossible hyper-parameters or a loss that does not fit the output.
    """
    z, cache = conv2d_forward(np.asarray(x, dtype=np.float64)[None], w, b, **hyper)
    a, _ = activation_forward(z[0], activation)
    loss, da = loss_and_gradient(a, spec)
    dsigma = activation_derivative(z[0], activation)
    delta = da * dsigma
    dx, dw, db = conv2d_backward(delta[None], cache)
    return LayerGradients(z[0], a, loss, da, dsigma, delta, dx[0], dw, db, cache.geometry)
