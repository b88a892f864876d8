"""Activations page: ReLU, leaky ReLU, sigmoid, tanh, identity, their slopes, one applied to a feature map."""

import streamlit as st

import engine.activations as activations
from engine.activations import ACTIVATIONS
from ui.activations.compute import compute, curves_spec, maps_spec
from ui.activations.controls import ACTIVATION_DEFAULTS, activation_controls, activation_summary
from ui.common.controls import cell_picker, result_or_last_good
from ui.common.display import show_figure, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from viz.activations import (
    CurveLabels,
    MapLabels,
    cell_latex,
    general_latex,
    highlight_cell,
    mark_z,
)

GOOD_KEY = "activations.last_good"


frame("activations")
st.markdown(t("activations.intro"))
with st.container(border=True):
    settings = activation_controls()
settings, run = result_or_last_good(
    lambda s: compute(**s), settings, key=GOOD_KEY, default=ACTIVATION_DEFAULTS
)

presentation = st.session_state.get("presentation", False)
name = t(f"activations.kind.{run.kind}")
H, W = run.z.shape
st.header(t("activations.curves_header"))
plot_col, formula_col = st.columns([1, 1], gap="large")
with formula_col:
    r, c = cell_picker(
        "activations", (H, W), (H // 2, W // 2), (t("activations.cell_row"), t("activations.cell_col"))
    )
    st.markdown(t("activations.this_cell", r=r, c=c))
    for line in cell_latex(run, r, c):
        st.latex(line)
    st.markdown(t("activations.general"))
    for line in general_latex(run.kind):
        st.latex(line)
with plot_col:
    kinds = {k: t(f"activations.kind.{k}") for k in ACTIVATIONS}
    curve_labels = CurveLabels(
        names=kinds,
        function=t("activations.fig.function"),
        derivative=t("activations.fig.derivative"),
        histogram=t("activations.fig.histogram"),
        cell=t("activations.fig.cell"),
        x_title=t("activations.fig.x"),
        y_title=t("activations.fig.y"),
    )
    curves = mark_z(
        curves_spec(settings, curve_labels, presentation),
        run.kind,
        float(run.z[r, c]),
        t("activations.fig.cell"),
        presentation,
    )
    show_figure(curves, alt=t("activations.curves_alt", name=name), key="activations.curves_fig")

st.header(t("activations.maps_header"))
titles = tuple(t(f"activations.fig.{p}_title") for p in ("x", "z", "a", "da", "slope", "dz"))
signed = t("activations.fig.signed_bar")
bars = (t("activations.fig.x_bar"), signed, signed, signed, t("activations.fig.slope_bar"), signed)
maps = highlight_cell(
    maps_spec(settings, MapLabels(titles=titles, colorbars=bars), presentation), (r, c), presentation
)
show_figure(maps, alt=t("activations.maps_alt", name=name), key="activations.maps_fig")
st.info(activation_summary(run), icon="🔌" if run.kind == "relu" else "📉")

show_source(
    activations.activation_forward,
    activations.activation_derivative,
    activations.activation_backward,
    activations.sigmoid,
    title=t("activations.source_code"),
)
