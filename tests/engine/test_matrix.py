"""engine/matrix.py: the convolution matrix C and the im2col matrix give the engine's convolution layer:
C·vec(x) = conv2d_forward, Cᵀ·vec(δ) = conv2d_backward's dX, im2colᵀ·vec(δ) = dW, Σδ = db; by hand on a
3 × 3 input with a 2 × 2 kernel, and by hypothesis over shapes, stride, padding and dilation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import columns
from engine.errors import EngineError
from engine.geometry import pad_input
from engine.matrix import (
    column_terms,
    conv_matrix,
    im2col_rows,
    matrix_geometry,
    reads_padding,
    row_terms,
    run_matrix,
    tap_matrix,
    tap_terms,
)

X3 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
W2 = np.array([[1.0, -1.0], [2.0, 0.5]])


# --- by hand -------------------------------------------------------------------------------------------


def test_the_3x3_input_and_2x2_kernel_by_hand() -> None:
    g = matrix_geometry((3, 3), 2)
    C = conv_matrix(W2, tap_matrix(g))
    # Row 0 is window (0, 0): x(0,0)·1 + x(0,1)·(−1) + x(1,0)·2 + x(1,1)·0.5; row 3 is window (1, 1).
    expected = np.array(
        [
            [1, -1, 0, 2, 0.5, 0, 0, 0, 0],
            [0, 1, -1, 0, 2, 0.5, 0, 0, 0],
            [0, 0, 0, 1, -1, 0, 2, 0.5, 0],
            [0, 0, 0, 0, 1, -1, 0, 2, 0.5],
        ]
    )
    np.testing.assert_array_equal(C, expected)
    y = C @ X3.ravel()
    np.testing.assert_array_equal(y, [1 - 2 + 8 + 2.5, 2 - 3 + 10 + 3, 4 - 5 + 14 + 4, 5 - 6 + 16 + 4.5])
    im2col = im2col_rows(X3, g)
    np.testing.assert_array_equal(im2col, [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]])
    delta = np.array([1.0, -2.0, 0.0, 3.0])
    # dX(1, 1) is read by all four windows, by taps (1,1), (1,0), (0,1), (0,0): 0.5·1 + 2·(−2) + (−1)·0 + 1·3.
    assert (C.T @ delta)[4] == 0.5 - 4 + 0 + 3
    # dW(0, 0) = Σ_r window_r(0, 0)·δ_r = 1·1 + 2·(−2) + 4·0 + 5·3.
    assert (im2col.T @ delta)[0] == 1 - 4 + 0 + 15


def test_padding_leaves_entries_out_of_C_and_zeros_in_im2col() -> None:
    g = matrix_geometry((3, 3), 2, padding=1)
    taps = tap_matrix(g)
    assert taps.shape == (16, 9)  # a 4 × 4 output over the 3 × 3 input
    # Window (0, 0) reads the padding with three taps: only its tap (1, 1) meets x(0, 0).
    assert list(np.flatnonzero(taps[0] >= 0)) == [0] and taps[0, 0] == 3
    run = run_matrix(X3, W2, np.ones((4, 4)), padding=1)
    np.testing.assert_array_equal(run.im2col[0], [0, 0, 0, 1])
    np.testing.assert_array_equal(run.on_padding[0], [True, True, True, False])
    assert reads_padding(run, 0) == 3


def test_stride_and_dilation_place_the_taps() -> None:
    g = matrix_geometry((5, 5), 2, stride=2, dilation=2)
    taps = tap_matrix(g)
    assert g.out_size == (2, 2)
    # Window (1, 1) starts at (2, 2) and reads (2, 2), (2, 4), (4, 2), (4, 4).
    assert {int(q): int(taps[3, q]) for q in np.flatnonzero(taps[3] >= 0)} == {12: 0, 14: 1, 22: 2, 24: 3}


def test_a_kernel_of_zeros_keeps_its_entries_in_the_tap_matrix() -> None:
    # C has a zero there, but the entry exists: the page shows it as a 0, not as a blank.
    run = run_matrix(X3, np.zeros((2, 2)), np.ones((2, 2)))
    assert (run.taps >= 0).sum() == 16 and not run.C.any()


def test_the_terms_of_a_row_a_column_and_a_tap() -> None:
    run = run_matrix(X3, W2, np.array([[1.0, -2.0], [0.0, 3.0]]))
    row = row_terms(run, 3)
    assert [t.col for t in row] == [4, 5, 7, 8] and sum(t.entry * t.operand for t in row) == run.y[1, 1]
    column = column_terms(run, 4)
    assert [t.row for t in column] == [0, 1, 2, 3]
    assert sum(t.entry * t.operand for t in column) == run.dx[1, 1]
    taps = tap_terms(run, 0)
    assert sum(t.entry * t.operand for t in taps) == run.dw[0, 0]


def test_a_kernel_larger_than_the_padded_input_is_refused() -> None:
    with pytest.raises(EngineError, match="kernel covers"):
        run_matrix(np.ones((2, 2)), np.ones((3, 3)), np.ones((1, 1)))


def test_a_delta_smaller_than_the_output_is_refused() -> None:
    with pytest.raises(ValueError, match="must cover the output's 4 × 4 cells"):
        run_matrix(X3, W2, np.ones((3, 4)), padding=1)


# --- the identities, over many shapes ----------------------------------------------------------------------


@st.composite
def problems(draw):
    """A map of up to 8 × 8, a kernel up to 4 × 4, hyper-parameters that fit (non-square maps too)."""
    H, W = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    K, s = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    p, d = draw(st.integers(0, 3)), draw(st.integers(1, 3))
    span = d * (K - 1) + 1
    if span > min(H, W) + 2 * p:  # no window fits: the refusal is tested above
        p = -(-(span - min(H, W)) // 2)
    seed = draw(st.integers(0, 2**16))
    return H, W, K, s, p, d, seed


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(problem=problems())
def test_the_matrices_give_the_engines_layer(problem) -> None:
    H, W, K, s, p, d, seed = problem
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((H, W)), rng.standard_normal((K, K))
    g = matrix_geometry((H, W), K, s, p, d)
    delta = rng.standard_normal(g.out_size)
    z, cache = conv2d_forward(x[None, None], w[None, None], None, s, p, d)
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    C = conv_matrix(w, tap_matrix(g))
    np.testing.assert_allclose(C @ x.ravel(), z.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(C.T @ delta.ravel(), dx.ravel(), rtol=1e-12, atol=1e-12)
    im2col = im2col_rows(x, g)
    np.testing.assert_allclose(im2col @ w.ravel(), z.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(im2col.T @ delta.ravel(), dw.ravel(), rtol=1e-12, atol=1e-12)
    assert delta.sum() == pytest.approx(db[0], abs=1e-12)
    # A row of C has one entry per tap that does not fall on the padding, never more than K·K.
    assert (tap_matrix(g) >= 0).sum(axis=1).max() <= K * K


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(problem=problems())
def test_im2col_is_the_fast_paths_own_matrix_and_C_its_reading_of_x(problem) -> None:
    H, W, K, s, p, d, seed = problem
    x = np.random.default_rng(seed).standard_normal((H, W))
    g = matrix_geometry((H, W), K, s, p, d)
    # The very array conv_fast multiplies, transposed: one row per output position.
    fast = columns(pad_input(x[None, None], g.padding), g)
    np.testing.assert_array_equal(im2col_rows(x, g), fast.T)
    # C is im2col's reading of x: each entry of C says which input cell a tap of the window reads.
    taps = tap_matrix(g)
    rows, cols = np.nonzero(taps >= 0)
    np.testing.assert_array_equal(im2col_rows(x, g)[rows, taps[rows, cols]], x.ravel()[cols])


def test_run_matrix_keeps_the_layer_beside_the_products(rng: np.random.Generator) -> None:
    x, w = rng.integers(-3, 4, size=(4, 6)).astype(float), rng.integers(-2, 3, size=(3, 3)).astype(float)
    run = run_matrix(x, w, rng.integers(-2, 3, size=(8, 8)).astype(float), stride=2, padding=1, dilation=1)
    assert run.delta.shape == run.y.shape == (2, 3)
    y, dx, dw, db = run.layer
    np.testing.assert_array_equal(run.y, y)
    np.testing.assert_array_equal(run.dx, dx)
    np.testing.assert_array_equal(run.dw, dw)
    assert run.db == db
