"""Controls of the normalization page (batch norm, split, concat); engine.norm_views runs what they set."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import streamlit as st

from engine.norm_views import NormRun
from ui.common.controls import (
    check_verdict,
    clamp_value,
    keep_possible,
    start_value,
)
from ui.common.i18n import t
from ui.common.links import Domain, FloatRange, IntRange
from viz.numbers import figure_number

MAX_BATCH_NORM = 6
MAX_CHANNELS = 3
MAX_SIDE = 4


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


def _controls() -> dict[str, Domain]:
    """The values each of the page's controls can hold, by its session key (the widgets' bounds below)."""
    seed, channels = IntRange(0, 9999), IntRange(1, MAX_CHANNELS)
    number = FloatRange(-math.inf, math.inf)  # γ and β: any finite number
    tops = {"N": MAX_BATCH_NORM, "C": MAX_CHANNELS, "H": MAX_SIDE, "W": MAX_SIDE}
    controls: dict[str, Domain] = {f"normalization.{name}": IntRange(1, top) for name, top in tops.items()}
    for name in ("seed", "upstream", "concat_seed"):
        controls[f"normalization.{name}"] = seed
    for c in range(MAX_CHANNELS):
        controls |= {f"normalization.gamma.{c}": number, f"normalization.beta.{c}": number}
    controls |= {"normalization.C1": channels, "normalization.C2": channels}
    for axis, top in enumerate(tops.values()):  # the entry the formulas show, 1-based
        controls[f"normalization.entry.{axis}"] = IntRange(1, top)
    return controls


CONTROLS = _controls()
# Each control's value at the start of the last run that could hold it.


def normalization_controls() -> NormParams:
    """Draw the batch-norm controls (sizes, seeds, γ and β per channel); return the settings.

    Every control of the page is checked first (the concatenation's and the entry picker's too): a value
    a control cannot hold is put back.
    """
    keep_possible(CONTROLS)
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


def stats_table(run: NormRun) -> list[dict[str, str]]:
    """Per channel (one dict per row): the batch statistics, γ and β, and their gradients, 4 digits each."""
    columns = {
        "μ": run.mean,
        "σ²": run.var,
        "γ": run.gamma,
        "β": run.beta,
        "∂L/∂γ": run.dgamma,
        "∂L/∂β": run.dbeta,
    }
    return [
        {t("normalization.table.channel"): str(c + 1)}
        | {name: figure_number(v[c]) for name, v in columns.items()}
        for c in range(run.mean.size)
    ]
