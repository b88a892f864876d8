"""Small display helpers every page uses: figures, the engine's source, errors as sentences."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from engine.errors import EngineError, Named, Phrase
from ui.i18n import STRINGS, t
from viz.animation import prebuilt_figure

# Plotly's mode bar: keep the PNG download (useful for slides), drop what confuses in a lecture.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def show_figure(fig: Any, *, alt: str, key: str | None = None, **kwargs):
    """Render a figure with the app's own colours (theme=None: Streamlit's theme would recolour it).

    Args:
        fig: a go.Figure, or a JSON-ready figure spec (dict) as viz's animated builders make.
        alt: a sentence describing the figure, for screen readers.

    Returns:
        What `st.plotly_chart` returns (the selection when `on_select` is given).
    """
    if isinstance(fig, dict):
        fig = prebuilt_figure(fig)
    return st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key, width="stretch", alt=alt, **kwargs)


@cache
def _source(function: Callable) -> str:
    """The function's source (read once per process: the engine does not change while the app runs)."""
    return inspect.getsource(function)


def show_source(*functions: Callable, title: str) -> None:
    """An expander with the engine's own code for these functions (what the numbers on the page ran)."""
    with st.expander(title):
        for function in functions:
            st.code(_source(function), language="python")


def problem_text(problem: str | BaseException) -> str:
    """The sentence of a problem in the session's language.

    An engine error is said by its message id ("error.<code>" in ui/strings/errors.py) with its fields
    filled in, the fields that are words translated too; an id without a translation, and any other
    exception, say their own (English) text.
    """
    if isinstance(problem, EngineError):
        return _message_text(problem)
    return str(problem)


def show_problem(problem: str | BaseException) -> None:
    """A bad input, said as a sentence in the session's language (never a traceback).

    Args:
        problem: a sentence already translated, or the exception itself (see `problem_text`).
    """
    st.error(problem_text(problem), icon="⚠️")


def _message_text(message: EngineError | Phrase) -> str:
    key = f"error.{message.code}"
    if key not in STRINGS:
        return str(message)
    return t(key, **{name: _field_text(value) for name, value in message.fields.items()})


def _field_text(value: object) -> object:
    """A field of an error sentence as the session's language shows it (numbers and shapes as they are)."""
    if isinstance(value, (EngineError, Phrase)):
        return _message_text(value)
    if isinstance(value, Named):
        key = f"{value.kind}.{value.id}"  # e.g. "preset.sobel_x": the name the app already shows
        return t(key) if key in STRINGS else value.text
    return value
