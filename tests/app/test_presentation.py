"""Presentation mode: large type and high contrast, the sidebar out of the way, only what a lecture needs."""

from __future__ import annotations

import ast

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP_ROOT, TIMEOUT_S, formulas, run_page, run_script
from tests.plotly_spec import spec_of
from ui.common.frame import COLLAPSED_KEY, PRESENTATION_MARKER, STYLE_PATH
from ui.common.i18n import t
from ui.common.state import widget_key
from viz.numbers import MIN_PROJECTED_PX
from viz.projector import HEIGHT as PROJECTOR_HEIGHT


def animation(at: AppTest) -> dict:
    """The step-by-step figure (the first chart with frames)."""
    specs = [spec_of(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(spec for spec in specs if spec.get("frames"))


def injected_css(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def expander_labels(at: AppTest) -> list[str]:
    return [expander.label for expander in at.expander]


@pytest.fixture(scope="module")
def normal() -> AppTest:
    return run_script("forward")


@pytest.fixture(scope="module")
def presenting() -> AppTest:
    return run_script("forward", {"presentation": True})


def test_both_modes_run(normal: AppTest, presenting: AppTest) -> None:
    assert not normal.exception
    assert not presenting.exception


def test_figures_get_larger_type(normal: AppTest, presenting: AppTest) -> None:
    small, large = animation(normal)["layout"], animation(presenting)["layout"]
    assert large["font"]["size"] > small["font"]["size"]
    # Sized for a projector's first screen (viz/projector.py): shorter than the page's, numbers ≥ 18 px.
    assert large["height"] <= PROJECTOR_HEIGHT < small["height"]
    sizes = [trace["textfont"]["size"] for trace in animation(presenting)["data"] if "texttemplate" in trace]
    assert sizes and min(sizes) >= MIN_PROJECTED_PX


def test_the_page_gets_larger_type_and_high_contrast(normal: AppTest, presenting: AppTest) -> None:
    _, rules = STYLE_PATH.read_text(encoding="utf-8").split(PRESENTATION_MARKER)
    assert "html { font-size" not in injected_css(normal)
    assert rules.strip() not in injected_css(normal)
    assert "html { font-size" in injected_css(presenting)
    assert rules.strip() in injected_css(presenting)
    assert "#000000" in rules  # pure black text


def test_secondary_panels_are_left_out(normal: AppTest, presenting: AppTest) -> None:
    assert f"⬇️ {t('export.title')}" in expander_labels(normal)
    assert f"⬇️ {t('export.title')}" not in expander_labels(presenting)
    assert t("forward.source") in expander_labels(normal)
    assert t("forward.source") not in expander_labels(presenting)
    captions = [caption.value for caption in presenting.main.caption]
    assert t("forward.click_hint") not in captions
    assert t("forward.correlation_note") not in captions
    assert widget_key("conv.crop_size") not in [w.key for w in presenting.get("number_input")]


def test_the_figure_steps_formula_and_tour_stay(presenting: AppTest) -> None:
    assert len(presenting.get("plotly_chart")) == 3
    labels = [button.label for button in presenting.main.button]
    assert sorted(labels) == sorted([t("forward.prev"), t("forward.next"), t("tour.start")])
    assert "_widget_step" in [w.key for w in presenting.get("number_input")]
    assert any(r"\begin{aligned}Z(" in formula for formula in formulas(presenting))


def test_the_kernel_picker_stays_only_when_there_is_a_choice() -> None:
    one = run_script("forward", {"presentation": True})
    four = run_script("forward", {"presentation": True, "conv.kernel_count": 4})
    assert widget_key("conv.anim_kernel") not in [box.key for box in one.main.selectbox]
    assert widget_key("conv.anim_kernel") in [box.key for box in four.main.selectbox]


def test_step_buttons_still_move_the_step() -> None:
    at = run_script("forward", {"presentation": True})
    next_button = next(button for button in at.main.button if button.label == t("forward.next"))
    next_button.click().run()
    assert at.session_state["conv.step"] == 1


def test_a_presentation_link_opens_with_the_sidebar_collapsed() -> None:
    at = AppTest.from_file(str(APP_ROOT / "pages/forward.py"), default_timeout=TIMEOUT_S)
    at.query_params["presentation"] = "1"
    at.run()
    assert at.session_state[COLLAPSED_KEY] is True
    # Switched off: the sidebar opens again, and stays as the user leaves it when switched back on.
    at.toggle(key=widget_key("presentation")).set_value(False).run()
    assert at.session_state[COLLAPSED_KEY] is False
    at.toggle(key=widget_key("presentation")).set_value(True).run()
    assert at.session_state[COLLAPSED_KEY] is False


def test_switching_presentation_on_keeps_the_sidebar_where_the_switch_is() -> None:
    # Collapsing it at once would hide the switch just clicked and every page link (measured in Chromium).
    at = run_page("home")
    at.sidebar.toggle(key=widget_key("presentation")).set_value(True).run()
    assert at.session_state["presentation"] is True
    assert at.session_state[COLLAPSED_KEY] is False


@pytest.mark.parametrize("page_id", ["home", "pooling", "activations"])
def test_other_pages_run_in_presentation_mode(page_id: str) -> None:
    at = run_script(page_id, {"presentation": True})
    assert not at.exception


# --- accessibility ----------------------------------------------------------------------------------------


def _calls(path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) == name or getattr(node.func, "id", None) == name)
    ]


@pytest.mark.parametrize(
    "path",
    sorted([*(APP_ROOT / "ui").rglob("*.py"), *(APP_ROOT / "pages").glob("*.py")]),
    ids=lambda path: path.relative_to(APP_ROOT).as_posix(),
)
def test_every_figure_is_shown_with_alt_text(path) -> None:
    # ui.common.display.show_figure is the one place that calls st.plotly_chart, and it requires `alt`.
    if path.name != "display.py":
        assert not _calls(path, "plotly_chart"), "use ui.common.display.show_figure (it passes alt text)"
    for call in _calls(path, "show_figure"):
        assert "alt" in {keyword.arg for keyword in call.keywords}, f"line {call.lineno}: no alt text"


@pytest.mark.parametrize("state", [{}, {"presentation": True}], ids=["normal", "presentation"])
def test_the_forward_figures_carry_their_alt_text(state: dict) -> None:
    at = run_script("forward", state)
    alts = [chart.proto.alt for chart in at.get("plotly_chart")]
    assert alts == [t("forward.alt_animation"), t("forward.alt_maps"), t("forward.alt_sweep")]
