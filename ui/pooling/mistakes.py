"""The pooling page's planted mistake: "Introduce a mistake" swaps pooling's backward pass for the one that
assigns instead of accumulating (engine.mistakes.pool_overwrite), and shows where its ∂L/∂X differs.

Drawn below the routing figure (on a projector the opening figure stays first). The page's default, a
2 × 2 window at stride 2, has no overlapping windows: the section says the mistake is invisible there.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from engine.mistakes import NONE, POOL_MISTAKES, mistake, right_function
from engine.pool import pool2d_forward
from engine.pool_trace import PoolingRun
from ui.common.caching import cached_resource
from ui.common.controls import start_value
from ui.common.display import show_figure, show_source
from ui.common.i18n import t
from ui.pooling.controls import MISTAKE_CHOICES, PoolingParams
from viz.animation import prebuilt_figure
from viz.mistakes import DifferenceLabels, difference_figure


def mistake_section(params: PoolingParams, run: PoolingRun, presentation: bool) -> None:
    """The control, and with a mistake planted: its name and sentence, and the maps of where it shows."""
    start_value("pooling.mistake", NONE)
    planted = st.columns([3, 2])[0].selectbox(
        t("pooling.mistake"),
        MISTAKE_CHOICES,
        format_func=lambda m: t(f"pooling.mistake.{m}"),
        help=t("pooling.mistake_help"),
        key="pooling.mistake",
    )
    if planted not in POOL_MISTAKES:
        return
    st.error(t(f"pooling.mistake.{planted}"), icon="🐞")
    st.markdown(t(f"pooling.mistake.{planted}.sentence"))
    show_source(mistake(planted).wrong, right_function(planted), title=t("pooling.mistake.source"))
    if params.stride >= params.size:  # windows side by side (or apart): no cell in two windows
        st.info(t("pooling.mistake.no_overlap", K=params.size, s=params.stride), icon="ℹ️")
    wrong = planted_dx(params, run, planted)
    wrong_cells = int(np.count_nonzero(differs(wrong, run.dx)))
    if params.stride < params.size and not wrong_cells:
        st.info(t("pooling.mistake.no_shared_winner"), icon="ℹ️")
    elif wrong_cells:
        st.markdown(t("pooling.mistake.wrong_cells", n=wrong_cells))
    labels = DifferenceLabels(
        t("pooling.mistake.fig.bar"),
        t("pooling.mistake.fig.none"),
        t("pooling.mistake.fig.row"),
        t("pooling.mistake.fig.col"),
    )
    titles = (t("pooling.mistake.fig.right"), t("pooling.mistake.fig.planted"), t("pooling.mistake.fig.diff"))
    spec = _difference_spec(params, planted, presentation, titles, labels, run)
    show_figure(spec, alt=t("pooling.mistake.alt"), key="pooling.mistake_fig")


def differs(wrong: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Where two gradients differ by more than rounding (the wrong loop sums in another order), bool."""
    return ~np.isclose(wrong, right, rtol=1e-12, atol=1e-12)


@cached_resource(max_entries=32)
def planted_dx(params: PoolingParams, _run: PoolingRun, planted: str) -> np.ndarray:
    """∂L/∂X of the page's map and upstream gradient with the mistake planted, (H, W)."""
    r = _run
    _, cache = pool2d_forward(r.x[None, None], r.size, r.stride, r.mode, r.padding)
    return mistake(planted).wrong(r.dy[None, None], cache)[0, 0]


@cached_resource(max_entries=32)
def _difference_spec(
    params: PoolingParams,
    planted: str,
    presentation: bool,
    titles: tuple[str, ...],
    labels: DifferenceLabels,
    _run: PoolingRun,
):
    """Right, planted and their difference, side by side (the same on every rerun: nothing restarts)."""
    wrong = planted_dx(params, _run, planted)
    difference = np.where(differs(wrong, _run.dx), wrong - _run.dx, 0.0)  # no faint colour for rounding
    panels = list(zip(titles, (_run.dx, wrong, difference)))
    # The right and the planted ∂L/∂X on one scale, so that equal colours mean equal numbers.
    both = float(max(np.abs(_run.dx).max(initial=0.0), np.abs(wrong).max(initial=0.0)))
    figure = difference_figure(panels, labels, floors=(both, both, 0.0), presentation=presentation)
    return prebuilt_figure(figure)
