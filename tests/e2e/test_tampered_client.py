"""A tampered client: a hand-made websocket client sends widget states no control could send.

The client is the lecture-hall benchmark's (benchmarks/hall_client.py): it speaks Streamlit's own protocol,
so it can put anything in a rerun request. For every page and every control the page draws, it sends each
forgery of that control's kind (a select-slider text or index past its options, a number beyond the
bounds, a text where a number belongs, NaN, an option that does not exist, an array of the wrong length)
and checks that the page answers with its last good page: the run finishes, no exception element, and
every figure is the one the page showed before the forgery (ui/common/widget_guard.py drops the state).
Needs no browser: a real server and a websocket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.hall_client import HallSession, Widget
from tests.e2e.helpers import server_errors, start_server, stop_server
from ui.common.frame import PAGES

T = TypeVar("T")
Forgery = tuple[str, Callable[[WidgetState], None]]


def _number_forgeries(proto: Any) -> list[Forgery]:
    """Numbers past a number input's bounds (an unbounded one has none), NaN, and a text."""
    forgeries: list[Forgery] = [("NaN", lambda s: setattr(s, "double_value", float("nan")))]
    if proto.has_max:
        forgeries.append(("past its maximum", lambda s: setattr(s, "int_value", int(proto.max) + 10**6)))
    if proto.has_min:
        forgeries.append(("below its minimum", lambda s: setattr(s, "int_value", int(proto.min) - 10**6)))
    return forgeries


# Widget kind -> the forgeries of its value that no control of that kind sends.
NOT_TEXT: list[Forgery] = [("a text where it holds none", lambda s: setattr(s, "string_value", "abc"))]
FORGERIES: dict[str, Callable[[Any], list[Forgery]]] = {
    "number_input": lambda proto: [*_number_forgeries(proto), *NOT_TEXT],
    "slider": lambda proto: [
        ("past its maximum", lambda s: s.double_array_value.data.append(proto.max + 10**6)),
        ("NaN", lambda s: s.double_array_value.data.append(float("nan"))),
        ("three values", lambda s: s.double_array_value.data.extend([1.0, 2.0, 3.0])),
        *NOT_TEXT,
    ],
    "select_slider": lambda proto: [
        ("no option's text", lambda s: s.string_array_value.data.append("9999")),
        ("an index past the options", lambda s: s.int_array_value.data.append(len(proto.options) + 1)),
        ("two options", lambda s: s.string_array_value.data.extend(proto.options[:2])),
        *NOT_TEXT,
    ],
    "selectbox": lambda proto: [
        ("no option", lambda s: setattr(s, "string_value", "no such option")),
        ("an index past the options", lambda s: setattr(s, "int_value", len(proto.options) + 1)),
    ],
    "radio": lambda proto: [("no option", lambda s: setattr(s, "string_value", "no such option"))],
    "button_group": lambda proto: [("no option", lambda s: s.string_array_value.data.append("no option"))],
    "checkbox": lambda proto: [("a number", lambda s: setattr(s, "int_value", 7)), *NOT_TEXT],
    "text_input": lambda proto: [("a number", lambda s: setattr(s, "double_value", 1.5))],
    "text_area": lambda proto: [("a number", lambda s: setattr(s, "double_value", 1.5))],
}


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the client's coroutine in a thread of its own: Playwright's sync API, used by the other e2e
    tests of the session, keeps an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _forged(widget: Widget, fill: Callable[[WidgetState], None]) -> WidgetState:
    state = WidgetState(id=widget.id)
    fill(state)
    return state


@pytest.fixture(scope="module")
def stream_url() -> Iterator[str]:
    """A server of its own (no browser needed); fails on any traceback in its log afterwards."""
    process, base_url, log_path = start_server()
    try:
        yield base_url.replace("http://", "ws://") + "/_stcore/stream"
    finally:
        stop_server(process)
    errors = server_errors(log_path)
    log = log_path.read_text(errors="replace")
    log_path.unlink(missing_ok=True)
    assert not errors, f"the server logged errors:\n{log[-5000:]}"


async def _forge_every_control(url: str, page: str) -> list[str]:
    """Send every forgery to every control of `page`; return what went wrong (empty when nothing did)."""
    session = HallSession(url, page)
    first = await session.open()
    problems = [f"{page}: the first run showed an exception"] if first.exceptions else []
    session.forget_cached_messages()
    good = await session.send_states([])
    assert good.charts or page in ("", "chain_rule"), f"no figure on {page!r} to compare"
    widgets = list(session.widgets.values())
    try:
        for widget in widgets:
            for name, fill in FORGERIES[widget.kind](widget.proto):
                session.forget_cached_messages()
                result = await session.send_states([_forged(widget, fill)])
                where = f"{page or 'home'}: '{widget.label}' ({widget.kind}) given {name}"
                if result.exceptions:
                    problems.append(f"{where}: an exception element")
                if result.charts != good.charts:
                    problems.append(f"{where}: the figures changed")
    finally:
        await session.close()
    return problems


@pytest.mark.parametrize("page", [spec.url_path for spec in PAGES], ids=[s.page_id for s in PAGES])
def test_forged_widget_states_leave_the_last_good_page(stream_url: str, page: str) -> None:
    problems = _run(_forge_every_control(stream_url, page))
    assert not problems, "\n".join(problems)


def test_the_forged_select_slider_index_of_the_issue(stream_url: str) -> None:
    """The case issue 13 measured: the forward page's "Working size" given an index past its 14 options."""

    async def forge() -> tuple[int, bool]:
        session = HallSession(stream_url, "forward")
        await session.open()
        session.forget_cached_messages()
        good = await session.send_states([])
        size = session.widget("Working size")
        session.forget_cached_messages()
        forged = await session.send_states([_forged(size, lambda s: s.int_array_value.data.append(14))])
        await session.close()
        return forged.exceptions, forged.charts == good.charts

    exceptions, same_figures = _run(forge())
    assert exceptions == 0
    assert same_figures
