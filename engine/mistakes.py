"""The classic wrong backward passes, each planted on purpose beside the right one (FORMULAS.md §2–4).

Backward passes go wrong in published code in the same few ways. Each is here as a small function that
makes exactly that mistake, with the right function it stands beside named in `Mistake.right`:

    no_rotation      the gather form of dX with the kernel not rotated by 180°     (engine.gather)
    overwrite        dX_pad(window) = δ·W instead of += where windows overlap      (engine.conv_reference)
    ignore_stride    windows placed as if the stride were 1 (δ not spread by zeros) (engine.conv_reference)
    sigma_for_slope  δ = ∂L/∂A ⊙ σ(Z) instead of ⊙ σ'(Z)                            (engine.activations)
    no_slope         δ = ∂L/∂A, the slope σ'(Z) forgotten                           (engine.activations)
    no_crop          dX = the first H×W cells of dX_pad instead of cropping p per side (engine.geometry)
    swapped_hw       each window read as KW rows × KH columns (square kernels hide it) (conv_reference)
    pool_overwrite   max/avg pooling: dX = δ instead of += where windows overlap    (engine.pool)

`planted_gradients` is `engine.layer_loss.layer_gradients` with one mistake planted: a gradient check
(`engine.layer_check.gradient_check(..., gradients=...)`) then shows where it differs from the numbers.
The forward pass is always right: only the way back is wrong, as in the bugs this module copies.

Convolution mistakes work on one image (C, H, W), δ (F, H_out, W_out) and F kernels (F, C, KH, KW).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

from engine.activations import activation_derivative, activation_forward
from engine.conv import conv2d_backward, conv2d_forward
from engine.gather import spread_delta
from engine.geometry import ConvGeometry, pad_input, tap_slices, unpad_gradient, window_slices
from engine.layer_check import GradientCheck
from engine.layer_loss import LayerGradients, LossSpec, layer_gradients, loss_and_gradient
from engine.pool import PoolCache, pool2d_argmax

NONE = "none"  # no mistake: the engine's own backward pass


class Mistake(NamedTuple):
    """One classic wrong backward pass, and the right one it stands beside."""

    id: str
    part: str  # "conv": replaces the convolution's backward; "activation": δ; "pool": pooling's backward
    wrong: Callable  # the function with the mistake
    right: str  # the engine function that does it right (dotted name, for the page's source view)
    spoils: tuple[str, ...]  # the gradients it can make wrong: "W", "b", "X"


# --- the right one, written tap by tap, to make each mistake one line away from it ------------------------


def scatter_backward(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The right backward pass of one image, one whole-map product per kernel tap (FORMULAS.md §2).

        dW(f, c, k, l)                 = Σ_{i,j} δ(f, i, j) · X_pad(c, i·s + k·d, j·s + l·d)
        dX_pad(c, i·s + k·d, j·s + l·d) += Σ_f  δ(f, i, j) · W(f, c, k, l)

    Args:
        delta: δ = ∂L/∂Z, (F, H_out, W_out); x: (C, H, W); w: (F, C, KH, KW).

    Returns:
        dx (C, H, W), dw (F, C, KH, KW), db (F,): equal to conv_reference.backward's.
    """
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for k, l in np.ndindex(*geometry.kernel):
        rows, cols = tap_slices(geometry, k, l)
        dw[:, :, k, l] = np.tensordot(delta, x_pad[:, rows, cols], axes=([1, 2], [1, 2]))
        dx_pad[:, rows, cols] += np.tensordot(w[:, :, k, l], delta, axes=([0], [0]))
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    return dx, dw, delta.sum(axis=(1, 2))


# --- (a) the gather form without the rotation -------------------------------------------------------------


def gather_without_rotation(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dX as a "full" correlation of the spread δ with W itself: the 180° rotation forgotten.

    Right: engine.gather.gather_dx_reference, which slides rot180(W). A kernel equal to its own rotation
    (a box blur, a Gaussian, a Laplacian) hides the mistake; an antisymmetric one (Sobel) flips dX's sign.
    dW and db are right.

    Args / Returns: as `scatter_backward`.
    """
    (KH, KW), (dh, dw_) = geometry.kernel, geometry.dilation
    spread = spread_delta(delta, geometry.stride)
    padded = np.pad(spread, ((0, 0), (dh * (KH - 1),) * 2, (dw_ * (KW - 1),) * 2))
    full_h, full_w = spread.shape[1] + dh * (KH - 1), spread.shape[2] + dw_ * (KW - 1)
    full = np.zeros((w.shape[1], full_h, full_w))
    for k, l in np.ndindex(KH, KW):
        window = padded[:, k * dh : k * dh + full_h, l * dw_ : l * dw_ + full_w]
        full += np.tensordot(w[:, :, k, l], window, axes=([0], [0]))  # the bug: w, not w[..., ::-1, ::-1]
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    dx_pad = np.zeros((w.shape[1], top + H + bottom, left + W + right))
    dx_pad[:, :full_h, :full_w] = full
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    _, dw, db = scatter_backward(delta, x, w, geometry)
    return dx, dw, db


# --- (b) overwrite where windows overlap ------------------------------------------------------------------


def overwrite_windows(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scatter loop with `=` where `+=` belongs: each window overwrites what earlier windows wrote.

    Right: engine.conv_reference.backward. A cell read by several windows keeps only the last window's
    share (row-major order), so dX is wrong exactly where windows overlap; with a stride at least the
    kernel's span no two windows share a cell and the mistake does no harm. dW and db are right.

    Args / Returns: as `scatter_backward`.
    """
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    dx_pad = np.zeros_like(x_pad)
    for i, j in np.ndindex(*geometry.out_size):
        rows, cols = window_slices(geometry, i, j)
        dx_pad[:, rows, cols] = np.tensordot(delta[:, i, j], w, axes=([0], [0]))  # the bug: = for +=
    dx = unpad_gradient(dx_pad, geometry.padding, geometry.in_size, geometry.pad_mode)
    _, dw, db = scatter_backward(delta, x, w, geometry)
    return dx, dw, db


# --- (c) the stride ignored --------------------------------------------------------------------------------


def stride_ignored(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass with every window placed as if the stride were 1 (window (i, j) at (i, j)).

    In the gather form this is δ not spread out by s − 1 zeros. Right: engine.conv_reference.backward.
    dW and dX are wrong at any stride above 1 and right at stride 1; db is right.

    Args / Returns: as `scatter_backward`.
    """
    return scatter_backward(delta, x, w, geometry._replace(stride=(1, 1)))  # the bug: stride (1, 1)


# --- (d) the activation's slope ---------------------------------------------------------------------------


def slope_is_sigma(da: np.ndarray, z: np.ndarray, kind: str) -> np.ndarray:
    """δ = ∂L/∂A ⊙ σ(Z): the activation's value where its derivative σ'(Z) belongs.

    Right: engine.activations.activation_backward. Every gradient (dW, db, dX) comes out wrong wherever
    σ(Z) ≠ σ'(Z): for ReLU where Z > 0 (and Z ≠ 1); where both are 0 (ReLU at Z ≤ 0) it does no harm.

    Args:
        da: ∂L/∂A; z: the pre-activation Z (same shape); kind: the activation.

    Returns:
        the wrong δ, z's shape.
    """
    return da * activation_forward(z, kind)[0]  # the bug: σ(Z), not σ'(Z)


def slope_forgotten(da: np.ndarray, z: np.ndarray, kind: str) -> np.ndarray:
    """δ = ∂L/∂A: the factor σ'(Z) left out, as if there were no activation.

    Right: engine.activations.activation_backward. Harmless for the identity; for ReLU wrong exactly where
    the unit was off (Z ≤ 0), where the right δ is 0.

    Args / Returns: as `slope_is_sigma`.
    """
    return np.array(da, dtype=np.float64)  # the bug: no ⊙ σ'(Z)


# --- (e) the padding not cropped ---------------------------------------------------------------------------


def padding_not_cropped(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dX = the top-left H × W cells of dX_pad, instead of p_top rows and p_left columns cropped off.

    Right: engine.geometry.unpad_gradient. Code that returns dX_pad itself fails on the shape; code that
    slices `[:H, :W]` runs and shifts dX by the padding (down and right by p). Harmless without padding.
    dW and db are right.

    Args / Returns: as `scatter_backward`.
    """
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    dx_pad = np.zeros_like(x_pad)
    for k, l in np.ndindex(*geometry.kernel):
        rows, cols = tap_slices(geometry, k, l)
        dx_pad[:, rows, cols] += np.tensordot(w[:, :, k, l], delta, axes=([0], [0]))
    H, W = geometry.in_size
    _, dw, db = scatter_backward(delta, x, w, geometry)
    return dx_pad[:, :H, :W].copy(), dw, db  # the bug: the first H×W, not [top:top+H, left:left+W]


# --- (f) the kernel's height and width swapped ------------------------------------------------------------


def height_width_swapped(
    delta: np.ndarray, x: np.ndarray, w: np.ndarray, geometry: ConvGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass with each window read as KW rows × KH columns, matched to W's KH·KW taps in order.

    The bug of an im2col that writes KH where KW belongs: tap t (row-major, t = k·KW + l) is taken from the
    window's cell divmod(t, KH) instead of divmod(t, KW). A square kernel (KH = KW) hides it entirely;
    that is why tests need non-square kernels. Right: engine.conv_reference.backward. dW and dX are wrong,
    db is right. Cells a swapped window reads past the padded input count as 0 (and lose their gradient).

    Args / Returns: as `scatter_backward`.
    """
    (KH, KW), (dh, dw_) = geometry.kernel, geometry.dilation
    x_pad = pad_input(x, geometry.padding, geometry.pad_mode)
    H_pad, W_pad = x_pad.shape[1:]
    # Room for the swapped window's extra rows or columns, so the wrong code runs instead of crashing.
    extra_h, extra_w = dh * max(0, KW - KH), dw_ * max(0, KH - KW)
    x_big = np.pad(x_pad, ((0, 0), (0, extra_h), (0, extra_w)))
    dx_big, dw = np.zeros_like(x_big), np.zeros_like(w)
    for t in range(KH * KW):
        k, l = divmod(t, KW)  # the kernel's tap t
        r, q = divmod(t, KH)  # the bug: where a KW×KH window keeps its t-th cell
        rows, cols = tap_slices(geometry, r, q)  # every window's cell (r, q)
        dw[:, :, k, l] = np.tensordot(delta, x_big[:, rows, cols], axes=([1, 2], [1, 2]))
        dx_big[:, rows, cols] += np.tensordot(w[:, :, k, l], delta, axes=([0], [0]))
    dx = unpad_gradient(dx_big[:, :H_pad, :W_pad], geometry.padding, geometry.in_size, geometry.pad_mode)
    return dx, dw, delta.sum(axis=(1, 2))


# --- (g) pooling: overwrite where windows overlap --------------------------------------------------------


def pool_overwrite(dy: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Pooling backward with `=` where `+=` belongs: a cell that several windows route to keeps the last.

    Right: engine.pool.pool2d_backward (its loops: `_backward_reference`). With windows side by side
    (stride ≥ window, the usual 2×2 at stride 2) no cell gets two shares and the mistake does no harm;
    overlapping windows (stride 1) lose every share but the last, row-major.

    Args:
        dy: ∂L/∂y, (N, C, H_out, W_out); cache: from engine.pool.pool2d_forward.

    Returns:
        dx (N, C, H, W).
    """
    N, C, H, W = cache.x_shape
    (KH, KW), (sh, sw), (ph, pw) = cache.size, cache.stride, cache.padding
    dx_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for n, c, i, j in np.ndindex(dy.shape):
        if cache.mode == "max":
            k, l = divmod(int(pool2d_argmax(cache)[n, c, i, j]), KW)
            dx_pad[n, c, i * sh + k, j * sw + l] = dy[n, c, i, j]  # the bug: = for +=
        else:
            dx_pad[n, c, i * sh : i * sh + KH, j * sw : j * sw + KW] = dy[n, c, i, j] / (KH * KW)
    return unpad_gradient(dx_pad, ((ph, ph), (pw, pw)), (H, W), "zeros")


# --- the catalogue ----------------------------------------------------------------------------------------

MISTAKES: dict[str, Mistake] = {
    m.id: m
    for m in (
        Mistake("no_rotation", "conv", gather_without_rotation, "engine.gather.gather_dx_reference", ("X",)),
        Mistake("overwrite", "conv", overwrite_windows, "engine.conv_reference.backward", ("X",)),
        Mistake("ignore_stride", "conv", stride_ignored, "engine.conv_reference.backward", ("W", "X")),
        Mistake(
            "sigma_for_slope",
            "activation",
            slope_is_sigma,
            "engine.activations.activation_backward",
            ("W", "b", "X"),
        ),
        Mistake(
            "no_slope",
            "activation",
            slope_forgotten,
            "engine.activations.activation_backward",
            ("W", "b", "X"),
        ),
        Mistake("no_crop", "conv", padding_not_cropped, "engine.geometry.unpad_gradient", ("X",)),
        Mistake("swapped_hw", "conv", height_width_swapped, "engine.conv_reference.backward", ("W", "X")),
        Mistake("pool_overwrite", "pool", pool_overwrite, "engine.pool.pool2d_backward", ("X",)),
    )
}
# The mistakes the backward page can plant (a convolution layer with its activation), in the page's order.
LAYER_MISTAKES: tuple[str, ...] = tuple(m.id for m in MISTAKES.values() if m.part != "pool")
POOL_MISTAKES: tuple[str, ...] = tuple(m.id for m in MISTAKES.values() if m.part == "pool")


def mistake(mistake_id: str) -> Mistake:
    """The mistake with this id (ValueError for an unknown one: the pages offer only MISTAKES)."""
    if mistake_id not in MISTAKES:
        raise ValueError(f"The mistake must be one of {', '.join(MISTAKES)}, not {mistake_id!r}.")
    return MISTAKES[mistake_id]


def right_function(mistake_id: str) -> Callable:
    """The engine function that does right what the mistake does wrong (`Mistake.right`, imported)."""
    module, _, name = mistake(mistake_id).right.rpartition(".")
    return getattr(importlib.import_module(module), name)


def planted_gradients(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    activation: str,
    spec: LossSpec,
    mistake_id: str = NONE,
    **hyper,
) -> LayerGradients:
    """`layer_gradients` with one mistake planted in the way back (the forward pass and the loss are right).

    Args:
        x: image (C, H, W); w: kernels (F, C, KH, KW); b: biases (F,); activation, spec, hyper: as in
            engine.layer_loss.layer_gradients.
        mistake_id: one of LAYER_MISTAKES, or NONE for the right gradients.

    Returns:
        LayerGradients whose δ (activation mistakes) or dX, dW, db (convolution mistakes) are wrong.
    """
    if mistake_id == NONE:
        return layer_gradients(x, w, b, activation, spec, **hyper)
    planted = mistake(mistake_id)
    if planted.part == "pool":
        raise ValueError(f"The mistake {mistake_id!r} belongs to a pooling layer, not a convolution.")
    x = np.asarray(x, dtype=np.float64)
    z, cache = conv2d_forward(x[None], w, b, **hyper)
    a, _ = activation_forward(z[0], activation)
    loss, da = loss_and_gradient(a, spec)
    dsigma = activation_derivative(z[0], activation)
    if planted.part == "activation":
        delta = planted.wrong(da, z[0], activation)
        dx, dw, db = conv2d_backward(delta[None], cache)
        dx = dx[0]
    else:
        delta = da * dsigma
        dx, dw, db = planted.wrong(delta, x, cache.w, cache.geometry)
    return LayerGradients(z[0], a, loss, da, dsigma, delta, dx, dw, db, cache.geometry)


def planted(mistake_id: str) -> Callable[..., LayerGradients]:
    """`planted_gradients` with the mistake fixed: what gradient_check(..., gradients=...) takes."""
    return partial(planted_gradients, mistake_id=mistake_id)


def spoiled(right: LayerGradients, wrong: LayerGradients) -> tuple[str, ...]:
    """Which of "W", "b", "X" the mistake changed here (empty: the mistake does no harm on this problem).

    Equal means equal to rounding: within 1e-9 of the array's largest |entry| (the wrong passes sum in
    another order than the engine's fast path).
    """
    pairs = {"W": (right.dw, wrong.dw), "b": (right.db, wrong.db), "X": (right.dx, wrong.dx)}
    changed = []
    for name, (a, b) in pairs.items():
        scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)), 1e-300)
        if a.shape != b.shape or float(np.max(np.abs(a - b), initial=0.0)) > 1e-9 * scale:
            changed.append(name)
    return tuple(changed)


def difference_maps(check: GradientCheck, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """analytic − numerical for each checked entry, by array; NaN where no entry was checked.

    Args:
        check: a gradient check (engine.layer_check.gradient_check).
        shapes: each array's shape by name ("W": (F, C, KH, KW), "b": (F,), "X": (C, H, W)).

    Returns:
        name -> array of that shape.
    """
    maps = {name: np.full(shape, np.nan) for name, shape in shapes.items()}
    for name, index, a, n in zip(check.arrays, check.indices, check.analytic, check.numeric):
        maps[name][index] = a - n
    return maps
