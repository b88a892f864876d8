"""Computational-graph figure: the layout reads left to right, each step shows what the engine computed,
and the LaTeX of the steps carries the numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine.graph import build_graph, parse_expression
from viz.graph import CURRENT_COLOR, GRADIENT_COLOR, GraphLabels, backward_state, graph_figure, graph_layout
from viz.graph_tex import expression_latex, node_latex, node_names, step_latex, tex_name

LABELS = GraphLabels("graph", "∂f/∂node", "value", "gradient")
PRESETS = {
    "circuit": ("(x + y) * z", {"x": -2.0, "y": 5.0, "z": -4.0}),
    "max_gate": (
        "1 / exp(-((x1 + x2) * w + max(y1, y2)))",
        {"x1": 0.5, "x2": -1.0, "w": 2.0, "y1": -1.0, "y2": 0.5},
    ),
    "neuron": (
        "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
    ),
    "shared": ("x * x + sigmoid(x * y) - 3", {"x": 0.5, "y": -1.5}),
}


@pytest.mark.parametrize("name", PRESETS)
def test_layout_reads_left_to_right_without_overlaps(name):
    expression = parse_expression(PRESETS[name][0])
    xy = graph_layout(expression)
    for g in expression.nodes:
        for i in g.inputs:
            assert xy[i, 0] < xy[g.id, 0]  # every edge points right
    assert xy[expression.output, 0] == xy[:, 0].max()
    variables = [g.id for g in expression.nodes if g.op == "var"]
    assert set(xy[variables, 0]) == {0.0}
    distances = np.linalg.norm(xy[:, None] - xy[None, :], axis=-1) + np.eye(len(xy)) * 99
    assert distances.min() >= 0.99


def _graph(name):
    text, values = PRESETS[name]
    return build_graph(text, values)


def test_step_zero_shows_values_and_no_gradients():
    graph = _graph("circuit")
    fig = graph_figure(graph, 0, LABELS)
    texts = [a.text for a in fig.layout.annotations if a.text]
    assert texts == ["−2", "5", "3", "−4", "−12"]  # forward values only, in node order
    assert all(color == "white" for color in fig.data[0].marker.color)
    assert len(fig.data) == 2  # nodes and the colour bar: no ring


def test_last_step_shows_every_gradient_and_numbers_its_own_edges():
    graph = _graph("circuit")
    fig = graph_figure(graph, len(graph.steps), LABELS)
    gradients = [a.text for a in fig.layout.annotations if a.font.color == GRADIENT_COLOR and a.yshift]
    assert gradients == ["<b>−4</b>", "<b>−4</b>", "<b>−4</b>", "<b>3</b>", "<b>1</b>"]
    edge_numbers = [a.text for a in fig.layout.annotations if a.bgcolor]
    assert edge_numbers == ["<b>−4</b>", "<b>−4</b>"]  # the add node sends −4 to x and to y
    used = [a for a in fig.layout.annotations if a.showarrow and a.arrowcolor == GRADIENT_COLOR]
    assert len(used) == 2  # the multiply's edges, used by the step before


def test_the_visited_node_is_ringed_and_its_input_edges_highlighted():
    graph = _graph("neuron")
    for step in range(1, len(graph.steps) + 1):
        fig = graph_figure(graph, step, LABELS)
        node = graph.steps[step - 1].node
        ring = fig.data[1]
        xy = graph_layout(graph.expression)
        assert (ring.x[0], ring.y[0]) == (xy[node, 0], xy[node, 1])
        highlighted = [a for a in fig.layout.annotations if a.arrowcolor == CURRENT_COLOR]
        assert len(highlighted) == len(set(graph.nodes[node].inputs))


def test_backward_state_accumulates_what_the_edges_carried():
    graph = build_graph("x * x + x", {"x": 3.0})
    grads, sent = backward_state(graph, len(graph.steps))
    x = next(n.id for n in graph.nodes if n.op == "var")
    mul = next(n.id for n in graph.nodes if n.op == "mul")
    assert sent[(x, mul)] == 6.0  # the multiply sends 3 twice along one edge
    assert grads[x] == 7.0
    assert backward_state(graph, 0) == ([None] * len(graph.nodes), {})


def test_node_fill_is_the_gradient_on_the_diverging_scale():
    graph = _graph("circuit")
    fig = graph_figure(graph, len(graph.steps), LABELS)
    fills = list(fig.data[0].marker.color)
    z = next(n.id for n in graph.nodes if n.text == "z")
    x = next(n.id for n in graph.nodes if n.text == "x")
    assert fills[x] == "rgb(5, 48, 97)"  # −4 = −max|gradient|: the darkest blue
    assert fills[z] != fills[x] and fills[z].startswith("rgb")


@pytest.mark.parametrize(
    ("text", "values", "symbolic", "numeric"),
    [
        (
            "(x + y) * z",
            {"x": -2, "y": 5, "z": -4},
            r"\left(x + y\right) \cdot z",
            r"\left((-2) + 5\right) \cdot (-4)",
        ),
        ("a - (b - c)", {"a": 1, "b": 2, "c": 3}, r"a - \left(b - c\right)", r"1 - \left(2 - 3\right)"),
        ("x1 ** 2 / w", {"x1": 1, "w": 2}, r"\frac{{x_{1}}^{2}}{w}", r"\frac{{1}^{2}}{2}"),
        ("-exp(rate)", {"rate": 0}, r"-e^{\mathrm{rate}}", r"-e^{0}"),
    ],
)
def test_expression_latex(text, values, symbolic, numeric):
    expression = parse_expression(text)
    assert expression_latex(expression) == symbolic
    assert expression_latex(expression, values) == numeric


def test_names_and_step_latex_of_the_circuit():
    graph = _graph("circuit")
    assert node_names(graph) == ["x", "y", "q_{1}", "z", "f"]
    assert node_latex(graph, 2) == "q_{1} = x + y = (-2) + 5 = 3"
    first = step_latex(graph, 1)  # the multiply: ∂f/∂q = z = −4, ∂f/∂z = q = 3
    assert first[1] == r"\frac{\partial f}{\partial f} = 1"
    assert first[2].endswith("= 1 \\cdot (-4) = -4") and "z" in first[2]
    assert first[3].endswith("= 1 \\cdot 3 = 3")
    second = step_latex(graph, 2)
    assert second[2].endswith("= (-4) \\cdot 1 = -4")


def test_step_latex_skips_constants():
    graph = build_graph("2 * x", {"x": 1.0})
    lines = step_latex(graph, 1)
    assert len(lines) == 3  # the node, its gradient, and x (the constant 2 gets nothing)


@pytest.mark.parametrize(
    ("name", "tex"), [("x", "x"), ("x1", "x_{1}"), ("w_12", "w_{12}"), ("rate", r"\mathrm{rate}")]
)
def test_tex_name(name, tex):
    assert tex_name(name) == tex
