"""Kernel presets: exact values, sums and symmetries, the cross-correlation sign convention on real edges,
sizes and errors, and the seeded random kernel."""

import numpy as np
import pytest
from scipy.signal import correlate2d

from engine.presets import (
    PRESETS,
    KernelPreset,
    gaussian_sigma,
    kernel_preset,
    preset_sizes,
    random_kernel,
)

ALL_KERNELS = [(p.name, size) for p in PRESETS for size in p.sizes]
# Presets that keep the image's brightness (weights sum to 1) and those that respond only to change (sum 0).
SUM_ONE = {"identity", "box_blur", "gaussian_blur", "sharpen", "emboss"}
SUM_ZERO = {"laplacian", "sobel_x", "sobel_y", "prewitt_x", "prewitt_y", "scharr_x", "scharr_y", "outline"}


def test_the_catalogue():
    names = [p.name for p in PRESETS]
    assert names == [
        "identity",
        "box_blur",
        "gaussian_blur",
        "sharpen",
        "laplacian",
        "sobel_x",
        "sobel_y",
        "prewitt_x",
        "prewitt_y",
        "scharr_x",
        "scharr_y",
        "emboss",
        "outline",
    ]
    assert set(names) == SUM_ONE | SUM_ZERO
    for preset in PRESETS:
        assert isinstance(preset, KernelPreset)
        assert preset.title and preset.description.endswith(".")
        assert preset.sizes == tuple(sorted(preset.sizes)) and all(s % 2 == 1 for s in preset.sizes)
        assert preset_sizes(preset.name) == preset.sizes


def test_sizes():
    assert (
        preset_sizes("identity")
        == preset_sizes("box_blur")
        == preset_sizes("gaussian_blur")
        == (1, 3, 5, 7, 9, 11)
    )
    assert preset_sizes("sobel_x") == preset_sizes("sobel_y") == (3, 5, 7)
    assert preset_sizes("laplacian") == (3, 5)
    assert preset_sizes("scharr_x") == (3,)


@pytest.mark.parametrize(("name", "size"), ALL_KERNELS)
def test_every_kernel_is_a_square_float_array_with_the_right_sum(name, size):
    kernel = kernel_preset(name, size)
    assert kernel.shape == (size, size)
    assert kernel.dtype == np.float64
    assert kernel.sum() == pytest.approx(1.0 if name in SUM_ONE else 0.0, abs=1e-12)


def test_exact_3x3_values():
    np.testing.assert_array_equal(kernel_preset("sobel_x"), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(kernel_preset("sobel_y"), [[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    np.testing.assert_array_equal(kernel_preset("prewitt_x"), [[-1, 0, 1]] * 3)
    np.testing.assert_array_equal(kernel_preset("scharr_x"), [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]])
    np.testing.assert_array_equal(kernel_preset("laplacian"), [[0, -1, 0], [-1, 4, -1], [0, -1, 0]])
    np.testing.assert_array_equal(kernel_preset("outline"), [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    np.testing.assert_array_equal(kernel_preset("sharpen"), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    np.testing.assert_array_equal(kernel_preset("identity", 1), [[1]])
    np.testing.assert_allclose(kernel_preset("box_blur", 3), np.full((3, 3), 1 / 9), rtol=1e-15)


def test_extended_sobel_is_smoothing_times_derivative():
    np.testing.assert_array_equal(kernel_preset("sobel_x", 5), np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]))
    # The 7-tap derivative is the 5-tap smoothing row convolved with [−1, 0, 1].
    derivative_7 = np.convolve([1, 4, 6, 4, 1], [-1, 0, 1])
    np.testing.assert_array_equal(derivative_7, [-1, -4, -5, 0, 5, 4, 1])
    np.testing.assert_array_equal(
        kernel_preset("sobel_x", 7), np.outer([1, 6, 15, 20, 15, 6, 1], derivative_7)
    )
    for size in (3, 5, 7):
        np.testing.assert_array_equal(kernel_preset("sobel_y", size), kernel_preset("sobel_x", size).T)


@pytest.mark.parametrize("name", ["sobel_x", "prewitt_x", "scharr_x"])
def test_x_derivative_kernels_are_antisymmetric_left_right_and_symmetric_up_down(name):
    for size in preset_sizes(name):
        kernel = kernel_preset(name, size)
        np.testing.assert_array_equal(kernel[:, ::-1], -kernel)
        np.testing.assert_array_equal(kernel[::-1, :], kernel)
        y_kernel = kernel_preset(name.replace("_x", "_y"), size)
        np.testing.assert_array_equal(y_kernel, kernel.T)


@pytest.mark.parametrize("name", ["box_blur", "gaussian_blur", "laplacian", "outline", "sharpen", "identity"])
def test_isotropic_kernels_look_the_same_flipped_or_transposed(name):
    for size in preset_sizes(name):
        kernel = kernel_preset(name, size)
        np.testing.assert_array_equal(kernel, kernel[::-1, :])
        np.testing.assert_array_equal(kernel, kernel[:, ::-1])
        np.testing.assert_array_equal(kernel, kernel.T)


@pytest.mark.parametrize("size", [3, 5, 7, 9, 11])
def test_gaussian_follows_opencvs_sigma_and_is_separable(size):
    kernel = kernel_preset("gaussian_blur", size)
    sigma = 0.3 * ((size - 1) * 0.5 - 1) + 0.8
    assert gaussian_sigma(size) == pytest.approx(sigma)
    centre = size // 2
    # Along the middle row, neighbours fall off as e^{−d²/2σ²}.
    row = kernel[centre]
    np.testing.assert_allclose(row[centre + 1] / row[centre], np.exp(-1 / (2 * sigma**2)), rtol=1e-12)
    np.testing.assert_allclose(
        row[centre + 2 :] / row[centre], np.exp(-(np.arange(2, centre + 1) ** 2) / (2 * sigma**2)), rtol=1e-12
    )
    assert np.linalg.matrix_rank(kernel) == 1  # an outer product of two 1-D Gaussians
    assert kernel[centre, centre] == kernel.max()


def test_emboss_is_antisymmetric_about_its_centre_apart_from_the_centre():
    kernel = kernel_preset("emboss")
    off_centre = kernel - np.diag([0, kernel[1, 1], 0])
    np.testing.assert_array_equal(off_centre[::-1, ::-1], -off_centre)


# ---------------------------------------------------------------------------------------------------------
# The sign convention on real edges (cross-correlation, as the network computes it)


def step_image(H, W, axis):
    """Dark (0) then bright (1): left to right for axis=1, top to bottom for axis=0."""
    image = np.zeros((H, W))
    if axis == 1:
        image[:, W // 2 :] = 1.0
    else:
        image[H // 2 :, :] = 1.0
    return image


@pytest.mark.parametrize(("name", "size"), [(n, s) for n, s in ALL_KERNELS if n.endswith("_x")])
def test_x_kernels_respond_positively_to_dark_to_bright_left_to_right(name, size):
    response = correlate2d(step_image(9, 14, axis=1), kernel_preset(name, size), mode="valid")
    assert response.max() > 0 and response.min() == 0
    # Flat regions give 0; the step from dark to bright gives a positive response. Right to left: negative.
    flipped = correlate2d(step_image(9, 14, axis=1)[:, ::-1], kernel_preset(name, size), mode="valid")
    assert flipped.min() < 0 and flipped.max() == 0
    # A horizontal edge does not show up at all.
    np.testing.assert_array_equal(
        correlate2d(step_image(9, 14, axis=0), kernel_preset(name, size), mode="valid"), 0
    )


@pytest.mark.parametrize(("name", "size"), [(n, s) for n, s in ALL_KERNELS if n.endswith("_y")])
def test_y_kernels_respond_positively_to_dark_to_bright_top_to_bottom(name, size):
    response = correlate2d(step_image(14, 9, axis=0), kernel_preset(name, size), mode="valid")
    assert response.max() > 0 and response.min() == 0


@pytest.mark.parametrize(("name", "size"), [("laplacian", 3), ("laplacian", 5), ("outline", 3)])
def test_laplacian_and_outline_are_positive_on_a_bright_spot(name, size):
    image = np.zeros((11, 12))
    image[5, 6] = 1.0
    response = correlate2d(image, kernel_preset(name, size), mode="same")
    assert response[5, 6] == response.max() > 0


@pytest.mark.parametrize("size", [1, 3, 5, 7, 9, 11])
def test_identity_keeps_and_box_blur_averages_the_image(rng, size):
    image = rng.standard_normal((13, 15))
    np.testing.assert_array_equal(correlate2d(image, kernel_preset("identity", size), mode="same"), image)
    blurred = correlate2d(image, kernel_preset("box_blur", size), mode="valid")
    np.testing.assert_allclose(blurred[0, 0], image[:size, :size].mean(), rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# Errors and independence


def test_unknown_name_lists_the_presets():
    with pytest.raises(ValueError, match="no kernel preset 'sobel'; the presets are identity, box_blur"):
        kernel_preset("sobel")
    with pytest.raises(ValueError, match="no kernel preset"):
        preset_sizes("blur")


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("sobel_x", 9, "Sobel x kernel comes in sizes 3, 5, 7; 9 is not"),
        ("scharr_y", 5, "sizes 3; 5 is not"),
        ("gaussian_blur", 4, "sizes 1, 3, 5, 7, 9, 11; 4 is not"),
        ("laplacian", 7, "sizes 3, 5; 7 is not"),
        ("box_blur", 3.0, "3.0 is not"),
        ("identity", True, "True is not"),
    ],
)
def test_unsupported_size_lists_the_sizes_the_preset_has(name, size, message):
    with pytest.raises(ValueError, match=message):
        kernel_preset(name, size)


def test_each_call_returns_a_new_array():
    kernel = kernel_preset("sobel_x")
    kernel[0, 0] = 100.0
    assert kernel_preset("sobel_x")[0, 0] == -1.0


# ---------------------------------------------------------------------------------------------------------
# Random kernels


def test_random_kernel_is_reproducible_with_a_seed():
    np.testing.assert_array_equal(random_kernel((3, 5), seed=7), random_kernel((3, 5), seed=7))
    assert not np.array_equal(random_kernel((3, 5), seed=7), random_kernel((3, 5), seed=8))
    assert random_kernel((2, 3, 5, 4), seed=1).shape == (2, 3, 5, 4)


@pytest.mark.parametrize(
    ("shape", "fan_in"), [((64, 32, 3, 5), 32 * 3 * 5), ((120, 90), 120 * 90), ((8, 30, 40), 8 * 30 * 40)]
)
def test_random_kernel_has_he_scale(shape, fan_in):
    kernel = random_kernel(shape, seed=3)
    assert kernel.dtype == np.float64
    assert abs(kernel.mean()) < 0.05 * np.sqrt(2 / fan_in)
    assert kernel.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.03)


@pytest.mark.parametrize("shape", [(), (3, 0), (0, 3, 3, 3)])
def test_random_kernel_rejects_empty_shapes(shape):
    with pytest.raises(ValueError, match="at least"):
        random_kernel(shape, seed=0)
