"""The convolution layer: one public pair, `conv2d_forward` / `conv2d_backward`, over two implementations.

`impl="reference"` runs the loops of FORMULAS.md §1–2 (engine/conv_reference.py, what the animation
narrates); `impl="fast"` runs the vectorized path (engine/conv_fast.py, what the app runs on full
images). Tests hold them equal. Like every deep-learning library, "convolution" here is
cross-correlation: the kernel is not flipped (`flip_kernel` gives true convolution).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from engine import conv_fast, conv_reference
from engine.geometry import ConvGeometry, Pair, conv_geometry

Impl = Literal["fast", "reference"]
IMPLS: tuple[str, ...] = ("fast", "reference")


class Conv2dCache(NamedTuple):
    """What the forward pass saves for the backward pass (small: the columns are rebuilt, not kept)."""

    x: np.ndarray  # (N, C, H, W)
    w: np.ndarray  # (F, C, KH, KW)
    b: np.ndarray  # (F,)
    geometry: ConvGeometry
    impl: str
    columns: np.ndarray | None = None  # the fast path's columns, kept for small problems (see conv_fast)


def conv2d_forward(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    stride: int | Pair = 1,
    padding: int | str | tuple = 0,
    dilation: int | Pair = 1,
    pad_mode: str = "zeros",
    *,
    impl: Impl = "fast",
) -> tuple[np.ndarray, Conv2dCache]:
    """Convolution (cross-correlation) forward: Z = b + Σ_c Σ_k Σ_l X_pad · W (FORMULAS.md §1).

    Args:
        x: input (N, C, H, W).
        w: kernels (F, C, KH, KW).
        b: biases (F,), or None for no bias (zeros).
        stride, dilation: int or (h, w) pair, each ≥ 1.
        padding: int, (h, w) pair, ((top, bottom), (left, right)), "same" or "valid".
        pad_mode: "zeros", "reflect", "replicate" or "circular".
        impl: "fast" (vectorized) or "reference" (loops).

    Returns:
        y: (N, F, H_out, W_out); cache for `conv2d_backward`.

    Raises:
        ValueError: for impossible hyper-parameters or shapes.
    """
    x, w, b = _as_arrays(x, w, b)
    geometry = conv_geometry(x.shape, w.shape, stride, padding, dilation, pad_mode)
    if impl not in IMPLS:
        raise ValueError(f"impl must be one of {IMPLS}, not {impl!r}.")
    if impl == "fast":
        y, cols = conv_fast.forward_keeping_columns(x, w, b, geometry)
        return y, Conv2dCache(x, w, b, geometry, impl, cols)
    return conv_reference.forward(x, w, b, geometry), Conv2dCache(x, w, b, geometry, impl)


def conv2d_backward(dy: np.ndarray, cache: Conv2dCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convolution backward (FORMULAS.md §2), by the implementation the forward pass used.

    Args:
        dy: upstream gradient δ = ∂L/∂Z, (N, F, H_out, W_out).
        cache: from `conv2d_forward`.

    Returns:
        dx (N, C, H, W), dw (F, C, KH, KW), db (F,).
    """
    x, w, _, geometry, impl, cols = cache
    expected = (x.shape[0], w.shape[0], *geometry.out_size)
    if dy.shape != expected:
        raise ValueError(f"The upstream gradient must have the output's shape {expected}, not {dy.shape}.")
    dy = np.asarray(dy, dtype=x.dtype)
    if impl == "fast":
        return conv_fast.backward(dy, x, w, geometry, cols)
    return conv_reference.backward(dy, x, w, geometry)


def flip_kernel(w: np.ndarray) -> np.ndarray:
    """The kernel rotated by 180° over its last two axes: cross-correlating with it is true convolution."""
    return np.ascontiguousarray(w[..., ::-1, ::-1])


def _as_arrays(x, w, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Float arrays of one dtype (float64 unless every input is float32); b=None becomes zeros."""
    dtype = np.result_type(np.asarray(x).dtype, np.asarray(w).dtype, np.float32)
    if dtype != np.float32:
        dtype = np.float64
    x = np.asarray(x, dtype=dtype)
    w = np.asarray(w, dtype=dtype)
    b = np.zeros(w.shape[0], dtype=dtype) if b is None else np.asarray(b, dtype=dtype)
    if b.shape != (w.shape[0],):
        raise ValueError(f"There must be one bias per kernel: {w.shape[0]} kernel(s), {b.size} bias(es).")
    return x, w, b
