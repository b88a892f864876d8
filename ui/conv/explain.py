"""LaTeX for the convolution pages: the formulas of FORMULAS.md with the user's numbers substituted.

Only formatting lives here: every number comes from the engine (the geometry, the trace's steps).
"""

from __future__ import annotations

import numpy as np

from engine.geometry import ConvGeometry
from engine.trace import ForwardStep
from viz import numbers

MAX_ROWS = 5  # kernel rows written out in full (one line each); more show the first and last terms
MAX_ROW_TERMS = 5


def tex_number(v: float, digits: int = 3) -> str:
    """A number of the worked sums (viz.numbers, the app's one LaTeX formatter; 3 significant digits)."""
    return numbers.tex_number(v, digits)


def _signed(v: float) -> str:
    """A number that follows an operator: negatives in parentheses."""
    return numbers.tex_operand(v, 3)


def output_size_tex(geometry: ConvGeometry, axis: int, axis_name: str) -> str:
    """H_out = ⌊(H + p₁ + p₂ − d(K − 1) − 1) / s⌋ + 1 with this axis's numbers, and the result."""
    n = geometry.in_size[axis]
    k = geometry.kernel[axis]
    s = geometry.stride[axis]
    d = geometry.dilation[axis]
    p1, p2 = geometry.padding[axis]
    out = geometry.out_size[axis]
    sym = "H" if axis == 0 else "W"
    symbols = rf"\frac{{{sym} + p_1 + p_2 - d\,(K - 1) - 1}}{{s}}"
    numbers = rf"\frac{{{n} + {p1} + {p2} - {d}\cdot({k} - 1) - 1}}{{{s}}}"
    return (
        rf"\text{{{axis_name}: }}\; {sym}_{{out}} = \left\lfloor {symbols} \right\rfloor + 1"
        rf" = \left\lfloor {numbers} \right\rfloor + 1 = \mathbf{{{out}}}"
    )


def forward_formula_tex() -> str:
    """FORMULAS.md §1, the multi-channel forward pass with stride s and dilation d."""
    return (
        r"Z(i, j) = b + \sum_{c} \sum_{k} \sum_{l} X_{\text{pad}}(c,\; i\,s_h + k\,d_h,\; j\,s_w + l\,d_w)"
        r"\cdot W(c, k, l), \qquad A = \sigma(Z)"
    )


def step_tex(step: ForwardStep, kernel: np.ndarray, activation_tex: str | None) -> str:
    """The current step's sum written out, one kernel row a line: Z(i, j) = b + Σ x·w = … (engine numbers).

    Args:
        step: one step of a forward trace; kernel: (C, KH, KW), the trace's kernel.
        activation_tex: LaTeX name of σ, or None for no activation.
    """
    C, KH, KW = kernel.shape
    rows = [
        " + ".join(f"{tex_number(x)}\\cdot{_signed(w)}" for x, w in zip(step.window[c, k], kernel[c, k]))
        for c in range(C)
        for k in range(KH)
    ]
    if len(rows) > MAX_ROWS or KW > MAX_ROW_TERMS:
        terms = [f"{tex_number(x)}\\cdot{_signed(w)}" for x, w in zip(step.window.ravel(), kernel.ravel())]
        rows = [" + ".join(terms[:3]) + r" + \cdots", r"\cdots + " + " + ".join(terms[-2:])]
    body = r" \\ &\qquad + ".join(rows)
    lines = [
        rf"Z({step.i}, {step.j}) &= {_signed(step.bias)} + \bigl({body}\bigr)",
        rf"&= {_signed(step.bias)} + {_signed(step.total)} = \mathbf{{{tex_number(step.z, 4)}}}",
    ]
    if activation_tex:
        z, a = tex_number(step.z, 4), tex_number(step.a, 4)
        lines.append(rf"A({step.i}, {step.j}) &= {activation_tex}({z}) = \mathbf{{{a}}}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
