"""Transposed convolution ("deconvolution", fractionally strided convolution): the backward of a convolution.

A convolution with stride s, padding p and dilation d maps X to Z = C·X for a sparse matrix C; its input
gradient is dX = Cᵀ·δ (FORMULAS.md §2). A transposed convolution is that map Cᵀ used as a layer of its own:
each input cell x(i, j) stamps the kernel, scaled by x(i, j), onto the output at rows i·s + k·d − p and
columns j·s + l·d − p, and where stamps overlap they add up:

    y(c_o, u, v) = b(c_o) + Σ_{c_i} Σ x(c_i, i, j) · W(c_i, c_o, k, l)
                   over (i, j, k, l) with i·s + k·d − p = u and j·s + l·d − p = v

    H_out = (H − 1)·s − 2p + d·(K − 1) + output_padding + 1      (W_out alike)

The weights are (C_in, C_out, KH, KW), as PyTorch's `conv_transpose2d` holds them: the kernels of the
convolution whose backward this is, (F, C, KH, KW) with F = C_in. The stamps cover a "canvas" of
(H − 1)·s + d·(K − 1) + 1 cells; `output_padding` adds that many rows (columns) at the bottom (right), and
the padding p crops p cells off each side. As in PyTorch, output_padding < max(s, d): a larger one would
only add rows no stamp reaches.

Three ways to compute it, tests hold them equal: `conv_transpose2d(..., impl="reference")` stamps cell by
cell (what the page animates); `impl="fast"` adds one whole-map product per kernel tap; `zero_insert_view`
is the equivalent forward convolution: s − 1 zeros between input cells, padding d·(K − 1) − p (cropping
where that is negative), then a stride-1 convolution with the kernel rotated by 180°.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from engine.conv import conv2d_forward
from engine.errors import EngineError
from engine.geometry import TERMS, Pair, as_pair, check_window

Impl = Literal["fast", "reference"]
IMPLS: tuple[str, ...] = ("fast", "reference")


class TransposedGeometry(NamedTuple):
    """Resolved hyper-parameters of one transposed convolution (each a (height, width) pair)."""

    kernel: Pair  # (KH, KW)
    stride: Pair  # (sh, sw)
    padding: Pair  # (ph, pw): cropped off each side of the canvas
    output_padding: Pair  # (oh, ow): added at the bottom and the right of the canvas
    dilation: Pair  # (dh, dw)
    in_size: Pair  # (H, W)
    canvas: Pair  # ((H − 1)·sh + dh·(KH − 1) + 1 + oh, ...): every stamp, before the crop
    out_size: Pair  # (H_out, W_out) = canvas − 2·padding


def transposed_output_size(
    n: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> int:
    """Output length of a transposed convolution along one axis.

    Args:
        n: input length (H or W), ≥ 1.
        k: kernel length, ≥ 1.
        stride, dilation: ≥ 1.
        padding: cells cropped off each side, ≥ 0.
        output_padding: cells added at the end, 0 ≤ output_padding < max(stride, dilation).

    Returns:
        (n − 1)·s − 2p + d·(k − 1) + output_padding + 1.

    Raises:
        EngineError: with the number to change, when the numbers make no output.
    """
    check_window(k, stride, dilation)
    if n < 1:
        raise EngineError("The input needs at least one cell along each axis (it has {n}).", n=n)
    if padding < 0 or output_padding < 0:
        raise EngineError("The padding cannot be negative.")
    if output_padding >= max(stride, dilation):
        raise EngineError(
            "The output padding ({output_padding}) must be smaller than the stride ({stride}) or the "
            "dilation ({dilation}), as in PyTorch: a larger one would only add cells no stamp reaches.",
            output_padding=output_padding,
            stride=stride,
            dilation=dilation,
        )
    canvas = (n - 1) * stride + dilation * (k - 1) + 1 + output_padding
    if canvas - 2 * padding < 1:
        raise EngineError(
            "The stamps cover {canvas} cells and a padding of {padding} crops {cropped} of them: nothing is "
            "left. Use a padding of at most {largest}.",
            canvas=canvas,
            padding=padding,
            cropped=2 * padding,
            largest=(canvas - 1) // 2,
        )
    return canvas - 2 * padding


def transposed_geometry(
    x_shape: tuple[int, ...],
    w_shape: tuple[int, ...],
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
) -> TransposedGeometry:
    """Check and resolve the hyper-parameters of x (N, C_in, H, W) ⊛ᵀ w (C_in, C_out, KH, KW).

    Raises:
        EngineError: a sentence for impossible hyper-parameters; ValueError for arrays with the wrong number
            of axes or channels (the caller's shapes, not a setting).
    """
    if len(x_shape) != 4 or len(w_shape) != 4:
        raise ValueError("The input (N, C_in, H, W) and the weights (C_in, C_out, KH, KW) need 4 axes each.")
    if x_shape[1] != w_shape[0]:
        raise ValueError(
            f"The weights hold one (C_out, KH, KW) block per input channel: the input has {x_shape[1]} "
            f"channel(s) but the weights have {w_shape[0]}."
        )
    hyper = [
        as_pair(v, name) for v, name in zip((stride, padding, dilation), ("stride", "padding", "dilation"))
    ]
    (sh, sw), (ph, pw), (dh, dw) = hyper
    oh, ow = as_pair(output_padding, "padding")
    (H, W), (KH, KW) = (int(x_shape[2]), int(x_shape[3])), (int(w_shape[2]), int(w_shape[3]))
    H_out = _axis_size("height", H, KH, sh, ph, oh, dh)
    W_out = _axis_size("width", W, KW, sw, pw, ow, dw)
    canvas = (H_out + 2 * ph, W_out + 2 * pw)
    return TransposedGeometry(
        (KH, KW), (sh, sw), (ph, pw), (oh, ow), (dh, dw), (H, W), canvas, (H_out, W_out)
    )


def _axis_size(axis: str, n: int, k: int, s: int, p: int, op: int, d: int) -> int:
    """transposed_output_size with the axis named in its error sentence."""
    try:
        return transposed_output_size(n, k, s, p, op, d)
    except EngineError as err:
        raise EngineError("Along the {axis}: {reason}", axis=TERMS[axis], reason=err) from None


def conv_transpose2d(
    x: np.ndarray,
    w: np.ndarray,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
    *,
    b: np.ndarray | None = None,
    impl: Impl = "fast",
) -> np.ndarray:
    """Transposed convolution: every input cell stamps its scaled kernel onto the output; overlaps add up.

    The same numbers as PyTorch's `conv_transpose2d(x, w, b, stride, padding, output_padding, 1, dilation)`.

    Args:
        x: input (N, C_in, H, W).
        w: weights (C_in, C_out, KH, KW).
        stride, padding, output_padding, dilation: int or (h, w) pair.
        b: biases (C_out,), or None for none.
        impl: "fast" (a whole-map product per tap) or "reference" (a stamp per input cell).

    Returns:
        y: (N, C_out, H_out, W_out), float64 (float32 when x and w both are).

    Raises:
        EngineError: for impossible hyper-parameters (see `transposed_output_size`).
    """
    dtype = np.result_type(np.asarray(x).dtype, np.asarray(w).dtype, np.float32)
    dtype = dtype if dtype == np.float32 else np.float64
    x, w = np.asarray(x, dtype=dtype), np.asarray(w, dtype=dtype)
    geometry = transposed_geometry(x.shape, w.shape, stride, padding, output_padding, dilation)
    if impl not in IMPLS:
        raise ValueError(f"impl must be one of {IMPLS}, not {impl!r}.")
    canvas = _stamp_taps(x, w, geometry) if impl == "fast" else _stamp_cells(x, w, geometry)
    y = crop_canvas(canvas, geometry)
    if b is not None:
        y = y + np.asarray(b, dtype=dtype).reshape(1, -1, 1, 1)
    return y


def stamp_slices(geometry: TransposedGeometry, i: int, j: int) -> tuple[slice, slice]:
    """Canvas rows and columns that input cell (i, j)'s stamp covers: i·s + k·d for k < K (and alike).

    canvas[..., rows, cols] is (KH, KW): where the scaled kernel x(i, j)·W lands.
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    return (
        slice(i * sh, i * sh + dh * (KH - 1) + 1, dh),
        slice(j * sw, j * sw + dw * (KW - 1) + 1, dw),
    )


def crop_canvas(canvas: np.ndarray, geometry: TransposedGeometry) -> np.ndarray:
    """The output: the canvas (..., Hc, Wc) without `padding` cells on each side → (..., H_out, W_out)."""
    (ph, pw), (H_out, W_out) = geometry.padding, geometry.out_size
    return canvas[..., ph : ph + H_out, pw : pw + W_out].copy()


def _stamp_cells(x: np.ndarray, w: np.ndarray, geometry: TransposedGeometry) -> np.ndarray:
    """The canvas, stamp by stamp (the readable path): canvas[rows, cols] += x(n, c_i, i, j) · W(c_i).

    Args:
        x: (N, C_in, H, W); w: (C_in, C_out, KH, KW).

    Returns:
        (N, C_out, Hc, Wc).
    """
    N, C_in, H, W = x.shape
    canvas = np.zeros((N, w.shape[1], *geometry.canvas), dtype=x.dtype)
    for n in range(N):
        for c in range(C_in):
            for i in range(H):
                for j in range(W):
                    rows, cols = stamp_slices(geometry, i, j)
                    # += : where stamps overlap (stride below the kernel's span) their contributions add up.
                    canvas[n, :, rows, cols] += x[n, c, i, j] * w[c]
    return canvas


def _stamp_taps(x: np.ndarray, w: np.ndarray, geometry: TransposedGeometry) -> np.ndarray:
    """The canvas, tap by tap (the fast path): tap (k, l) of every stamp lands on a strided grid of cells.

        canvas[n, c_o, i·s + k·d, j·s + l·d] += Σ_{c_i} x(n, c_i, i, j) · W(c_i, c_o, k, l)

    One matrix product per tap over whole maps (KH·KW of them), never a loop over cells.

    Returns:
        (N, C_out, Hc, Wc).
    """
    N, _, H, W = x.shape
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    canvas = np.zeros((N, w.shape[1], *geometry.canvas), dtype=x.dtype)
    for k in range(KH):
        for l in range(KW):
            rows = slice(k * dh, k * dh + (H - 1) * sh + 1, sh)
            cols = slice(l * dw, l * dw + (W - 1) * sw + 1, sw)
            canvas[:, :, rows, cols] += np.einsum("nchw,co->nohw", x, w[:, :, k, l], optimize=True)
    return canvas


# --- the equivalent forward convolution ------------------------------------------------------------------


class ZeroInsertView(NamedTuple):
    """The transposed convolution as a forward convolution, each intermediate array kept to be shown.

    With Hs = (H − 1)·s_h + 1 and q_h = d_h·(KH − 1) − p_h (the same along the width):
    """

    spread: np.ndarray  # (N, C_in, Hs, Ws)  x with s − 1 zeros between neighbouring cells
    padded: np.ndarray  # (N, C_in, Hs + 2q_h + o_h, ...)  spread padded by q (cropped where q < 0), o after
    rotated: np.ndarray  # (C_out, C_in, KH, KW)  each kernel rotated by 180°, as a convolution's kernels
    y: np.ndarray  # (N, C_out, H_out, W_out)  padded ⋆ rotated, stride 1, dilation d: conv_transpose2d's y
    pads: tuple[Pair, Pair]  # ((top, bottom), (left, right)) added to spread; negative: cells cropped


def zero_insert_view(
    x: np.ndarray,
    w: np.ndarray,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
) -> ZeroInsertView:
    """Transposed convolution as a plain one: s − 1 zeros inserted, padded by d·(K − 1) − p, rot180(W).

    Each output cell u then reads the zero-inserted input through the rotated kernel: the cells a stamp
    would have reached it from. Padding d·(K − 1) lets the first and last stamps' edges reach the output;
    the layer's padding p takes p of those cells away again (so q = d·(K − 1) − p < 0 crops the input), and
    output_padding adds cells at the bottom and the right.

    Args:
        x: (N, C_in, H, W); w: (C_in, C_out, KH, KW); the hyper-parameters as in `conv_transpose2d`.

    Returns:
        ZeroInsertView; its y equals conv_transpose2d's.
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    g = transposed_geometry(x.shape, w.shape, stride, padding, output_padding, dilation)
    spread = np.zeros((*x.shape[:2], (x.shape[2] - 1) * g.stride[0] + 1, (x.shape[3] - 1) * g.stride[1] + 1))
    spread[:, :, :: g.stride[0], :: g.stride[1]] = x
    pads = tuple(
        (d * (k - 1) - p, d * (k - 1) - p + o)
        for k, p, o, d in zip(g.kernel, g.padding, g.output_padding, g.dilation)
    )
    padded = _pad_or_crop(spread, pads)
    rotated = np.ascontiguousarray(w[..., ::-1, ::-1].transpose(1, 0, 2, 3))
    y, _ = conv2d_forward(padded, rotated, None, stride=1, padding=0, dilation=g.dilation)
    return ZeroInsertView(spread, padded, rotated, y, pads)  # type: ignore[arg-type]


def _pad_or_crop(a: np.ndarray, pads: tuple[Pair, ...]) -> np.ndarray:
    """Zero-pad the last two axes of a by ((top, bottom), (left, right)); a negative amount crops instead."""
    grow = [(0, 0)] * (a.ndim - 2) + [(max(0, before), max(0, after)) for before, after in pads]
    a = np.pad(a, grow)
    (top, bottom), (left, right) = ((max(0, -before), max(0, -after)) for before, after in pads)
    return a[..., top : a.shape[-2] - bottom, left : a.shape[-1] - right]


# --- how many stamps reach each cell ---------------------------------------------------------------------


def overlap_counts(geometry: TransposedGeometry) -> np.ndarray:
    """How many stamps reach each output cell: the number of terms in its sum.

    A product of one count per axis (canvas rows reached by kernel row k are k·d, k·d + s, …), cropped
    like the output.

    Returns:
        (H_out, W_out) int.
    """
    counts = []
    for n, K, s, d, size in zip(
        geometry.in_size, geometry.kernel, geometry.stride, geometry.dilation, geometry.canvas
    ):
        axis = np.zeros(size, dtype=np.int64)
        for k in range(K):
            axis[k * d : k * d + (n - 1) * s + 1 : s] += 1
        counts.append(axis)
    return crop_canvas(np.outer(*counts), geometry)


def uneven_overlap(kernel: int, stride: int, dilation: int = 1) -> bool:
    """Whether, away from the borders, some cells get more stamps than others along this axis.

    Along one axis, cell u gets one stamp per tap k with k·d ≡ u (mod s). The counts are even only when the
    taps fall equally often on each of the s phases: for d = 1, when K is a multiple of s. Uneven counts
    along either axis give the checkerboard pattern of transposed convolutions.
    """
    phases = np.bincount((dilation * np.arange(kernel)) % stride, minlength=stride)
    return bool(phases.min() != phases.max())
