"""The one formatter of numbers beside and inside figures."""

from __future__ import annotations

import numpy as np
import pytest

from viz.numbers import figure_number, tex_matrix, tex_number, tex_operand


def test_figure_numbers_have_four_significant_digits_and_a_real_minus() -> None:
    assert figure_number(-0.235294) == "−0.2353"
    assert figure_number(np.float32(2.0)) == "2"
    assert figure_number(15000.0) == "1.5e+04"
    assert figure_number(-1.23456e-7) == "−1.235e−07"
    assert figure_number(0.123456, digits=2) == "0.12"
    assert "-" not in figure_number(-3.5)


def test_a_value_that_rounds_to_zero_is_zero_without_a_sign() -> None:
    assert figure_number(-0.0) == "0"
    assert figure_number(-1e-9, digits=2) == "−1e−09"  # small is not zero
    assert tex_number(-0.0) == "0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.298371109, "0.2984"),
        (-1.5, "-1.5"),
        (0.000438568, "0.0004386"),
        (1.2e-7, r"1.2\times10^{-7}"),
        (0.0, "0"),
    ],
)
def test_tex_number(value, text):
    assert tex_number(value) == text


def test_tex_matrix_of_a_vector_is_a_column():
    assert tex_matrix(np.array([1.0, -2.0])) == r"\begin{bmatrix}1 \\ -2\end{bmatrix}"
    assert tex_matrix(np.array([[1.0, 2.0]])) == r"\begin{bmatrix}1 & 2\end{bmatrix}"


def test_tex_number_of_infinities_and_nan() -> None:
    texts = (tex_number(np.inf), tex_number(-np.inf), tex_number(np.nan))
    assert texts == (r"\infty", r"-\infty", r"\mathrm{NaN}")


def test_tex_operand_puts_negatives_in_parentheses() -> None:
    assert tex_operand(-2.5) == "(-2.5)"
    assert tex_operand(2.5) == "2.5"
    assert tex_operand(-0.0) == "0"
    assert tex_operand(-1.2e-7) == r"(-1.2\times10^{-7})"
    assert tex_operand(0.123456, digits=3) == "0.123"
