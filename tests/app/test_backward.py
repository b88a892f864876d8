"""The backward page under AppTest: every setting runs, the figures show the engine's gradients, the loss
choice changes them, the gradient check passes and learning lowers the loss."""

from __future__ import annotations

import numpy as np
import pytest

from engine.layer_loss import LossSpec, layer_gradients, target_map
from engine.presets import kernel_preset
from engine.samples import load_sample
from tests.app.conftest import formulas, run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.common.state import widget_key


def charts(at) -> dict[str, dict]:
    """The page's figures by chart key (the part after "backward.chart.")."""
    found = {}
    for chart in at.get("plotly_chart"):
        key = chart.proto.id.rsplit("backward.chart.", 1)[-1].split("-")[0] if chart.proto.id else ""
        found[key.split(".")[0]] = spec_of(chart.proto.spec)
    return found


def heatmap_values(spec: dict, n: int) -> np.ndarray:
    """The values of the n-th heatmap of a figure, with the printed power-of-ten factor taken out."""
    heatmap = [d for d in spec["data"] if d["type"] == "heatmap"][n]
    title = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")][n]
    exponent = 0
    if "(×10" in title:
        digits = title.split("(×10", 1)[1].split(")", 1)[0]
        exponent = int(digits.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))
    return decode(heatmap["z"]).astype(float) * 10.0**exponent


def house_gradients(kind: str, **hyper):
    x = load_sample("house", size=32)
    w = kernel_preset("sobel_x")[None, None]
    hyper = {"padding": 1, **hyper}
    if kind == "mse":
        spec = LossSpec(
            "mse", target_map(x, kernel_preset("sobel_y")[None, None], np.zeros(1), "identity", **hyper)
        )
    elif kind == "sum":
        spec = LossSpec("sum")
    else:
        spec = LossSpec("impulse", cell=(0, 13, 16))
    return layer_gradients(x, w, np.zeros(1), "identity", spec, **hyper)


STATIC = {"loss", "delta", "weights", "dx"}
# The figures of each closer view (ui.backward.state.VIEWS): the check and learning draw theirs when run.
VIEW_FIGURES = {
    "steps": {"anim"},
    "sweep": {"sweep"},
    "gather": {"gather", "overlap"},
    "check": set(),
    "learn": set(),
}


def test_default_page_shows_the_engines_gradients():
    at = run_script("backward")
    assert not at.exception
    figures = charts(at)
    assert set(figures) == STATIC | VIEW_FIGURES["steps"]  # the other views are not computed
    grads = house_gradients("mse")
    np.testing.assert_allclose(heatmap_values(figures["delta"], 2), grads.delta[0], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(heatmap_values(figures["weights"], 0), grads.dw[0, 0], rtol=1e-4, atol=1e-9)
    np.testing.assert_allclose(decode(figures["dx"]["data"][1]["z"]), grads.dx[0], rtol=1e-5, atol=1e-9)
    assert any(r"\delta(" in latex.value for latex in at.latex)
    assert len(figures["anim"]["frames"]) == 64  # the 8 × 8 crop shared with the forward page


def test_the_view_picker_shows_one_view_at_a_time():
    at = run_script("backward")
    picker = at.button_group(key=widget_key("backward.view"))
    assert picker.options[0] == "4 · Step by step"
    for view, figures in VIEW_FIGURES.items():
        at.button_group(key=widget_key("backward.view")).set_value(view).run()
        assert not at.exception
        assert at.session_state["backward.view"] == view
        assert set(charts(at)) == STATIC | figures, view
    at.button_group(key=widget_key("backward.view")).set_value("gather").run()
    assert any("both forms" in s.value.lower() for s in at.success)


def test_delta_is_worked_out_where_it_is_largest_until_a_cell_is_picked():
    at = run_script("backward")
    delta = house_gradients("mse").delta[0]
    i, j = np.unravel_index(np.argmax(np.abs(delta)), delta.shape)
    assert any(latex.value.strip("$\n").startswith(rf"\delta({i}, {j})") for latex in at.latex)
    at = run_script("backward", {"backward.cell_i": 3, "backward.cell_j": 4})
    assert any(latex.value.strip("$\n").startswith(r"\delta(3, 4)") for latex in at.latex)


@pytest.mark.parametrize("kind", ["sum", "mse", "impulse"])
def test_each_loss_gives_its_delta(kind):
    at = run_script("backward", {"backward.loss": kind})
    assert not at.exception
    delta = heatmap_values(charts(at)["delta"], 2)
    np.testing.assert_allclose(delta, house_gradients(kind).delta[0], rtol=1e-5, atol=1e-9)
    if kind == "impulse":
        assert np.count_nonzero(delta) == 1 and delta[13, 16] == 1


def test_one_hot_dx_is_the_kernels_footprint():
    at = run_script("backward", {"backward.loss": "impulse", "backward.cell_i": 5, "backward.cell_j": 7})
    dx = decode(charts(at)["dx"]["data"][1]["z"])
    # Output (5, 7) reads input rows 4…6 and columns 6…8 (padding 1): dX there is the kernel, 0 elsewhere.
    expected = np.zeros_like(dx)
    expected[4:7, 6:9] = kernel_preset("sobel_x")
    np.testing.assert_allclose(dx, expected, atol=1e-12)


def test_switching_the_loss_changes_the_heatmaps():
    at = run_script("backward")
    before = charts(at)["delta"]
    at.radio(key=widget_key("backward.loss")).set_value("sum").run()
    assert not at.exception
    after = charts(at)["delta"]
    assert before["data"][0]["z"] != after["data"][0]["z"]


EDGE_SETTINGS = {
    "stride 2 + padding + dilation": {"conv.stride_h": 2, "conv.stride_w": 2, "conv.pad_h": 2,
                                      "conv.pad_w": 2, "conv.dil_h": 2, "conv.dil_w": 2},
    "rgb": {"conv.color": True, "conv.sample": "astronaut", "conv.size": 48, "backward.channel": 2},
    "several kernels": {"conv.kernel_count": 3, "conv.activation": "relu", "backward.kernel": 2},
    "1x1 kernel": {"conv.kh": 1, "conv.kw": 1, "conv.k0.kind": "identity"},
    "kernel = input": {"conv.size": 8, "conv.kh": 7, "conv.kw": 7, "conv.k0.kind": "box_blur",
                       "conv.pad_h": 0, "conv.pad_w": 0, "conv.sample": "digit"},
    "stride > kernel": {"conv.stride_h": 4, "conv.stride_w": 4, "backward.loss": "sum"},
    "reflect": {"conv.pad_mode": "reflect", "conv.pad_h": 2, "conv.pad_w": 2},
    "replicate + impulse": {"conv.pad_mode": "replicate", "backward.loss": "impulse", "backward.cell_i": 0},
    "circular + same": {"conv.pad_mode": "circular", "conv.pad_kind": "same", "conv.activation": "tanh"},
    "valid": {"conv.pad_kind": "valid", "conv.activation": "sigmoid"},
    "per axis": {"conv.per_axis": True, "conv.kh": 3, "conv.kw": 5, "conv.k0.kind": "random",
                 "conv.stride_h": 2, "conv.pad_h": 0, "conv.pad_w": 2, "conv.dil_w": 2},
    "true convolution": {"conv.flip": True, "conv.activation": "leaky_relu"},
    "rgb four kernels big": {"conv.size": 128, "conv.color": True, "conv.sample": "coffee",
                             "conv.kernel_count": 4, "conv.kh": 5, "conv.kw": 5},
    "a cell outside the map": {"backward.loss": "impulse", "backward.cell_i": 500, "backward.cell_j": 500},
    "presentation": {"presentation": True, "backward.loss": "impulse"},
}  # fmt: skip


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state):
    at = run_script("backward", state)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(charts(at)) == STATIC | VIEW_FIGURES["steps"]
    for view in ("sweep", "gather"):
        at.session_state["backward.view"] = view
        at.run()
        assert not at.exception
        assert not at.error, [e.value for e in at.error]
        # On a projector the animated steps open the page whatever view is chosen below.
        opening = VIEW_FIGURES["steps"] if state.get("presentation") else set()
        assert set(charts(at)) == STATIC | VIEW_FIGURES[view] | opening, view
        assert all(s.value for s in at.success)


def test_several_kernels_show_a_dw_panel_per_kernel_and_channel():
    at = run_script("backward", {"conv.kernel_count": 2, "conv.color": True, "conv.sample": "astronaut"})
    weights = charts(at)["weights"]
    assert len([d for d in weights["data"] if d["type"] == "heatmap"]) == 2 * 3 + 2


def test_a_kernel_no_preset_fits_learns_a_random_target():
    at = run_script("backward", {"conv.per_axis": True, "conv.kw": 5, "conv.k0.kind": "random"})
    assert not at.exception and not at.error
    assert at.selectbox(key=widget_key("backward.target")).options == ["Random (seeded)"]
    assert "delta" in charts(at)


def test_impossible_settings_keep_the_previous_result():
    at = run_script("backward")
    at.session_state["conv.pad_mode"] = "reflect"
    at.session_state["conv.pad_h"] = 10
    at.session_state["conv.size"] = 8
    at.run()
    assert not at.exception
    assert any("Reflect padding" in e.value for e in at.error)
    assert set(charts(at)) >= STATIC  # the last good figures stay


def test_impossible_geometry_says_why():
    at = run_script("backward", {"conv.size": 6, "conv.kh": 9, "conv.pad_h": 0, "conv.k0.kind": "box_blur"})
    assert not at.exception
    assert any("9" in w.value for w in at.warning)  # and the page opened with its first settings
    assert at.get("plotly_chart")


def test_the_gradient_check_passes():
    at = run_script("backward", {"backward.view": "check"})
    next(b for b in at.button if b.label == "Run the gradient check").click().run()
    assert not at.exception
    result = next(s.value for s in at.success if "relative error" in s.value)
    worst = float(result.split("**")[1])
    assert worst <= 1e-7
    assert "check" in charts(at)
    assert len(at.dataframe) == 1


@pytest.mark.parametrize(
    "state",
    [
        {"conv.activation": "sigmoid", "backward.loss": "sum"},
        {"conv.activation": "tanh", "conv.stride_h": 2, "conv.stride_w": 2, "conv.pad_mode": "reflect"},
        {"conv.color": True, "conv.sample": "astronaut", "conv.size": 24, "conv.kernel_count": 2,
         "backward.loss": "impulse"},
    ],
)  # fmt: skip
def test_the_gradient_check_passes_on_other_settings(state):
    at = run_script("backward", {**state, "backward.view": "check"})
    next(b for b in at.button if b.label == "Run the gradient check").click().run()
    result = next(s.value for s in at.success if "relative error" in s.value)
    assert float(result.split("**")[1]) <= 1e-7


def test_learning_lowers_the_loss_and_continues():
    at = run_script("backward", {"backward.view": "learn"})
    next(b for b in at.button if b.label == "Run 50 steps").click().run()
    assert not at.exception
    descent = at.session_state["backward.descent"]["descent"]
    assert len(descent.losses) == 51
    assert descent.losses[-1] < descent.losses[0] / 10
    assert "learn" in charts(at)
    next(b for b in at.button if b.label == "Step once").click().run()
    assert len(at.session_state["backward.descent"]["descent"].losses) == 52
    next(b for b in at.button if b.label == "Reset").click().run()
    assert at.session_state["backward.descent"] is None


def test_a_huge_learning_rate_says_it_diverged():
    at = run_script("backward", {"backward.lr": 50.0, "backward.steps": 100, "backward.view": "learn"})
    next(b for b in at.button if b.label == "Run 100 steps").click().run()
    assert not at.exception
    assert any("blew up" in e.value for e in at.error)


def test_step_buttons_move_the_animation_and_the_explanation():
    at = run_script("backward")
    before = formulas(at)
    next(b for b in at.button if b.label == "Next ▶").click().run()
    assert at.session_state["conv.step"] == 1
    assert before != formulas(at)
    assert charts(at)["anim"]["layout"]["sliders"][0]["active"] == 1


def test_settings_come_from_the_forward_page():
    at = run_page("forward", {"conv.sample": "stripes", "conv.stride_h": 2, "conv.stride_w": 2})
    at.switch_page("pages/backward.py").run()
    assert not at.exception
    assert at.session_state["conv.sample"] == "stripes"
    assert at.selectbox(key=widget_key("conv.sample")).value == "stripes"
    figures = charts(at)
    assert figures["delta"]["data"][0]["x0"] == 0
    H, W = load_sample("stripes", size=32).shape[1:]
    assert decode(figures["delta"]["data"][0]["z"]).shape == ((H - 1) // 2 + 1, (W - 1) // 2 + 1)
