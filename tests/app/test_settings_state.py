"""One key per shared setting: a widget's value survives runs that do not draw it, and a setting whose
widget is already drawn can still be changed (on the next run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from ui.common.state import DEFAULTS


@pytest.fixture(autouse=True)
def _forget_the_demo_setting() -> Iterator[None]:
    """The demo page registers "demo.n" in the process-wide DEFAULTS: take it out again afterwards."""
    yield
    DEFAULTS.pop("demo.n", None)


def _page() -> None:
    """A page with a shared setting "demo.n" whose input is drawn only while "show" is on."""
    import streamlit as st

    from ui.common.state import DEFAULTS, bind, init_state, keep_settings, set_before_rerun

    DEFAULTS["demo.n"] = 3
    init_state()
    keep_settings()
    if st.session_state.get("show", True):
        st.number_input("n", 0, 100, **bind("demo.n"))
    st.markdown(f"n = {st.session_state['demo.n']}")
    if st.session_state.get("jump") and st.session_state["demo.n"] != 42:
        set_before_rerun({"demo.n": 42})  # after the input is drawn: written at the next run's start


def _shown(at: AppTest) -> str:
    return at.markdown[0].value


def test_a_setting_survives_runs_that_do_not_draw_its_widget() -> None:
    at = AppTest.from_function(_page)
    at.run()
    at.number_input(key="demo.n").set_value(7).run()
    assert _shown(at) == "n = 7"
    at.session_state["show"] = False
    at.run()
    at.run()  # Streamlit forgets an undrawn widget's state at the end of a run: the frame keeps it
    assert _shown(at) == "n = 7"
    at.session_state["show"] = True
    at.run()
    assert at.number_input(key="demo.n").value == 7
    assert not at.exception


def test_a_setting_can_be_changed_after_its_widget_is_drawn() -> None:
    at = AppTest.from_function(_page)
    at.run()
    at.session_state["jump"] = True
    at.run()
    assert not at.exception
    assert at.number_input(key="demo.n").value == 42
    assert _shown(at) == "n = 42"


def test_the_widget_and_the_setting_are_one_key() -> None:
    at = AppTest.from_function(_page)
    at.run()
    at.session_state["demo.n"] = 9  # as a link or a preset does
    at.run()
    assert at.number_input(key="demo.n").value == 9
    at.number_input(key="demo.n").set_value(11).run()
    assert at.session_state["demo.n"] == 11


# A setting given a value its control cannot hold (a test, a script, a forged client): name -> the value.
# Set while the forward page's widgets are not on screen: AppTest's own client cannot send a widget's
# state of the wrong type (it raises before the app sees it), so the value is set on the home page.
IMPOSSIBLE = {
    "conv.stride_h": "abc",
    "conv.kh": 99,
    "conv.size": 33,
    "conv.pad_mode": "mirror-ish",
    "conv.k0.bias": float("nan"),
    "conv.k0.values": [[1.0, 2.0], [3.0]],
    "conv.color": 1,
}


@pytest.mark.parametrize(("setting", "value"), list(IMPOSSIBLE.items()), ids=list(IMPOSSIBLE))
def test_an_impossible_setting_is_refused_by_name(setting: str, value: object) -> None:
    from tests.app.conftest import run_page
    from ui.common.links import url_name

    at = run_page("forward", {"conv.stride_h": 2, "conv.kh": 5})
    good = (at.session_state[setting], [chart.proto.spec for chart in at.get("plotly_chart")])
    at.switch_page("pages/home.py").run()
    at.session_state[setting] = value
    at.run()
    assert not at.exception
    assert any(url_name(setting) in w.value for w in at.warning), [w.value for w in at.warning]
    at.switch_page("pages/forward.py").run()  # said once: the next run has nothing to refuse
    assert not at.exception
    assert not any(url_name(setting) in w.value for w in at.warning)
    assert (at.session_state[setting], [chart.proto.spec for chart in at.get("plotly_chart")]) == good


def test_an_impossible_setting_in_a_new_session_gives_the_default() -> None:
    from tests.app.conftest import run_script

    at = run_script("forward", {"conv.stride_h": -3})
    assert not at.exception
    assert at.session_state["conv.stride_h"] == DEFAULTS["conv.stride_h"]
    assert any("stride_h" in w.value for w in at.warning)
