"""The backward page's closer looks below the heatmaps: step by step, the row-by-row sweep, scatter and
gather, the gradient check and learning the kernel. The page shows one (`VIEWS`, by the ids of
ui.backward.state.VIEWS); each takes the page's `Problem` (ui/backward/sections.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.descent import Descent, descend
from engine.gather import gather_terms
from ui.backward import explain as tex
from ui.backward import labels as words
from ui.backward import mistakes, predict
from ui.backward import tour as backward_tour
from ui.backward.compute import (
    animation_spec,
    check_limit,
    check_spec,
    gather_of,
    gather_spec,
    overlap_spec,
    run_check,
    stable_lr,
    sweep_spec,
    target_for,
)
from ui.backward.controls import check_controls, descent_controls, pixel_controls, target_title
from ui.backward.sections import (
    Problem,
    current_region,
    figure_view,
    header,
    lead,
    presentation,
)
from ui.common import tour
from ui.common.controls import clicker_hint
from ui.common.display import math_block, show_figure
from ui.common.exports import export_panel
from ui.common.i18n import join_sentences, t
from ui.common.links import sync_url
from ui.conv.view import (
    clicked_cell,
    crop_size_control,
    focus_step,
    rerun_fragment,
    step_buttons,
    step_layout,
)
from viz.backward import descent_figure
from viz.gif import backward_trace_gif
from viz.numbers import figure_number

# --- 4. step by step, 5. the whole image ----------------------------------------------------------------


@st.fragment
def step_by_step(p: Problem) -> None:
    """The animated backward pass over the crop, its step controls, the tour and the step's arithmetic.

    On a projector it opens the page, under the title: the figure first, its step buttons in one row below.
    """
    if tour.needs_page_rerun():
        st.rerun()  # the tour moved the crop or the view: the whole page follows
    projecting = presentation()
    if not projecting:
        header("backward.step_header", "backward.step_lead")
    # On a projector the steps open the page whatever view is chosen: a tour in another view is drawn
    # there, below, without a note above the figure.
    tour_here = backward_tour.lives_here("steps") if projecting else backward_tour.shown_here("steps")
    tour_open = tour_here and bool(tour.open_step(backward_tour.PAGE))
    if projecting:  # no crop control on a projector: the crop is as large as its numbers allow
        layout = step_layout(True, pick=False, tour_open=tour_open)
        steps_box, tour_box, figure_box = layout.steps, layout.tour, layout.figure
    else:
        crop_box, steps_box = st.columns([1, 2])
        tour_box, figure_box = st.container(), st.container()
        crop_size_control(crop_box)
    region = current_region(p)
    focus_step(region)
    tour.move_to_cell(
        backward_tour.PAGE,
        backward_tour.BACKWARD_STEPS,
        region,
        backward_tour.delta_magnitude(p),
        "conv.step",
    )
    state = st.session_state
    names = words.channel_names(p.setup.image.shape[0])
    labels = words.animation_labels(names[p.c])
    start = state["conv.step"]
    trace, spec = animation_spec(
        p.key, p.choice, p.f, p.c, region, start, *figure_view(), p.setup, p.run, labels
    )
    keys = not tour.open_step(backward_tour.PAGE)
    if projecting:  # a projector's row: the clicker's hint goes under it
        step_buttons(len(trace.steps), keys=keys, places=steps_box)
        clicker_hint()
    else:
        with steps_box:
            step_buttons(len(trace.steps), keys=keys)
    step = trace.steps[min(state["conv.step"], len(trace.steps) - 1)]
    if tour_here and tour_box is not None:
        with tour_box:
            backward_tour.backward_tour(backward_tour.step_values(p, trace, step))
    with figure_box:
        event = show_figure(
            spec,
            alt=t("backward.alt_animation"),
            key=f"backward.chart.anim.{region}.{p.f}",
            on_select="rerun",
            selection_mode="points",
        )
    lead(t("backward.step_click"), caption=True)
    if clicked_cell(event, trace.region, "backward.chart.anim"):
        rerun_fragment()
    with st.container(border=True):
        math_block(
            t("backward.step_explain", i=step.i, j=step.j), tex.step_tex(step, trace.kernel, p.c, names[p.c])
        )
    predict.next_dw(trace, min(state["conv.step"], len(trace.steps) - 1), p.key, p.f, p.c)
    if tour_here and tour_box is None:  # a projector's open tour: below the figure and the arithmetic
        backward_tour.backward_tour(backward_tour.step_values(p, trace, step))
    sync_url("backward")  # a rerun of this fragment alone (a step button) changes the link too
    if not projecting:  # on a projector: the figure, the steps and the formulas; no downloads
        export_panel("backward", export_arrays(p, step), gif=lambda: backward_trace_gif(trace))


def export_arrays(p: Problem, step) -> dict[str, np.ndarray]:
    """What the downloads hold: the step's window and kernel, and the layer's A, δ, dW, db and dX.

    Shapes: window and kernel (C, KH, KW); output and delta (H_out, W_out) of the kernel shown; dW
    (C, KH, KW) of that kernel; db (F,); dX (C, H, W).
    """
    g, f = p.run.grads, p.f
    return {
        "window": step.window,
        "kernel": p.setup.kernels[f],
        "output": g.a[f],
        "delta": g.delta[f],
        "dW": g.dw[f],
        "db": g.db,
        "dX": g.dx,
    }


def sweep_section(p: Problem) -> None:
    backward_tour.shown_here("sweep")
    header("backward.sweep_header", "backward.sweep_lead")
    names = words.channel_names(p.setup.image.shape[0])
    labels = words.sweep_labels(p.f + 1, names[p.c])
    spec = sweep_spec(p.key, p.choice, p.f, p.c, *figure_view(), p.setup, p.run, labels)
    show_figure(spec, alt=t("backward.alt_sweep"), key="backward.chart.sweep")


# --- 6. why dX is a convolution -------------------------------------------------------------------------


def gather_section(p: Problem) -> None:
    """Scatter and gather side by side, the proof that they agree, one pixel's sum, the overlap counts."""
    header("backward.gather_header", "backward.gather_lead")
    if backward_tour.shown_here("gather") and tour.open_step(backward_tour.PAGE):
        backward_tour.backward_tour(backward_tour.gather_values(p))
    g, C = p.run.grads.geometry, p.setup.image.shape[0]
    result = gather_of(p.key, p.choice, p.f, p.setup, p.run)
    titles = words.gather_titles(result.view, p.c, C, g.pad_mode)
    spec = gather_spec(p.key, p.choice, p.f, p.c, *figure_view(), result, titles)
    show_figure(spec, alt=t("backward.alt_gather"), key="backward.chart.gather")
    st.success(
        t("backward.gather_equal", gap=f"{result.gap:.1e}", total=f"{result.gap_total:.1e}"), icon="✅"
    )
    padded = any(any(side) for side in g.padding)
    if padded:
        st.markdown(
            t(
                "backward.border_zeros" if g.pad_mode == "zeros" else "backward.border_fold",
                mode=t(f"conv.pad_mode.{g.pad_mode}"),
            )
        )
    st.markdown(f"**{t('backward.pixel_header')}**")
    u, v = pixel_controls(g.in_size)
    (top, _), (left, _) = g.padding
    view = result.view
    terms = gather_terms(view.delta, p.setup.kernels[p.f : p.f + 1], g, p.c, u + top, v + left)
    st.latex(tex.gather_tex(terms, p.c, u + top, v + left, view.dx_pad[p.c, u + top, v + left], False))
    folded = view.folded[p.c, u, v]
    st.caption(
        t(
            "backward.pixel_note",
            u=u,
            v=v,
            top=top,
            left=left,
            value=figure_number(view.dx[p.c, u, v]),
            folded=figure_number(folded),
        )
        if folded
        else t("backward.pixel_same", u=u, v=v, top=top, left=left)
    )
    overlap_section(p)


def overlap_section(p: Problem) -> None:
    g = p.run.grads.geometry
    st.markdown(f"**{t('backward.overlap_header')}**")
    title = t("backward.fig.overlap", shape="×".join(map(str, g.in_size)))
    counts, spec = overlap_spec(g, *figure_view(), title, t("backward.fig.overlap_bar"))
    inside = counts[
        g.padding[0][0] : g.padding[0][0] + g.in_size[0], g.padding[1][0] : g.padding[1][0] + g.in_size[1]
    ]
    lead = "backward.overlap_uneven" if g.stride != (1, 1) else "backward.overlap_even"
    figure, words_column = st.columns([3, 2], gap="medium")
    with figure:
        show_figure(spec, alt=t("backward.alt_overlap"), key="backward.chart.overlap")
    taps = g.kernel[0] * g.kernel[1]
    words_column.markdown(t(lead, low=int(inside.min()), high=int(inside.max()), taps=taps))


# --- 7. gradient check ----------------------------------------------------------------------------------


def check_section(p: Problem) -> None:
    """Analytic against central differences on sampled entries of dW, db and dX."""
    backward_tour.shown_here("check")
    header("backward.check_header", "backward.check_lead")
    planted = mistakes.mistake_controls(p)  # NONE: the engine's own backward pass
    settings, pressed = check_controls()
    state, wanted = st.session_state, (p.key, p.choice, settings, planted)
    if pressed or mistakes.follows_the_last_check(state.get("backward.check_for"), wanted):
        state["backward.check_for"] = wanted
    if state.get("backward.check_for") != wanted:
        st.caption(t("backward.check_press"))
        return
    with st.spinner(t("backward.check_running")):
        check = run_check(p.key, p.choice, settings, p.setup, p.run, mistake=planted)
    _check_summary(check, p, settings, planted)
    mistakes.mistake_report(p, check, planted)
    labels = words.check_labels()
    spec = check_spec(p.key, p.choice, settings, *figure_view(), check, labels, mistake=planted)
    show_figure(spec, alt=t("backward.alt_check"), key="backward.chart.check")
    table = pd.DataFrame(
        {
            t("backward.col.array"): [f"d{a}" for a in check.arrays],
            t("backward.col.index"): [str(i) for i in check.indices],
            t("backward.col.analytic"): check.analytic,
            t("backward.col.numeric"): check.numeric,
            t("backward.col.error"): check.errors,
            t("backward.col.kink"): check.kinks,
        }
    )
    number = st.column_config.NumberColumn(format="%.10g")
    config = {
        t("backward.col.analytic"): number,
        t("backward.col.numeric"): number,
        t("backward.col.error"): st.column_config.NumberColumn(format="%.2e"),
    }
    st.dataframe(table, hide_index=True, column_config=config, height=280)


def _check_summary(check, p: Problem, settings, planted: str = mistakes.NONE) -> None:
    smooth = int((~check.kinks).sum())
    counts = {a: check.arrays.count(a) for a in ("W", "b", "X")}
    checked = t(
        "backward.check_counts",
        w=counts["W"],
        w_all=check.totals["W"],
        b=counts["b"],
        b_all=check.totals["b"],
        x=counts["X"],
        x_all=check.totals["X"],
    )
    st.markdown(checked)
    if smooth == 0:
        st.warning(t("backward.check_all_kinks"), icon="⚠️")
    else:
        good = check.worst <= 1e-7
        line = t(
            "backward.check_result", worst=f"{check.worst:.1e}", overall=f"{check.overall:.1e}", n=smooth
        )
        (st.success if good else st.warning)(
            join_sentences(line, t("backward.check_good" if good else mistakes.failed_check_key(planted))),
            icon="✅" if good else "⚠️",
        )
    if check.kinks.any():
        st.info(t("backward.check_kinks", n=int(check.kinks.sum())), icon="ℹ️")
    if check_limit(p.setup, p.run.grads.geometry, settings.limit) < settings.limit:
        st.caption(t("backward.check_sampled"))


# --- 8. learn the kernel --------------------------------------------------------------------------------


def _joined(before: Descent | None, after: Descent) -> Descent:
    """Two runs of descent one after the other (the second starts where the first ended)."""
    if before is None:
        return after
    return Descent(
        np.concatenate([before.losses, after.losses[1:]]),
        np.concatenate([before.kernels, after.kernels[1:]]),
        np.concatenate([before.biases, after.biases[1:]]),
        before.diverged or after.diverged,
    )


def learn_section(p: Problem) -> None:
    """Gradient descent on the MSE-to-target loss: step once or run N steps; the loss and kernel converge."""
    backward_tour.shown_here("learn")
    st.header(t("backward.learn_header"))
    s, g, state = p.setup, p.run.grads, st.session_state
    target_name = state["backward.target"]
    lead(t("backward.learn_lead", target=target_title(target_name)))
    w_target, target = target_for(p.key, target_name, s)
    settings, action = descent_controls(stable_lr(p.key, s, g.geometry))
    owner = (p.key, target_name)
    stored = state.get("backward.descent")
    history = stored["descent"] if stored and stored["owner"] == owner else None
    if action == "reset":
        history = None
    if action in ("step", "run") and not (history is not None and history.diverged):
        history = _joined(
            history, _descend(p, history, target, settings, 1 if action == "step" else settings.steps)
        )
    state["backward.descent"] = {"owner": owner, "descent": history} if history is not None else None
    if history is None:
        st.caption(t("backward.learn_start"))
        return
    _learn_summary(history, w_target)
    spec = descent_figure(history, w_target, words.descent_labels(), kernel=p.f, presentation=presentation())
    show_figure(spec, alt=t("backward.alt_learn"), key="backward.chart.learn")


def _descend(p: Problem, history: Descent | None, target: np.ndarray, settings, steps: int) -> Descent:
    s = p.setup
    w, b = (s.kernels, s.biases) if history is None else (history.kernels[-1], history.biases[-1])
    bar = st.progress(0.0, text=t("backward.learn_running", n=0, total=steps))

    def progress(n: int, loss: float) -> None:
        bar.progress(
            n / steps, text=t("backward.learn_running", n=n, total=steps) + f" · L = {figure_number(loss)}"
        )

    result = descend(s.image, w, b, target, s.activation, settings.lr, steps, on_step=progress, **s.hyper)
    bar.empty()
    return result


def _learn_summary(history: Descent, w_target: np.ndarray) -> None:
    n = len(history.losses) - 1
    gap = float(np.max(np.abs(history.kernels[-1] - w_target)))
    start = float(np.max(np.abs(history.kernels[0] - w_target)))
    st.markdown(
        t(
            "backward.learn_result",
            n=n,
            first=figure_number(history.losses[0]),
            last=figure_number(history.losses[-1]),
            start=figure_number(start),
            gap=figure_number(gap),
        )
    )
    if history.diverged:
        st.error(t("backward.learn_diverged"), icon="💥")


# The closer looks below the heatmaps, by the ids of ui.backward.state.VIEWS: the page shows one.
VIEWS = {
    "steps": step_by_step,
    "sweep": sweep_section,
    "gather": gather_section,
    "check": check_section,
    "learn": learn_section,
}
