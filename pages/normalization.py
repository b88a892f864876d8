"""Normalization page: batch norm forward and backward (checked), a split layer and a concatenation layer."""

import streamlit as st

import engine.norm as norm
from engine.norm_views import batchnorm_entry
from ui.common.controls import result_or_last_good
from ui.common.display import markdown_table, show_figure, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.normalization.compute import batchnorm_figures, compute, compute_concat, concat_figures, split_figure
from ui.normalization.controls import (
    NormParams,
    check_metrics,
    concat_controls,
    entry_picker,
    normalization_controls,
    stats_table,
)
from viz.norm import (
    batchnorm_backward_latex,
    batchnorm_forward_latex,
    concat_latex,
    split_latex,
)

GOOD_KEY = "normalization.last_good"


frame("normalization")
st.markdown(t("normalization.intro"))
st.header(t("normalization.bn_header"))
with st.container(border=True):
    params = normalization_controls()
params, run = result_or_last_good(
    compute, params, key=GOOD_KEY, default=NormParams(), kept=t("normalization.kept")
)

presentation = st.session_state.get("presentation", False)
bn_words = tuple(t(f"normalization.{word}") for word in ("x", "x_hat", "y", "dy", "dx", "example", "channel"))
forward_fig, backward_fig = batchnorm_figures(params, bn_words, presentation)
st.markdown(t("normalization.bn_text"))
st.markdown(markdown_table(stats_table(run)))
st.subheader(t("normalization.forward_header"))
show_figure(forward_fig, alt=t("normalization.forward_alt"), key="normalization.forward")
st.subheader(t("normalization.backward_header"))
show_figure(backward_fig, alt=t("normalization.backward_alt"), key="normalization.backward")
check_metrics(run.errors)

st.subheader(t("normalization.formulas_header"))
st.markdown(t("normalization.formulas_text"))
entry = batchnorm_entry(run, *entry_picker(run.x.shape))
for line in (*batchnorm_forward_latex(entry), *batchnorm_backward_latex(entry)):
    st.latex(line)
show_source(norm.batchnorm_forward, norm.batchnorm_backward, title=t("normalization.bn_source"))

split_words = tuple(t(f"normalization.{word}") for word in ("split_x", "copy", "split_dx", "branch"))
st.header(t("normalization.split_header"))
st.markdown(t("normalization.split_text"))
show_figure(
    split_figure(params, split_words, presentation),
    alt=t("normalization.split_alt"),
    key="normalization.split",
)
st.latex(split_latex(run.split_grads[0][0, 0], run.split_grads[1][0, 0], run.split_dx[0, 0], (0, 0)))
show_source(norm.split_forward, norm.split_backward, title=t("normalization.split_source"))

st.header(t("normalization.concat_header"))
st.markdown(t("normalization.concat_text"))
with st.container(border=True):
    C1, C2, concat_seed = concat_controls()
concat = compute_concat(C1, C2, concat_seed)
concat_forward_fig, concat_backward_fig = concat_figures(
    C1, C2, concat_seed, t("normalization.channel"), presentation
)
show_figure(concat_forward_fig, alt=t("normalization.concat_alt"), key="normalization.concat_forward")
st.markdown(t("normalization.concat_back_text"))
show_figure(concat_backward_fig, alt=t("normalization.concat_back_alt"), key="normalization.concat_backward")
st.latex(concat_latex(concat.a.shape[0], concat.b.shape[0]))
show_source(norm.concat_forward, norm.concat_backward, title=t("normalization.concat_source"))
