"""engine/gather.py: the gather view of dX == the scatter == conv2d_backward, field by field, and the
overlap counts."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import conv_reference, gather
from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import backward_padded
from engine.gather import (
    gather_dx,
    gather_dx_reference,
    gather_terms,
    overlap_count,
    scatter_dx_pad,
    spread_delta,
)
from engine.geometry import conv_geometry, pad_input

CASES = [
    # (C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    (1, 6, 9, 1, 3, 3, 1, 0, 1, "zeros"),
    (3, 7, 5, 2, 2, 3, (2, 1), 1, 1, "reflect"),
    (2, 9, 8, 3, 3, 2, 2, ((1, 2), (0, 1)), (2, 1), "replicate"),
    (1, 5, 6, 2, 3, 3, 1, 2, 2, "circular"),
    (3, 4, 7, 1, 1, 1, 3, 0, 1, "zeros"),
    (1, 11, 8, 1, 3, 2, (3, 2), (2, 1), (1, 3), "zeros"),
]


NAMES = ("C", "H", "W", "F", "KH", "KW", "stride", "padding", "dilation", "pad_mode")


def conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x = rng.normal(size=(C, H, W))
    w = rng.normal(size=(F, C, KH, KW))
    hyper = {"stride": stride, "padding": padding, "dilation": dilation, "pad_mode": pad_mode}
    z, cache = conv2d_forward(x[None], w, None, **hyper)
    # Magnitudes in [0.5, 1.5] with random signs: no entry of the gradients sits near 0 by accident.
    delta = rng.uniform(0.5, 1.5, size=z.shape[1:]) * rng.choice([-1, 1], size=z.shape[1:])
    return x, w, hyper, delta, cache


@pytest.mark.parametrize(NAMES, CASES)
def test_gather_equals_scatter_equals_conv2d_backward(
    rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode
):
    x, w, _, delta, cache = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    dx, _, _ = conv2d_backward(delta[None], cache)
    dx_scatter, _, _ = conv_reference.backward(delta[None], x[None], w, cache.geometry)
    view = gather_dx(delta, w, cache.geometry)
    np.testing.assert_allclose(view.dx, dx[0], atol=1e-12)
    np.testing.assert_allclose(view.dx, dx_scatter[0], atol=1e-12)
    np.testing.assert_allclose(view.cropped + view.folded, view.dx, atol=1e-12)
    if pad_mode == "zeros":
        assert not view.folded.any()  # zero padding only crops


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 4), sw=st.integers(1, 4),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    pad_mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]), seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_gather_equals_conv2d_backward_for_any_geometry(
    C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, pad_mode, seed
):
    rng = np.random.default_rng(seed)
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), pad_mode)
    except ValueError:
        return  # a geometry the engine refuses (kernel larger than the padded input, reflect too wide)
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(F, C, KH, KW))
    delta = rng.normal(size=(F, *geometry.out_size))
    _, cache = conv2d_forward(x[None], w, None, (sh, sw), (ph, pw), (dh, dw), pad_mode)
    dx, _, _ = conv2d_backward(delta[None], cache)
    dx_scatter, _, _ = conv_reference.backward(delta[None], x[None], w, geometry)
    view = gather_dx(delta, w, geometry)
    np.testing.assert_allclose(view.dx, dx[0], atol=1e-10)
    np.testing.assert_allclose(view.dx, dx_scatter[0], atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 9), W=st.integers(1, 9), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 4), sw=st.integers(1, 4),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_scatter_dx_pad_equals_the_engines_padded_gradient(C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, seed):
    rng = np.random.default_rng(seed)
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), "zeros")
    except ValueError:
        return  # a kernel larger than the padded input
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(F, C, KH, KW))
    delta = rng.normal(size=(F, *geometry.out_size))
    x_pad = pad_input(x[None], geometry.padding, "zeros")
    expected, _ = backward_padded(delta[None], x_pad, w, geometry)
    np.testing.assert_allclose(scatter_dx_pad(delta, w, geometry), expected[0], atol=1e-12)
    np.testing.assert_allclose(gather_dx(delta, w, geometry).dx_pad, expected[0], atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    C=st.integers(1, 3), H=st.integers(1, 12), W=st.integers(1, 12), F=st.integers(1, 3),
    KH=st.integers(1, 4), KW=st.integers(1, 4), sh=st.integers(1, 3), sw=st.integers(1, 3),
    ph=st.integers(0, 3), pw=st.integers(0, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    pad_mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
    block_bytes=st.sampled_from([1, 300, 2000, 1 << 20]), seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_every_gather_field_equals_its_definition(
    C, H, W, F, KH, KW, sh, sw, ph, pw, dh, dw, pad_mode, block_bytes, seed
):
    """The fast gather (bands of rows, views) against the readable one, field by field, for any band size;
    the readable one's dX against the readable scatter (conv_reference)."""
    try:
        geometry = conv_geometry((1, C, H, W), (F, C, KH, KW), (sh, sw), (ph, pw), (dh, dw), pad_mode)
    except ValueError:
        return
    rng = np.random.default_rng(seed)
    delta, w = rng.normal(size=(F, *geometry.out_size)), rng.normal(size=(F, C, KH, KW))
    with patch.object(gather, "GATHER_BLOCK_BYTES", block_bytes):
        view = gather_dx(delta, w, geometry)
    expected = gather_dx_reference(delta, w, geometry)
    scatter = conv_reference.backward(delta[None], np.zeros((1, C, H, W)), w, geometry)[0][0]
    np.testing.assert_allclose(expected.dx, scatter, atol=1e-12)
    for name, mine, theirs in zip(gather.GatherView._fields, view, expected):
        assert mine.shape == theirs.shape and mine.dtype == np.float64, name
        np.testing.assert_allclose(mine, theirs, atol=1e-12, err_msg=name)


def test_gather_of_a_512_image_in_bands_equals_the_engines_scatter(rng):
    geometry = conv_geometry((1, 3, 512, 384), (2, 3, 3, 5), stride=1, padding=(1, 2), pad_mode="reflect")
    delta, w = rng.normal(size=(2, *geometry.out_size)), rng.normal(size=(2, 3, 3, 5))
    view = gather_dx(delta, w, geometry)
    dx_pad, _ = backward_padded(delta[None], np.zeros((1, 3, 514, 388)), w, geometry)
    np.testing.assert_allclose(view.dx_pad, dx_pad[0], atol=1e-12)


def test_gather_intermediates_by_hand():
    """1 kernel 2×2, stride 2, padding 1, dilation 1 on a 3×4 input: every intermediate written out."""
    geometry = conv_geometry((1, 1, 3, 4), (1, 1, 2, 2), stride=2, padding=1)
    assert geometry.out_size == (2, 3)
    delta = np.array([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]])
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    view = gather_dx(delta, w, geometry)
    np.testing.assert_array_equal(view.spread[0], [[1, 0, 2, 0, 3], [0, 0, 0, 0, 0], [4, 0, 5, 0, 6]])
    assert view.padded.shape == (1, 5, 7)  # padded by K − 1 = 1 on each side
    np.testing.assert_array_equal(view.rotated[0, 0], [[4, 3], [2, 1]])
    # Stride 2 and a 2×2 kernel: windows do not overlap, so dX_pad is δ(i, j)·W tiled without overlaps.
    expected = np.block([[d * w[0, 0] for d in row] for row in delta[0]])
    np.testing.assert_array_equal(view.full[0], expected)
    # The padded input is 5×6: its last row is never read (windows start at rows 0 and 2), so it gets 0.
    np.testing.assert_array_equal(view.dx_pad[0, :4], expected)
    assert not view.dx_pad[0, 4].any()
    np.testing.assert_array_equal(view.dx[0], view.dx_pad[0, 1:4, 1:5])


def test_uneven_stride_leaves_unread_rows_at_zero(rng):
    # H_pad = 8, K = 3, s = 2: windows start at 0, 2, 4 and end at row 6; row 7 is never read.
    geometry = conv_geometry((1, 1, 8, 5), (1, 1, 3, 3), stride=2)
    view = gather_dx(rng.normal(size=(1, *geometry.out_size)), rng.normal(size=(1, 1, 3, 3)), geometry)
    assert view.full.shape == (1, 7, 5)
    assert not view.dx_pad[0, 7].any()
    assert not overlap_count(geometry).padded[7].any()


def test_spread_delta_puts_s_minus_1_zeros_between_entries(rng):
    delta = rng.normal(size=(2, 3, 4))
    spread = spread_delta(delta, (3, 2))
    assert spread.shape == (2, 7, 7)
    np.testing.assert_array_equal(spread[:, ::3, ::2], delta)
    assert np.count_nonzero(spread) == np.count_nonzero(delta)


@pytest.mark.parametrize(NAMES, CASES)
def test_gather_terms_add_up_to_each_cell(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    _, w, _, delta, cache = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    view = gather_dx(delta, w, cache.geometry)
    counts = overlap_count(cache.geometry).padded
    for c, u, v in np.ndindex(view.dx_pad.shape):
        terms = gather_terms(delta, w, cache.geometry, c, u, v)
        assert len(terms) == F * counts[u, v]
        assert sum(t.delta * t.weight for t in terms) == pytest.approx(view.dx_pad[c, u, v], abs=1e-12)


# --- how often each input cell is read ------------------------------------------------------------------


def test_overlap_count_by_hand():
    # One axis: 7 cells, K = 3, s = 2 → windows at 0, 2, 4: counts 1 1 2 1 2 1 1 (uneven coverage).
    geometry = conv_geometry((1, 1, 7, 3), (1, 1, 3, 1), stride=(2, 1))
    counts = overlap_count(geometry)
    np.testing.assert_array_equal(counts.padded[:, 0], [1, 1, 2, 1, 2, 1, 1])
    assert counts.padded.shape == (7, 3)


@pytest.mark.parametrize(NAMES, CASES)
def test_overlap_count_is_dx_of_ones(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    _, _, _, delta, cache = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    ones = gather_dx(np.ones((1, *delta.shape[1:])), np.ones((1, 1, KH, KW)), cache.geometry)
    counts = overlap_count(cache.geometry)
    np.testing.assert_array_equal(counts.padded, ones.dx_pad[0])
    np.testing.assert_array_equal(counts.input, ones.dx[0])
