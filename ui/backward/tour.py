"""The backward page's guided tour: one output cell sends its δ back into dW, db and dX (ui/common/tour.py).

Steps 1–6 happen in the "step by step" view (the animation is moved to the cell each step explains);
step 7 opens the "dX as a convolution" view. The tour panel is drawn in the view its open step lives in;
the other views show a line saying where the tour is, with a button back to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from engine.trace import BackwardStep, BackwardTrace
from ui.backward.labels import animation_labels, channel_names
from ui.common.i18n import t
from ui.common.tour import FIRST, STRONGEST, TourStep, go_to_step, open_step, tour_panel, tour_settings
from viz.numbers import figure_number

PAGE = "backward"
_STEPS_VIEW = {"backward.view": "steps", "conv.crop_i": -1, "conv.crop_j": -1}  # the crop centred
_CORNER = {"backward.view": "steps", "conv.crop_i": 0, "conv.crop_j": 0}  # the crop over the padding

BACKWARD_STEPS: tuple[TourStep, ...] = (
    TourStep("loss", _STEPS_VIEW, STRONGEST),
    TourStep("delta", _STEPS_VIEW, STRONGEST),
    TourStep("dw", _STEPS_VIEW, STRONGEST),
    TourStep("dx", _STEPS_VIEW, STRONGEST),
    TourStep("db", _STEPS_VIEW, STRONGEST),
    TourStep("border", _CORNER, FIRST),  # the first cell: its window hangs over the padded corner
    TourStep("gather", {"backward.view": "gather"}, STRONGEST),
)

# The tour's open step, a setting of the backward page (named in its frame call).
TOUR_SETTINGS = tour_settings(PAGE, BACKWARD_STEPS)


def step_view(k: int) -> str:
    """The view tour step k (1 … n) lives in."""
    return BACKWARD_STEPS[k - 1].settings["backward.view"]


def lives_here(view: str) -> bool:
    """Whether the tour is closed or its open step lives in `view` (the view draws the panel itself)."""
    k = open_step(PAGE)
    return not 1 <= k <= len(BACKWARD_STEPS) or step_view(k) == view


def shown_here(view: str) -> bool:
    """Whether the open tour step (if any) belongs in this view; otherwise say where it is.

    Returns:
        True when the tour is closed or its step lives in `view` (the view draws the panel itself).
    """
    if lives_here(view):
        return True
    k = open_step(PAGE)
    name = t(f"backward.view.{step_view(k)}")
    left, right = st.columns([3, 1])
    left.info(t("tour.backward.elsewhere", k=k, n=len(BACKWARD_STEPS), view=name), icon="🧭")
    right.button(
        t("tour.backward.resume"), on_click=go_to_step, args=(PAGE, BACKWARD_STEPS, k), key="tour.resume"
    )
    return False


def step_values(p, trace: BackwardTrace, step: BackwardStep) -> dict[str, Any]:
    """The numbers and panel names the tour's texts are filled with (all from the engine's results).

    Args:
        p: the page's Problem (setup, loss choice, backward pass, kernel f and channel c shown).
        trace: the animated crop's backward trace; step: the step the animation shows.
    """
    g, f = p.run.grads, p.f
    i, j = step.i, step.j
    labels = animation_labels(channel_names(p.setup.image.shape[0])[p.c])
    _, _, KH, KW = p.setup.kernels.shape
    return {
        "loss_name": t(f"backward.loss.{p.choice.kind}"),
        "loss": figure_number(g.loss),
        "i": i,
        "j": j,
        "da": figure_number(g.da[f, i, j]),
        "dsigma": figure_number(g.dsigma[f, i, j]),
        "delta": figure_number(step.delta),
        "db": figure_number(step.db_total),
        "db_total": figure_number(g.db[f]),
        "KH": KH,
        "KW": KW,
        "sh": g.geometry.stride[0],
        "sw": g.geometry.stride[1],
        "padding": _padding_text(g.geometry),
        "delta_panel": labels.delta_title,
        "dw_step_panel": labels.dw_step_title,
        "dw_total_panel": labels.dw_total_title,
        "dx_step_panel": labels.dx_step_title,
        "dx_panel": labels.dx_title,
    }


def gather_values(p) -> dict[str, Any]:
    """The numbers of the gather step (it has no animation step)."""
    g = p.run.grads.geometry
    return {"sh": g.stride[0], "sw": g.stride[1]}


def _padding_text(geometry) -> str:
    if not any(any(side) for side in geometry.padding):
        return t("tour.backward.border.none")
    fate = t(
        "tour.backward.border.cropped" if geometry.pad_mode == "zeros" else "tour.backward.border.folded"
    )
    return t("tour.backward.border.some", mode=t(f"conv.pad_mode.{geometry.pad_mode}"), fate=fate)


def backward_tour(values: dict[str, Any]) -> None:
    """The backward page's tour panel (a start button when it is closed)."""
    tour_panel(PAGE, BACKWARD_STEPS, values, {})


def delta_magnitude(p) -> np.ndarray:
    """|δ| of the kernel shown, (H_out, W_out): the tour's "strongest" cell is where it is largest."""
    return np.abs(p.run.grads.delta[p.f])
