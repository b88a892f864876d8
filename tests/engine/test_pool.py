"""Pooling: hand-computed cases, ties, padding, errors, then properties (reference = fast = PyTorch,
backward = central differences) over random non-square shapes and hyper-parameters."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.gradcheck import numerical_gradient_of_output, relative_error
from engine.pool import (
    IMPLS,
    POOL_MODES,
    pool2d_argmax,
    pool2d_argmax_positions,
    pool2d_backward,
    pool2d_backward_reference,
    pool2d_forward,
    pool2d_forward_reference,
)

# Average pooling is linear and max pooling piecewise linear: with inputs at least 1 apart (a permutation),
# a step of 0.25 never changes which cell wins. So central differences are exact up to the rounding of
# the scalar Σ dy ⊙ y, and that error shrinks as 1/ε: a large step keeps it far below the 1e-7 threshold
# even for an input cell whose windows' shares almost cancel.
EPS = 0.25


def random_upstream(shape, rng: np.random.Generator) -> np.ndarray:
    """A random upstream gradient with magnitudes in [0.5, 1.5] and random signs.

    An upstream entry near 0 makes its gradient entries near 0, and the relative error of a near-zero
    entry measures only the rounding of the finite difference, not the backward pass.
    """
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def as_image(rows: list[list[float]]) -> np.ndarray:
    """A hand-written 2-D array as a (1, 1, H, W) batch."""
    return np.array(rows, dtype=np.float64)[None, None]


# ---------------------------------------------------------------------------------------------------------
# Hand-computed cases


@pytest.mark.parametrize("impl", IMPLS)
def test_max_pool_of_a_2x4_array_by_hand(impl):
    x = as_image([[1, 3, 2, 0], [4, 2, 1, 5]])
    y, cache = pool2d_forward(x, size=2, mode="max", impl=impl)
    # Windows [[1, 3], [4, 2]] and [[2, 0], [1, 5]].
    np.testing.assert_array_equal(y, as_image([[4, 5]]))
    np.testing.assert_array_equal(pool2d_argmax(cache), [[[[2, 3]]]])
    dx = pool2d_backward(as_image([[10, 20]]), cache)
    np.testing.assert_array_equal(dx, as_image([[0, 0, 0, 0], [10, 0, 0, 20]]))


@pytest.mark.parametrize("impl", IMPLS)
def test_avg_pool_of_a_2x4_array_by_hand(impl):
    x = as_image([[1, 3, 2, 0], [4, 2, 1, 5]])
    y, cache = pool2d_forward(x, size=2, mode="avg", impl=impl)
    np.testing.assert_array_equal(y, as_image([[(1 + 3 + 4 + 2) / 4, (2 + 0 + 1 + 5) / 4]]))
    dx = pool2d_backward(as_image([[4, 8]]), cache)
    np.testing.assert_array_equal(dx, as_image([[1, 1, 2, 2], [1, 1, 2, 2]]))


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("window", "winner"),
    [
        ([[7, 7], [7, 1]], (0, 0)),  # three-way tie: the top-left one wins
        ([[0, 5], [5, 5]], (0, 1)),  # top row before bottom row
        ([[0, 0], [2, 2]], (1, 0)),  # left before right within a row
        ([[3, 3], [3, 3]], (0, 0)),  # a constant window
    ],
)
def test_ties_send_the_gradient_to_the_first_maximum_in_row_major_order(impl, window, winner):
    y, cache = pool2d_forward(as_image(window), size=2, mode="max", impl=impl)
    assert y[0, 0, 0, 0] == np.max(window)
    assert pool2d_argmax(cache)[0, 0, 0, 0] == winner[0] * 2 + winner[1]
    dx = pool2d_backward(as_image([[1.5]]), cache)
    expected = np.zeros((2, 2))
    expected[winner] = 1.5
    np.testing.assert_array_equal(dx, expected[None, None])


@pytest.mark.parametrize("impl", IMPLS)
def test_overlapping_max_windows_add_their_gradients(impl):
    # A 1×2 window sliding by 1 over [1, 9, 2, 3]: windows [1, 9], [9, 2], [2, 3].
    y, cache = pool2d_forward(as_image([[1, 9, 2, 3]]), size=(1, 2), stride=1, mode="max", impl=impl)
    np.testing.assert_array_equal(y, as_image([[9, 9, 3]]))
    dx = pool2d_backward(as_image([[1, 2, 3]]), cache)
    np.testing.assert_array_equal(dx, as_image([[0, 1 + 2, 0, 3]]))


@pytest.mark.parametrize("impl", IMPLS)
def test_overlapping_avg_windows_add_their_gradients(impl):
    y, cache = pool2d_forward(as_image([[2, 4, 6]]), size=(1, 2), stride=1, mode="avg", impl=impl)
    np.testing.assert_array_equal(y, as_image([[3, 5]]))
    dx = pool2d_backward(as_image([[2, 4]]), cache)
    np.testing.assert_array_equal(dx, as_image([[1, 1 + 2, 2]]))


@pytest.mark.parametrize("impl", IMPLS)
def test_max_pool_padding_never_wins_even_over_negative_inputs(impl):
    # Padding 1 and stride 2: each 2×2 window holds one input cell and three padding cells. Zero padding
    # would make every output 0; −inf padding keeps the input values.
    x = as_image([[-1, -2], [-3, -4]])
    y, cache = pool2d_forward(x, size=2, stride=2, padding=1, mode="max", impl=impl)
    np.testing.assert_array_equal(y, x)
    rows, cols = pool2d_argmax_positions(cache)
    np.testing.assert_array_equal(rows[0, 0], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(cols[0, 0], [[0, 1], [0, 1]])
    np.testing.assert_array_equal(
        pool2d_backward(as_image([[1, 2], [3, 4]]), cache), as_image([[1, 2], [3, 4]])
    )


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    "rows, winner",
    [
        ([[1, 2], [3, np.nan]], (1, 1)),  # NaN last: "cell > y" alone is False for NaN and lost it
        ([[np.nan, 2], [3, 1]], (0, 0)),
        ([[1, np.nan], [np.inf, np.nan]], (0, 1)),  # the first NaN wins, even over +inf
    ],
)
def test_max_pool_propagates_nan_as_pytorch_does(impl, rows, winner):
    # PyTorch: max_pool2d of a window holding NaN is NaN (a diverged training run shows it), and the
    # gradient goes to a NaN cell, not to the largest number.
    y, cache = pool2d_forward(as_image(rows), size=2, impl=impl)
    assert np.isnan(y[0, 0, 0, 0])
    dx = pool2d_backward(np.full_like(y, 5.0), cache)
    expected = np.zeros((1, 1, 2, 2))
    expected[(0, 0, *winner)] = 5.0
    np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize("impl", IMPLS)
def test_an_all_minus_inf_window_gives_its_gradient_to_its_first_input_cell(impl):
    # Every window holds −inf input cells and −inf padding: a tie. Padding never wins (PyTorch lets only
    # the input's cells compete), so no gradient is cropped away with the padding.
    x = np.full((1, 1, 3, 3), -np.inf)
    y, cache = pool2d_forward(x, size=2, stride=2, padding=1, impl=impl)
    assert (y == -np.inf).all()
    rows, cols = pool2d_argmax_positions(cache)
    # Windows start at padded rows/cols 0 and 2, i.e. input −1 and 1: their first input cells are 0 and 1.
    np.testing.assert_array_equal(rows[0, 0], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(cols[0, 0], [[0, 1], [0, 1]])
    dy = as_image([[1.0, 2.0], [3.0, 4.0]])
    dx = pool2d_backward(dy, cache)
    assert dx.sum() == dy.sum()
    np.testing.assert_array_equal(dx[0, 0], [[1, 2, 0], [3, 4, 0], [0, 0, 0]])


@pytest.mark.parametrize("impl", IMPLS)
def test_avg_pool_counts_padding_cells_as_zeros_in_the_window(impl):
    # count_include_pad=True: each window holds one input cell and three zeros, and divides by 4.
    x = as_image([[-1, -2], [-3, -4]])
    y, cache = pool2d_forward(x, size=2, stride=2, padding=1, mode="avg", impl=impl)
    np.testing.assert_array_equal(y, x / 4)
    np.testing.assert_array_equal(pool2d_backward(np.ones_like(y), cache), np.full_like(x, 0.25))


@pytest.mark.parametrize("impl", IMPLS)
def test_cells_no_window_covers_get_no_gradient(impl):
    # Window 1×1, stride 2 along the width: columns 1 and 3 are skipped.
    y, cache = pool2d_forward(as_image([[1, 2, 3, 4]]), size=1, stride=(1, 2), mode="avg", impl=impl)
    np.testing.assert_array_equal(y, as_image([[1, 3]]))
    np.testing.assert_array_equal(pool2d_backward(as_image([[5, 6]]), cache), as_image([[5, 0, 6, 0]]))


def test_argmax_positions_point_at_the_winning_input_cells():
    x = as_image([[1, 3, 2, 0], [4, 2, 1, 5]])
    _, cache = pool2d_forward(x, size=2)
    rows, cols = pool2d_argmax_positions(cache)
    np.testing.assert_array_equal(rows, [[[[1, 1]]]])
    np.testing.assert_array_equal(cols, [[[[0, 3]]]])
    np.testing.assert_array_equal(x[0, 0][rows[0, 0], cols[0, 0]], [[4, 5]])


def test_stride_defaults_to_the_window_size_and_integers_are_accepted():
    x = np.arange(2 * 3 * 4 * 6).reshape(2, 3, 4, 6)  # int input
    y, cache = pool2d_forward(x, size=(2, 3))
    assert cache.stride == (2, 3)
    assert y.dtype == np.float64
    assert y.shape == (2, 3, 2, 2)
    # In an arange, each window's maximum is its bottom-right cell.
    np.testing.assert_array_equal(y, x[:, :, 1::2, 2::3])


@pytest.mark.parametrize(
    ("shape", "size", "stride", "padding", "out_hw"),
    [
        ((1, 1, 5, 8), 2, None, 0, (2, 4)),
        ((2, 3, 7, 4), (3, 2), (2, 1), (1, 0), (4, 3)),
        ((1, 2, 6, 9), 3, (3, 2), 1, (2, 5)),
        ((1, 1, 3, 10), (1, 4), (1, 3), (0, 2), (3, 4)),
    ],
)
def test_output_shape_follows_the_formula(shape, size, stride, padding, out_hw):
    for mode in POOL_MODES:
        y, _ = pool2d_forward(np.zeros(shape), size, stride, mode, padding)
        assert y.shape == (*shape[:2], *out_hw)


# ---------------------------------------------------------------------------------------------------------
# Errors a student can read


@pytest.mark.parametrize(
    ("shape", "kwargs", "message"),
    [
        ((4, 4), {}, "4-D input"),
        ((1, 1, 4, 4), {"mode": "min"}, "pooling mode"),
        ((1, 1, 4, 4), {"stride": 0}, "stride must be at least 1"),
        ((1, 1, 4, 4), {"stride": (1, -1)}, "stride must be at least 1"),
        ((1, 1, 4, 4), {"size": 3, "padding": 2}, "at most half the window"),
        ((1, 1, 4, 4), {"size": (2, 3), "padding": (1, 2)}, "at most half the window width"),
        ((1, 1, 2, 5), {"size": 3}, "bigger than the padded input height"),
        ((1, 1, 5, 1), {"size": (2, 4), "padding": (0, 1)}, "bigger than the padded input width"),
        ((1, 1, 4, 4), {"size": 0}, "window height must be at least 1"),
        ((1, 1, 4, 4), {"padding": -1}, "cannot be negative"),
        ((1, 1, 4, 4), {"size": 2.5}, "whole number"),
        ((1, 1, 4, 4), {"impl": "gpu"}, "implementation"),
    ],
)
def test_bad_inputs_raise_a_readable_value_error(shape, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pool2d_forward(np.zeros(shape), **kwargs)


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    _, cache = pool2d_forward(np.zeros((1, 2, 4, 6)), size=2)
    with pytest.raises(ValueError, match=r"output's shape \(1, 2, 2, 3\)"):
        pool2d_backward(np.zeros((1, 2, 3, 2)), cache)


def test_average_pooling_has_no_argmax():
    _, cache = pool2d_forward(np.zeros((1, 1, 4, 4)), mode="avg")
    assert cache.argmax is None
    with pytest.raises(ValueError, match="no winning cell"):
        pool2d_argmax(cache)


# ---------------------------------------------------------------------------------------------------------
# Properties over random non-square configurations


@st.composite
def pool_configs(draw):
    """A valid pooling: (shape, size, stride, padding, mode, seed), with H ≠ W and mixed pairs."""
    KH, KW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, KH // 2)), draw(st.integers(0, KW // 2))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H = draw(st.integers(max(1, KH - 2 * ph), 7))
    W = draw(st.integers(max(1, KW - 2 * pw), 7).filter(lambda w: w != H))
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(POOL_MODES))
    seed = draw(st.integers(0, 2**32 - 1))
    return (N, C, H, W), (KH, KW), (sh, sw), (ph, pw), mode, seed


def distinct_input(shape, rng):
    """Values at least 1 apart (a shuffled range, shifted to include negatives): no ties in any window."""
    size = int(np.prod(shape))
    return (rng.permutation(size) - size / 2).reshape(shape).astype(np.float64)


@settings(max_examples=60, deadline=None)
@given(pool_configs())
def test_reference_and_fast_paths_agree(config):
    shape, size, stride, padding, mode, seed = config
    rng = np.random.default_rng(seed)
    # Rounded values make ties common, so the tie rule is exercised too.
    x = rng.integers(-3, 4, size=shape).astype(np.float64)
    y_fast, cache_fast = pool2d_forward(x, size, stride, mode, padding, impl="fast")
    y_ref, cache_ref = pool2d_forward_reference(x, size, stride, mode, padding)
    np.testing.assert_allclose(y_fast, y_ref, rtol=1e-12, atol=1e-12)
    if mode == "max":
        np.testing.assert_array_equal(cache_fast.argmax, cache_ref.argmax)
    dy = rng.standard_normal(y_fast.shape)
    dx_fast = pool2d_backward(dy, cache_fast)
    np.testing.assert_allclose(dx_fast, pool2d_backward(dy, cache_ref), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx_fast, pool2d_backward_reference(dy, cache_fast), rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(pool_configs(), st.data())
def test_paths_agree_with_nan_and_infinities_and_winners_are_inside(config, data):
    """Inputs holding NaN, +inf and −inf among small integers: the same y (NaN where a window holds one),
    the same winners, every winner an input cell, and no gradient lost to the padding."""
    shape, size, stride, padding, _, _ = config
    specials = st.sampled_from([np.nan, np.inf, -np.inf, -1.0, 0.0, 2.0])
    x = np.array(data.draw(st.lists(specials, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))))
    x = x.reshape(shape)
    y_fast, cache_fast = pool2d_forward(x, size, stride, "max", padding, impl="fast")
    y_ref, cache_ref = pool2d_forward_reference(x, size, stride, "max", padding)
    np.testing.assert_array_equal(y_fast, y_ref)  # NaN equals NaN here
    np.testing.assert_array_equal(cache_fast.argmax, cache_ref.argmax)
    rows, cols = pool2d_argmax_positions(cache_fast)
    assert (rows >= 0).all() and (rows < shape[2]).all() and (cols >= 0).all() and (cols < shape[3]).all()
    dy = np.ones_like(y_fast)
    assert pool2d_backward(dy, cache_fast).sum() == dy.sum()


@settings(max_examples=40, deadline=None)
@given(pool_configs(), st.sampled_from(IMPLS))
def test_backward_matches_central_differences(config, impl):
    shape, size, stride, padding, mode, seed = config
    rng = np.random.default_rng(seed)
    x = distinct_input(shape, rng)
    y, cache = pool2d_forward(x, size, stride, mode, padding, impl=impl)
    dy = random_upstream(y.shape, rng)

    def forward(v):
        return pool2d_forward(v, size, stride, mode, padding)[0]

    numeric = numerical_gradient_of_output(forward, x, dy, eps=EPS)
    assert relative_error(pool2d_backward(dy, cache), numeric) <= 1e-7


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@settings(max_examples=40, deadline=None)
@given(config=pool_configs())
def test_forward_and_backward_match_pytorch(torch, config):
    shape, size, stride, padding, mode, seed = config
    rng = np.random.default_rng(seed)
    x = distinct_input(shape, rng)
    y, cache = pool2d_forward(x, size, stride, mode, padding)
    dy = rng.standard_normal(y.shape)
    x_t = torch.tensor(x, requires_grad=True)
    pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    y_t = pool(x_t, size, stride, padding)  # avg_pool2d's default count_include_pad=True, as ours
    y_t.backward(torch.tensor(dy))
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pool2d_backward(dy, cache), x_t.grad.numpy(), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# The gradient check catches wrong backward passes


def _gradient_check_error(x, dy, kwargs, backward) -> float:
    _, cache = pool2d_forward(x, **kwargs)
    numeric = numerical_gradient_of_output(lambda v: pool2d_forward(v, **kwargs)[0], x, dy, eps=EPS)
    return relative_error(backward(dy, cache), numeric)


def test_gradient_check_catches_avg_backward_without_the_window_size_factor(rng):
    x = distinct_input((2, 3, 5, 7), rng)
    kwargs = {"size": (2, 3), "stride": (1, 2), "mode": "avg", "padding": (1, 1)}
    dy = random_upstream((2, 3, 6, 4), rng)

    def wrong_backward(dy, cache):
        # Forgets to divide by KH·KW: every window hands its full δ to each of its cells.
        return pool2d_backward(dy, cache) * (2 * 3)

    assert _gradient_check_error(x, dy, kwargs, pool2d_backward) <= 1e-7
    assert _gradient_check_error(x, dy, kwargs, wrong_backward) >= 1e-2


def test_gradient_check_catches_max_backward_that_overwrites_instead_of_adding(rng):
    # Overlapping 3×2 windows with stride 1: a cell that wins several windows must collect all their δ.
    # The largest value sits at (2, 3), inside six windows, and wins them all.
    x = distinct_input((1, 2, 5, 6), rng)
    x[:, :, 2, 3] = x.max() + 1
    kwargs = {"size": (3, 2), "stride": 1, "mode": "max"}
    dy = random_upstream((1, 2, 3, 5), rng)

    def wrong_backward(dy, cache):
        dx = np.zeros(cache.x_shape)
        rows, cols = pool2d_argmax_positions(cache)
        for n, c, i, j in np.ndindex(dy.shape):
            dx[n, c, rows[n, c, i, j], cols[n, c, i, j]] = dy[n, c, i, j]  # = where += is needed
        return dx

    assert _gradient_check_error(x, dy, kwargs, pool2d_backward) <= 1e-7
    assert _gradient_check_error(x, dy, kwargs, wrong_backward) >= 1e-2
