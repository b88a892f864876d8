"""Widget states a browser could never send are dropped before they reach a page (a tampered client).

A tab sends each control's state in a rerun request (`BackMsg.rerun_script.widget_states`), and Streamlit
1.67 trusts its kind and value: a text where a number input expects a number makes its deserializer raise
before the page's script starts (`int("abc")`, measured with benchmarks/hall_client.py), so the session gets
an exception element and a blank page; a selectbox given a text that is none of its options hands that text
to the page as the widget's value; a number beyond a number input's bounds is reset to the widget's
default, not to what the student had. The browser's own controls never send any of these, so such a state
comes from a hand-made client: it is dropped, and the widget keeps its previous value, the way Streamlit
itself treats a forged value of a disabled widget (`SessionState.register_widget`). The page then answers
with its last good picture.

Two places, because a state reaches the page by two paths:
- `set_widgets_from_proto` stores the request's states before the callbacks run; a widget drawn by the
  previous run has its metadata already, so its state is checked there, before a callback or the page
  reads it (`st.session_state[key]` before the widget is drawn);
- `register_widget` draws a widget: a state sent for a widget the session had not drawn yet (its id is a
  hash anyone can compute) is checked there, against the widget as it is drawn now.

Only plain values are checked (numbers, texts, booleans and their arrays): uploads, camera pictures and
button triggers have deserializers with side effects and are left as Streamlit handles them.
`tests/e2e/test_tampered_client.py` holds this against a real server, so an upgrade of Streamlit that
moves these methods fails there, not in a lecture.
"""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from streamlit.elements.widgets.checkbox import CheckboxSerde
from streamlit.elements.widgets.number_input import NumberInputSerde
from streamlit.elements.widgets.select_slider import SelectSliderSerde
from streamlit.elements.widgets.slider import SliderSerde
from streamlit.runtime.state.common import unpack_widget_state_value
from streamlit.runtime.state.session_state import Serialized, SessionState

_LOG = logging.getLogger(__name__)

# The WidgetState value fields whose deserializers are pure: checked by deserializing them once more.
PLAIN_FIELDS = frozenset(
    {
        "bool_value",
        "int_value",
        "double_value",
        "string_value",
        "int_array_value",
        "double_array_value",
        "string_array_value",
    }
)
# The widgets whose deserializers repair a value no control sends instead of refusing it (a number past
# the bounds becomes the default, a select-slider text that is no option the default option, a number sent
# to a checkbox True): a state of theirs must read back as itself. Others (a chart's selection, JSON)
# serialize in a spelling of their own.
REPAIRING_SERDES = (NumberInputSerde, SliderSerde, SelectSliderSerde, CheckboxSerde)
_INSTALLED_FLAG = "_cnn_explorer_widget_guard"


def usable(metadata: Any, state: Any, *, exact: bool) -> bool:
    """Whether a widget state is one the widget's own control could have sent.

    Args:
        metadata: the widget's `WidgetMetadata` (its deserializer knows its kind, bounds and options).
        state: the `WidgetState` proto the client sent for it.
        exact: the widget is the one the client drew: its control sends only values the widget reads back
            as themselves, so a value Streamlit repairs (a number beyond the bounds, which it resets to
            the default; a select-slider text that is no option) is refused too. Off for a widget drawn
            anew, whose bounds may have moved since the client sent its state (the page clips those).

    Returns:
        False when the deserializer refuses it, or it names a value that is not one of the widget's
        options (a selectbox, radio or segmented control that accepts no new options), or (`exact`) it is
        not read back as itself; True otherwise, and for states that are not plain values.
    """
    if state.WhichOneof("value") not in PLAIN_FIELDS:
        return True
    raw = unpack_widget_state_value(state)
    serde = getattr(metadata.deserializer, "__self__", None)
    try:
        value = metadata.deserializer(raw)
        if exact and isinstance(serde, REPAIRING_SERDES) and not _same(metadata.serializer(value), raw):
            return False
    except Exception:  # any failure of Streamlit's deserializer means a forged state
        return False
    options = getattr(serde, "options", None)
    if options is None or getattr(serde, "accept_new_options", False) or value is None:
        return True
    values = value if isinstance(value, (list, tuple)) and not isinstance(options, dict) else [value]
    try:
        return all(any(v is option or v == option for option in options) for v in values)
    except Exception:  # options that cannot be compared: left to Streamlit
        return True


def _same(serialized: Any, raw: Any) -> bool:
    """Whether a value serialized again equals what the client sent (arrays compared item by item)."""
    if isinstance(raw, str) or not hasattr(raw, "__len__"):
        return serialized == raw
    return serialized is not None and list(serialized) == list(raw)


def _drop_unusable(session: SessionState, widget_id: str, metadata: Any, *, exact: bool) -> None:
    """Forget the state the client sent for `widget_id` when the widget could not have sent it."""
    stored = session._new_widget_state.states.get(widget_id)
    # A Value was set by the script or deserialized already: only what the client sent is checked.
    if metadata is None or not isinstance(stored, Serialized) or usable(metadata, stored.value, exact=exact):
        return
    _LOG.warning("Dropped a widget state no control could send (widget %s)", widget_id)
    del session._new_widget_state[widget_id]


def install() -> None:
    """Wrap Streamlit's two entry points for widget states (once per process; again: no change)."""
    if getattr(SessionState, _INSTALLED_FLAG, False):
        return
    set_states = SessionState.set_widgets_from_proto
    register = SessionState.register_widget

    @wraps(set_states)
    def set_widgets_from_proto(self: SessionState, widget_states: Any) -> None:
        set_states(self, widget_states)
        for state in widget_states.widgets:
            metadata = self._new_widget_state.widget_metadata.get(state.id)
            _drop_unusable(self, state.id, metadata, exact=True)

    @wraps(register)
    def register_widget(self: SessionState, metadata: Any, user_key: str | None) -> Any:
        _drop_unusable(self, metadata.id, metadata, exact=False)
        return register(self, metadata, user_key)

    SessionState.set_widgets_from_proto = set_widgets_from_proto
    SessionState.register_widget = register_widget
    setattr(SessionState, _INSTALLED_FLAG, True)
