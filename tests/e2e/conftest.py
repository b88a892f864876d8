"""Fixtures for real-browser tests: the app under `streamlit run`, and headless Chromium via Playwright.

Without Chromium or Playwright the e2e tests are skipped with the reason, except under `CI=true`,
where that is a failure: CI must not pass by testing nothing. Helpers are in tests/e2e/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    missing,
    new_page,
    server_errors,
    start_server,
    stop_server,
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (the system's /usr/bin/chromium) driven by Playwright's sync API."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed (pip install -r requirements-dev.txt)")
    if not Path(CHROMIUM).is_file():
        missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            missing(f"Chromium did not start: {error}")
        yield chromium
        chromium.close()


def _serve() -> Iterator[str]:
    """Run the app while the fixture lives; afterwards fail on any traceback in its log.

    The browser shows no traceback (client.showErrorDetails = "none"), so the log is where an error
    raised in a callback or a page would otherwise go unnoticed.
    """
    process, base_url, log_path = start_server()
    try:
        yield base_url
    finally:
        stop_server(process)
    errors = server_errors(log_path)
    log = log_path.read_text(errors="replace")
    log_path.unlink(missing_ok=True)
    if errors:
        pytest.fail(f"the server logged errors:\n{log[-5000:]}")


# The servers ask for `browser` first so that a machine without a browser skips before starting one.


@pytest.fixture(scope="session")
def server(browser: Any) -> Iterator[str]:
    """The app, started once for the whole test session: yields its base URL."""
    yield from _serve()


@pytest.fixture
def fresh_server(browser: Any) -> Iterator[str]:
    """A newly started app that no browser has opened yet (Streamlit's state right after a restart)."""
    yield from _serve()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in its own browser context (its own Streamlit session), its console watched from the start."""
    opened = new_page(browser)
    yield opened
    opened.context.close()
