"""The chain-rule page's formulas in LaTeX (FORMULAS.md §6): the expression, each node's definition with
its numbers, and each backward step: the node's gradient and what each of its inputs receives.

In the formulas a variable is written by its name (x1 → x_{1}), a constant by its number, the operations
q_1, q_2, … in the engine's order and the output f. The numbers are the engine's (`engine.graph`); the
figure of the same graph is drawn by viz/graph.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from engine.graph import LEAVES, Expression, Graph
from viz.numbers import tex_number, tex_operand

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
