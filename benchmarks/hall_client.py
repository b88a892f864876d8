"""A lecture-hall student without a browser: one Streamlit session over the app's own websocket protocol.

A browser tab talks to Streamlit over `ws://HOST:PORT/_stcore/stream` (subprotocol "streamlit"): it sends
`BackMsg`s (a `rerun_script` request carrying the page, the widgets' states and the hashes of the
messages it has cached) and reads `ForwardMsg`s (`new_session`, the page's deltas, `script_finished`).
`HallSession` does the same, so a benchmark can open a hall's worth of sessions from one process:

- the first request asks for a page by its URL path (`page_name`), as a tab opening `/<page>` does;
- every `new_element` delta is read for its widgets (id, label, kind), so a control is found by its label;
- a change sends the widget's new value in a rerun request, as the browser does when a control changes;
  the widgets this session changed before are sent again, with their current values;
- like the browser, it remembers the hash of every cacheable message it received and sends those hashes
  with each request: the server then sends a short reference instead of a message the tab already has.

What it leaves out: it renders nothing (a tab's own work is in the browser, not on the server), and it
sends only the widgets it has changed, where a browser sends every widget's state (the server fills in
the others from their defaults, which is what the browser would send for an untouched widget).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

# The element kinds a hall benchmark can change, and the WidgetState field each one's value goes in
# (what the browser sends for it, read from Streamlit's frontend).
VALUE_FIELDS = {
    "number_input": "int_value",
    "slider": "double_array_value",
    "select_slider": "string_array_value",
    "selectbox": "string_value",
    "checkbox": "bool_value",
    "radio": "string_value",
    "button_group": "string_array_value",  # st.segmented_control and st.pills
    "text_input": "string_value",
    "text_area": "string_value",
}
FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


class HallError(RuntimeError):
    """The server answered a session with something a browser would show as a failure."""


@dataclass
class Widget:
    """A control the page drew: its id (the key of its state), its label and its element kind."""

    id: str
    label: str
    kind: str
    proto: object = None  # the element as the page drew it (bounds, options, value)


@dataclass
class RunResult:
    """One script run as the session saw it: its messages and bytes, and whether it ended well."""

    messages: int = 0
    bytes: int = 0
    references: int = 0  # messages the server replaced by a reference to the session's cache
    exceptions: int = 0  # st.exception elements (a traceback the page would show)
    charts: list[str] = field(default_factory=list)  # each Plotly figure's JSON, in page order
    alerts: list[str] = field(default_factory=list)  # the text of each st.error / warning / info


@dataclass
class HallSession:
    """One student's tab: a websocket to the app and what the session has learned of the page."""

    url: str  # ws://host:port/_stcore/stream
    page: str  # the page's URL path ("" for home)
    widgets: dict[str, Widget] = field(default_factory=dict)
    changed: dict[str, WidgetState] = field(default_factory=dict)
    cached_hashes: set[str] = field(default_factory=set)
    headers: dict[str, str] = field(default_factory=dict)
    _ws: object = None

    async def open(self, timeout: float = 120.0) -> RunResult:
        """Connect and load the page (the first script run); returns that run."""
        self._ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            additional_headers=self.headers,
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        )
        await self._send_rerun()
        return await self.wait_finished(timeout)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    def widget(self, label: str) -> Widget:
        """The page's widget whose label starts with `label` (case-insensitive)."""
        for widget in self.widgets.values():
            if widget.label.lower().startswith(label.lower()):
                return widget
        raise HallError(f"no control labelled '{label}' on page '{self.page}': {sorted(self.labels())}")

    def labels(self) -> list[str]:
        return [w.label for w in self.widgets.values()]

    async def change(self, widget: Widget, value: object, timeout: float = 120.0) -> tuple[float, RunResult]:
        """Set a control to `value` as the browser does; returns the seconds until the run finished."""
        state = WidgetState(id=widget.id)
        value_field = VALUE_FIELDS[widget.kind]
        if value_field.endswith("array_value"):
            getattr(state, value_field).data.extend(value if isinstance(value, list) else [value])
        else:
            setattr(state, value_field, value)
        self.changed[widget.id] = state
        start = time.perf_counter()
        await self._send_rerun()
        result = await self.wait_finished(timeout)
        return time.perf_counter() - start, result

    async def send_states(self, states: list[WidgetState], timeout: float = 120.0) -> RunResult:
        """Rerun with these raw widget states, whatever they hold (what a hand-made client can send).

        They replace the states this session sent before, so each call is one tampering on its own.
        """
        self.changed = {state.id: state for state in states}
        await self._send_rerun()
        return await self.wait_finished(timeout)

    def forget_cached_messages(self) -> None:
        """Let the next run send every message in full (as to a fresh tab), not references to sent ones."""
        self.cached_hashes.clear()

    async def rerun(self, timeout: float = 120.0) -> RunResult:
        """Rerun the page with nothing changed (what a click on an unchanged control costs the server)."""
        await self._send_rerun()
        return await self.wait_finished(timeout)

    async def _send_rerun(self) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_name = self.page
        rerun.widget_states.widgets.extend(self.changed.values())
        rerun.cached_message_hashes.extend(sorted(self.cached_hashes))
        await self._ws.send(message.SerializeToString())

    async def wait_finished(self, timeout: float) -> RunResult:
        """Read messages until the script run finishes; learn widgets and cacheable hashes on the way."""
        result = RunResult()
        async with asyncio.timeout(timeout):
            while True:
                raw = await self._ws.recv()
                result.messages += 1
                result.bytes += len(raw)
                message = ForwardMsg()
                message.ParseFromString(raw)
                kind = message.WhichOneof("type")
                if kind == "ref_hash":
                    result.references += 1
                elif kind == "delta":
                    self._read_delta(message, result)
                elif kind == "script_finished":
                    if message.script_finished not in FINISHED_OK:
                        raise HallError(f"script run ended with status {message.script_finished}")
                    return result
                elif kind == "page_not_found":
                    raise HallError(f"page '{self.page}' not found")
                if message.metadata.cacheable and message.hash:
                    self.cached_hashes.add(message.hash)

    def _read_delta(self, message: ForwardMsg, result: RunResult) -> None:
        if message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions += 1
        elif kind == "plotly_chart":
            result.charts.append(element.plotly_chart.spec)
        elif kind == "alert":
            result.alerts.append(element.alert.body)
        elif kind in VALUE_FIELDS:
            proto = getattr(element, kind)
            if kind == "slider" and proto.type == Slider.SELECT_SLIDER:
                kind = "select_slider"  # one proto for both; its state is the option's text
            self.widgets[proto.id] = Widget(proto.id, proto.label, kind, proto)
