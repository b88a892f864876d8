"""Small display helpers every page uses: figures, the engine's source, errors as sentences."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

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


def show_problem(message: str) -> None:
    """A bad input, said as a sentence (never a traceback)."""
    st.error(message, icon="⚠️")
