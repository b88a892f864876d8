"""Readable convolution: the loops of FORMULAS.md §1–2, one output position at a time.

This is the code the animation narrates and the pages show. It is slow on purpose; engine/conv_fast.py
computes the same numbers (tests hold them equal).
"""

from __future__ import annotations

import numpy as np

from engine.geometry import ConvGeometry, pad_input, unpad_gradient, window_slices


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """Z(n, f, i, j) = b(f) + Σ_c Σ_k Σ_l X_pad(n, c, i·s + k·d, j·s + l·d) · W(f, c, k, l).

    Args:
        x: (N, C, H, W); w: (F, C, KH, KW); b: (F,).

    Returns:
        (N, F, H_out, W_out).
    """
    N, F = x.shape[0], w.shape[0]
    H_out, W_out = geometry.out_size
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    y = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows, cols = window_slices(geometry, i, j)
                    window = x_pad[n, :, rows, cols]  # (C, KH, KW)
                    y[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return y


def backward(
    dy: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scatter form of the backward pass: each output position (i, j) sends δ(i, j) back to its window.

        db(f)      += δ(n, f, i, j)
        dW(f)      += δ(n, f, i, j) · window        (the input the kernel saw)
        dX_pad(win) += δ(n, f, i, j) · W(f)          (the kernel, scaled, onto the window)

    then dX is dX_pad with the padding cropped off (or folded back for reflect/replicate/circular).

    Args:
        dy: (N, F, H_out, W_out); x: (N, C, H, W); w: (F, C, KH, KW).

    Returns:
        dx (N, C, H, W), dw (F, C, KH, KW), db (F,).
    """
    N, F = x.shape[0], w.shape[0]
    H_out, W_out = geometry.out_size
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = np.zeros(F, dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows, cols = window_slices(geometry, i, j)
                    delta = dy[n, f, i, j]
                    db[f] += delta
                    dw[f] += delta * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += delta * w[f]
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    return dx, dw, db
