"""The activations page's numbers (engine/activation_views.py): a convolution with "same" replicate padding
and an activation, forward and backward, checked against hand-computed cases, scipy.signal.correlate2d on an
edge-padded image, the formulas of FORMULAS.md §4 written out here, and central differences; the curves and
the counts of stopped gradients; planted bugs that these checks must catch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.signal import correlate2d

import engine.activation_views as views
from engine.activation_views import (
    CURVE_POINTS,
    SATURATION,
    UPSTREAM_KINDS,
    Z_RANGE,
    ActivationRun,
    CellConv,
    DerivativeSummary,
    activation_at,
    activation_curves,
    cell_conv,
    derivative_summary,
    run_activation,
    upstream_gradient,
)
from engine.activations import ACTIVATIONS, activation_derivative, activation_forward
from engine.conv import conv2d_forward
from engine.gradcheck import numerical_gradient_of_output, relative_error
from engine.presets import kernel_preset

ALPHA = 0.01  # leaky ReLU's slope for z ≤ 0, written out (engine.activations.LEAKY_SLOPE)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# FORMULAS.md §4, written out independently of engine/activations.py: σ(z) and σ'(z) for each kind.
# At the kink z = 0 "z > 0 counts as positive": ReLU'(0) = 0 and leaky ReLU'(0) = α.
FUNCTIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, ALPHA * z),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
}
DERIVATIVES = {
    "identity": lambda z: np.ones_like(z),
    "relu": lambda z: np.where(z > 0, 1.0, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, 1.0, ALPHA),
    # Written without the cancellation of σ(1 − σ) and 1 − tanh² (exactly 0 from |z| ≈ 37 on): the
    # engine's slopes are small but not 0 there, and the page's "never 0" is true (issue 13).
    "sigmoid": lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,
    "tanh": lambda z: 1 / np.cosh(np.minimum(np.abs(z), 700)) ** 2,
}


def reference_z(x: np.ndarray, kernel: np.ndarray, bias: float) -> np.ndarray:
    """Z = X ⋆ W + b by scipy: cross-correlation of the image, its edge repeated K // 2 cells out."""
    KH, KW = kernel.shape
    padded = np.pad(x, ((KH // 2, KH // 2), (KW // 2, KW // 2)), mode="edge")
    return correlate2d(padded, kernel, mode="valid") + bias


def assert_run_matches_the_formulas(run: ActivationRun, upstream: str, seed: int) -> None:
    """Every map of a run against scipy and the hand-written formulas; δ_Z = δ_A · σ'(Z) cell by cell."""
    np.testing.assert_allclose(run.z, reference_z(run.x, run.kernel, run.bias), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(run.a, FUNCTIONS[run.kind](run.z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(run.slope, DERIVATIVES[run.kind](run.z), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(run.da, upstream_gradient(upstream, run.z.shape, seed))
    H, W = run.z.shape
    for i in range(H):
        for j in range(W):
            want = run.da[i, j] * DERIVATIVES[run.kind](run.z[i, j])
            assert run.dz[i, j] == pytest.approx(want, rel=1e-12, abs=1e-15), (i, j)


@pytest.fixture
def image(rng) -> np.ndarray:
    return rng.random((9, 13))  # non-square


# ---------------------------------------------------------------------------------------------------------
# Hand-computed


X_HAND = np.arange(12.0).reshape(3, 4)  # [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
# Not symmetric in any way: a flipped kernel or swapped axes give other numbers.
W_HAND = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -1.0]])
# (cell, window: the image's edge repeated outside it, Z = Σ window ⊙ W + 0.5)
HAND_CELLS = [
    ((0, 0), [[0, 0, 1], [0, 0, 1], [4, 4, 5]], 0 * 1 + 0 * 2 - 5 + 0.5),
    ((1, 2), [[1, 2, 3], [5, 6, 7], [9, 10, 11]], 1 * 1 + 2 * 2 - 11 + 0.5),
    ((2, 3), [[6, 7, 7], [10, 11, 11], [10, 11, 11]], 6 * 1 + 7 * 2 - 11 + 0.5),
]


@pytest.mark.parametrize(("cell", "window", "z"), HAND_CELLS)
def test_the_convolution_by_hand(cell, window, z):
    run = run_activation(X_HAND, W_HAND, 0.5, "relu")
    assert run.z.shape == (3, 4)
    assert run.z[cell] == z
    assert run.a[cell] == max(z, 0.0)
    assert run.slope[cell] == (1.0 if z > 0 else 0.0)
    assert run.dz[cell] == run.slope[cell]  # δ_A = 1
    window_got, products = cell_conv(run, *cell)
    np.testing.assert_array_equal(window_got, window)
    assert products == z - 0.5


@pytest.mark.parametrize(
    ("kind", "a", "slope"),
    [
        ("identity", [-1.5, 0.0, 2.0], [1, 1, 1]),
        ("relu", [0.0, 0.0, 2.0], [0, 0, 1]),
        ("leaky_relu", [-0.015, 0.0, 2.0], [0.01, 0.01, 1]),
        ("sigmoid", [1 / (1 + np.exp(1.5)), 0.5, 1 / (1 + np.exp(-2.0))], [None, 0.25, None]),
        ("tanh", [np.tanh(-1.5), 0.0, np.tanh(2.0)], [1 - np.tanh(1.5) ** 2, 1, 1 - np.tanh(2.0) ** 2]),
    ],
)
def test_the_activation_by_hand_on_a_one_by_three_map(kind, a, slope):
    # The identity kernel passes X through: Z = X + b, here [-1.5, 0, 2].
    run = run_activation(np.array([[-1.0, 0.5, 2.5]]), kernel_preset("identity", 3), -0.5, kind, "ones")
    np.testing.assert_array_equal(run.z, [[-1.5, 0.0, 2.0]])
    np.testing.assert_allclose(run.a, [a], rtol=1e-15)
    for got, want, z in zip(run.slope[0], slope, run.z[0], strict=True):
        s = 1 / (1 + np.exp(-z))
        assert got == pytest.approx(s * (1 - s) if want is None else want, rel=1e-15)


def test_the_random_upstream_gradient_multiplies_cell_by_cell():
    run = run_activation(
        np.array([[-1.0, 0.5, 2.5]]), kernel_preset("identity", 3), -0.5, "leaky_relu", "random", 3
    )
    da = run.da[0]
    np.testing.assert_allclose(run.dz[0], [da[0] * 0.01, da[1] * 0.01, da[2] * 1.0], rtol=1e-15)


def test_the_summary_by_hand():
    slope = np.array([[0.0, 0.01, 0.05], [0.2, 0.0, 1.0]])  # 0.05 is not below SATURATION = 0.05
    zeros = np.zeros((2, 3))
    run = ActivationRun(
        x=zeros,
        kernel=np.zeros((3, 3)),
        bias=0.0,
        z=zeros,
        a=zeros,
        slope=slope,
        da=zeros,
        dz=zeros,
        kind="relu",
    )
    assert SATURATION == 0.05
    assert derivative_summary(run) == DerivativeSummary(zero=2, small=1, total=6)


def test_the_summary_of_a_sigmoid_map_by_hand():
    # Z = X − 4 with the identity kernel: σ'(−4) ≈ 0.0177 < 0.05, σ'(−2) ≈ 0.105, σ'(0) = 0.25.
    run = run_activation(np.array([[0.0, 2.0], [4.0, 0.0]]), kernel_preset("identity", 3), -4.0, "sigmoid")
    assert derivative_summary(run) == (0, 2, 4)


# ---------------------------------------------------------------------------------------------------------
# The curves


def test_curves_sample_z_range_with_zero_on_the_grid():
    z, curves = activation_curves()
    assert z.shape == (CURVE_POINTS,) and (z[0], z[-1]) == Z_RANGE == (-6.0, 6.0)
    assert z[240] == 0.0 and np.allclose(np.diff(z), 0.025)  # the kinks land on a sample
    assert list(curves) == list(ACTIVATIONS)


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_curves_are_the_formulas(kind):
    z, curves = activation_curves()
    a, d = curves[kind]
    assert a.shape == d.shape == z.shape
    np.testing.assert_allclose(a, FUNCTIONS[kind](z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(d, DERIVATIVES[kind](z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("kind", "at_zero"),
    [
        ("identity", (0, 1)),
        ("relu", (0, 0)),
        ("leaky_relu", (0, 0.01)),
        ("sigmoid", (0.5, 0.25)),
        ("tanh", (0, 1)),
    ],
)
def test_curves_and_one_point_at_the_kink_by_hand(kind, at_zero):
    _, curves = activation_curves(5)  # z = −6, −3, 0, 3, 6
    assert (curves[kind][0][2], curves[kind][1][2]) == at_zero
    assert activation_at(0.0, kind) == at_zero


@pytest.mark.parametrize("kind", ACTIVATIONS)
@pytest.mark.parametrize("z", [-9.0, -1.3, 0.0, 0.7, 6.0])
def test_one_point_is_the_formula(kind, z):
    a, d = activation_at(z, kind)
    assert isinstance(a, float) and isinstance(d, float)
    assert a == pytest.approx(float(FUNCTIONS[kind](np.float64(z))), rel=1e-12, abs=1e-15)
    assert d == pytest.approx(float(DERIVATIVES[kind](np.float64(z))), rel=1e-12, abs=1e-15)


# ---------------------------------------------------------------------------------------------------------
# The run against the references


@pytest.mark.parametrize("kind", ACTIVATIONS)
@pytest.mark.parametrize("upstream", UPSTREAM_KINDS)
@pytest.mark.parametrize("kernel", ["sobel_x", "emboss", "laplacian"])
def test_run_matches_scipy_and_the_formulas(image, kind, upstream, kernel):
    run = run_activation(image, kernel_preset(kernel, 3), -0.3, kind, upstream, seed=7)
    assert run.z.shape == image.shape and run.kind == kind and run.bias == -0.3
    assert_run_matches_the_formulas(run, upstream, 7)


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_delta_z_against_central_differences(rng, kind):
    # L = Σ δ_A ⊙ σ(Z): its numerical gradient in Z is what δ_Z must be. Z is kept away from the kink at 0,
    # where a difference quotient of ReLU straddles two slopes.
    run = run_activation(rng.random((5, 7)), kernel_preset("outline", 3), 0.05, kind, "random", seed=2)
    z = np.where(np.abs(run.z) < 1e-3, 0.5, run.z)
    want = numerical_gradient_of_output(lambda v: activation_forward(v, kind)[0], z, run.da, eps=1e-5)
    got = run.da * activation_derivative(z, kind)
    assert relative_error(got, want) < 1e-7
    np.testing.assert_array_equal(run.dz[z == run.z], got[z == run.z])


@pytest.mark.parametrize("kind", ACTIVATIONS)
@pytest.mark.parametrize("upstream", UPSTREAM_KINDS)
def test_run_holds_the_engines_numbers(image, kind, upstream):
    kernel = kernel_preset("sobel_x", 3)
    run = run_activation(image, kernel, -0.2, kind, upstream, seed=4)
    z, _ = conv2d_forward(
        image[None, None], kernel[None, None], np.array([-0.2]), padding="same", pad_mode="replicate"
    )
    np.testing.assert_array_equal(run.z, z[0, 0])
    np.testing.assert_array_equal(run.a, activation_forward(run.z, kind)[0])
    np.testing.assert_array_equal(run.slope, activation_derivative(run.z, kind))
    np.testing.assert_array_equal(run.dz, run.da * run.slope)
    assert run.z.shape == image.shape


def test_the_reference_conv_path_agrees(image):
    kernel = kernel_preset("emboss", 3)
    z, _ = conv2d_forward(
        image[None, None],
        kernel[None, None],
        np.array([0.4]),
        padding="same",
        pad_mode="replicate",
        impl="reference",
    )
    np.testing.assert_allclose(run_activation(image, kernel, 0.4, "tanh").z, z[0, 0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("r", "c"), [(0, 0), (8, 12), (0, 12), (4, 6), (8, 0)])
@pytest.mark.parametrize("kernel", [kernel_preset("sobel_y", 3), np.arange(15.0).reshape(3, 5) - 7])
def test_cell_conv_is_the_window_z_was_made_of(image, r, c, kernel):
    run = run_activation(image, kernel, -0.7, "identity")
    got = cell_conv(run, r, c)
    assert isinstance(got, CellConv)
    KH, KW = kernel.shape
    padded = np.pad(image, ((KH // 2, KH // 2), (KW // 2, KW // 2)), mode="edge")
    np.testing.assert_array_equal(got.window, padded[r : r + KH, c : c + KW])
    assert got.products == pytest.approx(float(np.sum(got.window * kernel)), rel=1e-12, abs=1e-12)
    assert got.products + run.bias == pytest.approx(run.z[r, c], rel=1e-15, abs=1e-15)


def test_dead_relu_cells_are_counted():
    run = run_activation(np.zeros((4, 6)), kernel_preset("identity", 3), 0.0, "relu")
    assert derivative_summary(run) == (24, 0, 24)  # Z = 0 everywhere: ReLU'(0) = 0
    run = run_activation(np.ones((4, 6)), kernel_preset("identity", 3), -1.5, "leaky_relu")
    assert derivative_summary(run) == (0, 24, 24)  # σ' = α = 0.01 < SATURATION
    run = run_activation(np.ones((4, 6)), kernel_preset("identity", 3), 0.0, "tanh")
    assert derivative_summary(run) == (0, 0, 24)


def test_upstream_gradient():
    np.testing.assert_array_equal(upstream_gradient("ones", (2, 3)), np.ones((2, 3)))
    np.testing.assert_array_equal(
        upstream_gradient("random", (2, 3), 5), upstream_gradient("random", (2, 3), 5)
    )
    with pytest.raises(ValueError, match="upstream gradient"):
        upstream_gradient("twos", (2, 3))


def test_a_random_upstream_gradient_has_two_decimals_and_its_seed():
    da = upstream_gradient("random", (3, 5), 11)
    assert da.shape == (3, 5) and da.dtype == np.float64
    np.testing.assert_array_equal(da, np.round(np.random.default_rng(11).standard_normal((3, 5)), 2))
    np.testing.assert_allclose(da * 100, np.round(da * 100), atol=1e-9)
    assert not np.array_equal(da, upstream_gradient("random", (3, 5), 12))


def test_an_unknown_activation_raises_a_sentence(image):
    with pytest.raises(ValueError, match="activation must be one of"):
        run_activation(image, kernel_preset("sobel_x", 3), 0.0, "softplus")
    with pytest.raises(ValueError, match="activation must be one of"):
        activation_at(0.0, "softplus")


@settings(max_examples=30, deadline=None)
@given(
    x=arrays(np.float64, st.tuples(st.integers(1, 7), st.integers(1, 7)), elements=st.floats(0, 1)),
    bias=st.floats(-2, 2),
    kind=st.sampled_from(ACTIVATIONS),
)
def test_property_the_gradient_never_grows_for_these_activations(x, bias, kind):
    run = run_activation(x, kernel_preset("sobel_x", 3), bias, kind, "random", seed=0)
    # Every σ' here lies in [0, 1]: the backward pass can only keep or shrink each cell's gradient.
    assert np.all(np.abs(run.dz) <= np.abs(run.da) + 1e-12)
    assert sum(derivative_summary(run)[:2]) <= x.size


@st.composite
def problems(draw):
    """An image of 1–9 × 1–11 cells, an odd kernel of 1–5 a side (non-square too), a cell of the map."""
    H, W = draw(st.integers(1, 9)), draw(st.integers(1, 11))
    KH, KW = draw(st.sampled_from([1, 3, 5])), draw(st.sampled_from([1, 3, 5]))
    x = draw(arrays(np.float64, (H, W), elements=st.floats(0, 1)))
    kernel = draw(arrays(np.float64, (KH, KW), elements=st.floats(-2, 2)))
    return x, kernel, (draw(st.integers(0, H - 1)), draw(st.integers(0, W - 1)))


@settings(max_examples=60, deadline=None)
@given(
    problem=problems(),
    bias=st.floats(-2, 2),
    kind=st.sampled_from(ACTIVATIONS),
    upstream=st.sampled_from(UPSTREAM_KINDS),
    seed=st.integers(0, 9999),
)
def test_property_the_run_matches_the_references(problem, bias, kind, upstream, seed):
    x, kernel, (r, c) = problem
    run = run_activation(x, kernel, bias, kind, upstream, seed)
    assert all(m.shape == x.shape for m in (run.z, run.a, run.slope, run.da, run.dz))
    assert_run_matches_the_formulas(run, upstream, seed)
    slope = DERIVATIVES[kind](run.z)
    small = int(np.count_nonzero((slope > 0) & (slope < SATURATION)))
    assert derivative_summary(run) == (int(np.count_nonzero(slope == 0)), small, x.size)
    window, products = cell_conv(run, r, c)
    assert window.shape == kernel.shape
    assert products == pytest.approx(float(np.sum(window * kernel)), rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------------------------------------
# Planted bugs: the checks above must fail on them.


@pytest.mark.parametrize("kind", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_multiplying_by_sigma_instead_of_its_derivative_is_caught(monkeypatch, image, kind):
    # The classic slip: δ_Z = δ_A ⊙ σ(Z), the cache's output, where σ'(Z) belongs.
    monkeypatch.setattr(views, "activation_backward", lambda da, cache: da * cache.a)
    run = run_activation(image, kernel_preset("sobel_x", 3), 0.3, kind, "random", seed=1)
    with pytest.raises(AssertionError):
        assert_run_matches_the_formulas(run, "random", 1)


def test_zero_padding_instead_of_replicating_the_edge_is_caught(monkeypatch, image):
    monkeypatch.setattr(views, "PAD_MODE", "zeros")
    run = run_activation(image, kernel_preset("box_blur", 3), 0.0, "identity")
    with pytest.raises(AssertionError):
        assert_run_matches_the_formulas(run, "ones", 0)


def test_a_flipped_kernel_is_caught(monkeypatch, image):
    # True convolution (the kernel rotated by 180°) where the layer cross-correlates.
    def flipped(x, w, b, **hyper):
        return conv2d_forward(x, w[..., ::-1, ::-1], b, **hyper)

    monkeypatch.setattr(views, "conv2d_forward", flipped)
    run = run_activation(image, kernel_preset("sobel_x", 3), 0.0, "identity")
    with pytest.raises(AssertionError):
        assert_run_matches_the_formulas(run, "ones", 0)
