"""Controls of the backward page: what is shown, where the gradient comes from, the check and the learning.

Each returns plain values (a NamedTuple or numbers) that key the page's caches. Settings live in the
"backward.*" session keys of ui/backward/state.py, bound to their widgets with `ui.common.state.bind`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from engine.presets import PRESETS
from ui.backward.state import EPS_CHOICES, LOSS_KINDS, VIEWS
from ui.common.i18n import t
from ui.common.state import bind
from ui.conv.state import RANDOM


class LossChoice(NamedTuple):
    """The loss the user picked: hashable, so it keys the caches."""

    kind: str  # one of LOSS_KINDS
    target: str  # the preset that makes the target map (used by "mse")
    cell: tuple[int, int, int]  # (f, i, j) of the one-hot loss (used by "impulse")


class CheckSettings(NamedTuple):
    eps: float
    richardson: bool
    limit: int


class DescentSettings(NamedTuple):
    lr: float
    steps: int


def _clip(name: str, low: int, high: int, centre: int | None = None) -> int:
    """Keep an index setting inside [low, high] (the image or kernel count may have shrunk); −1 → centre."""
    value = st.session_state[name]
    if value < 0 and centre is not None:
        value = centre
    st.session_state[name] = int(min(max(value, low), high))
    return st.session_state[name]


def view_controls(kernel_names: tuple[str, ...], channels: int) -> tuple[int, int]:
    """Which kernel (of several) and which channel of dX (of RGB) the figures show; returns (f, c)."""
    F = len(kernel_names)
    _clip("backward.kernel", 0, F - 1)
    _clip("backward.channel", 0, channels - 1)
    if F == 1 and channels == 1:
        return 0, 0
    left, right, _ = st.columns([2, 2, 3])
    if F > 1:
        left.selectbox(
            t("backward.kernel_shown"),
            range(F),
            format_func=lambda f: t("forward.fig.map_title", n=f + 1, name=kernel_names[f]),
            **bind("backward.kernel"),
        )
    if channels > 1:
        names = t("forward.fig.channels").split(",")
        right.radio(
            t("backward.channel_shown"),
            range(channels),
            format_func=lambda c: names[c],
            horizontal=True,
            help=t("backward.channel_help"),
            **bind("backward.channel"),
        )
    return st.session_state["backward.kernel"], st.session_state["backward.channel"]


def view_picker() -> str:
    """Which closer look the page shows below the heatmaps (one of VIEWS): only that one is computed."""
    if st.session_state.get("backward.view") not in VIEWS:
        st.session_state["backward.view"] = VIEWS[0]
    st.segmented_control(
        t("backward.view_label"),
        VIEWS,
        required=True,
        format_func=lambda view: t(f"backward.view.{view}"),
        help=t("backward.view_help"),
        width="stretch",
        **bind("backward.view"),
    )
    return st.session_state["backward.view"]


def target_presets(KH: int, KW: int) -> list[str]:
    """The possible targets: the presets that come in this (square) kernel size, and a random kernel."""
    return [p.name for p in PRESETS if KH == KW and KH in p.sizes] + [RANDOM]


def target_title(name: str) -> str:
    return t("conv.kind.random") if name == RANDOM else t(f"preset.{name}")


def loss_controls(out_shape: tuple[int, int, int], kernel: int) -> LossChoice:
    """The loss (three kinds), the target preset, and the one-hot cell; returns the choice.

    Args:
        out_shape: (F, H_out, W_out) of the layer's output.
        kernel: the kernel shown (the one-hot cell is on its map).

    """
    _, H_out, W_out = out_shape
    left, middle, right = st.columns([3, 2, 2], gap="medium")
    left.radio(
        t("backward.loss"), LOSS_KINDS, format_func=lambda k: t(f"backward.loss.{k}"), **bind("backward.loss")
    )
    kind = st.session_state["backward.loss"]
    left.caption(t(f"backward.loss_help.{kind}"))
    KH, KW = st.session_state["conv.kh"], st.session_state["conv.kw"]
    targets = target_presets(KH, KW)
    if st.session_state["backward.target"] not in targets:
        st.session_state["backward.target"] = targets[0]
    middle.selectbox(
        t("backward.target"),
        targets,
        format_func=target_title,
        help=t("backward.target_help"),
        **bind("backward.target"),
    )
    if kind != "impulse":
        right.caption(t("backward.cell_help_other"))
        return LossChoice(kind, st.session_state["backward.target"], (kernel, 0, 0))
    i = _clip("backward.cell_i", 0, H_out - 1, centre=H_out // 2)
    j = _clip("backward.cell_j", 0, W_out - 1, centre=W_out // 2)
    right.number_input(t("backward.cell_row", top=H_out - 1), 0, H_out - 1, step=1, **bind("backward.cell_i"))
    right.number_input(t("backward.cell_col", top=W_out - 1), 0, W_out - 1, step=1, **bind("backward.cell_j"))
    right.caption(t("backward.cell_help"))
    return LossChoice(kind, st.session_state["backward.target"], (kernel, i, j))


def pixel_controls(in_size: tuple[int, int]) -> tuple[int, int]:
    """The input pixel (row, column) whose gradient the gather formula writes out."""
    H, W = in_size
    _clip("backward.pixel_u", 0, H - 1, centre=H // 2)
    _clip("backward.pixel_v", 0, W - 1, centre=W // 2)
    left, right, _ = st.columns([1, 1, 2])
    left.number_input(t("backward.pixel_row", top=H - 1), 0, H - 1, step=1, **bind("backward.pixel_u"))
    right.number_input(t("backward.pixel_col", top=W - 1), 0, W - 1, step=1, **bind("backward.pixel_v"))
    return st.session_state["backward.pixel_u"], st.session_state["backward.pixel_v"]


def check_controls() -> tuple[CheckSettings, bool]:
    """ε, the Richardson toggle, how many entries to check; and whether the run button was pressed."""
    left, middle, right = st.columns([3, 2, 2], gap="medium")
    left.select_slider(
        t("backward.eps"),
        EPS_CHOICES,
        format_func=lambda e: f"{e:.0e}",
        help=t("backward.eps_help"),
        **bind("backward.eps"),
    )
    middle.toggle(t("backward.richardson"), help=t("backward.richardson_help"), **bind("backward.richardson"))
    right.number_input(t("backward.check_limit"), 5, 2000, step=5, **bind("backward.check_limit"))
    pressed = st.button(t("backward.check_run"), type="primary")
    state = st.session_state
    settings = CheckSettings(
        float(state["backward.eps"]), bool(state["backward.richardson"]), int(state["backward.check_limit"])
    )
    return settings, pressed


def descent_controls(stable_lr: float) -> tuple[DescentSettings, str | None]:
    """η and N, and which button was pressed: "step", "run", "reset" or None.

    Args:
        stable_lr: the largest η that converges without an activation (shown as a hint).
    """
    left, middle, right = st.columns([2, 2, 3], gap="medium")
    left.number_input(
        t("backward.lr"),
        0.001,
        100.0,
        step=0.05,
        format="%.3f",
        help=t("backward.lr_help", stable=f"{stable_lr:.3g}"),
        **bind("backward.lr"),
    )
    middle.number_input(t("backward.steps"), 1, 1000, step=10, **bind("backward.steps"))
    action: Any = None
    with right:
        st.write("")  # lines the buttons up with the inputs' boxes
        one, many, reset = st.columns(3)
        if one.button(t("backward.step_once"), width="stretch"):
            action = "step"
        if many.button(
            t("backward.run_steps", n=st.session_state["backward.steps"]), type="primary", width="stretch"
        ):
            action = "run"
        if reset.button(t("backward.reset"), width="stretch"):
            action = "reset"
    state = st.session_state
    return DescentSettings(float(state["backward.lr"]), int(state["backward.steps"])), action
