"""Traces: rebuilding Z, dW, db and dX from the steps gives the engine's own results."""

from __future__ import annotations

import numpy as np
import pytest

from engine.activations import activation_forward
from engine.conv import conv2d_backward, conv2d_forward
from engine.geometry import conv_geometry, unpad_gradient
from engine.trace import (
    MAX_STEPS,
    backward_trace,
    check_region,
    default_region,
    forward_trace,
    inside_cells,
    running_dx_pad,
    strongest_cell,
    traced_crop,
)

CASES = [
    # (C, H, W, KH, KW, stride, padding, dilation, pad_mode)
    (1, 6, 9, 3, 3, 1, 0, 1, "zeros"),
    (3, 7, 5, 2, 3, (2, 1), 1, 1, "reflect"),
    (2, 9, 8, 3, 2, 2, ((1, 2), (0, 1)), (2, 1), "replicate"),
    (1, 5, 6, 3, 3, 1, 2, 2, "circular"),
    (3, 4, 7, 1, 1, 3, 0, 1, "zeros"),
]


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "stride", "padding", "dilation", "pad_mode"), CASES)
def test_forward_trace_rebuilds_the_output(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode):
    x = rng.normal(size=(C, H, W))
    w = rng.normal(size=(C, KH, KW))
    trace = forward_trace(x, w, 0.3, stride, padding, dilation, pad_mode, activation="tanh")
    y, _ = conv2d_forward(x[None], w[None], np.array([0.3]), stride, padding, dilation, pad_mode)
    rebuilt = np.full(y.shape[2:], np.nan)
    for step in trace.steps:
        # The window in the trace is exactly the padded input at the listed rows and columns.
        np.testing.assert_array_equal(step.window, trace.x_pad[:, step.rows][:, :, step.cols])
        np.testing.assert_allclose(step.products.sum(), step.total)
        np.testing.assert_allclose(step.channel_sums.sum(), step.total)
        assert step.z == pytest.approx(step.total + step.bias)
        assert step.a == pytest.approx(np.tanh(step.z))
        rebuilt[step.i, step.j] = step.z
    np.testing.assert_allclose(rebuilt, y[0, 0], atol=1e-12)
    i0, i1, j0, j1 = trace.region
    np.testing.assert_allclose(trace.z, y[0, 0, i0:i1, j0:j1], atol=1e-12)
    np.testing.assert_allclose(trace.a, activation_forward(y[0, 0, i0:i1, j0:j1], "tanh")[0])
    assert [(s.i, s.j) for s in trace.steps] == sorted((s.i, s.j) for s in trace.steps)  # row-major order


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "stride", "padding", "dilation", "pad_mode"), CASES)
def test_backward_trace_rebuilds_dw_db_dx(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode):
    x = rng.normal(size=(C, H, W))
    w = rng.normal(size=(C, KH, KW))
    y, cache = conv2d_forward(x[None], w[None], None, stride, padding, dilation, pad_mode)
    delta = rng.normal(size=y.shape[2:])
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    trace = backward_trace(x, w, delta, stride, padding, dilation, pad_mode)
    last = trace.steps[-1]
    np.testing.assert_allclose(last.dw_total, dw[0], atol=1e-12)
    assert last.db_total == pytest.approx(db[0])
    # Rebuild dX from each step's contribution (scatter), then crop or fold the padding.
    H_pad, W_pad = trace.x_pad.shape[1:]
    dx_pad = running_dx_pad(trace, slice(0, H_pad), slice(0, W_pad))[-1]
    g = trace.geometry
    np.testing.assert_allclose(unpad_gradient(dx_pad, g.padding, g.in_size, g.pad_mode), dx[0], atol=1e-12)
    np.testing.assert_allclose(trace.dx_pad, dx_pad, atol=1e-12)
    np.testing.assert_allclose(trace.dx, dx[0], atol=1e-12)
    for step in trace.steps:
        np.testing.assert_allclose(step.dx_contribution, step.delta * w)
        np.testing.assert_allclose(step.dw_contribution, step.delta * step.window)


def test_big_outputs_are_traced_over_a_bounded_region(rng):
    x = rng.normal(size=(1, 64, 48))
    trace = forward_trace(x, rng.normal(size=(1, 3, 3)))
    assert len(trace.steps) <= MAX_STEPS
    i0, i1, j0, j1 = trace.region
    assert trace.z.shape == (i1 - i0, j1 - j0)
    assert (i0, j0) == (0, 0) and (i1 - i0) * (j1 - j0) == len(trace.steps)


def test_chosen_region(rng):
    x = rng.normal(size=(1, 30, 40))
    trace = forward_trace(x, rng.normal(size=(1, 3, 3)), region=(10, 14, 20, 25))
    assert [(s.i, s.j) for s in trace.steps][:2] == [(10, 20), (10, 21)]
    assert len(trace.steps) == 20


@pytest.mark.parametrize(
    ("out_size", "expected"),
    [((5, 7), (0, 5, 0, 7)), ((100, 100), (0, 20, 0, 20)), ((500, 3), (0, 133, 0, 3))],
)
def test_default_region(out_size, expected):
    assert default_region(out_size) == expected


def test_region_errors():
    with pytest.raises(ValueError, match="no output cells"):
        check_region((5, 5, 0, 3), (4, 4))
    with pytest.raises(ValueError, match="at most"):
        check_region((0, 30, 0, 30), (40, 40))


def test_padding_mask(rng):
    trace = forward_trace(rng.normal(size=(1, 3, 4)), np.ones((1, 3, 3)), padding=((1, 0), (2, 1)))
    assert trace.is_padding.shape == (4, 7)
    assert trace.is_padding.sum() == 4 * 7 - 3 * 4
    assert not trace.is_padding[1:, 2:6].any()


def _delta_of(x, w, stride, padding, dilation, pad_mode, rng):
    y, _ = conv2d_forward(x[None], w[None], None, stride, padding, dilation, pad_mode)
    return rng.normal(size=y.shape[2:])


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "stride", "padding", "dilation", "pad_mode"), CASES)
def test_running_dx_pad_keeps_the_crop_of_the_traced_windows(
    rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode
):
    x, w = rng.normal(size=(C, H, W)), rng.normal(size=(C, KH, KW))
    delta = _delta_of(x, w, stride, padding, dilation, pad_mode, rng)
    H_out, W_out = delta.shape
    region = (H_out // 2, H_out, W_out // 3, W_out)
    trace = backward_trace(x, w, delta, stride, padding, dilation, pad_mode, region=region)
    rows, cols = traced_crop(trace)
    frames = running_dx_pad(trace)
    assert frames.shape == (len(trace.steps), C, rows.stop - rows.start, cols.stop - cols.start)
    # A tight box: it starts at the first traced window's top-left and ends at the last one's bottom-right.
    first, last = trace.steps[0], trace.steps[-1]
    assert (rows.start, cols.start) == (first.rows[0], first.cols[0])
    assert (rows.stop - 1, cols.stop - 1) == (last.rows[-1], last.cols[-1])
    # The scatter of the region's steps, placed at the crop's offset, against a plain loop over the steps.
    expected = np.zeros_like(trace.x_pad)
    for step in trace.steps:
        expected[np.ix_(range(C), step.rows, step.cols)] += step.delta * w
    np.testing.assert_allclose(frames[-1], expected[:, rows, cols], atol=1e-12)
    assert not expected[:, : rows.start].any() and not expected[:, rows.stop :].any()
    r, c = np.subtract(first.rows, rows.start), np.subtract(first.cols, cols.start)
    np.testing.assert_allclose(frames[0][:, r[:, None], c], first.dx_contribution)


def test_running_dx_pad_over_the_whole_map_ends_at_the_traces_gradient(rng):
    x, w = rng.normal(size=(2, 9, 7)), rng.normal(size=(2, 3, 2))
    delta = _delta_of(x, w, (2, 1), ((1, 2), (0, 1)), (1, 2), "reflect", rng)
    trace = backward_trace(x, w, delta, (2, 1), ((1, 2), (0, 1)), (1, 2), "reflect")
    rows, cols = traced_crop(trace)
    np.testing.assert_allclose(running_dx_pad(trace)[-1], trace.dx_pad[:, rows, cols], atol=1e-12)
    whole = running_dx_pad(trace, slice(None), slice(None))
    assert whole.shape == (len(trace.steps), *trace.x_pad.shape)
    np.testing.assert_allclose(whole[-1], trace.dx_pad, atol=1e-12)


def test_running_dx_pad_of_a_region_of_a_big_image_stays_small(rng):
    x, w = rng.random((3, 300, 420)), rng.normal(size=(3, 3, 3))
    # δ is 0 outside the region, so the engine's whole dX_pad is the region's scatter (and 0 off the crop).
    delta = np.zeros((150, 210))
    delta[100:108, 40:52] = rng.normal(size=(8, 12))
    trace = backward_trace(x, w, delta, stride=2, padding=1, region=(100, 108, 40, 52))
    frames = running_dx_pad(trace)
    # 8 × 12 windows of 3 × 3 at stride 2: (8 − 1)·2 + 3 = 17 rows, (12 − 1)·2 + 3 = 25 columns.
    assert frames.shape == (96, 3, 17, 25)
    assert traced_crop(trace) == (slice(200, 217), slice(80, 105))
    np.testing.assert_allclose(frames[-1], trace.dx_pad[:, 200:217, 80:105], atol=1e-12)
    assert np.abs(trace.dx_pad).sum() == pytest.approx(np.abs(frames[-1]).sum())


def test_running_dx_pad_refuses_a_crop_that_misses_a_window(rng):
    trace = backward_trace(rng.normal(size=(1, 6, 6)), np.ones((1, 3, 3)), np.ones((4, 4)))
    with pytest.raises(ValueError, match="cover the traced windows"):
        running_dx_pad(trace, slice(1, 6), slice(0, 6))
    with pytest.raises(ValueError, match="contiguous"):
        running_dx_pad(trace, slice(0, 6, 2), slice(0, 6))


@pytest.mark.parametrize(
    ("n", "k", "s", "padding", "d", "expected"),
    [
        (8, 3, 1, (1, 1), 1, slice(1, 7)),  # out 8: the first and last windows touch the padding
        (8, 3, 2, (0, 1), 1, slice(0, 3)),  # out 4 ("same" at stride 2): the last window reads row 8
        (7, 3, 1, (0, 0), 2, slice(0, 3)),  # no padding: every window is inside
        (3, 3, 1, (2, 2), 1, slice(2, 3)),  # out 5: only the middle window is inside
        (2, 3, 1, (1, 1), 1, slice(1, 1)),  # out 2: none is inside
    ],
)
def test_inside_cells_are_the_windows_that_touch_no_padding(n, k, s, padding, d, expected):
    geometry = conv_geometry(
        (1, 1, n, 5), (1, 1, k, 1), stride=(s, 1), padding=(padding, (0, 0)), dilation=(d, 1)
    )
    rows, _ = inside_cells(geometry)
    assert (rows.start, rows.stop) == (expected.start, expected.stop)
    for i in range(geometry.out_size[0]):  # against the window's own rows in the padded input
        first = i * s - padding[0]
        inside = first >= 0 and first + d * (k - 1) <= n - 1
        assert inside == (rows.start <= i < rows.stop)


def test_the_strongest_cell_leaves_out_windows_on_the_padding():
    geometry = conv_geometry((1, 1, 6, 6), (1, 1, 3, 3), padding=1)
    values = np.zeros((6, 6))
    values[0, 0] = 100.0  # a window on the padding: the image's border, not its content
    values[3, 2], values[2, 4] = -5.0, 5.0  # a tie inside: the first in row-major order wins
    values[1, 1] = np.nan
    assert strongest_cell(values, geometry) == (2, 4)
    tiny = conv_geometry((1, 1, 2, 2), (1, 1, 3, 3), padding=1)  # every window touches the padding
    assert strongest_cell(np.array([[0.0, 1.0], [-3.0, 2.0]]), tiny) == (1, 0)
