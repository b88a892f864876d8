"""The convolution-as-a-matrix page under AppTest: every setting runs without exception and shows the engine's
numbers; the chosen output cell is the highlighted row; impossible settings give a sentence and keep the last
picture; Chinese, presentation mode, links."""

from __future__ import annotations

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.conv import conv2d_forward
from tests.app.conftest import APP_ROOT, TIMEOUT_S, formulas, run_page, run_script
from tests.plotly_spec import decode, spec_of
from ui.matrix.controls import PRESET_INPUT, PRESET_KERNEL
from viz.matrix import DOWN, MATRIX
from viz.numbers import MIN_PROJECTED_PX
from viz.projector import HEIGHT as PROJECTOR_HEIGHT

KEYS = ("matrix.forward_fig", "matrix.im2col_fig", "matrix.dx_fig", "matrix.dw_fig")


def charts(at: AppTest) -> dict[str, dict]:
    return {chart.key: spec_of(chart.proto.spec) for chart in at.get("plotly_chart")}


def highlighted_row(spec: dict) -> int:
    """The row of the matrix the figure opens on (its band shape, in the matrix's cell units)."""
    band, y0 = spec["layout"]["shapes"][1], spec["data"][MATRIX]["y0"]
    assert band["y1"] - band["y0"] == 1  # one row, not a column
    return round(band["y0"] + 0.5 - y0)


def test_default_page_shows_the_4x16_matrix_and_the_engines_output() -> None:
    at = run_script("matrix")
    assert not at.exception and not at.error
    figures = charts(at)
    assert set(figures) == set(KEYS)
    forward = figures["matrix.forward_fig"]
    assert decode(forward["data"][MATRIX]["z"]).shape == (4, 16)  # Dumoulin & Visin's example
    assert len(forward["frames"]) == 4
    y = conv2d_forward(PRESET_INPUT[None, None, :4, :4], PRESET_KERNEL[None, None, :3, :3], None)[0][0, 0]
    np.testing.assert_array_equal(decode(forward["data"][DOWN]["z"]).ravel(), y.ravel())
    assert highlighted_row(forward) == highlighted_row(figures["matrix.im2col_fig"]) == 0
    assert any(f"= {y[0, 0]:g}" in f for f in formulas(at) if "y_{0,0}" in f or f.startswith("Output"))
    captions = " ".join(c.value for c in at.caption)
    assert "C is 4 × 16" in captions and "36 of C's 64 entries are taps" in captions
    assert "Largest difference from the engine's `conv2d_forward`: 0." in captions


def test_page_runs_through_the_app_navigation_and_links_the_transposed_page() -> None:
    at = run_page("matrix")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    # dX = Cᵀδ is the transposed convolution of δ: the page links to it (in the page, not the sidebar).
    assert [link.proto.page for link in at.main.get("page_link")] == ["transposed"]


def test_choosing_another_output_cell_moves_the_highlighted_row() -> None:
    at = run_script("matrix")
    at.number_input(key="matrix.cell_0").set_value(1).run()
    at.number_input(key="matrix.cell_1").set_value(1).run()
    assert not at.exception
    figures = charts(at)
    assert highlighted_row(figures["matrix.forward_fig"]) == 3  # (1, 1) of a 2 × 2 output
    assert highlighted_row(figures["matrix.im2col_fig"]) == 3
    assert any("y_{1,1}" in f for f in formulas(at))


EDGE_SETTINGS = {
    "1 × 1 input, 1 × 1 kernel": {"matrix.rows": 1, "matrix.cols": 1, "matrix.kernel": 1},
    "largest C: 8 × 8, 1 × 1 kernel, padding 3": {
        "matrix.rows": 8,
        "matrix.cols": 8,
        "matrix.kernel": 1,
        "matrix.padding": 3,
        "matrix.cell_0": 13,
        "matrix.cell_1": 13,
    },
    "largest kernel, stride and dilation": {
        "matrix.rows": 8,
        "matrix.cols": 7,
        "matrix.kernel": 4,
        "matrix.stride": 3,
        "matrix.dilation": 2,
        "matrix.input.cell_0": 7,
        "matrix.tap.cell_0": 3,
        "matrix.tap.cell_1": 3,
    },
    "padding with stride": {"matrix.rows": 5, "matrix.cols": 3, "matrix.padding": 2, "matrix.stride": 2},
    "random values": {"matrix.source": "random", "matrix.seed": 42},
    "non-square input": {"matrix.rows": 2, "matrix.cols": 8, "matrix.kernel": 2},
}


@pytest.mark.parametrize("state", EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_edge_settings_run_without_exception(state: dict) -> None:
    at = run_script("matrix", state)
    assert not at.exception and not at.error, [e.value for e in at.error]
    figures = charts(at)
    assert set(figures) == set(KEYS)
    # The products equal the engine's layer: every difference printed is 0 (integer values, exact sums).
    said = " ".join(c.value for c in at.caption if "Largest difference" in c.value)
    assert re.findall(r"(?::|dW|db) (\S+?)[.,]", said) == ["0", "0", "0", "0"], said


def test_a_cell_no_window_reads_says_so() -> None:
    at = run_script(
        "matrix", {"matrix.kernel": 1, "matrix.stride": 2, "matrix.input.cell_0": 1, "matrix.input.cell_1": 1}
    )
    assert any("dX_{1,1}" in f and f.rstrip().endswith("= 0\n$$") for f in formulas(at))
    assert any("No window reads this cell" in c.value for c in at.caption)


def test_a_window_on_the_padding_says_how_many_taps_are_missing() -> None:
    at = run_script("matrix", {"matrix.padding": 1})
    assert any("5 of its window's 9 taps fall on the padding" in c.value for c in at.caption)


INVALID = {
    "kernel wider than the padded input": {"matrix.rows": 2, "matrix.kernel": 3},
    "dilated kernel": {"matrix.rows": 3, "matrix.kernel": 4, "matrix.dilation": 3},
}


@pytest.mark.parametrize("state", INVALID.values(), ids=INVALID.keys())
def test_settings_that_do_not_fit_show_a_sentence_and_keep_the_last_good_figures(state) -> None:
    at = run_script("matrix")
    good = charts(at)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "kernel covers" in at.error[0].value
    assert charts(at) == good


def test_a_value_no_control_could_hold_is_put_back() -> None:
    at = run_script("matrix")
    good = charts(at)
    at.session_state["matrix.stride"] = 99
    at.run()
    assert not at.exception
    assert at.session_state["matrix.stride"] == 1
    assert any("stride" in w.value.lower() for w in at.warning)
    assert charts(at) == good


def test_the_chosen_cell_is_clamped_when_the_output_shrinks() -> None:
    at = run_script("matrix", {"matrix.padding": 1, "matrix.cell_0": 3, "matrix.cell_1": 3})
    assert any("y_{3,3}" in f for f in formulas(at))
    at.slider(key="matrix.padding").set_value(0).run()  # 4 × 4 with K = 3: a 2 × 2 output
    assert not at.exception and not at.error
    assert any("y_{1,1}" in f for f in formulas(at))


def test_the_page_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.common.i18n

    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_page("matrix", {"language": "zh"})
    assert not at.exception and not at.error
    assert at.title[0].value == "🧮 卷积的矩阵形式"
    assert "转置" in " ".join(m.value for m in at.markdown)
    forward = charts(at)["matrix.forward_fig"]
    assert forward["layout"]["sliders"][0]["currentvalue"]["prefix"] == "输出格 (i, j) = "


def test_presentation_mode_puts_y_equals_cx_first_with_large_numbers() -> None:
    at = run_page("matrix", {"presentation": True})
    assert not at.exception and not at.error
    assert at.get("plotly_chart")[0].key == "matrix.forward_fig"
    forward = charts(at)["matrix.forward_fig"]
    assert forward["layout"]["height"] <= PROJECTOR_HEIGHT
    sizes = [trace["textfont"]["size"] for trace in forward["data"] if "texttemplate" in trace]
    assert len(sizes) == 5 and min(sizes) >= MIN_PROJECTED_PX  # every panel prints its numbers
    assert not at.markdown[0].value.startswith("A convolution is **linear**")


def test_presentation_mode_never_prints_numbers_below_18_px() -> None:
    at = run_page(
        "matrix", {"presentation": True, **EDGE_SETTINGS["largest C: 8 × 8, 1 × 1 kernel, padding 3"]}
    )
    assert not at.exception
    for spec in charts(at).values():
        sizes = [trace["textfont"]["size"] for trace in spec["data"] if "texttemplate" in trace]
        assert all(size >= MIN_PROJECTED_PX for size in sizes)


def test_a_link_restores_the_settings_and_the_page_writes_them_back() -> None:
    query = {
        "matrix.padding": "1",
        "matrix.stride": "2",
        "matrix.source": "random",
        "matrix.seed": "5",
        "matrix.cell_0": "1",
    }
    at = AppTest.from_file(str(APP_ROOT / "pages/matrix.py"), default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["matrix.stride"] == 2 and at.session_state["matrix.seed"] == 5
    assert at.slider(key="matrix.padding").value == 1
    assert highlighted_row(charts(at)["matrix.forward_fig"]) == 2  # (1, 0) of a 2 × 2 output
    assert dict(at.query_params) == query
    # The seed of the example values changes nothing on screen: it stays out of the link.
    at.radio(key="matrix.source").set_value("preset").run()
    assert "matrix.seed" not in dict(at.query_params)
