"""A transposed convolution of one small map, stamp by stamp: what the transposed page shows, computed here.

`run_transposed` computes one (H, W) input with one (KH, KW) kernel by `engine.transposed` and keeps every
number the page draws or writes out: the stamp of each input cell (the kernel scaled by that cell), the
canvas after each stamp (row-major, step t = i·W + j), the output, the equivalent zero-inserted forward
convolution, the number of stamps that reach each output cell, and the same output as the input gradient
of the matching forward convolution (dX = Cᵀδ, computed by `engine.conv.conv2d_backward`). Figures
(viz/transposed.py) only draw these.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.conv import conv2d_backward, conv2d_forward
from engine.transposed import (
    TransposedGeometry,
    ZeroInsertView,
    conv_transpose2d,
    overlap_counts,
    stamp_slices,
    transposed_geometry,
    uneven_overlap,
    zero_insert_view,
)


class TransposedRun(NamedTuple):
    """One transposed convolution of one map with one kernel, every step kept."""

    x: np.ndarray  # (H, W) the input
    w: np.ndarray  # (KH, KW) the kernel
    geometry: TransposedGeometry
    canvas_steps: np.ndarray  # (H·W, Hc, Wc) the canvas after stamps 0..t (row-major)
    y: np.ndarray  # (H_out, W_out) the output: the last canvas without its padding
    view: ZeroInsertView  # the same output as a forward convolution (one image, one channel)
    counts: np.ndarray  # (H_out, W_out) stamps reaching each output cell
    uneven: tuple[bool, bool]  # (rows, columns): counts uneven away from the borders (checkerboard)
    dx: np.ndarray  # (H_out, W_out) conv2d_backward's dX for δ = x: the same numbers as y


def run_transposed(
    x: np.ndarray,
    w: np.ndarray,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> TransposedRun:
    """Transposed-convolve one map with one kernel and keep every stamp.

    Args:
        x: (H, W) input; w: (KH, KW) kernel.
        stride, padding, output_padding, dilation: as in `engine.transposed.conv_transpose2d`.

    Returns:
        TransposedRun.

    Raises:
        EngineError: for impossible hyper-parameters.
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    geometry = transposed_geometry(
        (1, 1, *x.shape), (1, 1, *w.shape), stride, padding, output_padding, dilation
    )
    canvas_steps = _canvas_steps(x, w, geometry)
    # The layer itself (fast path); the last canvas, cropped, is the same numbers (a test holds them equal).
    y = conv_transpose2d(x[None, None], w[None, None], stride, padding, output_padding, dilation)[0, 0]
    view = zero_insert_view(x[None, None], w[None, None], stride, padding, output_padding, dilation)
    uneven = tuple(
        uneven_overlap(k, s, d) for k, s, d in zip(geometry.kernel, geometry.stride, geometry.dilation)
    )
    return TransposedRun(
        x,
        w,
        geometry,
        canvas_steps,
        y,
        view,
        overlap_counts(geometry),
        uneven,
        _as_input_gradient(x, w, geometry),
    )


def _canvas_steps(x: np.ndarray, w: np.ndarray, geometry: TransposedGeometry) -> np.ndarray:
    """The canvas after each stamp: step t adds x(i, j)·W at cell (i, j)'s stamp (t = i·W + j)."""
    H, W = x.shape
    canvas = np.zeros(geometry.canvas)
    steps = np.empty((H * W, *geometry.canvas))
    for t, (i, j) in enumerate(input_cells(x.shape)):
        rows, cols = stamp_slices(geometry, i, j)
        canvas[rows, cols] += x[i, j] * w  # overlapping stamps add up
        steps[t] = canvas
    return steps


def _as_input_gradient(x: np.ndarray, w: np.ndarray, geometry: TransposedGeometry) -> np.ndarray:
    """The input gradient of the forward convolution whose backward this is, for δ = x: dX = Cᵀδ.

    The forward convolution reads an input of the output's size with the same kernel, stride, padding and
    dilation. Its own output may be longer than x when output_padding ≥ stride (possible with dilation):
    δ is x with zeros after, for outputs no stamp came from.
    """
    X = np.zeros((1, 1, *geometry.out_size))
    z, cache = conv2d_forward(X, w[None, None], None, geometry.stride, geometry.padding, geometry.dilation)
    delta = np.zeros_like(z)
    delta[0, 0, : x.shape[0], : x.shape[1]] = x
    return conv2d_backward(delta, cache)[0][0, 0]


def input_cells(shape: tuple[int, int]) -> list[tuple[int, int]]:
    """Input cells in the order they stamp: row by row (step t = i·W + j)."""
    return [(i, j) for i in range(shape[0]) for j in range(shape[1])]


class StampTerm(NamedTuple):
    """One term x(i, j) · W(k, l) of an output cell's sum."""

    i: int
    j: int
    k: int
    l: int
    x: float
    w: float


def cell_terms(run: TransposedRun, u: int, v: int) -> list[StampTerm]:
    """The terms of y(u, v) = Σ x(i, j)·W(k, l) over i·s + k·d − p = u, j·s + l·d − p = v, by (i, j).

    Returns:
        The terms in stamping order; empty when no stamp reaches the cell (its value is 0).
    """
    g = run.geometry
    rows = _pairs(u, g.kernel[0], g.stride[0], g.dilation[0], g.padding[0], g.in_size[0])
    cols = _pairs(v, g.kernel[1], g.stride[1], g.dilation[1], g.padding[1], g.in_size[1])
    terms = [StampTerm(i, j, k, l, float(run.x[i, j]), float(run.w[k, l])) for i, k in rows for j, l in cols]
    return sorted(terms, key=lambda term: (term.i, term.j))


def _pairs(u: int, K: int, s: int, d: int, p: int, n: int) -> list[tuple[int, int]]:
    """The (input index i, kernel index k) pairs along one axis whose tap lands on u: i·s + k·d − p = u."""
    pairs = []
    for k in range(K):
        i, rest = divmod(u + p - k * d, s)
        if rest == 0 and 0 <= i < n:
            pairs.append((i, k))
    return pairs
