"""The training page in a real browser: Train starts the live view, progress and curves move, Stop stops."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    open_app,
    screenshot,
    wait_for_idle,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

PROGRESS = '[data-testid="stProgress"]'
EPOCH = t("train.progress").split("{")[0]  # "Epoch ": the progress text while training
# Points on the held-out accuracy curve: the curves figure is the first chart of the page.
CURVE_POINTS = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  return gd && gd.data && gd.data.length > 4 ? gd.data[4].x.length : 0;
}"""


def _wait_until(condition, timeout_s: float = 40.0, poll_ms: int = 200, page: Any = None) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(poll_ms)


def test_training_runs_live_and_stops(server: str, page: Any) -> None:
    open_app(page, server, "train")
    assert_no_exception(page)
    progress = page.locator(PROGRESS)
    assert progress.inner_text().startswith(t("train.progress_ready", acc="", chance="").split(":")[0])
    assert page.evaluate(CURVE_POINTS) == 1  # the untrained network, measured once

    page.get_by_role("button", name=t("train.start")).click()
    seen = set()

    def moving() -> bool:
        text = progress.inner_text()
        if text.startswith(EPOCH):
            seen.add(text)
        return len(seen) >= 3 and page.evaluate(CURVE_POINTS) >= 3

    _wait_until(moving, page=page)
    # force: while the live view redraws, the page never holds still long enough for Playwright's
    # "stable" check, but the button is there and a person can press it.
    page.get_by_role("button", name=t("train.stop")).click(force=True)
    resume = page.get_by_role("button", name=t("train.resume"))
    resume.wait_for(timeout=20_000)
    wait_for_idle(page)
    stopped, points = progress.inner_text(), page.evaluate(CURVE_POINTS)
    page.wait_for_timeout(2_000)
    assert progress.inner_text() == stopped and page.evaluate(CURVE_POINTS) == points
    assert stopped.startswith(EPOCH) and points >= 3
    assert page.locator(f"{MAIN} [data-testid='stMetric']").count() == 2  # results of the run so far

    page.locator(f"{MAIN} h2", has_text=t("train.live_header")).evaluate("e => e.scrollIntoView()")
    page.wait_for_timeout(300)
    assert_no_exception(page)
    assert_clean_console(page)
    screenshot(page, "train")
