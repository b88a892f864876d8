"""The sections of the backward page, top to bottom; each reads its widgets, calls a cached function and
draws the figure and the formulas with the current numbers.

`Problem` carries what every section needs: the setup from the shared sidebar, the cache key, the loss
choice and the backward pass computed for it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from engine.descent import Descent, descend
from engine.gather import gather_terms
from engine.geometry import pad_input, tap_slices
from ui.backward import explain as tex
from ui.backward import labels as words
from ui.backward import tour as backward_tour
from ui.backward.compute import (
    BackwardPass,
    animation_spec,
    chain_spec,
    check_limit,
    check_spec,
    gather_of,
    gather_spec,
    input_spec,
    overlap_spec,
    run_check,
    stable_lr,
    sweep_spec,
    target_for,
    weights_spec,
)
from ui.backward.controls import LossChoice, check_controls, descent_controls, pixel_controls, target_title
from ui.common import tour
from ui.common.display import math_block, section, show_figure
from ui.common.exports import export_panel
from ui.common.i18n import current_language, join_sentences, t
from ui.common.links import sync_url
from ui.conv.compute import crop_region
from ui.conv.controls import ConvSetup
from ui.conv.view import clicked_cell, crop_size_control, focus_step, step_buttons
from viz.backward import descent_figure, max_backward_steps
from viz.gif import backward_trace_gif
from viz.numbers import figure_number


class Problem(NamedTuple):
    setup: ConvSetup
    key: tuple
    choice: LossChoice
    run: BackwardPass
    f: int  # the kernel shown
    c: int  # the channel of dX shown


def _presentation() -> bool:
    return bool(st.session_state["presentation"])


def lead(text: str, caption: bool = False) -> None:
    """A section's explanation, or a hint under a figure: left out in presentation mode, where the
    lecturer says it and the room sees the figures and formulas larger."""
    if not _presentation():
        (st.caption if caption else st.markdown)(text)


def header(title_key: str, lead_key: str) -> None:
    """A section's heading with its explanation (left out in presentation mode, as `lead` is)."""
    section(t(title_key), None if _presentation() else t(lead_key))


def _view() -> tuple[str, bool]:
    """What every figure's words and sizes depend on besides the data: (language, presentation)."""
    return current_language(), _presentation()


def shapes_line(p: Problem) -> None:
    """Every array's shape, in one sentence: each gradient has the shape of what it belongs to."""
    F, C, KH, KW = p.setup.kernels.shape
    (H, W), (H_out, W_out) = p.run.grads.geometry.in_size, p.run.grads.geometry.out_size
    st.markdown(t("backward.shapes", C=C, H=H, W=W, F=F, KH=KH, KW=KW, H_out=H_out, W_out=W_out))


def current_region(p: Problem) -> tuple[int, int, int, int]:
    """The output cells the step-by-step view animates (the crop is shared with the forward page)."""
    g, state = p.run.grads.geometry, st.session_state
    limit = max_backward_steps(p.setup.image.shape[0], g.kernel, g.stride, g.dilation)
    return crop_region(g.out_size, state["conv.crop_i"], state["conv.crop_j"], state["conv.crop_size"], limit)


# --- 1. the loss, 2. δ ----------------------------------------------------------------------------------


def _pick_cell(event, source: str) -> None:
    """A click on an output cell: the one-hot loss moves there and the animated crop follows it."""
    state = st.session_state
    if clicked_cell(event, None, source, crop_side=state["conv.crop_size"]):
        state["backward.cell_i"], state["backward.cell_j"] = state["conv.focus"]
        st.rerun()


def explained_cell(p: Problem) -> tuple[int, int]:
    """The output cell whose δ is written out: the one clicked or typed, else where |δ| is largest."""
    state, delta = st.session_state, p.run.grads.delta[p.f]
    i, j = state["backward.cell_i"], state["backward.cell_j"]
    if i < 0 or j < 0:
        return tuple(int(n) for n in np.unravel_index(np.argmax(np.abs(delta)), delta.shape))
    return min(i, delta.shape[0] - 1), min(j, delta.shape[1] - 1)


def _maps(p: Problem, part: str, titles: tuple[str, ...], region) -> None:
    """The maps of one part of the chain (see backward_compute.chain_spec), clickable."""
    cell = explained_cell(p)
    hint, constant = t("backward.fig.click"), t("backward.fig.constant")
    spec = chain_spec(p.key, p.choice, p.f, part, cell, region, *_view(), p.run, titles, hint, constant)
    event = show_figure(
        spec,
        alt=t(f"backward.alt_{part}"),
        key=f"backward.chart.{part}",
        on_select="rerun",
        selection_mode="points",
    )
    _pick_cell(event, f"backward.chart.{part}")


def loss_summary(p: Problem) -> None:
    """The loss with its value, and the maps it is computed from (A, and T for MSE)."""
    g = p.run.grads
    st.latex(tex.loss_tex(p.choice.kind, g.loss, float(np.abs(g.a).sum()), g.a.size, p.choice.cell))
    titles = words.loss_titles(g.geometry.out_size, p.setup.activation, p.run.target is not None)
    _maps(p, "loss", titles, None)


def delta_section(p: Problem) -> None:
    """∂L/∂A ⊙ σ'(Z) = δ of the kernel shown; a click picks the output cell (and moves the crop)."""
    header("backward.delta_header", "backward.delta_lead")
    g, f = p.run.grads, p.f
    _maps(p, "delta", words.chain_titles(g.geometry.out_size), current_region(p))
    lead(t("backward.chain_click"), caption=True)
    st.latex(tex.delta_general_tex(p.setup.activation))
    i, j = cell = explained_cell(p)
    st.latex(tex.delta_tex(cell, g.da[f, i, j], g.z[f, i, j], g.dsigma[f, i, j], g.delta[f, i, j]))


# --- 3. the gradients -----------------------------------------------------------------------------------


def gradients_section(p: Problem) -> None:
    """dW and db per kernel, dX per channel, and FORMULAS.md §2 with numbers."""
    header("backward.gradients_header", "backward.gradients_lead")
    g, s = p.run.grads, p.setup
    dw_titles, db_titles = words.weight_titles(s.kernels.shape)
    spec = weights_spec(p.key, p.choice, *_view(), p.run, dw_titles, db_titles)
    show_figure(spec, alt=t("backward.alt_weights"), key="backward.chart.weights")
    C, H, W = s.image.shape
    titles = words.input_titles(C, H, W)
    spec = input_spec(p.key, p.choice, *_view(), s, p.run, titles, t("backward.fig.gradient"))
    show_figure(spec, alt=t("backward.alt_dx"), key="backward.chart.dx")
    with st.container(border=True):
        math_block(f"**{t('backward.formulas')}**", tex.backward_formulas_tex())
        lead(t("backward.formulas_note"), caption=True)
        f = p.f
        x_pad = pad_input(s.image, g.geometry.padding, g.geometry.pad_mode)
        taps = x_pad[(0, *tap_slices(g.geometry, 0, 0))]
        db = tex.db_tex(f, g.delta[f], g.db[f])
        math_block(None, (db, tex.dw_entry_tex(f, 0, 0, 0, g.delta[f], taps, g.dw[f, 0, 0, 0])))


# --- 4. step by step, 5. the whole image ----------------------------------------------------------------


@st.fragment
def step_by_step(p: Problem) -> None:
    """The animated backward pass over the crop, its step controls, the tour and the step's arithmetic."""
    if tour.needs_page_rerun():
        st.rerun()  # the tour moved the crop or the view: the whole page follows
    header("backward.step_header", "backward.step_lead")
    tour_here = backward_tour.shown_here("steps")
    if _presentation():  # on a projector the tour's text sits beside the controls: the figure comes up
        tour_box, controls = st.columns([3, 2], gap="large")
        crop_box = steps_box = controls
    else:
        crop_box, steps_box = st.columns([1, 2])
        tour_box = st.container()
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
    trace, spec = animation_spec(p.key, p.choice, p.f, p.c, region, start, *_view(), p.setup, p.run, labels)
    with steps_box:
        step_buttons(len(trace.steps))
    step = trace.steps[min(state["conv.step"], len(trace.steps) - 1)]
    if tour_here:
        with tour_box:
            backward_tour.backward_tour(backward_tour.step_values(p, trace, step))
    event = show_figure(
        spec,
        alt=t("backward.alt_animation"),
        key=f"backward.chart.anim.{region}.{p.f}",
        on_select="rerun",
        selection_mode="points",
    )
    lead(t("backward.step_click"), caption=True)
    if clicked_cell(event, trace.region, "backward.chart.anim"):
        st.rerun(scope="fragment")
    with st.container(border=True):
        math_block(
            t("backward.step_explain", i=step.i, j=step.j), tex.step_tex(step, trace.kernel, p.c, names[p.c])
        )
    sync_url("backward")  # a rerun of this fragment alone (a step button) changes the link too
    if not _presentation():  # on a projector: the figure, the steps and the formulas; no downloads
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
    spec = sweep_spec(p.key, p.choice, p.f, p.c, *_view(), p.setup, p.run, labels)
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
    spec = gather_spec(p.key, p.choice, p.f, p.c, *_view(), result, titles)
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
    counts, spec = overlap_spec(g, *_view(), title, t("backward.fig.overlap_bar"))
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
    settings, pressed = check_controls()
    state, wanted = st.session_state, (p.key, p.choice, settings)
    if pressed:
        state["backward.check_for"] = wanted
    if state.get("backward.check_for") != wanted:
        st.caption(t("backward.check_press"))
        return
    with st.spinner(t("backward.check_running")):
        check = run_check(p.key, p.choice, settings, p.setup, p.run)
    _check_summary(check, p, settings)
    spec = check_spec(p.key, p.choice, settings, *_view(), check, words.check_labels())
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


def _check_summary(check, p: Problem, settings) -> None:
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
            join_sentences(line, t("backward.check_good" if good else "backward.check_bad")),
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
    st.subheader(t("backward.learn_header"))
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
    spec = descent_figure(history, w_target, words.descent_labels(), kernel=p.f, presentation=_presentation())
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
