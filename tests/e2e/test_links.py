"""Shareable links in a real browser: a link restores every setting in a new browser, on a fresh server.

A lecturer prepares a link the day before; the next morning the server has been restarted and the
students open it in their own browsers. So the link is first opened on a server no browser has seen,
by the forward page's own URL (Streamlit's legacy mode, TESTING.md), in a new browser context; the
settings must survive page switches (Streamlit drops the query on a switch; the app writes it again),
and the link the page offers to copy must reproduce the view in yet another browser context.
"""

from __future__ import annotations

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
    run_follows,
)
from ui.common.frame import PAGES
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

ANIMATION = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'
LINK = {
    "sample": "stripes",
    "size": "24",
    "kh": "5",
    "k0.kind": "gaussian_blur",
    "k0.bias": "0.5",
    "seed": "7",
    "activation": "relu",
    "stride_h": "2",
    "pad_h": "2",
    "pad_mode": "reflect",
    "dil_h": "2",
    "step": "4",
    "tour": "3",
}


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlparse(url).query))


def number(page: Any, label: str) -> str:
    return page.locator(SIDEBAR).get_by_label(label, exact=True).input_value()


def select_text(page: Any, label: str) -> str:
    """The option a sidebar select box shows (its combobox input holds the option's label)."""
    return page.locator(SIDEBAR).get_by_role("combobox", name=label, exact=True).input_value()


def assert_view_of_link(page: Any, seed: str = LINK["seed"]) -> None:
    """The page shows what LINK describes: sidebar widgets, the animation's step and the tour's step."""
    assert t("sample.stripes") == select_text(page, t("conv.sample"))
    assert t("preset.gaussian_blur") == select_text(page, t("conv.kind", n=1))
    assert t("act.relu") == select_text(page, t("conv.activation"))
    assert t("conv.pad_mode.reflect") == select_text(page, t("conv.pad_mode"))
    assert number(page, t("conv.stride")) == "2"
    assert number(page, t("conv.pad")) == "2"
    assert number(page, t("conv.dilation")) == "2"
    assert number(page, t("conv.seed")) == seed
    assert number(page, t("conv.bias", n=1)) == "0.50"
    assert page.locator(MAIN).get_by_text(t("tour.progress", k=3, n=7)).count() == 1
    # Input 16×24, K = 5 at dilation 2 (reach 9), padding 2, stride 2: output 6×10.
    assert page.get_by_text("output 1×6×10", exact=False).count() > 0
    step_box = page.locator(MAIN).get_by_label(t("forward.step"), exact=False)
    assert step_box.input_value() == "5"  # steps count from 1 on the page, from 0 in the link


DIALOG = '[data-testid="stDialog"]'


def share_link(page: Any) -> str:
    """Press the sidebar's "Share this view" button and read the link its dialog offers."""
    click_and_wait(page, page.locator(SIDEBAR).get_by_role("button", name=f"🔗 {t('sidebar.share')}"))
    code = page.locator(f'{DIALOG} [data-testid="stCode"]')
    code.wait_for()
    return code.inner_text().strip()


def test_a_link_restores_the_view_in_new_browsers_on_a_fresh_server(fresh_server: str, browser: Any) -> None:
    query = "&".join(f"{name}={value}" for name, value in LINK.items())
    first = new_page(browser)
    open_app(first, fresh_server, f"forward?{query}")
    first.wait_for_selector(f"{ANIMATION} .main-svg")
    assert_no_exception(first)
    assert_view_of_link(first)
    assert query_of(first.url) == LINK

    # Streamlit drops the query on a page switch; the app writes it again, on every page.
    home = [spec.page_id for spec in PAGES].index("home")
    click_and_wait(first, first.locator(SIDEBAR_LINKS).nth(home))
    assert query_of(first.url) == {name: value for name, value in LINK.items() if name != "tour"}
    forward = [spec.page_id for spec in PAGES].index("forward")
    click_and_wait(first, first.locator(SIDEBAR_LINKS).nth(forward))
    first.wait_for_selector(f"{ANIMATION} .main-svg")
    assert_view_of_link(first)

    # A change on the page changes the address bar and the link offered for copying.
    box = first.locator(SIDEBAR).get_by_label(t("conv.seed"), exact=True)
    with run_follows(first):
        box.fill("11")
        box.press("Enter")
    assert query_of(first.url)["seed"] == "11"
    copied = share_link(first)
    assert urlparse(copied).path == "/forward"
    assert query_of(copied) == query_of(first.url)
    assert_clean_console(first)

    # The copied link in another browser (a student's): the same view, with the change.
    second = new_page(browser)
    second.goto(copied, wait_until="commit")
    open_app(second, fresh_server, navigate=False)
    second.wait_for_selector(f"{ANIMATION} .main-svg")
    assert_view_of_link(second, seed="11")
    assert_no_exception(second)
    assert_clean_console(second)
    for page in (first, second):
        page.context.close()


def test_a_hostile_link_shows_the_page(server: str, page: Any) -> None:
    open_app(
        page, server, "forward?size=abc&kh=999&k0.kind=%3Cscript%3Ealert(1)%3C/script%3E&stride_h=-3&step=x"
    )
    assert_no_exception(page)
    assert page.locator(f"{MAIN} h1").first.inner_text().strip().endswith(t("page.forward"))
    # Out of bounds: clamped into the widgets' range, which makes an 11×11 kernel the preset refuses; with
    # nothing that worked before, the page opens with its first settings and says why.
    assert page.locator(SIDEBAR).get_by_label(t("conv.stride"), exact=True).input_value() == "1"
    started_over = t("conv.started_over", problem="").split(":")[0]
    assert page.locator('[data-testid="stAlert"]').filter(has_text=started_over).count() == 1
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert query_of(page.url) == {}
    assert_clean_console(page)


def test_an_uploaded_image_is_said_not_to_travel(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    click_and_wait(page, page.locator(SIDEBAR).get_by_text(t("conv.source.upload"), exact=True))
    share_link(page)
    assert page.locator(DIALOG).get_by_text(t("sidebar.share_upload")).count() == 1
    assert "source" not in query_of(page.url)


BACKWARD_LINK = {
    "language": "zh",
    "presentation": "1",
    "sample": "checkerboard",
    "backward.loss": "impulse",
    "backward.cell_i": "5",
    "backward.cell_j": "7",
    "backward.view": "gather",
    "tour": "7",
}


def test_a_lecture_link_to_the_backward_page_in_chinese(server: str, browser: Any) -> None:
    """The issue's lecture: a link prepared the day before opens the backward page in presentation mode,
    in Chinese, at the tour's last step in the gather view; the link it offers reproduces it."""
    from tests.e2e.helpers import root_font_px
    from ui.common.i18n import STRINGS

    def zh(key: str, **fields: object) -> str:
        return STRINGS[key]["zh"].format(**fields)

    query = "&".join(f"{name}={value}" for name, value in BACKWARD_LINK.items())
    page = new_page(browser, locale="en-US")
    open_app(page, server, f"backward?{query}")
    page.wait_for_selector('[class*="st-key-backward-chart-gather"] .main-svg', timeout=60_000)
    assert_no_exception(page)
    assert zh("page.backward") in page.locator(f"{MAIN} h1").first.inner_text()
    assert root_font_px(page) > 20  # presentation mode's type
    main = page.locator(MAIN)
    assert (
        main.get_by_role("radio", name=zh("backward.view.gather"), exact=True).get_attribute("aria-checked")
        == "true"
    )
    assert main.get_by_role("radio", name=zh("backward.loss.impulse"), exact=True).is_checked()
    assert main.get_by_text(zh("tour.progress", k=7, n=7)).count() == 1
    assert main.get_by_text(zh("tour.backward.gather.title")).count() >= 1
    # The address bar keeps the link, plus the gather view's pixel once the page has placed it (−1, "the
    # middle", becomes the middle's row and column).
    assert BACKWARD_LINK.items() <= query_of(page.url).items()

    # The link offered for copying opens the same view in another browser.
    page.get_by_test_id("stExpandSidebarButton").click()
    click_and_wait(page, page.locator(SIDEBAR).get_by_role("button", name=f"🔗 {zh('sidebar.share')}"))
    code = page.locator(f'{DIALOG} [data-testid="stCode"]')
    code.wait_for()
    copied = code.inner_text().strip()
    assert urlparse(copied).path == "/backward"
    assert query_of(copied) == query_of(page.url)
    assert_clean_console(page)
    page.context.close()
