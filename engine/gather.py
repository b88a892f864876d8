"""dX seen as a gather, and how often each input cell is read (FORMULAS.md §2).

dX two ways: the scatter form (each output adds δ(i, j)·W into its window: engine/conv_reference.py, and
here `scatter_dx_pad`, tap by tap over whole maps) and the gather form (`gather_dx`): δ spread out by the
stride, padded by the dilated K − 1, correlated with the kernel rotated by 180°; every intermediate array
is returned so a page can show it. `gather_dx_reference` is the same computation written to be read;
`gather_terms` lists the terms one cell of dX_pad collects. `overlap_count` counts them: how many
(window, tap) pairs read each cell, uneven when the stride is larger than 1.

Everything works on one image (C, H, W) and a bank of F kernels (F, C, KH, KW), in float64.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.conv_fast import columns
from engine.geometry import ConvGeometry, tap_slices, unpad_gradient

# Bytes of the columns matrix per band of rows in gather_dx: small enough to stay in a CPU's L2 cache.
GATHER_BLOCK_BYTES = 1 << 20


class GatherView(NamedTuple):
    """dX computed as a convolution ("gather"), with each intermediate array (one image, F kernels).

    With Hs = (H_out − 1)·s_h + 1 and span_h = d_h·(KH − 1) + 1 (the same along the width):
    """

    delta: np.ndarray  # (F, H_out, W_out)  δ = ∂L/∂Z
    spread: np.ndarray  # (F, Hs, Ws)  δ with s − 1 zeros between entries
    padded: np.ndarray  # (F, Hs + 2(span_h − 1), Ws + 2(span_w − 1))  spread, padded by d·(K − 1)
    rotated: np.ndarray  # (F, C, KH, KW)  W rotated by 180°
    rotated_dilated: np.ndarray  # (F, C, span_h, span_w)  the rotated kernel with d − 1 zeros between taps
    full: np.ndarray  # (C, Hs + span_h − 1, Ws + span_w − 1)  padded ⋆ rotated_dilated, summed over F
    dx_pad: np.ndarray  # (C, H_pad, W_pad)  full, and zeros on padded cells no window reaches
    cropped: np.ndarray  # (C, H, W)  dx_pad without its padding border
    folded: np.ndarray  # (C, H, W)  what reflect/replicate/circular padding adds back (zeros: 0)
    dx: np.ndarray  # (C, H, W)  cropped + folded


def spread_delta(delta: np.ndarray, stride: tuple[int, int]) -> np.ndarray:
    """δ spread out by the stride: s − 1 zeros between neighbouring entries.

    Args:
        delta: (..., H_out, W_out).
        stride: (s_h, s_w).

    Returns:
        (..., (H_out − 1)·s_h + 1, (W_out − 1)·s_w + 1).
    """
    (sh, sw), (H_out, W_out) = stride, delta.shape[-2:]
    spread = np.zeros((*delta.shape[:-2], (H_out - 1) * sh + 1, (W_out - 1) * sw + 1), dtype=delta.dtype)
    spread[..., ::sh, ::sw] = delta
    return spread


def dilate_kernel(w: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """A kernel with d − 1 zeros between its taps: (..., KH, KW) → (..., d_h(KH − 1) + 1, d_w(KW − 1) + 1)."""
    return spread_delta(w, dilation)


def scatter_dx_pad(delta: np.ndarray, w: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """dX_pad in the scatter form, tap by tap: each output cell adds δ(f, i, j)·W(f) onto its window.

        dX_pad(c, i·s_h + k·d_h, j·s_w + l·d_w) += Σ_f δ(f, i, j) · W(f, c, k, l)

    One whole-map product per tap (k, l) (FORMULAS.md §2), never a loop over cells: the gradient of the
    padded input before the padding is cropped or folded, without the kernels' gradient the engine's
    backward pass computes alongside (so about twice as fast for one kernel).

    Args:
        delta: δ = ∂L/∂Z, (F, H_out, W_out); w: kernels (F, C, KH, KW).
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        (C, H_pad, W_pad).
    """
    delta, w = np.asarray(delta, dtype=np.float64), np.asarray(w, dtype=np.float64)
    F, C, KH, KW = w.shape
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    dx_pad = np.zeros((C, top + H + bottom, left + W + right))
    for k in range(KH):
        for l in range(KW):
            rows, cols = tap_slices(geometry, k, l)
            if F == 1:  # a scaled copy of δ per channel: no matrix product to set up
                for c in range(C):
                    dx_pad[c, rows, cols] += w[0, c, k, l] * delta[0]
            else:
                dx_pad[:, rows, cols] += np.tensordot(w[:, :, k, l], delta, axes=([0], [0]))
    return dx_pad


def gather_dx(delta: np.ndarray, w: np.ndarray, geometry: ConvGeometry) -> GatherView:
    """dX as a "full" convolution of δ with the kernel rotated by 180° (FORMULAS.md §2, gather form).

        dX_pad(c, u, v) = Σ_f Σ_k' Σ_l' P(f, u + k'·d_h, v + l'·d_w) · rot180(W)(f, c, k', l')

    where P is δ spread by the stride and padded by d·(K − 1). The rows (and columns) of the padded input
    that no window reaches, when the stride does not divide evenly, get 0. Then the padding is cropped
    off (zeros) or folded back onto the cells it copied (reflect, replicate, circular).

    Args:
        delta: δ = ∂L/∂Z, (F, H_out, W_out).
        w: kernels (F, C, KH, KW).
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        GatherView with every intermediate array; its dx equals conv2d_backward's. To save copies,
        spread is a view into padded, and full and cropped are views into dx_pad: read them, do not
        write to them.
    """
    delta, w = np.asarray(delta, dtype=np.float64), np.asarray(w, dtype=np.float64)
    padded, spread = _spread_and_pad(delta, geometry)
    rotated = w[..., ::-1, ::-1].copy()
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    dx_pad = np.zeros((w.shape[1], top + H + bottom, left + W + right))
    (KH, KW), (dh, dw) = geometry.kernel, geometry.dilation
    full = dx_pad[:, : spread.shape[1] + dh * (KH - 1), : spread.shape[2] + dw * (KW - 1)]
    _correlate(padded, rotated, geometry.dilation, full)
    cropped = dx_pad[:, top : top + H, left : left + W]
    if geometry.pad_mode == "zeros":  # zero padding copied no input cell: only crop, nothing folds back
        dx, folded = cropped.copy(), np.zeros_like(cropped)
    else:
        dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
        folded = dx - cropped
    rotated_dilated = dilate_kernel(rotated, geometry.dilation)
    return GatherView(delta, spread, padded, rotated, rotated_dilated, full, dx_pad, cropped, folded, dx)


def gather_dx_reference(delta: np.ndarray, w: np.ndarray, geometry: ConvGeometry) -> GatherView:
    """`gather_dx` written to be read: the same arrays, one step of FORMULAS.md §2's gather form at a time.

    Spread δ by the stride (s − 1 zeros between entries), pad it by d·(K − 1), slide the kernel rotated
    by 180° over it (one whole-map product per tap), then crop or fold the padding. `gather_dx` computes
    the same fields faster (in bands of rows, with fewer copies); tests hold the two equal.

    Args:
        delta: δ = ∂L/∂Z, (F, H_out, W_out); w: kernels (F, C, KH, KW).
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        GatherView, every field its own array.
    """
    delta, w = np.asarray(delta, dtype=np.float64), np.asarray(w, dtype=np.float64)
    (KH, KW), (dh, dw) = geometry.kernel, geometry.dilation
    spread = spread_delta(delta, geometry.stride)
    padded = np.pad(spread, ((0, 0), (dh * (KH - 1),) * 2, (dw * (KW - 1),) * 2))
    rotated = w[..., ::-1, ::-1].copy()
    full_h, full_w = spread.shape[1] + dh * (KH - 1), spread.shape[2] + dw * (KW - 1)
    full = np.zeros((w.shape[1], full_h, full_w))
    for k in range(KH):
        for l in range(KW):
            window = padded[:, k * dh : k * dh + full_h, l * dw : l * dw + full_w]  # (F, full_h, full_w)
            full += np.tensordot(rotated[:, :, k, l], window, axes=([0], [0]))  # Σ_f: (C, full_h, full_w)
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    dx_pad = np.zeros((w.shape[1], top + H + bottom, left + W + right))
    dx_pad[:, :full_h, :full_w] = full  # rows and columns no window reaches stay 0
    cropped = dx_pad[:, top : top + H, left : left + W].copy()
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    rotated_dilated = dilate_kernel(rotated, geometry.dilation)
    return GatherView(
        delta, spread, padded, rotated, rotated_dilated, full, dx_pad, cropped, dx - cropped, dx
    )


def _spread_and_pad(delta: np.ndarray, geometry: ConvGeometry) -> tuple[np.ndarray, np.ndarray]:
    """P, δ spread by the stride and padded by d·(K − 1) on every side, and the spread δ (a view into P).

    Returns:
        padded (F, Hs + 2·d_h(KH − 1), Ws + 2·d_w(KW − 1)), spread (F, Hs, Ws).
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    F, H_out, W_out = delta.shape
    Hs, Ws = (H_out - 1) * sh + 1, (W_out - 1) * sw + 1
    mh, mw = dh * (KH - 1), dw * (KW - 1)
    # One zero array written once: cheaper than building the spread δ and then np.pad-ding a copy of it.
    padded = np.zeros((F, Hs + 2 * mh, Ws + 2 * mw))
    spread = padded[:, mh : mh + Hs, mw : mw + Ws]
    spread[:, ::sh, ::sw] = delta
    return padded, spread


def _correlate(padded: np.ndarray, rotated: np.ndarray, dilation: tuple[int, int], out: np.ndarray) -> None:
    """out(c) = Σ_f padded(f) ⋆ rotated(f, c) at dilation d, "valid", written into out in place.

    This is a convolution layer's forward pass with the F maps of P as input channels and the rotated
    kernels, their axes swapped to (C, F, KH, KW), as C output maps: im2col and one matrix product per
    band of rows. A band's columns matrix is kept near GATHER_BLOCK_BYTES so that it stays in the CPU's
    cache between being built and multiplied (a whole-map product per tap is 5-10× slower).

    Args:
        padded: (F, Hp, Wp); rotated: (F, C, KH, KW); out: (C, Hp − d_h(KH − 1), Wp − d_w(KW − 1)).
    """
    F, C, KH, KW = rotated.shape
    full_h, full_w = out.shape[1:]
    w_mat = rotated.transpose(1, 0, 2, 3).reshape(C, F * KH * KW)
    band = max(1, GATHER_BLOCK_BYTES // (w_mat.shape[1] * full_w * padded.itemsize))
    for r0 in range(0, full_h, band):
        r1 = min(full_h, r0 + band)
        rows = padded[None, :, r0 : r1 + dilation[0] * (KH - 1)]  # (1, F, rows the band reads, Wp)
        band_geometry = ConvGeometry(
            (KH, KW), (1, 1), ((0, 0), (0, 0)), dilation, "zeros", rows.shape[2:], (r1 - r0, full_w)
        )
        out[:, r0:r1] = (w_mat @ columns(rows, band_geometry)).reshape(C, r1 - r0, full_w)


class GatherTerm(NamedTuple):
    """One term δ(f, i, j) · W(f, c, k, l) of the sum that gives dX_pad at one cell."""

    f: int
    i: int
    j: int
    k: int
    l: int
    delta: float
    weight: float


def gather_terms(
    delta: np.ndarray, w: np.ndarray, geometry: ConvGeometry, c: int, u: int, v: int
) -> list[GatherTerm]:
    """The terms of dX_pad(c, u, v) = Σ δ(f, i, j)·W(f, c, k, l) over i·s + k·d = u, j·s + l·d = v.

    Args:
        delta: (F, H_out, W_out); w: (F, C, KH, KW).
        c, u, v: channel, row and column of the padded input.

    Returns:
        The terms, ordered by (f, i, j); empty when no window reads the cell.
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    rows = _taps_reading(u, KH, sh, dh, geometry.out_size[0])
    cols = _taps_reading(v, KW, sw, dw, geometry.out_size[1])
    terms = [
        GatherTerm(f, i, j, k, l, float(delta[f, i, j]), float(w[f, c, k, l]))
        for f in range(w.shape[0])
        for i, k in rows
        for j, l in cols
    ]
    return sorted(terms, key=lambda term: (term.f, term.i, term.j))


def _taps_reading(u: int, K: int, s: int, d: int, n_out: int) -> list[tuple[int, int]]:
    """The (output index i, kernel index k) pairs along one axis with i·s + k·d = u."""
    pairs = []
    for k in range(K):
        i, rest = divmod(u - k * d, s)
        if rest == 0 and 0 <= i < n_out:
            pairs.append((i, k))
    return pairs


# --- how often each input cell is read ------------------------------------------------------------------


class OverlapCount(NamedTuple):
    """How many (window, tap) pairs read each cell: the number of terms in its gradient."""

    padded: np.ndarray  # (H_pad, W_pad) int
    input: np.ndarray  # (H, W) int; reflect/replicate/circular count the copies in the padding too


def overlap_count(geometry: ConvGeometry) -> OverlapCount:
    """Count, for every cell of the padded input, the windows whose taps read it.

    The count is a product of a count per axis (rows read by kernel row k are k·d, k·d + s, ...), so it
    costs KH + KW slice additions. With stride > 1 it is uneven: some cells are read more often than
    their neighbours, some (with s > d·K) never.

    Args:
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        OverlapCount with the padded and the input (folded or cropped) counts.
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    H_out, W_out = geometry.out_size
    rows, cols = np.zeros(top + H + bottom, dtype=np.int64), np.zeros(left + W + right, dtype=np.int64)
    for k in range(KH):
        rows[k * dh : k * dh + sh * (H_out - 1) + 1 : sh] += 1
    for l in range(KW):
        cols[l * dw : l * dw + sw * (W_out - 1) + 1 : sw] += 1
    padded = np.outer(rows, cols)
    folded = unpad_gradient(padded.astype(np.float64), geometry.padding, geometry.in_size, geometry.pad_mode)
    return OverlapCount(padded, np.rint(folded).astype(np.int64))
