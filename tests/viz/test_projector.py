"""Presentation mode's figures (viz/projector.py): one row planned for a 1280×720 projector, numbers ≥ 18 px.

The browser measures the drawn result (tests/e2e/test_projector.py); here the plan itself: the crops the
pages pick print their numbers at 18 px or more in cells wide enough for them, the figures fit the first
screen's height, and a row too narrow for every number gives them up panel by panel, never shrinks them.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from engine.conv import conv2d_forward
from engine.running_totals import input_padding_mask, region_trace
from engine.trace import forward_trace, running_dx_pad
from tests.viz.test_backward_viz import LABELS as BACKWARD_LABELS
from tests.viz.test_forward_viz import LABELS as FORWARD_LABELS
from viz import projector
from viz.backward import backward_animation, backward_input_crop
from viz.backward.animation import projector_crop_side as backward_side
from viz.forward import forward_animation
from viz.forward import projector_crop_side as forward_side
from viz.numbers import CELL_PAD_PX, MIN_PROJECTED_PX, cell_px_for, fitting_font, grid_texts, text_em

# (kernel, stride, dilation): the default layer, and the geometries a lecture changes to.
GEOMETRIES = [
    ((3, 3), (1, 1), (1, 1)),
    ((3, 3), (2, 2), (1, 1)),
    ((3, 3), (1, 1), (2, 2)),
    ((5, 5), (1, 1), (1, 1)),
    ((3, 2), (1, 2), (1, 1)),
    ((1, 1), (1, 1), (1, 1)),
]
TWO_LINE_TITLES = 28  # the backward figure's titles carry their power of ten on a second line


def number_fonts(spec: dict) -> dict[str, int]:
    """The font size of every trace that prints numbers, by its axis pair."""
    fonts = {}
    for trace in spec["data"]:
        if "texttemplate" in trace and trace.get("visible", True):
            fonts[trace.get("xaxis", "x") + trace.get("yaxis", "y")] = trace["textfont"]["size"]
    return fonts


@pytest.mark.parametrize(("kernel", "stride", "dilation"), GEOMETRIES)
def test_the_forward_crop_a_projector_gets_prints_every_number_at_18_px(rng, kernel, stride, dilation):
    n = forward_side(kernel, stride, dilation)
    x = rng.random((1, 30, 34))
    w = rng.normal(size=(1, *kernel))
    hyper = {"stride": stride, "dilation": dilation, "padding": 1}
    trace = forward_trace(x, w, 0.25, activation="relu", region=(2, 2 + n, 3, 3 + n), **hyper)
    spec = forward_animation(trace, FORWARD_LABELS, presentation=True)
    fonts = number_fonts(spec)
    assert spec["layout"]["height"] <= projector.HEIGHT
    assert min(fonts.values()) >= MIN_PROJECTED_PX  # a number is large enough, or not printed
    assert "x2y2" in fonts, "the output prints its numbers"
    if kernel[0] * kernel[1] <= 9:  # so do the input, the window, the kernel and the products
        assert {"xy", "x3y3", "x4y4", "x5y5"} <= set(fonts)


@pytest.mark.parametrize(("kernel", "stride", "dilation"), GEOMETRIES)
def test_the_backward_crop_a_projector_gets_prints_every_number_at_18_px(rng, kernel, stride, dilation):
    n = backward_side(kernel, stride, dilation)
    x, w = rng.random((1, 30, 34)), rng.normal(size=(1, *kernel))
    z, cache = conv2d_forward(x[None], w[None], None, stride=stride, dilation=dilation, padding=1)
    delta = rng.normal(size=z.shape[2:]) * 1e-3
    trace = region_trace(x, w, delta, cache.geometry, (2, 2 + n, 3, 3 + n))
    rows, cols = backward_input_crop(trace)
    frames = running_dx_pad(trace, rows, cols)
    mask = input_padding_mask(cache.geometry)
    spec = backward_animation(trace, frames, mask, BACKWARD_LABELS, presentation=True)
    fonts = number_fonts(spec)
    assert spec["layout"]["height"] <= projector.HEIGHT + TWO_LINE_TITLES
    assert min(fonts.values()) >= MIN_PROJECTED_PX  # a number is large enough, or not printed
    assert "x2y2" in fonts, "δ prints its numbers"
    window = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if max(window) <= 3:  # so do the running dX and the small grids
        assert {"x3y3", "x4y4", "x5y5", "x6y6"} <= set(fonts)
    assert not spec["data"][0].get("visible", True)  # no input panel on a projector


def test_the_default_crops_animate_more_than_one_cell() -> None:
    assert forward_side((3, 3), (1, 1), (1, 1)) == 4  # 16 steps
    assert backward_side((3, 3), (1, 1), (1, 1)) == 3  # 9 steps


def test_numbers_fit_their_cells_and_panels_fit_the_row() -> None:
    texts = {"image": ["0.00", "0.98"], "signed": ["−1.99", "0.25"]}
    panels = [
        projector.Panel("a", (6, 6), texts["image"], "a", ticks=True, title="Padded input (crop)"),
        projector.Panel("b", (4, 4), texts["signed"], "b", ticks=True, priority=1),
        *(projector.Panel(f"g{k}", (3, 3), texts["signed"], "g", above_text=True) for k in range(3)),
    ]
    row = projector.row_layout(panels, text_lines=3)
    W = projector.PLOT_PX[0]
    for p in panels:
        font = row.fonts[p.name]
        assert font >= MIN_PROJECTED_PX
        widest = max(text_em(text) for text in p.texts) * font
        assert widest + CELL_PAD_PX <= row.cells[p.family] + 1e-9  # never touching the next cell
        left, right = row.x[p.name]
        assert 0 <= left < right <= 1 and (right - left) * W >= p.shape[1] * row.cells[p.family] - 1e-6
    domains = [row.x[p.name] for p in panels]
    assert all(a[1] <= b[0] for a, b in pairwise(domains))  # side by side, never overlapping
    assert row.height <= projector.HEIGHT


def test_a_row_too_narrow_gives_up_numbers_by_priority_never_their_size() -> None:
    wide = ["−10.00"]
    panels = [
        projector.Panel("first", (3, 3), wide, "first"),
        projector.Panel("second", (12, 12), wide, "second", priority=1),
        projector.Panel("third", (3, 20), wide, "third", priority=2),
    ]
    fonts = projector.row_layout(panels).fonts
    assert fonts["first"] >= MIN_PROJECTED_PX
    assert all(size == 0 or size >= MIN_PROJECTED_PX for size in fonts.values())
    assert fonts["second"] == 0  # twelve rows of wide numbers do not fit the height


def test_number_widths() -> None:
    assert grid_texts(np.array([0.5, -1.994, 2.0]), ".2f") == ["-1.99", "0.50", "2.00"]
    assert grid_texts(np.array([0.5, 1.0, np.nan]), ".3~g") == ["0.5", "1"]
    assert text_em("−1.99") > text_em("0.98") > text_em("1")
    assert fitting_font(["0.98"], cell_px_for(["0.98"])) == MIN_PROJECTED_PX
    assert fitting_font(["0.98"], cell_px_for(["0.98"]) - 1) == 0
