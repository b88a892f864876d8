"""How the matrix page writes its arithmetic: one row of y = C·vec(x), one column of dX = Cᵀ·vec(δ), one
column of dW = im2colᵀ·vec(δ) and db = Σδ, in LaTeX with the run's numbers substituted. Symbols only: the
words around them come from the page's string table."""

from __future__ import annotations

from engine.matrix import MatrixRun, Term, column_terms, row_terms, tap_terms
from viz.numbers import tex_number, tex_operand

# Terms per line: a formula fits the page's two-thirds column (KaTeX scrolls a wider one sideways).
TERMS_PER_LINE = 4
# A longer sum (dW over every output position of a large map) shows its first terms and "+ ⋯".
MAX_TERMS = 20


def general_latex() -> list[str]:
    """The three products of the page, with symbols only."""
    return [
        r"\mathrm{vec}(y) = C\,\mathrm{vec}(x) = \mathrm{im2col}(X)\,\mathrm{vec}(W)",
        r"\mathrm{vec}(dX) = C^{\top}\,\mathrm{vec}(\delta), \qquad "
        r"\mathrm{vec}(dW) = \mathrm{im2col}(X)^{\top}\,\mathrm{vec}(\delta), \qquad "
        r"db = \textstyle\sum \delta",
    ]


def row_latex(run: MatrixRun, r: int) -> list[str]:
    """y(i, j) as row r of C times vec(x): C's entries are kernel taps, vec(x)'s are input cells."""
    W, W_out, KW = run.x.shape[1], run.y.shape[1], run.w.shape[1]
    i, j = divmod(r, W_out)
    terms = row_terms(run, r)
    head = rf"y_{{{i},{j}}} = \sum_{{q}} C_{{{r},q}}\, x_q"
    symbols = [rf"W_{{{_pair(run.taps[r, t.col], KW)}}}\, x_{{{_pair(t.col, W)}}}" for t in terms]
    return _lines(head, symbols, terms, run.y[i, j])


def column_latex(run: MatrixRun, q: int) -> list[str]:
    """dX(u, v) as column q of C times vec(δ): the windows that read input cell (u, v)."""
    W, W_out, KW = run.x.shape[1], run.y.shape[1], run.w.shape[1]
    u, v = divmod(q, W)
    terms = column_terms(run, q)
    head = rf"dX_{{{u},{v}}} = \sum_{{r}} C_{{r,{q}}}\, \delta_r"
    symbols = [rf"W_{{{_pair(run.taps[t.row, q], KW)}}}\, \delta_{{{_pair(t.row, W_out)}}}" for t in terms]
    return _lines(head, symbols, terms, run.dx[u, v])


def tap_latex(run: MatrixRun, t: int) -> list[str]:
    """dW(k, l) as column t of im2col times vec(δ) (windows whose tap t reads the padding give 0, left
    out), and db = Σ δ."""
    W_out, KW = run.y.shape[1], run.w.shape[1]
    k, l = divmod(t, KW)
    terms = [term for term in tap_terms(run, t) if not run.on_padding[term.row, t]]
    head = rf"dW_{{{k},{l}}} = \sum_{{r}} \mathrm{{im2col}}_{{r,{t}}}\, \delta_r"
    symbols = [
        rf"X^{{\mathrm{{pad}}}}_{{{_window_cell(run, term.row, t)}}}\, \delta_{{{_pair(term.row, W_out)}}}"
        for term in terms
    ]
    return [*_lines(head, symbols, terms, run.dw[k, l]), _bias_latex(run)]


def _bias_latex(run: MatrixRun) -> str:
    deltas = [Term(r, 0, 1.0, float(d)) for r, d in enumerate(run.delta.ravel())]
    lead = r"db = \sum_{r} \delta_r = "
    return _joined([tex_operand(term.operand) for term in deltas], lead, f" = {tex_number(run.db)}")


def _lines(head: str, symbols: list[str], terms: list[Term], value: float) -> list[str]:
    """head, = the symbols, = the numbers = the value: one formula each (just = 0 when there are no terms)."""
    if not terms:
        return [rf"{head} = 0"]
    numbers = [rf"{tex_operand(t.entry)} \cdot {tex_operand(t.operand)}" for t in terms]
    return [head, _joined(symbols, "= "), _joined(numbers, "= ", f" = {tex_number(value)}")]


def _joined(parts: list[str], lead: str = "", tail: str = "") -> str:
    """lead, the terms joined by +, tail: TERMS_PER_LINE terms a line (an aligned block when there are
    several, the lead on its first line and the tail on its last), at most MAX_TERMS of them."""
    more = len(parts) > MAX_TERMS
    parts = parts[:MAX_TERMS]
    chunks = [" + ".join(parts[n : n + TERMS_PER_LINE]) for n in range(0, len(parts), TERMS_PER_LINE)]
    if more:
        chunks[-1] += r" + \cdots"
    chunks[0] = lead + chunks[0]
    chunks[-1] += tail  # the same line as the lead when there is one
    if len(chunks) == 1:
        return chunks[0]
    return r"\begin{aligned} &" + r" \\ &+ ".join(chunks) + r"\end{aligned}"


def _pair(index: int, cols: int) -> str:
    """A flat index as its (row, column) subscript: "1,2"."""
    a, b = divmod(int(index), cols)
    return f"{a},{b}"


def _window_cell(run: MatrixRun, r: int, t: int) -> str:
    """The padded input cell tap t of window r reads: (i·s + k·d, j·s + l·d)."""
    g = run.geometry
    (i, j), (k, l) = divmod(r, g.out_size[1]), divmod(t, g.kernel[1])
    return f"{i * g.stride[0] + k * g.dilation[0]},{j * g.stride[1] + l * g.dilation[1]}"
