"""Figures and formulas of the chain-rule page (FORMULAS.md §6): the computational graph, forward, backward.

Layout (presentation only): variables in the first column; each operation one column right of its
deepest non-constant input, so the output ends up rightmost; a constant sits just left of the node that
uses it. Vertically, leaves keep their reading order (top = first in the typed text) and an operation
sits at the mean height of its inputs, then nodes that would touch in a column are pushed apart.

Each node is a circle with its operation written inside, its forward value (blue) above and, once the
backward pass has reached it, its gradient ∂f/∂node (vermillion) below; the circle fills with the
gradient's colour on the diverging scale. Step k of the backward pass highlights the node it visits and
writes on each of its input edges what it sends back: ∂f/∂node · ∂node/∂input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from engine.graph import LEAVES, Expression, Graph
from viz.numbers import figure_number, tex_number, tex_operand
from viz.theme import (
    BLUE,
    DIVERGING,
    GREY,
    ORANGE,
    TEXT_DARK,
    VERMILLION,
    colorbar_trace,
    font_size,
    line_width,
    style_figure,
    symmetric_limits,
)

VALUE_COLOR = BLUE  # forward values
GRADIENT_COLOR = VERMILLION  # gradients
CURRENT_COLOR = ORANGE  # the node the backward step visits
CONSTANT_FILL = "#e5e7eb"  # constants: light grey, they take part in the forward pass only
COLUMN_GAP = 1.0  # horizontal distance between columns (data units; the figure's width scales it)
MIN_ROW_GAP = 1.0  # smallest vertical distance between two nodes of a column
SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "**", "neg": "−"}
# LaTeX precedence of each operation: a child binding less tightly than its parent gets parentheses.
PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
FUNCTION_TEX = {
    "exp": r"\exp",
    "log": r"\log",
    "sigmoid": r"\sigma",
    "relu": r"\mathrm{relu}",
    "tanh": r"\tanh",
    "max": r"\max",
    "min": r"\min",
}


class GraphLabels(NamedTuple):
    """The words of the graph figure, translated by the page."""

    title: str
    colorbar: str  # what the fill colour means (the gradient)
    value: str  # hover: "value"
    gradient: str  # hover: "gradient"


def op_symbol(op: str, text: str) -> str:
    """What a node's circle shows: the operator, the function's name, the variable's name or the number."""
    if op in LEAVES:
        return text
    return SYMBOLS.get(op, op)


def graph_layout(expression: Expression) -> np.ndarray:
    """(x, y) of every node: columns by depth, heights by the reading order of the leaves.

    Args:
        expression: the parsed expression.

    Returns:
        (number of nodes, 2) positions.
    """
    nodes = expression.nodes
    column = np.zeros(len(nodes))
    for g in nodes:  # ids are a topological order: inputs are placed before their users
        if g.op not in LEAVES:
            column[g.id] = 1 + max((column[i] for i in g.inputs if nodes[i].op != "const"), default=0)
    for g in nodes:
        if g.op not in LEAVES:
            for i in g.inputs:
                if nodes[i].op == "const":  # each constant has one user: put it just left of that user
                    column[i] = column[g.id] - 1
    height = np.zeros(len(nodes))
    slot = 0
    for g in nodes:
        if g.op in LEAVES:
            height[g.id], slot = -slot, slot + 1
        else:
            height[g.id] = np.mean([height[i] for i in g.inputs])
    return np.column_stack([column * COLUMN_GAP, _spread(column, height)])


def _spread(column: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Push nodes of one column apart (downwards) until neighbours are at least MIN_ROW_GAP apart."""
    height = height.copy()
    for c in np.unique(column):
        ids = sorted(np.flatnonzero(column == c), key=lambda i: (-height[i], i))
        for above, below in pairwise(ids):
            height[below] = min(height[below], height[above] - MIN_ROW_GAP)
    return height


def backward_state(graph: Graph, step: int) -> tuple[list[float | None], dict[tuple[int, int], float]]:
    """What is known after `step` backward steps (0 = only the forward pass).

    Returns:
        the accumulated gradient of each node (None where nothing arrived yet), and what each processed
        edge (input id, user id) carried back.
    """
    if step == 0:
        return [None] * len(graph.nodes), {}
    grads = list(graph.steps[step - 1].grads)
    sent: dict[tuple[int, int], float] = {}
    for s in graph.steps[:step]:
        for k, i in enumerate(graph.nodes[s.node].inputs):
            sent[(i, s.node)] = sent.get((i, s.node), 0.0) + s.sent[k]  # x * x sends twice along one edge
    return grads, sent


def graph_figure(graph: Graph, step: int, labels: GraphLabels, *, presentation: bool = False) -> go.Figure:
    """The graph after `step` backward steps (0: forward values only), the visited node highlighted.

    Args:
        graph: from engine.graph.build_graph.
        step: 0 … len(graph.steps).
        labels: the words.

    Returns:
        The figure.
    """
    xy = graph_layout(graph.expression)
    grads, sent = backward_state(graph, step)
    current = graph.steps[step - 1].node if step else None
    limits = symmetric_limits(np.array(graph.grads))
    fig = go.Figure()
    annotations = _edges(graph, xy, sent, current, presentation)
    fig.add_trace(_node_trace(graph, xy, grads, limits, labels, presentation))
    if current is not None:
        fig.add_trace(_ring(xy[[current]], presentation))
    fig.add_trace(colorbar_trace(limits, labels.colorbar, presentation))
    annotations += _node_numbers(graph, xy, grads, presentation)
    return _layout(fig, xy, annotations, labels.title, presentation)


def _colour(value: float | None, m: float) -> str:
    if value is None:
        return "white"
    return sample_colorscale(DIVERGING, [min(max((value / m + 1) / 2, 0.0), 1.0)])[0]


def _radius_px(presentation: bool) -> float:
    return 31.0 if presentation else 25.0


def _edges(
    graph: Graph, xy: np.ndarray, sent: dict[tuple[int, int], float], current: int | None, presentation: bool
) -> list[dict]:
    """One arrow per edge (input → user), grey until the backward pass has used it, then in the gradient's
    colour; the current step's edges are highlighted and carry the number they send back.

    Only the current step's edges are numbered: every node shows its (accumulated) gradient anyway, and
    numbers on all used edges would cover the short edges of a wide graph.
    """
    r = _radius_px(presentation)
    annotations = []
    for node in graph.nodes:
        for i in dict.fromkeys(node.inputs):  # x * x: one arrow for the repeated input
            done = (i, node.id) in sent
            highlight = node.id == current
            color = CURRENT_COLOR if highlight else (GRADIENT_COLOR if done else GREY)
            annotations.append(
                dict(
                    x=xy[node.id, 0],
                    y=xy[node.id, 1],
                    ax=xy[i, 0],
                    ay=xy[i, 1],
                    xref="x",
                    yref="y",
                    axref="x",
                    ayref="y",
                    text="",
                    showarrow=True,
                    arrowhead=2,
                    arrowsize=1.1,
                    arrowwidth=line_width(presentation) if highlight else 1.8,
                    arrowcolor=color,
                    standoff=r,
                    startstandoff=r,
                )
            )
            if highlight:
                annotations.append(_edge_number(xy[i], xy[node.id], sent[(i, node.id)], presentation))
    return annotations


def _edge_number(tail: np.ndarray, head: np.ndarray, value: float, presentation: bool) -> dict:
    """The gradient an edge carried back, written near its middle on a white patch."""
    x, y = 0.45 * tail + 0.55 * head
    return dict(
        x=x,
        y=y,
        text=f"<b>{figure_number(value)}</b>",
        showarrow=False,
        bgcolor="rgba(255,255,255,0.9)",
        font=dict(size=font_size(presentation) - 1, color=GRADIENT_COLOR),
    )


def _node_trace(
    graph: Graph,
    xy: np.ndarray,
    grads: Sequence[float | None],
    limits: tuple[float, float],
    labels: GraphLabels,
    presentation: bool,
) -> go.Scatter:
    """Circles (variables: squares) filled with the gradient's colour; the operation written inside."""
    m = limits[1]
    # A constant needs no gradient: it stays grey whatever its edge carries.
    fills = [CONSTANT_FILL if n.op == "const" else _colour(g, m) for n, g in zip(graph.nodes, grads)]
    ink = [
        TEXT_DARK if g is None or abs(g) <= 0.6 * m or n.op == "const" else "white"
        for n, g in zip(graph.nodes, grads)
    ]
    hover = [
        f"<b>{n.text}</b><br>{labels.value} = {n.value:.6g}"
        + ("" if grads[n.id] is None else f"<br>{labels.gradient} = {grads[n.id]:.6g}")
        for n in graph.nodes
    ]
    return go.Scatter(
        x=xy[:, 0],
        y=xy[:, 1],
        mode="markers+text",
        text=[op_symbol(n.op, n.text) for n in graph.nodes],
        textposition="middle center",
        textfont=dict(size=font_size(presentation) + 3, color=ink),
        marker=dict(
            size=2 * _radius_px(presentation),
            color=fills,
            line=dict(color=TEXT_DARK, width=2),
            symbol=["square" if n.op == "var" else "circle" for n in graph.nodes],
        ),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
    )


def _ring(xy: np.ndarray, presentation: bool) -> go.Scatter:
    """A thick orange ring around the node the current backward step visits."""
    return go.Scatter(
        x=xy[:, 0],
        y=xy[:, 1],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        # An open symbol is drawn in marker.color, with marker.line.width as its thickness.
        marker=dict(
            size=2 * _radius_px(presentation) + 12,
            color=CURRENT_COLOR,
            symbol="circle-open",
            line=dict(width=line_width(presentation) + 1),
        ),
    )


def _node_numbers(
    graph: Graph, xy: np.ndarray, grads: Sequence[float | None], presentation: bool
) -> list[dict]:
    """Each node's forward value above it (blue) and, once known, its gradient below it (vermillion)."""
    shift = _radius_px(presentation) + 19  # clear of the ring around the current node
    size = font_size(presentation)
    out = []
    for n in graph.nodes:
        out.append(
            dict(
                x=xy[n.id, 0],
                y=xy[n.id, 1],
                yshift=shift,
                text=figure_number(n.value),
                showarrow=False,
                font=dict(size=size, color=VALUE_COLOR),
            )
        )
        if grads[n.id] is not None and n.op != "const":
            out.append(
                dict(
                    x=xy[n.id, 0],
                    y=xy[n.id, 1],
                    yshift=-shift,
                    text=f"<b>{figure_number(grads[n.id])}</b>",
                    showarrow=False,
                    font=dict(size=size, color=GRADIENT_COLOR),
                )
            )
    return out


def _layout(
    fig: go.Figure, xy: np.ndarray, annotations: list[dict], title: str, presentation: bool
) -> go.Figure:
    columns = float(xy[:, 0].max() - xy[:, 0].min())
    rows = float(xy[:, 1].max() - xy[:, 1].min())
    style_figure(
        fig, presentation=presentation, height=int(min(820, 190 + 115 * max(rows, 1.5))), title=title
    )
    fig.update_layout(annotations=annotations, hovermode="closest")
    fig.update_xaxes(
        visible=False, range=[xy[:, 0].min() - 0.45, xy[:, 0].max() + 0.45 + 0.02 * columns], fixedrange=True
    )
    fig.update_yaxes(visible=False, range=[xy[:, 1].min() - 0.6, xy[:, 1].max() + 0.6], fixedrange=True)
    return fig


# ------------------------------------------------------------------------------------------------- LaTeX


def tex_name(name: str) -> str:
    """A variable name in LaTeX: trailing digits become a subscript (x1 → x_{1}), longer names upright."""
    match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if match:
        head, digits = match.groups()
        return f"{_tex_word(head)}_{{{digits}}}"
    return _tex_word(name)


def _tex_word(word: str) -> str:
    return word if len(word) == 1 else r"\mathrm{" + word.replace("_", r"\_") + "}"


def node_names(graph: Graph | Expression) -> list[str]:
    """The LaTeX name of every node: the variable's name, the number, q_k for operations, f for the output."""
    expression = graph.expression if isinstance(graph, Graph) else graph
    names, k = [], 0
    for g in expression.nodes:
        if g.op == "var":
            names.append(tex_name(g.text))
        elif g.op == "const":
            names.append(tex_operand(g.constant))
        elif g.id == expression.output:
            names.append("f")
        else:
            k += 1
            names.append(f"q_{{{k}}}")
    return names


def expression_latex(expression: Expression, values: Mapping[str, float] | None = None) -> str:
    """The whole expression in LaTeX, with the variables' names or (given `values`) their numbers."""

    def leaf(i: int) -> str:
        g = expression.nodes[i]
        if g.op == "const":
            return tex_operand(g.constant)
        return tex_name(g.text) if values is None else tex_operand(values[g.text])

    return _tex(expression, expression.output, leaf)[0]


def _tex(expression: Expression, i: int, leaf) -> tuple[str, int]:
    """LaTeX of the sub-expression at node i and its precedence (5 for atoms and function calls)."""
    g = expression.nodes[i]
    if g.op in LEAVES:
        return leaf(i), 5
    parts = [_tex(expression, j, leaf) for j in g.inputs]
    return _formula(g.op, parts), PRECEDENCE.get(g.op, 5)


def _formula(op: str, parts: list[tuple[str, int]]) -> str:
    """A node's formula from its inputs' LaTeX, parenthesizing an input that binds less tightly."""

    def wrap(k: int, below: int) -> str:
        text, precedence = parts[k]
        return rf"\left({text}\right)" if precedence < below else text

    simple = {
        "add": lambda: f"{wrap(0, 1)} + {wrap(1, 1)}",
        "sub": lambda: f"{wrap(0, 1)} - {wrap(1, 2)}",
        "mul": lambda: rf"{wrap(0, 2)} \cdot {wrap(1, 2)}",
        "div": lambda: rf"\frac{{{parts[0][0]}}}{{{parts[1][0]}}}",
        "pow": lambda: f"{{{wrap(0, 5)}}}^{{{parts[1][0]}}}",
        "neg": lambda: f"-{wrap(0, 3)}",
        # e^{…} for a short argument; a long exponent would be set too small to read.
        "exp": lambda: f"e^{{{parts[0][0]}}}" if parts[0][1] == 5 else rf"\exp\left({parts[0][0]}\right)",
        "abs": lambda: rf"\left|{parts[0][0]}\right|",
    }
    if op in simple:
        return simple[op]()
    return rf"{FUNCTION_TEX[op]}\left({', '.join(text for text, _ in parts)}\right)"


def node_latex(graph: Graph, i: int) -> str:
    """Node i's definition, then with its inputs' numbers, then its value: q = x + y = −2 + 5 = 3."""
    names = node_names(graph)
    node = graph.nodes[i]
    symbolic = _formula(node.op, [(names[j], 5) for j in node.inputs])
    numeric = _formula(node.op, [(tex_operand(graph.nodes[j].value), 5) for j in node.inputs])
    return f"{names[i]} = {symbolic} = {numeric} = {tex_number(graph.nodes[i].value)}"


def local_derivative_tex(op: str, inputs: Sequence[str], k: int) -> str:
    """∂node/∂input_k as a formula of the inputs' names (the calculus of one operation)."""
    a = inputs[0]
    b = inputs[1] if len(inputs) > 1 else ""
    table = {
        "add": ("1", "1"),
        "sub": ("1", "-1"),
        "mul": (b, a),
        "div": (rf"\frac{{1}}{{{b}}}", rf"-\frac{{{a}}}{{{b}^2}}"),
        "pow": (rf"{b} \cdot {{{a}}}^{{{b} - 1}}", rf"{{{a}}}^{{{b}}} \ln {a}"),
        "neg": ("-1",),
        "exp": (f"e^{{{a}}}",),
        "log": (rf"\frac{{1}}{{{a}}}",),
        "abs": (rf"\operatorname{{sign}}({a})",),
        "sigmoid": (rf"\sigma({a})\,(1 - \sigma({a}))",),
        "relu": (rf"[\,{a} > 0\,]",),
        "tanh": (rf"1 - \tanh^2({a})",),
    }
    if op in table:
        return table[op][k]
    chosen = r"\max" if op == "max" else r"\min"
    return rf"[\,{inputs[k]} = {chosen}\,]"


def step_latex(graph: Graph, step: int) -> list[str]:
    """The LaTeX of backward step `step` (1-based): the node, its gradient, and what each input receives.

    Returns:
        lines: the node's forward formula, its gradient, then per input
        ∂f/∂input += ∂f/∂node · ∂node/∂input = g · local = contribution.
    """
    s = graph.steps[step - 1]
    names = node_names(graph)
    node = graph.nodes[s.node]
    inputs = [names[i] for i in node.inputs]
    me = names[s.node]
    lines = [
        node_latex(graph, s.node),
        rf"\frac{{\partial f}}{{\partial {me}}} = {tex_operand(s.grad).strip('()')}",
    ]
    for k, i in enumerate(node.inputs):
        if graph.nodes[i].op == "const":
            continue  # a constant has no gradient to collect
        grad, local = tex_operand(s.grad), local_derivative_tex(node.op, inputs, k)
        lines.append(
            rf"\frac{{\partial f}}{{\partial {names[i]}}} \mathrel{{+}}= \frac{{\partial f}}{{\partial {me}}}"
            rf"\cdot \frac{{\partial {me}}}{{\partial {names[i]}}} = {grad} \cdot {local} = {grad} \cdot "
            rf"{tex_operand(s.local[k])} = {tex_operand(s.sent[k]).strip('()')}"
        )
    return lines
