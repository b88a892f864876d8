"""engine/transposed.py and engine/transposed_trace.py: the transposed convolution is the input gradient of
the matching convolution (dX = Cᵀδ), equals the "insert zeros, pad, rotated kernel" convolution, matches
PyTorch's conv_transpose2d (when torch is installed), and its trace rebuilds the output stamp by stamp."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.conv import conv2d_backward, conv2d_forward
from engine.errors import EngineError
from engine.transposed import (
    conv_transpose2d,
    overlap_counts,
    transposed_geometry,
    transposed_output_size,
    uneven_overlap,
    zero_insert_view,
)
from engine.transposed_trace import cell_terms, input_cells, run_transposed

X2 = np.array([[1.0, 2.0], [3.0, 4.0]])


def as_input_gradient(x, w, stride, padding, output_padding, dilation) -> np.ndarray:
    """dX of the forward convolution whose backward the transposed convolution is, for δ = x (independent
    of engine/transposed.py: conv2d_forward + conv2d_backward).

    The forward convolution reads an input of the transposed output's size with the same w (F = C_in),
    stride, padding and dilation; its output is at least x's size, longer when output_padding ≥ stride:
    those extra outputs get δ = 0.
    """
    N, _, H, W = x.shape
    size = [
        transposed_output_size(n, k, s, p, o, d)
        for n, k, s, p, o, d in zip((H, W), w.shape[2:], stride, padding, output_padding, dilation)
    ]
    z, cache = conv2d_forward(np.zeros((N, w.shape[1], *size)), w, None, stride, padding, dilation)
    delta = np.zeros_like(z)
    delta[:, :, :H, :W] = x
    return conv2d_backward(delta, cache)[0]


# --- hand-computed cases ---------------------------------------------------------------------------------


def test_stride_1_stamps_overlap_and_add_up() -> None:
    w = np.array([[1.0, 0.0], [0.0, -1.0]])
    y = conv_transpose2d(X2[None, None], w[None, None], impl="reference")[0, 0]
    # Stamp (0, 0) = 1·W at rows 0–1, cols 0–1; (0, 1) = 2·W at cols 1–2; (1, 0) = 3·W; (1, 1) = 4·W.
    # y[1, 1] = 1·(−1) + 2·0 + 3·0 + 4·1 = 3.
    np.testing.assert_array_equal(y, [[1, 2, 0], [3, 3, -2], [0, -3, -4]])


def test_stride_2_tiles_the_stamps_and_output_padding_adds_a_row_and_a_column() -> None:
    w = np.ones((1, 1, 2, 2))
    y = conv_transpose2d(X2[None, None], w, stride=2)[0, 0]
    np.testing.assert_array_equal(y, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    padded = conv_transpose2d(X2[None, None], w, stride=2, output_padding=1)[0, 0]
    assert padded.shape == (5, 5)
    np.testing.assert_array_equal(padded[:4, :4], y)
    assert not padded[4].any() and not padded[:, 4].any()  # no stamp reaches the added cells


def test_padding_crops_the_border() -> None:
    w = np.array([[1.0, 0.0], [0.0, -1.0]])
    y = conv_transpose2d(X2[None, None], w[None, None], padding=1)[0, 0]
    np.testing.assert_array_equal(y, [[3]])  # the middle cell of the 3 × 3 above


def test_dilation_spreads_the_taps() -> None:
    y = conv_transpose2d(np.ones((1, 1, 1, 1)), np.array([[[[1.0, 2.0]]]]), dilation=3)[0, 0]
    np.testing.assert_array_equal(y, [[1, 0, 0, 2]])


def test_several_channels_and_a_bias() -> None:
    x = np.stack([X2, -X2])[None]  # (1, 2, 2, 2)
    w = np.zeros((2, 3, 1, 1))
    w[0, :, 0, 0], w[1, :, 0, 0] = (1.0, 2.0, 3.0), (0.0, 1.0, 1.0)  # y_o = w[0, o]·x0 + w[1, o]·x1
    y = conv_transpose2d(x, w, b=np.array([0.5, 0.0, -1.0]))
    np.testing.assert_array_equal(y[0, 0], X2 + 0.5)
    np.testing.assert_array_equal(y[0, 1], 2 * X2 - X2)
    np.testing.assert_array_equal(y[0, 2], 3 * X2 - X2 - 1)


@pytest.mark.parametrize(
    ("n", "k", "s", "p", "o", "d", "size"),
    [
        (3, 3, 1, 0, 0, 1, 5),  # (3 − 1)·1 + 2 + 1
        (3, 3, 2, 1, 1, 1, 6),  # 4 − 2 + 2 + 1 + 1: twice the input, as a decoder wants
        (4, 4, 2, 1, 0, 1, 8),
        (2, 3, 1, 0, 2, 3, 10),  # output padding up to max(s, d) − 1
        (5, 1, 3, 0, 0, 1, 13),
    ],
)
def test_output_size_formula(n, k, s, p, o, d, size) -> None:
    assert transposed_output_size(n, k, s, p, o, d) == size


# --- errors, each a sentence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hyper", "start"),
    [
        ({"output_padding": 1}, "The output padding (1) must be smaller than the stride (1)"),
        ({"stride": 2, "output_padding": 2}, "The output padding (2) must be smaller"),
        ({"padding": 2}, "The stamps cover 3 cells and a padding of 2 crops 4"),
        ({"stride": 0}, "The stride must be at least 1"),
        ({"dilation": 0}, "The dilation must be at least 1"),
        ({"padding": -1}, "The padding cannot be negative."),
        ({"output_padding": -1}, "The padding cannot be negative."),
    ],
)
def test_impossible_settings_raise_a_sentence(hyper, start) -> None:
    with pytest.raises(EngineError) as caught:
        conv_transpose2d(X2[None, None], np.ones((1, 1, 2, 2)), **hyper)
    assert str(caught.value).startswith("Along the height: " + start), str(caught.value)


def test_an_empty_input_and_a_kernel_of_size_0_are_refused() -> None:
    with pytest.raises(EngineError, match="at least one cell"):
        transposed_output_size(0, 3)
    with pytest.raises(EngineError, match="kernel size must be at least 1"):
        transposed_output_size(3, 0)


def test_shapes_that_do_not_fit_raise() -> None:
    with pytest.raises(ValueError, match=r"one .* block per input channel"):
        conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((3, 1, 2, 2)))
    with pytest.raises(ValueError, match="4 axes"):
        conv_transpose2d(np.ones((3, 3)), np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="impl"):
        conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), impl="slow")


# --- the identities, over random shapes and hyper-parameters ----------------------------------------------


@st.composite
def problems(draw):
    """(x, w, stride, padding, output_padding, dilation), non-square, every hyper-parameter per axis."""
    N, C_in, C_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W, KH, KW = (draw(st.integers(1, 5)) for _ in range(4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 4)), draw(st.integers(0, 4)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(N, C_in, H, W)), rng.normal(size=(C_in, C_out, KH, KW))
    return x, w, stride, padding, output_padding, dilation


def _fits(x, w, stride, padding, output_padding, dilation) -> bool:
    try:
        transposed_geometry(x.shape, w.shape, stride, padding, output_padding, dilation)
    except EngineError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_equals_the_input_gradient_of_the_matching_convolution(problem) -> None:
    assume(_fits(*problem))
    y = conv_transpose2d(*problem)
    np.testing.assert_allclose(y, as_input_gradient(*problem), rtol=1e-10, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_fast_reference_and_zero_insertion_agree(problem) -> None:
    assume(_fits(*problem))
    fast = conv_transpose2d(*problem)
    reference = conv_transpose2d(*problem, impl="reference")
    view = zero_insert_view(*problem)
    np.testing.assert_allclose(fast, reference, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(view.y, reference, rtol=1e-10, atol=1e-12)
    x, w, stride, *_ = problem
    assert view.spread.shape[2:] == ((x.shape[2] - 1) * stride[0] + 1, (x.shape[3] - 1) * stride[1] + 1)
    np.testing.assert_array_equal(view.spread[:, :, :: stride[0], :: stride[1]], x)
    np.testing.assert_array_equal(view.rotated, w[..., ::-1, ::-1].transpose(1, 0, 2, 3))


def test_zero_insertion_crops_when_the_padding_exceeds_the_kernel_span() -> None:
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    view = zero_insert_view(x, np.ones((1, 1, 2, 2)), stride=2, padding=2)  # q = 1 − 2 = −1: crop one cell
    assert view.pads == ((-1, -1), (-1, -1))
    np.testing.assert_array_equal(view.padded, view.spread[:, :, 1:-1, 1:-1])
    np.testing.assert_array_equal(view.y, conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2, padding=2))


def test_float32_in_float32_out() -> None:
    x, w = np.ones((1, 1, 2, 3), np.float32), np.ones((1, 2, 2, 2), np.float32)
    assert conv_transpose2d(x, w, stride=2).dtype == np.float32
    assert conv_transpose2d(x.astype(np.float64), w, stride=2).dtype == np.float64


PYTORCH_CASES = [
    # (N, C_in, C_out, H, W, KH, KW, stride, padding, output_padding, dilation)
    (1, 1, 1, 3, 3, 3, 3, 1, 0, 0, 1),
    (2, 3, 2, 4, 5, 3, 2, 2, 1, 1, 1),
    (1, 2, 3, 3, 4, 2, 3, (3, 2), (0, 2), (2, 0), (1, 2)),
    (1, 1, 2, 5, 2, 4, 1, 2, 3, 1, 2),
    (2, 2, 1, 2, 6, 3, 3, 1, 1, (0, 2), (2, 3)),
]


@pytest.mark.parametrize("case", PYTORCH_CASES)
def test_matches_pytorch(case, rng) -> None:
    torch = pytest.importorskip("torch")
    N, C_in, C_out, H, W, KH, KW, stride, padding, output_padding, dilation = case
    x, w, b = rng.normal(size=(N, C_in, H, W)), rng.normal(size=(C_in, C_out, KH, KW)), rng.normal(size=C_out)
    expected = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x),
        torch.from_numpy(w),
        torch.from_numpy(b),
        stride,
        padding,
        output_padding,
        1,
        dilation,
    ).numpy()
    y = conv_transpose2d(x, w, stride, padding, output_padding, dilation, b=b)
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)


# --- overlaps and the checkerboard -----------------------------------------------------------------------


def test_overlap_counts_make_a_checkerboard_when_k_is_no_multiple_of_s() -> None:
    geometry = transposed_geometry((1, 1, 2, 2), (1, 1, 3, 3), stride=2)
    expected_axis = np.array([1, 1, 2, 1, 1])
    np.testing.assert_array_equal(overlap_counts(geometry), np.outer(expected_axis, expected_axis))
    assert uneven_overlap(3, 2) and not uneven_overlap(4, 2) and not uneven_overlap(3, 1)
    assert not uneven_overlap(3, 3) and uneven_overlap(2, 3)
    assert uneven_overlap(2, 2, dilation=2)  # both taps on even cells: odd cells get none
    assert not uneven_overlap(2, 2, dilation=3)


@pytest.mark.parametrize("K", range(1, 7))
@pytest.mark.parametrize("s", range(1, 4))
def test_uneven_exactly_when_k_is_no_multiple_of_s(K: int, s: int) -> None:
    assert uneven_overlap(K, s) == (K % s != 0)


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_overlap_counts_count_the_terms_of_each_cell(problem) -> None:
    x, w, *hyper = problem
    square = [v[0] for v in hyper]  # the height's values on both axes, as the page uses them
    assume(_fits(x[:1, :1], w[:1, :1], *square))
    run = run_transposed(x[0, 0], w[0, 0], *square)
    for u, v in np.ndindex(run.y.shape):
        terms = cell_terms(run, u, v)
        assert len(terms) == run.counts[u, v]
        assert np.isclose(sum(term.x * term.w for term in terms), run.y[u, v])


# --- the trace --------------------------------------------------------------------------------------------


TRACE_CASES = [
    # (H, W, KH, KW, stride, padding, output_padding, dilation)
    (3, 3, 3, 3, 2, 0, 0, 1),
    (2, 4, 3, 2, 1, 1, 0, 1),
    (3, 2, 2, 3, 3, 1, 2, 1),
    (2, 3, 3, 3, 2, 2, 1, 2),
    (1, 1, 1, 1, 1, 0, 0, 1),
]


@pytest.mark.parametrize("case", TRACE_CASES)
def test_the_trace_rebuilds_the_output_stamp_by_stamp(case, rng) -> None:
    H, W, KH, KW, stride, padding, output_padding, dilation = case
    x, w = rng.integers(-3, 4, size=(H, W)).astype(float), rng.integers(-2, 3, size=(KH, KW)).astype(float)
    run = run_transposed(x, w, stride, padding, output_padding, dilation)
    assert run.canvas_steps.shape == (H * W, *run.geometry.canvas)
    canvas = np.zeros(run.geometry.canvas)
    for t, (i, j) in enumerate(input_cells((H, W))):
        r0, c0 = i * stride, j * stride
        canvas[
            r0 : r0 + dilation * (KH - 1) + 1 : dilation, c0 : c0 + dilation * (KW - 1) + 1 : dilation
        ] += x[i, j] * w
        np.testing.assert_array_equal(run.canvas_steps[t], canvas)
    p = padding
    np.testing.assert_array_equal(run.y, canvas[p : canvas.shape[0] - p, p : canvas.shape[1] - p])
    np.testing.assert_allclose(run.dx, run.y, atol=1e-12)
    np.testing.assert_allclose(run.view.y[0, 0], run.y, atol=1e-12)


def test_a_cell_no_stamp_reaches_has_no_terms() -> None:
    run = run_transposed(np.ones((2, 2)), np.ones((1, 1)), stride=3)
    assert run.y.shape == (4, 4) and run.counts[1, 1] == 0 and cell_terms(run, 1, 1) == []
    assert [(t.i, t.j, t.k, t.l) for t in cell_terms(run, 3, 0)] == [(1, 0, 0, 0)]
