"""Chain rule page: a typed expression as a computational graph, forward values, then backward steps."""

from contextlib import nullcontext

import streamlit as st

import engine.graph as graph_engine
from ui.chain_rule.compute import compute, figure
from ui.chain_rule.controls import (
    GRAPH_PRESETS,
    expression_controls,
    gradient_table,
    step_controls,
    variable_inputs,
)
from ui.common.controls import last_good, remember
from ui.common.display import show_figure, show_problem, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from viz.graph import GraphLabels
from viz.graph_tex import expression_latex, node_names, step_latex
from viz.numbers import tex_number

GOOD_KEY = "chain_rule.last_good"


frame("chain_rule")
presentation = st.session_state.get("presentation", False)
if not presentation:
    st.markdown(t("chain_rule.intro"))
# On a projector the graph opens the page, under its title, with its step buttons and the step's
# arithmetic; the expression and its values follow.
opening = st.container() if presentation else nullcontext()
with st.container(border=True):
    text = expression_controls()
    try:
        expression = graph_engine.parse_expression(text)
        values = tuple(variable_inputs(expression.variables).items())
        graph, numerical = compute(text, values)
        remember(GOOD_KEY, (text, values))
    except ValueError as err:
        show_problem(err)
        st.caption(t("chain_rule.kept"))
        text, values = last_good(
            GOOD_KEY, (GRAPH_PRESETS["circuit"][0], tuple(GRAPH_PRESETS["circuit"][1].items()))
        )
        graph, numerical = compute(text, values)

st.latex(
    rf"f = {expression_latex(graph.expression)} = {expression_latex(graph.expression, dict(values))}"
    rf" = {tex_number(graph.value)}"
)
labels = GraphLabels(
    title=t("chain_rule.figure_title"),
    colorbar=t("chain_rule.colorbar"),
    value=t("chain_rule.value"),
    gradient=t("chain_rule.gradient"),
)

with opening:
    if not presentation:
        st.header(t("chain_rule.backward_header"))
        st.markdown(t("chain_rule.backward_text"))
    total = len(graph.steps)
    figure_place = st.container()  # the figure above its step buttons, drawn once the step is known
    step = step_controls(total) if total else 0
    with figure_place:
        show_figure(
            figure(text, values, step, labels, presentation),
            alt=t("chain_rule.alt", n=len(graph.nodes)),
            key="chain_rule.fig",
        )
    if step == 0:
        st.info(t("chain_rule.step0" if total else "chain_rule.no_steps"), icon="➡️")
    else:
        visited = graph.steps[step - 1].node
        st.markdown(t("chain_rule.step_text", k=step, total=total, node=graph.nodes[visited].text))
        for line in step_latex(graph, step):
            st.latex(line)
if step == total:
    st.markdown(t("chain_rule.done"))
    st.dataframe(gradient_table(graph, numerical), hide_index=True, width="stretch")
with st.expander(t("chain_rule.names")):
    st.markdown(
        "\n".join(
            f"- ${name}$ = `{node.text}`"
            for name, node in zip(node_names(graph), graph.nodes)
            if node.op not in graph_engine.LEAVES
        )
    )
show_source(
    graph_engine.forward,
    graph_engine.backward,
    graph_engine._mul,
    graph_engine._div,
    graph_engine._max,
    graph_engine._exp,
    title=t("chain_rule.source"),
)
