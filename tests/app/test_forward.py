"""The forward page under AppTest: every setting runs without exception and shows the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from engine.samples import load_sample
from tests.app.conftest import formulas, run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.common.state import widget_key
from viz.forward import OUTPUT


def charts(at) -> list[dict]:
    return [spec_of(chart.proto.spec) for chart in at.get("plotly_chart")]


def animation(at) -> dict:
    return next(spec for spec in charts(at) if spec.get("frames") and len(spec["data"]) == 8)


def test_default_page_runs_and_shows_the_engines_output():
    at = run_script("forward")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3  # animation, full-resolution maps, sweep
    spec = animation(at)
    x = load_sample("house", size=32)
    y, _ = conv2d_forward(x[None], kernel_preset("sobel_x")[None, None], np.zeros(1), padding=1)
    i0, j0 = spec["data"][OUTPUT]["y"][0], spec["data"][OUTPUT]["x"][0]
    shown = decode(spec["data"][OUTPUT]["z"])
    rows, cols = shown.shape
    np.testing.assert_allclose(shown, y[0, 0, i0 : i0 + rows, j0 : j0 + cols], rtol=1e-6, atol=1e-6)
    assert len(spec["frames"]) == rows * cols
    assert any("H_{out}" in formula for formula in formulas(at))


EDGE_SETTINGS = {
    "1x1 kernel": {"conv.kh": 1, "conv.kw": 1, "conv.k0.kind": "identity"},
    "kernel = input": {
        "conv.size": 8,
        "conv.kh": 7,
        "conv.kw": 7,
        "conv.k0.kind": "box_blur",
        "conv.pad_h": 0,
        "conv.pad_w": 0,
        "conv.sample": "digit",
    },
    "stride > kernel": {"conv.stride_h": 4, "conv.stride_w": 4},
    "dilation 3": {"conv.dil_h": 3, "conv.dil_w": 3},
    "reflect": {"conv.pad_mode": "reflect", "conv.pad_h": 2, "conv.pad_w": 2},
    "replicate": {"conv.pad_mode": "replicate"},
    "circular": {"conv.pad_mode": "circular", "conv.pad_kind": "same"},
    "valid": {"conv.pad_kind": "valid"},
    "rgb": {"conv.color": True, "conv.sample": "astronaut", "conv.size": 48},
    "four kernels": {"conv.kernel_count": 4, "conv.activation": "relu"},
    "per axis": {
        "conv.per_axis": True,
        "conv.kh": 3,
        "conv.kw": 5,
        "conv.k0.kind": "random",
        "conv.stride_h": 2,
        "conv.pad_h": 0,
        "conv.pad_w": 2,
        "conv.dil_w": 2,
    },
    "custom": {"conv.k0.kind": "custom", "conv.k0.values": [[0, 1, 0], [1, -4, 1], [0, 1, 0]]},
    "true convolution": {"conv.flip": True, "conv.activation": "sigmoid"},
    "big image": {"conv.size": 512, "conv.color": True, "conv.sample": "coffee"},
}


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state):
    at = run_script("forward", state)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) == 3


def test_custom_kernel_numbers_reach_the_engine():
    values = [[0, 0, 0], [0, 2, 0], [0, 0, 0]]
    at = run_script("forward", {"conv.k0.kind": "custom", "conv.k0.values": values, "conv.pad_h": 0})
    spec = animation(at)
    x = load_sample("house", size=32)
    i0, j0 = spec["data"][OUTPUT]["y"][0], spec["data"][OUTPUT]["x"][0]
    shown = decode(spec["data"][OUTPUT]["z"])
    np.testing.assert_allclose(
        shown,
        2 * x[0, i0 + 1 : i0 + 1 + shown.shape[0], j0 + 1 : j0 + 1 + shown.shape[1]],
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ({"conv.size": 8, "conv.kh": 11, "conv.pad_h": 0, "conv.k0.kind": "gaussian_blur"}, "kernel covers"),
        ({"conv.pad_mode": "reflect", "conv.pad_h": 10, "conv.size": 8}, "Reflect padding"),
        ({"conv.kh": 4, "conv.k0.kind": "sobel_x"}, "3, 5, 7"),
        ({"conv.per_axis": True, "conv.kh": 3, "conv.kw": 5}, "square kernel"),
    ],
)
def test_impossible_settings_say_why_and_keep_the_previous_result(state, words):
    at = run_script("forward")  # a result that worked
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert len(at.get("plotly_chart")) == 3  # the last good figures stay


def test_impossible_settings_on_a_fresh_session_start_from_the_first_settings():
    # Nothing worked yet, so there is no last good picture to keep: the page says why and opens with its
    # first settings (a fresh session's impossible settings come from a link).
    at = run_script("forward", {"conv.size": 6, "conv.kh": 9, "conv.pad_h": 0, "conv.k0.kind": "box_blur"})
    assert not at.exception
    assert any("9" in w.value for w in at.warning)
    assert at.get("plotly_chart")
    assert at.session_state["conv.kh"] == 3


def test_step_buttons_move_the_step_and_the_explanation():
    at = run_script("forward")
    before = formulas(at)
    at.button[1].click().run()  # Next ▶
    assert at.session_state["conv.step"] == 1
    after = formulas(at)
    assert before != after
    assert animation(at)["layout"]["sliders"][0]["active"] == 1


def test_settings_survive_a_page_switch():
    at = run_page("forward", {"conv.sample": "stripes", "conv.stride_h": 2, "conv.stride_w": 2})
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/forward.py").run()
    assert not at.exception
    assert at.session_state["conv.sample"] == "stripes"
    assert at.session_state["conv.stride_h"] == 2


def test_downloads_offer_the_animation_and_the_arrays():
    at = run_script("forward")
    assert not at.get("download_button")  # made only when the panel is opened
    at.session_state["forward.export.open"] = True
    at.run()
    labels = [button.label for button in at.get("download_button")]
    assert labels[0] == "Animation as GIF"
    assert {"input.csv", "kernel.npy", "output.csv", "window.npy"} <= set(labels)


def test_a_new_crop_size_starts_the_animation_from_its_first_step():
    at = run_script("forward", {"conv.step": 5})
    assert at.session_state["conv.step"] == 5
    at.number_input(key=widget_key("conv.crop_size")).set_value(4).run()
    assert not at.exception
    assert at.session_state["conv.crop_size"] == 4
    assert at.session_state["conv.step"] == 0


def test_same_at_a_stride_says_tensorflows_rule_with_the_numbers():
    # 32 × 27 house at stride 2: ⌈27 / 2⌉ = 14 rows; TensorFlow pads (13·2 + 3 − 27) = 2 rows: 1 + 1.
    at = run_script("forward", {"conv.pad_kind": "same", "conv.stride_h": 2, "conv.stride_w": 2})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "follows TensorFlow" in text
    x = load_sample("house", size=32)
    H, W = x.shape[1:]
    assert f"⌈{H} / 2⌉ = {-(-H // 2)}" in text and f"⌈{W} / 2⌉ = {-(-W // 2)}" in text
    at = run_script("forward", {"conv.pad_kind": "same"})
    assert "follows TensorFlow" not in " ".join(m.value for m in at.markdown)
