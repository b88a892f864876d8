"""The GIF export: a valid animated GIF with one frame per step of the animation, forward and backward."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from engine.geometry import conv_geometry
from engine.running_totals import input_padding_mask, region_trace
from engine.trace import forward_trace, running_dx_pad, traced_crop
from viz import gif
from viz.gif import (
    backward_panels,
    backward_trace_frames,
    backward_trace_gif,
    forward_trace_frames,
    forward_trace_gif,
)
from viz.gif_draw import diverging_index, load_font, make_palette, short_number


@pytest.mark.parametrize(("C", "region"), [(1, (0, 3, 0, 4)), (3, (2, 6, 1, 3))])
def test_one_gif_frame_per_step(rng, C, region):
    x, w = rng.random((C, 9, 7)), rng.normal(size=(C, 3, 3))
    trace = forward_trace(x, w, 0.1, padding=1, region=region, activation="relu")
    data = forward_trace_gif(trace, duration_ms=200)
    gif = Image.open(BytesIO(data))
    assert gif.format == "GIF"
    assert gif.n_frames == len(trace.steps)
    assert gif.info.get("loop") == 0
    first = np.asarray(gif.convert("RGB"))
    gif.seek(gif.n_frames - 1)
    last = np.asarray(gif.convert("RGB"))
    assert not np.array_equal(first, last)  # the window moved and the output filled in
    # Frames after the first store only the changed pixels: decoded, the last is still the whole picture.
    np.testing.assert_array_equal(last, np.asarray(forward_trace_frames(trace)[-1].convert("RGB")))


# --- the backward pass ----------------------------------------------------------------------------------

BACKWARD_CASES = [
    # (C, H, W, KH, KW, stride, padding, dilation, pad_mode, region): regions are non-square
    (1, 9, 7, 3, 3, 1, 1, 1, "zeros", (1, 4, 0, 5)),  # one channel
    (3, 8, 11, 3, 2, 1, 0, 1, "zeros", (2, 4, 3, 8)),  # RGB: three dW channels side by side
    (4, 7, 6, 2, 2, 1, 0, 1, "reflect", (0, 2, 0, 3)),  # four channels: dW shows channel 0 only
    (2, 13, 10, 3, 3, 2, (2, 1), 2, "zeros", (0, 3, 1, 5)),  # stride 2, padding, dilation 2
    (1, 9, 8, 3, 3, 1, 2, 1, "replicate", "corner"),  # the image's bottom-right corner, in the padding
]
BACKWARD_NAMES = ("C", "H", "W", "KH", "KW", "stride", "padding", "dilation", "pad_mode", "region")


def _backward_trace(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode, region):
    x, w = rng.random((C, H, W)), rng.normal(size=(C, KH, KW))
    geometry = conv_geometry((1, C, H, W), (1, C, KH, KW), stride, padding, dilation, pad_mode)
    H_out, W_out = geometry.out_size
    if region == "corner":
        region = (H_out - 3, H_out, W_out - 4, W_out)
    delta = rng.normal(size=geometry.out_size)
    return region_trace(x, w, delta, geometry, region)


@pytest.mark.parametrize(BACKWARD_NAMES, BACKWARD_CASES)
def test_one_backward_gif_frame_per_step(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode, region):
    trace = _backward_trace(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode, region)
    data = backward_trace_gif(trace, duration_ms=120)
    gif = Image.open(BytesIO(data))
    assert gif.format == "GIF" and gif.is_animated
    assert gif.n_frames == len(trace.steps)
    assert gif.info.get("loop") == 0 and gif.info.get("duration") == 120
    # Every frame decodes to the picture drawn for its step (the frames store only what changed).
    frames = backward_trace_frames(trace)
    for s in (0, len(frames) // 2, len(frames) - 1):
        gif.seek(s)
        np.testing.assert_array_equal(np.asarray(gif.convert("RGB")), np.asarray(frames[s].convert("RGB")))


def test_a_backward_gif_keeps_frames_that_look_alike(rng):
    # δ = 0 everywhere: dW, db and dX never change, yet each step is its own frame (Pillow would merge
    # identical frames; the step's (i, j) in the text keeps them apart).
    trace = _backward_trace(rng, 1, 6, 7, 2, 2, 1, 0, 1, "zeros", (0, 2, 0, 3))
    trace = trace._replace(
        delta=np.zeros_like(trace.delta),
        steps=tuple(
            s._replace(
                delta=0.0, dw_total=0 * s.dw_total, dx_contribution=0 * s.dx_contribution, db_total=0.0
            )
            for s in trace.steps
        ),
    )
    assert Image.open(BytesIO(backward_trace_gif(trace))).n_frames == 6


@pytest.mark.parametrize(BACKWARD_NAMES, BACKWARD_CASES)
def test_backward_panels_follow_the_trace(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode, region):
    trace = _backward_trace(rng, C, H, W, KH, KW, stride, padding, dilation, pad_mode, region)
    panels = backward_panels(trace)
    rows, cols = traced_crop(trace)
    n = len(trace.steps)
    assert panels.channels == (tuple(range(C)) if C <= 3 else (0,))
    assert panels.dw.shape == (n, len(panels.channels), KH, KW)
    assert panels.dx.shape == (n, rows.stop - rows.start, cols.stop - cols.start)
    # The last frame: the region's dW (region_trace's dw) and the scatter of every step over the crop.
    np.testing.assert_allclose(panels.dw[-1], trace.dw[list(panels.channels)], atol=1e-12)
    np.testing.assert_allclose(panels.dx[-1], trace.dx_pad[0, rows, cols], atol=1e-12)
    np.testing.assert_allclose(panels.dx, running_dx_pad(trace)[:, 0])
    assert panels.db[-1] == pytest.approx(trace.db)
    # Each frame adds its step's δ·window to dW.
    added = np.cumsum([s.dw_contribution[list(panels.channels)] for s in trace.steps], axis=0)
    np.testing.assert_allclose(panels.dw, added, atol=1e-12)
    i0, i1, j0, j1 = trace.region
    np.testing.assert_array_equal(panels.delta, trace.delta[i0:i1, j0:j1])
    # One colour scale per panel, symmetric about 0, wide enough for every frame.
    for values, limit in zip((panels.delta, panels.dw, panels.dx), panels.limits):
        assert limit == pytest.approx(np.abs(values).max())
    np.testing.assert_array_equal(panels.is_padding, input_padding_mask(trace.geometry)[rows, cols])


@pytest.mark.parametrize("region", [(0, 2, 0, 3), (0, 12, 0, 14)])  # big cells with numbers; small cells
def test_the_last_frame_colours_dw_and_dx_by_their_final_values(rng, region):
    trace = _backward_trace(rng, 3, 16, 18, 3, 3, 1, 1, 1, "zeros", region)
    panels = backward_panels(trace)
    grids, _ = gif._backward_layout(panels, 3, load_font(14))
    last = np.asarray(backward_trace_frames(trace)[-1].convert("RGB"))
    palette = np.array(make_palette()).reshape(-1, 3)
    _, dw_limit, dx_limit = panels.limits
    # A pixel just inside each cell's top-left corner: off the grid line, and away from the number.
    for n, c in enumerate(panels.channels):
        for (k, l), value in np.ndenumerate(panels.dw[-1, n]):
            x, y = grids[f"dw{c}"].at(k, l)
            assert tuple(last[y + 2, x + 2]) == tuple(palette[diverging_index(value, dw_limit)])
    for (r, q), value in np.ndenumerate(panels.dx[-1]):
        x, y = grids["dx"].at(r, q)
        inside = 4 if grids["dx"].cell >= 10 else 2  # inside the window's outline where there is one
        assert tuple(last[y + inside, x + inside]) == tuple(palette[diverging_index(value, dx_limit)])


def test_a_gif_of_a_region_of_a_big_image_stays_small(rng):
    x, w = rng.random((3, 200, 300)), rng.normal(size=(3, 3, 3))
    geometry = conv_geometry((1, 3, 200, 300), (1, 3, 3, 3), padding=1)
    trace = region_trace(x, w, rng.normal(size=geometry.out_size), geometry, (100, 104, 250, 256))
    data = backward_trace_gif(trace)
    assert Image.open(BytesIO(data)).n_frames == 24
    assert len(data) < 24 * 20_000  # about 10 kB a frame: only the changed pixels are stored


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "0"), (0.4238, "0.42"), (-0.4238, "-0.42"), (-3.14159, "-3.1"), (42.4, "42"), (-987.0, "-987"),
     (12345.0, "1e4"), (-0.00123, "-1e-3"), (0.995, "1.0")],
)  # fmt: skip
def test_cell_numbers_fit_in_five_characters(value, text):
    assert short_number(value) == text
    assert len(short_number(value)) <= 5


def test_gifs_and_figures_share_one_colour_scale() -> None:
    """The GIF palette's diverging levels are the figures' scale (viz.theme.DIVERGING), sampled evenly."""
    from viz.gif_draw import DIVERGING_LEVELS, GRAY_LEVELS
    from viz.theme import DIVERGING, colorize

    palette = np.array(make_palette()).reshape(-1, 3)
    levels = np.arange(DIVERGING_LEVELS) / (DIVERGING_LEVELS - 1)
    expected = colorize(levels, (0.0, 1.0), DIVERGING)
    np.testing.assert_array_equal(palette[GRAY_LEVELS : GRAY_LEVELS + DIVERGING_LEVELS], expected)
    # Zero is the scale's white, and the ends are its darkest blue and red.
    assert tuple(palette[diverging_index(0.0, 1.0)]) == (247, 247, 247)
    assert tuple(palette[diverging_index(-1.0, 1.0)]) == (0x05, 0x30, 0x61)
    assert tuple(palette[diverging_index(1.0, 1.0)]) == (0x67, 0x00, 0x1F)


def test_the_named_colours_are_the_palettes() -> None:
    """Each named index draws its colour: the background white, the window orange, the text near black
    (an off-by-one here once drew every GIF on a near-black background)."""
    from viz.gif_draw import BLACK, CELL_EDGE, CELL_RGB, PADDING, PADDING_RGB, WHITE, WINDOW, WINDOW_RGB

    palette = np.array(make_palette()).reshape(-1, 3)
    named = {WINDOW: WINDOW_RGB, CELL_EDGE: CELL_RGB, PADDING: PADDING_RGB, WHITE: (255, 255, 255)}
    named[BLACK] = (20, 20, 20)
    for index, colour in named.items():
        assert tuple(palette[index]) == colour, index


def test_a_forward_frame_has_a_white_background() -> None:
    x = np.ones((1, 6, 6))
    trace = forward_trace(x, np.ones((1, 3, 3)), padding=1, region=(0, 2, 0, 2))
    frame = np.asarray(forward_trace_frames(trace)[0].convert("RGB"))
    assert tuple(frame[-1, -1]) == (255, 255, 255)  # a corner: no grid there
