"""The links fuzzer (issue 13): random and hostile query strings on every page never break it.

A link is text anyone can type or forge, and a page reads it once, when a session opens it
(ui/common/links.py). Hypothesis draws queries from the names a link may hold (every linked setting by its
short name, the page's own "tour" included), names no page knows, and values of every sort: the setting's
own values, each kind of setting given another kind's text (a word for a number, a number for an option),
huge and negative numbers, NaN, infinities, "-0", "1e309", texts up to 5,000 characters, right-to-left and
direction-reversing text, emoji, combining marks, NUL, Markdown, HTML and LaTeX, and names given twice.
Each query opens each page in a new session, once through app.py's navigation (a deep link) and once as the
page script alone (legacy mode, TESTING.md "Multipage"). Every time: no exception element; the page's title
and its main content (a figure; the forward and backward pages may say instead why the settings give none;
home's picture); every linked setting in the session state a value of its domain; and one note under the
title that names what the link could not use (a warning) or which numbers it moved into range (an info),
or no note at all for a link the page took as written.

Seeded (`derandomize=True`, no example database): the same examples on every machine, in CI. Bounded by
`MAX_EXAMPLES` per page; the whole module runs in about 35 s on the 2-core machine.
"""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import ui.backward.state
import ui.backward.tour
import ui.conv.state
import ui.conv.tour
import ui.matrix.state
import ui.transposed.state
from tests.app.conftest import APP_ROOT, TIMEOUT_S
from ui.common.frame import PAGES, page_spec
from ui.common.i18n import DEFAULT_LANGUAGE, STRINGS
from ui.common.links import (
    LINKS,
    MAX_SHOWN_CHARS,
    MAX_SHOWN_PARTS,
    Choice,
    Flag,
    FloatRange,
    Grid,
    IntRange,
    Nearest,
    decode,
    encode,
    setting_name,
    shorten,
    shown_part,
    url_name,
    use_settings,
)

# What the forward, backward, transposed and matrix pages register in their frame calls, registered before any
# page runs: a page's names are then known whichever page a test opens first (as test_url_state.py does).
use_settings(
    ui.conv.state.SETTINGS,
    ui.backward.state.SETTINGS,
    ui.conv.tour.TOUR_SETTINGS,
    ui.backward.tour.TOUR_SETTINGS,
    ui.transposed.state.SETTINGS,
    ui.matrix.state.SETTINGS,
)

PAGE_IDS = [spec.page_id for spec in PAGES]
# Examples per page (each opens the page twice): the budget of the whole module, ~35 s here. A longer hunt
# on one's own machine: LINK_FUZZ_EXAMPLES=500 LINK_FUZZ_RANDOM=1 (new examples each run, not CI's).
MAX_EXAMPLES = int(os.environ.get("LINK_FUZZ_EXAMPLES", "18"))
SEEDED = not os.environ.get("LINK_FUZZ_RANDOM")
# The note's icon: how the tests tell it from a page's own warnings and infos.
NOTE_ICON = "🔗"
# Parameters Streamlit keeps for itself (st.query_params never shows them to the page): never named.
STREAMLIT_OWN = ("embed", "embed_options")
# Pages that may say, instead of a figure, why the linked settings give none (a kernel larger than the image).
MAY_REFUSE = ("forward", "backward")
KNOWN_NAMES = sorted({url_name(setting) for setting in LINKS})


# --- opening a link ------------------------------------------------------------------------------------


def open_link(page_id: str, query: dict[str, Any], *, through_app: bool) -> AppTest:
    """Open page `page_id` by a link in a new session: the query is set before the first run.

    Args:
        query: name -> text, or a list of texts for a name given more than once.
        through_app: True runs app.py with the page chosen before the first run (a deep link through
            the navigation, like `run_page` without the detour over home: a link is read by the page
            it opens); False runs the page script alone (like `run_script`).
    """
    spec = page_spec(page_id)
    if through_app:
        at = AppTest.from_file(str(APP_ROOT / "app.py"), default_timeout=TIMEOUT_S)
        if not spec.is_home:
            at.switch_page(spec.file)  # url_path is the file stem: the page's hash before any run
    else:
        at = AppTest.from_file(str(APP_ROOT / spec.file), default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    return at.run()


def link_notes(at: AppTest) -> list[Any]:
    """The notes about the link (warnings and infos with the link icon)."""
    return [alert for alert in (*at.warning, *at.info) if alert.proto.icon == NOTE_ICON]


def page_text(at: AppTest, string_id: str, **fields: object) -> str:
    """String `string_id` in the session's language, as the page wrote it."""
    entry = STRINGS[string_id]
    return entry.get(at.session_state["language"], entry[DEFAULT_LANGUAGE]).format(**fields)


# --- what a link should give -------------------------------------------------------------------------


def _as_written(setting: str, text: str, value: Any) -> bool:
    """Whether the setting took the link's number(s) as written (not moved into its range)."""
    domain = LINKS[setting]
    if isinstance(domain, (IntRange, FloatRange, Nearest)):
        return float(text) == value
    if isinstance(domain, Grid):
        return [float(v) for row in text.split(";") for v in row.split(",")] == [
            v for row in value for v in row
        ]
    return True


def expected_notes(
    page_id: str, query: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What the note must name: (the parameters the page cannot use, the ones whose numbers it moves).

    A name given twice counts with its last value; an earlier value is named only when it is no value of
    the setting. Both lists are in the link's order, as the page reads it.
    """
    ignored: list[tuple[str, str]] = []
    moved: list[tuple[str, str]] = []
    for name, given_texts in query.items():
        if name.lower() in STREAMLIT_OWN:
            continue
        texts = given_texts if isinstance(given_texts, list) else [given_texts]
        setting = setting_name(name, page_id)
        if setting is None:
            ignored.append((name, texts[-1]))
            continue
        for value_text in dict.fromkeys(texts):
            try:
                value = decode(setting, value_text)
            except (ValueError, TypeError, OverflowError):
                ignored.append((name, value_text))
                continue
            if value_text == texts[-1] and not _as_written(setting, value_text.strip(), value):
                moved.append((name, value_text))
    return ignored, moved


# --- what every opened page must show ------------------------------------------------------------------


def assert_page_opened(at: AppTest, page_id: str) -> None:
    """No exception; the page's title and main content; every linked setting a value of its domain."""
    assert not at.exception, at.exception[0].value
    spec = page_spec(page_id)
    title = page_text(at, "app.name" if spec.is_home else spec.title_key)
    assert [element.value for element in at.title][:1] == [title if spec.is_home else f"{spec.icon} {title}"]
    if spec.is_home:
        assert at.get("image"), "home lost its picture"
    elif page_id in MAY_REFUSE:
        assert at.get("plotly_chart") or at.error, "neither a figure nor the sentence that says why"
    else:
        assert at.get("plotly_chart"), f"{page_id} lost its figure"
    state = at.session_state
    wrong = {s: state[s] for s, domain in LINKS.items() if s in state and not domain.accepts(state[s])}
    assert not wrong, f"settings outside their domains: {wrong}"
    # What a link gives is a value of its setting already: the frame's refusal of impossible settings
    # (a hand-made client's) has nothing to refuse.
    if "frame.refused" in STRINGS:
        refusal = page_text(at, "frame.refused", names="\0").split("\0")[0]
        assert not [w.value for w in at.warning if w.value.startswith(refusal)]


def assert_note_says(at: AppTest, page_id: str, query: dict[str, Any]) -> None:
    """One note when the link was not taken as written, naming what; none when it was."""
    ignored, moved = expected_notes(page_id, query)
    notes = link_notes(at)
    if not ignored and not moved:
        assert not notes, f"a note for a clean link: {notes[0].value}"
        return
    assert len(notes) == 1, f"expected one note, got {[n.value for n in notes]}"
    note = notes[0]
    if ignored:
        assert note.type == "warning"
        parts = list(dict.fromkeys(ignored))
        assert shown_part(*parts[0]) in note.value
        named = sum(shown_part(name, value) in note.value for name, value in parts)
        assert named >= min(len(parts), MAX_SHOWN_PARTS), note.value
        if len(parts) > MAX_SHOWN_PARTS:
            assert page_text(at, "links.more", n=len(parts) - MAX_SHOWN_PARTS) in note.value
    else:
        assert note.type == "info"
        assert shown_part(*moved[0]) in note.value
    assert_plain(note.value)


def assert_plain(body: str) -> None:
    """Everything of the link in the note is inside a code span (shown as written), each part short."""
    spans = re.findall(r"(`+)(.*?)\1(?!`)", body)
    assert spans
    for _, code in spans:
        assert len(code.strip()) <= 2 * MAX_SHOWN_CHARS + 1
    outside = re.sub(r"(`+)(.*?)\1(?!`)", "", body)
    assert not re.search(r"[<>*_$\[\]\x00]", outside), outside


# --- the strategies ----------------------------------------------------------------------------------

# Text that is no setting's value, or is one only by accident: numbers out of every range, NaN and the
# infinities, what float() and int() read that a person would not write, markup of every kind the note
# could render, and characters that garble text around them.
HOSTILE_TEXTS = (
    "",
    " ",
    "nan",
    "-NaN",
    "inf",
    "-Infinity",
    "1e309",
    "-1e309",
    "-0",
    "-0.0",
    "0x10",
    "1_000",
    "2.5",
    "4.0",
    "1e-320",
    "9" * 400,
    "-" + "9" * 1600,
    "١٢",  # Arabic-Indic digits: int() reads them
    "１２",  # full-width digits
    "1,2;3",
    ";",
    ",",
    "None",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "# heading",
    "$x^2$",
    ":red[x]",
    ":material/home:",
    "[a](javascript:alert(1))",
    "`code`",
    "```",
    "\\",
    "\x00",
    "a\nb",
    "\u202eevil",
    "\u2066isolated",
    "مرحبا",
    "שלום",
    "🧠👨‍👩‍👧",
    "e" + "\u0301" * 60,
    "%00",
    "%25",
    "&",
    "=",
)
# A text of another kind than each kind of setting expects.
WRONG_TYPE = {
    IntRange: ("abc", "2.5", "1e3", "true", "1,2"),
    FloatRange: ("abc", "1,5", "true", "0.5.5"),
    Nearest: ("abc", "small", "1,2"),
    Choice: ("0", "1.5", "-1", "true", "ZEROS"),
    Flag: ("yes", "2", "on", "True", "-1"),
    Grid: ("abc", "1,2;3", "1;;2", "1," * 12 + "1", ";".join(["1"] * 12)),
}
# Names no page reads, or that only look like one it reads.
ODD_NAMES = (
    "foo",
    "",
    "tour.forward",  # a page's setting by its full name: only "tour" is read
    "conv.stride_h",  # a setting's full name: read as well (setting_name), with its short one
    "source",  # an upload cannot travel in a link
    "_url_restored",
    "STRIDE_H",
    "stride_h ",
    "embed",  # Streamlit's own
    "<b>x</b>",
    "\u202e",
)


def valid_text(domain: Any) -> st.SearchStrategy[str]:
    """Texts the domain takes as written."""
    if isinstance(domain, IntRange):
        return st.integers(domain.low, domain.high).map(str)
    if isinstance(domain, FloatRange):
        return st.floats(domain.low, domain.high).map(encode)
    if isinstance(domain, (Choice, Nearest)):
        return st.sampled_from(domain.options).map(encode)
    if isinstance(domain, Flag):
        return st.sampled_from(("0", "1", "true", "false"))
    side = st.integers(1, min(domain.size, 4))
    return st.tuples(side, side).flatmap(
        lambda shape: st.lists(
            st.lists(st.floats(-100, 100), min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        ).map(encode)
    )


def long_text() -> st.SearchStrategy[str]:
    """Up to 5,000 characters: past what a link may hold (links.MAX_TEXT) and past the note's cut."""
    unit = st.sampled_from(("1,", "1;", "a", "é", "🧠", "<b>", "9"))
    return st.builds(lambda u, n: (u * n)[:5000], unit, st.integers(1, 5000))


ANY_TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.text(max_size=40),
    long_text(),
)


@st.composite
def parameter(draw: st.DrawFn, page_id: str) -> tuple[str, str | list[str]]:
    """One parameter: a known name (mostly) with its own, a wrong or a hostile value, or an unknown name;
    sometimes given two or three times."""
    name = draw(
        st.one_of(
            st.sampled_from(KNOWN_NAMES),
            st.sampled_from(KNOWN_NAMES),
            st.sampled_from(ODD_NAMES),
            st.text(max_size=20),
        )
    )
    setting = setting_name(name, page_id)
    domain = LINKS.get(setting) if setting else None
    value = (
        st.one_of(valid_text(domain), st.sampled_from(WRONG_TYPE[type(domain)]), ANY_TEXT)
        if domain
        else ANY_TEXT
    )
    texts = draw(st.lists(value, min_size=1, max_size=3))
    return name, texts if len(texts) > 1 else texts[0]


def hostile_queries(page_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """Queries of up to six parameters (a name drawn twice counts once: a dict's keys)."""
    return st.lists(parameter(page_id), max_size=6).map(dict)


def clean_queries(page_id: str) -> st.SearchStrategy[dict[str, str]]:
    """Queries the page takes as written: its own names, each with a value of its setting."""
    names = [name for name in KNOWN_NAMES if setting_name(name, page_id)]
    return st.dictionaries(st.sampled_from(names), st.just(None), max_size=6).flatmap(
        lambda picked: st.fixed_dictionaries(
            {name: valid_text(LINKS[setting_name(name, page_id)]) for name in picked}
        )
    )


FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=SEEDED,  # the same examples on every machine, every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# --- the fuzzer -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_id", PAGE_IDS)
@FUZZ
@given(data=st.data())
def test_any_link_opens_the_page_and_says_what_it_ignored(page_id: str, data: st.DataObject) -> None:
    query = data.draw(st.one_of(hostile_queries(page_id), clean_queries(page_id)), label="query")
    for through_app in (True, False):
        at = open_link(page_id, query, through_app=through_app)
        assert_page_opened(at, page_id)
        assert_note_says(at, page_id, query)


# --- hostile links, one by one ----------------------------------------------------------------------------


def test_plain_text_helpers() -> None:
    assert shorten("x" * 5000) == "x" * (MAX_SHOWN_CHARS - 1) + "…"
    assert shorten("a\x00b\nc\u202ed") == "a\ufffdb\ufffdc\ufffdd"
    assert shown_part("size", "abc") == "`size=abc`"
    assert shown_part("a`b", "``") == "``` a`b=`` ```"  # the fence outlasts any backticks inside
    assert shown_part("stride_h", " 2") == "`stride_h= 2`"
    assert shown_part("x", "y ") == "` x=y  `"  # CommonMark strips one space each side, keeps the rest


EN_ONE = "This link's {} could not be used and was left out."
EN_MANY = "This link's {} could not be used and were left out."

TABLE = {
    "unknown name and a word for a number": (
        "forward",
        {"size": "abc", "foo": "1"},
        ("warning", EN_MANY.format("`size=abc` and `foo=1`")),
    ),
    "clamped to the largest": (
        "forward",
        {"stride_h": "999"},
        ("info", "`stride_h=999` was set to `8`, the largest allowed."),
    ),
    "clamped to the smallest": (
        "forward",
        {"pad_h": "-4"},
        ("info", "`pad_h=-4` was set to `0`, the smallest allowed."),
    ),
    "nearest option": (
        "forward",
        {"size": "47"},
        ("info", "`size=47` was set to `48`, the nearest allowed."),
    ),
    "kernel numbers clamped": (
        "forward",
        {"k0.kind": "custom", "k0.values": "1e300,2"},
        ("info", "`k0.values=1e300,2` was set to `1e+06,2`, the nearest allowed."),
    ),
    "both at once": (
        "backward",
        {"backward.eps": "5", "backward.lr": "x"},
        (
            "warning",
            EN_ONE.format("`backward.lr=x`") + " `backward.eps=5` was set to `0.1`, the largest allowed.",
        ),
    ),
    "NaN, infinity and overflow": (
        "forward",
        {"k0.bias": "nan", "k1.bias": "inf", "kh": "1e309"},
        ("warning", EN_MANY.format("`k0.bias=nan`, `k1.bias=inf` and `kh=1e309`")),
    ),
    "many: the first three and a count": (
        "pooling",
        {f"x{k}": str(k) for k in range(6)},
        ("warning", EN_MANY.format("`x0=0`, `x1=1`, `x2=2` and 3 more")),
    ),
    "markup is shown as written": (
        "forward",
        {"sample": "<script>alert(1)</script>", "**b**": "$x$"},
        ("warning", EN_MANY.format("`sample=<script>alert(1)</script>` and `**b**=$x$`")),
    ),
    "a long name and value are cut": (
        "activations",
        {"n" * 5000: "9" * 5000},
        ("warning", EN_ONE.format(f"`{'n' * 29}…={'9' * 29}…`")),
    ),
    "control and direction characters are replaced": (
        "dense",
        {"a\x00": "\u202eevil\n"},
        ("warning", EN_ONE.format("`a\ufffd=\ufffdevil\ufffd`")),
    ),
    "an earlier wrong value of a repeated name": (
        "forward",
        {"stride_h": ["abc", "2"]},
        ("warning", EN_ONE.format("`stride_h=abc`")),
    ),
    "a wrong last value of a repeated name": (
        "forward",
        {"stride_h": ["2", "abc"]},
        ("warning", EN_ONE.format("`stride_h=abc`")),
    ),
    "a repeated name with good values": ("forward", {"stride_h": ["3", "2"]}, None),
    "the same wrong value twice is named once": (
        "forward",
        {"stride_h": ["x", "x"]},
        ("warning", EN_ONE.format("`stride_h=x`")),
    ),
    "a tour on a page without one": ("home", {"tour": "2"}, ("warning", EN_ONE.format("`tour=2`"))),
    "Streamlit's own parameter": ("chain_rule", {"embed": "true"}, None),
    "a clean link": ("forward", {"stride_h": "2", "size": "48", "language": "en"}, None),
    "in the link's language": (
        "normalization",
        {"language": "zh", "foo": "1"},
        ("warning", "链接中的 `foo=1` 无法使用，已被忽略。"),
    ),
    "the train page": (
        "train",
        {"presentation": "yes"},
        ("warning", EN_ONE.format("`presentation=yes`")),
    ),
}


@pytest.mark.parametrize(("page_id", "query", "note"), TABLE.values(), ids=TABLE.keys())
def test_a_hostile_link_gets_its_sentence(
    page_id: str, query: dict[str, Any], note: tuple[str, str] | None
) -> None:
    at = open_link(page_id, query, through_app=True)
    assert_page_opened(at, page_id)
    notes = [(alert.type, alert.value) for alert in link_notes(at)]
    assert notes == ([note] if note else [])


def test_the_note_is_said_once() -> None:
    at = open_link("forward", {"foo": "1", "stride_h": "2"}, through_app=True)
    assert link_notes(at)
    at.run()
    assert not link_notes(at)
    assert at.session_state["conv.stride_h"] == 2  # what the link gave stays


def test_values_the_link_gave_are_used() -> None:
    at = open_link("forward", {"stride_h": ["abc", "3"], "size": "47", "pad_h": "-4"}, through_app=False)
    state = at.session_state
    assert (state["conv.stride_h"], state["conv.size"], state["conv.pad_h"]) == (3, 48, 0)


# --- what the fuzzer found beyond the links (fixed in viz/backward/common.py) ------------------------------

# Valid links whose gradients are too small for the backward page's printed factor: `grid_scale` took
# 10^-k for the largest magnitude's exponent k, which overflowed for a subnormal magnitude (k = -311:
# OverflowError, an exception element) and passed float32's range below ~1e-38 (the figure's numbers turned
# inf and NaN, with RuntimeWarnings). It now treats magnitudes float32 cannot hold as 0.
VANISHING = {
    "subnormal bias": {"size": "256", "k0.bias": "-2.22507e-311"},
    "saturated sigmoid": {
        "activation": "sigmoid",
        "k0.kind": "custom",
        "k0.values": "100,100,100;100,100,100;100,100,100",
        "k0.bias": "10",
    },
}


@pytest.mark.parametrize("query", VANISHING.values(), ids=VANISHING.keys())
def test_vanishing_gradients_open_the_backward_page(query: dict[str, str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        at = open_link("backward", query, through_app=False)
    assert_page_opened(at, "backward")
    assert not [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
