"""Convolution as a matrix: y = C·vec(x) row by row, the fast path's own im2col, dX = Cᵀ·vec(δ) column by
column, and dW = im2colᵀ·vec(δ), each beside the engine's conv2d_forward and conv2d_backward."""

import streamlit as st

import engine.conv_fast as conv_fast
import engine.matrix as matrix
from ui.common.controls import cell_picker, clicker_hint, result_or_last_good
from ui.common.display import math_block, section, show_figure, show_source
from ui.common.frame import frame, page_links, page_spec
from ui.common.i18n import t
from ui.matrix import state
from ui.matrix.compute import compute, differences, figure, figure_labels, read_by_no_window, sizes
from ui.matrix.controls import MatrixParams, matrix_controls
from viz.matrix_tex import column_latex, general_latex, row_latex, tap_latex

GOOD_KEY = "matrix.last_good"

frame("matrix", state.SETTINGS)
presentation = st.session_state["presentation"]
# In presentation mode y = C·vec(x) comes first, under the title; the controls follow it.
first = st.container()
if not presentation:
    st.markdown(t("matrix.intro"))
with st.container(border=True):
    params = matrix_controls()
params, run = result_or_last_good(
    compute, params, key=GOOD_KEY, default=MatrixParams(), kept=t("matrix.kept")
)
labels, same = figure_labels(), differences(run)
(H, W), (H_out, W_out), K = run.x.shape, run.y.shape, run.w.shape[0]
m, n = run.C.shape

with first if presentation else st.container():
    if not presentation:
        section(t("matrix.forward_header"), t("matrix.forward_caption"))
    forward_slot = st.container()
picker, formulas = st.columns([1.3, 3], gap="large")
with picker:
    i, j = cell_picker("matrix", (H_out, W_out), (0, 0), (t("matrix.cell_row"), t("matrix.cell_col")))
r = i * W_out + j
with forward_slot:
    spec = figure(params, "forward", "C", r, labels, presentation)
    show_figure(spec, alt=t("matrix.forward_alt", m=m, n=n, r=r), key="matrix.forward_fig")
    clicker_hint(play=True)
with formulas:
    math_block(t("matrix.this_row", i=i, j=j, r=r), row_latex(run, r))
    padded = matrix.reads_padding(run, r)
    if padded:
        st.caption(t("matrix.row_padding", n=padded, taps=K * K))
st.caption(sizes(run))
if presentation:
    section(t("matrix.forward_header"), t("matrix.forward_caption"))

section(t("matrix.im2col_header"), t("matrix.im2col_caption"))
spec = figure(params, "forward", "im2col", r, labels, presentation)
show_figure(spec, alt=t("matrix.im2col_alt", m=m, taps=K * K, r=r), key="matrix.im2col_fig")
st.caption(t("matrix.forward_same", y=same["y"]))

# Each backward figure above its picker and formulas, as the forward one (the picker chooses its start).
section(t("matrix.dx_header"), t("matrix.dx_caption"))
dx_slot = st.container()
picker, formulas = st.columns([1.3, 3], gap="large")
with picker:
    u, v = cell_picker("matrix.input", (H, W), (1, 1), (t("matrix.input_row"), t("matrix.input_col")))
q = u * W + v
with dx_slot:
    spec = figure(params, "backward", "C", q, labels, presentation)
    show_figure(spec, alt=t("matrix.dx_alt", q=q), key="matrix.dx_fig")
with formulas:
    math_block(t("matrix.this_column", u=u, v=v, q=q), column_latex(run, q))
    if read_by_no_window(run, q):
        st.caption(t("matrix.no_window"))
st.caption(t("matrix.dx_same", dx=same["dx"]))
page_links([page_spec("transposed")])

section(t("matrix.dw_header"), t("matrix.dw_caption"))
dw_slot = st.container()
picker, formulas = st.columns([1.3, 3], gap="large")
with picker:
    k, l = cell_picker("matrix.tap", (K, K), (0, 0), (t("matrix.tap_row"), t("matrix.tap_col")))
tap = k * K + l
with dw_slot:
    spec = figure(params, "backward", "im2col", tap, labels, presentation)
    show_figure(spec, alt=t("matrix.dw_alt", t=tap), key="matrix.dw_fig")
with formulas:
    math_block(t("matrix.this_tap", k=k, l=l, t=tap), tap_latex(run, tap))
st.caption(t("matrix.dw_same", dw=same["dw"], db=same["db"]))

math_block(t("matrix.general"), general_latex())
show_source(matrix.tap_matrix, matrix.conv_matrix, matrix.im2col_rows, conv_fast.columns,
            title=t("matrix.source_code"))  # fmt: skip
