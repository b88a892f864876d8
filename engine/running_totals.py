"""Running totals for the backward animations, next to the traces of engine/trace.py that they extend.

- `dw_by_row`: each output row's share of dW, whose running sum is dW after each row of a sweep.
- `region_trace`: engine.trace.backward_trace's steps over a region, at the cost of the region alone
  (its steps carry the running dW and db; engine.trace.running_dx_pad accumulates their dX_pad).
- `input_padding_mask`: which cells of the padded input are padding, for the figures to mark.

Everything works on one image (C, H, W) and one kernel (C, KH, KW), in float64.
"""

from __future__ import annotations

import numpy as np

from engine.geometry import ConvGeometry, pad_input, tap_slices, unpad_gradient
from engine.trace import BackwardTrace, Region, backward_trace, check_region


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


def input_padding_mask(geometry: ConvGeometry) -> np.ndarray:
    """(H_pad, W_pad) bool, True on the padding cells around the input."""
    H, W = geometry.in_size
    inside = pad_input(np.ones((H, W), dtype=bool), geometry.padding, "zeros")
    return ~inside
