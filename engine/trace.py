"""Traces: the sliding window of one image and one kernel, step by step, for the animations to render.

A trace is engine output, built with the same window helper as the readable convolution
(`geometry.window_slices`): figures only draw it, and a test rebuilds Z, dW, db and dX from it.
Big outputs are traced over a region (a crop of output positions) so an animation stays a few hundred
frames; the cost of a trace grows with the region, not with the image.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.activations import activation_forward
from engine.conv_fast import backward_padded
from engine.errors import EngineError
from engine.geometry import ConvGeometry, conv_geometry, pad_input, unpad_gradient, window_slices

# (i0, i1, j0, j1): output rows i0..i1−1 and columns j0..j1−1.
Region = tuple[int, int, int, int]
MAX_STEPS = 400


class ForwardStep(NamedTuple):
    """One position of the window in the forward pass."""

    step: int
    i: int  # output row
    j: int  # output column
    rows: tuple[int, ...]  # padded-input row of each kernel row k (KH)
    cols: tuple[int, ...]  # padded-input column of each kernel column l (KW)
    window: np.ndarray  # (C, KH, KW) input values under the taps
    products: np.ndarray  # (C, KH, KW) window ⊙ W
    channel_sums: np.ndarray  # (C,) Σ over each channel's products
    total: float  # Σ of all products
    bias: float
    z: float  # total + bias
    a: float  # σ(z)


class ForwardTrace(NamedTuple):
    """The forward pass of one kernel over one image, with the steps of a region."""

    x_pad: np.ndarray  # (C, H_pad, W_pad)
    is_padding: np.ndarray  # (H_pad, W_pad) bool: True where the cell is padding
    kernel: np.ndarray  # (C, KH, KW)
    bias: float
    activation: str
    geometry: ConvGeometry
    z: np.ndarray  # (i1 − i0, j1 − j0): the pre-activation map over the region
    a: np.ndarray  # (i1 − i0, j1 − j0): σ(z) over the region
    region: Region
    steps: tuple[ForwardStep, ...]


class BackwardStep(NamedTuple):
    """One output position sending its δ back: into dW, db and its window of dX_pad."""

    step: int
    i: int
    j: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    delta: float  # δ(i, j) = ∂L/∂Z(i, j)
    window: np.ndarray  # (C, KH, KW) input under the window
    dw_contribution: np.ndarray  # (C, KH, KW) δ · window
    dx_contribution: np.ndarray  # (C, KH, KW) δ · W, added to dX_pad at (rows, cols)
    dw_total: np.ndarray  # (C, KH, KW) dW summed over the steps so far
    db_total: float  # db summed over the steps so far


class BackwardTrace(NamedTuple):
    """The backward pass of one kernel over one image, with the steps of a region."""

    x_pad: np.ndarray  # (C, H_pad, W_pad)
    kernel: np.ndarray  # (C, KH, KW)
    geometry: ConvGeometry
    delta: np.ndarray  # (H_out, W_out)
    dx_pad: np.ndarray  # (C, H_pad, W_pad), the whole gradient of the padded input
    dx: np.ndarray  # (C, H, W), after cropping (or folding) the padding
    dw: np.ndarray  # (C, KH, KW)
    db: float
    region: Region
    steps: tuple[BackwardStep, ...]


def default_region(out_size: tuple[int, int], max_steps: int = MAX_STEPS) -> Region:
    """The top-left block of output positions with at most max_steps cells, as square as the map allows."""
    H_out, W_out = out_size
    if H_out * W_out <= max_steps:
        return 0, H_out, 0, W_out
    side = int(np.sqrt(max_steps))
    rows = min(H_out, max(side, max_steps // W_out))
    cols = min(W_out, max_steps // rows)
    return 0, rows, 0, cols


def inside_cells(geometry: ConvGeometry) -> tuple[slice, slice]:
    """The output rows and columns whose windows lie wholly inside the input (touch no padding cell).

    Along an axis of input size n, kernel K, stride s, dilation d and padding `before`, output index i
    reads padded rows i·s … i·s + d(K−1), that is input rows i·s − before … i·s − before + d(K−1): inside
    when i·s ≥ before and i·s − before + d(K−1) ≤ n − 1. Empty slices when no window fits inside.
    """
    axes = []
    for n, k, s, (before, _), d, n_out in zip(
        geometry.in_size,
        geometry.kernel,
        geometry.stride,
        geometry.padding,
        geometry.dilation,
        geometry.out_size,
        strict=True,
    ):
        first = -(-before // s)  # ceil(before / s)
        last = (n - 1 - d * (k - 1) + before) // s
        axes.append(slice(min(first, n_out), max(min(last + 1, n_out), min(first, n_out))))
    return axes[0], axes[1]


def strongest_cell(values: np.ndarray, geometry: ConvGeometry) -> tuple[int, int]:
    """The output cell of largest |value| whose window lies inside the input: where something happens.

    A window on the padding answers the border of the image (a white sky next to zero padding is the
    strongest "edge" of all), not its content, so those cells are left out unless every window touches the
    padding. Ties go to the first cell in row-major order; NaN is never the strongest.

    Args:
        values: (H_out, W_out), e.g. one kernel's Z or δ.
        geometry: the convolution that made them.

    Returns:
        (i, j), an index into `values`.
    """
    rows, cols = inside_cells(geometry)
    inside = values[rows, cols]
    if inside.size == 0:
        rows, cols, inside = slice(0, values.shape[0]), slice(0, values.shape[1]), values
    magnitude = np.nan_to_num(np.abs(inside), nan=-1.0)
    i, j = np.unravel_index(int(np.argmax(magnitude)), magnitude.shape)
    return rows.start + int(i), cols.start + int(j)


def check_region(region: Region, out_size: tuple[int, int], max_steps: int = MAX_STEPS) -> Region:
    """Clip a region to the output map and refuse one with more than max_steps positions."""
    i0, i1, j0, j1 = region
    i0, j0 = max(0, i0), max(0, j0)
    i1, j1 = min(out_size[0], i1), min(out_size[1], j1)
    if i1 <= i0 or j1 <= j0:
        raise EngineError("The chosen region has no output cells: pick rows and columns inside the output.")
    if (i1 - i0) * (j1 - j0) > max_steps:
        raise EngineError(
            "The chosen region has {cells} cells; at most {limit} animate.",
            cells=(i1 - i0) * (j1 - j0),
            limit=max_steps,
        )
    return i0, i1, j0, j1


def forward_trace(
    x: np.ndarray,
    w: np.ndarray,
    b: float = 0.0,
    stride=1,
    padding=0,
    dilation=1,
    pad_mode: str = "zeros",
    activation: str = "identity",
    region: Region | None = None,
) -> ForwardTrace:
    """Trace the forward pass of one kernel over one image.

    Args:
        x: image (C, H, W); w: kernel (C, KH, KW); b: its bias.
        stride, padding, dilation, pad_mode: as in `conv2d_forward`.
        activation: a kind of `activation_forward`.
        region: output positions to trace; by default the top-left MAX_STEPS.

    Returns:
        ForwardTrace whose steps go row by row over the region.
    """
    x, w = np.asarray(x, float), np.asarray(w, float)
    geometry = conv_geometry((1, *x.shape), (1, *w.shape), stride, padding, dilation, pad_mode)
    region = check_region(region or default_region(geometry.out_size), geometry.out_size)
    x_pad = pad_input(x, geometry.padding, pad_mode)
    steps = tuple(
        _forward_step(s, i, j, x_pad, w, float(b), activation, geometry)
        for s, (i, j) in enumerate(_positions(region))
    )
    shape = (region[1] - region[0], region[3] - region[2])
    z = np.array([s.z for s in steps]).reshape(shape)
    a = np.array([s.a for s in steps]).reshape(shape)
    return ForwardTrace(
        x_pad, _padding_mask(geometry), w, float(b), activation, geometry, z, a, region, steps
    )


def _forward_step(step, i, j, x_pad, kernel, bias, activation, geometry) -> ForwardStep:
    rows, cols = window_slices(geometry, i, j)
    window = x_pad[:, rows, cols]
    products = window * kernel
    total = float(products.sum())
    a, _ = activation_forward(np.array(total + bias), activation)
    return ForwardStep(
        step, i, j, _indices(rows), _indices(cols), window, products, products.sum(axis=(1, 2)),
        total, bias, total + bias, float(a),
    )  # fmt: skip


def backward_trace(
    x: np.ndarray,
    w: np.ndarray,
    delta: np.ndarray,
    stride=1,
    padding=0,
    dilation=1,
    pad_mode: str = "zeros",
    region: Region | None = None,
) -> BackwardTrace:
    """Trace the backward pass of one kernel over one image, given δ = ∂L/∂Z.

    Args:
        x: image (C, H, W); w: kernel (C, KH, KW); delta: δ (H_out, W_out).
        region: output positions to trace; by default the top-left MAX_STEPS.

    Returns:
        BackwardTrace; the running totals of its last step equal dW and db when the region is the whole map.
    """
    x4, w4 = np.asarray(x, float)[None], np.asarray(w, float)[None]
    geometry = conv_geometry(x4.shape, w4.shape, stride, padding, dilation, pad_mode)
    if delta.shape != geometry.out_size:
        raise ValueError(f"δ must have the output's shape {geometry.out_size}, not {delta.shape}.")
    delta = np.asarray(delta, float)
    x_pad = pad_input(x4[0], geometry.padding, pad_mode)
    dx_pad, dw = backward_padded(delta[None, None], x_pad[None], w4, geometry)
    dx = unpad_gradient(dx_pad[0], geometry.padding, geometry.in_size, pad_mode)
    region = check_region(region or default_region(geometry.out_size), geometry.out_size)
    steps, dw_total, db_total = [], np.zeros_like(w4[0]), 0.0
    for s, (i, j) in enumerate(_positions(region)):
        rows, cols = window_slices(geometry, i, j)
        d = float(delta[i, j])
        window = x_pad[:, rows, cols]
        dw_total = dw_total + d * window
        db_total += d
        step = BackwardStep(
            s, i, j, _indices(rows), _indices(cols), d, window, d * window, d * w4[0], dw_total, db_total
        )  # fmt: skip
        steps.append(step)
    return BackwardTrace(
        x_pad, w4[0], geometry, delta, dx_pad[0], dx, dw[0], float(delta.sum()), region, tuple(steps)
    )  # fmt: skip


def traced_crop(trace: ForwardTrace | BackwardTrace) -> tuple[slice, slice]:
    """The rows and columns of the padded input that the traced windows read: the smallest box around them.

    Returns:
        (rows, cols) slices of x_pad, step 1.
    """
    top, bottom = min(s.rows[0] for s in trace.steps), max(s.rows[-1] for s in trace.steps)
    left, right = min(s.cols[0] for s in trace.steps), max(s.cols[-1] for s in trace.steps)
    return slice(top, bottom + 1), slice(left, right + 1)


def running_dx_pad(trace: BackwardTrace, rows: slice | None = None, cols: slice | None = None) -> np.ndarray:
    """dX_pad over a crop after each step of the trace: the scatter view accumulating.

    Only a crop of the padded input is kept, so the memory grows with the traced region, not with the
    image (the whole padded gradient per step is 2.5 GB for 400 steps on a 512² RGB image).

    Args:
        trace: from `backward_trace` (or engine.running_totals.region_trace).
        rows, cols: the crop of x_pad, step 1, covering every traced window; by default
            `traced_crop(trace)`. slice(0, H_pad), slice(0, W_pad) keeps the whole padded gradient.

    Returns:
        frames (steps, C, h, w) with h = rows.stop − rows.start and w = cols.stop − cols.start:
        frames[s, c, r, q] is dX_pad(c, rows.start + r, cols.start + q) after step s.

    Raises:
        ValueError: when the crop misses part of a traced window.
    """
    default_rows, default_cols = traced_crop(trace)
    H_pad, W_pad = trace.x_pad.shape[1:]
    rows = default_rows if rows is None else rows
    cols = default_cols if cols is None else cols
    top, bottom = _crop_bounds(rows, H_pad, default_rows, "rows")
    left, right = _crop_bounds(cols, W_pad, default_cols, "columns")
    total = np.zeros((trace.x_pad.shape[0], bottom - top, right - left))
    frames = np.empty((len(trace.steps), *total.shape))
    for s, step in enumerate(trace.steps):
        total[:, np.subtract(step.rows, top)[:, None], np.subtract(step.cols, left)] += step.dx_contribution
        frames[s] = total
    return frames


def _crop_bounds(crop: slice, size: int, needed: slice, name: str) -> tuple[int, int]:
    """(start, stop) of a step-1 crop of an axis of this size, checked to contain the needed cells."""
    start, stop, step = crop.indices(size)
    if step != 1 or start > needed.start or stop < needed.stop:
        raise ValueError(
            f"The crop's {name} {start}..{stop - 1} must be contiguous and cover the traced windows' "
            f"{needed.start}..{needed.stop - 1}."
        )
    return start, stop


def _positions(region: Region):
    i0, i1, j0, j1 = region
    return ((i, j) for i in range(i0, i1) for j in range(j0, j1))


def _indices(s: slice) -> tuple[int, ...]:
    return tuple(range(s.start, s.stop, s.step))


def _padding_mask(geometry: ConvGeometry) -> np.ndarray:
    """(H_pad, W_pad) bool, True on the padding border around the input."""
    (top, bottom), (left, right) = geometry.padding
    H, W = geometry.in_size
    mask = np.ones((top + H + bottom, left + W + right), dtype=bool)
    mask[top : top + H, left : left + W] = False
    return mask


__all__ = [
    "MAX_STEPS",
    "BackwardStep",
    "BackwardTrace",
    "ForwardStep",
    "ForwardTrace",
    "backward_trace",
    "check_region",
    "default_region",
    "forward_trace",
    "running_dx_pad",
    "traced_crop",
]
