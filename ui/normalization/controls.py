"""Controls of the normalization page (batch norm, split, concat) and the runs they describe."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from engine.gradcheck import error_floor, relative_error, worst_relative_error
from engine.network import richardson_gradient
from engine.norm import (
    batchnorm_backward,
    batchnorm_forward,
    concat_backward,
    concat_forward,
    split_backward,
    split_forward,
)
from ui.common.controls import (
    check_verdict,
    clamp_value,
    start_value,
)
from ui.common.i18n import t
from viz.norm import BatchNormEntry

MAX_BATCH_NORM = 6
MAX_CHANNELS = 3
MAX_SIDE = 4
EPS = 1e-5


class NormParams(NamedTuple):
    """Everything the normalization page's numbers depend on."""

    N: int = 4
    C: int = 2
    H: int = 3
    W: int = 3
    seed: int = 0
    gammas: tuple[float, ...] = (1.5, 0.5)
    betas: tuple[float, ...] = (0.5, -1.0)
    upstream_seed: int = 1
    split_rows: int = 3
    split_cols: int = 4


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


def normalization_controls() -> NormParams:
    """Draw the batch-norm controls (sizes, seeds, γ and β per channel); return the settings."""
    d = NormParams()
    sizes = {"N": (d.N, MAX_BATCH_NORM), "C": (d.C, MAX_CHANNELS), "H": (d.H, MAX_SIDE), "W": (d.W, MAX_SIDE)}
    cols = st.columns(6, gap="medium")
    chosen = {}
    for column, (name, (default, top)) in zip(cols, sizes.items()):
        start_value(f"normalization.{name}", default)
        chosen[name] = int(column.slider(t(f"normalization.{name}"), 1, top, key=f"normalization.{name}"))
    start_value("normalization.seed", d.seed)
    start_value("normalization.upstream", d.upstream_seed)
    seed = cols[4].number_input(t("normalization.seed"), 0, 9999, step=1, key="normalization.seed")
    help_text = t("normalization.upstream_help")
    upstream = cols[5].number_input(
        t("normalization.upstream"), 0, 9999, step=1, key="normalization.upstream", help=help_text
    )
    gammas, betas = _scale_shift_controls(chosen["C"], d)
    return d._replace(**chosen, seed=int(seed), upstream_seed=int(upstream), gammas=gammas, betas=betas)


def _scale_shift_controls(C: int, d: NormParams) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """γ and β of each channel, side by side; returns (γ per channel, β per channel)."""
    values: dict[str, list[float]] = {"gamma": [], "beta": []}
    columns = st.columns(2 * MAX_CHANNELS, gap="medium")
    for c in range(C):
        for k, (name, default) in enumerate((("gamma", d.gammas), ("beta", d.betas))):
            key = f"normalization.{name}.{c}"
            start_value(key, default[c] if c < len(default) else float(name == "gamma"))
            label = t(f"normalization.{name}", c=c + 1)
            values[name].append(float(columns[2 * c + k].number_input(label, step=0.1, format="%g", key=key)))
    return tuple(values["gamma"]), tuple(values["beta"])


def concat_controls() -> tuple[int, int, int]:
    """Sliders for the channels of the two concatenated arrays, and their seed; returns (C1, C2, seed)."""
    start_value("normalization.C1", 2)
    start_value("normalization.C2", 1)
    start_value("normalization.concat_seed", 3)
    a, b, c = st.columns(3, gap="large")
    C1 = a.slider(t("normalization.C1"), 1, MAX_CHANNELS, key="normalization.C1")
    C2 = b.slider(t("normalization.C2"), 1, MAX_CHANNELS, key="normalization.C2")
    seed = c.number_input(t("normalization.seed"), 0, 9999, step=1, key="normalization.concat_seed")
    return int(C1), int(C2), int(seed)


def _readable(
    rng: np.random.Generator, shape: tuple[int, ...], loc: float = 0.0, scale: float = 1.0
) -> np.ndarray:
    """Random normal numbers rounded to two decimals: easy to read, still exact inputs for the engine."""
    return np.round(rng.normal(loc, scale, size=shape), 2)


def run_normalization(p: NormParams) -> NormRun:
    """Run batch norm and a split of engine.norm on seeded random arrays, and check batch norm.

    Each channel of x gets its own mean and spread, so normalizing visibly changes it.

    Raises:
        ValueError: from the engine, for settings it refuses.
    """
    rng = np.random.default_rng(p.seed)
    loc, scale = rng.uniform(-2.0, 2.0, size=p.C), rng.uniform(0.5, 2.0, size=p.C)
    x = np.stack([_readable(rng, (p.N, p.H, p.W), loc[c], scale[c]) for c in range(p.C)], axis=1)
    gamma, beta = np.array(p.gammas[: p.C]), np.array(p.betas[: p.C])
    dy = _readable(np.random.default_rng(p.upstream_seed), x.shape)
    y, cache = batchnorm_forward(x, gamma, beta, EPS)
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    errors = _batchnorm_errors(x, gamma, beta, dy, (dx, dgamma, dbeta))
    split_x = _readable(rng, (p.split_rows, p.split_cols))
    _, split_cache = split_forward(split_x, 2)  # the copies are split_x itself, drawn twice
    grads = (_readable(rng, split_x.shape), _readable(rng, split_x.shape))
    return NormRun(
        x,
        y,
        cache.x_hat,
        cache.mean,
        cache.var,
        gamma,
        beta,
        dy,
        dx,
        dgamma,
        dbeta,
        errors,
        split_x,
        grads,
        split_backward(list(grads), split_cache),
    )


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


def _batchnorm_errors(x, gamma, beta, dy, grads) -> tuple[float, float, float]:
    """Relative errors of dx, dγ, dβ against Richardson-extrapolated central differences of Σ dy ⊙ y."""
    x, gamma, beta = x.copy(), gamma.copy(), beta.copy()  # changed in place, entry by entry, by the check

    def loss(_: np.ndarray) -> float:
        return float(np.sum(dy * batchnorm_forward(x, gamma, beta, EPS)[0]))

    numerical = [richardson_gradient(loss, p) for p in (x, gamma, beta)]
    # dx sums to 0 over each channel, so some entries sit near 0: measure them against the largest entry.
    dx_error = worst_relative_error(grads[0], numerical[0], error_floor(grads[0]))
    return dx_error, relative_error(grads[1], numerical[1]), relative_error(grads[2], numerical[2])


def check_metrics(errors: Sequence[float]) -> None:
    """The relative errors of ∂L/∂x, ∂L/∂γ and ∂L/∂β against central differences, with their verdicts."""
    for column, name, error in zip(st.columns(3), ("dx", "dgamma", "dbeta"), errors):
        verdict = f"{error:.1e} {check_verdict(error)}"
        column.metric(t(f"normalization.check.{name}"), verdict, help=t("normalization.check_help"))


def entry_picker(shape: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Four number inputs (1-based) choosing the entry x(n, c, i, j) the formulas show; returns it 0-based."""
    labels = (
        "normalization.entry_n",
        "normalization.entry_c",
        "normalization.entry_i",
        "normalization.entry_j",
    )
    chosen = []
    for axis, column in enumerate(st.columns(4)):
        key = f"normalization.entry.{axis}"
        clamp_value(key, 1, shape[axis])
        start_value(key, 1)
        chosen.append(int(column.number_input(t(labels[axis]), 1, shape[axis], step=1, key=key)) - 1)
    return chosen[0], chosen[1], chosen[2], chosen[3]


def batchnorm_entry(run: NormRun, n: int, c: int, i: int, j: int) -> BatchNormEntry:
    """The numbers the formulas show for entry (n, c, i, j): the entry's own and its channel's sums.

    Σ ĝ and Σ ĝ·x̂ (ĝ = γ · ∂L/∂y) are the two sums of the compact backward formula, taken over the channel.
    """
    g_hat = run.dy[:, c] * run.gamma[c]
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


def stats_table(run: NormRun) -> pd.DataFrame:
    """Per channel: the batch statistics, γ and β, and their gradients."""
    return pd.DataFrame(
        {
            t("normalization.table.channel"): [str(c + 1) for c in range(run.mean.size)],
            "μ": run.mean,
            "σ²": run.var,
            "γ": run.gamma,
            "β": run.beta,
            "∂L/∂γ": run.dgamma,
            "∂L/∂β": run.dbeta,
        }
    )
