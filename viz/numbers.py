"""How the app writes a number: beside and inside figures, and in LaTeX. The one place for both."""

from __future__ import annotations

import numpy as np


def figure_number(v: float, digits: int = 4) -> str:
    """`v` with `digits` significant digits and a real minus sign (not the hyphen): "−0.2353", "1.5e+04".

    A value that rounds to zero is "0", never "−0".
    """
    text = f"{float(v):.{digits}g}"
    if text.lstrip("-") in ("0", "0.0"):
        return "0"
    return text.replace("-", "−")


def tex_number(v: float, digits: int = 4) -> str:
    r"""`v` for LaTeX with `digits` significant digits: 0.2984, -1.5, 4.386\times10^{-4}, 0 (never -0)."""
    v = float(v)
    if not np.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\mathrm{NaN}")
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times10^{{{int(exponent)}}}"
    return "0" if float(text) == 0 else text


def tex_operand(v: float, digits: int = 4) -> str:
    """`tex_number`, in parentheses when negative: a number that follows an operator ("2 · (−3)")."""
    text = tex_number(v, digits)
    return f"({text})" if text.startswith("-") else text


def tex_matrix(a: np.ndarray, digits: int = 4) -> str:
    """A matrix (a vector as a column) as a LaTeX bmatrix of its numbers."""
    a = np.asarray(a, dtype=np.float64)
    a = a[:, None] if a.ndim == 1 else a
    rows = [" & ".join(tex_number(v, digits) for v in row) for row in a]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
