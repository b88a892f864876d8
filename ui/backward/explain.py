"""LaTeX for the backward page: FORMULAS.md §2 in symbols, and with the user's numbers substituted.

Only formatting lives here: every number comes from the engine (the gradients, a trace's step, the
gather terms of one pixel).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from engine.gather import GatherTerm
from engine.trace import BackwardStep
from ui.common.i18n import t
from ui.conv.explain import tex_number  # the worked sums' numbers, as the forward page writes them
from viz import numbers

MAX_MATRIX = 5  # kernels up to 5×5 are written as matrices


def _power_of(a: np.ndarray) -> int:
    """A power of ten k to factor out of a grid so its largest entry reads between 1 and 10 (0 if it
    already reads well, between 0.01 and 1000)."""
    top = float(np.max(np.abs(a))) if np.size(a) else 0.0
    if top == 0 or 0.01 <= top < 1000:
        return 0
    return int(np.floor(np.log10(top)))


def _signed(v: float, digits: int = 3) -> str:
    """A number that follows an operator: negatives in parentheses."""
    return numbers.tex_operand(v, digits)


def _bold(v: float, digits: int = 4) -> str:
    return rf"\mathbf{{{tex_number(v, digits)}}}"


def _shown(count: int, head: int = 4, tail: int = 2) -> list[int | None]:
    """Which of `count` terms a sum writes out: all, or the first `head`, a gap (None) and the last `tail`."""
    if count <= head + tail + 1:
        return list(range(count))
    return [*range(head), None, *range(count - tail, count)]


def _sum_of(terms: Sequence[str] | Callable[[int], str], count: int, head: int = 4, tail: int = 2) -> str:
    """The written-out sum of `count` terms, formatting only the terms shown (a map has 262 144)."""
    term = terms if callable(terms) else terms.__getitem__
    return " + ".join(r"\cdots" if k is None else term(k) for k in _shown(count, head, tail))


def bmatrix(a: np.ndarray, digits: int = 3) -> str:
    """A 2-D array as a LaTeX matrix."""
    rows = [" & ".join(tex_number(v, digits) for v in row) for row in np.asarray(a)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# --- the loss and δ -------------------------------------------------------------------------------------

DERIVATIVE_TEX = {
    "identity": r"\sigma'(z) = 1",
    "relu": r"\mathrm{ReLU}'(z) = [z > 0]",
    # IF and ELSE are filled in by delta_general_tex, in the page's language.
    "leaky_relu": r"\mathrm{LeakyReLU}'(z) = 1 \text{ IF } z > 0 \text{ ELSE } 0.01",
    "sigmoid": r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
    "tanh": r"\tanh'(z) = 1 - \tanh^2(z)",
}


def loss_tex(kind: str, loss: float, scale: float, cells: int, cell: tuple[int, int, int]) -> str:
    """The loss in symbols, its value, and ∂L/∂A.

    Args:
        scale: Σ|A|, the size of the terms of the sum: a loss below 10⁻¹² of it is rounding noise, shown as 0.
    """
    d = r"\frac{\partial L}{\partial A}"
    loss = 0.0 if abs(loss) < 1e-12 * max(scale, 1.0) else loss
    if kind == "sum":
        return rf"L = \sum_{{f,i,j}} A(f, i, j) = {_bold(loss)}, \qquad {d}(f, i, j) = 1"
    if kind == "mse":
        return (
            rf"L = \frac{{1}}{{2M}} \sum_{{f,i,j}} \big(A(f, i, j) - T(f, i, j)\big)^2 = {_bold(loss)}"
            rf"\quad (M = {cells}), \qquad {d} = \frac{{A - T}}{{M}}"
        )
    f, i, j = cell
    return (
        rf"L = A({f + 1}, {i}, {j}) = {_bold(loss)}, \qquad {d}(f', i', j') = "
        rf"\begin{{cases}} 1 & (f', i', j') = ({f + 1}, {i}, {j}) \\ "
        rf"0 & \text{{{t('backward.tex.otherwise')}}} \end{{cases}}"
    )


def delta_general_tex(activation: str) -> str:
    """δ = ∂L/∂Z = ∂L/∂A ⊙ σ'(Z), with this activation's derivative."""
    slope = DERIVATIVE_TEX[activation].replace("IF", t("backward.tex.if"))
    return (
        r"\delta = \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot \sigma'(Z),"
        rf"\qquad {slope.replace('ELSE', t('backward.tex.else'))}"
    )


def delta_tex(cell: tuple[int, int], da: float, z: float, dsigma: float, delta: float) -> str:
    """δ(i, j) = ∂L/∂A(i, j) · σ'(Z(i, j)) with the numbers of one output cell."""
    i, j = cell
    return (
        rf"\delta({i}, {j}) = \frac{{\partial L}}{{\partial A}}({i}, {j}) \cdot \sigma'\big(Z({i}, {j})\big)"
        rf" = {_signed(da, 4)} \cdot \sigma'({tex_number(z, 4)})"
        rf" = {_signed(da, 4)} \cdot {_signed(dsigma, 4)} = {_bold(delta)}"
    )


# --- FORMULAS.md §2 -------------------------------------------------------------------------------------


def backward_formulas_tex() -> list[str]:
    """The three gradients of the convolution (FORMULAS.md §2), one image."""
    return [
        r"\frac{\partial L}{\partial b(f)} = \sum_{i,j} \delta(f, i, j)",
        r"\frac{\partial L}{\partial W(f, c, k, l)} = \sum_{i,j} \delta(f, i, j)\cdot"
        r" X_{\text{pad}}(c,\; i\,s_h + k\,d_h,\; j\,s_w + l\,d_w)",
        r"\frac{\partial L}{\partial X_{\text{pad}}(c, u, v)} = \sum_{f} \sum_{\substack{(i, j, k, l):\;"
        r" i\,s_h + k\,d_h = u \\ j\,s_w + l\,d_w = v}} \delta(f, i, j)\cdot W(f, c, k, l)",
    ]


def db_tex(f: int, delta: np.ndarray, db: float) -> str:
    """db(f) = Σ δ(f, i, j) with its first and last nonzero terms written out."""
    flat = delta.ravel()
    nonzero = np.flatnonzero(flat)
    terms = _sum_of(lambda k: _signed(flat[nonzero[k]]), nonzero.size, head=3, tail=1) or "0"
    lhs = rf"\frac{{\partial L}}{{\partial b({f + 1})}} &= \sum_{{i,j}} \delta({f + 1}, i, j)"
    # Two lines: the sum's terms below its definition, so that a projector's large type keeps them on screen.
    return rf"\begin{{aligned}} {lhs} \\ &= {terms} = {_bold(db)} \end{{aligned}}"


def dw_entry_tex(f: int, c: int, k: int, l: int, delta: np.ndarray, taps: np.ndarray, dw: float) -> str:
    """One entry of dW written out: Σ δ(i, j)·X_pad(...) over the output positions, zero terms left out.

    Args:
        delta: (H_out, W_out) δ of kernel f; taps: (H_out, W_out) the input each position multiplies by
            W(f, c, k, l) (the tap's slice of X_pad).
    """
    d, x = delta.ravel(), taps.ravel()
    nonzero = np.flatnonzero((d != 0) & (x != 0))

    def product(n: int) -> str:
        return f"{_signed(d[nonzero[n]])}\\cdot{_signed(x[nonzero[n]])}"

    terms = _sum_of(product, nonzero.size, head=2, tail=1) or "0"
    return (
        rf"\begin{{aligned}} \frac{{\partial L}}{{\partial W({f + 1}, {c}, {k}, {l})}} &= \sum_{{i,j}} "
        rf"\delta({f + 1}, i, j)\,X_{{\text{{pad}}}}({c},\, i\,s_h + {k} d_h,\, j\,s_w + {l} d_w) \\ "
        rf"&= {terms} = {_bold(dw)} \end{{aligned}}"
    )


# --- one step of the scatter form -----------------------------------------------------------------------


def _grid(a: np.ndarray) -> str:
    """A kernel-sized grid as a matrix (a common power of ten in front), or its first entry and ⋯ when
    it is too large to read."""
    k = _power_of(a)
    factor = rf"10^{{{k}}}\," if k else ""
    a = a / 10.0**k
    if max(a.shape) <= MAX_MATRIX:
        return factor + bmatrix(a)
    return factor + rf"\begin{{bmatrix}} {tex_number(a[0, 0])} & \cdots \\ \vdots & \ddots \end{{bmatrix}}"


def step_tex(step: BackwardStep, kernel: np.ndarray, channel: int, channel_name: str) -> list[str]:
    """What output position (i, j) adds to db, dW and dX_pad, with its numbers (one channel).

    Args:
        step: one step of engine.trace.backward_trace; kernel: (C, KH, KW).
    """
    i, j, d = step.i, step.j, step.delta
    c = rf"_{{\text{{{channel_name}}}}}" if channel_name else ""
    plus, window_word = rf"\mathrel{{+}}= \delta({i}, {j})", t("backward.tex.window")
    window, dw_part = _grid(step.window[channel]), _grid(step.dw_contribution[channel])
    weights, dx_part = _grid(kernel[channel]), _grid(step.dx_contribution[channel])
    return [
        rf"\frac{{\partial L}}{{\partial b}} {plus} = {_signed(d, 4)}"
        rf"\quad\Rightarrow\quad \frac{{\partial L}}{{\partial b}} = {_bold(step.db_total)}"
        rf"\ \text{{{t('backward.tex.so_far')}}}",
        rf"\frac{{\partial L}}{{\partial W}}{c} {plus} \cdot X_{{\text{{pad}}}}[\text{{{window_word}}}]"
        rf" = {_signed(d, 4)} \cdot {window} = {dw_part}",
        rf"\frac{{\partial L}}{{\partial X_{{\text{{pad}}}}}}{c}[\text{{{window_word}}}] {plus} \cdot W"
        rf" = {_signed(d, 4)} \cdot {weights} = {dx_part}",
    ]


# --- one pixel of the gather form -----------------------------------------------------------------------


def gather_tex(terms: Sequence[GatherTerm], c: int, u: int, v: int, value: float, several: bool) -> str:
    """dX_pad(c, u, v) as the sum of its terms δ(f, i, j)·W(f, c, k, l), with the numbers.

    Args:
        several: True when there are several kernels (then f is written in each term).
    """
    lhs = rf"\frac{{\partial L}}{{\partial X_{{\text{{pad}}}}({c}, {u}, {v})}}"
    if not terms:
        return rf"{lhs} = 0 \quad (\text{{{t('backward.tex.unread')}}})"

    def name(t: GatherTerm) -> str:
        f = f"{t.f + 1}, " if several else ""
        return rf"\delta({f}{t.i}, {t.j})\,W({f}{t.k}, {t.l})"

    symbols = _sum_of(lambda k: name(terms[k]), len(terms), head=3, tail=1)
    numbers = _sum_of(
        lambda k: f"{_signed(terms[k].delta)}\\cdot{_signed(terms[k].weight)}", len(terms), 4, 1
    )
    return rf"{lhs} = {symbols} \\ = {numbers} = {_bold(value)}"
