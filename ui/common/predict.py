"""Predict, then reveal: a page asks what the next step will give before it shows it.

A question has an id (what it asks about, e.g. the output cell and the setup it belongs to), the true
answer (from the engine, computed by the page) and a tolerance. The student types a guess and presses
"Check": the page says whether it is right within the stated tolerance, then reveals the answer with its
arithmetic (the page draws that). In presentation mode the lecturer asks the room and presses "Reveal":
no field, no score. The score counts every checked question of the session, on every page.

Each question's outcome stays in the session under its id, so a rerun (another control, a step button)
keeps it answered; a new setup or another cell is a new question.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import streamlit as st

from ui.common.controls import start_value
from ui.common.display import math_block
from ui.common.i18n import t
from ui.common.state import bind

ON_KEY = "predict"  # a shared setting (ui/common/state.py): a lecturer's link may turn it on
SCORE_KEY = "predict.score"  # [right, checked] over the session
OUTCOMES_KEY = "predict.outcomes"  # question id -> Outcome
# A typed value counts as right within this much of the truth: 0.01 absolute, or 1 % of the value.
ABS_TOLERANCE, REL_TOLERANCE = 0.01, 0.01


class Outcome(NamedTuple):
    """What happened to a question: the guesses (None when revealed without one) and whether right."""

    guesses: tuple[float, ...] | None
    right: bool | None  # None: revealed by the lecturer, not checked


def is_on() -> bool:
    """Whether the student asked to predict before each step is shown."""
    return bool(st.session_state.get(ON_KEY, False))


def toggle() -> bool:
    """The switch that turns predictions on (its state is the session's, for every page)."""
    return st.toggle(t("predict.toggle"), help=t("predict.toggle_help"), **bind(ON_KEY))


def close_enough(guess: float, truth: float, exact: bool = False) -> bool:
    """Whether a guess is right: equal for counts and indices (`exact`), else within the tolerance."""
    if not math.isfinite(guess):
        return False
    if exact:
        return guess == truth
    return abs(guess - truth) <= max(ABS_TOLERANCE, REL_TOLERANCE * abs(truth))


def outcome(question: str) -> Outcome | None:
    """The question's outcome so far (None: still open)."""
    return st.session_state.get(OUTCOMES_KEY, {}).get(question)


def record(question: str, guesses: tuple[float, ...], right: bool) -> None:
    """Keep the outcome of a question answered another way than by typing (e.g. a click on a cell)."""
    _record(question, Outcome(guesses, right))


def reveal_button(question: str) -> None:
    """The lecturer's button that reveals a question's answer to the room (presentation mode)."""
    st.button(
        t("predict.reveal"),
        key=f"predict.reveal.{question}",
        on_click=_record,
        args=(question, Outcome(None, None)),
    )


def _record(question: str, result: Outcome) -> None:
    outcomes = dict(st.session_state.get(OUTCOMES_KEY, {}))
    outcomes[question] = result
    st.session_state[OUTCOMES_KEY] = outcomes
    if result.right is not None:
        right, checked = st.session_state.get(SCORE_KEY, (0, 0))
        st.session_state[SCORE_KEY] = (right + int(result.right), checked + 1)


def _check(question: str, fields: Sequence[str], truths: Sequence[float], exact: bool) -> None:
    guesses = tuple(float(st.session_state.get(key) or 0.0) for key in fields)
    right = all(close_enough(g, v, exact) for g, v in zip(guesses, truths, strict=True))
    _record(question, Outcome(guesses, right))


def ask(
    question: str,
    prompt: str,
    labels: Sequence[str],
    truths: Sequence[float],
    *,
    exact: bool = False,
    step: float = 0.01,
    formulas: Sequence[str] = (),
) -> Outcome | None:
    """Ask for one or more numbers (side by side) and check them together; return the outcome, if any.

    Args:
        question: its id, unique for what it asks (e.g. "forward.z.<setup>.<kernel>.<i>.<j>").
        prompt: the question, Markdown.
        labels: one per number asked.
        truths: the engine's answers, in the same order.
        exact: whole numbers that must be equal (sizes, indices), not within the tolerance.
        step: the fields' step.
        formulas: LaTeX to work with, shown under the question (e.g. the window and the kernel).
    """
    done = outcome(question)
    if done is not None:
        return done
    with st.container(border=True):
        math_block(f"**{t('predict.title')}** {prompt}", formulas)
        if st.session_state.get("presentation"):  # the room answers aloud; the lecturer reveals
            reveal_button(question)
            return None
        keys = [f"predict.guess.{question}.{n}" for n in range(len(labels))]
        for column, label, key in zip(st.columns(len(labels) + 1), labels, keys, strict=False):
            kind = {"step": 1, "format": "%d"} if exact else {"step": step, "format": "%g"}
            start_value(key, None)  # an empty field: no number suggested
            column.number_input(label, key=key, placeholder=t("predict.placeholder"), **kind)
        tolerance = t("predict.exact") if exact else t("predict.tolerance")
        st.button(
            t("predict.check"),
            key=f"predict.check.{question}",
            on_click=_check,
            args=(question, keys, tuple(truths), exact),
            help=tolerance,
        )
        st.caption(tolerance)
    return None


def say(result: Outcome, answer: str) -> None:
    """The verdict of a checked question (or the lecturer's reveal), the answer, and the session's score.

    Args:
        answer: the true answer as the page writes it (Markdown), e.g. "z(3, 4) = 0.0235".
    """
    if result.right is None:
        st.info(t("predict.revealed", answer=answer), icon="👀")
    elif result.right:
        st.success(t("predict.right", answer=answer), icon="✅")
    else:
        guess = ", ".join(f"{g:g}" for g in result.guesses or ())
        st.warning(t("predict.wrong", guess=guess, answer=answer), icon="🤔")
    right, checked = st.session_state.get(SCORE_KEY, (0, 0))
    if checked:
        st.caption(t("predict.score", right=right, checked=checked))
