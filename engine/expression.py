"""Parsing a typed scalar expression for the chain-rule page (FORMULAS.md §6): text in, `Expression` out.

A student types a scalar expression such as `(x + y) * z`. It is parsed with `ast.parse(..., mode="eval")`
and only a whitelist of node types, operators and functions is accepted: nothing typed is ever run by
Python (no eval/exec). Each operation becomes one node; a variable used twice is one node feeding two
others. What the expression computes, forward and backward, is engine/graph.py.
"""

from __future__ import annotations

import ast
import math
import re
from typing import NamedTuple

from engine.errors import EngineError, Phrase

MAX_LENGTH = 200  # characters of a typed expression
MAX_NODES = 60  # nodes of its graph: more would not be readable in a figure anyway
MAX_VARIABLES = 10
MAX_EXPONENT = 64.0  # |exponent| of **: 9**9**9 is refused at once instead of overflowing somewhere

UNARY_FUNCTIONS: tuple[str, ...] = ("exp", "log", "abs", "sigmoid", "relu", "tanh")
VARIADIC_FUNCTIONS: tuple[str, ...] = ("max", "min")  # two or more arguments
FUNCTIONS: tuple[str, ...] = UNARY_FUNCTIONS + VARIADIC_FUNCTIONS
BINARY_OPERATORS: dict[type, str] = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "div",
    ast.Pow: "pow",
}
LEAVES: tuple[str, ...] = ("var", "const")

# What a refused piece of Python is called in the error sentence: words (an app translates them) or a
# symbol.
_REFUSED_NAMES: dict[type, Phrase | str] = {
    ast.Attribute: Phrase("attribute access (a.b)"),
    ast.Subscript: Phrase("indexing (a[i])"),
    ast.Lambda: Phrase("lambda"),
    ast.ListComp: Phrase("comprehensions"),
    ast.SetComp: Phrase("comprehensions"),
    ast.DictComp: Phrase("comprehensions"),
    ast.GeneratorExp: Phrase("comprehensions"),
    ast.JoinedStr: Phrase("f-strings"),
    ast.Compare: Phrase("comparisons"),
    ast.BoolOp: Phrase("and/or"),
    ast.IfExp: Phrase("if/else"),
    ast.NamedExpr: ":=",
    ast.List: Phrase("lists"),
    ast.Tuple: Phrase("tuples"),
    ast.Dict: Phrase("dictionaries"),
    ast.Set: Phrase("sets"),
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
}
# What a student types or pastes from a formula: the typographic operators and spaces read as Python's.
# Full-width forms (U+FF01–U+FF5E) are what a Chinese input method types for ( ) + * / and digits.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2212": "-",  # − minus sign (the app's own sentences print it)
        "\u2013": "-",  # – en dash, pasted from documents
        "\u00d7": "*",  # ×
        "\u00b7": "*",  # · middle dot
        "\u22c5": "*",  # ⋅ dot operator
        "\u2217": "*",  # ∗ asterisk operator
        "\u00f7": "/",  # ÷
        "\u2044": "/",  # ⁄ fraction slash
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\u3000": " ",  # ideographic space
        **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    }
)
_OPERATOR_SYMBOLS: dict[type, str] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.Not: "not",
}


class GraphNode(NamedTuple):
    """One node of a parsed expression: its operation, the ids of its inputs and the text it stands for."""

    id: int
    op: str  # "var", "const", one of BINARY_OPERATORS' values, "neg", or a name of FUNCTIONS
    inputs: tuple[int, ...]  # ids of the input nodes, each smaller than id
    text: str  # the variable's name, the constant, or the sub-expression in Python syntax
    constant: float | None = None  # the number of a "const" node


class Expression(NamedTuple):
    """A parsed expression: its nodes in topological order (every node after its inputs)."""

    text: str
    nodes: tuple[GraphNode, ...]
    variables: tuple[str, ...]  # in order of first appearance
    output: int  # id of the node whose value is f


# ---------------------------------------------------------------------------------------------------- parsing


def parse_expression(text: str) -> Expression:
    """Parse a typed scalar expression into graph nodes, accepting only a whitelist of Python syntax.

    Allowed: numbers, variable names, + − * / **, unary minus, and the functions exp, log, abs, sigmoid,
    relu, tanh, max, min. Everything else (attribute access, indexing, lambdas, ...) is refused. The
    typographic − × · ÷, full-width forms and non-breaking spaces count as their ASCII meaning.

    Args:
        text: the expression, e.g. "(x + y) * z".

    Returns:
        The Expression (nodes in topological order).

    Raises:
        EngineError: with a sentence for a syntax error, a refused construct, an unknown function, a
            name that cannot be a variable, or an expression that is too long or has too many nodes.
    """
    text = ascii_operators(text).strip()
    if not text:
        raise EngineError("Type an expression, for example (x + y) * z.")
    if len(text) > MAX_LENGTH:
        raise EngineError(
            "The expression has {length} characters; the limit is {limit}.",
            length=len(text),
            limit=MAX_LENGTH,
        )
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError) as err:
        reason = _syntax_reason(getattr(err, "msg", str(err)))
        if getattr(err, "offset", None):
            raise EngineError(
                "This is not a valid expression (near character {offset}): {reason}.",
                offset=err.offset,
                reason=reason,
            ) from None
        raise EngineError("This is not a valid expression: {reason}.", reason=reason) from None
    builder = _Builder()
    output = builder.visit(tree.body)
    return Expression(text, tuple(builder.nodes), tuple(builder.variables), output)


def ascii_operators(text: str) -> str:
    """The text with − × · ÷, full-width forms and non-breaking spaces replaced by their ASCII meaning."""
    return text.translate(_TYPOGRAPHIC)


class _Builder:
    """Walks the syntax tree depth first, children before parents, so node ids are a topological order."""

    def __init__(self) -> None:
        self.nodes: list[GraphNode] = []
        self.variables: dict[str, int] = {}  # name -> node id: one node per variable, however often used

    def add(self, op: str, inputs: tuple[int, ...], text: str, constant: float | None = None) -> int:
        if len(self.nodes) >= MAX_NODES:
            raise EngineError(
                "The expression needs more than {limit} nodes; make it shorter.", limit=MAX_NODES
            )
        self.nodes.append(GraphNode(len(self.nodes), op, inputs, text, constant))
        return len(self.nodes) - 1

    def visit(self, node: ast.expr) -> int:
        if isinstance(node, ast.Constant):
            return self.add("const", (), _number_text(_number(node.value)), _number(node.value))
        if isinstance(node, ast.Name):
            return self.variable(node.id)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY_OPERATORS:
                raise _operator_refusal(node.op)
            inputs = (self.visit(node.left), self.visit(node.right))
            return self.add(BINARY_OPERATORS[type(node.op)], inputs, ast.unparse(node))
        if isinstance(node, ast.Call):
            return self.call(node)
        what = _REFUSED_NAMES.get(type(node), Phrase("this kind of expression"))
        raise EngineError("{what} cannot be used here: {allowed}", what=what, allowed=_allowed())

    def unary(self, node: ast.UnaryOp) -> int:
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if not isinstance(node.op, ast.USub):
            raise _operator_refusal(node.op)
        if isinstance(node.operand, ast.Constant):
            # −3 is a number, not "negate 3": one node, as the student reads it.
            value = -_number(node.operand.value)
            return self.add("const", (), _number_text(value), value)
        return self.add("neg", (self.visit(node.operand),), ast.unparse(node))

    def call(self, node: ast.Call) -> int:
        if not isinstance(node.func, ast.Name):
            raise EngineError(
                "Only the functions {functions} can be called, by their names.",
                functions=", ".join(FUNCTIONS),
            )
        if node.func.id not in FUNCTIONS:
            raise EngineError(
                "Unknown function {name!r}: the functions are {functions}.",
                name=node.func.id,
                functions=", ".join(FUNCTIONS),
            )
        name = node.func.id
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise EngineError("{name}(...) takes plain arguments, without names or *.", name=name)
        if name in UNARY_FUNCTIONS and len(node.args) != 1:
            raise EngineError(
                "{name} takes exactly one argument, not {count}.", name=name, count=len(node.args)
            )
        if name in VARIADIC_FUNCTIONS and len(node.args) < 2:
            raise EngineError(
                "{name} takes two or more arguments, not {count}.", name=name, count=len(node.args)
            )
        inputs = tuple(self.visit(arg) for arg in node.args)
        return self.add(name, inputs, ast.unparse(node))

    def variable(self, name: str) -> int:
        if name in FUNCTIONS:
            raise EngineError("{name} is a function: call it, as in {name}(x).", name=name)
        if name.startswith("_"):
            raise EngineError(
                "{name!r} cannot be a variable: a variable name starts with a letter.", name=name
            )
        if name not in self.variables:
            if len(self.variables) >= MAX_VARIABLES:
                raise EngineError("The expression has more than {limit} variables.", limit=MAX_VARIABLES)
            self.variables[name] = self.add("var", (), name)
        return self.variables[name]


def _allowed() -> Phrase:
    """What may be typed, the end of every refusal: "use numbers, variable names, + − * / **, and ..." """
    return Phrase(
        "use numbers, variable names, + − * / **, and the functions {functions}.",
        functions=", ".join(FUNCTIONS),
    )


def _syntax_reason(message: str) -> Phrase | str:
    """Python's reason for a syntax error as words an app can translate, for the commonest typing mistakes.

    The phrase is Python's own words, what varies in them (a bracket, a character) as a field; any other
    reason is kept as Python wrote it.
    """
    if message == "invalid syntax":
        return Phrase("invalid syntax")
    if message == "invalid syntax. Perhaps you forgot a comma?":
        return Phrase("invalid syntax. Perhaps you forgot a comma?")
    if message == "invalid decimal literal":
        return Phrase("invalid decimal literal")
    if match := re.fullmatch(r"'(?P<bracket>.)' was never closed", message):
        return Phrase("'{bracket}' was never closed", **match.groupdict())
    if match := re.fullmatch(r"unmatched '(?P<bracket>.)'", message):
        return Phrase("unmatched '{bracket}'", **match.groupdict())
    mismatched = r"closing parenthesis '(?P<closing>.)' does not match opening parenthesis '(?P<opening>.)'"
    if match := re.fullmatch(mismatched, message):
        return Phrase(
            "closing parenthesis '{closing}' does not match opening parenthesis '{opening}'",
            **match.groupdict(),
        )
    bad_character = r"invalid character '(?P<character>.)' \(U\+(?P<codepoint>[0-9A-F]+)\)"
    if match := re.fullmatch(bad_character, message):
        return Phrase("invalid character '{character}' (U+{codepoint})", **match.groupdict())
    return message


def _number(value: object) -> float:
    """A literal as a finite float, or an EngineError (True, strings, 1j and 1e999 are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EngineError("{value!r} is not a number: {allowed}", value=value, allowed=_allowed())
    try:
        number = float(value)
    except OverflowError:
        raise EngineError("A number in the expression is too large.") from None
    if not math.isfinite(number):
        raise EngineError("A number in the expression is too large.")
    return number


def _number_text(value: float) -> str:
    return f"{value:g}"


def _operator_refusal(op: ast.AST) -> EngineError:
    symbol = _OPERATOR_SYMBOLS.get(type(op), type(op).__name__)
    if isinstance(op, ast.BitXor):  # what most people type for a power: say what to write instead
        return EngineError(
            "The operator {symbol} is not allowed (for a power write **): {allowed}",
            symbol=symbol,
            allowed=_allowed(),
        )
    return EngineError("The operator {symbol} is not allowed: {allowed}", symbol=symbol, allowed=_allowed())
