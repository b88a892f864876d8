"""Vectorized convolution: im2col by kernel tap, then one matrix product (BLAS) per block of rows.

The columns matrix has one row per (channel, tap) and one column per (image, output position):

    cols[(c, k, l), (n, i, j)] = X_pad(n, c, i·s + k·d, j·s + l·d)

so the forward pass is Z = W_mat @ cols, dW = δ_mat @ colsᵀ, and dX_pad collects W_matᵀ @ δ_mat back
tap by tap (col2im). Each tap is one strided slice of the padded input (`tap_slices`), so building the
columns is KH·KW array copies, not a Python loop over pixels.

Large images are done in blocks of output rows whose columns take about `BLOCK_BYTES`: a block stays in
the CPU cache between the copy and the matrix product, and nothing the size of the whole columns matrix
(600 MB for a 1024² RGB image and a 5×5 kernel) is ever allocated or cached.
"""

from __future__ import annotations

import math

import numpy as np

from engine.geometry import ConvGeometry, pad_input, tap_slices, unpad_gradient

BLOCK_BYTES = 8 * 1024 * 1024
# The forward pass hands its columns to the backward pass when they are one block this size or smaller.
KEEP_COLUMNS_BYTES = 32 * 1024 * 1024


def columns(x_pad: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """im2col: (N, C, H_pad, W_pad) → (C·KH·KW, N·H_out·W_out), rows ordered (c, k, l) like W's axes."""
    N, C = x_pad.shape[:2]
    (KH, KW), (H_out, W_out) = geometry.kernel, geometry.out_size
    cols = np.empty((C, KH, KW, N, H_out, W_out), dtype=x_pad.dtype)
    x_by_channel = x_pad.transpose(1, 0, 2, 3)  # (C, N, H_pad, W_pad): a view, no copy
    for k in range(KH):
        for l in range(KW):
            rows, cs = tap_slices(geometry, k, l)
            cols[:, k, l] = x_by_channel[:, :, rows, cs]
    return cols.reshape(C * KH * KW, N * H_out * W_out)


def add_columns_back(dcols: np.ndarray, dx_pad: np.ndarray, geometry: ConvGeometry) -> None:
    """col2im, the adjoint of `columns`: add each tap's row onto the cells it was read from, in place.

    Args:
        dcols: (C·KH·KW, N·H_out·W_out).
        dx_pad: (N, C, H_pad, W_pad), added to.
    """
    N, C = dx_pad.shape[:2]
    (KH, KW), (H_out, W_out) = geometry.kernel, geometry.out_size
    dcols = dcols.reshape(C, KH, KW, N, H_out, W_out)
    dx_by_channel = dx_pad.transpose(1, 0, 2, 3)  # a view: writing to it writes dx_pad
    for k in range(KH):
        for l in range(KW):
            rows, cs = tap_slices(geometry, k, l)
            dx_by_channel[:, :, rows, cs] += dcols[:, k, l]


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """Z = W_mat @ cols + b, block by block.

    Args:
        x: (N, C, H, W); w: (F, C, KH, KW); b: (F,).

    Returns:
        (N, F, H_out, W_out), C-contiguous.
    """
    return forward_keeping_columns(x, w, b, geometry)[0]


def forward_keeping_columns(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray | None]:
    """`forward`, also returning the columns matrix when it is one block of at most KEEP_COLUMNS_BYTES.

    The backward pass can then skip padding the input and building the columns again: for small
    problems (a training batch, a 256² image) those copies are a third of the work.

    Returns:
        z (N, F, H_out, W_out); the columns (C·KH·KW, N·H_out·W_out) or None.
    """
    N, F = x.shape[0], w.shape[0]
    H_out, W_out = geometry.out_size
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    w_mat = _as_matrix(w)
    # Kernels first: each block's product lands in place without a transpose, and for one image the
    # final transpose to (N, F, ...) costs nothing.
    z = np.empty((F, N, H_out, W_out), dtype=x.dtype)
    kept = None
    for images, i0, i1, x_block, block in _blocks(x_pad, geometry):
        cols = columns(x_block, block)
        z_block = w_mat @ cols
        z_block += b[:, None]
        z[:, images, i0:i1] = z_block.reshape(F, x_block.shape[0], i1 - i0, W_out)
        if i0 == 0 and i1 == H_out and images == slice(None) and cols.nbytes <= KEEP_COLUMNS_BYTES:
            kept = cols
    return np.ascontiguousarray(z.transpose(1, 0, 2, 3)), kept


def backward(
    dy: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry, cols: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """db = Σ δ, dW = Σ_blocks δ_mat @ colsᵀ, dX_pad += col2im(W_matᵀ @ δ_mat), then unpad.

    Args:
        dy: (N, F, H_out, W_out); x: (N, C, H, W); w: (F, C, KH, KW).
        cols: the forward pass's columns when it kept them (`forward_keeping_columns`).

    Returns:
        dx (N, C, H, W), dw (F, C, KH, KW), db (F,).
    """
    if cols is not None:
        dx_pad, dw = _backward_one_block(dy, x.shape, w, geometry, cols)
    else:
        x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
        dx_pad, dw = backward_padded(dy, x_pad, w, geometry)
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    return dx, dw, dy.sum(axis=(0, 2, 3))


def backward_padded(
    dy: np.ndarray, x_pad: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of the padded input (before cropping or folding the padding) and of the kernels.

    Args:
        dy: (N, F, H_out, W_out); x_pad: (N, C, H_pad, W_pad); w: (F, C, KH, KW).

    Returns:
        dx_pad (N, C, H_pad, W_pad), dw (F, C, KH, KW).
    """
    w_mat = _as_matrix(w)
    dw_mat = np.zeros_like(w_mat)
    dx_pad = np.zeros_like(x_pad)
    for images, i0, i1, x_block, block in _blocks(x_pad, geometry):
        # (F, n·rows·W_out): the same column order as `columns`.
        dy_mat = _as_matrix(dy[images, :, i0:i1].transpose(1, 0, 2, 3))
        dw_mat += dy_mat @ columns(x_block, block).T
        add_columns_back(w_mat.T @ dy_mat, _block_rows(dx_pad, images, i0, i1, geometry), block)
    return dx_pad, dw_mat.reshape(w.shape)


def _backward_one_block(
    dy: np.ndarray, x_shape: tuple[int, ...], w: np.ndarray, geometry: ConvGeometry, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`backward_padded` for a problem that was one block, from the forward pass's columns."""
    (top, bottom), (left, right) = geometry.padding
    padded_shape = (*x_shape[:2], x_shape[2] + top + bottom, x_shape[3] + left + right)
    dy_mat = _as_matrix(dy.transpose(1, 0, 2, 3))
    dw = (dy_mat @ cols.T).reshape(w.shape)
    dx_pad = np.zeros(padded_shape, dtype=dy.dtype)
    add_columns_back(_as_matrix(w).T @ dy_mat, dx_pad, geometry)
    return dx_pad, dw


def _blocks(x_pad: np.ndarray, geometry: ConvGeometry):
    """Yield (images, i0, i1, x_block, block_geometry) covering every output row once.

    Small problems are one block over the whole batch (one matrix product); large images are split per
    image into runs of output rows i0:i1 whose columns take about BLOCK_BYTES.
    """
    N, C = x_pad.shape[:2]
    (KH, KW), (H_out, W_out) = geometry.kernel, geometry.out_size
    row_bytes = C * KH * KW * W_out * x_pad.itemsize
    if N * H_out * row_bytes <= BLOCK_BYTES:
        yield slice(None), 0, H_out, x_pad, geometry
        return
    rows_per_block = max(1, BLOCK_BYTES // row_bytes)
    for n in range(N):
        for i0 in range(0, H_out, rows_per_block):
            i1 = min(H_out, i0 + rows_per_block)
            block = geometry._replace(out_size=(i1 - i0, W_out))
            images = slice(n, n + 1)
            yield images, i0, i1, _block_rows(x_pad, images, i0, i1, geometry), block


def _block_rows(x_pad: np.ndarray, images: slice, i0: int, i1: int, geometry: ConvGeometry) -> np.ndarray:
    """The rows of the padded input that output rows i0:i1 read (a view)."""
    (KH, _), (sh, _), (dh, _) = geometry.kernel, geometry.stride, geometry.dilation
    return x_pad[images, :, i0 * sh : (i1 - 1) * sh + dh * (KH - 1) + 1]


def _as_matrix(a: np.ndarray) -> np.ndarray:
    """(F, ...) as (F, the product of the rest): sizes spelled out, since reshape(F, -1) cannot infer −1
    when F = 0 (a layer with no kernels, whose output is empty as in PyTorch)."""
    return a.reshape(a.shape[0], math.prod(a.shape[1:]))
