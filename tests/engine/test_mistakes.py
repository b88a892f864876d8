"""engine/mistakes.py: each planted mistake differs from the right gradient exactly where it should, and
nowhere else; the right ones agree with central differences; the gradient check catches every one."""

from __future__ import annotations

import numpy as np
import pytest

from engine import conv_reference, mistakes
from engine.activations import activation_backward, activation_forward
from engine.conv import conv2d_forward
from engine.gather import overlap_count, scatter_dx_pad
from engine.geometry import conv_geometry
from engine.gradcheck import error_floor, numerical_gradient_of_output, worst_relative_error
from engine.layer_check import gradient_check
from engine.layer_loss import LossSpec, layer_gradients
from engine.pool import pool2d_backward, pool2d_forward

# (C, H, W, F, KH, KW, stride, padding, dilation, pad_mode): non-square shapes and kernels throughout.
CASES = [
    (1, 7, 9, 1, 3, 2, 1, 1, 1, "zeros"),
    (2, 8, 7, 3, 2, 3, (2, 1), ((1, 2), (0, 1)), 1, "zeros"),
    (3, 9, 10, 2, 3, 4, 2, 1, (2, 1), "reflect"),
    (1, 6, 11, 2, 1, 3, (1, 3), (0, 2), 1, "replicate"),
]


def problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    """An image, kernels, a random δ and the geometry: (x (C, H, W), w, δ (F, H_out, W_out), geometry)."""
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(F, C, KH, KW))
    geometry = conv_geometry((1, C, H, W), w.shape, stride, padding, dilation, pad_mode)
    return x, w, rng.normal(size=(F, *geometry.out_size)), geometry


def right(delta, x, w, geometry):
    dx, dw, db = conv_reference.backward(delta[None], x[None], w, geometry)
    return dx[0], dw, db


def assert_same(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def differs(a, b) -> np.ndarray:
    """Where two gradients differ by more than rounding (bool array of their shape)."""
    return np.abs(a - b) > 1e-9 * max(1.0, float(np.abs(b).max()))


@pytest.mark.parametrize("case", CASES)
def test_the_tap_by_tap_backward_is_the_engine_s_and_central_differences_agree(rng, case):
    x, w, delta, g = problem(rng, *case)
    for got, want in zip(mistakes.scatter_backward(delta, x, w, g), right(delta, x, w, g)):
        assert_same(got, want)
    hyper = dict(stride=case[6], padding=case[7], dilation=case[8], pad_mode=case[9])
    dx, dw, _ = mistakes.scatter_backward(delta, x, w, g)
    numeric_dx = numerical_gradient_of_output(
        lambda v: conv2d_forward(v[None], w, None, **hyper)[0][0], x, delta, eps=1e-3
    )
    numeric_dw = numerical_gradient_of_output(
        lambda v: conv2d_forward(x[None], v, None, **hyper)[0][0], w, delta, eps=1e-3
    )
    # Z is linear in X and in W: a large ε has no truncation error and less rounding.
    # Each entry measured against its array's largest (the engine's floor: a near-0 entry rounds).
    assert worst_relative_error(dx, numeric_dx, error_floor(dx)) <= 1e-7
    assert worst_relative_error(dw, numeric_dw, error_floor(dw)) <= 1e-7


# --- (a) no rotation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_no_rotation_spoils_dx_only_and_a_symmetric_kernel_hides_it(rng, case):
    x, w, delta, g = problem(rng, *case)
    dx, dw, db = mistakes.gather_without_rotation(delta, x, w, g)
    good = right(delta, x, w, g)
    assert_same(dw, good[1]) and assert_same(db, good[2])
    if w.shape[2:] != (1, 1):
        assert differs(dx, good[0]).any()
    symmetric = w + w[..., ::-1, ::-1]  # equal to its own 180° rotation
    assert_same(mistakes.gather_without_rotation(delta, x, symmetric, g)[0], right(delta, x, symmetric, g)[0])
    antisymmetric = w - w[..., ::-1, ::-1]  # like Sobel: rotated, it is −W, so dX flips its sign
    assert_same(
        mistakes.gather_without_rotation(delta, x, antisymmetric, g)[0], -right(delta, x, antisymmetric, g)[0]
    )


# --- (b) overwrite ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_overwrite_differs_exactly_where_windows_overlap(rng, case):
    x, w, delta, g = problem(rng, *case)
    g = g._replace(pad_mode="zeros")  # cells of dX_pad are then cells of dX: compare them one to one
    (top, _), (left, _) = g.padding
    H, W = g.in_size
    counts = overlap_count(g).padded[top : top + H, left : left + W]
    dx, dw, db = mistakes.overwrite_windows(delta, x, w, g)
    good = right(delta, x, w, g)
    assert_same(dw, good[1]) and assert_same(db, good[2])
    bad = differs(dx, good[0]).any(axis=0)  # (H, W): a cell wrong in any channel
    assert not bad[counts <= 1].any()  # read by one window (or none): one share, written once
    assert bad[counts >= 2].all()  # read by several: all but the last share lost


def test_overwrite_is_right_when_no_windows_overlap(rng):
    # Stride = kernel span along both axes: the windows tile the input.
    x, w, delta, g = problem(rng, 2, 8, 9, 2, 2, 3, (2, 3), 0, 1, "zeros")
    for got, want in zip(mistakes.overwrite_windows(delta, x, w, g), right(delta, x, w, g)):
        assert_same(got, want)


# --- (c) the stride ignored ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_ignoring_the_stride_is_right_at_stride_one_only(rng, case):
    x, w, delta, g = problem(rng, *case)
    dx, dw, db = mistakes.stride_ignored(delta, x, w, g)
    good = right(delta, x, w, g)
    assert_same(db, good[2])
    if g.stride == (1, 1):
        assert_same(dx, good[0]) and assert_same(dw, good[1])
    else:
        assert differs(dx, good[0]).any() and differs(dw, good[1]).any()


# --- (d) the activation's slope -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["relu", "leaky_relu", "sigmoid", "tanh", "identity"])
def test_the_slope_mistakes_differ_where_sigma_and_its_slope_differ(rng, kind):
    z, da = rng.normal(size=(2, 5, 7)), rng.normal(size=(2, 5, 7))
    good = activation_backward(da, activation_forward(z, kind)[1])
    forgotten, sigma = mistakes.slope_forgotten(da, z, kind), mistakes.slope_is_sigma(da, z, kind)
    if kind == "identity":
        assert_same(forgotten, good)  # σ' = 1: nothing to forget
    if kind == "relu":
        on = z > 0
        assert_same(forgotten[on], good[on]) and differs(forgotten, good)[~on].all()
        assert_same(sigma[~on], good[~on]) and differs(sigma, good)[on].all()
    if kind in ("sigmoid", "tanh"):
        assert differs(forgotten, good).all() and differs(sigma, good).all()


# --- (e) the padding not cropped -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_not_cropping_shifts_dx_by_the_padding(rng, case):
    x, w, delta, g = problem(rng, *case)
    g = g._replace(pad_mode="zeros")
    dx, dw, db = mistakes.padding_not_cropped(delta, x, w, g)
    good = right(delta, x, w, g)
    assert_same(dw, good[1]) and assert_same(db, good[2])
    H, W = g.in_size
    assert_same(dx, scatter_dx_pad(delta, w, g)[:, :H, :W])  # the top-left corner of dX_pad
    unpadded = g._replace(padding=((0, 0), (0, 0)))
    unpadded = conv_geometry((1, *x.shape), w.shape, g.stride, 0, g.dilation)
    delta0 = rng.normal(size=(w.shape[0], *unpadded.out_size))
    assert_same(mistakes.padding_not_cropped(delta0, x, w, unpadded)[0], right(delta0, x, w, unpadded)[0])
    if any(any(side) for side in g.padding):
        assert differs(dx, good[0]).any()


# --- (f) height and width swapped ------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_swapping_height_and_width_shows_with_non_square_kernels_only(rng, case):
    x, w, delta, g = problem(rng, *case)
    dx, dw, db = mistakes.height_width_swapped(delta, x, w, g)
    good = right(delta, x, w, g)
    assert_same(db, good[2])
    assert w.shape[2] != w.shape[3]
    assert differs(dw, good[1]).any() and differs(dx, good[0]).any()


@pytest.mark.parametrize("K", [1, 2, 3])
def test_a_square_kernel_hides_the_swap(rng, K):
    x, w, delta, g = problem(rng, 2, 9, 8, 2, K, K, (2, 1), 1, (1, 2), "zeros")
    for got, want in zip(mistakes.height_width_swapped(delta, x, w, g), right(delta, x, w, g)):
        assert_same(got, want)


# --- (g) pooling -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool_overwrite_is_right_without_overlap(rng, mode):
    x = rng.normal(size=(1, 2, 6, 8))
    y, cache = pool2d_forward(x, 2, 2, mode)
    dy = rng.normal(size=y.shape)
    assert_same(mistakes.pool_overwrite(dy, cache), pool2d_backward(dy, cache))


def test_pool_overwrite_loses_all_but_the_last_share_where_max_windows_overlap(rng):
    x = rng.normal(size=(1, 1, 6, 7))
    y, cache = pool2d_forward(x, 3, 1, "max", padding=1)
    dy = rng.normal(size=y.shape)
    good, wrong = pool2d_backward(dy, cache), mistakes.pool_overwrite(dy, cache)
    ones = pool2d_backward(np.ones_like(dy), cache)  # how many windows route to each cell
    assert_same(wrong[ones <= 1], good[ones <= 1])
    assert differs(wrong, good)[ones >= 2].all()


def test_pool_overwrite_with_average_windows(rng):
    x = rng.normal(size=(1, 1, 5, 6))
    y, cache = pool2d_forward(x, (2, 3), 1, "avg")
    dy = rng.normal(size=y.shape)
    good, wrong = pool2d_backward(dy, cache), mistakes.pool_overwrite(dy, cache)
    shares = pool2d_backward(np.ones_like(dy), cache) * 6  # windows over each cell
    assert_same(wrong[shares == 1], good[shares == 1])
    assert differs(wrong, good)[shares >= 2].all()


# --- the layer and its gradient check ------------------------------------------------------------------

# One layer where every mistake shows: a 3×2 kernel (not square, not symmetric) at stride (2, 1) so that
# windows overlap along the width and the stride counts, padding 1, and tanh (σ ≠ σ' ≠ 1).
LAYER = dict(stride=(2, 1), padding=1)


def layer_problem(rng):
    x, w, b = rng.normal(size=(2, 7, 6)), rng.normal(size=(2, 2, 3, 2)), rng.normal(size=2)
    return x, w, b


@pytest.mark.parametrize("mistake_id", mistakes.LAYER_MISTAKES)
def test_the_gradient_check_catches_every_planted_mistake(rng, mistake_id):
    x, w, b = layer_problem(rng)
    spec = LossSpec("sum")
    check = gradient_check(x, w, b, "tanh", spec, limit=40, gradients=mistakes.planted(mistake_id), **LAYER)
    assert check.worst > 1e-2
    good = layer_gradients(x, w, b, "tanh", spec, **LAYER)
    wrong = mistakes.planted_gradients(x, w, b, "tanh", spec, mistake_id, **LAYER)
    spoiled = mistakes.spoiled(good, wrong)
    assert spoiled and set(spoiled) <= set(mistakes.MISTAKES[mistake_id].spoils)
    # The check's errors are large exactly in the arrays the mistake spoiled.
    for name in ("W", "b", "X"):
        errors = check.errors[np.array(check.arrays) == name]
        assert (errors.max() > 1e-2) == (name in spoiled), name


def test_without_a_mistake_the_check_agrees(rng):
    x, w, b = layer_problem(rng)
    check = gradient_check(
        x, w, b, "tanh", LossSpec("sum"), limit=40, gradients=mistakes.planted("none"), **LAYER
    )
    assert check.worst <= 1e-7


def test_difference_maps_hold_the_checked_entries(rng):
    x, w, b = layer_problem(rng)
    check = gradient_check(
        x, w, b, "tanh", LossSpec("sum"), limit=20, gradients=mistakes.planted("no_crop"), **LAYER
    )
    maps = mistakes.difference_maps(check, {"W": w.shape, "b": b.shape, "X": x.shape})
    assert maps["X"].shape == x.shape and np.isnan(maps["X"]).sum() == x.size - 20
    for name, index, a, n in zip(check.arrays, check.indices, check.analytic, check.numeric):
        assert maps[name][index] == a - n
    assert np.nanmax(np.abs(maps["X"])) > 1e-2 and np.nanmax(np.abs(maps["W"])) < 1e-6


@pytest.mark.parametrize("mistake_id", list(mistakes.MISTAKES))
def test_each_mistake_names_the_right_function_beside_it(mistake_id):
    right = mistakes.right_function(mistake_id)
    assert callable(right) and right.__module__.startswith("engine.")
    assert right.__name__ in mistakes.MISTAKES[mistake_id].wrong.__doc__  # named where the mistake is


def test_an_unknown_or_a_pooling_mistake_is_refused(rng):
    x, w, b = layer_problem(rng)
    with pytest.raises(ValueError):
        mistakes.mistake("typo")
    with pytest.raises(ValueError):
        mistakes.planted_gradients(x, w, b, "tanh", LossSpec("sum"), "pool_overwrite")
    assert mistakes.POOL_MISTAKES == ("pool_overwrite",)


GEOMETRIES = [
    dict(stride=1, padding=0),
    dict(stride=3, padding=(2, 1), dilation=(1, 2), pad_mode="reflect"),
    dict(stride=(1, 2), padding=1, pad_mode="circular"),
    dict(stride=2, padding="same", pad_mode="replicate"),
    dict(stride=4, padding=0, dilation=2),
]


@pytest.mark.parametrize("mistake_id", mistakes.LAYER_MISTAKES)
@pytest.mark.parametrize("kernel", [(1, 1), (2, 3), (3, 1), (3, 3)])
@pytest.mark.parametrize("hyper", GEOMETRIES)
def test_every_mistake_runs_on_any_geometry_with_the_right_shapes(rng, mistake_id, kernel, hyper):
    x, w, b = rng.normal(size=(3, 9, 8)), rng.normal(size=(2, 3, *kernel)), rng.normal(size=2)
    spec = LossSpec("sum")
    good = layer_gradients(x, w, b, "relu", spec, **hyper)
    wrong = mistakes.planted_gradients(x, w, b, "relu", spec, mistake_id, **hyper)
    assert (wrong.dx.shape, wrong.dw.shape, wrong.db.shape) == (x.shape, w.shape, b.shape)
    assert np.isfinite(wrong.dx).all() and np.isfinite(wrong.dw).all()
    assert set(mistakes.spoiled(good, wrong)) <= set(mistakes.MISTAKES[mistake_id].spoils)
