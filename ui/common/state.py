"""Session-state defaults and the binding that keeps shared settings alive across pages.

A widget drawn by the shared frame is a different widget on every page, so Streamlit would reset its
value on a page switch. Each shared setting therefore lives in a plain session-state key (the names of
`DEFAULTS`); its widget starts every run from that key and copies its own value back in `on_change`.
That keeps the value across page switches both when `app.py` drives the navigation and when a page is
opened by its own URL on a fresh server (see TESTING.md, "Multipage").

The widget is started by writing the setting into the widget's own key before it is drawn, rather than
by `value=`: a widget that already has a state ignores a new `value=`, so a setting changed by code
(a test, a URL) would otherwise show the old value in its widget.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.common.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY

# Setting name -> its value in a new session. Shared settings are read with `st.session_state[name]`.
DEFAULTS: dict[str, Any] = {
    LANGUAGE_KEY: DEFAULT_LANGUAGE,
    "presentation": False,
}

# Widgets bound to a setting use this prefix for their own key, so the two never collide.
WIDGET_PREFIX = "_widget_"


def init_state() -> None:
    """Put every default of `DEFAULTS` into the session state unless the session already has a value."""
    for name, value in DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = value


def widget_key(name: str) -> str:
    """Return the widget key bound to the shared setting `name`."""
    return f"{WIDGET_PREFIX}{name}"


def _copy_back(name: str) -> None:
    """Copy the bound widget's new value into the shared setting (an `on_change` callback)."""
    st.session_state[name] = st.session_state[widget_key(name)]


def bind(name: str) -> dict[str, Any]:
    """Start the widget of the shared setting `name` from its value; return the widget's keyword arguments.

    Call it in the widget call itself, e.g. `st.toggle(label, **bind("presentation"))`, and pass no
    `value=`/`index=`: the widget's key already holds the setting's value.

    Args:
        name: a key of `DEFAULTS`.

    Returns:
        `key`, `on_change` and `args` for a Streamlit widget.
    """
    if name not in DEFAULTS:
        raise ValueError(f"'{name}' is not a shared setting; add it to DEFAULTS in ui/common/state.py.")
    if name not in st.session_state:
        st.session_state[name] = DEFAULTS[name]
    st.session_state[widget_key(name)] = st.session_state[name]
    return {"key": widget_key(name), "on_change": _copy_back, "args": (name,)}
