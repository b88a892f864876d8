"""Shareable links: the shared settings travel in the URL's query and come back when the link is opened.

Every shared setting (`ui.state.DEFAULTS`) that differs from its default is written into the query on
every run, so the address bar always holds a link to what is on screen, on whichever page: Streamlit
drops the query when the user switches pages, and the next run writes it again. A link opened in a new
session is read once, before the defaults are filled in. Values are parsed by the type of their default
(never evaluated); a value that does not parse is ignored and the default stays.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.state import DEFAULTS

RESTORED_KEY = "_url_restored"
# Settings kept out of links: what a link cannot carry or should not impose on whoever opens it.
NOT_IN_LINKS = frozenset({"conv.source"})
PREFIX = "conv."


def url_name(setting: str) -> str:
    """The setting's name in a link: "conv.stride_h" → "stride_h" (short links), others unchanged."""
    return setting[len(PREFIX) :] if setting.startswith(PREFIX) else setting


def setting_name(name: str) -> str | None:
    """The shared setting a link's parameter names, or None for an unknown one."""
    for candidate in (PREFIX + name, name):
        if candidate in DEFAULTS and candidate not in NOT_IN_LINKS:
            return candidate
    return None


def encode(value: Any) -> str:
    """A setting's value as link text: booleans as 1/0, grids as rows;of,numbers."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ";".join(",".join(f"{v:g}" for v in row) for row in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def decode(text: str, default: Any) -> Any:
    """Parse link text by the type of the setting's default.

    Raises:
        ValueError: when the text is not a value of that type.
    """
    if isinstance(default, bool):
        if text not in ("0", "1", "true", "false"):
            raise ValueError(text)
        return text in ("1", "true")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        value = float(text)
        if value != value or abs(value) == float("inf"):
            raise ValueError(text)
        return value
    if default is None:  # a custom kernel grid
        rows = [[float(v) for v in row.split(",")] for row in text.split(";")]
        if len({len(row) for row in rows}) != 1 or len(rows) > 11 or len(rows[0]) > 11:
            raise ValueError(text)
        return rows
    if len(text) > 64:
        raise ValueError(text)
    return text


def restore_from_url() -> None:
    """Once per session: copy the link's settings into the session state (before the defaults)."""
    if st.session_state.get(RESTORED_KEY):
        return
    st.session_state[RESTORED_KEY] = True
    for name, text in st.query_params.to_dict().items():
        setting = setting_name(name)
        if setting is None:
            continue
        try:
            st.session_state[setting] = decode(text, DEFAULTS[setting])
        except (ValueError, TypeError):
            continue  # a mistyped link keeps the default rather than breaking the page


def link_query() -> dict[str, str]:
    """The query that reproduces the current settings: every shared setting not at its default."""
    query = {}
    for setting, default in DEFAULTS.items():
        if setting in NOT_IN_LINKS:
            continue
        value = st.session_state.get(setting, default)
        if value != default:
            query[url_name(setting)] = encode(value)
    return query


def sync_url() -> None:
    """Write the current settings into the address bar (only when they changed: each write is a message)."""
    query = link_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
