"""The backward pass of one convolution layer as the backward page shows it (FORMULAS.md §2).

- Where the gradient comes from: three losses on the layer's output A = σ(Z), each giving L and ∂L/∂A;
  then δ = ∂L/∂Z = ∂L/∂A ⊙ σ'(Z) (`layer_gradients`).
- dX two ways: the scatter form (engine/conv_reference.py: each output adds δ(i, j)·W into its window)
  and the gather form here (`gather_dx`): δ spread out by the stride, padded by the dilated K − 1,
  correlated with the kernel rotated by 180°; every intermediate array is returned so a page can show it.
- How often each input cell is read (`overlap_count`): uneven when the stride is larger than 1.
- A gradient check of the whole layer (conv + activation + loss) by central differences.
- Gradient descent on the kernels toward a target kernel's output.

Everything works on one image (C, H, W) and a bank of F kernels (F, C, KH, KW), in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.activations import activation_derivative, activation_forward
from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import columns
from engine.errors import EngineError
from engine.geometry import ConvGeometry, pad_input, tap_slices, unpad_gradient
from engine.gradcheck import ERROR_FLOOR, relative_errors
from engine.losses import mse_loss
from engine.trace import BackwardTrace, Region, backward_trace, check_region, running_dx_pad

LOSSES: tuple[str, ...] = ("sum", "mse", "impulse")
# Activations with a kink (a point where the derivative jumps): finite differences across it are wrong.
KINKED = ("relu", "leaky_relu")
# Bytes of the columns matrix per band of rows in gather_dx: small enough to stay in a CPU's L2 cache.
GATHER_BLOCK_BYTES = 1 << 20


# --- the gather view of dX ------------------------------------------------------------------------------


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


# --- where the gradient comes from ----------------------------------------------------------------------


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
        raise EngineError("backward_views.loss_unknown", choices=", ".join(LOSSES), kind=spec.kind)
    if spec.kind == "mse" and (spec.target is None or spec.target.shape != shape):
        got = None if spec.target is None else spec.target.shape
        raise EngineError("backward_views.target_shape", shape=shape, got=got)
    if spec.kind == "impulse":
        if spec.cell is None or len(spec.cell) != 3:
            raise EngineError("backward_views.impulse_cell")
        if not all(0 <= n < size for n, size in zip(spec.cell, shape)):
            f, i, j = spec.cell
            raise EngineError(
                "backward_views.cell_outside",
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


# --- gradient check -------------------------------------------------------------------------------------


class GradientCheck(NamedTuple):
    """Analytic against numerical gradients on sampled entries of dW, db and dX.

    Per entry: error = |analytic − numeric| / max(|analytic| + |numeric|, ERROR_FLOOR · largest |entry|
    of its array). Entries where the step crossed a kink of the activation are flagged and left out of
    `worst` and `overall` (the loss has no derivative there, so no check can agree).
    """

    arrays: tuple[str, ...]  # "W", "b" or "X", one per checked entry
    indices: tuple[tuple[int, ...], ...]  # the entry's index in its array (W: f,c,k,l; b: f; X: c,u,v)
    analytic: np.ndarray  # (n,)
    numeric: np.ndarray  # (n,)
    errors: np.ndarray  # (n,)
    kinks: np.ndarray  # (n,) bool
    totals: dict[str, int]  # entries in each array, checked or not
    worst: float  # largest error over the entries not at a kink (NaN when there are none)
    overall: float  # ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over those entries


def sample_indices(shape: tuple[int, ...], limit: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Every index of an array of this shape when it has at most `limit` entries, else `limit` at random."""
    size = int(np.prod(shape))
    flat = np.arange(size) if size <= limit else np.sort(rng.choice(size, limit, replace=False))
    return [tuple(int(n) for n in np.unravel_index(f, shape)) for f in flat]


def gradient_check(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    activation: str,
    spec: LossSpec,
    *,
    eps: float = 1e-5,
    richardson: bool = True,
    limit: int = 300,
    seed: int = 0,
    **hyper,
) -> GradientCheck:
    """Check dW, db and dX of the whole layer (conv + σ + loss) against central differences.

    D(ε) = (L(θ + ε) − L(θ − ε)) / 2ε for each sampled entry θ; with `richardson`, (4·D(ε/2) − D(ε)) / 3,
    which cancels the ε² error term (useful for sigmoid and tanh). The loss difference is summed cell
    by cell (L = Σ ℓ), so cells the step does not change add exactly 0 instead of rounding noise.

    Args:
        x: image (C, H, W); w: (F, C, KH, KW); b: (F,); activation, spec: as in `layer_gradients`.
        eps: the step ε.
        limit: entries checked per array: all of them when the array has at most this many.
        seed: which entries are sampled.
        hyper: stride, padding, dilation, pad_mode.

    Returns:
        GradientCheck, entries in the order W, b, X.
    """
    if not eps > 0:
        raise EngineError("backward_views.eps", eps=eps)
    params = {
        "W": np.array(w, dtype=np.float64),
        "b": np.array(b, dtype=np.float64),
        "X": np.array(x, dtype=np.float64),
    }
    grads = layer_gradients(params["X"], params["W"], params["b"], activation, spec, **hyper)
    analytic = {"W": grads.dw, "b": grads.db, "X": grads.dx}

    def outputs() -> tuple[np.ndarray, np.ndarray]:
        z, _ = conv2d_forward(params["X"][None], params["W"], params["b"], **hyper)
        return z[0], loss_terms(activation_forward(z[0], activation)[0], spec)

    rng = np.random.default_rng(seed)
    rows = []
    for name in ("W", "b", "X"):
        scale = float(np.max(np.abs(analytic[name]), initial=0.0))
        for index in sample_indices(params[name].shape, limit, rng):
            numeric, kink = _numeric_entry(params[name], index, outputs, eps, richardson, activation)
            rows.append((name, index, float(analytic[name][index]), numeric, kink, scale))
    return _check_result(rows, {name: params[name].size for name in params})


def _numeric_entry(
    param: np.ndarray,
    index: tuple[int, ...],
    outputs: Callable[[], tuple[np.ndarray, np.ndarray]],
    eps: float,
    richardson: bool,
    activation: str,
) -> tuple[float, bool]:
    """Central difference of L in one entry (changed in place and restored); True if it crossed a kink."""
    original = param[index]

    def difference(step: float) -> tuple[float, np.ndarray, np.ndarray]:
        param[index] = original + step
        z_plus, terms_plus = outputs()
        param[index] = original - step
        z_minus, terms_minus = outputs()
        param[index] = original
        return float(np.sum(terms_plus - terms_minus)) / (2 * step), z_plus, z_minus

    d_eps, z_plus, z_minus = difference(eps)
    # Z is linear in every parameter, so a kink was crossed exactly when some Z changed sign.
    kink = activation in KINKED and bool(np.any((z_plus > 0) != (z_minus > 0)))
    if richardson:
        d_half, _, _ = difference(eps / 2)
        return (4 * d_half - d_eps) / 3, kink
    return d_eps, kink


def _check_result(rows: list, totals: dict[str, int]) -> GradientCheck:
    names, indices, analytic, numeric, kinks, scales = zip(*rows)
    analytic, numeric = np.array(analytic), np.array(numeric)
    # Each entry is measured against ERROR_FLOOR × the largest |entry| of its own array (dW, db or dX).
    kinks, floors = np.array(kinks, dtype=bool), ERROR_FLOOR * np.array(scales)
    errors = relative_errors(analytic, numeric, floors)
    smooth = ~kinks
    worst = float(errors[smooth].max()) if smooth.any() else float("nan")
    a, n = analytic[smooth], numeric[smooth]
    norm = np.linalg.norm(a) + np.linalg.norm(n)
    overall = float(np.linalg.norm(a - n) / norm) if norm > 0 else (0.0 if smooth.any() else float("nan"))
    return GradientCheck(names, indices, analytic, numeric, errors, kinks, totals, worst, overall)


# --- learning the kernel --------------------------------------------------------------------------------


class Descent(NamedTuple):
    """Gradient descent on the MSE-to-target loss: the kernels and the loss after each step."""

    losses: np.ndarray  # (steps + 1,) the loss at kernels[n]
    kernels: np.ndarray  # (steps + 1, F, C, KH, KW), kernels[0] the start
    biases: np.ndarray  # (steps + 1, F)
    diverged: bool  # True when the loss blew up and descent stopped early


def descent_step(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, target: np.ndarray, activation: str, lr: float, **hyper
) -> tuple[float, np.ndarray, np.ndarray]:
    """One step W ← W − η·dW, b ← b − η·db on L = Σ (A − T)² / 2M.

    Args:
        x: (C, H, W); w: (F, C, KH, KW); b: (F,); target: T (F, H_out, W_out); lr: η.

    Returns:
        The loss before the step, the new W and the new b.
    """
    grads = layer_gradients(x, w, b, activation, LossSpec("mse", target), **hyper)
    return grads.loss, w - lr * grads.dw, b - lr * grads.db


def descend(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    target: np.ndarray,
    activation: str,
    lr: float,
    steps: int,
    on_step: Callable[[int, float], None] | None = None,
    **hyper,
) -> Descent:
    """Run `steps` steps of gradient descent from (w, b) toward the target map.

    Args:
        x: (C, H, W); w: (F, C, KH, KW); b: (F,); target: (F, H_out, W_out); lr: η > 0.
        on_step: called as on_step(n, loss) after step n (1-based), e.g. to move a progress bar.
        hyper: stride, padding, dilation, pad_mode.

    Returns:
        Descent; it stops early (diverged=True) once the loss passes 10⁶ × the start or is not finite.
    """
    if not lr > 0:
        raise EngineError("backward_views.lr", lr=lr)
    if steps < 0:
        raise EngineError("backward_views.steps", steps=steps)
    kernels, biases, losses = [np.array(w, dtype=np.float64)], [np.array(b, dtype=np.float64)], []
    diverged = False
    for n in range(steps + 1):
        loss, w_next, b_next = descent_step(x, kernels[-1], biases[-1], target, activation, lr, **hyper)
        losses.append(loss)
        if not np.isfinite(loss) or loss > 1e6 * max(losses[0], 1e-12):
            diverged = True
            break
        if n == steps:
            break
        kernels.append(w_next)
        biases.append(b_next)
        if on_step is not None:
            on_step(n + 1, loss)
    count = len(losses)
    return Descent(np.array(losses), np.stack(kernels[:count]), np.stack(biases[:count]), diverged)


def stable_learning_rate(x: np.ndarray, geometry: ConvGeometry, max_windows: int = 2**16) -> float:
    """The largest η for which descent on the MSE loss converges with no activation: 2 / λ_max.

    With A = Z, L = Σ (Z − T)² / 2M is quadratic in (W, b) with Hessian G = (1/M) Σ over positions of
    [window, 1][window, 1]ᵀ (the same for every kernel), and descent converges exactly when η < 2/λ_max(G).
    On large images G is estimated from every k-th window (at most `max_windows`; exact below that).

    Args:
        x: image (C, H, W); geometry: the convolution's (one kernel's) resolved hyper-parameters.

    Returns:
        2 / λ_max.
    """
    x_pad = pad_input(np.asarray(x, dtype=np.float64)[None], geometry.padding, geometry.pad_mode)
    # Every k-th output position along each axis: the windows of a k times larger stride.
    (H_out, W_out), (sh, sw) = geometry.out_size, geometry.stride
    k = max(1, int(np.ceil(np.sqrt(H_out * W_out / max_windows))))
    sparse = geometry._replace(stride=(sh * k, sw * k), out_size=((H_out - 1) // k + 1, (W_out - 1) // k + 1))
    cols = columns(x_pad, sparse)  # (C·KH·KW, M): one window per column
    M = cols.shape[1]
    gram = np.empty((cols.shape[0] + 1, cols.shape[0] + 1))
    gram[:-1, :-1] = cols @ cols.T / M
    gram[:-1, -1] = gram[-1, :-1] = cols.mean(axis=1)
    gram[-1, -1] = 1.0
    return float(2.0 / np.linalg.eigvalsh(gram)[-1])


# --- running totals for the animations ------------------------------------------------------------------


def dw_by_row(x: np.ndarray, delta: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """Each output row's share of dW: Σ_j δ(i, j) · X_pad(c, i·s + k·d, j·s + l·d), per row i.

    Summed over i it is dW (FORMULAS.md §2); its running sum is dW after each row of a sweep.

    Args:
        x: image (C, H, W); delta: one kernel's δ (H_out, W_out).

    Returns:
        (H_out, C, KH, KW).
    """
    x_pad = pad_input(np.asarray(x, dtype=np.float64), geometry.padding, geometry.pad_mode)
    KH, KW = geometry.kernel
    rows = np.empty((delta.shape[0], x_pad.shape[0], KH, KW))
    by_row = np.asarray(delta, dtype=np.float64)[:, :, None]  # (H_out, W_out, 1)
    for k in range(KH):
        for l in range(KW):
            taps = x_pad[(slice(None), *tap_slices(geometry, k, l))]  # (C, H_out, W_out)
            # For each row i, (C, W_out) @ (W_out, 1): a stack of products, ~30% faster than einsum.
            rows[:, :, k, l] = np.matmul(taps.transpose(1, 0, 2), by_row)[..., 0]
    return rows


def region_trace(
    x: np.ndarray, w: np.ndarray, delta: np.ndarray, geometry: ConvGeometry, region: Region
) -> BackwardTrace:
    """The steps of engine.trace.backward_trace over a region, at the cost of the region alone.

    backward_trace also runs the backward pass of the whole image (for its dx_pad and dw fields); on a
    512² image that is most of the time an animation of a few dozen cells takes. Here only the padded
    input under the region's windows is traced (as an unpadded problem), and the steps are moved back to
    the whole image's coordinates, so they are exactly backward_trace's steps.

    Args:
        x: image (C, H, W); w: one kernel (C, KH, KW); delta: its δ (H_out, W_out).
        geometry: the convolution's resolved hyper-parameters; region: (i0, i1, j0, j1).

    Returns:
        BackwardTrace with the whole x_pad, δ and geometry; its dx_pad, dx, dw and db cover the region's
        windows only (the running totals of the last step).
    """
    i0, i1, j0, j1 = check_region(region, geometry.out_size)
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    x_pad = pad_input(np.asarray(x, dtype=np.float64), geometry.padding, geometry.pad_mode)
    r0, c0 = i0 * sh, j0 * sw
    crop = x_pad[:, r0 : (i1 - 1) * sh + dh * (KH - 1) + 1, c0 : (j1 - 1) * sw + dw * (KW - 1) + 1]
    local = backward_trace(crop, w, delta[i0:i1, j0:j1], geometry.stride, 0, geometry.dilation)
    steps = tuple(
        step._replace(
            i=step.i + i0,
            j=step.j + j0,
            rows=tuple(r + r0 for r in step.rows),
            cols=tuple(c + c0 for c in step.cols),
        )
        for step in local.steps
    )
    dx_pad = np.zeros_like(x_pad)
    dx_pad[:, r0 : r0 + crop.shape[1], c0 : c0 + crop.shape[2]] = local.dx_pad
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    return BackwardTrace(
        x_pad,
        local.kernel,
        geometry,
        np.asarray(delta, dtype=np.float64),
        dx_pad,
        dx,
        local.dw,
        local.db,
        (i0, i1, j0, j1),
        steps,
    )


# The backward page's name for engine.trace.running_dx_pad (the same function: the running dX_pad over
# a crop, by default the traced windows' box).
running_dx_crop = running_dx_pad


def input_padding_mask(geometry: ConvGeometry) -> np.ndarray:
    """(H_pad, W_pad) bool, True on the padding cells around the input."""
    H, W = geometry.in_size
    inside = pad_input(np.ones((H, W), dtype=bool), geometry.padding, "zeros")
    return ~inside
