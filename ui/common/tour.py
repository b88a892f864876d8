"""The guided tour: numbered steps (Back / Next) that walk through one computation on a page.

Each step says what happens, names the panel of the figure to look at and its colour in a callout
beside the figure, and moves the animation so that the window is where the text says. The open step
lives in the session key "tour.<page>" (0: the tour is closed) and travels in the page's links as
"tour", so a lecturer can link to a step (ui/common/links.py). Texts are "tour.<page>.<step>.*" strings.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import streamlit as st

from ui.common.controls import clicker
from ui.common.i18n import t
from ui.common.links import IntRange, SettingGroup

PENDING_KEY = "tour.pending"  # set by Back / Next: the page moves the animation to the new step's cell
RERUN_KEY = "tour.rerun"  # set when a step changed settings (the crop): the whole page redraws


class TourStep(NamedTuple):
    """One step of a tour: its strings, the settings it shows, and where the animation's window is."""

    name: str  # strings "tour.<page>.<name>.title", ".text" and ".where"
    settings: dict[str, Any]  # session values set when the step opens (e.g. where the crop is)
    cell: str  # the output cell shown in the animated crop: one of CELLS


# Which output cell of the animated crop a step shows: its first or last cell, the cell with the
# strongest response |Z| (an edge, not a flat patch where every product cancels out), or the cell
# just right of it (the window moved by one stride).
FIRST, STRONGEST, BESIDE, LAST = "first", "strongest", "beside", "last"
CELLS = (FIRST, STRONGEST, BESIDE, LAST)


def cell_in_crop(cell: str, z_crop: np.ndarray) -> tuple[int, int]:
    """The (row, column) in the crop that a step shows.

    Args:
        cell: one of CELLS.
        z_crop: (rows, cols), the pre-activation output over the crop.
    """
    rows, cols = z_crop.shape
    if cell == FIRST:
        return 0, 0
    if cell == LAST:
        return rows - 1, cols - 1
    # Leave the last column out, so that the cell beside the strongest one is in the crop too.
    candidates = np.abs(z_crop[:, :-1] if cols > 1 else z_crop)
    i, j = np.unravel_index(int(np.argmax(candidates)), candidates.shape)
    return int(i), int(j) + (1 if cell == BESIDE and cols > 1 else 0)


def tour_key(page_id: str) -> str:
    """The session key of the page's open tour step (0: closed)."""
    return f"tour.{page_id}"


def tour_settings(page_id: str, steps: tuple[TourStep, ...]) -> SettingGroup:
    """The page's tour step as a setting: closed (0) in a new session, and carried by the page's links."""
    return SettingGroup({tour_key(page_id): 0}, {tour_key(page_id): IntRange(0, len(steps))})


def go_to_step(page_id: str, steps: tuple[TourStep, ...], k: int) -> None:
    """Open step k (0 closes the tour) with its settings; the page then moves the animation to its cell."""
    state = st.session_state
    state[tour_key(page_id)] = k
    state[PENDING_KEY] = k > 0
    if k == 0:
        return
    changed = {name: value for name, value in steps[k - 1].settings.items() if state.get(name) != value}
    state.update(changed)
    state[RERUN_KEY] = bool(changed)


def open_step(page_id: str) -> int:
    """The page's open tour step, 1 … n, or 0 when the tour is closed."""
    return int(st.session_state.get(tour_key(page_id), 0))


def needs_page_rerun() -> bool:
    """True once after a tour step changed settings: a fragment must rerun the whole page."""
    return bool(st.session_state.pop(RERUN_KEY, False))


def move_to_cell(
    page_id: str, steps: tuple[TourStep, ...], region: tuple, z_map: np.ndarray, step_key: str
) -> None:
    """After Back / Next: set the animation step (`step_key`) to the open tour step's output cell.

    Args:
        region: (i0, i1, j0, j1), the animated crop of output cells; steps run row by row through it.
        z_map: (H_out, W_out), the pre-activation output of the animated kernel.
    """
    if not st.session_state.pop(PENDING_KEY, False) and not _opened_by_link_without_step(page_id):
        return
    k = open_step(page_id)
    if not 1 <= k <= len(steps):
        return
    i0, i1, j0, j1 = region
    i, j = cell_in_crop(steps[k - 1].cell, z_map[i0:i1, j0:j1])
    st.session_state[step_key] = i * (j1 - j0) + j


def _opened_by_link_without_step(page_id: str) -> bool:
    """True once per session when a link opened the page at a tour step but named no animation step:
    the animation then goes to the cell the tour step explains, as if Next had led there."""
    state, placed = st.session_state, f"tour.placed.{page_id}"
    if state.get(placed):
        return False
    state[placed] = True
    return open_step(page_id) > 0 and "step" not in st.query_params


def tour_panel(
    page_id: str, steps: tuple[TourStep, ...], values: dict[str, Any], formulas: dict[str, list[str]]
) -> None:
    """The tour beside the figure: a start button, or the open step with its callout and Back / Next.

    Args:
        page_id: the page's file stem; its texts are the "tour.<page_id>.*" strings.
        steps: the page's tour.
        values: the numbers and names the step texts are filled with.
        formulas: LaTeX shown under a step's text, by step name.
    """
    k = open_step(page_id)
    if not 1 <= k <= len(steps):
        help_text = t(f"tour.{page_id}.start_help")
        st.button(
            t("tour.start"), help=help_text, on_click=go_to_step, args=(page_id, steps, 1), key="tour.start"
        )
        return
    step = steps[k - 1]
    prefix = f"tour.{page_id}.{step.name}"
    # The step's title is an h2, like the section the tour sits in: on a projector that section's own
    # heading is left out, and a screen reader's list of headings must not skip a level (h1 to h3).
    # The key styles it (assets/style.css).
    with st.container(border=True, key="tour-panel"):
        st.markdown(f"**🧭 {t('tour.title')} · {t('tour.progress', k=k, n=len(steps))}**")
        st.markdown(f"## {t(prefix + '.title')}")
        st.markdown(t(prefix + ".text", **values))
        for tex in formulas.get(step.name, []):
            st.latex(tex)
        st.info(t(prefix + ".where", **values), icon="👉")
        back, forward, end = st.columns(3)
        back.button(
            t("tour.back"),
            **clicker(-1),
            disabled=k == 1,
            on_click=go_to_step,
            args=(page_id, steps, k - 1),
            key="tour.back",
        )
        forward.button(
            t("tour.next"),
            **clicker(+1),
            disabled=k == len(steps),
            on_click=go_to_step,
            args=(page_id, steps, k + 1),
            key="tour.next",
            type="primary",
        )
        end.button(t("tour.end"), on_click=go_to_step, args=(page_id, steps, 0), key="tour.end")
