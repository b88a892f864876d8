"""The transposed-convolution page under AppTest: every setting runs without exception and shows the engine's
numbers; impossible settings give a sentence and keep the last picture; Chinese, presentation mode, links."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.transposed import conv_transpose2d
from tests.app.conftest import APP_ROOT, TIMEOUT_S, formulas, run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.transposed.controls import PRESET_INPUT, PRESET_KERNEL
from viz.numbers import MIN_PROJECTED_PX
from viz.projector import HEIGHT as PROJECTOR_HEIGHT
from viz.transposed import CANVAS, STAMP, TEXT

KEYS = ("transposed.stamp_fig", "transposed.zero_fig", "transposed.counts_fig")


def charts(at: AppTest) -> dict[str, dict]:
    return {chart.key: spec_of(chart.proto.spec) for chart in at.get("plotly_chart")}


def output(at: AppTest) -> np.ndarray:
    """The output the zero-insertion figure shows (its third grid)."""
    return decode(charts(at)["transposed.zero_fig"]["data"][3]["z"])


def test_default_page_shows_the_engines_transposed_convolution() -> None:
    at = run_script("transposed")
    assert not at.exception and not at.error
    figures = charts(at)
    assert set(figures) == set(KEYS)
    animation = figures["transposed.stamp_fig"]
    assert len(animation["frames"]) == 9  # one per cell of the 3 × 3 input
    assert animation["frames"][0]["traces"] == [STAMP, CANVAS, TEXT]
    y = conv_transpose2d(PRESET_INPUT[None, None, :3, :3], PRESET_KERNEL[None, None, :3, :3], stride=2)[0, 0]
    np.testing.assert_array_equal(decode(animation["frames"][-1]["data"][1]["z"]), y.astype(np.float32))
    np.testing.assert_array_equal(output(at), y.astype(np.float32))
    counts = np.array(figures["transposed.counts_fig"]["data"][0]["z"])
    np.testing.assert_array_equal(counts[2], [2, 2, 4, 2, 4, 2, 2])  # K = 3, s = 2: the checkerboard
    text = " ".join(m.value for m in at.markdown)
    assert "Checkerboard" in text
    assert any(r"(3 - 1) \cdot 2 - 2 \cdot 0 + 1 \cdot (3 - 1) + 0 + 1 = 7" in f for f in formulas(at))
    assert any(r"y_{2,2} = x_{0,0} W_{2,2}" in f for f in formulas(at))


def test_page_runs_through_the_app_navigation() -> None:
    at = run_page("transposed")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3


EDGE_SETTINGS = {
    "1 × 1 input, 1 × 1 kernel": {"transposed.rows": 1, "transposed.cols": 1, "transposed.kernel": 1},
    "largest everything": {
        "transposed.rows": 6,
        "transposed.cols": 6,
        "transposed.kernel": 5,
        "transposed.stride": 3,
        "transposed.dilation": 3,
        "transposed.output_padding": 2,
    },
    "stride 3, kernel 1: gaps": {"transposed.kernel": 1, "transposed.stride": 3},
    "padding crops past the kernel span": {
        "transposed.padding": 3,
        "transposed.rows": 4,
        "transposed.cols": 5,
    },
    "dilation with output padding": {
        "transposed.dilation": 3,
        "transposed.stride": 1,
        "transposed.output_padding": 2,
    },
    "random values": {
        "transposed.x_source": "random",
        "transposed.x_seed": 42,
        "transposed.w_source": "random",
        "transposed.w_seed": 7,
    },
    "non-square input": {"transposed.rows": 2, "transposed.cols": 6, "transposed.kernel": 4},
}


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state: dict) -> None:
    at = run_script("transposed", state)
    assert not at.exception and not at.error, [e.value for e in at.error]
    figures = charts(at)
    assert set(figures) == set(KEYS)
    assert len(figures["transposed.stamp_fig"]["frames"]) == state.get("transposed.rows", 3) * state.get(
        "transposed.cols", 3
    )


def test_a_cell_no_stamp_reaches_says_so() -> None:
    at = run_script(
        "transposed",
        {"transposed.kernel": 1, "transposed.stride": 3, "transposed.cell_0": 1, "transposed.cell_1": 1},
    )
    assert any("y_{1,1} = 0" in f for f in formulas(at))
    assert any("No stamp reaches this cell" in c.value for c in at.caption)


INVALID = {
    "output padding ≥ stride and dilation": (
        {"transposed.stride": 1, "transposed.output_padding": 1},
        "output padding",
    ),
    "padding crops everything": (
        {"transposed.rows": 1, "transposed.kernel": 2, "transposed.padding": 1},
        "nothing is left",
    ),
}


@pytest.mark.parametrize(("state", "words"), INVALID.values(), ids=INVALID.keys())
def test_settings_that_do_not_fit_show_a_sentence_and_keep_the_last_good_figures(state, words) -> None:
    at = run_script("transposed")
    good = charts(at)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    assert charts(at) == good


def test_a_value_no_control_could_hold_is_put_back() -> None:
    at = run_script("transposed")
    good = charts(at)
    at.session_state["transposed.stride"] = 99
    at.run()
    assert not at.exception
    assert at.session_state["transposed.stride"] == 2
    assert any("stride" in w.value for w in at.warning)
    assert charts(at) == good


def test_the_chosen_cell_is_clamped_when_the_output_shrinks() -> None:
    at = run_script("transposed", {"transposed.cell_0": 6, "transposed.cell_1": 6})
    assert any("y_{6,6}" in f for f in formulas(at))
    at.slider(key="transposed.stride").set_value(1).run()  # 3 × 3 with K = 3, s = 1: 5 × 5
    assert not at.exception and not at.error
    assert any("y_{4,4}" in f for f in formulas(at))


def test_changing_the_stride_changes_the_output() -> None:
    at = run_script("transposed")
    before = output(at)
    at.slider(key="transposed.stride").set_value(1).run()
    after = output(at)
    assert before.shape == (7, 7) and after.shape == (5, 5)


def test_the_page_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.common.i18n

    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_page("transposed", {"language": "zh"})
    assert not at.exception and not at.error
    assert at.title[0].value == "🔼 转置卷积"
    assert "棋盘格" in " ".join(m.value for m in at.markdown)
    animation = charts(at)["transposed.stamp_fig"]
    assert "输入格" in animation["layout"]["sliders"][0]["currentvalue"]["prefix"]


def test_presentation_mode_puts_the_animation_first_with_large_numbers() -> None:
    at = run_page("transposed", {"presentation": True})
    assert not at.exception and not at.error
    assert at.get("plotly_chart")[0].key == "transposed.stamp_fig"
    animation = charts(at)["transposed.stamp_fig"]
    assert animation["layout"]["height"] <= PROJECTOR_HEIGHT
    sizes = [trace["textfont"]["size"] for trace in animation["data"] if "texttemplate" in trace]
    assert len(sizes) == 4 and min(sizes) >= MIN_PROJECTED_PX  # input, kernel, stamp and canvas all print
    # Nothing but the title above the figure: the controls follow it.
    assert not at.markdown[0].value.startswith("A **transposed")


def test_presentation_mode_never_prints_numbers_below_18_px() -> None:
    at = run_page("transposed", {"presentation": True, **EDGE_SETTINGS["largest everything"]})
    assert not at.exception
    animation = charts(at)["transposed.stamp_fig"]
    sizes = [trace["textfont"]["size"] for trace in animation["data"] if "texttemplate" in trace]
    assert all(size >= MIN_PROJECTED_PX for size in sizes)


def test_a_link_restores_the_settings_and_the_page_writes_them_back() -> None:
    query = {
        "transposed.stride": "3",
        "transposed.kernel": "2",
        "transposed.x_source": "random",
        "transposed.x_seed": "5",
        "transposed.cell_0": "1",
    }
    at = AppTest.from_file(str(APP_ROOT / "pages/transposed.py"), default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["transposed.stride"] == 3 and at.session_state["transposed.x_seed"] == 5
    assert at.slider(key="transposed.stride").value == 3
    assert dict(at.query_params) == query
    # The seed of the example values changes nothing on screen: it stays out of the link.
    at.radio(key="transposed.x_source").set_value("preset").run()
    assert "transposed.x_seed" not in dict(at.query_params)


def test_a_padding_past_the_kernel_span_crops_the_zero_inserted_input() -> None:
    at = run_script("transposed", EDGE_SETTINGS["padding crops past the kernel span"])  # q = 1·2 − 3 = −1
    captions = " ".join(c.value for c in at.caption)
    assert "d·(K − 1) − p = −1 is negative" in captions and "**cropped** by 1 cell(s)" in captions


def test_the_backward_pages_dx_links_here() -> None:
    at = run_page("backward")
    assert not at.exception
    links = [
        link for link in at.get("page_link") if link.proto.label.startswith("dX is a transposed convolution")
    ]
    assert [link.proto.page for link in links] == ["transposed"]
    assert not run_script("backward").exception  # the page run alone has no pages: no link, no error
