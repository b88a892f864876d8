"""Run the app's scripts with Streamlit's AppTest (no browser, a fraction of a second a page).

`run_page("forward")` runs app.py (the navigation) and switches to pages/forward.py, the way a user
reaches it; `run_script("forward")` runs pages/forward.py alone, the way Streamlit runs a page opened
by its URL on a fresh server. Both accept session state to set first. Import them in any AppTest test:
`from tests.app.conftest import run_page, run_script`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from ui.common.frame import page_spec

APP_ROOT = Path(__file__).resolve().parents[2]
# The first run in a process imports streamlit, numpy and the engine: allow well over AppTest's 3 s.
TIMEOUT_S = 30


@pytest.fixture(autouse=True, scope="session")
def readable_exceptions() -> Iterator[None]:
    """Let `at.exception` carry the real message and traceback in tests.

    The app's config hides them from browsers (client.showErrorDetails = "none"); a failing test
    should say what went wrong instead of Streamlit's generic sentence.
    """
    shipped = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shipped)


def _set_state(at: AppTest, state: dict[str, Any] | None) -> None:
    for name, value in (state or {}).items():
        at.session_state[name] = value


def run_page(page_id: str, state: dict[str, Any] | None = None) -> AppTest:
    """Run app.py, then switch to the page `page_id` (its file stem), with `state` set before the first run.

    Returns:
        The AppTest after the page's run.
    """
    at = AppTest.from_file(str(APP_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    _set_state(at, state)
    at.run()
    spec = page_spec(page_id)
    if not spec.is_home:
        at.switch_page(spec.file).run()
    return at


def run_script(page_id: str, state: dict[str, Any] | None = None) -> AppTest:
    """Run pages/<page_id>.py alone (no navigation), with `state` set before the run.

    Returns:
        The AppTest after the run.
    """
    at = AppTest.from_file(str(APP_ROOT / page_spec(page_id).file), default_timeout=TIMEOUT_S)
    _set_state(at, state)
    return at.run()


def formulas(at: AppTest) -> list[str]:
    """Every display formula on the page: `st.latex` elements and `$$…$$` inside Markdown (the pages
    send a title and its formulas as one Markdown element)."""
    return [e.value for e in at.latex] + [e.value for e in at.markdown if "$$" in e.value]
