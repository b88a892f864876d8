"""One activation applied to a feature map, as the activations page shows it (FORMULAS.md §4).

- `run_activation`: a convolution ("same" size, the image's edge replicated), then the activation
  forward and backward, keeping every number: Z, A = σ(Z), σ'(Z), the upstream gradient δ_A and
  δ_Z = δ_A ⊙ σ'(Z).
- `cell_conv` and `activation_at`: the numbers of one cell, for formulas with the numbers substituted.
- `activation_curves`: every activation and its derivative sampled over z ∈ Z_RANGE.
- `derivative_summary`: how many cells stop, or nearly stop, the gradient.

Everything works on one grayscale image (H, W) and one kernel (KH, KW), in float64; the layers themselves
are engine/conv.py and engine/activations.py.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.activations import (
    ACTIVATIONS,
    activation_backward,
    activation_derivative,
    activation_forward,
)
from engine.conv import conv2d_forward
from engine.errors import Phrase, check_choice
from engine.geometry import conv_geometry, pad_input, window_slices

UPSTREAM_KINDS: tuple[str, ...] = ("ones", "random")
Z_RANGE: tuple[float, float] = (-6.0, 6.0)
CURVE_POINTS = 481  # z step 0.025: the kinks of ReLU and leaky ReLU land exactly on z = 0
# Below this |σ'(z)| a unit passes almost none of its gradient back: "saturated" (sigmoid, tanh).
SATURATION = 0.05
# "same" padding keeps H × W; replicating the edge avoids the false edges zeros would draw at the border.
PADDING = "same"
PAD_MODE = "replicate"


class ActivationRun(NamedTuple):
    """One convolution + activation on one image, forward and backward, as the engine computed it."""

    x: np.ndarray  # (H, W) input image in [0, 1]
    kernel: np.ndarray  # (KH, KW)
    bias: float
    z: np.ndarray  # (H, W) pre-activation Z = X ⋆ W + b ("same" replicate padding keeps H × W)
    a: np.ndarray  # (H, W) A = σ(Z)
    slope: np.ndarray  # (H, W) σ'(Z)
    da: np.ndarray  # (H, W) upstream gradient δ_A = ∂L/∂A
    dz: np.ndarray  # (H, W) δ_Z = δ_A ⊙ σ'(Z)
    kind: str


class DerivativeSummary(NamedTuple):
    """How many cells pass no gradient back (σ' = 0), how many little (0 < σ' < SATURATION), of how many."""

    zero: int
    small: int
    total: int


class CellConv(NamedTuple):
    """What Z(r, c) = Σ window ⊙ W + b adds up at one cell."""

    window: np.ndarray  # (KH, KW) the input cells under the kernel, the image's edge repeated outside it
    products: float  # Σ window ⊙ W: Z(r, c) before the bias


def upstream_gradient(kind: str, shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """The upstream gradient δ_A: all ones, or standard normal values rounded to two decimals.

    Args:
        kind: "ones" or "random".
        shape: (H, W).
        seed: seed of the random values.

    Returns:
        (H, W) float64.
    """
    check_choice(kind, UPSTREAM_KINDS, Phrase("upstream gradient"))
    if kind == "ones":
        return np.ones(shape)
    # Two decimals: short enough to read in a cell and in δ_Z = δ_A · σ'(Z) with the numbers substituted.
    return np.round(np.random.default_rng(seed).standard_normal(shape), 2)


def run_activation(
    x: np.ndarray, kernel: np.ndarray, bias: float, kind: str, upstream: str = "ones", seed: int = 0
) -> ActivationRun:
    """Convolve an image with a kernel, apply an activation, and push an upstream gradient back through it.

    Args:
        x: (H, W) image.
        kernel: (KH, KW) with odd sides ("same" padding keeps the map H × W).
        bias: b added to every cell of Z.
        kind: one of engine.activations.ACTIVATIONS.
        upstream: "ones" or "random" δ_A, see `upstream_gradient`.
        seed: seed of a random δ_A.

    Returns:
        An `ActivationRun`, every map (H, W).

    Raises:
        ValueError: from the engine, for an unknown activation or a kernel that does not fit.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    z, _ = conv2d_forward(
        x[None, None], kernel[None, None], np.array([bias]), padding=PADDING, pad_mode=PAD_MODE
    )
    z = z[0, 0]
    a, cache = activation_forward(z, kind)
    da = upstream_gradient(upstream, z.shape, seed)
    dz = activation_backward(da, cache)  # δ_Z = δ_A ⊙ σ'(Z)
    return ActivationRun(x, kernel, float(bias), z, a, activation_derivative(z, kind), da, dz, kind)


def cell_conv(run: ActivationRun, r: int, c: int) -> CellConv:
    """The window of the input that Z(r, c) reads, and the sum of its products with the kernel.

    Args:
        run: from `run_activation`.
        r, c: a cell of the (H, W) map.

    Returns:
        A `CellConv`: window (KH, KW) and Σ window ⊙ W.
    """
    geometry = conv_geometry(
        (1, 1, *run.x.shape), (1, 1, *run.kernel.shape), padding=PADDING, pad_mode=PAD_MODE
    )
    # The same padding and window helper as the forward pass, so the window is the one Z(r, c) was made of.
    window = pad_input(run.x, geometry.padding, PAD_MODE)[window_slices(geometry, r, c)]
    # Z − b rather than the products summed again: the substituted numbers then add up to the Z shown.
    return CellConv(window, float(run.z[r, c] - run.bias))


def activation_at(z: float, kind: str) -> tuple[float, float]:
    """σ(z) and σ'(z) at one point z, by the same functions as the maps and the curves."""
    point = np.array([z], dtype=np.float64)
    return float(activation_forward(point, kind)[0][0]), float(activation_derivative(point, kind)[0])


def activation_curves(n: int = CURVE_POINTS) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Every activation and its derivative over z ∈ Z_RANGE.

    Args:
        n: number of sample points, ends included.

    Returns:
        z (n,), and for each kind of ACTIVATIONS the pair (σ(z), σ'(z)), each (n,).
    """
    z = np.linspace(*Z_RANGE, n)
    return z, {kind: (activation_forward(z, kind)[0], activation_derivative(z, kind)) for kind in ACTIVATIONS}


def derivative_summary(run: ActivationRun) -> DerivativeSummary:
    """Count the cells whose gradient is stopped (σ'(Z) = 0) or nearly stopped (0 < σ'(Z) < SATURATION)."""
    zero = int(np.count_nonzero(run.slope == 0))
    small = int(np.count_nonzero((run.slope > 0) & (run.slope < SATURATION)))
    return DerivativeSummary(zero, small, run.slope.size)
