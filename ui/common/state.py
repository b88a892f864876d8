"""Session-state defaults, and the binding that keeps shared settings alive across pages.

Each shared setting (the names of `DEFAULTS`) is one session-state key, and the widget that shows it has
that key too: one place holds the value, whoever changed it (the widget, a link, a preset, a test).

A widget drawn on one page is not drawn on another, and Streamlit forgets at the end of a run the state
of every keyed widget the run did not draw. `keep_settings`, called by the frame at the start of every run,
writes the settings back before any widget is drawn; a value the script wrote is kept, so the settings
survive a page switch both when `app.py` drives the navigation and when a page is opened by its own URL
on a fresh server (see TESTING.md, "Multipage").

A widget is started from its key, never by `value=` as well: a widget that already has a state ignores
a new `value=`, so a setting changed by code would otherwise show the old value in its widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ui.common.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY

# Setting name -> its value in a new session. Shared settings are read with `st.session_state[name]`.
DEFAULTS: dict[str, Any] = {
    LANGUAGE_KEY: DEFAULT_LANGUAGE,
    "presentation": False,
    "predict": False,  # predict, then reveal (ui/common/predict.py)
}


def init_state() -> None:
    """Put every default of `DEFAULTS` into the session state unless the session already has a value."""
    for name, value in DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = value


# Session key of the settings to write at the start of the next run (see `set_before_rerun`).
PENDING_KEY = "_settings_pending"


def keep_settings() -> None:
    """Write every shared setting back into the session state, before any widget of the run is drawn.

    Streamlit forgets, at the end of a run, the state of every keyed widget the run did not draw: another
    page's widget, or one the page hides now (the target kernel while the loss is not MSE). A value the
    script itself wrote in the run is kept, so this keeps them all. Settings a run asked to change after
    their widgets were drawn (`set_before_rerun`) are written here, before those widgets are drawn again.
    """
    state = st.session_state
    pending = state.pop(PENDING_KEY, None) or {}
    for name in DEFAULTS:
        if name in pending:
            state[name] = pending[name]
        elif name in state:
            state[name] = state[name]


def set_before_rerun(values: dict[str, Any]) -> None:
    """Change shared settings whose widgets this run has drawn already, then rerun the page.

    Streamlit refuses to change a widget's key once the widget is drawn in the run (a click on a figure is
    read after the widgets above it); the values are written at the start of the next run instead.
    """
    st.session_state[PENDING_KEY] = {**st.session_state.get(PENDING_KEY, {}), **values}
    st.rerun()


def widget_key(name: str) -> str:
    """Return the key of the widget bound to the shared setting `name`: the setting's own key."""
    return name


def bind(name: str) -> dict[str, Any]:
    """Bind a widget to the shared setting `name`: return the widget's keyword arguments (its key).

    Call it in the widget call itself, e.g. `st.toggle(label, **bind("presentation"))`, and pass no
    `value=`/`index=`: the widget starts from the setting's value.

    Args:
        name: a key of `DEFAULTS`.

    Returns:
        `key` for a Streamlit widget.
    """
    if name not in DEFAULTS:
        raise ValueError(f"'{name}' is not a shared setting; add it to DEFAULTS in ui/common/state.py.")
    if name not in st.session_state:
        st.session_state[name] = DEFAULTS[name]
    return {"key": name}


# Session key of each checked key's value at the start of the last run that found it possible.
LAST_GOOD_KEY = "_last_good_values"


def put_back_impossible(domains: Mapping[str, Any]) -> list[str]:
    """Put back every key whose value its control could not hold; return those keys (before any widget).

    A key's value reaches the session state from its widget, a link, the page's own code, a test or a
    hand-made client; the widget bounds what it sends, the others may not. A value its domain does not
    accept (a text where a number belongs, 10⁹ layers, an option that does not exist) would reach the
    engine or a widget that raises, or a widget would show its first option while the page computes with
    the written value. It goes back to the value of the last run that had it right; with none, a shared
    setting goes back to its default and a page's own control is dropped, to start afresh. The page then
    shows its last good picture.

    Args:
        domains: key -> an object whose `accepts(value)` says whether the key's control can hold it
            (ui.common.links' domains).
    """
    state = st.session_state
    last_good = state.setdefault(LAST_GOOD_KEY, {})
    refused = []
    for key, domain in domains.items():
        if key not in state:
            continue
        value = state[key]
        if domain.accepts(value):
            # A copy of a list (a custom kernel's rows): the page may edit the one it got.
            last_good[key] = [list(row) for row in value] if isinstance(value, list) else value
            continue
        if key in last_good:
            state[key] = last_good[key]
        elif key in DEFAULTS:
            state[key] = DEFAULTS[key]
        else:
            del state[key]
        refused.append(key)
    return refused
