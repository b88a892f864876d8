"""Small display helpers every page uses: figures, the engine's source, errors as sentences."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from engine.errors import EngineError, Named, Phrase
from ui.common.error_strings import TRANSLATIONS
from ui.common.i18n import STRINGS, current_language, t
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
    config = PLOTLY_CONFIG | plotly_locale(current_language())
    return st.plotly_chart(fig, theme=None, config=config, key=key, width="stretch", alt=alt, **kwargs)


# Plotly's own words (its mode bar's tooltips, its zoom hint) by language: Plotly looks each English text
# up in the chart's locale dictionary. Streamlit's bundle registers no locale but English, so the
# dictionary travels in the chart's config.
_PLOTLY_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "Download plot as a PNG": "下载为 PNG 图片",
        "Download plot as a png": "下载为 PNG 图片",
        "Download plot": "下载图片",
        "Zoom": "缩放",
        "Pan": "平移",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Reset axes": "重置坐标轴",
        "Autoscale": "自动缩放",
        "Reset view": "重置视图",
        "Toggle Spike Lines": "切换辅助线",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击可恢复缩放",
        "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        "Snapshot succeeded": "图片已生成",
        "Sorry, there was a problem downloading your snapshot!": "抱歉，下载图片时出错了！",
    },
}


@cache
def plotly_locale(language: str) -> dict[str, Any]:
    """The Plotly config keys that make a chart's own words speak `language` (nothing for English)."""
    words = _PLOTLY_WORDS.get(language)
    if not words:
        return {}
    return {"locale": language, "locales": {language: {"dictionary": words}}}


@cache
def _source(function: Callable) -> str:
    """The function's source (read once per process: the engine does not change while the app runs)."""
    return inspect.getsource(function)


def show_source(*functions: Callable, title: str) -> None:
    """An expander with the engine's own code for these functions (what the numbers on the page ran).

    One code block, the functions two blank lines apart as in their module: it reads the same, and it is
    one element to send on every rerun instead of one per function.
    """
    with st.expander(title):
        st.code(_sources(functions), language="python")


@cache
def _sources(functions: tuple[Callable, ...]) -> str:
    return "\n\n".join(_source(function) for function in functions)


def section(title: str, lead: str | None = None) -> None:
    """A section's heading (h2, like `st.header`) and its lead paragraph, as one element.

    Every element costs the server ~0.15 ms a rerun whatever it holds (py-spy in the real server), so text
    that always appears together is sent together.
    """
    st.markdown(f"## {title}" + (f"\n\n{lead}" if lead else ""))


def math_block(above: str | None, formulas: list[str] | tuple[str, ...], below: str | None = None) -> None:
    """Markdown above, display formulas (each centred on its own line) and Markdown below, as one element.

    `st.latex` is a Markdown element holding `$$…$$`: the same formulas inside one Markdown element
    look the same and cost one element instead of one each.
    """
    parts = [above] if above else []
    parts += [f"$$\n{formula}\n$$" for formula in formulas]
    if below:
        parts.append(below)
    st.markdown("\n\n".join(parts))


def markdown_table(rows: list[dict[str, str]]) -> str:
    """A small table as Markdown: one header row (the first row's keys), then one line per row.

    For tables of a few short cells a Markdown table beats `st.dataframe`: its type follows the page's
    font size (presentation mode enlarges it like the rest), and the server sends one text element
    instead of converting a data frame to Arrow on every rerun (~1 ms each on the dense page, py-spy).
    """
    if not rows:
        return ""
    header = list(rows[0])

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    lines = [line(header), "|" + "---|" * len(header)]
    lines += [line([row[name] for name in header]) for row in rows]
    return "\n".join(lines)


def problem_text(problem: str | BaseException) -> str:
    """The sentence of a problem in the session's language.

    An engine error is said by its English template, looked up in ui/common/error_strings.py (in English,
    or without a translation, the template itself), with its fields filled in, the fields that are words
    translated too; any other exception says its own (English) text.
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
    template = TRANSLATIONS.get(message.template, {}).get(current_language(), message.template)
    try:
        return template.format(**{name: _field_text(value) for name, value in message.fields.items()})
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong field must not break the page: say the engine's English.
        return str(message)


def _field_text(value: object) -> object:
    """A field of an error sentence as the session's language shows it (numbers and shapes as they are)."""
    if isinstance(value, (EngineError, Phrase)):
        return _message_text(value)
    if isinstance(value, Named):
        key = f"{value.kind}.{value.id}"  # e.g. "preset.sobel_x": the name the app already shows
        return t(key) if key in STRINGS else value.text
    return value
