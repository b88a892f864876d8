"""Batch normalization, split and concatenation layers (FORMULAS.md §7), forward and backward.

Batch norm here is the training-mode layer: it normalizes with the statistics of the batch it is given
(biased variance, dividing by the count m, as PyTorch does in training), then scales by γ and shifts by β.
A split layer copies its input to several branches, so in the backward pass the copies' gradients add up;
a concatenation layer stacks its inputs along an axis, so its gradient is cut back into the same pieces.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.errors import EngineError


class BatchNormCache(NamedTuple):
    """What the batch-norm forward pass saves; mean, var and x_hat are there to be printed and shown."""

    x_hat: np.ndarray  # normalized input (x − mean) / sqrt(var + eps), x's shape
    mean: np.ndarray  # per channel (C,) (or per feature (D,))
    var: np.ndarray  # biased batch variance per channel (C,)
    gamma: np.ndarray  # (C,)
    eps: float
    axes: tuple[int, ...]  # the axes averaged over: (0, 2, 3) for (N, C, H, W), (0,) for (N, D)


class SplitCache(NamedTuple):
    """What the split forward pass saves: how many copies of what shape."""

    copies: int
    shape: tuple[int, ...]


class ConcatCache(NamedTuple):
    """What the concatenation forward pass saves: the axis and each input's length along it."""

    axis: int  # non-negative
    sizes: tuple[int, ...]


def batchnorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, BatchNormCache]:
    """Batch normalization: y = γ · (x − μ) / sqrt(σ² + ε) + β, with μ, σ² per channel over the batch.

    Args:
        x: (N, C, H, W), each channel normalized over N, H and W; or (N, D), each feature over N.
        gamma: scale (C,) (or (D,)).
        beta: shift (C,) (or (D,)).
        eps: ε, keeps the division finite for a constant channel.

    Returns:
        y: x's shape; cache for `batchnorm_backward` (holds mean, var and x_hat).

    Raises:
        EngineError: for a wrong number of axes or parameter shapes, or an empty batch.
    """
    x, gamma, beta = (np.asarray(v, dtype=np.float64) for v in (x, gamma, beta))
    axes, shape = _channel_axes(x, gamma, beta)
    mean = x.mean(axis=axes)
    var = x.var(axis=axes)  # biased: divides by the count m, like the mean
    x_hat = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    y = gamma.reshape(shape) * x_hat + beta.reshape(shape)
    return y, BatchNormCache(x_hat, mean, var, gamma, eps, axes)


def batchnorm_backward(dy: np.ndarray, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch normalization backward, by the compact formula.

    With m values per channel, x̂ = (x − μ)/s, s = sqrt(σ² + ε) and dx̂ = dy · γ, the chain rule through
    μ and σ² (both depend on every x of the channel) collapses to

        dx = (1 / (m·s)) · (m·dx̂ − Σ dx̂ − x̂ · Σ(dx̂ · x̂))

    (sums over the channel's m values): the first term is the direct path, the second removes what reaches
    x through the mean, the third what reaches it through the variance.

    Args:
        dy: upstream gradient, x's shape.
        cache: from `batchnorm_forward`.

    Returns:
        dx (x's shape), dgamma = Σ dy · x̂ (C,), dbeta = Σ dy (C,).
    """
    x_hat, _, var, gamma, eps, axes = cache
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != x_hat.shape:
        raise ValueError(f"The upstream gradient must have the input's shape {x_hat.shape}, not {dy.shape}.")
    shape = _broadcast_shape(x_hat.ndim, gamma.shape[0])
    m = x_hat.size // gamma.shape[0]
    dx_hat = dy * gamma.reshape(shape)
    sum_dx_hat = dx_hat.sum(axis=axes, keepdims=True)
    sum_dx_hat_x_hat = (dx_hat * x_hat).sum(axis=axes, keepdims=True)
    s = np.sqrt(var.reshape(shape) + eps)
    dx = (m * dx_hat - sum_dx_hat - x_hat * sum_dx_hat_x_hat) / (m * s)
    return dx, (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)


def split_forward(x: np.ndarray, copies: int = 2) -> tuple[list[np.ndarray], SplitCache]:
    """Split layer: hand the same input to several branches, as independent copies.

    Args:
        x: any shape.
        copies: number of branches, ≥ 1.

    Returns:
        outs: list of `copies` arrays of x's shape; cache for `split_backward`.
    """
    x = np.asarray(x, dtype=np.float64)
    if isinstance(copies, bool) or not isinstance(copies, (int, np.integer)) or copies < 1:
        raise EngineError(
            "A split makes a whole number of copies, at least 1 (not {copies!r}).", copies=copies
        )
    return [x.copy() for _ in range(copies)], SplitCache(int(copies), x.shape)


def split_backward(douts: list[np.ndarray], cache: SplitCache) -> np.ndarray:
    """Split layer backward: x reached the loss along every branch, so the gradients add up.

    Args:
        douts: one upstream gradient per copy, each of x's shape.
        cache: from `split_forward`.

    Returns:
        dx = Σ_branches dout, x's shape.
    """
    if len(douts) != cache.copies:
        raise ValueError(f"The split made {cache.copies} copies but got {len(douts)} gradients back.")
    douts = [np.asarray(d, dtype=np.float64) for d in douts]
    for d in douts:
        if d.shape != cache.shape:
            raise ValueError(f"Each gradient must have the input's shape {cache.shape}, not {d.shape}.")
    return np.sum(douts, axis=0)


def concat_forward(xs: list[np.ndarray], axis: int = 1) -> tuple[np.ndarray, ConcatCache]:
    """Concatenation (fusion) layer: stack the inputs one after the other along an axis.

    Args:
        xs: list of arrays with the same number of axes and equal lengths on every axis but `axis`
            (e.g. (N, C_i, H, W) feature maps, concatenated along channels with axis=1).
        axis: the axis to concatenate along (negative counts from the end).

    Returns:
        y: the inputs' shape with length Σ_i (length of xs[i] along axis) on `axis`; cache for
        `concat_backward`.
    """
    xs = [np.asarray(x, dtype=np.float64) for x in xs]
    if not xs:
        raise EngineError("Concatenation needs at least one input.")
    ndim = xs[0].ndim
    if not -ndim <= axis < ndim:
        raise EngineError(
            "The inputs have {ndim} axes, so the axis must be {low}…{high}, not {axis}.",
            ndim=ndim,
            low=-ndim,
            high=ndim - 1,
            axis=axis,
        )
    axis %= ndim
    for i, x in enumerate(xs):
        if x.ndim != ndim or _without(x.shape, axis) != _without(xs[0].shape, axis):
            raise EngineError(
                "Input {i} has shape {shape} but input 0 has {first}: all inputs must match on every axis "
                "except axis {axis}, the one they are stacked along.",
                i=i,
                shape=x.shape,
                first=xs[0].shape,
                axis=axis,
            )
    return np.concatenate(xs, axis=axis), ConcatCache(axis, tuple(x.shape[axis] for x in xs))


def concat_backward(dy: np.ndarray, cache: ConcatCache) -> list[np.ndarray]:
    """Concatenation backward: cut the gradient back into the pieces the inputs came from.

    Args:
        dy: upstream gradient, the concatenated output's shape.
        cache: from `concat_forward`.

    Returns:
        list of gradients, one per input, each of that input's shape.
    """
    dy = np.asarray(dy, dtype=np.float64)
    if dy.ndim <= cache.axis or dy.shape[cache.axis] != sum(cache.sizes):
        raise ValueError(
            f"The upstream gradient must have length {sum(cache.sizes)} along axis {cache.axis}; "
            f"its shape is {dy.shape}."
        )
    cuts = np.cumsum(cache.sizes)[:-1]
    return [piece.copy() for piece in np.split(dy, cuts, axis=cache.axis)]


def _without(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    """The shape with one axis left out (what concatenated inputs must agree on)."""
    return shape[:axis] + shape[axis + 1 :]


def _broadcast_shape(ndim: int, C: int) -> tuple[int, ...]:
    """Shape that lines a per-channel (C,) vector up with axis 1: (1, C, 1, 1) or (1, C)."""
    return (1, C, 1, 1) if ndim == 4 else (1, C)


def _channel_axes(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Axes to normalize over and the broadcast shape of γ, β; a readable EngineError if they don't fit."""
    if x.ndim not in (2, 4):
        raise EngineError(
            "Batch norm expects (batch, channels, height, width) or (batch, features), not {shape}.",
            shape=x.shape,
        )
    C = x.shape[1]
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (C,):
            raise EngineError(
                "{name} must hold one number per channel, shape ({C},), not {shape}.",
                name=name,
                C=C,
                shape=p.shape,
            )
    if x.shape[0] == 0:
        raise EngineError("Batch norm needs a batch of at least one example.")
    axes = (0, 2, 3) if x.ndim == 4 else (0,)
    values = int(np.prod([x.shape[a] for a in axes]))
    if values == 1:
        # x̂ = (x − μ) / √(σ² + ε) = 0 / √ε: the output is β whatever x is, and dx = 0 (PyTorch refuses it).
        raise EngineError(
            "Batch norm needs more than one value per channel: with one, x − μ = 0, so the output is β "
            "whatever the input is and no gradient reaches the input. Use a batch or a map larger than 1."
        )
    return axes, _broadcast_shape(x.ndim, C)
