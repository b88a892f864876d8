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
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

import numpy as np
import streamlit as st

from ui.common.i18n import LANGUAGE_KEY, LANGUAGES, join_sentences, t
from ui.common.state import DEFAULTS, put_back_impossible

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

    def accepts(self, value: Any) -> bool:
        return _is_number(value, integral=True) and self.low <= value <= self.high


class FloatRange(NamedTuple):
    """Finite numbers from `low` to `high`: values outside are clamped."""

    low: float
    high: float

    def parse(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        return min(max(value, self.low), self.high)

    def accepts(self, value: Any) -> bool:
        return _is_number(value) and math.isfinite(value) and self.low <= value <= self.high


class Choice(NamedTuple):
    """One of a widget's options, written as itself (a selectbox or radio of names)."""

    options: tuple[str, ...]

    def parse(self, text: str) -> str:
        if text not in self.options:
            raise ValueError(text)
        return text

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.options


class Nearest(NamedTuple):
    """The option nearest to a number (a select slider of numbers: sizes, ε)."""

    options: tuple[float, ...]

    def parse(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        # Compared on a log scale: the options span orders of magnitude (6 … 512 pixels, 1e-9 … 0.1).
        return min(self.options, key=lambda option: abs(math.log(option) - math.log(max(value, 1e-300))))

    def accepts(self, value: Any) -> bool:
        return _is_number(value) and value in self.options


class Flag(NamedTuple):
    """On or off, written 1 or 0."""

    def parse(self, text: str) -> bool:
        if text not in ("0", "1", "true", "false"):
            raise ValueError(text)
        return text in ("1", "true")

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


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

    def accepts(self, value: Any) -> bool:
        """None (no numbers typed yet) or at most `size` × `size` finite numbers in equal rows."""
        if value is None:
            return True
        if not isinstance(value, (list, tuple)) or not 0 < len(value) <= self.size:
            return False
        if not all(isinstance(row, (list, tuple)) for row in value) or len({len(row) for row in value}) != 1:
            return False
        return 0 < len(value[0]) <= self.size and all(
            _is_number(v) and math.isfinite(v) and abs(v) <= MAX_KERNEL_VALUE for row in value for v in row
        )


def _is_number(value: Any, *, integral: bool = False) -> bool:
    """Whether `value` is a number a widget returns (an int, or a float unless `integral`), not a bool."""
    kinds = (int, np.integer) if integral else (int, float, np.integer, np.floating)
    return isinstance(value, kinds) and not isinstance(value, bool)


class Text(NamedTuple):
    """Any text (a text box's value; what it may hold beyond that, e.g. its length, the page says)."""

    def parse(self, text: str) -> str:
        return text

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)


# Each domain parses a link's text (`parse`, clamping numbers into the widget's bounds) and says whether a
# value in the session state is one its widget could hold (`accepts`): see `refuse_impossible_settings`.
Domain = IntRange | FloatRange | Choice | Nearest | Flag | Grid | Text

# Setting → the values a link may give it. A shared setting not listed here stays out of links
# (tests/app/test_url_state.py fails for a new setting that is neither listed nor in NOT_IN_LINKS).
# The shared settings are here; a page adds its topics' settings by naming their `SettingGroup`s in its
# `frame(...)` call (ui/conv/state.py, ui/backward/state.py; a tour's step, "tour.<page>", ui/common/tour.py).
LINKS: dict[str, Domain] = {
    LANGUAGE_KEY: Choice(tuple(LANGUAGES)),
    "presentation": Flag(),
    "predict": Flag(),
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

    What the link gives that no setting can take (an unknown name, text that is no value of its setting,
    too long) keeps the default rather than breaking the page, and a number moved into its setting's
    range is kept moved: both are noted for `say_ignored_link_parts`, which tells the reader. A name given
    twice counts with its last value, as `st.query_params[name]` reads it; an earlier value is worth a
    word only when it is no value of the setting (the link's writer may have meant that one).

    Args:
        page_id: the page the link opened (its file stem): its own settings ("tour") are read for it.
    """
    if st.session_state.get(RESTORED_KEY):
        return
    st.session_state[RESTORED_KEY] = True
    _language_from_browser()
    notes = LinkNotes([], [])
    for name in st.query_params:
        texts = st.query_params.get_all(name) or [""]
        setting = setting_name(name, page_id)
        if setting is None:
            notes.ignored.append((name, texts[-1]))
            continue
        for text in dict.fromkeys(texts):  # each distinct value once, in the link's order
            try:
                value = decode(setting, text)
            except (ValueError, TypeError, OverflowError):
                notes.ignored.append((name, text))
                continue
            if text == texts[-1]:
                st.session_state[setting] = value
                moved = _moved(LINKS[setting], text.strip(), value)
                if moved:
                    notes.adjusted.append((name, text, encode(value), moved))
    if notes.ignored or notes.adjusted:
        st.session_state[LINK_NOTES_KEY] = notes


# Session key of what the link read in this session could not use or moved into range: said once, on
# the run that read the link (`say_ignored_link_parts`), then dropped.
LINK_NOTES_KEY = "_link_notes"
# How much of a link the note repeats. A link is anyone's text, of any length: the note only has to let
# its reader find the part it means, and must stay one short sentence.
MAX_SHOWN_CHARS = 30
MAX_SHOWN_PARTS = 3
# Characters that would garble the sentence around them: the marks that reverse the direction of the text
# that follows (a name could turn the whole note around); control characters and lone surrogates are
# replaced as well (`shorten`).
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# How a number was moved into range -> the sentence that says so.
_MOVED_STRINGS = {"largest": "links.largest", "smallest": "links.smallest", "nearest": "links.nearest"}


class LinkNotes(NamedTuple):
    """What a session's link gave that the page did not take as written."""

    ignored: list[tuple[str, str]]  # (name, text) of each parameter no setting could take
    adjusted: list[tuple[str, str, str, str]]  # (name, text, value set, "largest" | "smallest" | "nearest")


def _moved(domain: Domain, text: str, value: Any) -> str | None:
    """How parsing moved the number(s) of `text` to `value`: "largest", "smallest", "nearest" (an option of
    a select slider, or kernel numbers clamped one by one), or None when the setting took it as written."""
    if isinstance(domain, (IntRange, FloatRange, Nearest)):
        written = int(text) if isinstance(domain, IntRange) else float(text)
        if written == value:
            return None
        if isinstance(domain, Nearest):
            low, high = min(domain.options), max(domain.options)
        else:
            low, high = domain.low, domain.high
        return "largest" if written > high else "smallest" if written < low else "nearest"
    if isinstance(domain, Grid):
        written = [float(v) for row in text.split(";") for v in row.split(",")]
        return None if written == [v for row in value for v in row] else "nearest"
    return None


def shorten(text: str) -> str:
    """Link text as the note shows it: at most `MAX_SHOWN_CHARS` characters, what would garble it replaced.

    Control characters (NUL, line breaks), direction marks and lone surrogates become U+FFFD: a browser
    would act on them, and a surrogate cannot even be sent to it.
    """
    head = "".join(
        "\ufffd" if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs") else ch
        for ch in text[: MAX_SHOWN_CHARS + 1]
    )
    return head if len(head) <= MAX_SHOWN_CHARS else head[: MAX_SHOWN_CHARS - 1] + "…"


def shown_part(name: str, text: str | None = None) -> str:
    """One parameter of a link as the note names it: `name=text`, shortened, as a Markdown code span.

    A code span shows its text exactly as written: Markdown, HTML, LaTeX, Streamlit's `:red[...]` and
    emoji shortcodes in it are not read (backslash escapes would still let `:smile:` through). Its fence
    is one backtick longer than any run of backticks inside, so no text can close it early.
    """
    code = f"{shorten(name)}={shorten(text)}" if text is not None else shorten(name)
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", code)), default=0))
    # CommonMark strips one space each side: padding keeps a backtick or a space at an end as it is.
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _listed(parts: list[str]) -> str:
    """Parts as a list in the page's language: "a, b and c"; past `MAX_SHOWN_PARTS`, "a, b, c and 2 more"."""
    shown = parts[:MAX_SHOWN_PARTS]
    if len(parts) > MAX_SHOWN_PARTS:
        shown.append(t("links.more", n=len(parts) - MAX_SHOWN_PARTS))
    if len(shown) == 1:
        return shown[0]
    return t("links.comma").join(shown[:-1]) + t("links.and") + shown[-1]


def say_ignored_link_parts() -> None:
    """Say under the page's title what the session's link could not use, and which numbers it moved.

    Called by the frame on every run; says something only on the run that read the link (a link is read
    once per session): the next run drops it. A warning when something was left out (the page is not what
    the link meant), a note when numbers were only moved into range.
    """
    notes: LinkNotes | None = st.session_state.pop(LINK_NOTES_KEY, None)
    if not notes:
        return
    sentences = []
    if notes.ignored:
        parts = _listed([shown_part(name, text) for name, text in notes.ignored])
        one = len(notes.ignored) == 1  # English says "was" or "were"
        sentences.append(t("links.ignored_one" if one else "links.ignored_many", parts=parts))
    for name, text, value, how in notes.adjusted[:MAX_SHOWN_PARTS]:
        sentences.append(t(_MOVED_STRINGS[how], part=shown_part(name, text), value=shown_part(value)))
    if len(notes.adjusted) > MAX_SHOWN_PARTS:
        sentences.append(t("links.adjusted_more", n=len(notes.adjusted) - MAX_SHOWN_PARTS))
    say = st.warning if notes.ignored else st.info
    say(join_sentences(*sentences), icon="🔗")


def refuse_impossible_settings() -> list[str]:
    """Put back every linked setting whose value its widget could not hold; return their names in links.

    Called by the frame at the start of every run, after the pending settings are written
    (`ui.common.state.put_back_impossible` says what "put back" means).
    """
    return [url_name(setting) for setting in put_back_impossible(LINKS)]


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
