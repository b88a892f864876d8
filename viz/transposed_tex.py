"""How the transposed page writes its arithmetic: the output-size formula and one output cell's sum, in LaTeX
with the run's numbers substituted. Symbols only: the words around them come from the page's string table."""

from __future__ import annotations

from engine.transposed import TransposedGeometry
from engine.transposed_trace import StampTerm
from viz.numbers import tex_number, tex_operand

# Terms per line of a long sum: a stride of 1 with a 5 × 5 kernel gives an interior cell 25 of them.
TERMS_PER_LINE = 5


def size_latex(geometry: TransposedGeometry) -> list[str]:
    """H_out and W_out by the formula, with the numbers substituted, one line per axis."""
    g = geometry
    lines = []
    for axis, n, K, s, p, o, d, out in zip(
        ("H", "W"), g.in_size, g.kernel, g.stride, g.padding, g.output_padding, g.dilation, g.out_size
    ):
        symbols = rf"{axis}_{{\mathrm{{out}}}} = ({axis} - 1)\,s - 2p + d\,(K - 1) + o + 1"
        numbers = rf"({n} - 1) \cdot {s} - 2 \cdot {p} + {d} \cdot ({K} - 1) + {o} + 1"
        lines.append(rf"{symbols} = {numbers} = {out}")
    return lines


def general_latex() -> str:
    """The sum every output cell is, and the layer as the transpose of a convolution's matrix."""
    return (
        r"y_{u,v} = \sum_{\substack{i s + k d - p \,=\, u \\ j s + l d - p \,=\, v}} x_{i,j}\, W_{k,l}"
        r"\qquad\Longleftrightarrow\qquad \mathrm{vec}(y) = C^{\top}\, \mathrm{vec}(x)"
    )


def cell_latex(terms: list[StampTerm], u: int, v: int, value: float) -> list[str]:
    """y(u, v) as its sum of stamp terms: the symbols, then the numbers, then the value.

    Args:
        terms: from `engine.transposed_trace.cell_terms`, in stamping order (empty: no stamp reaches it).
        value: the engine's y(u, v).
    """
    head = rf"y_{{{u},{v}}}"
    if not terms:
        return [rf"{head} = 0"]
    symbols = [rf"x_{{{t.i},{t.j}}} W_{{{t.k},{t.l}}}" for t in terms]
    numbers = [rf"{tex_operand(t.x)} \cdot {tex_operand(t.w)}" for t in terms]
    return [
        rf"{head} = {_lines(symbols)}",
        rf"{head} = {_lines(numbers)} = {tex_number(value)}",
    ]


def _lines(parts: list[str]) -> str:
    """Terms joined by +, broken into lines of TERMS_PER_LINE (an aligned block when there are several)."""
    chunks = [" + ".join(parts[n : n + TERMS_PER_LINE]) for n in range(0, len(parts), TERMS_PER_LINE)]
    if len(chunks) == 1:
        return chunks[0]
    return r"\begin{aligned} &" + r" \\ &+ ".join(chunks) + r"\end{aligned}"
