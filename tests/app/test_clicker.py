"""A presenter's clicker drives the lecture: PageDown / PageUp press one pair of step buttons at a time."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_page
from ui.common.i18n import t


def _shortcuts(at: AppTest) -> dict[str, str]:
    """Button label -> its keyboard shortcut, for the buttons that have one."""
    return {button.label: button.proto.shortcut for button in at.button if button.proto.shortcut}


def test_the_step_buttons_take_the_clickers_keys() -> None:
    at = run_page("forward")
    assert _shortcuts(at) == {t("forward.prev"): "pageup", t("forward.next"): "pagedown"}
    assert not any(t("clicker.hint") in caption.value for caption in at.caption)


def test_an_open_tour_takes_the_keys_from_the_step_buttons() -> None:
    at = run_page("forward", {"tour.forward": 2})
    assert _shortcuts(at) == {t("tour.back"): "pageup", t("tour.next"): "pagedown"}
    at = run_page("backward", {"tour.backward": 3})
    assert _shortcuts(at) == {t("tour.back"): "pageup", t("tour.next"): "pagedown"}


def test_presentation_mode_says_which_keys_step() -> None:
    for page in ("forward", "backward", "chain_rule"):
        at = run_page(page, {"presentation": True})
        assert not at.exception
        assert any(t("clicker.hint") in caption.value for caption in at.caption), page
        assert sorted(_shortcuts(at).values()) == ["pagedown", "pageup"], page
