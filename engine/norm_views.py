"""What the normalization page shows, computed: batch norm and a split on seeded small arrays, batch norm's
gradient check, a concatenation, and the numbers of one entry that the page's formulas spell out.

The layers themselves are `engine.norm`'s; this module only draws readable inputs for them (random numbers
rounded to two decimals, so a student can redo the arithmetic) and collects what the page draws. Every
function is pure: the same arguments give the same numbers, in a notebook as on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.gradcheck import error_floor, rounding_floor, worst_relative_error
from engine.network import RICHARDSON_EPS, richardson_gradient
from engine.norm import (
    batchnorm_backward,
    batchnorm_forward,
    concat_backward,
    concat_forward,
    split_backward,
    split_forward,
)

EPS = 1e-5  # batch norm's ε on the page (PyTorch's default)


class NormRun(NamedTuple):
    """Batch norm and a split on small arrays, forward, backward and checked."""

    x: np.ndarray  # (N, C, H, W)
    y: np.ndarray  # batch norm output, x's shape
    x_hat: np.ndarray  # normalized input, x's shape
    mean: np.ndarray  # (C,)
    var: np.ndarray  # (C,)
    gamma: np.ndarray  # (C,)
    beta: np.ndarray  # (C,)
    dy: np.ndarray  # upstream gradient, x's shape
    dx: np.ndarray  # x's shape
    dgamma: np.ndarray  # (C,)
    dbeta: np.ndarray  # (C,)
    errors: tuple[float, float, float]  # relative errors of dx, dγ, dβ against central differences
    split_x: np.ndarray  # (rows, cols)
    split_grads: tuple[np.ndarray, np.ndarray]  # the two branches' gradients, each (rows, cols)
    split_dx: np.ndarray  # their sum, from engine.norm.split_backward


class ConcatRun(NamedTuple):
    """Two arrays of C1 and C2 channels joined along the channels, and the gradient cut back."""

    a: np.ndarray  # (C1, 3, 3)
    b: np.ndarray  # (C2, 3, 3)
    y: np.ndarray  # (C1 + C2, 3, 3)
    dy: np.ndarray  # (C1 + C2, 3, 3)
    da: np.ndarray  # (C1, 3, 3)
    db: np.ndarray  # (C2, 3, 3)


class BatchNormEntry(NamedTuple):
    """The numbers of one entry x(n, c, i, j) and of its channel c that the formulas show."""

    n: int
    c: int
    i: int
    j: int
    m: int  # values per channel: N·H·W
    x: float
    mean: float  # μ_c
    var: float  # σ²_c
    eps: float
    x_hat: float
    gamma: float
    beta: float
    y: float
    dy: float
    dx_hat: float  # dy · γ
    sum_dx_hat: float  # Σ over the channel of dx̂
    sum_dx_hat_x_hat: float  # Σ over the channel of dx̂ · x̂
    dx: float
    dgamma: float
    dbeta: float


def _readable(
    rng: np.random.Generator, shape: tuple[int, ...], loc: float = 0.0, scale: float = 1.0
) -> np.ndarray:
    """Random normal numbers rounded to two decimals: easy to read, still exact inputs for the engine."""
    return np.round(rng.normal(loc, scale, size=shape), 2)


def _channel_input(rng: np.random.Generator, N: int, C: int, H: int, W: int) -> np.ndarray:
    """A readable (N, C, H, W) batch whose channels each get their own mean and spread.

    Without that, every channel would already be near mean 0 and spread 1, and normalizing would seem to
    do nothing. Draws from `rng` (so the numbers drawn after it depend on the shape).
    """
    loc, scale = rng.uniform(-2.0, 2.0, size=C), rng.uniform(0.5, 2.0, size=C)
    return np.stack([_readable(rng, (N, H, W), loc[c], scale[c]) for c in range(C)], axis=1)


def batchnorm_errors(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    dy: np.ndarray,
    grads: tuple[np.ndarray, np.ndarray, np.ndarray],
    eps: float = EPS,
) -> tuple[float, float, float]:
    """Relative errors of dx, dγ, dβ against Richardson-extrapolated central differences of Σ dy ⊙ y.

    Args:
        x: (N, C, H, W) (or (N, D)); gamma, beta: (C,); dy: x's shape (the upstream gradient).
        grads: the analytic (dx, dγ, dβ) to check, shaped like x, gamma and beta.
        eps: batch norm's ε.

    Returns:
        (error of dx, error of dγ, error of dβ); ≤ 1e-7 says the gradient is right, ≥ 1e-2 that it is wrong.
    """
    x, gamma, beta = x.copy(), gamma.copy(), beta.copy()  # changed in place, entry by entry, by the check

    def loss(_: np.ndarray) -> float:
        return float(np.sum(dy * batchnorm_forward(x, gamma, beta, eps)[0]))

    numerical = [richardson_gradient(loss, p) for p in (x, gamma, beta)]
    # dx sums to 0 over each channel and dβ of a channel whose upstream gradient sums to 0 is 0: entries
    # near 0 are measured against the largest entry of their array, and never against less than the
    # rounding of the differences of Σ dy ⊙ y (terms of either sign: Σ |dy ⊙ y| sets the scale).
    terms = dy * batchnorm_forward(x, gamma, beta, eps)[0]
    noise = rounding_floor(float(np.abs(terms).sum()), RICHARDSON_EPS)
    return tuple(worst_relative_error(g, n, max(error_floor(g), noise)) for g, n in zip(grads, numerical))


def run_normalization(
    N: int,
    C: int,
    H: int,
    W: int,
    *,
    seed: int,
    gammas: Sequence[float],
    betas: Sequence[float],
    upstream_seed: int,
    split_rows: int,
    split_cols: int,
) -> NormRun:
    """Run batch norm and a split of engine.norm on seeded readable arrays, and check batch norm.

    Args:
        N, C, H, W: the batch's shape; seed draws x, then the split's input and its two branch gradients.
        gammas, betas: γ and β, one number per channel (C of each).
        upstream_seed: draws ∂L/∂y, apart from x, so changing it keeps x.
        split_rows, split_cols: the shape of the split's input.

    Returns:
        x and y (N, C, H, W), the statistics and gradients, the check's errors, and the split.

    Raises:
        ValueError: from the engine, for settings it refuses.
    """
    rng = np.random.default_rng(seed)
    x = _channel_input(rng, N, C, H, W)
    gamma, beta = np.array(gammas, dtype=np.float64), np.array(betas, dtype=np.float64)
    dy = _readable(np.random.default_rng(upstream_seed), x.shape)
    y, cache = batchnorm_forward(x, gamma, beta, EPS)
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    errors = batchnorm_errors(x, gamma, beta, dy, (dx, dgamma, dbeta))
    split_x = _readable(rng, (split_rows, split_cols))
    _, split_cache = split_forward(split_x, 2)  # the copies are split_x itself, drawn twice
    grads = (_readable(rng, split_x.shape), _readable(rng, split_x.shape))
    split_dx = split_backward(list(grads), split_cache)
    stats = (cache.x_hat, cache.mean, cache.var, gamma, beta)
    return NormRun(x, y, *stats, dy, dx, dgamma, dbeta, errors, split_x, grads, split_dx)


def run_concat(C1: int, C2: int, seed: int) -> ConcatRun:
    """Join a (C1, 3, 3) and a (C2, 3, 3) array along the channels, and cut a random gradient back.

    Raises:
        ValueError: from the engine, for arrays it cannot join.
    """
    rng = np.random.default_rng(seed)
    a, b = _readable(rng, (C1, 3, 3)), _readable(rng, (C2, 3, 3))
    y, cache = concat_forward([a, b], axis=0)  # one example (C, H, W): the channels are axis 0
    dy = _readable(rng, y.shape)
    da, db = concat_backward(dy, cache)
    return ConcatRun(a, b, y, dy, da, db)


def batchnorm_entry(run: NormRun, n: int, c: int, i: int, j: int) -> BatchNormEntry:
    """The numbers the formulas show for entry (n, c, i, j) (0-based): the entry's own and its channel's.

    Σ ĝ and Σ ĝ·x̂ (ĝ = γ · ∂L/∂y) are the two sums of the compact backward formula, taken over the channel;
    with them, dx = (m·ĝ − Σ ĝ − x̂ · Σ ĝ·x̂) / (m · sqrt(σ² + ε)) reproduces `run.dx[n, c, i, j]`.
    """
    g_hat = run.dy[:, c] * run.gamma[c]  # (N, H, W): the channel's ĝ
    return BatchNormEntry(
        n=n,
        c=c,
        i=i,
        j=j,
        m=run.x[:, c].size,
        x=run.x[n, c, i, j],
        mean=run.mean[c],
        var=run.var[c],
        eps=EPS,
        x_hat=run.x_hat[n, c, i, j],
        gamma=run.gamma[c],
        beta=run.beta[c],
        y=run.y[n, c, i, j],
        dy=run.dy[n, c, i, j],
        dx_hat=g_hat[n, i, j],
        sum_dx_hat=float(g_hat.sum()),
        sum_dx_hat_x_hat=float((g_hat * run.x_hat[:, c]).sum()),
        dx=run.dx[n, c, i, j],
        dgamma=run.dgamma[c],
        dbeta=run.dbeta[c],
    )
