"""Normalization page: batch norm forward and backward (checked), a split layer and a concatenation layer."""

import streamlit as st

import engine.norm as norm
from ui.common.controls import last_good, remember
from ui.common.display import show_figure, show_problem, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.normalization.controls import (
    ConcatRun,
    NormParams,
    NormRun,
    batchnorm_entry,
    check_metrics,
    concat_controls,
    entry_picker,
    normalization_controls,
    run_concat,
    run_normalization,
    stats_table,
)
from viz.animation import figure_spec
from viz.norm import (
    batchnorm_backward_latex,
    batchnorm_forward_latex,
    batchnorm_grids,
    concat_grids,
    concat_latex,
    maps_figure,
    split_grid,
    split_latex,
)

GOOD_KEY = "normalization.last_good"


# cache_resource, not cache_data: every session gets the one cached result instead of a pickled copy per
# rerun (server CPU of a normalization rerun 49 → 45 ms,
# benchmarks/bench_hall.py --every-page); the page only reads what these return.
@st.cache_resource(max_entries=64, show_spinner=False)
def compute(params: NormParams) -> NormRun:
    """Batch norm and split on seeded arrays (ValueError for settings the engine refuses)."""
    return run_normalization(params)


@st.cache_resource(max_entries=64, show_spinner=False)
def compute_concat(C1: int, C2: int, seed: int) -> ConcatRun:
    """The concatenation of a C1-channel and a C2-channel array, forward and backward."""
    return run_concat(C1, C2, seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def batchnorm_figures(params: NormParams, words: tuple[str, ...], presentation: bool) -> tuple[dict, dict]:
    """Forward (x, x̂, y) and backward (∂L/∂y, ∂L/∂x) maps: one row per example, one column per channel."""
    r = compute(params)
    forward, backward = batchnorm_grids(r.x, r.x_hat, r.y, r.dy, r.dx, words)
    rows = [f"{words[5]} {n + 1}" for n in range(r.x.shape[0])]
    return tuple(
        figure_spec(maps_figure(g, row_titles=rows, presentation=presentation)) for g in (forward, backward)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def split_figure(params: NormParams, words: tuple[str, ...], presentation: bool) -> dict:
    """The split: x and its two copies, then the gradient of each branch and their sum."""
    r = compute(params)
    return figure_spec(
        maps_figure(split_grid(r.split_x, r.split_grads, r.split_dx, words), presentation=presentation)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def concat_figures(C1: int, C2: int, seed: int, channel: str, presentation: bool) -> tuple[dict, dict]:
    """The concatenation forward (a and b, then y) and backward (∂L/∂y, then ∂L/∂a and ∂L/∂b)."""
    r = compute_concat(C1, C2, seed)
    grids = concat_grids(r.a, r.b, r.y, r.dy, r.da, r.db, channel)
    return tuple(figure_spec(maps_figure(g, presentation=presentation)) for g in grids)


frame("normalization")
st.markdown(t("normalization.intro"))
st.header(t("normalization.bn_header"))
with st.container(border=True):
    params = normalization_controls()
try:
    run = compute(params)
    remember(GOOD_KEY, params)
except ValueError as err:
    show_problem(err)
    st.caption(t("normalization.kept"))
    params = last_good(GOOD_KEY, NormParams())
    run = compute(params)

presentation = st.session_state.get("presentation", False)
bn_words = tuple(t(f"normalization.{word}") for word in ("x", "x_hat", "y", "dy", "dx", "example", "channel"))
forward_fig, backward_fig = batchnorm_figures(params, bn_words, presentation)
st.markdown(t("normalization.bn_text"))
st.dataframe(stats_table(run), hide_index=True, width="stretch")
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
