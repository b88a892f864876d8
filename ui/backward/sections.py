"""The backward page's sections 1–3 (the loss, δ, the gradients) and what every section shares; the closer
looks below them (step by step, the sweep, gather, the check, learning) are in ui/backward/closer.py. Each
reads its widgets, calls a cached function and draws the figure and the formulas with the current numbers.

`Problem` carries what every section needs: the setup from the shared sidebar, the cache key, the loss
choice and the backward pass computed for it.
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from engine.geometry import pad_input, tap_slices
from engine.snippets import LossCode
from engine.trace import strongest_cell
from ui.backward import explain as tex
from ui.backward import labels as words
from ui.backward.compute import (
    BackwardPass,
    chain_spec,
    input_spec,
    target_for,
    weights_spec,
)
from ui.backward.controls import LossChoice
from ui.common.display import math_block, section, show_figure
from ui.common.i18n import current_language, t
from ui.common.state import set_before_rerun
from ui.conv.code import code_panel, layer_code
from ui.conv.compute import crop_region
from ui.conv.controls import ConvSetup
from ui.conv.view import clicked_cell, crop_side
from viz.backward import max_backward_steps
from viz.backward.animation import projector_crop_side


class Problem(NamedTuple):
    setup: ConvSetup
    key: tuple
    choice: LossChoice
    run: BackwardPass
    f: int  # the kernel shown
    c: int  # the channel of dX shown


def presentation() -> bool:
    return bool(st.session_state["presentation"])


def lead(text: str, caption: bool = False) -> None:
    """A section's explanation, or a hint under a figure: left out in presentation mode, where the
    lecturer says it and the room sees the figures and formulas larger."""
    if not presentation():
        (st.caption if caption else st.markdown)(text)


def header(title_key: str, lead_key: str) -> None:
    """A section's heading with its explanation (left out in presentation mode, as `lead` is)."""
    section(t(title_key), None if presentation() else t(lead_key))


def figure_view() -> tuple[str, bool]:
    """What every figure's words and sizes depend on besides the data: (language, presentation)."""
    return current_language(), presentation()


def shapes_line(p: Problem) -> None:
    """Every array's shape, in one sentence: each gradient has the shape of what it belongs to."""
    F, C, KH, KW = p.setup.kernels.shape
    (H, W), (H_out, W_out) = p.run.grads.geometry.in_size, p.run.grads.geometry.out_size
    st.markdown(t("backward.shapes", C=C, H=H, W=W, F=F, KH=KH, KW=KW, H_out=H_out, W_out=W_out))


def current_region(p: Problem) -> tuple[int, int, int, int]:
    """The output cells the step-by-step view animates (the crop is shared with the forward page)."""
    g, state = p.run.grads.geometry, st.session_state
    limit = max_backward_steps(p.setup.image.shape[0], g.kernel, g.stride, g.dilation)
    focus = strongest_cell(p.run.grads.delta[p.f], g)  # the largest |δ|, where no crop was chosen
    return crop_region(g.out_size, state["conv.crop_i"], state["conv.crop_j"], _side(p), limit, focus)


def _side(p: Problem) -> int:
    """The animated crop's side (on a projector: as large as its numbers allow)."""
    g = p.run.grads.geometry
    return crop_side(projector_crop_side(g.kernel, g.stride, g.dilation))


# --- 1. the loss, 2. δ ----------------------------------------------------------------------------------


def _pick_cell(event, source: str, side: int) -> None:
    """A click on an output cell: the one-hot loss moves there and the animated crop follows it."""
    state = st.session_state
    if clicked_cell(event, None, source, crop_side=side):
        i, j = state["conv.focus"]
        set_before_rerun({"backward.cell_i": i, "backward.cell_j": j})  # their inputs are drawn above


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
    spec = chain_spec(p.key, p.choice, p.f, part, cell, region, *figure_view(), p.run, titles, hint, constant)
    event = show_figure(
        spec,
        alt=t(f"backward.alt_{part}"),
        key=f"backward.chart.{part}",
        on_select="rerun",
        selection_mode="points",
    )
    _pick_cell(event, f"backward.chart.{part}", _side(p))


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
    spec = weights_spec(p.key, p.choice, *figure_view(), p.run, dw_titles, db_titles)
    show_figure(spec, alt=t("backward.alt_weights"), key="backward.chart.weights")
    C, H, W = s.image.shape
    titles = words.input_titles(C, H, W)
    spec = input_spec(p.key, p.choice, *figure_view(), s, p.run, titles, t("backward.fig.gradient"))
    show_figure(spec, alt=t("backward.alt_dx"), key="backward.chart.dx")
    with contextlib.suppress(StreamlitPageNotFoundError):  # a page run alone (AppTest) has no pages to link
        st.page_link("pages/transposed.py", label=t("backward.dx_transposed"), icon="🔼")
    with st.container(border=True):
        math_block(f"**{t('backward.formulas')}**", tex.backward_formulas_tex())
        lead(t("backward.formulas_note"), caption=True)
        f = p.f
        x_pad = pad_input(s.image, g.geometry.padding, g.geometry.pad_mode)
        taps = x_pad[(0, *tap_slices(g.geometry, 0, 0))]
        db = tex.db_tex(f, g.delta[f], g.db[f])
        math_block(None, (db, tex.dw_entry_tex(f, 0, 0, 0, g.delta[f], taps, g.dw[f, 0, 0, 0])))


def code_for_this_page(p: Problem) -> None:
    """The code that gives the page's L, δ, dX, dW and db, in NumPy with the engine and in PyTorch with
    backward() (a closed expander below the views, in presentation mode too: it pushes no picture down)."""
    layer = layer_code(p.setup, p.run.grads.geometry)
    code_panel("backward", t("backward.code"), layer, p.setup.image, loss_code(p))


def loss_code(p: Problem) -> LossCode:
    """The page's loss for the snippets: MSE with the target's kernels (the map is remade from them)."""
    if p.choice.kind == "mse":
        return LossCode("mse", target_w=target_for(p.key, p.choice.target, p.setup)[0])
    if p.choice.kind == "impulse":
        return LossCode("impulse", cell=p.choice.cell)
    return LossCode("sum")
