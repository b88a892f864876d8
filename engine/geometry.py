"""Hyper-parameters of sliding-window layers: pairs, padding, output sizes and padding modes.

One module owns the output-size formula (FORMULAS.md §1) and the padding helpers, so the convolution,
the pooling layer, the traces and the pages all agree on them:

    H_out = floor((H + p_top + p_bottom − d·(K − 1) − 1) / s) + 1
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from engine.errors import EngineError, Phrase

Pair = tuple[int, int]
# Padding of one axis: p on both sides, or (before, after).
AxisPadding = int | tuple[int, int]
# ((top, bottom), (left, right)), always resolved to this form before use.
Padding2d = tuple[tuple[int, int], tuple[int, int]]
PadMode = Literal["zeros", "reflect", "replicate", "circular"]

PAD_MODES: tuple[str, ...] = ("zeros", "reflect", "replicate", "circular")
# Our names follow PyTorch's padding_mode; NumPy calls them differently.
_NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
# An axis or a hyper-parameter as the error sentences name it (an app translates these words too).
TERMS: dict[str, Phrase] = {
    "height": Phrase("height"),
    "width": Phrase("width"),
    "stride": Phrase("stride"),
    "dilation": Phrase("dilation"),
    "padding": Phrase("padding"),
    "window_size": Phrase("window size"),
}


def as_pair(value: int | tuple[int, int] | list[int], name: str) -> Pair:
    """Turn an int or an (h, w) pair into an (h, w) tuple of Python ints.

    Args:
        value: an int or an (h, w) pair.
        name: what the value is, for the error sentence: "stride", "dilation", "padding" or "window_size".

    Raises:
        EngineError: when the value is neither an int nor a pair of ints.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    is_pair = isinstance(value, (tuple, list)) and len(value) == 2
    if is_pair and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    raise EngineError(
        "The {name} must be a whole number or a (height, width) pair of whole numbers, not {value!r}.",
        name=TERMS[name],
        value=value,
    )


def same_padding(
    kernel_size: int, dilation: int = 1, stride: int = 1, n: int | None = None
) -> tuple[int, int]:
    """Padding (before, after) of one axis for "same": the output keeps ⌈n / s⌉ cells (n at stride 1).

    The window spans d·(K − 1) + 1 cells. At stride 1, d·(K − 1) cells of padding in all keep the size.
    At stride s > 1 this follows TensorFlow's SAME (what "same" means in Keras and TensorFlow; PyTorch
    refuses "same" there): n_out = ⌈n / s⌉ and just enough padding for the last window,
    max((n_out − 1)·s + d·(K − 1) + 1 − n, 0). The extra cell of an odd total goes after (bottom or
    right), as in TensorFlow and PyTorch.

    Args:
        kernel_size, dilation, stride: K, d and s of the axis.
        n: the input's length along the axis; needed when s > 1 (the padding then depends on it).
    """
    span = dilation * (kernel_size - 1) + 1
    if stride == 1:
        total = span - 1
    elif n is None:
        raise ValueError('"same" padding at a stride above 1 depends on the input size n; pass n.')
    else:
        total = max((-(-n // stride) - 1) * stride + span - n, 0)
    return total // 2, total - total // 2


def resolve_padding(
    padding: int | str | tuple | list,
    kernel_hw: Pair,
    dilation_hw: Pair = (1, 1),
    stride_hw: Pair = (1, 1),
    in_hw: Pair | None = None,
) -> Padding2d:
    """Resolve a padding argument to ((top, bottom), (left, right)).

    Args:
        padding: "same", "valid", an int p (p on every side), an (h, w) pair (h above and below, w left and
            right) or ((top, bottom), (left, right)).
        kernel_hw: (KH, KW), used by "same".
        dilation_hw: (dh, dw), used by "same".
        stride_hw: (sh, sw), used by "same" (see `same_padding`: ⌈H / sh⌉ rows at a stride above 1).
        in_hw: (H, W), used by "same" at a stride above 1.

    Raises:
        EngineError: for negative or malformed padding.
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            H, W = in_hw if in_hw is not None else (None, None)
            return (
                same_padding(kernel_hw[0], dilation_hw[0], stride_hw[0], H),
                same_padding(kernel_hw[1], dilation_hw[1], stride_hw[1], W),
            )
        raise EngineError(
            'The padding must be a number, "same" or "valid", not "{padding}".', padding=padding
        )
    if (
        isinstance(padding, (tuple, list))
        and len(padding) == 2
        and all(isinstance(p, (tuple, list)) for p in padding)
    ):
        resolved = tuple(as_pair(tuple(p), "padding") for p in padding)
    else:
        ph, pw = as_pair(padding, "padding")
        resolved = ((ph, ph), (pw, pw))
    if min(min(p) for p in resolved) < 0:
        raise EngineError("The padding cannot be negative.")
    return resolved  # type: ignore[return-value]


def check_window(k: int, stride: int, dilation: int) -> None:
    """Refuse a stride or a dilation under 1 and a kernel of no cell, each with its sentence (shared by
    the convolution's and the transposed convolution's output sizes)."""
    if stride < 1:
        raise EngineError("The stride must be at least 1 (it is {stride}).", stride=stride)
    if dilation < 1:
        raise EngineError(
            "The dilation must be at least 1 (it is {dilation}); 1 means no gaps between taps.",
            dilation=dilation,
        )
    if k < 1:
        raise EngineError("The kernel size must be at least 1 (it is {k}).", k=k)


def conv_output_size(n: int, k: int, stride: int = 1, padding: AxisPadding = 0, dilation: int = 1) -> int:
    """Output length of a sliding window along one axis (FORMULAS.md §1).

    Args:
        n: input length (H or W).
        k: kernel length (KH or KW).
        stride: step of the window, ≥ 1.
        padding: p on both sides, or (before, after).
        dilation: spacing of the kernel taps, ≥ 1 (1 means adjacent taps).

    Returns:
        floor((n + p_before + p_after − d·(k − 1) − 1) / s) + 1.

    Raises:
        EngineError: when the numbers make no window fit, with the number to change.
    """
    before, after = (padding, padding) if isinstance(padding, (int, np.integer)) else padding
    check_window(k, stride, dilation)
    if before < 0 or after < 0:
        raise EngineError("The padding cannot be negative.")
    span = dilation * (k - 1) + 1
    padded = n + before + after
    if span > padded:
        raise EngineError(
            "The kernel covers {span} cells (size {k}, dilation {dilation}) but the padded input has only "
            "{padded} ({n} + {before} + {after}): use a smaller kernel or dilation, or more padding.",
            span=span,
            k=k,
            dilation=dilation,
            padded=padded,
            n=n,
            before=before,
            after=after,
        )
    return (padded - span) // stride + 1


def check_pad_mode(pad_mode: str, padding: Padding2d, hw: Pair) -> None:
    """Check that a padding mode can pad an input of size hw by this much.

    Raises:
        EngineError: for an unknown mode, reflect padding ≥ the size, or circular padding > the size.
    """
    if pad_mode not in PAD_MODES:
        raise EngineError(
            "The padding mode must be one of {modes}, not {pad_mode!r}.",
            modes=", ".join(PAD_MODES),
            pad_mode=pad_mode,
        )
    for (before, after), n, axis in zip(padding, hw, ("height", "width")):
        widest = max(before, after)
        if pad_mode == "reflect" and widest >= n:
            raise EngineError(
                "Reflect padding of {widest} needs an input {axis} of more than {widest} (it is {n}): a "
                "mirror copies the cells next to the border, so there must be that many to copy.",
                widest=widest,
                axis=TERMS[axis],
                n=n,
            )
        if pad_mode == "circular" and widest > n:
            raise EngineError(
                "Circular padding of {widest} needs an input {axis} of at least {widest} (it is {n}).",
                widest=widest,
                axis=TERMS[axis],
                n=n,
            )


def source_index(n: int, before: int, after: int, pad_mode: str) -> np.ndarray:
    """For each cell of a padded axis, the input cell it copies (−1 for a zero padding cell).

    Args:
        n: input length; before, after: padding on each side.

    Returns:
        int array of length before + n + after.
    """
    if pad_mode == "zeros":
        return np.concatenate([np.full(before, -1), np.arange(n), np.full(after, -1)])
    return np.pad(np.arange(n), (before, after), mode=_NUMPY_PAD_MODE[pad_mode])


def pad_input(x: np.ndarray, padding: Padding2d, pad_mode: str = "zeros") -> np.ndarray:
    """Pad the last two axes of x.

    Args:
        x: (..., H, W).
        padding: ((top, bottom), (left, right)).
        pad_mode: zeros, reflect (mirror without the border cell), replicate (repeat the border cell) or
            circular (wrap around).

    Returns:
        (..., H + top + bottom, W + left + right).
    """
    if padding == ((0, 0), (0, 0)):
        return x
    (top, bottom), (left, right) = padding
    if pad_mode == "zeros":
        # Twice as fast as np.pad, which this runs on every forward and backward pass.
        out = np.zeros((*x.shape[:-2], x.shape[-2] + top + bottom, x.shape[-1] + left + right), dtype=x.dtype)
        out[..., top : top + x.shape[-2], left : left + x.shape[-1]] = x
        return out
    widths = [(0, 0)] * (x.ndim - 2) + [padding[0], padding[1]]
    return np.pad(x, widths, mode=_NUMPY_PAD_MODE[pad_mode])


def unpad_gradient(dx_pad: np.ndarray, padding: Padding2d, hw: Pair, pad_mode: str = "zeros") -> np.ndarray:
    """Gradient of the input from the gradient of its padded copy (the adjoint of `pad_input`).

    Zero padding: the padding cells copied nothing, so their gradient is cropped off. Reflect, replicate
    and circular padding copied input cells, so each padding cell's gradient is added back onto the cell
    it copied (border rows first, then border columns, as the padding was made).

    Args:
        dx_pad: (..., H_pad, W_pad).
        padding: ((top, bottom), (left, right)).
        hw: (H, W) of the unpadded input.

    Returns:
        (..., H, W), a new array.
    """
    (top, bottom), (left, right) = padding
    H, W = hw
    rows_folded = _fold_axis(dx_pad, top, bottom, H, pad_mode, axis=-2)
    return _fold_axis(rows_folded, left, right, W, pad_mode, axis=-1)


def _fold_axis(g: np.ndarray, before: int, after: int, n: int, pad_mode: str, axis: int) -> np.ndarray:
    """Crop one padded axis back to length n, adding padding cells onto their sources unless zeros."""
    g = np.moveaxis(g, axis, 0)
    out = g[before : before + n].copy()
    if pad_mode != "zeros":
        source = source_index(n, before, after, pad_mode)
        # Only the few padding rows loop in Python; each adds a whole row at once.
        for u in [*range(before), *range(before + n, before + n + after)]:
            out[source[u]] += g[u]
    return np.moveaxis(out, 0, axis)


class ConvGeometry(NamedTuple):
    """Resolved hyper-parameters of one convolution: everything needed to place a window."""

    kernel: Pair  # (KH, KW)
    stride: Pair  # (sh, sw)
    padding: Padding2d  # ((top, bottom), (left, right))
    dilation: Pair  # (dh, dw)
    pad_mode: str
    in_size: Pair  # (H, W)
    out_size: Pair  # (H_out, W_out)


def conv_geometry(
    x_shape: tuple[int, ...],
    w_shape: tuple[int, ...],
    stride: int | Pair = 1,
    padding: int | str | tuple = 0,
    dilation: int | Pair = 1,
    pad_mode: str = "zeros",
) -> ConvGeometry:
    """Check and resolve the hyper-parameters of a convolution of x (N, C, H, W) with w (F, C, KH, KW).

    Raises:
        EngineError: with a sentence a student understands, for any impossible combination of
            hyper-parameters; ValueError for arrays with the wrong number of axes or channels (the
            caller's shapes, not a setting).
    """
    if len(x_shape) != 4:
        raise ValueError(
            f"The input must have 4 axes (batch, channels, height, width); it has {len(x_shape)}."
        )
    if len(w_shape) != 4:
        raise ValueError(
            f"The kernels must have 4 axes (kernels, channels, height, width); they have {len(w_shape)}."
        )
    if x_shape[1] != w_shape[1]:
        raise ValueError(
            f"Each kernel must be as deep as the input: the input has {x_shape[1]} channel(s) but the "
            f"kernels have {w_shape[1]}."
        )
    sh, sw = as_pair(stride, "stride")
    dh, dw = as_pair(dilation, "dilation")
    KH, KW = int(w_shape[2]), int(w_shape[3])
    H, W = int(x_shape[2]), int(x_shape[3])
    pad = resolve_padding(padding, (KH, KW), (dh, dw), (sh, sw), (H, W))
    check_pad_mode(pad_mode, pad, (H, W))
    H_out = _axis_size("height", H, KH, sh, pad[0], dh)
    W_out = _axis_size("width", W, KW, sw, pad[1], dw)
    return ConvGeometry((KH, KW), (sh, sw), pad, (dh, dw), pad_mode, (H, W), (H_out, W_out))


def _axis_size(axis: str, n: int, k: int, s: int, pad: tuple[int, int], d: int) -> int:
    """conv_output_size with the axis named in its error message."""
    try:
        return conv_output_size(n, k, s, pad, d)
    except EngineError as err:
        raise EngineError("Along the {axis}: {reason}", axis=TERMS[axis], reason=err) from None


def window_slices(geometry: ConvGeometry, i: int, j: int) -> tuple[slice, slice]:
    """Rows and columns of the padded input that output position (i, j) reads: every d-th cell from i·s.

    x_pad[..., rows, cols] is the (KH, KW) window, dilated taps only, that meets the kernel at (i, j).
    """
    (KH, KW), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    return (
        slice(i * sh, i * sh + dh * (KH - 1) + 1, dh),
        slice(j * sw, j * sw + dw * (KW - 1) + 1, dw),
    )


def tap_slices(geometry: ConvGeometry, k: int, l: int) -> tuple[slice, slice]:
    """Rows and columns of the padded input that kernel tap (k, l) meets over all output positions.

    x_pad[..., rows, cols] is (H_out, W_out): the input each output cell multiplies by W[k, l].
    """
    (H_out, W_out), (sh, sw), (dh, dw) = geometry.out_size, geometry.stride, geometry.dilation
    return (
        slice(k * dh, k * dh + sh * (H_out - 1) + 1, sh),
        slice(l * dw, l * dw + sw * (W_out - 1) + 1, sw),
    )
