"""The backward page's figures: the animation ends at the engine's dW, db and dX; frames stay small."""

from __future__ import annotations

import numpy as np
import pytest

from engine.conv import conv2d_backward, conv2d_forward
from engine.conv_fast import backward_padded
from engine.descent import Descent
from engine.gather import gather_dx, overlap_count
from engine.geometry import conv_geometry, pad_input
from engine.layer_check import gradient_check
from engine.layer_loss import LossSpec
from engine.running_totals import dw_by_row, input_padding_mask, region_trace
from engine.samples import load_sample
from engine.trace import running_dx_pad
from tests.plotly_spec import decode, json_bytes
from viz.backward import (
    DW_STEP,
    DW_TOTAL,
    DX,
    DX_STEP,
    EXACT_CELLS,
    MAX_DESCENT_FRAMES,
    MAX_SWEEP_FRAMES,
    TEXT,
    AnimationLabels,
    CheckLabels,
    DescentLabels,
    SweepLabels,
    backward_animation,
    backward_input_crop,
    backward_sweep,
    chain_figure,
    check_figure,
    descent_figure,
    gather_figure,
    grid_scale,
    input_gradient_figure,
    max_backward_steps,
    overlap_figure,
    side_by_side,
    weight_gradients_figure,
)
from viz.feature_maps import image_uri

LABELS = AnimationLabels(
    "Padded input", "δ", "dX_pad", "δ × window", "dW so far", "δ × W", "Cell ", ("slow", "play", "fast"),
    "pause", "δ({i}, {j}) = {delta}", "db so far = {db}", "gradient", "padding", "click",
)  # fmt: skip
SWEEP = SweepLabels(
    "Input", "δ", "dX", "dW", "db = {db}", "Rows ", ("slow", "play", "fast"), "pause", "gradient"
)

CASES = [
    # (C, H, W, KH, KW, hyper)
    (1, 9, 7, 3, 2, {}),
    (3, 8, 11, 3, 3, {"stride": 2, "padding": 1}),
    (
        2,
        10,
        9,
        2,
        3,
        {"stride": (2, 1), "padding": ((1, 2), (0, 1)), "dilation": (2, 1), "pad_mode": "reflect"},
    ),
    (1, 7, 8, 3, 3, {"padding": 2, "dilation": 2, "pad_mode": "circular"}),
]


def _whole_map_animation(rng, C, H, W, KH, KW, hyper, channel=0):
    x, w = rng.random((C, H, W)), rng.normal(size=(C, KH, KW))
    z, cache = conv2d_forward(x[None], w[None], None, **hyper)
    delta = rng.normal(size=z.shape[2:])
    geometry = cache.geometry
    trace = region_trace(x, w, delta, geometry, (0, *geometry.out_size[:1], 0, geometry.out_size[1]))
    rows, cols = backward_input_crop(trace)
    frames = running_dx_pad(trace, rows, cols)
    spec = backward_animation(trace, frames, input_padding_mask(geometry), LABELS, channel=channel)
    return x, w, delta, cache, trace, (rows, cols), spec


def assert_shows(shown: np.ndarray, want: np.ndarray) -> None:
    """The figure shows `want` times a power of ten (grids print with a common factor, see grid_scale)."""
    shown, want = np.asarray(shown, dtype=float), np.asarray(want, dtype=float)
    top = np.nanmax(np.abs(want))
    ratio = np.nanmax(np.abs(shown)) / top if top > 0 else 1.0
    k = round(np.log10(ratio))
    assert ratio == pytest.approx(10.0**k, rel=1e-5)
    np.testing.assert_allclose(shown / 10.0**k, want, rtol=1e-5, atol=1e-6 * max(top, 1e-30))


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "hyper"), CASES)
def test_the_last_frame_holds_the_engines_dw_db_and_dx(rng, C, H, W, KH, KW, hyper):
    x, w, delta, cache, trace, (rows, cols), spec = _whole_map_animation(
        rng, C, H, W, KH, KW, hyper, channel=C - 1
    )
    dx, dw, db = conv2d_backward(delta[None, None], cache)
    last = spec["frames"][-1]
    assert last["traces"] == [DX, DW_STEP, DW_TOTAL, DX_STEP, TEXT]
    assert_shows(decode(last["data"][2]["z"]), side_by_side(dw[0]))
    assert last["data"][4]["text"][0].endswith(f"db so far = {db[0]:.4g}".replace("-", "−"))
    # The dX crop covers every window: it is the whole dX_pad, which unpads to the engine's dX.
    x_pad = pad_input(x[None], cache.geometry.padding, cache.geometry.pad_mode)
    dx_pad, _ = backward_padded(delta[None, None], x_pad, w[None], cache.geometry)  # fmt: skip
    assert_shows(decode(last["data"][0]["z"]), dx_pad[0, C - 1, rows, cols])
    np.testing.assert_allclose(trace.dx, dx[0], atol=1e-12)


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "hyper"), CASES)
def test_one_frame_per_step_carrying_only_what_changes(rng, C, H, W, KH, KW, hyper):
    *_, trace, _, spec = _whole_map_animation(rng, C, H, W, KH, KW, hyper)
    assert len(spec["frames"]) == len(trace.steps)
    for frame, step in zip(spec["frames"], trace.steps):
        dx_crop, dw_step, dw_total, dx_step, text = frame["data"]
        assert all(set(d) == {"type", "z"} for d in (dx_crop, dw_step, dw_total, dx_step))
        assert set(text) == {"type", "text"}
        assert f"δ({step.i}, {step.j})" in text["text"][0]
        if np.any(step.dw_contribution):
            assert_shows(decode(dw_step["z"]), side_by_side(step.dw_contribution))
    # The window moves as shapes: on the input, on dX, and the current cell of δ.
    assert len(spec["frames"][0]["layout"]["shapes"]) == 3


def test_the_window_and_start_follow_the_step(rng):
    *_, trace, _, _ = _whole_map_animation(rng, 1, 9, 8, 3, 3, {"stride": 2, "dilation": (1, 2)})
    rows, cols = backward_input_crop(trace)
    mask = input_padding_mask(trace.geometry)
    spec = backward_animation(trace, running_dx_pad(trace, rows, cols), mask, LABELS, start=2)  # fmt: skip
    step = trace.steps[2]
    assert spec["layout"]["sliders"][0]["active"] == 2
    path = spec["layout"]["shapes"][0]["path"]  # dilated: one path, one square per tap
    assert path.count("M") == len(step.rows) * len(step.cols)
    assert spec["layout"]["updatemenus"][0]["buttons"][1]["args"][0][0] == "2"


@pytest.mark.parametrize(
    ("color", "size", "K", "stride", "dilation", "limit_bytes"),
    [
        (False, 32, 3, 1, 1, 1_000_000),  # the page's defaults
        (True, 512, 3, 1, 1, 3_000_000),
        (True, 512, 11, 1, 1, 3_000_000),
        (True, 512, 5, 3, 1, 3_000_000),
        (True, 512, 11, 8, 6, 3_000_000),
        (True, 256, 7, 2, 3, 3_000_000),
    ],
)
def test_animation_size_budget(color, size, K, stride, dilation, limit_bytes):
    """DESIGN.md: an animated figure at default settings is under 1 MB, never over 3 MB."""
    x = load_sample("astronaut", color=color, size=size)
    C = x.shape[0]
    w = np.random.default_rng(0).normal(size=(C, K, K))
    geometry = conv_geometry((1, *x.shape), (1, C, K, K), stride, K // 2 * dilation, dilation)
    steps = max_backward_steps(C, (K, K), (stride, stride), (dilation, dilation))
    side = int(np.sqrt(steps)) if size > 32 else 8  # the page's default crop is 8 × 8
    rows, cols = (
        min(side, geometry.out_size[0]),
        min(steps // min(side, geometry.out_size[0]), geometry.out_size[1]),
    )
    delta = np.random.default_rng(1).normal(size=geometry.out_size)
    trace = region_trace(x, w, delta, geometry, (0, rows, 0, min(cols, side)))
    crop = backward_input_crop(trace)
    spec = backward_animation(trace, running_dx_pad(trace, *crop), input_padding_mask(geometry), LABELS)
    assert json_bytes(spec) < limit_bytes


def test_max_backward_steps_shrinks_with_what_a_frame_carries():
    assert max_backward_steps(1, (3, 3), (1, 1), (1, 1)) == 400
    big = max_backward_steps(3, (11, 11), (8, 8), (6, 6))
    assert 1 <= big < max_backward_steps(3, (11, 11), (1, 1), (1, 1)) <= 400


@pytest.mark.parametrize(("C", "H", "W", "KH", "KW", "hyper"), CASES)
def test_sweep_ends_at_the_engines_dw_and_db(rng, C, H, W, KH, KW, hyper):
    x, w = rng.random((C, H, W)), rng.normal(size=(C, KH, KW))
    z, cache = conv2d_forward(x[None], w[None], None, **hyper)
    delta = rng.normal(size=z.shape[2:])
    _, dw, db = conv2d_backward(delta[None, None], cache)
    dx = gather_dx(delta[None], w[None], cache.geometry).dx[0]
    rows = dw_by_row(x, delta, cache.geometry)
    spec = backward_sweep(image_uri(x[:1]), delta, dx, rows, cache.geometry, SWEEP)
    assert len(spec["frames"]) <= MAX_SWEEP_FRAMES
    dw_index, text_index = spec["frames"][-1]["traces"]
    assert_shows(decode(spec["frames"][-1]["data"][0]["z"]), side_by_side(dw[0]))
    assert spec["frames"][-1]["data"][1]["text"] == [f"db = {db[0]:.3g}".replace("-", "−")]
    assert spec["data"][dw_index]["type"] == "heatmap" and spec["data"][text_index]["mode"] == "text"


def test_sweep_of_a_tall_image_groups_rows():
    x = load_sample("house", size=256)
    geometry = conv_geometry((1, *x.shape), (1, 1, 3, 3), padding=1)
    delta = np.ones(geometry.out_size)
    rows = dw_by_row(x, delta, geometry)
    spec = backward_sweep(image_uri(x), delta, np.zeros(x.shape[1:]), rows, geometry, SWEEP)
    H_out = geometry.out_size[0]
    per_frame = -(-H_out // MAX_SWEEP_FRAMES)
    assert per_frame > 1 and len(spec["frames"]) == -(-H_out // per_frame) <= MAX_SWEEP_FRAMES
    assert json_bytes(spec) < 1_000_000


def test_grid_scale():
    assert grid_scale((-0.287, 0.287)) == (1.0, ".3f", "")
    assert grid_scale((-3.6e-5, 3.6e-5)).suffix == " (×10⁻⁵)"
    factor, number_format, _ = grid_scale((-3.6e-5, 3.6e-5))
    assert f"{3.6e-5 * factor:{number_format}}" == "3.60"
    assert grid_scale((-263.0, 263.0)).number_format == ".0f"
    assert grid_scale((-5000.0, 5000.0)).suffix == " (×10³)"
    assert grid_scale((-1.0, 1.0)).number_format == ".2f"


def test_chain_figure_small_maps_are_exact_and_clickable(rng):
    maps = [rng.normal(size=(5, 7)) for _ in range(3)]
    spec = chain_figure(
        list(zip("abc", maps)), operators=("⊙", "="), cell=(2, 3), constant_text="{value} all"
    )
    heatmaps = [d for d in spec["data"] if d["type"] == "heatmap"]
    clicks = [d for d in spec["data"] if d["type"] == "scatter"]
    assert len(heatmaps) == 3 and len(clicks) == 3
    for heatmap, z in zip(heatmaps, maps):
        assert_shows(decode(heatmap["z"]), z)
        assert heatmap["zmin"] == -heatmap["zmax"]  # symmetric: white is 0
    assert len(clicks[0]["x"]) == 35 and clicks[0]["marker"]["opacity"] == 0.01
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert "<b>⊙</b>" in texts and "<b>=</b>" in texts
    assert len(spec["layout"]["shapes"]) == 3  # the cell on every panel


def test_chain_figure_large_maps_travel_as_pictures_with_exact_hover_points(rng):
    z = rng.normal(size=(300, 280))
    spec = chain_figure([("a", z), ("b", np.ones((300, 280)))], constant_text="{value} everywhere")
    assert z.size > EXACT_CELLS
    picture, points = spec["data"][:2]
    assert picture["type"] == "image" and picture["source"].startswith("data:image/jpeg;base64,")
    x, y, values = decode(points["x"]), decode(points["y"]), decode(points["customdata"])
    np.testing.assert_allclose(values, z[y, x], rtol=1e-6)
    assert len(values) <= 64 * 64
    assert any("1 everywhere" in a["text"] for a in spec["layout"]["annotations"])
    assert json_bytes(spec) < 1_000_000


def test_weight_gradients_show_every_kernel_and_channel(rng):
    dw, db = rng.normal(size=(2, 3, 3, 2)) * 1e-4, rng.normal(size=2) * 1e-5
    titles = [[f"dW {f} {c}" for c in range(3)] for f in range(2)]
    spec = weight_gradients_figure(dw, db, titles, ["db 0", "db 1"])
    panels = spec["data"]
    assert len(panels) == 2 * 3 + 2
    assert_shows(decode(panels[4]["z"]), dw[1, 1])
    assert_shows(decode(panels[7]["z"]), db[1:2, None])
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert any("(×10⁻⁴)" in text for text in texts) and any("(×10⁻⁵)" in text for text in texts)


def test_input_gradient_figure(rng):
    x = rng.random((3, 10, 12))
    dx = rng.normal(size=(3, 10, 12))
    spec = input_gradient_figure(image_uri(x), dx, ["X", "R", "G", "B"])
    assert spec["data"][0]["type"] == "image"
    for c in range(3):
        np.testing.assert_allclose(decode(spec["data"][c + 1]["z"]), dx[c], rtol=1e-6)


def test_gather_figure_shows_each_intermediate(rng):
    geometry = conv_geometry((1, 2, 7, 9), (1, 2, 3, 2), stride=2, padding=1, dilation=(1, 2))
    delta, w = rng.normal(size=(1, *geometry.out_size)), rng.normal(size=(1, 2, 3, 2))
    view = gather_dx(delta, w, geometry)
    spec = gather_figure(
        view, view.dx_pad, input_padding_mask(geometry), [str(k) for k in range(8)], channel=1
    )
    shown = [decode(d["z"]) for d in spec["data"]]
    expected = [view.delta[0], view.spread[0], view.padded[0], view.rotated_dilated[0, 1], view.dx_pad[1],
                view.dx_pad[1], None, view.dx[1]]  # fmt: skip
    for z, want in zip(shown, expected):
        if want is not None:
            assert_shows(z, want)


def test_overlap_figure_counts_exactly():
    geometry = conv_geometry((1, 1, 9, 8), (1, 1, 3, 3), stride=2, padding=1)
    counts = overlap_count(geometry).padded
    spec = overlap_figure(counts, input_padding_mask(geometry), "t", "windows")
    np.testing.assert_array_equal(decode(spec["data"][0]["z"]), counts)
    assert spec["data"][0]["colorbar"]["dtick"] == 1


def test_check_figure_separates_kinks(rng):
    x = np.ones((1, 5, 6))
    w = np.array([[[[-1.0, 0.0, 1.0]] * 3]])
    check = gradient_check(x, w, np.zeros(1), "relu", LossSpec("sum"))
    labels = CheckLabels(("dW", "db", "dX"), "checked", "kink", "1e-7", "error", "exact", "an", "num", "err")
    spec = check_figure(check, labels)
    counts = {trace["name"]: len(trace["x"]) for trace in spec["data"]}
    assert counts.get("kink", 0) == int(check.kinks.sum())
    assert sum(counts.values()) == len(check.errors)
    assert min(min(trace["y"]) for trace in spec["data"]) >= 1e-17  # exact zeros drawn on the log axis


def test_descent_figure_opens_on_the_last_step(rng):
    steps = 150
    kernels = rng.normal(size=(steps + 1, 2, 1, 3, 3))
    descent = Descent(np.geomspace(1.0, 1e-3, steps + 1), kernels, np.zeros((steps + 1, 2)), False)
    labels = DescentLabels("loss", "step", "L", "start", "now", "target", "step ", ("s", "p", "f"), "pause")
    spec = descent_figure(descent, rng.normal(size=(2, 1, 3, 3)), labels, kernel=1)
    assert len(spec["frames"]) <= MAX_DESCENT_FRAMES
    assert spec["frames"][-1]["name"] == str(steps)
    np.testing.assert_allclose(decode(spec["frames"][-1]["data"][1]["z"]), kernels[-1, 1, 0], rtol=1e-6)
    np.testing.assert_allclose(decode(spec["data"][3]["z"]), kernels[-1, 1, 0], rtol=1e-6)
    assert spec["layout"]["sliders"][0]["active"] == len(spec["frames"]) - 1
    assert spec["layout"]["yaxis"]["type"] == "log"
