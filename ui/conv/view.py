"""Page pieces shared by the convolution pages: last good result, step controls, clicks on cells."""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st
from streamlit.errors import StreamlitAPIException

from engine.geometry import ConvGeometry
from ui.common.controls import clicker, clicker_hint, point_cell
from ui.common.display import problem_text
from ui.common.i18n import t
from ui.common.state import bind
from ui.conv.state import CONV_DEFAULTS, MAX_INDEX

STEP_KEY = "conv.step"
# The sentence of the settings a session could never use, kept over the rerun that starts it again from
# the first settings (see `last_good`); and that it did, so that it does at most once a session.
STARTED_OVER_KEY = "_conv_started_over"
ONCE_KEY = "_conv_started_over_once"


def last_good(page: str, value: Any = None, problem: BaseException | None = None) -> Any:
    """Remember the page's last result that worked (with a value), or return it (without one).

    With nothing remembered yet (a link whose settings do not fit together, e.g. an 11 × 11 Sobel
    kernel), the page starts again from its first settings, and says why, instead of showing nothing but
    the refusal: the `problem` is kept for that rerun. Should the first settings fail too, the page stops
    after its message.
    """
    key = f"{page}.last_good"
    if value is not None:
        st.session_state[key] = value
        return value
    if key not in st.session_state:
        if problem is None or st.session_state.get(ONCE_KEY):
            st.stop()
        st.session_state[ONCE_KEY] = True
        st.session_state[STARTED_OVER_KEY] = problem_text(problem)
        st.rerun()  # its widgets exist in this run: the next one puts their first values back
    return st.session_state[key]


def say_started_over() -> None:
    """After `last_good` asked to start the page again: put the first settings back (before any of the
    page's widgets) and say why, once."""
    if STARTED_OVER_KEY in st.session_state:
        for name, default in CONV_DEFAULTS.items():
            st.session_state[name] = default
        st.warning(t("conv.started_over", problem=st.session_state.pop(STARTED_OVER_KEY)), icon="⚠️")


def shape_line(setup, geometry: ConvGeometry) -> str:
    """One sentence with every shape of the layer and its parameter count."""
    F, C, KH, KW = setup.kernels.shape
    weights = F * C * KH * KW
    H, W = geometry.in_size
    H_out, W_out = geometry.out_size
    return t(
        "forward.shape_line",
        C=C,
        H=H,
        W=W,
        F=F,
        KH=KH,
        KW=KW,
        H_out=H_out,
        W_out=W_out,
        params=weights + F,
        weights=weights,
    )


def _move_step(delta: int, n_steps: int) -> None:
    st.session_state[STEP_KEY] = int(min(max(st.session_state[STEP_KEY] + delta, 0), n_steps - 1))


def _copy_step() -> None:
    st.session_state[STEP_KEY] = int(st.session_state["_widget_step"]) - 1


def step_buttons(n_steps: int, keys: bool = True, places: tuple | None = None) -> None:
    """◀ / ▶ buttons and the step number: the step the figure shows first and explains below.

    With `keys`, a clicker's PageDown / PageUp press ▶ / ◀ (off while the page's tour is open: its own
    buttons take the keys, and each of its steps moves the animation too). `places`: three containers
    (the number, ◀, ▶: a projector's row under the figure, whose page writes the clicker's hint below);
    by default the number, the buttons beside each other under it, and the hint.
    """
    st.session_state[STEP_KEY] = min(st.session_state[STEP_KEY], n_steps - 1)
    st.session_state["_widget_step"] = st.session_state[STEP_KEY] + 1
    number = places[0] if places else st
    # In a projector's row the label is left out (still the field's name for a screen reader): a line
    # less under the figure, and the row's buttons say what the number is.
    number.number_input(
        f"{t('forward.step')} (1–{n_steps})",
        1,
        n_steps,
        key="_widget_step",
        on_change=_copy_step,
        label_visibility="collapsed" if places else "visible",
    )
    back, forward = places[1:] if places else st.columns(2)
    back.button(
        t("forward.prev"), on_click=_move_step, args=(-1, n_steps), width="stretch", **clicker(-1, keys)
    )
    forward.button(
        t("forward.next"), on_click=_move_step, args=(1, n_steps), width="stretch", **clicker(1, keys)
    )
    if places is None:
        clicker_hint()


def _restart_steps() -> None:
    st.session_state[STEP_KEY] = 0


def crop_size_control(container) -> None:
    """How many output cells per side the step-by-step crop has (changing it starts from step 1)."""
    container.number_input(t("forward.crop_size"), 1, 20, **bind("conv.crop_size"), on_change=_restart_steps)


def _cell(point: Any) -> tuple[int, int] | None:
    """The (row, col) a clicked point names, or None (ui.common.controls.point_cell)."""
    return point_cell(point, MAX_INDEX)


def _new_click(event: Any, source: str) -> tuple[int, int] | None:
    """The (row, col) of a click not handled before, from a chart's selection event."""
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if not isinstance(points, list) or not points:
        return None
    cell = _cell(points[-1])
    if cell is None:
        return None
    marker = f"{source}.last_click"
    if st.session_state.get(marker) == (cell, len(points)):
        return None
    st.session_state[marker] = (cell, len(points))
    return cell


def clicked_cell(event: Any, region: tuple | None, source: str, crop_side: int = 0) -> bool:
    """Act on a click on an output cell; True when something changed (the caller reruns).

    In the animation (a region given) the click jumps to that cell's step; on a full-resolution map it
    moves the crop so the clicked cell is in its middle, and shows that cell's step.
    """
    cell = _new_click(event, source)
    if cell is None:
        return False
    i, j = cell
    if region is not None:
        i0, i1, j0, j1 = region
        if not (i0 <= i < i1 and j0 <= j < j1):
            return False
        st.session_state[STEP_KEY] = (i - i0) * (j1 - j0) + (j - j0)
        return True
    st.session_state["conv.crop_i"] = max(0, i - crop_side // 2)
    st.session_state["conv.crop_j"] = max(0, j - crop_side // 2)
    st.session_state["conv.focus"] = (i, j)  # its step is known once the crop is clipped to the map
    return True


def rerun_fragment() -> None:
    """Rerun the fragment being run (a click moved its step); the whole page when this is a full run.

    A click on a figure inside a fragment reruns that fragment alone, but a request can bring it to a full
    run (a forged one, or a click merged with a full rerun requested at the same time), where Streamlit
    refuses a fragment's rerun.
    """
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def focus_step(region: tuple) -> None:
    """After a click on a full map moved the crop: show the clicked cell's step in the new crop."""
    focus = st.session_state.pop("conv.focus", None)
    if focus is None:
        return
    i0, i1, j0, j1 = region
    i, j = focus
    if i0 <= i < i1 and j0 <= j < j1:
        st.session_state[STEP_KEY] = (i - i0) * (j1 - j0) + (j - j0)


class StepLayout(NamedTuple):
    """Where the step-by-step controls and the figure go (Streamlit containers)."""

    kernel: Any  # which kernel is animated
    crop: Any | None  # the crop's size; None in presentation mode (a control fewer on a projector)
    steps: Any  # the step number and ◀ / ▶: one container, or three (a projector's row)
    tour: Any | None  # the guided tour; None: the page draws it below the step's arithmetic
    figure: Any  # the animated figure


def step_layout(presentation: bool, *, pick: bool = True, tour_open: bool = False) -> StepLayout:
    """Where the pieces of a step-by-step view go.

    On a page: one row of controls (kernel, crop, steps), the tour below it, then the figure. On a
    projector the first screen is what the room sees: the figure first, then one row with the step
    number, ◀, ▶ and the tour's button (and the kernel's picker when there is a choice, `pick`); an open
    tour's text goes below the step's arithmetic (`tour` None), so the figure stays on the first screen.
    """
    if presentation:
        figure = st.container()
        widths = [1.8, 1.3, 1.5, 1.5] + ([] if tour_open else [1.5])
        cells = st.columns(widths if pick else widths[1:], vertical_alignment="bottom")
        kernel, cells = (cells[0], cells[1:]) if pick else (None, cells)
        tour = None if tour_open else cells[3]
        return StepLayout(kernel, None, tuple(cells[:3]), tour, figure)
    kernel, crop, steps = st.columns([1, 1, 2])
    return StepLayout(kernel, crop, steps, st.container(), st.container())


def crop_side(projector_side: int) -> int:
    """The animated crop's side: the user's; on a projector at most `projector_side`, the most output
    cells a side whose numbers the page's figure shows at the projector's size (viz.projector)."""
    side = int(st.session_state["conv.crop_size"])
    return min(side, projector_side) if st.session_state["presentation"] else side
