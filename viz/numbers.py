"""How figures and their captions write a number: the one formatter for text beside and inside figures."""

from __future__ import annotations


def figure_number(v: float, digits: int = 4) -> str:
    """`v` with `digits` significant digits and a real minus sign (not the hyphen): "−0.2353", "1.5e+04"."""
    return f"{float(v):.{digits}g}".replace("-", "−")
