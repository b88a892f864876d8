"""The forward animation: one frame per step, compact frames, the revealed output equals the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from engine.samples import load_sample
from engine.trace import forward_trace
from tests.plotly_spec import decode, json_bytes
from viz.forward import (
    OUTPUT,
    PRODUCTS,
    TEXT,
    WINDOW,
    ForwardLabels,
    arithmetic_lines,
    forward_animation,
    max_animation_steps,
    stack_channels,
)

LABELS = ForwardLabels(
    "Padded input", "Output", "Window", "Kernel", "Products", "Cell ", ("slow", "play", "fast"), "pause",
    "Σ = {total}", "+ b {bias} → z = {z}", "ReLU(z) = {a}", ("R", "G", "B"), "value", "padding",
)  # fmt: skip


def _trace(rng, C=1, H=9, W=7, K=(3, 2), **hyper):
    x = rng.random((C, H, W))
    w = rng.normal(size=(C, *K))
    return x, w, forward_trace(x, w, 0.25, activation="relu", **hyper)


@pytest.mark.parametrize(
    "hyper",
    [
        {},
        {"stride": 2, "padding": 1},
        {"padding": ((1, 2), (0, 1)), "dilation": (2, 1), "pad_mode": "reflect"},
    ],
)
@pytest.mark.parametrize("C", [1, 3])
def test_one_frame_per_step_naming_only_what_changes(rng, hyper, C):
    _, _, trace = _trace(rng, C=C, **hyper)
    spec = forward_animation(trace, LABELS)
    assert len(spec["frames"]) == len(trace.steps)
    for frame, step in zip(spec["frames"], trace.steps):
        assert frame["traces"] == [WINDOW, PRODUCTS, TEXT]
        window, products, text = frame["data"]
        np.testing.assert_allclose(decode(window["z"]), stack_channels(step.window), rtol=1e-6)
        np.testing.assert_allclose(decode(products["z"]), stack_channels(step.products), rtol=1e-6, atol=1e-6)
        assert text["text"] == ["<br>".join(arithmetic_lines(step, LABELS))]
        assert set(window) == {"type", "z"}  # nothing static travels in a frame


def test_last_frame_reveals_the_engines_output(rng):
    x, w, trace = _trace(rng, stride=(1, 2), padding=1)
    spec = forward_animation(trace, LABELS)
    y, _ = conv2d_forward(x[None], w[None], np.array([0.25]), stride=(1, 2), padding=1)
    shown = decode(spec["data"][OUTPUT]["z"])
    np.testing.assert_allclose(shown, np.maximum(y[0, 0], 0), rtol=1e-6, atol=1e-7)
    last = spec["frames"][-1]["layout"]["shapes"]
    covers = [s for s in last if s.get("fillcolor") == "white"]
    assert covers == []  # every output cell is revealed
    first = spec["frames"][0]["layout"]["shapes"]
    assert len([s for s in first if s.get("fillcolor") == "white"]) == 2


def test_window_shape_follows_the_step(rng):
    _, _, trace = _trace(rng, stride=2, dilation=(1, 2))
    spec = forward_animation(trace, LABELS, start=3)
    step = trace.steps[3]
    assert spec["layout"]["sliders"][0]["active"] == 3
    path = spec["layout"]["shapes"][0]["path"]  # dilated: one path, one square per tap
    assert path.count("M") == len(step.rows) * len(step.cols)
    assert f"M{step.cols[0] - 0.5:g},{step.rows[0] - 0.5:g}" in path
    play = spec["layout"]["updatemenus"][0]["buttons"][1]["args"][0]
    assert play[0] == "3"  # Play continues from the step shown


def test_arithmetic_lines_add_up(rng):
    _, _, trace = _trace(rng, C=3)
    step = trace.steps[0]
    lines = arithmetic_lines(step, LABELS)
    assert lines[0].startswith("R ") and " + G " in lines[0]
    assert lines[-1] == f"ReLU(z) = {step.a:.4g}".replace("-", "−")


@pytest.mark.parametrize(
    ("color", "size", "K", "dilation", "limit_bytes"),
    [(False, 32, 3, 1, 1_000_000), (True, 512, 5, 1, 3_000_000), (True, 512, 11, 2, 3_000_000)],
)
def test_figure_size_budget(color, size, K, dilation, limit_bytes):
    """DESIGN.md: an animated figure at default settings is under 1 MB, never over 3 MB."""
    x = load_sample("astronaut", color=color, size=size)
    w = (
        np.random.default_rng(0).normal(size=(x.shape[0], K, K))
        if K != 3
        else np.stack([kernel_preset("sobel_x")] * x.shape[0])
    )
    max_steps = max_animation_steps(x.shape[0], (K, K), dilation > 1)
    side = int(np.sqrt(max_steps))
    trace = forward_trace(
        x, w, 0.0, padding=K // 2, dilation=dilation, region=(0, side, 0, max_steps // side)
    )
    assert json_bytes(forward_animation(trace, LABELS)) < limit_bytes
