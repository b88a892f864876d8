"""Controls of the chain rule page: the expression (typed or a preset), its variables, the backward steps."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from engine.gradcheck import relative_error
from engine.graph import MAX_LENGTH, MAX_NODES, Graph
from ui.common.controls import (
    clamp_value,
    clicker,
    clicker_hint,
    keep_possible,
    start_value,
)
from ui.common.i18n import t
from ui.common.links import Choice, Domain, FloatRange, IntRange, Text

GRAPH_PRESETS: dict[str, tuple[str, dict[str, float]]] = {
    "circuit": ("(x + y) * z", {"x": -2.0, "y": 5.0, "z": -4.0}),
    "max_gate": (
        "1 / exp(-((x1 + x2) * w + max(y1, y2)))",
        {"x1": 0.5, "x2": -1.0, "w": 2.0, "y1": -1.0, "y2": 0.5},
    ),
    "neuron": (
        "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
    ),
}
GRAPH_CHOICES: tuple[str, ...] = (*GRAPH_PRESETS, "custom")
EXPR_KEY = "chain_rule.expr"
STEP_KEY = "chain_rule.step"
VARIABLE_PREFIX = "chain_rule.var."


# The values each of the page's controls can hold, by its session key (the widgets' bounds below); each
# variable's number input ("chain_rule.var.<name>") holds any finite number.
CONTROLS: dict[str, Domain] = {
    "chain_rule.preset": Choice(GRAPH_CHOICES),
    EXPR_KEY: Text(),  # a typed expression too long is the engine's to refuse, in words
    STEP_KEY: IntRange(0, MAX_NODES),  # a graph has at most one backward step per node
}
VARIABLE = FloatRange(-math.inf, math.inf)


def _load_graph_preset() -> None:
    """Put the chosen preset's expression and values into the widgets' keys (an on_change callback)."""
    name = st.session_state["chain_rule.preset"]
    if name not in GRAPH_PRESETS:
        return
    text, values = GRAPH_PRESETS[name]
    st.session_state[EXPR_KEY] = text
    for variable, value in values.items():
        st.session_state[f"{VARIABLE_PREFIX}{variable}"] = value
    st.session_state[STEP_KEY] = 0


def _typed() -> None:
    """Typing an expression leaves the presets."""
    st.session_state["chain_rule.preset"] = "custom"
    st.session_state[STEP_KEY] = 0


def expression_controls() -> str:
    """Draw the preset picker and the expression box; return the typed expression.

    Every control of the page is checked first (the variables' and the stepper's too): a value a control
    cannot hold is put back.
    """
    first = next(iter(GRAPH_PRESETS))
    if "chain_rule.preset" not in st.session_state:
        st.session_state["chain_rule.preset"] = first
        _load_graph_preset()
    variables = {key: VARIABLE for key in st.session_state if str(key).startswith(VARIABLE_PREFIX)}
    keep_possible(CONTROLS | variables)
    preset_col, text_col = st.columns([1, 2.2], gap="medium")
    preset_col.selectbox(
        t("chain_rule.preset"),
        GRAPH_CHOICES,
        format_func=lambda p: t(f"chain_rule.preset.{p}"),
        key="chain_rule.preset",
        on_change=_load_graph_preset,
    )
    return text_col.text_input(
        t("chain_rule.expression"),
        key=EXPR_KEY,
        on_change=_typed,
        help=t("chain_rule.expression_help"),
        max_chars=MAX_LENGTH,
    )


def variable_inputs(variables: Sequence[str]) -> dict[str, float]:
    """One number input per variable, in order of appearance; return their values by name."""
    values = {}
    columns = st.columns(max(min(len(variables), 5), 1))
    for k, name in enumerate(variables):
        key = f"{VARIABLE_PREFIX}{name}"
        start_value(key, 1.0)
        values[name] = float(columns[k % len(columns)].number_input(name, step=0.5, format="%g", key=key))
    return values


def step_controls(total: int) -> int:
    """Back / Next buttons and a slider over the backward steps (0 = forward pass only); return the step."""
    clamp_value(STEP_KEY, 0, total)
    start_value(STEP_KEY, 0)
    # Room for each button's label and its clicker key ("◀ Back  PageUp"), in presentation mode's type too.
    back, slider, forward = st.columns([2, 5, 2], vertical_alignment="bottom")
    back.button(
        t("chain_rule.back"),
        **clicker(-1),
        on_click=_move,
        args=(-1, total),
        disabled=st.session_state[STEP_KEY] == 0,
        width="stretch",
        key="chain_rule.back",
    )
    forward.button(
        t("chain_rule.next"),
        **clicker(+1),
        on_click=_move,
        args=(1, total),
        width="stretch",
        key="chain_rule.next",
        disabled=st.session_state[STEP_KEY] == total,
        type="primary",
    )
    slider.slider(t("chain_rule.step"), 0, total, key=STEP_KEY, help=t("chain_rule.step_help"))
    clicker_hint()
    return int(st.session_state[STEP_KEY])


def _move(delta: int, total: int) -> None:
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), total)


def gradient_table(graph: Graph, numerical: Mapping[str, float]) -> pd.DataFrame:
    """Each variable's gradient by backpropagation beside its numerical estimate and their relative error."""
    rows = []
    for name, grad in graph.gradients().items():
        estimate = numerical[name]
        error = relative_error(np.array(grad), np.array(estimate)) if np.isfinite(estimate) else float("nan")
        rows.append(
            {
                t("chain_rule.table.variable"): name,
                t("chain_rule.table.backprop"): f"{grad:.8g}",
                t("chain_rule.table.numerical"): f"{estimate:.8g}",
                t("chain_rule.table.error"): f"{error:.1e}" if np.isfinite(error) else "—",
            }
        )
    return pd.DataFrame(rows)
