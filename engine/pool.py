"""The pooling layer (FORMULAS.md §3): max or average over sliding windows, forward and backward.

Each feature map is pooled on its own; the layer has no parameters. Two implementations, one truth:
`impl="reference"` loops over the output positions exactly as §3 reads (what the page narrates) and
`impl="fast"` works on all windows at once, one window cell at a time through strided views (what the
page runs on full images). Tests hold them equal.

Conventions (the same as PyTorch's `max_pool2d` / `avg_pool2d`):
- Max pooling pads with −inf, so a padding cell never wins a window.
- Average pooling pads with zeros and divides by the full window size KH·KW, padding cells included
  (PyTorch's default `count_include_pad=True`): a window half in the padding averages to about half.
- Backward, max: each window's upstream gradient goes to the cell that won the window. When several cells
  tie for the maximum, the FIRST one in row-major order (top row first, then left to right) wins and gets
  the whole gradient, the others get 0. Overlapping windows (stride < size) add their gradients up.
- Backward, average: each window spreads δ / (KH·KW) evenly over its cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

import numpy as np

from engine.errors import EngineError
from engine.geometry import TERMS, Pair, as_pair, conv_output_size, unpad_gradient

PoolMode = Literal["max", "avg"]
POOL_MODES: tuple[str, ...] = ("max", "avg")
Impl = Literal["fast", "reference"]
IMPLS: tuple[str, ...] = ("fast", "reference")


class PoolCache(NamedTuple):
    """What the pooling forward pass saves for the backward pass."""

    x_shape: tuple[int, int, int, int]  # (N, C, H, W) of the input
    size: Pair  # (KH, KW) window
    stride: Pair  # (sh, sw)
    padding: Pair  # (ph, pw) on each side
    mode: str  # "max" or "avg"
    impl: str  # "fast" or "reference": the backward pass uses the same one
    # Max pooling: flat index k·KW + l (row-major) of each window's winner, (N, C, H_out, W_out).
    # Average pooling: None (every cell of the window shares the gradient).
    argmax: np.ndarray | None


def pool2d_forward(
    x: np.ndarray,
    size: int | Pair = 2,
    stride: int | Pair | None = None,
    mode: PoolMode = "max",
    padding: int | Pair = 0,
    *,
    impl: Impl = "fast",
) -> tuple[np.ndarray, PoolCache]:
    """Max or average pooling forward: each output cell is the max (or mean) of one window.

    Args:
        x: input (N, C, H, W).
        size: window (KH, KW), int or pair.
        stride: step (sh, sw), int or pair, ≥ 1; None means the window size (windows side by side).
        mode: "max" or "avg".
        padding: (ph, pw) cells on each side, int or pair, at most half the window (as in PyTorch).
        impl: "fast" (strided views) or "reference" (loops over output positions).

    Returns:
        y: (N, C, H_out, W_out) with H_out = floor((H + 2·ph − KH) / sh) + 1 (and W_out alike);
        cache for `pool2d_backward`.

    Raises:
        EngineError: for a bad mode or hyper-parameter, with a sentence saying what to change;
            ValueError for an input that is not 4-D or an unknown impl (the caller's mistakes).
    """
    x = np.asarray(x, dtype=np.float64)
    size_hw, stride_hw, padding_hw = _check_hyper(x, size, stride, mode, padding)
    if impl not in IMPLS:
        raise ValueError(f"The implementation must be one of {', '.join(IMPLS)}, not {impl!r}.")
    forward = _forward_fast if impl == "fast" else _forward_reference
    y, argmax = forward(x, size_hw, stride_hw, padding_hw, mode)
    return y, PoolCache(x.shape, size_hw, stride_hw, padding_hw, mode, impl, argmax)


def pool2d_forward_reference(
    x: np.ndarray,
    size: int | Pair = 2,
    stride: int | Pair | None = None,
    mode: PoolMode = "max",
    padding: int | Pair = 0,
) -> tuple[np.ndarray, PoolCache]:
    """The loop version of `pool2d_forward` (same as `impl="reference"`); same Args and Returns."""
    return pool2d_forward(x, size, stride, mode, padding, impl="reference")


def pool2d_backward(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Pooling backward (FORMULAS.md §3), by the implementation the forward pass used.

    Args:
        dy: upstream gradient ∂L/∂y, (N, C, H_out, W_out).
        cache: from `pool2d_forward`.

    Returns:
        dx: (N, C, H, W). Max: each δ lands on its window's (first) maximum; average: δ / (KH·KW) on every
        cell of the window; overlapping windows add up.
    """
    dy = _check_upstream(dy, cache)
    backward = _backward_fast if cache.impl == "fast" else _backward_reference
    return backward(dy, cache)


def pool2d_backward_reference(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """The loop version of `pool2d_backward`, whichever implementation made the cache; same Args/Returns."""
    return _backward_reference(_check_upstream(dy, cache), cache)


def pool2d_argmax(cache: PoolCache) -> np.ndarray:
    """Which cell of each window won the max: its flat index k·KW + l in the window (row-major).

    Args:
        cache: from `pool2d_forward` with mode "max".

    Returns:
        int array (N, C, H_out, W_out).

    Raises:
        ValueError: for average pooling, where no cell wins.
    """
    if cache.argmax is None:
        raise ValueError("Average pooling has no winning cell: every cell of a window shares the gradient.")
    return cache.argmax


def pool2d_argmax_positions(cache: PoolCache) -> tuple[np.ndarray, np.ndarray]:
    """Where each window's maximum sits in the input: the cell its gradient is routed to.

    Args:
        cache: from `pool2d_forward` with mode "max".

    Returns:
        rows, cols: int arrays (N, C, H_out, W_out) of input coordinates (never in the padding: only the
        input's cells compete, even when the window's maximum is −inf).
    """
    k, l = np.divmod(pool2d_argmax(cache), cache.size[1])
    H_out, W_out = cache.argmax.shape[2:]
    (sh, sw), (ph, pw) = cache.stride, cache.padding
    i = np.arange(H_out)[:, None]
    j = np.arange(W_out)[None, :]
    return i * sh + k - ph, j * sw + l - pw


def pool2d_pad(x: np.ndarray, padding: int | Pair, mode: PoolMode) -> np.ndarray:
    """The input as the layer's windows read it: padded with −inf for max pooling, 0 for average.

    Args:
        x: input (N, C, H, W).
        padding: (ph, pw) cells on each side, int or pair.
        mode: "max" or "avg".

    Returns:
        (N, C, H + 2·ph, W + 2·pw).
    """
    return _pad(np.asarray(x, dtype=np.float64), as_pair(padding, "padding"), mode)


# ---------------------------------------------------------------------------------------------------------
# Validation


def _check_hyper(
    x: np.ndarray, size: int | Pair, stride: int | Pair | None, mode: str, padding: int | Pair
) -> tuple[Pair, Pair, Pair]:
    """Resolve size, stride and padding to pairs, and check that they make a valid pooling layer."""
    if x.ndim != 4:
        raise ValueError(
            f"Pooling expects a 4-D input (batch, channels, height, width); this one has shape {x.shape}."
        )
    if mode not in POOL_MODES:
        raise EngineError('The pooling mode must be "max" or "avg", not {mode!r}.', mode=mode)
    size_hw = as_pair(size, "window_size")
    stride_hw = size_hw if stride is None else as_pair(stride, "stride")
    padding_hw = as_pair(padding, "padding")
    for axis in (0, 1):
        _check_axis(
            size_hw[axis], stride_hw[axis], padding_hw[axis], x.shape[2 + axis], ("height", "width")[axis]
        )
    return size_hw, stride_hw, padding_hw


def _check_axis(K: int, s: int, p: int, n: int, axis: str) -> None:
    """Check window K, stride s and padding p along one axis of length n ("height" or "width")."""
    words = TERMS[axis]
    if K < 1:
        raise EngineError("The window {axis} must be at least 1 (it is {K}).", axis=words, K=K)
    if s < 1:
        raise EngineError("The stride must be at least 1 (it is {s} along the {axis}).", s=s, axis=words)
    if p < 0:
        raise EngineError("The padding cannot be negative.")
    if p > K // 2:
        # As in PyTorch: with more padding, a window could hold nothing but padding.
        raise EngineError(
            "The padding ({p}) can be at most half the window {axis} ({K} // 2 = {half}), so that every "
            "window holds at least one input cell: use less padding or a bigger window.",
            p=p,
            axis=words,
            K=K,
            half=K // 2,
        )
    if n + 2 * p < K:
        raise EngineError(
            "The window {axis} ({K}) is bigger than the padded input {axis} ({n} + 2·{p} = {padded}): use a "
            "smaller window or a bigger image.",
            axis=words,
            K=K,
            n=n,
            p=p,
            padded=n + 2 * p,
        )


def _check_upstream(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Check that dy has the output's shape; return it as float64."""
    dy = np.asarray(dy, dtype=np.float64)
    expected = (*cache.x_shape[:2], *_output_hw(cache.x_shape, cache.size, cache.stride, cache.padding))
    if dy.shape != expected:
        raise ValueError(f"The upstream gradient must have the output's shape {expected}, not {dy.shape}.")
    return dy


def _output_hw(x_shape: tuple[int, ...], size: Pair, stride: Pair, padding: Pair) -> Pair:
    """(H_out, W_out): H_out = floor((H + 2·ph − KH) / sh) + 1, and W_out alike."""
    H, W = x_shape[2:]
    (KH, KW), (sh, sw), (ph, pw) = size, stride, padding
    return conv_output_size(H, KH, sh, ph), conv_output_size(W, KW, sw, pw)


def _pad(x: np.ndarray, padding: Pair, mode: str) -> np.ndarray:
    """Pad height and width: −inf for max pooling (never wins), 0 for average pooling (counts as 0)."""
    (ph, pw), fill = padding, (-np.inf if mode == "max" else 0.0)
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)


def _unpad(dx_pad: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Crop the padding off a gradient of the padded input (padding cells are constants, not inputs)."""
    (ph, pw), hw = cache.padding, cache.x_shape[2:]
    return unpad_gradient(dx_pad, ((ph, ph), (pw, pw)), hw, "zeros")


# ---------------------------------------------------------------------------------------------------------
# Reference: loops over output positions, FORMULAS.md §3 line by line


def _forward_reference(
    x: np.ndarray, size: Pair, stride: Pair, padding: Pair, mode: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """y(n, c, i, j) = max (or mean) of the window X_pad(n, c, i·sh : i·sh + KH, j·sw : j·sw + KW)."""
    N, C = x.shape[:2]
    (KH, KW), (sh, sw) = size, stride
    H_out, W_out = _output_hw(x.shape, size, stride, padding)
    x_pad = _pad(x, padding, mode)
    y = np.zeros((N, C, H_out, W_out))
    argmax = np.zeros((N, C, H_out, W_out), dtype=np.int64) if mode == "max" else None
    inside = _pad(np.ones(x.shape, dtype=bool), padding, "avg").astype(bool)  # False on the padding
    for n, c, i, j in np.ndindex(N, C, H_out, W_out):
        window = x_pad[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW]
        if mode == "max":
            cells = np.flatnonzero(inside[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW])
            # Only the input's cells compete (as in PyTorch): a padding cell never wins, not even a tie
            # with −inf. np.argmax reads them row by row and returns the first maximum (the tie rule), and
            # the first NaN if there is one (NaN propagates, as in PyTorch).
            argmax[n, c, i, j] = cells[np.argmax(window.flat[cells])]
            y[n, c, i, j] = window.flat[argmax[n, c, i, j]]
        else:
            y[n, c, i, j] = window.sum() / (KH * KW)
    return y, argmax


def _backward_reference(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Each output position (n, c, i, j) sends dy(n, c, i, j) back into its own window."""
    N, C, H, W = cache.x_shape
    (KH, KW), (sh, sw), (ph, pw) = cache.size, cache.stride, cache.padding
    dx_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for n, c, i, j in np.ndindex(dy.shape):
        if cache.mode == "max":
            # The whole gradient goes to the winner (k, l) of the window; += because windows may overlap.
            k, l = divmod(int(cache.argmax[n, c, i, j]), KW)
            dx_pad[n, c, i * sh + k, j * sw + l] += dy[n, c, i, j]
        else:
            # The mean weighs each of the KH·KW cells by 1 / (KH·KW).
            dx_pad[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW] += dy[n, c, i, j] / (KH * KW)
    return _unpad(dx_pad, cache)


# ---------------------------------------------------------------------------------------------------------
# Fast: all windows at once, one window cell (k, l) at a time


def _window_cells(
    a_pad: np.ndarray, size: Pair, stride: Pair, out_hw: Pair
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yield (k, l, cells): cell (k, l) of every window at once, a view (N, C, H_out, W_out) of a_pad.

    Cell (k, l) of window (i, j) is padded cell (i·sh + k, j·sw + l), so for a fixed (k, l) the windows
    read the strided slice [k :: sh, l :: sw]: a view, no copy, and no cell twice (so += on it is safe).
    KH·KW vectorized steps replace the H_out·W_out steps of the loops.
    """
    (sh, sw), (H_out, W_out) = stride, out_hw
    for k, l in np.ndindex(*size):
        yield k, l, a_pad[:, :, k : k + sh * (H_out - 1) + 1 : sh, l : l + sw * (W_out - 1) + 1 : sw]


def _forward_fast(
    x: np.ndarray, size: Pair, stride: Pair, padding: Pair, mode: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """Max or mean of every window, built up over the KH·KW window cells."""
    KH, KW = size
    out_hw = _output_hw(x.shape, size, stride, padding)
    cells = _window_cells(_pad(x, padding, mode), size, stride, out_hw)
    if mode == "avg":
        return sum(cell for _, _, cell in cells) / (KH * KW), None
    _, _, first = next(cells)
    y = first.copy()
    argmax = np.zeros(y.shape, dtype=np.int64)
    for k, l, cell in cells:
        # Strictly greater: a later cell that only ties does not replace the first maximum (the tie rule
        # of the loops, where np.argmax reads the window row by row). A NaN wins over any number and is
        # kept once it has won (np.argmax's rule: the first NaN), so NaN propagates as in PyTorch.
        better = (cell > y) | (np.isnan(cell) & ~np.isnan(y))
        np.copyto(y, cell, where=better)
        argmax[better] = k * KW + l
    _first_inside_where_all_minus_inf(y, argmax, size, stride, padding)
    return y, argmax


def _first_inside_where_all_minus_inf(
    y: np.ndarray, argmax: np.ndarray, size: Pair, stride: Pair, padding: Pair
) -> None:
    """A window whose maximum is −inf ties with its padding (also −inf): give it to its first input cell.

    Padding never wins (the loops let only the input's cells compete, as PyTorch does). The input's cells
    of window (i, j) form a rectangle whose first cell, row by row, is (max(0, ph − i·sh), max(0, pw −
    j·sw)); a window with a finite maximum or a NaN already has its winner inside. Edits argmax in place.
    """
    (sh, sw), (ph, pw), KW = stride, padding, size[1]
    if (ph, pw) == (0, 0):
        return
    H_out, W_out = y.shape[2:]
    k0 = np.maximum(0, ph - sh * np.arange(H_out))[:, None]
    l0 = np.maximum(0, pw - sw * np.arange(W_out))[None, :]
    first_inside = np.broadcast_to(k0 * KW + l0, y.shape)
    np.copyto(argmax, first_inside, where=y == -np.inf)


def _backward_fast(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Each window cell (k, l) receives its share of dy from every window at once; overlaps add up."""
    N, C, H, W = cache.x_shape
    (KH, KW), (ph, pw) = cache.size, cache.padding
    dx_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    share = dy / (KH * KW)  # average pooling: every cell of every window gets the same share
    for k, l, cell_grad in _window_cells(dx_pad, cache.size, cache.stride, dy.shape[2:]):
        if cache.mode == "max":
            # Only the windows whose winner is cell (k, l) send their gradient there.
            share = np.where(cache.argmax == k * KW + l, dy, 0.0)
        cell_grad += share  # a view into dx_pad
    return _unpad(dx_pad, cache)
