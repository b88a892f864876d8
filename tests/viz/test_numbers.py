"""The one formatter of numbers beside and inside figures."""

from __future__ import annotations

import numpy as np

from viz.numbers import figure_number


def test_figure_numbers_have_four_significant_digits_and_a_real_minus() -> None:
    assert figure_number(-0.235294) == "−0.2353"
    assert figure_number(np.float32(2.0)) == "2"
    assert figure_number(15000.0) == "1.5e+04"
    assert figure_number(-1.23456e-7) == "−1.235e−07"
    assert figure_number(0.123456, digits=2) == "0.12"
    assert "-" not in figure_number(-3.5)
