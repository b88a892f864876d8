"""engine/running_totals.py: a region's trace is the engine's trace at the region's cost; dW row by row
sums to dW; the running dX_pad over a region ends at the traced gradient."""

from __future__ import annotations

import numpy as np
import pytest

from engine.conv import conv2d_backward, conv2d_forward
from engine.running_totals import dw_by_row, region_trace
from engine.trace import backward_trace, running_dx_pad, traced_crop
from tests.engine.test_gather import CASES, NAMES, conv_problem


@pytest.mark.parametrize(NAMES, CASES)
def test_region_trace_matches_the_engines_trace(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x, w, hyper, delta, cache = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    H_out, W_out = cache.geometry.out_size
    for region in [(0, H_out, 0, W_out), (H_out // 2, H_out, W_out // 3, W_out)]:
        mine = region_trace(x, w[0], delta[0], cache.geometry, region)
        engines = backward_trace(x, w[0], delta[0], region=region, **hyper)
        assert mine.region == engines.region and len(mine.steps) == len(engines.steps)
        for a, b in zip(mine.steps, engines.steps):
            assert (a.i, a.j, a.rows, a.cols) == (b.i, b.j, b.rows, b.cols)
            np.testing.assert_allclose(a.window, b.window)
            np.testing.assert_allclose(a.dw_total, b.dw_total, atol=1e-12)
            np.testing.assert_allclose(a.dx_contribution, b.dx_contribution)
            assert a.db_total == pytest.approx(b.db_total)
        np.testing.assert_array_equal(mine.x_pad, engines.x_pad)


def test_region_trace_over_the_whole_map_is_the_whole_backward_pass(rng):
    x, w = rng.random((2, 9, 8)), rng.normal(size=(1, 2, 3, 2))
    z, cache = conv2d_forward(x[None], w, None, stride=(2, 1), padding=1, pad_mode="reflect")
    delta = rng.normal(size=z.shape[2:])
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    trace = region_trace(x, w[0], delta, cache.geometry, (0, z.shape[2], 0, z.shape[3]))
    np.testing.assert_allclose(trace.dx, dx[0], atol=1e-12)
    np.testing.assert_allclose(trace.dw, dw[0], atol=1e-12)
    assert trace.db == pytest.approx(db[0])


@pytest.mark.parametrize(NAMES, CASES)
def test_dw_by_row_sums_to_dw(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode):
    x, _, _, delta, cache = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    _, dw, _ = conv2d_backward(delta[None], cache)
    rows = dw_by_row(x, delta[0], cache.geometry)
    assert rows.shape == (delta.shape[1], C, KH, KW)
    np.testing.assert_allclose(rows.sum(axis=0), dw[0], atol=1e-12)
    # One row's share is dW of a δ that is 0 on every other row.
    i = delta.shape[1] // 2
    one_row = np.zeros_like(delta)
    one_row[:, i] = delta[:, i]
    _, dw_i, _ = conv2d_backward(one_row[None], cache)
    np.testing.assert_allclose(rows[i], dw_i[0], atol=1e-12)


@pytest.mark.parametrize(NAMES, CASES)
def test_running_dx_pad_ends_at_the_traced_gradient(
    rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode
):
    x, w, hyper, delta, _ = conv_problem(rng, C, H, W, F, KH, KW, stride, padding, dilation, pad_mode)
    trace = backward_trace(x, w[0], delta[0], **hyper)
    rows = slice(0, trace.x_pad.shape[1])
    cols = slice(0, trace.x_pad.shape[2])
    frames = running_dx_pad(trace, rows, cols)
    assert frames.shape == (len(trace.steps), *trace.x_pad.shape)
    np.testing.assert_allclose(frames[-1], trace.dx_pad, atol=1e-12)
    first = trace.steps[0]
    np.testing.assert_allclose(frames[0][:, first.rows][:, :, first.cols], first.dx_contribution)


def test_running_dx_pad_over_the_traced_crop_of_a_region_trace(rng):
    x, w = rng.random((3, 120, 90)), rng.normal(size=(1, 3, 3, 3))
    z, cache = conv2d_forward(x[None], w, None, stride=(1, 2), padding=1, dilation=2)
    delta = rng.normal(size=z.shape[2:])
    trace = region_trace(x, w[0], delta, cache.geometry, (50, 56, 30, 37))
    rows, cols = traced_crop(trace)
    frames = running_dx_pad(trace, rows, cols)
    # 6 windows down at stride 1 and 7 across at stride 2, each spanning 2·(3 − 1) + 1 = 5 cells.
    assert frames.shape == (42, 3, (6 - 1) * 1 + 5, (7 - 1) * 2 + 5) and (rows.start, cols.start) == (50, 60)
    np.testing.assert_array_equal(frames, running_dx_pad(trace))
    np.testing.assert_allclose(frames[-1], trace.dx_pad[:, rows, cols], atol=1e-12)
