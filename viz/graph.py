"""The chain-rule page's computational graph (FORMULAS.md §6), forward and backward; its LaTeX: graph_tex.py.

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

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from engine.graph import LEAVES, Expression, Graph, Node
from viz.numbers import figure_number, text_em
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
    annotations, numbered = [], []
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
                numbered.append((i, node.id))
    # The current step's numbers, each where it covers the least: away from the nodes, their numbers and
    # the numbers placed before it. On a projector a number that would cover something anyway is left out
    # (the node it goes to shows the gradient, the step's arithmetic below writes every product).
    boxes, scale = _node_boxes(graph, xy, presentation), _pixels_per_unit(xy, presentation)
    for i, j in numbered:
        value = sent[(i, j)]
        half = _number_half(figure_number(value), presentation)
        where, shift, gap = _clear_place(xy[i], xy[j], half, boxes, scale)
        if presentation and gap < 0:
            continue
        annotations.append(_edge_number(where, shift, value, presentation))
        boxes.append(Box(where, (0, shift), half))
    return annotations


# Where an edge's number may go: fractions of the way from the input to its user, and pixels above (−) or
# below (+) the edge; best first.
EDGE_NUMBER_PLACES = (0.55, 0.45, 0.65, 0.35, 0.75, 0.25)
EDGE_NUMBER_SHIFTS = (0, -22, 22)


class Box(NamedTuple):
    """Something drawn on the graph that a number must not cover: a data point, an offset from it in
    screen pixels (y down), and its half width and height in pixels."""

    at: np.ndarray
    offset: tuple[float, float]
    half: tuple[float, float]


def _pixels_per_unit(xy: np.ndarray, presentation: bool) -> np.ndarray:
    """An estimate of the figure's pixels per data unit (x, y, the screen's y down): the plot as `_layout`
    sizes it, in the page's width less the colour bar."""
    columns, rows = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    width = 1050.0 if presentation else 820.0
    x_range = columns * 1.02 + 0.45 + (PRESENTATION_LEFT_ROOM if presentation else 0.45)
    return np.array([width / max(x_range, 1e-9), -(_height(rows, presentation) - 70) / (rows + 1.2)])


def _number_half(text: str, presentation: bool) -> tuple[float, float]:
    """Half the box (px) of a number written at the graph's font."""
    size = font_size(presentation)
    return text_em(text) * size / 2 + 2, size * 0.65


def _number_shifts(node: Node, presentation: bool) -> tuple[float, float, float]:
    """Where a node's two numbers go, in pixels from its centre as Plotly shifts them (y up): (x shift,
    the value's y shift, the gradient's y shift). A non-zero x shift: beside the node, right-aligned.

    On a projector an input's two numbers go to its left (value above gradient): inputs stand in a column
    one row apart, too close for a number above one and another below the next at 18 px, and nothing
    arrives at an input from the left. Elsewhere the value is above the node, the gradient below, clear
    of the ring around the current node.
    """
    r = _radius_px(presentation)
    if presentation and node.op in LEAVES:
        size = font_size(presentation)
        return -(r + 10), size * 0.6, -size * 0.6
    return 0.0, r + 19, -(r + 19)


def _node_boxes(graph: Graph, xy: np.ndarray, presentation: bool) -> list[Box]:
    """Every node and the two numbers `_node_numbers` writes by it (its gradient's, however long)."""
    r = _radius_px(presentation)
    boxes = []
    for n in graph.nodes:
        x_shift, value_shift, gradient_shift = _number_shifts(n, presentation)
        boxes.append(Box(xy[n.id], (0, 0), (r, r)))
        for text, y_shift in ((figure_number(n.value), value_shift), ("−0.0000", gradient_shift)):
            half = _number_half(text, presentation)
            x = x_shift - half[0] if x_shift else 0.0  # right-aligned at the shift
            boxes.append(Box(xy[n.id], (x, -y_shift), half))  # Box offsets: screen y down
    return boxes


def _clear_place(
    tail: np.ndarray, head: np.ndarray, half: tuple[float, float], boxes: list[Box], scale: np.ndarray
) -> tuple[np.ndarray, float, float]:
    """The place along an edge (a point, and a shift in pixels) where a number of box `half` stays
    clearest of `boxes`, and its gap to the nearest of them (px; negative: it covers something)."""

    def gap(f: float, shift: float) -> float:
        where = f * head + (1 - f) * tail
        gaps = [
            max(
                abs((where[0] - b.at[0]) * scale[0] - b.offset[0]) - b.half[0] - half[0],
                abs((where[1] - b.at[1]) * scale[1] + shift - b.offset[1]) - b.half[1] - half[1],
            )
            for b in boxes
        ]
        return min(gaps, default=np.inf)

    # The first clear place in the order of preference; with none clear, the one that covers least.
    scored = [(gap(f, shift), f, shift) for shift in EDGE_NUMBER_SHIFTS for f in EDGE_NUMBER_PLACES]
    clear = [place for place in scored if place[0] > 0]
    best, f, shift = clear[0] if clear else max(scored, key=lambda place: place[0])
    return f * head + (1 - f) * tail, shift, best


def _edge_number(where: np.ndarray, shift: float, value: float, presentation: bool) -> dict:
    """The gradient an edge carried back, written at `where` (data units), `shift` px lower, on a white
    patch."""
    x, y = where
    return dict(
        x=x,
        y=y,
        yshift=-shift,
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
    """Each node's forward value (blue) and, once known, its gradient (vermillion), placed by
    `_number_shifts`."""
    size = font_size(presentation)
    out = []
    for n in graph.nodes:
        x_shift, value_shift, gradient_shift = _number_shifts(n, presentation)
        place = dict(x=xy[n.id, 0], y=xy[n.id, 1], showarrow=False)
        if x_shift:
            place |= dict(xshift=x_shift, xanchor="right")
        value = figure_number(n.value)
        out.append(place | dict(yshift=value_shift, text=value, font=dict(size=size, color=VALUE_COLOR)))
        if grads[n.id] is not None and n.op != "const":
            gradient = f"<b>{figure_number(grads[n.id])}</b>"
            font = dict(size=size, color=GRADIENT_COLOR)
            out.append(place | dict(yshift=gradient_shift, text=gradient, font=font))
    return out


# Presentation mode: the height of a row of the layout (px), room for an operation's value above it and
# its gradient below it when operations stand two rows apart, inputs one row apart with their numbers
# beside them. A graph of up to four rows (the page's first example) fits a 720-px screen with its step
# buttons; a taller one keeps its numbers readable and fits a 1080-px screen (PRESENTATION_MAX_HEIGHT).
PRESENTATION_ROW_PX = 90
PRESENTATION_MAX_HEIGHT = 760
# Room left of the inputs for their numbers, in columns (presentation mode).
PRESENTATION_LEFT_ROOM = 0.8


def _height(rows: float, presentation: bool) -> int:
    """The figure's height (px) for a layout `rows` rows tall."""
    if presentation:  # see PRESENTATION_ROW_PX
        return int(min(PRESENTATION_MAX_HEIGHT, max(420, 70 + PRESENTATION_ROW_PX * (max(rows, 1.5) + 1.2))))
    return int(min(820, 190 + 115 * max(rows, 1.5)))


def _layout(
    fig: go.Figure, xy: np.ndarray, annotations: list[dict], title: str, presentation: bool
) -> go.Figure:
    columns = float(xy[:, 0].max() - xy[:, 0].min())
    rows = float(xy[:, 1].max() - xy[:, 1].min())
    style_figure(fig, presentation=presentation, height=_height(rows, presentation), title=title)
    fig.update_layout(annotations=annotations, hovermode="closest")
    fig.update_xaxes(
        visible=False,
        range=[
            xy[:, 0].min() - (PRESENTATION_LEFT_ROOM if presentation else 0.45),
            xy[:, 0].max() + 0.45 + 0.02 * columns,
        ],
        fixedrange=True,
    )
    fig.update_yaxes(visible=False, range=[xy[:, 1].min() - 0.6, xy[:, 1].max() + 0.6], fixedrange=True)
    return fig
