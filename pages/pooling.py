"""Pooling page: max and average pooling on a small map, the window sliding, the gradient routed back."""

from contextlib import nullcontext

import streamlit as st

import engine.pool as pool
from ui.common.controls import cell_picker, clicker_hint, result_or_last_good
from ui.common.display import math_block, show_figure, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.pooling.compute import compute, figure_labels, figures
from ui.pooling.controls import PoolingParams, pooling_controls
from ui.pooling.mistakes import mistake_section
from ui.pooling.predict import where_the_gradient_goes
from viz.pooling_tex import cell_latex, general_latex

GOOD_KEY = "pooling.last_good"


frame("pooling")
presentation = st.session_state.get("presentation", False)
if not presentation:
    st.markdown(t("pooling.intro"))
# On a projector the sliding window opens the page, under its title; the controls follow it.
opening = st.container() if presentation else nullcontext()
with st.container(border=True):
    params = pooling_controls()
params, run = result_or_last_good(
    compute, params, key=GOOD_KEY, default=PoolingParams(), kept=t("pooling.kept")
)

forward_spec, routing_spec = figures(params, figure_labels(), presentation)
mode_name, K, s = t(f"pooling.mode.{params.mode}"), params.size, params.stride
(H, W), (H_out, W_out) = run.x.shape, run.y.shape
# With predictions on, the question comes before the figures that answer it (on a projector, under the
# opening figure: the room sees the window, the lecturer reveals).
where_the_gradient_goes(run, repr(params))
with opening:
    if not presentation:
        st.caption(t("pooling.sizes", H=H, W=W, H_out=H_out, W_out=W_out, steps=H_out * W_out))
        st.header(t("pooling.forward_header"))
        st.caption(t(f"pooling.forward_caption.{params.mode}"))
    forward_alt = t("pooling.forward_alt", mode=mode_name, K=K, s=s)
    show_figure(forward_spec, alt=forward_alt, key="pooling.forward_fig")
    clicker_hint(play=True)
if presentation:
    st.caption(t("pooling.sizes", H=H, W=W, H_out=H_out, W_out=W_out, steps=H_out * W_out))

st.header(t("pooling.backward_header"))
st.markdown(t(f"pooling.backward_caption.{params.mode}"))
if params.mode == "max":
    st.info(t("pooling.ties"), icon="⚖️")
show_figure(routing_spec, alt=t("pooling.backward_alt", mode=mode_name), key="pooling.routing_fig")
mistake_section(params, run, presentation)  # "Introduce a mistake": below the figures it changes

st.header(t("pooling.cell_header"))
picker, formulas = st.columns([1.3, 3], gap="large")
with picker:
    i, j = cell_picker("pooling", (H_out, W_out), (0, 1), (t("pooling.cell_row"), t("pooling.cell_col")))
with formulas:
    math_block(t(f"pooling.general.{params.mode}"), general_latex(params.mode))
    math_block(t("pooling.this_cell", i=i, j=j), cell_latex(run, i, j))

show_source(pool._forward_reference, pool._backward_reference, title=t("pooling.source_code"))
