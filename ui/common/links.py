"""Shareable links: the settings on screen travel in the URL's query and come back when the link is opened.

Every linked setting (the table `LINKS`) that differs from its default is written into the query on
every run, so the address bar always holds a link to what is on screen, on whichever page: Streamlit
drops the query when the user switches pages, and the next run writes it again. A link opened in a new
session is read once, before the defaults are filled in.

A link is text anyone can type, so nothing in it is trusted: each setting has a `Domain` that parses
its text (never evaluates it) and keeps it inside what the setting's widget accepts. Numbers outside a
widget's bounds are clamped (Streamlit 1.67 silently resets a bound widget whose state is out of range
to its minimum, while the setting itself would keep the bad value and reach the engine); text that is
not one of the widget's options, or not a number at all, is ignored and the default stays.

Settings of one page (its guided tour: "tour.<page>") travel as one short name ("tour") on that page only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

import streamlit as st

from ui.common.i18n import LANGUAGE_KEY, LANGUAGES
from ui.common.state import DEFAULTS

RESTORED_KEY = "_url_restored"
# The longest value read from a link: a custom 11×11 kernel fits easily; anything longer is not ours.
MAX_TEXT = 1500
# Custom kernel numbers are clamped to this magnitude (larger ones only overflow the figures' colours).
MAX_KERNEL_VALUE = 1e6


class IntRange(NamedTuple):
    """Whole numbers from `low` to `high` (a number input's bounds): values outside are clamped."""

    low: int
    high: int

    def parse(self, text: str) -> int:
        return min(max(int(text), self.low), self.high)


class FloatRange(NamedTuple):
    """Finite numbers from `low` to `high`: values outside are clamped."""

    low: float
    high: float

    def parse(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        return min(max(value, self.low), self.high)


class Choice(NamedTuple):
    """One of a widget's options, written as itself (a selectbox or radio of names)."""

    options: tuple[str, ...]

    def parse(self, text: str) -> str:
        if text not in self.options:
            raise ValueError(text)
        return text


class Nearest(NamedTuple):
    """The option nearest to a number (a select slider of numbers: sizes, ε)."""

    options: tuple[float, ...]

    def parse(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        # Compared on a log scale: the options span orders of magnitude (6 … 512 pixels, 1e-9 … 0.1).
        return min(self.options, key=lambda option: abs(math.log(option) - math.log(max(value, 1e-300))))


class Flag(NamedTuple):
    """On or off, written 1 or 0."""

    def parse(self, text: str) -> bool:
        if text not in ("0", "1", "true", "false"):
            raise ValueError(text)
        return text in ("1", "true")


class Grid(NamedTuple):
    """Custom kernel numbers: rows separated by ";", numbers by "," (at most `size` × `size`)."""

    size: int

    def parse(self, text: str) -> list[list[float]]:
        rows = [[float(v) for v in row.split(",")] for row in text.split(";")]
        if len({len(row) for row in rows}) != 1 or len(rows) > self.size or len(rows[0]) > self.size:
            raise ValueError(text)
        if not all(math.isfinite(v) for row in rows for v in row):
            raise ValueError(text)
        return [[min(max(v, -MAX_KERNEL_VALUE), MAX_KERNEL_VALUE) for v in row] for row in rows]


Domain = IntRange | FloatRange | Choice | Nearest | Flag | Grid

# Setting → the values a link may give it. A shared setting not listed here stays out of links
# (tests/app/test_url_state.py fails for a new setting that is neither listed nor in NOT_IN_LINKS).
# The shared settings are here; a page adds its topics' settings by naming their `SettingGroup`s in its
# `frame(...)` call (ui/conv/state.py, ui/backward/state.py; a tour's step, "tour.<page>", ui/common/tour.py).
LINKS: dict[str, Domain] = {
    LANGUAGE_KEY: Choice(tuple(LANGUAGES)),
    "presentation": Flag(),
}
# Settings kept out of links: an uploaded image or a camera picture cannot travel in a link.
NOT_IN_LINKS = frozenset({"conv.source"})
# Settings of one page, "<prefix><page id>", written under one short name on that page.
PAGE_SETTINGS = {"tour.": "tour"}
PREFIX = "conv."


class SettingGroup(NamedTuple):
    """A topic's settings, declared where the topic defines them and registered by the pages that use them.

    A page names its groups in its `frame(...)` call (ui/common/frame.py), which registers them before it
    reads a link or fills in the defaults; nothing is registered by importing a module.
    """

    defaults: Mapping[str, Any]  # setting name -> its value in a new session
    domains: Mapping[str, Domain]  # setting name -> the values a link may give it
    relevant: Callable[[str, Mapping[str, Any]], bool | None] | None = None  # a rule of RELEVANCE_RULES


def use_settings(*groups: SettingGroup) -> None:
    """Register the groups' settings: their defaults, their links and their rule (again: no change)."""
    for group in groups:
        DEFAULTS.update(group.defaults)
        LINKS.update(group.domains)
        if group.relevant is not None and group.relevant not in RELEVANCE_RULES:
            RELEVANCE_RULES.append(group.relevant)


def url_name(setting: str) -> str:
    """The setting's name in a link: "conv.stride_h" → "stride_h", "tour.forward" → "tour"."""
    for prefix, name in PAGE_SETTINGS.items():
        if setting.startswith(prefix):
            return name
    return setting[len(PREFIX) :] if setting.startswith(PREFIX) else setting


def _page_setting(setting: str) -> str | None:
    """The page a page's own setting belongs to, or None for a setting shared by every page."""
    for prefix in PAGE_SETTINGS:
        if setting.startswith(prefix):
            return setting[len(prefix) :]
    return None


def setting_name(name: str, page_id: str) -> str | None:
    """The setting a link's parameter names on page `page_id`, or None for an unknown one."""
    for prefix, short in PAGE_SETTINGS.items():
        if name == short:
            name = prefix + page_id
            return name if name in LINKS and name in DEFAULTS else None
    for candidate in (PREFIX + name, name):
        if candidate in LINKS and candidate in DEFAULTS and _page_setting(candidate) is None:
            return candidate
    return None


def encode(value: Any) -> str:
    """A setting's value as link text: booleans as 1/0, grids as rows;of,numbers."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ";".join(",".join(f"{v:.6g}" for v in row) for row in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def decode(setting: str, text: str) -> Any:
    """Parse a link's text for `setting`: clamped into its widget's bounds.

    Raises:
        ValueError: when the text is no value of the setting (not a number, not an option, too long).
    """
    if len(text) > MAX_TEXT:
        raise ValueError(f"{len(text)} characters")
    return LINKS[setting].parse(text.strip())


def _language_from_browser() -> None:
    """Start in the browser's language when the app speaks it (a link's language wins over this)."""
    locale = st.context.locale or ""
    language = locale.replace("_", "-").split("-")[0].lower()
    if language in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = language


def restore_from_url(page_id: str) -> None:
    """Once per session: copy the link's settings into the session state (before the defaults).

    Args:
        page_id: the page the link opened (its file stem): its own settings ("tour") are read for it.
    """
    if st.session_state.get(RESTORED_KEY):
        return
    st.session_state[RESTORED_KEY] = True
    _language_from_browser()
    for name, text in st.query_params.to_dict().items():
        setting = setting_name(name, page_id)
        if setting is None:
            continue
        try:
            st.session_state[setting] = decode(setting, text)
        except (ValueError, TypeError, OverflowError):
            continue  # a mistyped link keeps the default rather than breaking the page


# Rules that leave a linked setting out of a link while it changes nothing on screen, added by the topic
# that knows (ui/conv/state.py: an unused kernel slot, a width while both axes share the height's value):
# each takes the setting's name and the session state and says False to leave it out, None if it has
# nothing to say.
RELEVANCE_RULES: list[Callable[[str, Mapping[str, Any]], bool | None]] = []


def _relevant(setting: str, page_id: str) -> bool:
    """Whether the setting changes what this page shows now (the rest is left out: shorter links)."""
    page = _page_setting(setting)
    if page is not None:
        return page == page_id
    state = st.session_state
    return all(rule(setting, state) is not False for rule in RELEVANCE_RULES)


def link_query(page_id: str) -> dict[str, str]:
    """The query that reproduces what page `page_id` shows: every linked setting not at its default."""
    query = {}
    for setting in LINKS:
        if setting not in DEFAULTS or setting in NOT_IN_LINKS or not _relevant(setting, page_id):
            continue
        default = DEFAULTS[setting]
        value = st.session_state.get(setting, default)
        if value != default:
            query[url_name(setting)] = encode(value)
    return query


def sync_url(page_id: str) -> None:
    """Write the current settings into the address bar (only when they changed: each write is a message)."""
    query = link_query(page_id)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(page_url: str | None, page_path: str, page_id: str) -> str:
    """The link to what page `page_id` shows: the page's URL in the browser and the settings' query.

    Args:
        page_url: `st.context.url` (None outside a browser, e.g. under AppTest).
        page_path: the page's path ("" for home), used when the browser's URL is unknown.
    """
    base = page_url or f"/{page_path}"
    query = "&".join(f"{name}={_quote(text)}" for name, text in link_query(page_id).items())
    return f"{base}?{query}" if query else base


def _quote(text: str) -> str:
    """Escape what a query value cannot hold as is; keep "," and ";" readable (the grid's separators)."""
    return quote(text, safe=",;.-_")
