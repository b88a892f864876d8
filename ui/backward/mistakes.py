"""The gradient check's planted mistakes: "Introduce a mistake" and "Which mistake is it?".

The check view (ui/backward/closer.py, `check_section`) asks `mistake_controls` which backward pass to
check: the engine's, one the user picked from engine.mistakes.LAYER_MISTAKES, or, in the guessing mode,
one the app planted at random (seeded once per session; "Another one" draws the next) whose name stays
hidden until the student answers. `mistake_report` then names the mistake (or asks for a guess), says how
it shows up in real code, and draws where the planted gradient differs from the numerical one.
"""

from __future__ import annotations

import secrets

import numpy as np
import streamlit as st

from engine.layer_check import GradientCheck
from engine.mistakes import (
    LAYER_MISTAKES,
    MISTAKES,
    NONE,
    difference_maps,
    planted_gradients,
    right_function,
    spoiled,
)
from ui.backward import labels as words
from ui.backward.compute import loss_spec
from ui.backward.sections import Problem, figure_view
from ui.backward.state import MISTAKE_CHOICES
from ui.common.caching import cached_resource
from ui.common.display import show_figure, show_source
from ui.common.i18n import join_sentences, t
from ui.common.state import bind
from viz.animation import prebuilt_figure
from viz.mistakes import DifferenceLabels, difference_figure

# A difference below this fraction of the array's largest numerical gradient is rounding, drawn white (the
# scale's limits never shrink below it); a planted mistake is off by far more (the check's 1e-2 and up).
ROUNDING = 1e-6
# Session keys of the guessing mode (not settings: a link must not give the answer away).
SEED_KEY = "_backward.mystery_seed"  # drawn once per session
MYSTERY_KEY = "_backward.mystery"  # {"round": n, "id": the planted mistake}
ANSWER_KEY = "_backward.mystery_answer"  # (round, the mistake the student picked)


def mistake_name(mistake_id: str) -> str:
    return t("mistake.none") if mistake_id == NONE else t(f"mistake.{mistake_id}.name")


def mistake_controls(p: Problem) -> str:
    """ "Introduce a mistake", the guessing toggle and "Another one"; returns the backward pass to check:
    NONE, the mistake picked, or the one the app planted (its name hidden)."""
    left, right = st.columns([3, 2], gap="medium")
    guessing = right.toggle(t("mistake.guess"), help=t("mistake.guess_help"), **bind("backward.guess"))
    left.selectbox(
        t("mistake.control"),
        MISTAKE_CHOICES,
        format_func=mistake_name,
        help=t("mistake.control_help"),
        disabled=guessing,  # the guessing mode plants its own, hidden
        **bind("backward.mistake"),
    )
    if not guessing:
        return st.session_state["backward.mistake"]
    state = st.session_state
    mystery = state.get(MYSTERY_KEY)
    if right.button(t("mistake.another"), key="mistake.another") or mystery is None:
        mystery = _new_mystery(p, -1 if mystery is None else mystery["round"], mystery and mystery["id"])
    st.caption(t("mistake.guess_intro"))
    return mystery["id"]


def _new_mystery(p: Problem, last_round: int, last_id: str | None) -> dict:
    """Plant the next mistake of this session's sequence: one that shows on this problem, not the last one."""
    state = st.session_state
    if SEED_KEY not in state:
        state[SEED_KEY] = secrets.randbelow(2**31)
    shows = [m for m in LAYER_MISTAKES if spoiled_arrays(p, m)] or list(LAYER_MISTAKES)
    fresh = [m for m in shows if m != last_id] or shows
    round_ = last_round + 1
    rng = np.random.default_rng([state[SEED_KEY], round_])
    mystery = {"round": round_, "id": fresh[int(rng.integers(len(fresh)))]}
    state[MYSTERY_KEY] = mystery
    return mystery


def spoiled_arrays(p: Problem, mistake_id: str) -> tuple[str, ...]:
    """Which gradients ("W", "b", "X") the mistake changes on this problem (empty: it does no harm here)."""
    return _spoiled(p.key, p.choice, mistake_id, p)


@cached_resource(max_entries=64)
def _spoiled(key: tuple, choice, mistake_id: str, _p: Problem) -> tuple[str, ...]:
    s = _p.setup
    spec = loss_spec(_p.run, choice)
    wrong = planted_gradients(s.image, s.kernels, s.biases, s.activation, spec, mistake_id, **s.hyper)
    return spoiled(_p.run.grads, wrong)


def follows_the_last_check(last: tuple | None, wanted: tuple) -> bool:
    """Whether a check already ran for this problem and settings with another mistake: rerun it for this one
    (choosing a mistake, or "Another one", then shows its check without a second button)."""
    return last is not None and last[:-1] == wanted[:-1] and last[-1] != wanted[-1]


def failed_check_key(planted: str) -> str:
    """What a failed check advises: ε or Richardson for the engine's own pass, else the planted mistake."""
    return "backward.check_bad" if planted == NONE else "mistake.check_bad"


def mistake_report(p: Problem, check: GradientCheck, planted: str) -> None:
    """Name the planted mistake (or ask which it is), how it shows up in real code, and where it shows."""
    if planted == NONE:
        return
    guessing = bool(st.session_state["backward.guess"])
    changed = spoiled_arrays(p, planted)
    if not guessing:  # named first, then where it shows
        st.error(t("mistake.planted", name=mistake_name(planted)), icon="🐞")
        reveal(planted)
    if changed:
        _difference_maps(p, check, planted, changed)
    else:
        why = "" if guessing else t(f"mistake.{planted}.hidden")  # the guess would be given away
        st.info(join_sentences(t("mistake.passes"), why), icon="ℹ️")
    if guessing:  # the maps are the clue: the question comes after them
        _guess(planted)


def _guess(planted: str) -> None:
    """The student's pick, checked: right or wrong, then the mistake's name and sentence revealed."""
    state = st.session_state
    round_ = state[MYSTERY_KEY]["round"]
    answer = state.get(ANSWER_KEY)
    if answer is None or answer[0] != round_:
        picked = st.radio(t("mistake.pick"), LAYER_MISTAKES, index=None, format_func=mistake_name)
        if not st.button(t("mistake.submit"), key="mistake.submit", disabled=picked is None):
            return
        answer = state[ANSWER_KEY] = (round_, picked)
    name = mistake_name(planted)
    if answer[1] == planted:
        st.success(t("mistake.right", name=name), icon="🎯")
    else:
        st.error(t("mistake.wrong", picked=mistake_name(answer[1]), name=name), icon="❌")
    reveal(planted)


def reveal(planted: str) -> None:
    """How the mistake shows up in real code, and its code beside the engine's right one."""
    st.markdown(t(f"mistake.{planted}.sentence"))
    show_source(MISTAKES[planted].wrong, right_function(planted), title=t("mistake.source"))


def _difference_maps(p: Problem, check: GradientCheck, planted: str, changed: tuple[str, ...]) -> None:
    st.caption(t("mistake.diff_lead"))
    s = p.setup
    shapes = {"W": s.kernels.shape, "b": s.kernels.shape[:1], "X": s.image.shape}
    maps = difference_maps(check, shapes)
    suffix = words.channel_suffix(s.image.shape[0], p.c)
    titles = (t("mistake.fig.dw", f=p.f + 1, suffix=suffix), t("mistake.fig.dx", suffix=suffix))
    labels = DifferenceLabels(
        t("mistake.fig.bar"), t("mistake.fig.unchecked"), t("mistake.fig.row"), t("mistake.fig.col")
    )
    # The check's numbers key the figure: the same check draws the same figure (no restart on rerun).
    numbers = check.analytic.tobytes() + check.numeric.tobytes()
    names = np.array(check.arrays)
    magnitudes = tuple(float(np.max(np.abs(check.numeric[names == a]), initial=0.0)) for a in ("W", "X"))
    view = (p.f, p.c, *figure_view())
    spec = _difference_spec(p.key, p.choice, planted, numbers, *view, maps, titles, labels, magnitudes)
    show_figure(spec, alt=t("mistake.alt_diff"), key="backward.chart.mistake")
    if "b" in changed:
        values = ", ".join(f"{v:.3g}" for v in maps["b"] if np.isfinite(v))
        st.caption(t("mistake.diff_db", values=values))


@cached_resource(max_entries=8)
def _difference_spec(
    key: tuple,
    choice,
    planted: str,
    analytic: bytes,
    f: int,
    c: int,
    language: str,
    presentation: bool,
    _maps: dict,
    _titles: tuple[str, str],
    _labels: DifferenceLabels,
    _magnitudes: tuple[float, float],
):
    """The difference maps of dW (kernel f, channel c) and dX (channel c), as a figure ready to send."""
    panels = [(_titles[0], _maps["W"][f, c]), (_titles[1], _maps["X"][c])]
    floors = [ROUNDING * magnitude for magnitude in _magnitudes]
    return prebuilt_figure(difference_figure(panels, _labels, floors=floors, presentation=presentation))
