"""Controls and helpers every topic page uses: the last good input, widget starts, a cell picker.

A page keeps the last input that worked (`remember`) and shows it again when a new one is refused
(`last_good`). Widgets of the dense, chain rule and normalization pages are started by writing their key
once (`start_value`), never with `value=` as well, so a preset or a test can set them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st

from ui.common.display import show_problem
from ui.common.i18n import STRINGS, t
from ui.common.links import Domain
from ui.common.state import put_back_impossible

Inputs = TypeVar("Inputs")
Result = TypeVar("Result")

CHECK_THRESHOLD = 1e-7  # a relative error at or below this says the gradients agree


# The keys a presenter's clicker sends: PageDown for the next slide, PageUp for the previous one (what
# PowerPoint and every slide viewer take). Bound to one pair of step buttons at a time: a page's open tour,
# else its animation's step buttons. The arrow keys press the same buttons through assets/clicker.js,
# except where the focus is on a control that uses them (a slider, a number field, a radio group).
CLICKER_NEXT = "PageDown"
CLICKER_BACK = "PageUp"


def clicker(direction: int, enabled: bool = True) -> dict[str, str]:
    """A step button's keyword arguments for the clicker: its shortcut (none when `enabled` is False).

    Args:
        direction: +1 for the button that steps forward, -1 for the one that steps back.
        enabled: False where another pair of buttons on the page has the keys (an open tour).
    """
    if not enabled:
        return {}
    return {"shortcut": CLICKER_NEXT if direction > 0 else CLICKER_BACK}


def clicker_hint(play: bool = False) -> None:
    """One line under the step buttons in presentation mode: which keys of a clicker step the animation.

    Args:
        play: the page has no step buttons: the keys step its animated figure, and Space plays it
            (assets/clicker.js).
    """
    if st.session_state.get("presentation"):
        st.caption(t("clicker.hint_play" if play else "clicker.hint"))


def keep_possible(controls: Mapping[str, Domain]) -> None:
    """Put back every control of a page whose value it could not hold, and say which (before any widget).

    Each topic lists its controls' session keys with the values each can hold (its `CONTROLS`); see
    `ui.common.state.put_back_impossible` for what is put back and how. The sentence names a control by
    its label where the key is also a string id, else by its key.
    """
    refused = put_back_impossible(controls)
    say_refused([t(key) if key in STRINGS else key for key in refused])


def say_refused(names: list[str]) -> None:
    """The one sentence for values put back (ui.common.state.put_back_impossible): nothing when none were."""
    if names:
        st.warning(t("frame.refused", names=", ".join(names)), icon="⚠️")


def remember(key: str, value: Any) -> None:
    """Keep `value` as the last good input of a page (shown again when a new input fails)."""
    st.session_state[key] = value


def last_good(key: str, default: Any) -> Any:
    """The last good input kept under `key`, or `default` when none was kept yet."""
    return st.session_state.get(key, default)


def result_or_last_good(
    compute: Callable[[Inputs], Result], inputs: Inputs, *, key: str, default: Inputs, kept: str | None = None
) -> tuple[Inputs, Result]:
    """Every topic page's skeleton: the result of the new inputs, or, when the engine refuses them, a sentence
    saying why and the result of the last inputs that worked (the page keeps its picture).

    Args:
        compute: the page's cached computation (it raises ValueError, an engine error, for inputs that do
            not fit).
        inputs: what the controls hold now.
        key: the session key of the page's last good inputs.
        default: the inputs to fall back on before any worked (the page's defaults).
        kept: a sentence under the refusal saying that the last good result stays, or None.

    Returns:
        (the inputs shown, their result).
    """
    try:
        result = compute(inputs)
    except ValueError as err:
        show_problem(err)
        if kept:
            st.caption(kept)
        inputs = last_good(key, default)
        return inputs, compute(inputs)
    remember(key, inputs)
    return inputs, result


def start_value(key: str, value: Any) -> None:
    """Give a widget's key its first value (once per session), so the widget is drawn without `value=`."""
    if key not in st.session_state:
        st.session_state[key] = value


def clamp_value(key: str, low: float, high: float) -> None:
    """Keep a stored widget value inside [low, high] (a number input refuses a value outside its range)."""
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], low), high)


def check_verdict(error: float) -> str:
    """✓ when a relative error says the gradients agree, ✗ otherwise."""
    return "✓" if error <= CHECK_THRESHOLD else "✗"


def cell_picker(prefix: str, shape: tuple[int, int], default: tuple[int, int], labels: tuple[str, str]):
    """Two number inputs choosing a cell (row, col) of a grid of `shape`; returns the chosen cell.

    A value left over from a bigger grid is clamped into this one before the widgets are drawn (a number
    input refuses a stored value above its maximum).
    """
    cell = []
    for axis, column in enumerate(st.columns(2)):
        key, n = f"{prefix}.cell_{axis}", shape[axis]
        start_value(key, default[axis])
        st.session_state[key] = int(min(max(st.session_state[key], 0), n - 1))
        value = column.number_input(labels[axis], min_value=0, max_value=n - 1, step=1, key=key)
        cell.append(int(value))
    return cell[0], cell[1]


def point_cell(point: Any, limit: int) -> tuple[int, int] | None:
    """The (row, col) a clicked heatmap point names (its y, x), or None for a point no click on a map of
    at most `limit` + 1 cells a side gives.

    A browser sends the coordinates of a cell it drew; a forged request can send anything in their place
    (text, NaN, a missing coordinate, a cell of no map): that is ignored, the page stays as it is.
    """
    if not isinstance(point, dict):
        return None
    y, x = point.get("y"), point.get("x")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (y, x))
    if not numbers or not all(0 <= v <= limit for v in (y, x)):  # NaN fails the comparison too
        return None
    return round(y), round(x)
