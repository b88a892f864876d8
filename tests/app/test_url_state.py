"""Shareable links: every setting round-trips through the URL; a wrong or hostile link never breaks a page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

import ui.backward.state
import ui.backward.tour
import ui.common.links as url_state
import ui.conv.state
import ui.conv.tour
from tests.app.conftest import APP_ROOT, TIMEOUT_S, run_page
from ui.common.i18n import LANGUAGES, t
from ui.common.links import (
    LINKS,
    NOT_IN_LINKS,
    Choice,
    Flag,
    FloatRange,
    Grid,
    IntRange,
    Nearest,
    decode,
    encode,
    setting_name,
    url_name,
)
from ui.common.state import DEFAULTS, widget_key

# What the forward and backward pages register in their frame calls (this process has run no page yet).
url_state.use_settings(
    ui.conv.state.SETTINGS,
    ui.backward.state.SETTINGS,
    ui.conv.tour.TOUR_SETTINGS,
    ui.backward.tour.TOUR_SETTINGS,
)

# A link that changes every linked setting of the forward page (custom kernel numbers included).
EVERY_PARAMETER = {
    "sample": "stripes",
    "color": "1",
    "size": "48",
    "kernel_count": "2",
    "per_axis": "1",
    "kh": "4",
    "kw": "5",
    "seed": "7",
    "activation": "relu",
    "flip": "1",
    "stride_h": "2",
    "stride_w": "3",
    "pad_kind": "valid",
    "pad_h": "2",
    "pad_w": "0",
    "pad_mode": "reflect",
    "dil_h": "2",
    "dil_w": "3",
    "anim_kernel": "1",
    "crop_i": "1",
    "crop_j": "2",
    "crop_size": "5",
    "step": "6",
    "k0.kind": "random",
    "k0.bias": "0.5",
    "k1.kind": "custom",
    "k1.bias": "-1.25",
    "k1.values": "0,1,0,1,0;1,-4,1,0,2;0,1,0,1,0;0.5,0,0,0,0.25",
    "presentation": "1",
    "tour": "3",
}
# What the session holds after opening that link.
EXPECTED_STATE = {
    "conv.sample": "stripes",
    "conv.color": True,
    "conv.size": 48,
    "conv.kernel_count": 2,
    "conv.per_axis": True,
    "conv.kh": 4,
    "conv.kw": 5,
    "conv.seed": 7,
    "conv.activation": "relu",
    "conv.flip": True,
    "conv.stride_h": 2,
    "conv.stride_w": 3,
    "conv.pad_h": 2,
    "conv.pad_w": 0,
    "conv.pad_kind": "valid",
    "conv.pad_mode": "reflect",
    "conv.dil_h": 2,
    "conv.dil_w": 3,
    "conv.anim_kernel": 1,
    "conv.crop_i": 1,
    "conv.crop_j": 2,
    "conv.crop_size": 5,
    "conv.step": 6,
    "conv.k0.kind": "random",
    "conv.k0.bias": 0.5,
    "conv.k1.kind": "custom",
    "conv.k1.bias": -1.25,
    "conv.k1.values": [[0, 1, 0, 1, 0], [1, -4, 1, 0, 2], [0, 1, 0, 1, 0], [0.5, 0, 0, 0, 0.25]],
    "presentation": True,
    "tour.forward": 3,
}
# Widgets that show a restored setting, and the value each must show.
EXPECTED_WIDGETS = {
    "selectbox": {"conv.sample": "stripes", "conv.activation": "relu", "conv.k1.kind": "custom"},
    "number_input": {"conv.kh": 4, "conv.stride_w": 3, "conv.dil_w": 3, "conv.k1.bias": -1.25},
    "select_slider": {"conv.size": 48},
    "toggle": {"conv.color": True, "presentation": True},
}


def open_link(query: dict[str, str], page: str = "pages/forward.py") -> AppTest:
    """Open a page by a link: the query is set before the session's first run (as a browser sends it)."""
    at = AppTest.from_file(str(APP_ROOT / page), default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    return at.run()


# --- parsing a link ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "text", "value"),
    [
        (IntRange(1, 8), "3", 3),
        (IntRange(1, 8), "999", 8),  # clamped to the widget's maximum
        (IntRange(1, 8), "-5", 1),
        (IntRange(0, 10), " 4 ", 4),
        (FloatRange(-10.0, 10.0), "0.25", 0.25),
        (FloatRange(-10.0, 10.0), "1e9", 10.0),
        (Nearest((6, 8, 12, 16, 32, 48)), "47", 48),
        (Nearest((6, 8, 12, 16, 32, 48)), "1", 6),
        (Nearest((6, 8, 12, 16, 32, 48)), "-3", 6),
        (Nearest((1e-1, 1e-4, 1e-9)), "0.0002", 1e-4),
        (Choice(("zeros", "reflect")), "reflect", "reflect"),
        (Flag(), "1", True),
        (Flag(), "false", False),
        (Grid(3), "1,2;3,4", [[1.0, 2.0], [3.0, 4.0]]),
        (Grid(3), "1e300,-1e300", [[1e6, -1e6]]),  # clamped: such numbers only overflow the figures
    ],
)
def test_a_domain_parses_and_clamps(domain, text: str, value) -> None:
    assert domain.parse(text.strip()) == value


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        (IntRange(1, 8), "abc"),
        (IntRange(1, 8), "2.5"),
        (IntRange(1, 8), ""),
        (FloatRange(-10.0, 10.0), "nan"),
        (FloatRange(-10.0, 10.0), "inf"),
        (Nearest((6, 8)), "abc"),
        (Choice(("zeros", "reflect")), "<script>alert(1)</script>"),
        (Choice(("zeros", "reflect")), "Zeros"),
        (Flag(), "yes"),
        (Grid(3), "1,2;3"),  # ragged
        (Grid(3), "1,2,3,4"),  # wider than the largest kernel
        (Grid(3), "1;2;3;4"),
        (Grid(3), "1,nan"),
        (Grid(3), "__import__('os')"),
    ],
)
def test_a_domain_refuses_what_is_not_a_value(domain, text: str) -> None:
    with pytest.raises(ValueError):
        domain.parse(text)


def test_overlong_text_is_refused() -> None:
    with pytest.raises(ValueError):
        decode("conv.k0.values", "1," * 5000 + "1")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("conv.stride_h", 3),
        ("conv.k0.bias", -1.25),
        ("conv.flip", True),
        ("conv.pad_mode", "circular"),
        ("conv.size", 384),
        ("conv.k0.values", [[0.5, -1.0, 0.125], [1.0, 2.0, 3.0]]),
        ("backward.eps", 1e-6),
        ("backward.lr", 0.05),
    ],
)
def test_encode_then_decode_gives_the_value_back(setting: str, value) -> None:
    assert decode(setting, encode(value)) == value


def test_every_shared_setting_is_linked_or_kept_out_on_purpose() -> None:
    # A new shared setting must say what a link may set it to (its widget's bounds), or stay out.
    unlisted = sorted(set(DEFAULTS) - set(LINKS) - NOT_IN_LINKS)
    assert not unlisted, f"add these to ui/url_state.LINKS (or NOT_IN_LINKS): {unlisted}"


def test_link_names_are_short_and_unambiguous() -> None:
    names = [url_name(setting) for setting in LINKS if not setting.startswith("tour.")]
    assert len(names) == len(set(names))
    assert url_name("conv.stride_h") == "stride_h"
    assert url_name("tour.forward") == "tour"
    assert setting_name("stride_h", "forward") == "conv.stride_h"
    assert setting_name("tour", "forward") == "tour.forward"
    assert setting_name("tour", "home") is None  # the home page has no tour
    assert setting_name("tour.forward", "forward") is None  # only by its short name
    assert setting_name("source", "forward") is None  # an upload cannot travel in a link
    assert setting_name("nope", "forward") is None


def _widget_bounds(at: AppTest) -> dict[str, tuple[float, float]]:
    """Setting → (min, max) of the number input bound to it (the step box counts from 1: left out)."""
    bounds = {}
    for widget in at.get("number_input"):
        name = (widget.key or "").removeprefix("_widget_")
        setting = name if name in LINKS else f"conv.{name}"
        if setting in LINKS and name != "step":
            bounds[setting] = (widget.min, widget.max)
    return bounds


@pytest.mark.parametrize(
    "state", [{}, {"conv.per_axis": True, "conv.kernel_count": 4}], ids=["default", "per axis"]
)
def test_domains_match_the_bounds_of_the_widgets(state: dict) -> None:
    at = AppTest.from_file(str(APP_ROOT / "pages/forward.py"), default_timeout=TIMEOUT_S)
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    bounds = _widget_bounds(at)
    assert bounds
    for setting, (low, high) in bounds.items():
        domain = LINKS[setting]
        assert (domain.low, domain.high) == (low, high), setting
    slider_options = {w.key.removeprefix("_widget_"): w.options for w in at.get("select_slider")}
    assert [str(size) for size in LINKS["conv.size"].options] == slider_options["conv.size"]
    if "conv.kh" in slider_options:  # one size for both axes: a slider (else two number inputs)
        assert LINKS["conv.kh"] == IntRange(1, len(slider_options["conv.kh"]))


# --- a link opened in a new session -------------------------------------------------------------------


def test_a_link_with_every_parameter_round_trips() -> None:
    at = open_link(EVERY_PARAMETER)

    assert not at.exception
    for setting, value in EXPECTED_STATE.items():
        assert at.session_state[setting] == value, setting
    for kind, expected in EXPECTED_WIDGETS.items():
        for setting, value in expected.items():
            assert at.get(kind)[_index(at, kind, setting)].value == value, setting
    # The app writes the same link back into the address bar.
    assert dict(at.query_params) == EVERY_PARAMETER

    at.number_input(key=widget_key("conv.stride_h")).set_value(4).run()
    assert at.query_params["stride_h"] == "4"
    at.toggle(key=widget_key("presentation")).set_value(False).run()
    assert "presentation" not in at.query_params


def _index(at: AppTest, kind: str, setting: str) -> int:
    keys = [widget.key for widget in at.get(kind)]
    return keys.index(widget_key(setting))


def test_defaults_make_an_empty_query() -> None:
    at = open_link({})
    assert not at.exception
    assert dict(at.query_params) == {}


def test_per_axis_off_leaves_the_width_out_of_the_link() -> None:
    at = open_link({"kh": "5", "stride_h": "2", "k0.kind": "gaussian_blur"})
    assert at.session_state["conv.kw"] == 5  # the page copies the height to the width
    assert dict(at.query_params) == {"kh": "5", "stride_h": "2", "k0.kind": "gaussian_blur"}


HOSTILE_LINKS = {
    "not numbers": {"size": "abc", "stride_h": "two", "seed": "0x10", "k0.bias": "nan", "step": "1e99"},
    "out of bounds": {"kh": "999", "kernel_count": "50", "pad_h": "-4", "dil_h": "100", "crop_size": "0"},
    "not options": {"k0.kind": "<script>alert(1)</script>", "sample": "../../etc/passwd", "language": "xx"},
    "bad grid": {"k0.kind": "custom", "k0.values": "1,2;3", "presentation": "yes"},
    "huge grid": {"k0.kind": "custom", "k0.values": ";".join(["1," * 40 + "1"] * 40)},
    "unknown names": {"source": "upload", "eval": "1", "tour.forward": "2", "_url_restored": "0"},
    "tour out of range": {"tour": "99"},
}


@pytest.mark.parametrize("query", HOSTILE_LINKS.values(), ids=HOSTILE_LINKS.keys())
def test_a_wrong_or_hostile_link_never_breaks_the_page(query: dict[str, str]) -> None:
    at = open_link(query)

    assert not at.exception
    assert at.get("plotly_chart") or at.error  # figures, or the sentence that says what to change
    state = at.session_state
    assert state["conv.kh"] in range(1, 12)
    assert 1 <= state["conv.kernel_count"] <= 4
    assert state["conv.k0.kind"] in LINKS["conv.k0.kind"].options
    assert state["conv.sample"] in LINKS["conv.sample"].options
    assert state["language"] in LANGUAGES
    assert state["conv.source"] == "sample"
    assert 0 <= state["tour.forward"] <= len(ui.conv.tour.FORWARD_STEPS)


def test_clamped_values_reach_the_widgets() -> None:
    at = open_link({"stride_h": "999", "pad_h": "-4", "kh": "999", "k0.kind": "custom"})
    assert not at.exception
    assert at.number_input(key=widget_key("conv.stride_h")).value == 8
    assert at.number_input(key=widget_key("conv.pad_h")).value == 0
    assert at.select_slider(key=widget_key("conv.kh")).value == 11


def test_a_link_is_read_once_per_session() -> None:
    at = open_link({"stride_h": "2"})
    at.number_input(key=widget_key("conv.stride_h")).set_value(3).run()
    at.query_params["stride_h"] = "5"  # the address bar changes under a running session
    at.run()
    assert at.session_state["conv.stride_h"] == 3


def test_settings_travel_across_a_page_switch() -> None:
    at = run_page("home", {"conv.stride_h": 2, "conv.sample": "brick", "presentation": True})
    assert at.query_params["stride_h"] == "2"
    assert at.query_params["sample"] == "brick"

    at.switch_page("pages/forward.py").run()
    assert not at.exception
    assert at.query_params["stride_h"] == "2"
    assert at.query_params["presentation"] == "1"


def test_a_link_to_home_restores_the_forward_settings() -> None:
    at = open_link({"stride_h": "3", "sample": "digit", "tour": "2"}, page="pages/home.py")
    assert not at.exception
    assert at.session_state["conv.stride_h"] == 3
    assert at.session_state["conv.sample"] == "digit"
    assert at.session_state["tour.forward"] == 0  # "tour" means the tour of the page the link opens
    assert "tour" not in at.query_params


# --- the share control ----------------------------------------------------------------------------------


def open_share_dialog(at: AppTest) -> AppTest:
    return at.sidebar.button(key="share.open").click().run()


def links_shown(at: AppTest) -> list[str]:
    """The code blocks that hold a link (the page's other code blocks hold the engine's source)."""
    return [code.value for code in at.get("code") if not code.value.startswith("def ")]


def test_the_share_button_shows_the_link_to_this_view() -> None:
    at = open_share_dialog(open_link({"stride_h": "2"}))
    assert not at.exception
    # AppTest has no browser URL: the page's path stands in for it.
    assert links_shown(at) == ["/forward?stride_h=2"]
    assert not at.warning


def test_the_link_is_made_when_the_button_is_pressed() -> None:
    # A step button reruns its fragment alone; the link shown afterwards still has the new step.
    at = open_link({})
    next_button = next(button for button in at.main.button if button.label == t("forward.next"))
    next_button.click().run()
    at = open_share_dialog(at)
    assert links_shown(at) == ["/forward?step=1"]


def test_the_share_dialog_says_an_upload_cannot_travel() -> None:
    at = AppTest.from_file(str(APP_ROOT / "pages/forward.py"), default_timeout=TIMEOUT_S)
    at.session_state["conv.source"] = "upload"
    at = open_share_dialog(at.run())
    assert [warning.value for warning in at.warning] == [t("sidebar.share_upload")]
    assert "source" not in at.query_params


def test_share_link_uses_the_browser_url_and_escapes_values() -> None:
    session = {"conv.stride_h": 2, "conv.k0.kind": "custom", "conv.k0.values": [[1.0, -2.0]]}
    state = SimpleNamespace(get=lambda key, default=None: session.get(key, default))
    original = url_state.st
    url_state.st = SimpleNamespace(session_state=state)
    try:
        link = url_state.share_link("http://host:8501/forward", "forward", "forward")
    finally:
        url_state.st = original
    assert link == "http://host:8501/forward?stride_h=2&k0.kind=custom&k0.values=1,-2"


def test_language_follows_the_browser_when_the_app_speaks_it(monkeypatch: pytest.MonkeyPatch) -> None:
    session: dict = {}
    monkeypatch.setitem(LANGUAGES, "zh", "简体中文")
    monkeypatch.setattr(url_state, "LANGUAGES", LANGUAGES)
    for locale, expected in (("zh-CN", "zh"), ("en-GB", "en"), ("fr-FR", None), (None, None)):
        session.clear()
        monkeypatch.setattr(
            url_state, "st", SimpleNamespace(context=SimpleNamespace(locale=locale), session_state=session)
        )
        url_state._language_from_browser()
        assert session.get("language") == expected, locale


def test_the_backward_page_takes_its_loss_and_check_from_a_link() -> None:
    link = {"backward.loss": "impulse", "backward.cell_i": "9999", "backward.eps": "0.003"}
    at = open_link({**link, "backward.lr": "x"}, page="pages/backward.py")
    assert not at.exception
    assert at.session_state["backward.loss"] == "impulse"
    assert at.session_state["backward.eps"] == 1e-3  # the nearest choice of its slider
    assert at.session_state["backward.lr"] == DEFAULTS["backward.lr"]  # not a number: the default stays
    last_row = at.session_state["backward.cell_i"]  # 9999, clipped by the page to the map's last row
    assert 0 < last_row < 9999
    assert at.query_params["backward.cell_i"] == str(last_row)


@pytest.mark.parametrize("page", ["pages/forward.py", "pages/backward.py"])
def test_a_link_whose_settings_never_fit_opens_the_first_settings(page: str) -> None:
    # kh=99 is moved to the largest height, 11; Sobel comes in 3, 5 and 7 only: nothing would fit, and a
    # fresh session has no last good picture to keep. The page starts again from its first settings,
    # draws its figures, and says why.
    at = open_link({"kh": "99"}, page)
    assert not at.exception
    assert at.get("plotly_chart"), "no figure"
    said = " ".join(w.value for w in at.warning)
    assert t("conv.started_over", problem="").split(":")[0] in said
    assert at.session_state["conv.kh"] == ui.conv.state.CONV_DEFAULTS["conv.kh"]
    at.run()  # the sentence is said once
    assert t("conv.started_over", problem="").split(":")[0] not in " ".join(w.value for w in at.warning)
