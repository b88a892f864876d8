"""The home page in a real browser: it renders, links every page, and presentation mode enlarges it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    open_app,
    presentation_switch,
    root_font_px,
    screenshot,
    sidebar_links,
    toggle_presentation,
)
from ui.common.frame import PAGES, topic_pages
from ui.common.i18n import t

pytestmark = pytest.mark.e2e


def test_home_renders_title_links_and_picture(server: str, page: Any) -> None:
    open_app(page, server)

    assert page.title() == t("app.name")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip() == t("app.name")
    assert [label for label, _ in sidebar_links(page)] == [t(spec.title_key) for spec in PAGES]
    main_links = page.locator(f'{MAIN} [data-testid="stPageLink-NavLink"]')
    assert main_links.count() == len(topic_pages())
    picture = page.locator(f"{MAIN} img").first
    picture.wait_for()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    # The forward pass at work: an animated GIF of the forward page's first setup, on the first screen.
    kind = picture.evaluate("async img => (await fetch(img.src)).headers.get('content-type')")
    assert kind == "image/gif"
    assert picture.get_attribute("alt") == t("home.preview_alt")
    box = picture.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    assert_no_exception(page)
    assert_clean_console(page)
    screenshot(page, "home")


def test_presentation_mode_enlarges_the_type(server: str, page: Any) -> None:
    open_app(page, server)
    normal = root_font_px(page)

    toggle = presentation_switch(page)
    toggle_presentation(page)
    assert toggle.is_checked()
    assert root_font_px(page) > 1.2 * normal
    screenshot(page, "home-presentation")

    toggle_presentation(page)
    assert root_font_px(page) == normal
    assert_no_exception(page)
    assert_clean_console(page)
