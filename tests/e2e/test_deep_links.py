"""Deep links on a freshly started server: a page opened first by its own URL is the same page.

Right after a restart, Streamlit 1.67 runs a page opened by its URL alone, without app.py (its legacy
multipage mode, TESTING.md), until some session opens the home URL. So on a server no browser has seen,
every page of the registry is first opened by its URL, and only then is home opened and each page
reached from there; the two views must be the same, and shared settings must survive page switches in
both modes. Every page of the registry joins these tests automatically.

One server serves the whole walk (a server per page would cost a restart each): the order matters,
since opening home ends the legacy mode for everyone. The walk costs about two first runs of every page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import (
    MAIN,
    SIDEBAR,
    SIDEBAR_LINKS,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    new_page,
    open_app,
    presentation_switch,
    root_font_px,
    sidebar_links,
    toggle_presentation,
)
from ui.common.frame import PAGES, PageSpec, topic_pages
from ui.common.i18n import t

pytestmark = pytest.mark.e2e


def _target(href: str) -> str:
    """The page a link leads to, as its URL path.

    The home link's href is "" once app.py has run and "home" while Streamlit runs a page alone;
    both open the home page, so both count as "".
    """
    path = urlparse(href).path.strip("/").rsplit("/", 1)[-1]
    return "" if path == "home" else path


def _view(page: Any) -> dict[str, Any]:
    """What a user sees of the frame: address, tab title, heading, navigation and sidebar."""
    links = sidebar_links(page)
    return {
        "path": urlparse(page.url).path,
        "tab title": page.title(),
        "heading": page.locator(f"{MAIN} h1").first.inner_text().strip(),
        "link labels": [label for label, _ in links],
        "link targets": [_target(href) for _, href in links],
        "sidebar": page.locator(SIDEBAR).inner_text(),
    }


def _switch_to(page: Any, spec: PageSpec) -> None:
    """Click the sidebar link to `spec` and wait for the new page's run."""
    click_and_wait(page, page.locator(SIDEBAR_LINKS).nth(PAGES.index(spec)))
    assert_no_exception(page)


def _check_presentation_survives_every_switch(page: Any) -> None:
    """Turn presentation mode on, then visit every page: it stays on and the type stays large."""
    normal = root_font_px(page)
    toggle_presentation(page)
    large = root_font_px(page)
    assert large > normal
    for spec in [*PAGES[1:], PAGES[0]]:
        _switch_to(page, spec)
        assert presentation_switch(page).is_checked(), f"presentation mode was reset on {spec.page_id}"
        assert root_font_px(page) == large, f"type size was reset on {spec.page_id}"


def _open_each_topic_page_first(browser: Any, base_url: str) -> dict[str, dict[str, Any]]:
    """Open every topic page by its URL, each in its own session (legacy mode); return what each shows.

    The pages load side by side (one tab each) to save time; then presentation mode is walked through
    every page in the first tab, still in legacy mode.
    """
    tabs = {spec.page_id: new_page(browser) for spec in topic_pages()}
    for spec in topic_pages():
        tabs[spec.page_id].goto(f"{base_url}/{spec.url_path}", wait_until="commit")
    views = {}
    for spec in topic_pages():
        tab = tabs[spec.page_id]
        open_app(tab, base_url, spec.url_path, navigate=False)
        views[spec.page_id] = _view(tab)
        assert views[spec.page_id]["path"] == f"/{spec.url_path}"
        assert_no_exception(tab)
        assert_clean_console(tab)
    if tabs:
        first = next(iter(tabs.values()))
        _check_presentation_survives_every_switch(first)
        assert_clean_console(first)
    for tab in tabs.values():
        tab.context.close()
    return views


def test_pages_opened_first_by_url_match_pages_reached_from_home(fresh_server: str, browser: Any) -> None:
    deep_views = _open_each_topic_page_first(browser, fresh_server)

    home = new_page(browser)
    open_app(home, fresh_server)  # the home page's own deep link, and the end of the legacy mode
    deep_views[PAGES[0].page_id] = _view(home)
    for spec in PAGES:
        if not spec.is_home:
            _switch_to(home, spec)
        assert _view(home) == deep_views[spec.page_id], f"{spec.page_id} differs when reached from home"
    # Settings across page switches once app.py runs: tests/app/test_home.py (AppTest runs app.py).
    assert_clean_console(home)
    home.context.close()


def test_unknown_path_shows_home_without_traceback(fresh_server: str, page: Any) -> None:
    open_app(page, fresh_server, "nope")

    assert_no_exception(page)
    assert page.locator(f"{MAIN} h1").first.inner_text().strip() == t("app.name")
    assert [label for label, _ in sidebar_links(page)] == [t(spec.title_key) for spec in PAGES]
    # Streamlit's own "Page not found" notice is expected here, and nothing else.
    assert_clean_console(page, "does not seem to exist")
