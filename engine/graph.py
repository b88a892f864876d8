"""The chain rule on a computational graph (FORMULAS.md §6): forward and backward over a parsed expression.

The expression comes from engine/expression.py (parsing, with its limits and refusals; re-exported here).
Each operation is one node of the graph; a variable used twice is one node feeding two others, so its
gradient is the sum of what comes back along both edges.

Forward: every node computes its value and, right beside it, its local derivatives ∂node/∂input.
Backward (reverse-mode differentiation): seed ∂f/∂f = 1 at the output, then visit the nodes in reverse
topological order; each node multiplies its (now complete) gradient by each local derivative and adds the
product to the gradient of that input:  ∂f/∂input += ∂f/∂node · ∂node/∂input.

Conventions where a derivative does not exist: max/min send the gradient to the larger/smaller input
(the first one on a tie); relu'(0) = 0 (as engine/activations.py); abs'(0) = 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from engine.activations import sigmoid
from engine.errors import EngineError
from engine.expression import (  # noqa: F401  (the parsing half, importable from here as before)
    BINARY_OPERATORS,
    FUNCTIONS,
    LEAVES,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    MAX_VARIABLES,
    UNARY_FUNCTIONS,
    VARIADIC_FUNCTIONS,
    Expression,
    GraphNode,
    parse_expression,
)


class Node(NamedTuple):
    """A node after the forward pass: its value and its local derivatives ∂node/∂input, one per input."""

    id: int
    op: str
    inputs: tuple[int, ...]
    text: str
    value: float
    local: tuple[float, ...]


class BackwardStep(NamedTuple):
    """One step of the backward pass: a node passes ∂f/∂node · ∂node/∂input to each of its inputs."""

    node: int  # the node visited
    grad: float  # ∂f/∂node, complete when the node is visited
    local: tuple[float, ...]  # ∂node/∂input, one per input
    sent: tuple[float, ...]  # grad · local, what each input receives
    grads: tuple[float | None, ...]  # accumulated ∂f/∂node of every node after this step (None: not reached)


class Graph(NamedTuple):
    """An expression with its forward values, its backward steps and the final gradient of every node."""

    expression: Expression
    nodes: tuple[Node, ...]
    grads: tuple[float, ...]  # ∂f/∂node for every node
    steps: tuple[BackwardStep, ...]  # in reverse topological order, one per operation node

    @property
    def value(self) -> float:
        """f, the value of the output node."""
        return self.nodes[self.expression.output].value

    def gradients(self) -> dict[str, float]:
        """∂f/∂v for every variable v, by name."""
        return {node.text: self.grads[node.id] for node in self.nodes if node.op == "var"}


# ------------------------------------------------------------------------------------ local derivatives
# Each operation returns its value and, beside it, ∂value/∂input for each input: the whole of its calculus.


def _add(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    return a + b, (1.0, 1.0)  # the add gate hands the gradient on unchanged to both inputs


def _sub(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    return a - b, (1.0, -1.0)


def _mul(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    return a * b, (b, a)  # the multiply gate swaps its inputs


def _div(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    if b == 0:
        raise EngineError("it divides by zero")
    return a / b, (1.0 / b, -a / b**2)


def _pow(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    if abs(b) > MAX_EXPONENT:
        raise EngineError("the exponent {b:g} is beyond ±{limit:g}, the limit here", b=b, limit=MAX_EXPONENT)
    if a == 0 and b < 0:
        raise EngineError("0 to a negative power divides by zero")
    if a < 0 and b != int(b):
        raise EngineError("a negative number to a fractional power is not a real number")
    if a == 0 and 0 < b < 1:
        raise EngineError("the derivative of a**{b:g} is infinite at a = 0", b=b)
    value = a**b
    d_a = 0.0 if b == 0 else b * a ** (b - 1)
    # d(a^b)/db = a^b · ln a exists only for a > 0; `forward` refuses a ≤ 0 when b depends on a variable.
    d_b = value * math.log(a) if a > 0 else 0.0
    return value, (d_a, d_b)


def _neg(a: float) -> tuple[float, tuple[float, ...]]:
    return -a, (-1.0,)


def _exp(a: float) -> tuple[float, tuple[float, ...]]:
    value = math.exp(a)
    return value, (value,)  # (e^a)' = e^a


def _log(a: float) -> tuple[float, tuple[float, ...]]:
    if a <= 0:
        raise EngineError("log needs a positive number, and {a:g} is not", a=a)
    return math.log(a), (1.0 / a,)


def _abs(a: float) -> tuple[float, tuple[float, ...]]:
    return abs(a), (float(np.sign(a)),)  # abs'(0) = 0


def _sigmoid(a: float) -> tuple[float, tuple[float, ...]]:
    s = float(sigmoid(np.float64(a)))
    return s, (s * (1.0 - s),)


def _relu(a: float) -> tuple[float, tuple[float, ...]]:
    return max(a, 0.0), (1.0 if a > 0 else 0.0,)  # relu'(0) = 0, as engine/activations.py


def _tanh(a: float) -> tuple[float, tuple[float, ...]]:
    value = math.tanh(a)
    return value, (1.0 - value**2,)


def _max(*a: float) -> tuple[float, tuple[float, ...]]:
    k = a.index(max(a))  # index() finds the first maximum: a tie routes the gradient to the first input
    return a[k], tuple(1.0 if i == k else 0.0 for i in range(len(a)))


def _min(*a: float) -> tuple[float, tuple[float, ...]]:
    k = a.index(min(a))
    return a[k], tuple(1.0 if i == k else 0.0 for i in range(len(a)))


OPERATIONS: dict[str, Callable[..., tuple[float, tuple[float, ...]]]] = {
    "add": _add,
    "sub": _sub,
    "mul": _mul,
    "div": _div,
    "pow": _pow,
    "neg": _neg,
    "exp": _exp,
    "log": _log,
    "abs": _abs,
    "sigmoid": _sigmoid,
    "relu": _relu,
    "tanh": _tanh,
    "max": _max,
    "min": _min,
}


# ----------------------------------------------------------------------------------- forward and backward


def forward(expression: Expression, values: Mapping[str, float]) -> tuple[Node, ...]:
    """Forward pass: the value and the local derivatives of every node, inputs first.

    Args:
        expression: from `parse_expression`.
        values: a number for every variable of the expression, by name.

    Returns:
        One Node per GraphNode, same ids and order.

    Raises:
        EngineError: for a missing or non-finite variable value, or a node that cannot be computed
            (division by zero, log of a non-positive number, overflow, ...), said as a sentence.
    """
    nodes: list[Node] = []
    depends: list[bool] = []  # whether a node's value depends on some variable
    for g in expression.nodes:
        value, local = _node_value(g, nodes, values)
        depends.append(g.op == "var" or any(depends[i] for i in g.inputs))
        if g.op == "pow" and nodes[g.inputs[0]].value <= 0 and depends[g.inputs[1]]:
            raise EngineError(
                "Cannot compute {text}: a variable exponent needs a positive base.", text=g.text
            )
        if not all(math.isfinite(v) for v in (value, *local)):
            raise EngineError(
                "Cannot compute {text}: the numbers get too large for a float (overflow).", text=g.text
            )
        nodes.append(Node(g.id, g.op, g.inputs, g.text, value, local))
    return tuple(nodes)


def _node_value(
    g: GraphNode, done: list[Node], values: Mapping[str, float]
) -> tuple[float, tuple[float, ...]]:
    """The value and local derivatives of one node, from the values of its inputs (already computed)."""
    if g.op == "const":
        return float(g.constant), ()
    if g.op == "var":
        if g.text not in values:
            raise EngineError("Give the variable {name} a value.", name=g.text)
        value = float(values[g.text])
        if not math.isfinite(value):
            raise EngineError("The value of {name} must be a finite number.", name=g.text)
        return value, ()
    inputs = [done[i].value for i in g.inputs]
    try:
        return OPERATIONS[g.op](*inputs)
    except EngineError as err:
        raise EngineError(
            "Cannot compute {text} at these values: {reason}.", text=g.text, reason=err
        ) from None
    except (OverflowError, ZeroDivisionError):
        raise EngineError(
            "Cannot compute {text}: the numbers get too large for a float (overflow).", text=g.text
        ) from None


def backward(nodes: tuple[Node, ...], output: int) -> tuple[tuple[float, ...], tuple[BackwardStep, ...]]:
    """Backward pass (reverse mode): ∂f/∂node for every node, and the steps that computed it.

    Seed ∂f/∂f = 1; visit the operation nodes in reverse topological order (ids only grow along an
    edge, so every user of a node is visited before it and its gradient is complete); each adds
    ∂f/∂node · ∂node/∂input to the gradient of each input. A node feeding several others collects the sum.

    Args:
        nodes: from `forward`, in topological order.
        output: id of the output node f.

    Returns:
        grads: ∂f/∂node per node (0 for nodes f does not depend on);  steps: one per operation node.
    """
    grads: list[float | None] = [None] * len(nodes)
    grads[output] = 1.0
    steps = []
    for node in reversed(nodes[: output + 1]):
        if node.op in LEAVES or grads[node.id] is None:
            continue
        grad = grads[node.id]
        sent = tuple(grad * local for local in node.local)
        for i, contribution in zip(node.inputs, sent):
            grads[i] = (grads[i] or 0.0) + contribution  # += : a node used twice collects both
        steps.append(BackwardStep(node.id, grad, node.local, sent, tuple(grads)))
    return tuple(0.0 if g is None else g for g in grads), tuple(steps)


def build_graph(text: str, values: Mapping[str, float]) -> Graph:
    """Parse, forward and backward in one call.

    Args:
        text: the expression.
        values: a number per variable.

    Returns:
        The Graph (nodes with values and local derivatives, backward steps, gradients).

    Raises:
        EngineError: from `parse_expression` or `forward`.
    """
    expression = parse_expression(text)
    nodes = forward(expression, values)
    grads, steps = backward(nodes, expression.output)
    return Graph(expression, nodes, grads, steps)


def evaluate(expression: Expression, values: Mapping[str, float]) -> float:
    """f at these variable values (the forward pass, output only)."""
    return forward(expression, values)[expression.output].value


def numerical_gradients(
    expression: Expression, values: Mapping[str, float], eps: float = 1e-6
) -> dict[str, float]:
    """∂f/∂v of every variable by central differences on the whole expression: (f(v + ε) − f(v − ε)) / 2ε.

    An independent check of `backward`: it never looks at a local derivative. Where f cannot be computed
    at v ± ε (e.g. log next to 0) the entry is NaN.

    Args:
        expression: from `parse_expression`.
        values: a number per variable.
        eps: the step ε.

    Returns:
        variable name -> numerical derivative.
    """
    result = {}
    for name in expression.variables:
        try:
            plus = evaluate(expression, {**values, name: values[name] + eps})
            minus = evaluate(expression, {**values, name: values[name] - eps})
        except ValueError:
            result[name] = math.nan
            continue
        result[name] = (plus - minus) / (2 * eps)
    return result
