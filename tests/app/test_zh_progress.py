"""Simplified Chinese, table by table: the finished tables have a "zh" text for every string.

"zh" is in ui.i18n.PLANNED_LANGUAGES until every table is translated; then it moves to LANGUAGES, where
tests/app/test_i18n.py checks every string, and this file can go.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string

import pytest

import ui.i18n
from tests.app.conftest import run_page, run_script
from ui.i18n import LANGUAGES, PLANNED_LANGUAGES, STRINGS

FINISHED_TABLES = tuple(m.name for m in pkgutil.iter_modules(importlib.import_module("ui.strings").__path__))
# Strings that are the same in both languages: names, symbols and formulas.
SAME_IN_BOTH = re.compile(r"^[\w\s(){}=σ'⋆⊙+∂/δ_,.▶⏸·:-]*$")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _table(name: str) -> dict[str, dict[str, str]]:
    if name == "frame":
        return ui.i18n._FRAME_STRINGS
    return importlib.import_module(f"ui.strings.{name}").STRINGS


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_chinese_is_planned_and_not_yet_offered() -> None:
    assert "zh" in PLANNED_LANGUAGES
    assert "zh" not in LANGUAGES or "zh" not in PLANNED_LANGUAGES


@pytest.mark.parametrize("name", ["frame", *FINISHED_TABLES])
def test_every_string_of_a_finished_table_has_chinese(name: str) -> None:
    missing = [key for key, entry in _table(name).items() if not entry.get("zh", "").strip()]
    assert not missing, f"no zh text in {name}: {missing}"


@pytest.mark.parametrize("name", ["frame", *FINISHED_TABLES])
def test_chinese_keeps_the_format_fields(name: str) -> None:
    for key, entry in _table(name).items():
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


@pytest.mark.parametrize("name", ["frame", *FINISHED_TABLES])
def test_chinese_is_written_in_chinese(name: str) -> None:
    # A copied English sentence would pass the tests above; only names and formulas may stay as they are.
    for key, entry in _table(name).items():
        if entry["zh"] == entry["en"]:
            assert SAME_IN_BOTH.match(entry["en"]), f"{key}: not translated"
        elif len(entry["en"]) > 20:
            assert HAN.search(entry["zh"]), f"{key}: no Chinese characters"


def test_chinese_text_uses_full_width_punctuation() -> None:
    for name in ("frame", *FINISHED_TABLES):
        for key, entry in _table(name).items():
            text = entry["zh"]
            assert not re.search(r"[\u4e00-\u9fff][,;:!?]", text), f"{key}: half-width punctuation: {text}"


def test_pages_render_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    # What a user of the Chinese table sees once "zh" is offered: the forward page, its tour, the frame.
    monkeypatch.setitem(LANGUAGES, "zh", PLANNED_LANGUAGES["zh"])
    # AppTest formats a widget's options outside the session too (to click), where t() has no language.
    monkeypatch.setattr(ui.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_script("forward", {"language": "zh"})
    assert not at.exception
    assert at.title[0].value == f"➡️ {STRINGS['page.forward']['zh']}"
    at.button(key="tour.start").click().run()
    assert not at.exception
    assert STRINGS["tour.forward.padding.title"]["zh"] in " ".join(m.value for m in at.markdown)

    home = run_page("home", {"language": "zh"})
    assert not home.exception
    assert home.title[0].value == STRINGS["app.name"]["zh"]
