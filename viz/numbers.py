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


# --- numbers printed in the cells of a grid -------------------------------------------------------------

# The smallest number a projector shows (DESIGN.md, "Projector"): a panel whose cells cannot hold its
# numbers at this size shows fewer cells, or colours only, never smaller or clipped numbers.
MIN_PROJECTED_PX = 18
# Room between the numbers of two neighbouring cells, in pixels.
CELL_PAD_PX = 8
# Widths in em: a digit is 0.55 em in Arial and Segoe UI, 0.6 in Inter; a point or a comma less.
_NARROW = {".": 0.3, ",": 0.3, " ": 0.3}


def text_em(text: str) -> float:
    """Width of a number's text in em, on the wide side of the usual sans-serif fonts (0.6 em a digit)."""
    return sum(_NARROW.get(character, 0.6) for character in text)


def grid_texts(values: np.ndarray, number_format: str) -> list[str]:
    """The texts Plotly prints for `values` with a d3 `number_format` (".2f", ".3~g"): to measure them."""
    spec = number_format.replace("~", "")
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    texts = [format(float(v), spec) for v in np.unique(finite)]
    if "~" in number_format and spec.endswith("f"):  # d3's "~" trims a fixed number's trailing zeros
        texts = [text.rstrip("0").rstrip(".") if "." in text else text for text in texts]
    return texts


def cell_px_for(texts: list[str], font_px: float = MIN_PROJECTED_PX) -> float:
    """The cell side in pixels that holds the widest of `texts` at `font_px`, with room around it."""
    widest = max((text_em(text) for text in texts), default=1.0)
    return max(widest * font_px + CELL_PAD_PX, 2 * font_px)


def fitting_font(
    texts: list[str], cell_px: float, largest: int = 24, smallest: int = MIN_PROJECTED_PX
) -> int:
    """The largest font size (px) at which every text fits a cell `cell_px` wide; 0 below `smallest`."""
    widest = max((text_em(text) for text in texts), default=1.0)
    size = int(min(largest, (cell_px - CELL_PAD_PX) / widest, cell_px / 2))
    return size if size >= smallest else 0
