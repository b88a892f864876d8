"""The app in Chinese, in a real browser: a Chinese browser gets Chinese, an English one English, a link's
language wins over the browser's, and a lecture walks through in Chinese: the forward tour, the backward
page's views and tour, presentation mode, and the language switch back to English."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlparse

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
    root_font_px,
    screenshot,
    wait_for_idle,
)
from ui.common.i18n import STRINGS

pytestmark = pytest.mark.e2e

# Plotly's Pause, or a rerun replacing a playing figure, rejects its animation promise (TESTING.md).
PAUSE_REJECTION = "pageerror: undefined"


def zh(key: str, **fields: object) -> str:
    return STRINGS[key]["zh"].format(**fields)


def en(key: str, **fields: object) -> str:
    return STRINGS[key]["en"].format(**fields)


def heading(page: Any) -> str:
    return page.locator(f"{MAIN} h1").first.inner_text()


def in_main(page: Any, text: str) -> Any:
    return page.locator(MAIN).get_by_text(text, exact=False)


@pytest.mark.parametrize(
    ("locale", "title"), [("zh-CN", "app.name"), ("en-GB", "app.name")], ids=["chinese", "english"]
)
def test_the_browsers_language_is_the_default(server: str, browser: Any, locale: str, title: str) -> None:
    page = new_page(browser, locale=locale)
    open_app(page, server, "")
    assert (zh if locale.startswith("zh") else en)(title) in heading(page)
    words = zh if locale.startswith("zh") else en
    language = page.locator(SIDEBAR).get_by_role("combobox", name=words("sidebar.language"), exact=True)
    assert language.input_value() == ("简体中文" if locale.startswith("zh") else "English")
    assert_no_exception(page)
    assert_clean_console(page)
    page.context.close()


def test_a_links_language_wins_over_the_browsers(server: str, browser: Any) -> None:
    page = new_page(browser, locale="en-US")
    open_app(page, server, "backward?language=zh")
    assert zh("page.backward") in heading(page)
    links = [link.inner_text() for link in page.locator(SIDEBAR_LINKS).all()]
    assert zh("page.forward") in " ".join(links)
    assert_no_exception(page)
    page.context.close()


def test_a_lecture_in_chinese(server: str, browser: Any) -> None:
    page = new_page(browser, locale="zh-CN")
    open_app(page, server, "forward")
    assert zh("page.forward") in heading(page)

    # The forward page's tour, in Chinese.
    click_and_wait(page, page.locator(MAIN).get_by_role("button", name=zh("tour.start"), exact=True))
    assert in_main(page, zh("tour.progress", k=1, n=7)).count() == 1
    assert in_main(page, zh("tour.forward.padding.title")).count() >= 1
    click_and_wait(
        page, page.locator(MAIN).get_by_role("button", name=re.compile("^" + re.escape(zh("tour.next"))))
    )
    assert in_main(page, zh("tour.progress", k=2, n=7)).count() == 1
    assert_no_exception(page)
    screenshot(page, "chinese-forward-tour")

    # On to the backward page by its Chinese link; its views and its tour.
    link = page.locator(SIDEBAR_LINKS).filter(has_text=zh("page.backward")).first
    click_and_wait(page, link)
    page.wait_for_selector(f"{MAIN} h1:has-text('{zh('page.backward')}')")
    wait_for_idle(page, timeout_ms=60_000)
    gather = page.locator(MAIN).get_by_role("radio", name=zh("backward.view.gather"), exact=True)
    click_and_wait(page, gather)
    page.wait_for_selector('[class*="st-key-backward-chart-gather"] .main-svg', timeout=60_000)
    assert in_main(page, zh("backward.gather_equal", gap="", total="").split("：")[0]).count() == 1
    click_and_wait(page, page.locator(MAIN).get_by_role("radio", name=zh("backward.view.steps"), exact=True))
    click_and_wait(page, page.locator(MAIN).get_by_role("button", name=zh("tour.start"), exact=True))
    assert in_main(page, zh("tour.backward.loss.title")).count() >= 1
    assert dict(parse_qsl(urlparse(page.url).query)).get("tour") == "1"
    assert_no_exception(page)
    screenshot(page, "chinese-backward-tour")

    # Presentation mode in Chinese: larger type.
    root = root_font_px(page)
    page.goto(f"{server}/backward?language=zh&presentation=1", wait_until="commit")
    open_app(page, server, navigate=False)
    assert zh("page.backward") in heading(page)
    assert root_font_px(page) > 1.2 * root
    assert_no_exception(page)
    screenshot(page, "chinese-backward-presentation")
    assert_clean_console(page, PAUSE_REJECTION)
    page.context.close()
