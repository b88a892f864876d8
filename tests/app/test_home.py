"""AppTest: the app opens on home, every registered page runs in the frame, shared settings work."""

from __future__ import annotations

import pytest

from tests.app.conftest import APP_ROOT, run_page, run_script
from ui.common.frame import _ALL_PAGES, PAGES, PRESENTATION_SCALE, page_spec, topic_pages
from ui.common.i18n import LANGUAGES, STRINGS, t
from ui.common.state import DEFAULTS, bind, widget_key

PAGE_IDS = [spec.page_id for spec in PAGES]


def _heading(spec_id: str) -> str:
    spec = page_spec(spec_id)
    return t("app.name") if spec.is_home else f"{spec.icon} {t(spec.title_key)}"


def _config() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    return tomllib.loads((APP_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def _injected_css(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


# --- the registry ---------------------------------------------------------------------------------------


def test_home_is_the_first_page_and_the_default() -> None:
    assert PAGES[0].page_id == "home"
    assert PAGES[0].is_home
    assert [spec for spec in PAGES if spec.is_home] == [PAGES[0]]


def test_registry_lists_exactly_the_page_files_that_exist() -> None:
    on_disk = sorted(path.relative_to(APP_ROOT).as_posix() for path in (APP_ROOT / "pages").glob("*.py"))
    assert sorted(spec.file for spec in PAGES) == on_disk
    assert all((APP_ROOT / spec.file).is_file() for spec in PAGES)


@pytest.mark.parametrize("spec", _ALL_PAGES, ids=lambda spec: spec.page_id)
def test_every_planned_page_has_a_url_title_blurb_and_emoji(spec) -> None:
    # Legacy mode derives a page's URL from its file name: any other url_path breaks shared links.
    assert spec.url_path == ("" if spec.is_home else spec.page_id)
    assert spec.file == f"pages/{spec.page_id}.py"
    assert spec.title_key in STRINGS
    assert spec.is_home or f"blurb.{spec.page_id}" in STRINGS
    assert spec.icon and not spec.icon.startswith(":material")


def test_registry_ids_are_unique() -> None:
    assert len({spec.page_id for spec in _ALL_PAGES}) == len(_ALL_PAGES)


def test_unknown_page_id_is_refused() -> None:
    with pytest.raises(ValueError, match="nope"):
        page_spec("nope")


def test_unknown_shared_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="DEFAULTS"):
        bind("no_such_setting")


# --- running the app ------------------------------------------------------------------------------------


def test_app_opens_on_the_home_page() -> None:
    at = run_page("home")
    assert not at.exception
    assert at.title[0].value == t("app.name")
    assert t("home.intro") in [markdown.value for markdown in at.markdown]
    assert at.session_state["presentation"] is False
    assert at.session_state["language"] == "en"


def test_home_script_runs_alone() -> None:
    # What Streamlit does with a page opened by its URL on a fresh server (and what an AppTest of one
    # page does): no navigation, so no links, but no exception either.
    at = run_script("home")
    assert not at.exception
    assert at.title[0].value == t("app.name")


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_page_runs_in_the_frame(page_id: str) -> None:
    at = run_page(page_id)
    assert not at.exception
    assert at.title[0].value == _heading(page_id)
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels == [t(spec.title_key) for spec in PAGES]


def test_sidebar_links_lead_to_each_page_url() -> None:
    at = run_page("home")
    links = at.sidebar.get("page_link")
    assert [link.proto.page for link in links] == [spec.url_path for spec in PAGES]
    assert [link.proto.icon for link in links] == [spec.icon for spec in PAGES]


def test_home_has_a_card_for_every_topic_page() -> None:
    at = run_page("home")
    cards = at.main.get("page_link")
    assert [card.proto.label for card in cards] == [t(spec.title_key) for spec in topic_pages()]
    assert len(at.get("image")) == 1


# --- shared settings ------------------------------------------------------------------------------------


def test_defaults_are_plain_values() -> None:
    assert DEFAULTS["language"] in LANGUAGES
    assert DEFAULTS["presentation"] is False


def test_language_select_offers_every_language() -> None:
    at = run_page("home")
    select = at.sidebar.selectbox(key=widget_key("language"))
    assert select.options == list(LANGUAGES.values())
    assert select.value == "en"


def test_presentation_toggle_enlarges_the_type() -> None:
    at = run_page("home")
    assert "html { font-size" not in _injected_css(at)

    at.sidebar.toggle(key=widget_key("presentation")).set_value(True).run()

    assert at.session_state["presentation"] is True
    expected_px = round(_config()["theme"]["baseFontSize"] * PRESENTATION_SCALE)
    assert f"html {{ font-size: {expected_px}px; }}" in _injected_css(at)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_presentation_mode_survives_a_page_switch(page_id: str) -> None:
    at = run_page("home")
    at.sidebar.toggle(key=widget_key("presentation")).set_value(True).run()

    spec = page_spec(page_id)
    at.switch_page(spec.file).run()

    assert not at.exception
    assert at.session_state["presentation"] is True
    assert at.sidebar.toggle(key=widget_key("presentation")).value is True


def test_a_setting_changed_by_code_shows_in_its_widget() -> None:
    at = run_page("home")
    at.sidebar.toggle(key=widget_key("presentation")).set_value(True).run()

    at.session_state["presentation"] = False
    at.run()

    assert at.sidebar.toggle(key=widget_key("presentation")).value is False


def test_config_hides_tracebacks_and_the_automatic_navigation() -> None:
    config = _config()
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showSidebarNavigation"] is False
    assert config["server"]["maxUploadSize"] == 10
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["base"] == "light"
