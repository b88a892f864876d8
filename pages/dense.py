"""Fully connected layer page: a small network, forward, the δ recursion, gradients, one update, checked."""

import streamlit as st

import engine.network as network
from engine.activations import activation_backward
from engine.dense import dense_backward, dense_forward
from engine.losses import mse_loss
from ui.common.controls import last_good, remember
from ui.common.display import markdown_table, show_figure, show_problem, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.dense.compute import compute, diagram, matrices
from ui.dense.controls import (
    check_table,
    dense_controls,
    dense_editors,
    diagram_controls,
    diagram_labels,
    loss_metrics,
    matrix_titles,
    shapes_table,
)
from viz.network import (
    delta_latex,
    forward_latex,
    gradient_latex,
    update_latex,
)

GOOD_KEY = "dense.last_good"
frame("dense")
st.markdown(t("dense.intro"))
with st.container(border=True):
    arch, lr = dense_controls()
results = st.container()  # drawn above the grids, filled once the grids' numbers have been read
with st.expander(t("dense.numbers"), expanded=True):
    example = dense_editors(arch)
problem = None
try:
    run = compute(example, lr)
    remember(GOOD_KEY, (example, lr))
except ValueError as err:
    problem = err
    run = compute(*last_good(GOOD_KEY, (network.classic_example(), 0.5)))

L = len(run.dw)
presentation = st.session_state.get("presentation", False)
with results:
    if problem:
        show_problem(problem)
        st.caption(t("dense.kept"))
    loss_metrics(run)
    backward, n = diagram_controls(run.a[0].shape[0])
    labels = diagram_labels(run, backward, n)
    show_figure(
        diagram(run, backward, n, labels, presentation), alt=t("dense.diagram_alt", L=L), key="dense.fig"
    )
    st.caption(t("dense.convention"))

tabs = ("forward", "delta", "gradients", "shapes", "check")
forward_tab, delta_tab, grad_tab, shape_tab, check_tab = st.tabs([t(f"dense.tab.{tab}") for tab in tabs])
with forward_tab:
    st.markdown(t("dense.forward_text", n=n + 1))
    for l in range(1, L + 1):
        for line in forward_latex(run, l, n):
            st.latex(line)
with delta_tab:
    st.markdown(t("dense.delta_text", n=n + 1))
    for l in range(L, 0, -1):
        st.latex(delta_latex(run, l, n))
with grad_tab:
    st.markdown(t("dense.gradient_text"))
    for l in range(1, L + 1):
        for line in (*gradient_latex(run, l), *update_latex(run, l)):
            st.latex(line)
        figure = matrices(run, l, matrix_titles(l), presentation)
        show_figure(figure, alt=t("dense.panel_alt", l=l), key=f"dense.matrices.{l}")
with shape_tab:
    st.markdown(t("dense.shapes_text"))
    st.markdown(markdown_table(shapes_table(run)))
with check_tab:
    st.markdown(t("dense.check_text"))
    st.latex(t("dense.check_formula"))
    st.markdown(markdown_table(check_table(run)))

engine_code = (network.network_forward, network.network_backward, dense_forward, dense_backward)
show_source(*engine_code, activation_backward, mse_loss, title=t("dense.source"))
