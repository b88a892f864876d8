"""Planted mistakes (issue 15, item 1) on the backward and pooling pages, as a student uses them.

Backward: choosing each mistake makes the gradient check fail, names the mistake with its sentence and
draws where it shows; the guessing mode hides the name, says right or wrong, then reveals it. Pooling: the
overlapping-windows mistake is invisible at the default stride 2 (and the page says so), visible at 1.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from engine.mistakes import LAYER_MISTAKES, MISTAKES, right_function
from tests.app.conftest import run_script
from tests.app.test_link_fuzz import open_link
from tests.plotly_spec import spec_of
from ui.common.i18n import STRINGS

# A small problem on which every mistake shows: a 3 × 2 random kernel (not square, not symmetric) at
# stride (2, 1) (windows overlap along the width, the stride counts), padding 1, and tanh (σ ≠ σ' ≠ 1).
SHOWS_ALL = {
    "backward.view": "check",
    "conv.size": 12,
    "conv.per_axis": True,
    "conv.kh": 3,
    "conv.kw": 2,
    "conv.k0.kind": "random",
    "conv.stride_h": 2,
    "conv.activation": "tanh",
}
RUN = STRINGS["backward.check_run"]["en"]


def en(key: str, **fields) -> str:
    return STRINGS[key]["en"].format(**fields)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def texts(at: AppTest) -> str:
    """Every sentence on the page, in one string."""
    parts = [*at.markdown, *at.caption, *at.error, *at.warning, *at.success, *at.info]
    return "\n".join(e.value for e in parts)


def checked(state: dict) -> AppTest:
    at = run_script("backward", state)
    assert not at.exception
    button(at, RUN).click().run()
    assert not at.exception, at.exception[0].value
    return at


def mistake_figure(at: AppTest) -> dict | None:
    charts = {chart.key: chart for chart in at.get("plotly_chart")}
    chart = charts.get("backward.chart.mistake")
    return None if chart is None else spec_of(chart.proto.spec)


@pytest.mark.parametrize("mistake", LAYER_MISTAKES)
def test_a_planted_mistake_fails_the_check_with_its_sentence_and_a_map(mistake: str) -> None:
    at = checked({**SHOWS_ALL, "backward.mistake": mistake})
    assert any(en("mistake.check_bad") in w.value for w in at.warning)
    assert en("mistake.planted", name=en(f"mistake.{mistake}.name")) in [e.value for e in at.error]
    assert en(f"mistake.{mistake}.sentence") in texts(at)
    code = "\n".join(c.value for c in at.code)  # the wrong function beside the right one
    assert f"def {MISTAKES[mistake].wrong.__name__}(" in code
    assert f"def {right_function(mistake).__name__}(" in code
    figure = mistake_figure(at)
    assert figure is not None
    assert len(figure["data"]) == 2  # dW and dX
    assert figure["data"][0]["zmin"] == -figure["data"][0]["zmax"]  # centred on 0


def test_without_a_mistake_the_check_passes_and_draws_no_map() -> None:
    at = checked(SHOWS_ALL)
    assert any(en("backward.check_good") in s.value for s in at.success)
    assert mistake_figure(at) is None
    assert not at.error


def test_a_mistake_these_settings_hide_says_what_to_change() -> None:
    at = checked({"backward.view": "check", "conv.size": 12, "backward.mistake": "ignore_stride"})
    assert any(en("mistake.ignore_stride.hidden") in i.value for i in at.info)
    assert mistake_figure(at) is None


def test_choosing_a_mistake_after_a_check_runs_the_check_again() -> None:
    at = checked(SHOWS_ALL)
    at.selectbox(key="backward.mistake").set_value("no_crop").run()
    assert not at.exception
    assert any(en("mistake.check_bad") in w.value for w in at.warning)
    assert mistake_figure(at) is not None


def test_the_guessing_mode_hides_the_name_then_says_right_or_wrong() -> None:
    at = checked({**SHOWS_ALL, "backward.guess": True, "_backward.mystery_seed": 11})
    planted = at.session_state["_backward.mystery"]["id"]
    names = {m: en(f"mistake.{m}.name") for m in LAYER_MISTAKES}
    assert names[planted] not in "\n".join(e.value for e in [*at.error, *at.success, *at.markdown])
    assert mistake_figure(at) is not None  # the maps are the clue
    wrong = next(m for m in LAYER_MISTAKES if m != planted)
    pick = next(r for r in at.radio if r.label == en("mistake.pick"))
    pick.set_value(wrong).run()
    button(at, en("mistake.submit")).click().run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert en("mistake.wrong", picked=names[wrong], name=names[planted]) in said
    assert en(f"mistake.{planted}.sentence") in texts(at)
    # Another one: a new mistake, hidden again, and this time the right answer.
    button(at, en("mistake.another")).click().run()
    mystery = at.session_state["_backward.mystery"]
    assert mystery["round"] == 1 and mystery["id"] != planted
    pick = next(r for r in at.radio if r.label == en("mistake.pick"))
    pick.set_value(mystery["id"]).run()
    button(at, en("mistake.submit")).click().run()
    assert en("mistake.right", name=names[mystery["id"]]) in [s.value for s in at.success]


def test_the_session_seed_decides_the_sequence() -> None:
    first = run_script("backward", {**SHOWS_ALL, "backward.guess": True, "_backward.mystery_seed": 5})
    again = run_script("backward", {**SHOWS_ALL, "backward.guess": True, "_backward.mystery_seed": 5})
    assert first.session_state["_backward.mystery"] == again.session_state["_backward.mystery"]


def test_the_mistake_speaks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.common.i18n

    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_script("backward", {**SHOWS_ALL, "language": "zh", "backward.mistake": "overwrite"})
    button(at, STRINGS["backward.check_run"]["zh"]).click().run()
    assert not at.exception
    assert STRINGS["mistake.overwrite.name"]["zh"] in "\n".join(e.value for e in at.error)
    assert STRINGS["mistake.overwrite.sentence"]["zh"] in texts(at)
    assert mistake_figure(at) is not None


def test_a_link_restores_the_mistake() -> None:
    at = open_link("backward", {"backward.view": "check", "backward.mistake": "no_crop"}, through_app=True)
    assert not at.exception
    assert at.session_state["backward.mistake"] == "no_crop"


# --- pooling ---------------------------------------------------------------------------------------------


def pooling_figure(at: AppTest) -> dict | None:
    charts = {chart.key: chart for chart in at.get("plotly_chart")}
    chart = charts.get("pooling.mistake_fig")
    return None if chart is None else spec_of(chart.proto.spec)


def test_pooling_s_mistake_is_invisible_at_the_default_stride() -> None:
    at = run_script("pooling", {"pooling.mistake": "pool_overwrite"})
    assert not at.exception
    assert en("pooling.mistake.no_overlap", K=2, s=2) in [i.value for i in at.info]
    assert en("pooling.mistake.pool_overwrite.sentence") in texts(at)
    difference = pooling_figure(at)["data"][2]["z"]
    assert all(v == 0 for row in difference for v in row)


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling_s_mistake_shows_with_overlapping_windows(mode: str) -> None:
    at = run_script(
        "pooling", {"pooling.mistake": "pool_overwrite", "pooling.stride": 1, "pooling.mode": mode}
    )
    assert not at.exception
    assert not any("stride" in i.value and "overlap" in i.value for i in at.info)
    difference = pooling_figure(at)["data"][2]["z"]
    wrong = sum(v != 0 for row in difference for v in row)
    assert wrong > 0
    assert en("pooling.mistake.wrong_cells", n=wrong) in texts(at)


def test_pooling_without_a_mistake_shows_no_map() -> None:
    at = run_script("pooling")
    assert not at.exception
    assert pooling_figure(at) is None
    assert at.selectbox(key="pooling.mistake").value == "none"


def test_pooling_s_mistake_speaks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.common.i18n

    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_script("pooling", {"language": "zh", "pooling.mistake": "pool_overwrite", "pooling.stride": 1})
    assert not at.exception
    assert STRINGS["pooling.mistake.pool_overwrite.sentence"]["zh"] in texts(at)
    assert pooling_figure(at) is not None


EDGES = {
    "colour, four kernels, reflect, dilation": {
        "conv.color": True,
        "conv.kernel_count": 4,
        "conv.pad_mode": "reflect",
        "conv.dil_h": 2,
        "conv.dil_w": 2,
    },
    "a 1 × 1 kernel at stride 3, no padding": {
        "conv.kh": 1,
        "conv.kw": 1,
        "conv.stride_h": 3,
        "conv.stride_w": 3,
        "conv.pad_kind": "valid",
    },
    "same padding, ReLU, one-hot loss": {
        "conv.pad_kind": "same",
        "conv.activation": "relu",
        "backward.loss": "impulse",
    },
}


@pytest.mark.parametrize("settings", EDGES.values(), ids=EDGES.keys())
@pytest.mark.parametrize(
    "mode", [{"backward.mistake": m} for m in LAYER_MISTAKES] + [{"backward.guess": True}]
)
def test_no_setting_breaks_a_planted_check(settings: dict, mode: dict) -> None:
    at = checked({"backward.view": "check", "conv.size": 12, **settings, **mode})
    assert not [e.value for e in at.error if e.proto.icon == "⚠️"]  # no refusal: the settings fit
    passes = any(en("mistake.passes") in i.value for i in at.info)
    assert passes or mistake_figure(at) is not None  # the check ran, and says where (or that) it shows


@pytest.mark.parametrize("page, state", [("backward", {"backward.view": "check"}), ("pooling", {})])
def test_a_projector_opens_on_the_same_figure_with_a_mistake_planted(page: str, state: dict) -> None:
    mistake = {
        "backward": {"backward.mistake": "overwrite"},
        "pooling": {"pooling.mistake": "pool_overwrite"},
    }
    plain = run_script(page, {"presentation": True, **state})
    planted = run_script(page, {"presentation": True, **state, **mistake[page]})
    assert not planted.exception
    first = next(chart.key for chart in plain.get("plotly_chart"))
    assert next(chart.key for chart in planted.get("plotly_chart")) == first
