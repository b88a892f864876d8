"""Transposed convolution page: each input cell stamps the scaled kernel onto the output; the same output as
a zero-inserted convolution with the rotated kernel, and as a convolution's backward pass (dX = Cᵀδ)."""

import streamlit as st

import engine.transposed as transposed
from engine.transposed_trace import cell_terms
from ui.common.controls import cell_picker, result_or_last_good
from ui.common.display import math_block, section, show_figure, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.transposed import state
from ui.transposed.compute import (
    compute,
    differences,
    figure_labels,
    figures,
    overlap_sentence,
    zero_insert_captions,
)
from ui.transposed.controls import TransposedParams, transposed_controls
from viz.transposed_tex import cell_latex, general_latex, size_latex

GOOD_KEY = "transposed.last_good"

frame("transposed", state.SETTINGS)
presentation = st.session_state["presentation"]
# In presentation mode the animation comes first, under the title; the controls follow it.
first = st.container()
if not presentation:
    st.markdown(t("transposed.intro"))
with st.container(border=True):
    params = transposed_controls()
params, run = result_or_last_good(
    compute, params, key=GOOD_KEY, default=TransposedParams(), kept=t("transposed.kept")
)
animation, zero_figure, counts_figure = figures(params, figure_labels(), presentation)
g = run.geometry
(H, W), (K, _), (H_out, W_out) = g.in_size, g.kernel, g.out_size
zero_error, backward_error = differences(run)

with first if presentation else st.container():
    if not presentation:
        section(t("transposed.size_header"))
        math_block(t("transposed.size_lead"), size_latex(g))
        section(t("transposed.stamp_header"))
        st.caption(t("transposed.stamp_caption"))
    alt = t("transposed.stamp_alt", cells=H * W, K=K, s=g.stride[0], H_out=H_out, W_out=W_out)
    show_figure(animation, alt=alt, key="transposed.stamp_fig")
if presentation:
    math_block(t("transposed.size_lead"), size_latex(g))
    st.markdown(t("transposed.intro"))

section(t("transposed.zero_header"))
for sentence in zero_insert_captions(run):
    st.caption(sentence)
show_figure(zero_figure, alt=t("transposed.zero_alt"), key="transposed.zero_fig")
st.caption(t("transposed.same", error=zero_error))

section(t("transposed.counts_header"), overlap_sentence(run))
show_figure(
    counts_figure, alt=t("transposed.counts_alt", H_out=H_out, W_out=W_out), key="transposed.counts_fig"
)

section(t("transposed.cell_header"))
picker, formulas = st.columns([1.3, 3], gap="large")
with picker:
    u, v = cell_picker(
        "transposed", (H_out, W_out), (2, 2), (t("transposed.cell_row"), t("transposed.cell_col"))
    )
with formulas:
    terms = cell_terms(run, u, v)
    math_block(t("transposed.general"), [general_latex()])
    math_block(t("transposed.this_cell", u=u, v=v), cell_latex(terms, u, v, run.y[u, v]))
    if not terms:
        st.caption(t("transposed.no_stamp"))

section(t("transposed.backward_header"))
st.markdown(t("transposed.backward", s=g.stride[0], p=g.padding[0], d=g.dilation[0], error=backward_error))
show_source(
    transposed._stamp_cells,
    transposed._stamp_taps,
    transposed.zero_insert_view,
    title=t("transposed.source_code"),
)
