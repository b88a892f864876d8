"""The controls fuzzer (issue 13): any sequence of control values, possible or not, never breaks a page.

For every page, Hypothesis opens the page in a new session (through app.py, as a user; the convolution
pages also from their smallest image) and makes 2–5 changes, running the page after each:
- a control on the page is set to a value it offers (drawn from the element as the last run drew it: its
  bounds, step and options, so the fuzzer follows the page as it changes), or a button is clicked;
- a cell of a number grid is edited (a number of any size, or the cell cleared);
- a cell of a clickable figure is clicked (one of the points the figure drew), or a click is forged (text,
  NaN, a missing coordinate, a cell of no map, a selection that is no list);
- an impossible value is written through the session state, as code, a test or a forged request can: a
  shared setting gets a value its domain (ui/common/links.py) refuses; a page's own control a value it
  could not hold (a number outside its bounds, NaN, ±∞, a fraction where it counts whole numbers, a text,
  None, a list, a bool, an option it does not have).
After every run: no exception element, and the page's figures. After an impossible value: the page says so
(a warning or an error with ⚠️), keeps the picture it showed, and the session no longer holds the value.
After a forged click: the picture it showed. When a run refuses settings (an engine sentence, or a
refusal of values) after a run that did not: the picture it showed before, as every page promises.

A page's index controls (a cell, a step, an entry) follow the data: a whole number past their end (a cell
chosen on a bigger map) is moved to the last one without a word, by design; they refuse other values.

Seeded (`derandomize=True`, no example database): the same examples on every machine, in CI; about 60 s
on the 2-core machine. A longer hunt on one's own machine: CONTROLS_FUZZ_EXAMPLES=200 CONTROLS_FUZZ_RANDOM=1.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import pytest
import streamlit.testing.v1.element_tree as element_tree
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import TESTING_KEY

import ui.backward.state
import ui.backward.tour
import ui.conv.state
import ui.conv.tour
import ui.matrix.state
import ui.transposed.state
from tests.app.conftest import run_page
from tests.plotly_spec import decode, spec_of
from ui.common.i18n import LANGUAGE_KEY, LANGUAGES, STRINGS
from ui.common.links import Choice, Domain, Flag

MAX_EXAMPLES = int(os.environ.get("CONTROLS_FUZZ_EXAMPLES", "0")) or None  # None: each page's own number
SEEDED = not os.environ.get("CONTROLS_FUZZ_RANDOM")
WARNING_ICON = "⚠️"  # the icon of refusals (show_problem's errors, refused values); other alerts are results
# Settings every page shares (the frame draws them).
FRAME_SETTINGS: dict[str, Domain] = {LANGUAGE_KEY: Choice(tuple(LANGUAGES)), "presentation": Flag()}


class Case(NamedTuple):
    """How to fuzz one page."""

    page: str
    figures: tuple[str, ...]  # keys of the charts every run must show
    settings: Mapping[str, Domain]  # the shared settings the page registers (its frame call), by domain
    examples: int
    # Page controls whose whole-number values follow the data (a cell, a step): moved into range silently.
    follow_data: frozenset[str] = frozenset()
    # Keys the page itself writes before drawing their widget on every run: what they held is not used.
    rewritten: frozenset[str] = frozenset()
    # The picture the page promises to keep when it refuses settings (default: the figures' specs).
    picture: Callable[[AppTest], Any] | None = None
    # Sessions an example may start from besides a new one (as a link opens them): near the edges.
    starts: tuple[Mapping[str, Any], ...] = ()


def _domains(*groups) -> dict[str, Domain]:
    return {name: domain for group in groups for name, domain in group.domains.items()}


def _formula_line(at: AppTest) -> Any:
    """The chain rule's picture: "f = expression = numbers = value" (the stepper restarts for a new one)."""
    return at.latex[0].value if at.latex else None


def _training_run(at: AppTest) -> Any:
    """The training page's picture is its run: which run, with which settings (a run goes on training)."""
    state = at.session_state
    return state.get("train.run_id"), repr(state["train.settings"])


CONV = _domains(ui.conv.state.SETTINGS)
# The smallest image, without padding: most kernel sizes and dilations then cover more than the image.
SMALL_IMAGE = {"conv.size": 6, "conv.pad_kind": "valid"}
CASES = (
    Case("home", (), {}, 10),
    Case(
        "forward",
        ("forward.maps", "forward.sweep"),
        CONV | _domains(ui.conv.tour.TOUR_SETTINGS),
        50,
        rewritten=frozenset({"_widget_step"}),
        starts=(SMALL_IMAGE,),
    ),
    Case(
        "backward",
        ("backward.chart.weights", "backward.chart.dx"),
        CONV | _domains(ui.backward.state.SETTINGS, ui.backward.tour.TOUR_SETTINGS),
        50,
        rewritten=frozenset({"_widget_step"}),
        starts=(SMALL_IMAGE,),
    ),
    Case(
        "transposed",
        ("transposed.stamp_fig", "transposed.zero_fig", "transposed.counts_fig"),
        _domains(ui.transposed.state.SETTINGS),
        30,
        follow_data=frozenset({"transposed.cell_0", "transposed.cell_1"}),
    ),
    Case(
        "matrix",
        ("matrix.forward_fig", "matrix.im2col_fig", "matrix.dx_fig", "matrix.dw_fig"),
        _domains(ui.matrix.state.SETTINGS),
        30,
        follow_data=frozenset(f"matrix.{p}cell_{axis}" for p in ("", "input.", "tap.") for axis in (0, 1)),
    ),
    Case(
        "pooling",
        ("pooling.forward_fig", "pooling.routing_fig"),
        {},
        40,
        follow_data=frozenset({"pooling.cell_0", "pooling.cell_1"}),
    ),
    Case(
        "activations",
        ("activations.curves_fig", "activations.maps_fig"),
        {},
        30,
        follow_data=frozenset({"activations.cell_0", "activations.cell_1"}),
    ),
    Case("dense", ("dense.fig",), {}, 30, follow_data=frozenset({"dense.shown"})),
    Case(
        "chain_rule",
        ("chain_rule.fig",),
        {},
        40,
        follow_data=frozenset({"chain_rule.step"}),
        picture=_formula_line,
    ),
    Case(
        "normalization",
        ("normalization.forward", "normalization.backward", "normalization.split"),
        {},
        25,
        follow_data=frozenset(f"normalization.entry.{axis}" for axis in range(4)),
    ),
    Case(
        "train",
        ("train.curves", "train.kernels_fig", "train.grads_fig"),
        {},
        20,
        follow_data=frozenset({"train.index"}),
        picture=_training_run,
    ),
)


# --- the harness: what the next run receives --------------------------------------------------------------

# Keys written through the session state since the last run: their widgets send nothing in the next run.
WRITTEN: set[str] = set()
# Widget states the next run receives besides the widgets' own: clicks on figures (AppTest has no click).
CLICKS: list[WidgetState] = []


@pytest.fixture(autouse=True, scope="module")
def _send_what_a_browser_sends() -> Iterator[None]:
    """Make AppTest's requests those of a browser: written keys left out, clicks on figures sent.

    AppTest sends, for each widget, the value the session holds, serialized as the widget's own control
    would: it raises for a value no control could show (a text in a number input) and turns others into
    one it can (-1 into a toggle's True). Sent, that value would replace what was written. Left out, the
    page reads what was written from the session state, as it does when a link or its own code wrote it.
    """
    serialize = element_tree.get_widget_state
    widget_states = element_tree.ElementTree.get_widget_states

    def get_widget_state(node):
        if getattr(node, "key", None) in WRITTEN:
            return None
        try:
            return serialize(node)
        except Exception:  # whatever AppTest cannot serialize, a browser would not send
            return None

    def get_widget_states(tree):
        states = widget_states(tree)
        states.widgets.extend(CLICKS)
        return states

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(element_tree, "get_widget_state", get_widget_state)
        patch.setattr(element_tree.ElementTree, "get_widget_states", get_widget_states)
        yield


# --- what a page shows ------------------------------------------------------------------------------------


def _refused_pattern() -> re.Pattern:
    """The sentence for values put back (the frame's and the topics'), in every language."""
    texts = STRINGS["frame.refused"].values()
    return re.compile("|".join(re.escape(text).replace(re.escape("{names}"), ".*") for text in texts), re.S)


REFUSED = _refused_pattern()


def refusals(at: AppTest) -> list[str]:
    """The sentences that refuse settings: an engine's (an error with ⚠️) and the one for values put back."""
    errors = [e.value for e in at.error if e.proto.icon == WARNING_ICON]
    return errors + [w.value for w in at.warning if REFUSED.fullmatch(w.value)]


def chart_specs(at: AppTest, keys: tuple[str, ...]) -> dict[str, str | None]:
    charts = {chart.key: chart.proto.spec for chart in at.get("plotly_chart")}
    return {key: charts.get(key) for key in keys}


def picture(at: AppTest, case: Case) -> Any:
    if case.picture is not None:
        return case.picture(at)
    return chart_specs(at, case.figures)


def assert_page_shown(at: AppTest, case: Case) -> None:
    """No exception element; the page's figures (home: its picture)."""
    assert not at.exception, at.exception[0].value
    if case.page == "home":
        assert at.get("image"), "home lost its picture"
        return
    missing = [key for key, spec in chart_specs(at, case.figures).items() if spec is None]
    said = [alert.value for alert in (*at.error, *at.warning)]
    assert not missing, f"figures missing: {missing}; the page says: {said}"


def same(a: Any, b: Any) -> bool:
    """Equal, of the same type, NaN equal to NaN (a written value and what the session holds after)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


# --- changes ----------------------------------------------------------------------------------------------

# What a change must give, besides no exception and the page's figures.
ANY = "any"  # a value a control offers: whatever the page makes of it
REFUSED_VALUE = "refused"  # an impossible value: said, put back, the picture kept
MOVED = "moved"  # a whole number for an index control: moved into its range
IGNORED = "ignored"  # a forged click: the picture kept


class Change(NamedTuple):
    """One change to make before a run."""

    what: str  # for the failure report
    expect: str  # ANY, REFUSED_VALUE, MOVED or IGNORED
    apply: Callable[[], Any]
    key: str | None = None  # the session key written (REFUSED_VALUE, MOVED)
    value: Any = None


NUMBER_KINDS = ("slider", "number_input")
CHOICE_KINDS = ("selectbox", "radio", "select_slider", "segmented_control")
FLAG_KINDS = ("toggle", "checkbox")
TEXT_KINDS = ("text_input",)
# Expressions that try the chain rule's parser and engine (text a user can type: the page answers each).
EXPRESSIONS = (
    "x +",
    "1 / (x - x)",
    "exp(1000 * x)",
    "x ** y",
    "max(x)",
    "(yield)",
    "__import__('os')",
    "x − y × z ÷ w",
    "ｘ＋ｙ",
    "log(-1)",
    "2 ** 2 ** 2 ** 2 ** 2",
    "exp(exp(exp(x)))",
    "1e309 * x",
    "",
    " ",
    "x" * 200,
    "(" * 100 + "x" + ")" * 100,
    "a.b",
    "x[0]",
    "lambda: 1",
    "$x$ **bold** <b>",
    "\u202ex + y",
)


def widgets(at: AppTest) -> list[tuple[str, Any]]:
    """Every control on the page now, with its kind."""
    found = []
    for kind in (*NUMBER_KINDS, *CHOICE_KINDS, *FLAG_KINDS, *TEXT_KINDS, "button"):
        found += [(kind, element) for element in getattr(at, kind)]
    return found


def choose(widget: Any, label: str) -> Any:
    """Pick an option by the text it shows, as a browser does (the widget sends that text)."""
    widget.root.session_state[TESTING_KEY][widget.id] = str
    return widget.set_value(label)


def is_int(widget: Any) -> bool:
    return widget.proto.data_type == widget.proto.DataType.INT


def number_values(widget: Any) -> st.SearchStrategy:
    """Values the widget offers: within its bounds, on its step; an unbounded number anything finite."""
    low, high = widget.min, widget.max
    if is_int(widget):
        return st.integers(-(10**6) if low is None else int(low), 10**6 if high is None else int(high))
    if low is not None and high is not None:
        steps = round((high - low) / widget.step)
        return st.integers(0, steps).map(lambda k: round(low + k * widget.step, 10))
    extremes = st.sampled_from([0.0, -0.0, 1e-300, 1e300, -1e300, 1e15, -7.5])
    return st.one_of(st.floats(-1e3, 1e3), extremes)


def control_change(kind: str, widget: Any, data: st.DataObject) -> Change:
    """A value the control offers (drawn from its own bounds and options), or a click of a button."""
    name = f"{kind} {widget.key or widget.label!r}"
    if kind == "button":
        return Change(f"click {name}", ANY, widget.click)
    if kind in NUMBER_KINDS:
        value = data.draw(number_values(widget), label=name)
        return Change(f"{name} = {value!r}", ANY, lambda: widget.set_value(value))
    if kind in CHOICE_KINDS:
        label = data.draw(st.sampled_from(widget.options), label=name)
        return Change(f"{name} → {label!r}", ANY, lambda: choose(widget, label))
    if kind in FLAG_KINDS:
        value = data.draw(st.booleans(), label=name)
        return Change(f"{name} = {value}", ANY, lambda: widget.set_value(value))
    text = data.draw(st.one_of(st.sampled_from(EXPRESSIONS), st.text(max_size=40)), label=name)
    if widget.proto.max_chars:
        text = text[: widget.proto.max_chars]
    return Change(f"{name} = {text!r}", ANY, lambda: widget.set_value(text))


def edit_cell(at: AppTest, data: st.DataObject) -> Change:
    """A browser's edit of one cell of a number grid: a number of any size, or the cell cleared."""
    editors = {editor.key: editor for editor in at.data_editor}
    editor = editors[data.draw(st.sampled_from(sorted(editors)), label="grid")]
    frame = editor.value
    row = data.draw(st.integers(0, frame.shape[0] - 1), label="row")
    column = data.draw(st.sampled_from(list(frame.columns)), label="column")
    number = st.one_of(st.floats(-10, 10), st.sampled_from([None, 0.0, 1e300, -1e300, 1e-300]))
    value = data.draw(number, label="cell")
    edits = {"edited_rows": {row: {column: value}}, "added_rows": [], "deleted_rows": []}

    def apply() -> None:
        at.session_state[editor.key] = edits

    return Change(f"grid {editor.key} [{row}, {column!r}] = {value!r}", ANY, apply)


def clickable_points(chart: Any) -> list[dict[str, Any]]:
    """The points a click on the figure can select: those of its marker traces (a cell's centre each)."""
    points = []
    for number, trace in enumerate(spec_of(chart.proto.spec)["data"]):
        if trace.get("type") == "scatter" and trace.get("mode") == "markers":
            xs, ys = decode(trace["x"]).tolist(), decode(trace["y"]).tolist()
            points += [{"x": x, "y": y, "curve_number": number} for x, y in zip(xs, ys)]
    return points


# Clicks no browser sends: what a forged request may put in a figure's selection.
FORGED_POINTS = (
    [{"x": float("nan"), "y": 1}],
    [{"x": 1, "y": float("inf")}],
    [{"x": "a", "y": 1}],
    [{"x": None, "y": None}],
    [{}],
    [{"x": 10**9, "y": -(10**9)}],
    [{"x": -1, "y": -1}],
    [{"x": True, "y": False}],
    ["point"],
    "points",
    None,
    {"x": 1, "y": 1},
)


def click_figure(at: AppTest, charts: list[Any], data: st.DataObject) -> Change:
    """A click on a point of a clickable figure, or a forged one."""
    chart = charts[data.draw(st.integers(0, len(charts) - 1), label="figure")]
    points = clickable_points(chart)
    forged = not points or data.draw(st.booleans(), label="forged")
    if forged:
        selected = data.draw(st.sampled_from(FORGED_POINTS), label="forged points")
    else:
        selected = [data.draw(st.sampled_from(points), label="point")]
    state = WidgetState(id=chart.proto.id)
    state.string_value = json.dumps(
        {"selection": {"points": selected, "point_indices": [], "box": [], "lasso": []}}
    )
    what = f"{'forged ' if forged else ''}click on {chart.key}: {selected!r}"
    return Change(what, IGNORED if forged else ANY, lambda: CLICKS.append(state))


_NOT_NUMBERS = (float("nan"), float("inf"), float("-inf"), "abc", "", "7", None, [1, 2], True)


def impossible_for(kind: str, widget: Any) -> list[Any]:
    """Values the widget could not hold."""
    if kind in NUMBER_KINDS:
        values = list(_NOT_NUMBERS)
        low, high = widget.min, widget.max
        if is_int(widget):
            values.append(int(low or 0) + 0.5)
            low, high, step = (None if v is None else int(v) for v in (low, high, 1))
        else:
            step = abs(widget.step)
        if low is not None:
            values += [low - step, -(10**9)]
        if high is not None:
            values += [high + step, 10**9, 2**64]
        return values
    if kind in CHOICE_KINDS:
        return ["abc", "", None, -1, 10**9, 2.5, float("nan"), [0]]
    if kind in FLAG_KINDS:
        return [None, "abc", "", 2, float("nan"), [True]]
    # Not a text longer than the box takes: the page refuses it as any text it cannot read, and the box
    # keeps showing it (tests/app/test_chain_rule.py).
    return [None, 5, 2.5, float("nan"), [1], True]


# Values of every sort, for a shared setting: those its domain refuses are impossible.
HOSTILE = (
    10**9,
    -(10**9),
    -1,
    0,
    2.5,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e300,
    "abc",
    "",
    "7",
    None,
    True,
    [1, 2],
    [[1.0, "x"]],
    [[float("nan")]],
    [[1.0], [2.0, 3.0]],
    [[1e9]],
    [[0.0] * 12] * 12,
)


def impossible_change(
    at: AppTest, case: Case, seen: dict[str, list[Any]], data: st.DataObject
) -> Change | None:
    """An impossible value written through the session state, for a shared setting or a page's control."""
    shared = {**FRAME_SETTINGS, **case.settings}
    targets = sorted({*shared, *seen})
    key = data.draw(st.sampled_from(targets), label="key")
    pool = [value for value in HOSTILE if not shared[key].accepts(value)] if key in shared else seen[key]
    value = data.draw(st.sampled_from(pool), label=f"{key} (impossible)")
    whole = isinstance(value, int) and not isinstance(value, bool)
    expect = MOVED if key in case.follow_data and whole else REFUSED_VALUE

    def apply() -> None:
        at.session_state[key] = value
        WRITTEN.add(key)

    return Change(f"session {key} = {value!r}", expect, apply, key, value)


def draw_change(at: AppTest, case: Case, seen: dict[str, list[Any]], data: st.DataObject) -> Change:
    controls = [(kind, w) for kind, w in widgets(at) if not w.proto.disabled]  # a browser can't change those
    charts = [chart for chart in at.get("plotly_chart") if chart.proto.selection_mode]
    kinds = ["control"] * 3 + ["impossible"] * 2
    kinds += ["grid"] if at.data_editor else []
    kinds += ["click"] if charts else []
    kind = data.draw(st.sampled_from(kinds), label="change")
    if kind == "impossible":
        return impossible_change(at, case, seen, data)
    if kind == "grid":
        return edit_cell(at, data)
    if kind == "click":
        return click_figure(at, charts, data)
    # Drawn by name: Hypothesis prints what it drew, and an element's repr may raise.
    names = [f"{kind} {widget.key or widget.label!r} #{n}" for n, (kind, widget) in enumerate(controls)]
    index = names.index(data.draw(st.sampled_from(names), label="control"))
    return control_change(*controls[index], data)


def remember_controls(at: AppTest, case: Case, seen: dict[str, list[Any]]) -> None:
    """Note the page's own controls and what each could not hold (they stay targets once hidden)."""
    shared = {**FRAME_SETTINGS, **case.settings}
    for kind, widget in widgets(at):
        if kind != "button" and widget.key and widget.key not in shared:
            seen[widget.key] = impossible_for(kind, widget)


# --- the test ---------------------------------------------------------------------------------------------


def check_run(at: AppTest, case: Case, change: Change, before: Any, refused_before: bool) -> None:
    """What every run after a change must show."""
    assert_page_shown(at, case)
    refused = refusals(at)
    after = picture(at, case)
    if change.expect == REFUSED_VALUE and change.key not in case.rewritten:
        assert refused, f"{change.what}: the page took it without a word"
    if change.expect in (REFUSED_VALUE, IGNORED):
        assert after == before, f"{change.what}: the picture changed"
    if refused and not refused_before:
        assert after == before, f"refused ({refused[0]}) but the picture changed"
    if change.expect in (REFUSED_VALUE, MOVED) and change.key in at.session_state:
        assert not same(at.session_state[change.key], change.value), f"{change.what}: the session holds it"


def fuzz_page(case: Case, data: st.DataObject) -> None:
    start = data.draw(st.sampled_from([{}, *case.starts]), label="session") if case.starts else {}
    at = run_page(case.page, dict(start))
    assert_page_shown(at, case)
    seen: dict[str, list[Any]] = {}
    for _ in range(data.draw(st.integers(2, 5), label="changes")):
        remember_controls(at, case, seen)
        before, refused_before = picture(at, case), bool(refusals(at))
        change = draw_change(at, case, seen, data)
        note(change.what)
        change.apply()
        try:
            at.run()
        finally:
            WRITTEN.clear()
            CLICKS.clear()
        check_run(at, case, change, before, refused_before)


@pytest.mark.parametrize("case", CASES, ids=[case.page for case in CASES])
def test_any_controls_keep_the_page_whole(case: Case) -> None:
    @settings(
        max_examples=MAX_EXAMPLES or case.examples,
        deadline=None,
        derandomize=SEEDED,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # Explaining a failure reruns it many times over (minutes here); the shrunk steps say enough.
        phases=[phase for phase in Phase if phase is not Phase.explain],
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        fuzz_page(case, data)

    fuzz()
