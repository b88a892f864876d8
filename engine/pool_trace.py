"""The pooling layer (FORMULAS.md §3) window by window: what the pooling page shows, computed by the engine.

`run_pooling` pools one feature map forward and backward with `engine.pool` and keeps every number the
page shows; the helpers below read one window of a run: its cells, its values (padding included), the
cells that tie for its maximum, the cells its gradient goes to. `running_dx` gives ∂L/∂X after each window,
from each window's own share, in one pass. Windows are visited in row-major order: step t is window (i, j)
with t = i·W_out + j. Figures (viz/pooling.py) only draw these.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from engine.errors import Phrase, check_choice
from engine.geometry import Pair, conv_output_size, unpad_gradient
from engine.pool import PoolCache, pool2d_argmax_positions, pool2d_backward, pool2d_forward, pool2d_pad

UPSTREAM_KINDS: tuple[str, ...] = ("ones", "random")


class PoolingRun(NamedTuple):
    """One pooling layer on one feature map, forward and backward, as the engine computed it."""

    x: np.ndarray  # (H, W) input map
    y: np.ndarray  # (H_out, W_out) pooled map
    dy: np.ndarray  # (H_out, W_out) upstream gradient δ = ∂L/∂y
    dx: np.ndarray  # (H, W) ∂L/∂X from engine.pool.pool2d_backward
    dx_steps: np.ndarray  # (T, H, W), T = H_out·W_out: ∂L/∂X after windows 0..t (row-major)
    winner_rows: np.ndarray | None  # (H_out, W_out) input row of each window's maximum; None for average
    winner_cols: np.ndarray | None  # (H_out, W_out) input column of each window's maximum
    size: Pair  # (KH, KW)
    stride: Pair  # (sh, sw)
    padding: Pair  # (ph, pw)
    mode: str  # "max" or "avg"


def upstream_gradient(kind: str, shape: Pair, seed: int = 0) -> np.ndarray:
    """An upstream gradient δ for the page: all ones, or random values in [−2, 2] with one decimal.

    Args:
        kind: "ones" or "random".
        shape: (H_out, W_out).
        seed: seed of the random values (the same seed gives the same δ).

    Returns:
        (H_out, W_out) float64.
    """
    check_choice(kind, UPSTREAM_KINDS, Phrase("upstream gradient"))
    if kind == "ones":
        return np.ones(shape)
    # One decimal keeps the numbers in the cells short enough to read from the back of a hall.
    # + 0.0 turns the −0.0 that rounding leaves into 0.0, which prints without a sign.
    return np.round(np.random.default_rng(seed).uniform(-2.0, 2.0, size=shape), 1) + 0.0


def run_pooling(
    x: np.ndarray,
    size: int | Pair,
    stride: int | Pair,
    padding: int | Pair,
    mode: str,
    upstream: str = "ones",
    seed: int = 0,
) -> PoolingRun:
    """Pool one feature map forward and backward with the engine, and keep every number the page shows.

    Args:
        x: (H, W) feature map.
        size, stride, padding: as `engine.pool.pool2d_forward` takes them.
        mode: "max" or "avg".
        upstream: "ones" or "random", see `upstream_gradient`.
        seed: seed of a random upstream gradient.

    Returns:
        A `PoolingRun`.

    Raises:
        ValueError: from the engine, for a window, stride or padding that does not fit the map.
    """
    x = np.asarray(x, dtype=np.float64)
    y, cache = pool2d_forward(x[None, None], size, stride, mode, padding)
    dy = upstream_gradient(upstream, y.shape[2:], seed)
    dx = pool2d_backward(dy[None, None], cache)[0, 0]
    dx_steps = running_dx(dy[None, None], cache)[:, 0, 0]
    rows = cols = None
    if mode == "max":
        rows, cols = (a[0, 0] for a in pool2d_argmax_positions(cache))
    return PoolingRun(x, y[0, 0], dy, dx, dx_steps, rows, cols, cache.size, cache.stride, cache.padding, mode)


# ---------------------------------------------------------------------------------------------------------
# One window of a run


def output_cells(run: PoolingRun) -> list[tuple[int, int]]:
    """The output positions (i, j) in the order the animations visit them (row-major)."""
    return [(int(i), int(j)) for i, j in np.ndindex(run.y.shape)]


def window_rows_cols(run: PoolingRun, i: int, j: int) -> tuple[range, range]:
    """Input rows and columns covered by window (i, j); negative or ≥ H/W ones are padding."""
    (KH, KW), (sh, sw), (ph, pw) = run.size, run.stride, run.padding
    return range(i * sh - ph, i * sh - ph + KH), range(j * sw - pw, j * sw - pw + KW)


def window_input_rows_cols(run: PoolingRun, i: int, j: int) -> tuple[range, range]:
    """Rows and columns of window (i, j) inside the input: the padding is no input and gets no gradient."""
    (H, W), (rows, cols) = run.x.shape, window_rows_cols(run, i, j)
    return range(max(rows[0], 0), min(rows[-1], H - 1) + 1), range(max(cols[0], 0), min(cols[-1], W - 1) + 1)


def padded_input(run: PoolingRun) -> np.ndarray:
    """The input with its padding as the layer sees it: −∞ for max pooling (never wins), 0 for average.

    Returns:
        (H + 2·ph, W + 2·pw).
    """
    return pool2d_pad(run.x[None, None], run.padding, run.mode)[0, 0]


def window_values(run: PoolingRun, i: int, j: int) -> np.ndarray:
    """The (KH, KW) values under window (i, j), padding included."""
    (KH, KW), (sh, sw) = run.size, run.stride
    return padded_input(run)[i * sh : i * sh + KH, j * sw : j * sw + KW]


def window_sum(run: PoolingRun, i: int, j: int) -> float:
    """The sum of window (i, j), padding included: average pooling divides it by KH·KW."""
    return float(np.sum(window_values(run, i, j)))


def ties(run: PoolingRun, i: int, j: int) -> list[tuple[int, int]]:
    """Input cells of window (i, j) that equal its maximum but lose the tie (max pooling only)."""
    if run.mode != "max":
        return []
    rows, cols = window_rows_cols(run, i, j)
    values, winner = window_values(run, i, j), (int(run.winner_rows[i, j]), int(run.winner_cols[i, j]))
    hits = [(rows[k], cols[l]) for k, l in zip(*np.nonzero(values == run.y[i, j]))]
    return [cell for cell in hits if cell != winner]


def window_share(run: PoolingRun, i: int, j: int) -> float:
    """What each cell that window (i, j)'s gradient goes to receives: δ(i, j) (max) or δ(i, j) / (KH·KW)."""
    KH, KW = run.size
    return float(run.dy[i, j]) if run.mode == "max" else float(run.dy[i, j] / (KH * KW))


def routing_targets(run: PoolingRun, i: int, j: int) -> list[tuple[int, int]]:
    """Input cells that window (i, j)'s gradient goes to: its winner (max) or its real cells (average)."""
    if run.mode == "max":
        return [(int(run.winner_rows[i, j]), int(run.winner_cols[i, j]))]
    rows, cols = window_input_rows_cols(run, i, j)
    return [(r, c) for r in rows for c in cols]


def windows_won_by(run: PoolingRun, r: int, c: int) -> list[tuple[int, int]]:
    """The windows (i, j) whose maximum is input cell (r, c), row-major: their δs add up in ∂L/∂X(r, c)."""
    if run.mode != "max":
        return []
    won = (run.winner_rows == r) & (run.winner_cols == c)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(won))]


# ---------------------------------------------------------------------------------------------------------
# ∂L/∂X after each window


def running_dx(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """∂L/∂X after each window (row-major): step t holds the gradient of windows 0..t, the last one all of it.

    Each window adds its own share (`window_cell_shares`): max pooling sends δ(i, j) to the window's first
    maximum, average pooling δ(i, j) / (KH·KW) to each of its cells; overlapping windows add up, and a
    padding cell's share is cropped away, as `pool2d_backward` does. The shares are summed in the order
    the cache's backward pass sums them, so step t is bit for bit `pool2d_backward` of δ with the windows
    after t zeroed. Floating-point addition is not associative: in another order the last bits change, and
    a sum of average shares that cancels leaves a residue (±1e-17) whose size and sign the page would show.

    Args:
        dy: upstream gradient ∂L/∂y, (N, C, H_out, W_out).
        cache: from `engine.pool.pool2d_forward`.

    Returns:
        (H_out·W_out, N, C, H, W); the last step equals `pool2d_backward(dy, cache)`.
    """
    dy = _check_upstream(dy, cache)
    shares = window_cell_shares(dy, cache)
    add_up = _sum_in_window_order if cache.impl == "reference" else _sum_latest_first
    steps_pad = add_up(shares, cache.size, cache.stride, dy.shape[2:])
    (ph, pw), hw = cache.padding, cache.x_shape[2:]
    return unpad_gradient(steps_pad, ((ph, ph), (pw, pw)), hw, "zeros")


def window_cell_shares(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """What each window sends to its cell (k, l), for every window at once: one padded map per (k, l).

    Cell (k, l) of window (i, j) is padded cell (i·sh + k, j·sw + l); for a fixed (k, l) no two windows
    share that cell, so one map holds them all.

    Args:
        dy: upstream gradient (N, C, H_out, W_out).
        cache: from `engine.pool.pool2d_forward`.

    Returns:
        shares (KH·KW, N, C, H_pad, W_pad): shares[k·KW + l] holds, at padded cell (i·sh + k, j·sw + l),
        δ(i, j) if (k, l) won window (i, j) else 0 (max), or δ(i, j) / (KH·KW) (average); 0 elsewhere.
    """
    N, C, H, W = cache.x_shape
    (KH, KW), (sh, sw), (ph, pw) = cache.size, cache.stride, cache.padding
    H_out, W_out = dy.shape[2:]
    shares = np.zeros((KH * KW, N, C, H + 2 * ph, W + 2 * pw))
    for p, (k, l) in enumerate(np.ndindex(KH, KW)):
        # The same share as engine.pool's fast backward, so the sums below are its sums.
        share = np.where(cache.argmax == p, dy, 0.0) if cache.mode == "max" else dy / (KH * KW)
        shares[p, :, :, k : k + sh * (H_out - 1) + 1 : sh, l : l + sw * (W_out - 1) + 1 : sw] = share
    return shares


def _sum_in_window_order(shares: np.ndarray, size: Pair, stride: Pair, out_hw: Pair) -> np.ndarray:
    """The loops' order (impl "reference"): window after window, a cumulative sum of their contributions.

    Returns:
        (H_out·W_out, N, C, H_pad, W_pad): dX_pad after each window.
    """
    contributions = np.zeros((out_hw[0] * out_hw[1] + 1, *shares.shape[1:]))
    for t, (rows, cols) in enumerate(_windows(size, stride, out_hw)):
        contributions[t + 1][..., rows, cols] = _at_window(shares, rows, cols)
    # Row 0 holds nothing yet: the sum starts from 0 as the loops' dX_pad does (0 + (−0) is 0, not −0).
    return np.cumsum(contributions, axis=0)[1:]


def _sum_latest_first(shares: np.ndarray, size: Pair, stride: Pair, out_hw: Pair) -> np.ndarray:
    """The fast pass's order (impl "fast"): window cell (k, l) of every window at once, k·KW + l rising.

    A padded cell is cell p = (u − i·sh)·KW + (v − j·sw) of each window (i, j) over it, so a later window
    reaches it through a smaller p: the fast pass adds a cell's windows latest first. After window t, the
    windows 0..t over a cell are those from t's own p on; so t's cells take the sums that start at their p.

    Returns:
        (H_out·W_out, N, C, H_pad, W_pad): dX_pad after each window.
    """
    totals = _sums_from(shares)
    dx_pad = np.zeros(shares.shape[1:])
    steps = np.empty((out_hw[0] * out_hw[1], *dx_pad.shape))
    for t, (rows, cols) in enumerate(_windows(size, stride, out_hw)):
        dx_pad[..., rows, cols] = _at_window(totals, rows, cols)  # the other cells keep their windows
        steps[t] = dx_pad
    return steps


def _sums_from(shares: np.ndarray) -> np.ndarray:
    """totals[p] = shares[p] + shares[p + 1] + … + shares[-1], added left to right (the fast pass's order).

    Args:
        shares: (P, ...).

    Returns:
        (P, ...).
    """
    totals = np.zeros_like(shares)
    for p in range(len(shares)):
        # += because overlapping windows add up: every sum that started at p or before takes shares[p].
        totals[: p + 1] += shares[p]
    return totals


def _windows(size: Pair, stride: Pair, out_hw: Pair) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each window (i, j), row-major: padded rows and columns (KH·KW,) of its cells p = k·KW + l."""
    (KH, KW), (sh, sw) = size, stride
    k, l = np.divmod(np.arange(KH * KW), KW)
    for i, j in np.ndindex(*out_hw):
        yield i * sh + k, j * sw + l


def _at_window(maps: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """maps[p, …, rows[p], cols[p]] for each window cell p, as (N, C, KH·KW): what [..., rows, cols] takes."""
    return np.moveaxis(maps[np.arange(len(rows)), ..., rows, cols], 0, -1)


def _check_upstream(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Check that dy has the output's shape; return it as float64."""
    dy = np.asarray(dy, dtype=np.float64)
    (N, C, H, W), (KH, KW), (sh, sw), (ph, pw) = cache.x_shape, cache.size, cache.stride, cache.padding
    expected = (N, C, conv_output_size(H, KH, sh, ph), conv_output_size(W, KW, sw, pw))
    if dy.shape != expected:
        raise ValueError(f"The upstream gradient must have the output's shape {expected}, not {dy.shape}.")
    return dy
