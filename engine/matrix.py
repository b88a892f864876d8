"""A convolution as a matrix: the im2col matrix and the sparse convolution matrix C of one small map.

For one channel, one kernel and zero padding, the convolution is linear in the input, so it is a matrix:

    vec(y) = C · vec(x)          C: (H_out·W_out, H·W), on the unpadded input
    C[i·W_out + j, u·W + v] = W(k, l)   where u = i·s + k·d − p_top, v = j·s + l·d − p_left

Row r = i·W_out + j of C is output cell (i, j): the kernel's taps laid out where its window reads the
input. A tap that falls on the padding reads a zero, so it has no entry: the padding is folded in as
missing entries (C holds at most K·K entries a row). The backward pass is the same matrix, transposed:

    vec(dX) = Cᵀ · vec(δ)        (each input cell collects δ through the taps that read it)

The fast path (engine/conv_fast.py) never builds C: it builds the im2col matrix, the windows as rows,

    im2col[r, k·KW + l] = X_pad(i·s + k·d, j·s + l·d)
    vec(y) = im2col · vec(W),     vec(dW) = im2colᵀ · vec(δ)

`im2col_rows` is that very matrix (`conv_fast.columns`, one row per tap there), transposed to one row per
output position. Everything here is for small maps (the page's are at most 8 × 8): C is dense.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import columns
from engine.geometry import ConvGeometry, conv_geometry, pad_input


def matrix_geometry(
    in_size: tuple[int, int], kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> ConvGeometry:
    """The geometry of a one-channel convolution of an (H, W) map with a K × K kernel.

    Raises:
        EngineError: when no window fits (the engine's own sentence, per axis).
    """
    return conv_geometry((1, 1, *in_size), (1, 1, kernel, kernel), stride, padding, dilation)


def tap_matrix(geometry: ConvGeometry) -> np.ndarray:
    """Which kernel tap each entry of C is: t = k·KW + l, or −1 where C has no entry.

    Returns:
        int array (H_out·W_out, H·W). Row r = i·W_out + j, column q = u·W + v. A row has at most KH·KW
        taps; the taps of a window that fall on the padding are missing (they read zeros).
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    (top, _), (left, _) = geometry.padding
    (H, W), (H_out, W_out) = geometry.in_size, geometry.out_size
    taps = np.full((H_out * W_out, H * W), -1, dtype=np.int64)
    for i in range(H_out):
        for j in range(W_out):
            for k in range(KH):
                for l in range(KW):
                    u, v = i * sh + k * dh - top, j * sw + l * dw - left
                    if 0 <= u < H and 0 <= v < W:  # outside: the tap reads the padding, a zero
                        taps[i * W_out + j, u * W + v] = k * KW + l
    return taps


def padding_taps(taps: np.ndarray, n_taps: int) -> np.ndarray:
    """Which taps of each window fall on the padding: those missing from the window's row of C.

    Returns:
        bool (H_out·W_out, n_taps), True where im2col holds a padding zero.
    """
    on_padding = np.ones((taps.shape[0], n_taps), dtype=bool)
    rows, cols = np.nonzero(taps >= 0)
    on_padding[rows, taps[rows, cols]] = False
    return on_padding


def conv_matrix(w: np.ndarray, taps: np.ndarray) -> np.ndarray:
    """The convolution matrix C: the kernel's values placed by `tap_matrix` (0 where it has no entry).

    Args:
        w: (KH, KW) kernel; taps: (H_out·W_out, H·W) from `tap_matrix`.

    Returns:
        (H_out·W_out, H·W) float64, with vec(y) = C · vec(x) and vec(dX) = Cᵀ · vec(δ).
    """
    flat = np.asarray(w, dtype=np.float64).ravel()
    return np.where(taps >= 0, flat[np.maximum(taps, 0)], 0.0)


def im2col_rows(x: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """The fast path's im2col matrix of one map, one row per output position.

    `engine.conv_fast.columns` builds it with one row per tap and one column per output position (the
    layout its matrix product wants); this is the same array, transposed.

    Args:
        x: (H, W).

    Returns:
        (H_out·W_out, KH·KW): row r = i·W_out + j is window (i, j) of the padded input, tap by tap.
    """
    x_pad = pad_input(np.asarray(x, dtype=np.float64)[None, None], geometry.padding)
    return columns(x_pad, geometry).T


class MatrixRun(NamedTuple):
    """One convolution of one map, as matrices and as the engine's layer, forward and backward."""

    x: np.ndarray  # (H, W) input
    w: np.ndarray  # (KH, KW) kernel
    delta: np.ndarray  # (H_out, W_out) upstream gradient δ = ∂L/∂y
    geometry: ConvGeometry
    taps: np.ndarray  # (H_out·W_out, H·W) tap index of each entry of C, −1: none
    C: np.ndarray  # (H_out·W_out, H·W) the convolution matrix
    im2col: np.ndarray  # (H_out·W_out, KH·KW) the windows as rows
    on_padding: np.ndarray  # (H_out·W_out, KH·KW) bool: the tap reads the padding (im2col holds a 0)
    y: np.ndarray  # (H_out, W_out) C · vec(x)
    dx: np.ndarray  # (H, W) Cᵀ · vec(δ)
    dw: np.ndarray  # (KH, KW) im2colᵀ · vec(δ)
    db: float  # Σ δ
    layer: tuple[np.ndarray, np.ndarray, np.ndarray, float]  # conv2d_forward/backward's y, dX, dW, db


def run_matrix(
    x: np.ndarray, w: np.ndarray, delta: np.ndarray, stride: int = 1, padding: int = 0, dilation: int = 1
) -> MatrixRun:
    """Build C and im2col for one (H, W) map and a (K, K) kernel, and every product the page shows.

    Args:
        x: (H, W); w: (K, K); delta: at least (H_out, W_out): its top-left corner is δ.

    Returns:
        MatrixRun, with the engine's own layer (conv2d_forward/backward, no bias) kept beside the
        products so the page can show that they agree.

    Raises:
        EngineError: when no window fits; ValueError when δ is smaller than the output.
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    geometry = matrix_geometry(x.shape, w.shape[0], stride, padding, dilation)
    H_out, W_out = geometry.out_size
    delta = np.asarray(delta, dtype=np.float64)
    if delta.ndim != 2 or delta.shape[0] < H_out or delta.shape[1] < W_out:
        # The caller's shapes, not a setting: a plain ValueError, as conv_geometry's for wrong axes.
        raise ValueError(f"δ must cover the output's {H_out} × {W_out} cells; it is {delta.shape}.")
    delta = delta[:H_out, :W_out]
    taps = tap_matrix(geometry)
    C = conv_matrix(w, taps)
    im2col = im2col_rows(x, geometry)
    y = (C @ x.ravel()).reshape(H_out, W_out)
    dx = (C.T @ delta.ravel()).reshape(x.shape)
    dw = (im2col.T @ delta.ravel()).reshape(w.shape)
    on_padding = padding_taps(taps, w.size)
    layer = _layer(x, w, delta, geometry)
    return MatrixRun(x, w, delta, geometry, taps, C, im2col, on_padding, y, dx, dw, float(delta.sum()), layer)


def _layer(x: np.ndarray, w: np.ndarray, delta: np.ndarray, g: ConvGeometry):
    """The engine's conv2d_forward and conv2d_backward on the same numbers: y, dX, dW, db."""
    z, cache = conv2d_forward(x[None, None], w[None, None], None, g.stride, g.padding, g.dilation)
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    return z[0, 0], dx[0, 0], dw[0, 0], float(db[0])


class Term(NamedTuple):
    """One product of a matrix–vector sum: matrix entry (row, col) times the vector's entry."""

    row: int  # the matrix's row r = i·W_out + j (an output cell)
    col: int  # the matrix's column (an input cell q = u·W + v, or a tap t = k·KW + l)
    entry: float  # the matrix's value there
    operand: float  # the vector's value it multiplies


def row_terms(run: MatrixRun, r: int) -> list[Term]:
    """y_r = Σ_q C[r, q] · x_q over the entries of row r (taps on the padding have none), by column."""
    x = run.x.ravel()
    return [Term(r, int(q), float(run.C[r, q]), float(x[q])) for q in np.flatnonzero(run.taps[r] >= 0)]


def column_terms(run: MatrixRun, q: int) -> list[Term]:
    """dX_q = Σ_r C[r, q] · δ_r over the entries of column q (the windows that read input cell q)."""
    delta = run.delta.ravel()
    return [Term(int(r), q, float(run.C[r, q]), float(delta[r])) for r in np.flatnonzero(run.taps[:, q] >= 0)]


def tap_terms(run: MatrixRun, t: int) -> list[Term]:
    """dW_t = Σ_r im2col[r, t] · δ_r over every output position (a tap on the padding reads 0)."""
    delta = run.delta.ravel()
    return [Term(r, t, float(run.im2col[r, t]), float(delta[r])) for r in range(run.im2col.shape[0])]


def reads_padding(run: MatrixRun, r: int) -> int:
    """How many taps of window r fall on the padding (the entries row r of C lacks)."""
    return int(run.im2col.shape[1] - np.count_nonzero(run.taps[r] >= 0))
