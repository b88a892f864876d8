"""Helpers for real-browser tests: start and stop the app, wait for a script run, check the page.

Import them in e2e tests (`from tests.e2e.helpers import open_app, wait_for_idle, ...`); the fixtures
that use them (`server`, `fresh_server`, `browser`, `page`) live in tests/e2e/conftest.py.
Selectors and timings follow TESTING.md.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser fixture skips (or fails under CI) with the reason
    PlaywrightTimeoutError = TimeoutError

APP_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = APP_ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A projector-sized window: what a lecture shows.
VIEWPORT = {"width": 1600, "height": 900}
STARTUP_SECONDS = 30.0
# Generous: a first run of a page on a busy machine (parallel test runs) measured 15 s; a timeout only
# matters when something is broken.
TIMEOUT_MS = 60_000
# The pattern of Streamlit's own e2e tests: the script run has finished and the websocket is up.
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
EXCEPTION = '[data-testid="stException"]'
# Placeholder of an element whose code the browser is still loading (measured: after the first run of a
# page in a cold browser, widgets stay skeletons for ~0.7 s after the run has finished).
SKELETON = '[data-testid="stSkeleton"]'
# The frame draws the navigation itself (client.showSidebarNavigation = false), as st.page_link.
SIDEBAR_LINKS = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebarUserContent"]'

# Console noise known to be harmless (TESTING.md): a page opened by its own URL first probes
# /<page>/_stcore/health and /<page>/_stcore/host-config (404); Material icons fetch fonts that fail
# offline; Plotly's Pause rejects the running animation's promise.
HARMLESS_CONSOLE = (
    re.compile(r"/_stcore/(health|host-config)\]$"),
    re.compile(r"fonts\.(googleapis|gstatic)\.com|materialsymbols", re.IGNORECASE),
    re.compile(r"Plotly\.animate rejected"),
)


def missing(reason: str) -> None:
    """Skip the test for a missing tool, or fail it under CI (`CI=true`), where e2e tests must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the e2e tests must run here)")
    pytest.skip(reason)


def free_port() -> int:
    """Return a TCP port of the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_server(app_root: Path = APP_ROOT) -> tuple[subprocess.Popen, str, Path]:
    """Start `streamlit run app.py` on a free loopback port, in its own process group; wait until healthy.

    Returns:
        The process, the base URL ("http://127.0.0.1:<port>") and the path of the server's log.
    """
    port = free_port()
    handle, name = tempfile.mkstemp(prefix="cnn-explorer-e2e-", suffix=".log")
    os.close(handle)
    log_path = Path(name)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    with log_path.open("wb") as log:
        # A new session (process group): stopping the group takes streamlit's children, never pytest.
        process = subprocess.Popen(
            command, cwd=app_root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            pytest.fail(f"streamlit did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    return process, base_url, log_path


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL if it still runs after 10 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def server_errors(log_path: Path) -> list[str]:
    """Return the lines of the server log that report an uncaught exception or a traceback."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return [line for line in text.splitlines() if "Traceback" in line or "Uncaught app exception" in line]


class ConsoleLog:
    """The console errors and uncaught script errors of one browser page, collected as they happen."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        text = f"{message.text} [{where}]"
        if not any(pattern.search(text) for pattern in HARMLESS_CONSOLE):
            self.errors.append(text)

    def unexpected(self, *allowed: str) -> list[str]:
        """Return the collected errors that contain none of the `allowed` substrings."""
        return [error for error in self.errors if not any(part in error for part in allowed)]


_CONSOLES: WeakKeyDictionary[Any, ConsoleLog] = WeakKeyDictionary()


class RunLog:
    """How many script runs the server has finished for one browser page: its `script_finished` messages.

    Read from the app's websocket itself: the page's `data-test-script-state` attribute can miss a run
    altogether when the run's start and end reach the browser in one batch (React renders only the last
    state; measured: an Enter in the chain rule's text box, now and then under load).
    """

    def __init__(self, page: Any) -> None:
        self.finished = 0
        page.on("websocket", self._on_socket)

    def _on_socket(self, socket: Any) -> None:
        if socket.url.endswith("/_stcore/stream"):
            socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        try:
            message.ParseFromString(payload)
        except DecodeError:
            return
        if message.WhichOneof("type") == "script_finished":
            self.finished += 1


_RUNS: WeakKeyDictionary[Any, RunLog] = WeakKeyDictionary()


def new_page(browser: Any, locale: str = "en-US") -> Any:
    """Open a page in a new browser context (a separate user: own cookies, own Streamlit session).

    Its console is watched from the start; close it with `page.context.close()`.

    Args:
        locale: the browser's language (what the app reads as `st.context.locale`).
    """
    page = browser.new_context(viewport=VIEWPORT, locale=locale).new_page()
    _CONSOLES[page] = ConsoleLog(page)
    _RUNS[page] = RunLog(page)
    return page


def wait_for_idle(
    page: Any, timeout_ms: float = TIMEOUT_MS, start_ms: float = 100, paint_ms: float = 50
) -> None:
    """Wait until the app's script run has finished, the websocket is connected and every element is drawn.

    `start_ms` first gives an interaction time to start its rerun (the state still reads "notRunning"
    for a moment after a click; `click_and_wait` watches for the run instead); `paint_ms` afterwards
    gives the browser time to paint.
    """
    page.wait_for_timeout(start_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(f"!document.querySelector('{SKELETON}')", timeout=timeout_ms)
    page.wait_for_timeout(paint_ms)


def open_app(page: Any, base_url: str, url_path: str = "", *, navigate: bool = True) -> None:
    """Open `<base_url>/<url_path>` and wait for its first script run to finish.

    With `navigate=False` the page is already on its way there (a `goto` issued earlier): only wait.
    """
    # No need to wait for the load event: the app is ready when its first script run has finished.
    # The state reads "notRunning" also for a moment before that run starts, so first wait for the
    # page's heading (every page's frame draws one), then for the end of the run.
    if navigate:
        page.goto(f"{base_url}/{url_path}", wait_until="commit")
    page.wait_for_selector(f"{MAIN} h1", timeout=TIMEOUT_MS)
    wait_for_idle(page, start_ms=0)


# Records, from before an interaction, that a script run started (the state attribute left "notRunning").
# A MutationObserver cannot miss a run, however short; polling the attribute after the click could.
_WATCH_RUN = """() => {
    window.__cnnRunStarted = false;
    const observer = new MutationObserver(records => {
        const state = r => r.target.getAttribute(r.attributeName);
        if (records.some(r => r.oldValue !== 'notRunning' || state(r) !== 'notRunning')) {
            window.__cnnRunStarted = true;
            observer.disconnect();
        }
    });
    observer.observe(document.body, {
        subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state'],
    });
}"""


def click_and_wait(page: Any, locator: Any, timeout_ms: float = TIMEOUT_MS, start_ms: float = 5_000) -> None:
    """Click `locator` and wait for the script run it starts (a widget, a page link) to end.

    A click that starts no run within `start_ms` (an expander, a Plotly button) just waits for idle.
    """
    page.evaluate(_WATCH_RUN)
    locator.click()
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function("window.__cnnRunStarted === true", timeout=start_ms)
    wait_for_idle(page, timeout_ms=timeout_ms, start_ms=0)


@contextlib.contextmanager
def run_follows(page: Any, timeout_ms: float = TIMEOUT_MS) -> Iterator[None]:
    """Around actions that must start a script run (typing a new value, an upload, a click on a figure):
    afterwards wait until that run has ended, however late a busy machine starts it, and the page is drawn.

    A state, not a delay: the server's `script_finished` message for the run (`RunLog`). The page's own
    state attribute reads "notRunning" both before a run starts and after it ends, so a fixed pause before
    waiting for it could return before the run even began. A page not opened by `new_page` has no log:
    its attribute's changes are watched instead.
    """
    log = _RUNS.get(page)
    if log is None:
        page.evaluate(_WATCH_RUN)
        yield
        page.wait_for_function("window.__cnnRunStarted === true", timeout=timeout_ms)
    else:
        before = log.finished
        yield
        deadline = time.monotonic() + timeout_ms / 1000
        while log.finished == before:
            assert time.monotonic() < deadline, f"no script run ended within {timeout_ms / 1000:.0f} s"
            page.wait_for_timeout(50)  # Playwright hands over the websocket's messages while it waits
    wait_for_idle(page, timeout_ms=timeout_ms, start_ms=0)


def assert_no_exception(page: Any) -> None:
    """Fail when the page shows an exception box (a traceback or Streamlit's generic error message)."""
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, f"exception shown: {boxes.first.inner_text()}"


def assert_clean_console(page: Any, *allowed: str) -> None:
    """Fail on console errors other than the known harmless ones and those containing an `allowed` text."""
    unexpected = _CONSOLES[page].unexpected(*allowed) if page in _CONSOLES else []
    assert not unexpected, f"console errors: {unexpected}"


def sidebar_links(page: Any) -> list[tuple[str, str]]:
    """Return (label, href) of each page link in the sidebar, in order (the icon is left out)."""
    links = page.locator(SIDEBAR_LINKS)
    return [
        (links.nth(i).inner_text().split("\n")[-1].strip(), links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    ]


def _presentation_role(page: Any) -> Any:
    from ui.common.i18n import t

    return page.get_by_role("switch", name=t("sidebar.presentation"), exact=True)


def presentation_switch(page: Any) -> Any:
    """Return the sidebar's presentation-mode toggle (a switch named by its translated label)."""
    return page.locator(SIDEBAR).locator(_presentation_role(page))


def toggle_presentation(page: Any) -> None:
    """Click the presentation-mode toggle (its label: the label takes the click, not the hidden input)."""
    click_and_wait(page, page.locator(SIDEBAR).locator("label", has=_presentation_role(page)))


def root_font_px(page: Any) -> float:
    """Return the root font size in CSS pixels (presentation mode raises it)."""
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def screenshot(page: Any, name: str) -> Path:
    """Save the visible window as screenshots/<name>.png (a git-ignored folder) and return the path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def set_number(page: Any, container: str, label: str, value: float) -> None:
    """Type a value into the number input labelled `label` inside `container` and wait for its rerun."""
    box = page.locator(container).get_by_label(label, exact=True)
    if box.input_value() == str(value):
        return  # no change, no run
    with run_follows(page):
        box.fill(str(value))
        box.press("Enter")


def window_path(page: Any, figure: str) -> str:
    """Where an animation's window (its first layout shape) is drawn now: its path or its corner."""
    script = "(sel) => { const s = document.querySelector(sel).layout.shapes[0];"
    script += " return s.path || `${s.x0},${s.y0}`; }"
    return page.evaluate(script, figure)
