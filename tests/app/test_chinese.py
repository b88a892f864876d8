"""Simplified Chinese: every table's "zh" text keeps its fields, is written in Chinese with full-width
punctuation, and every page renders in Chinese (tests/app/test_i18n.py checks that no entry lacks it).
"""

from __future__ import annotations

import json
import re
import string

import pytest

import ui.common.i18n
from tests.app.conftest import run_page, run_script
from ui.common.frame import PAGES
from ui.common.i18n import LANGUAGES, STRING_TABLES, STRINGS, table

TABLES = STRING_TABLES
# Strings that are the same in both languages: names, symbols and formulas.
SAME_IN_BOTH = re.compile(r"^[\w\s(){}=σ'⋆⊙+∂/δ_,.▶⏸·:-]*$")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _table(name: str) -> dict[str, dict[str, str]]:
    if name == "frame":
        return ui.common.i18n._FRAME_STRINGS
    return table(name)


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_chinese_is_offered() -> None:
    assert LANGUAGES["zh"] == "简体中文"


@pytest.mark.parametrize("name", ["frame", *TABLES])
def test_every_string_of_a_table_has_chinese(name: str) -> None:
    missing = [key for key, entry in _table(name).items() if not entry.get("zh", "").strip()]
    assert not missing, f"no zh text in {name}: {missing}"


@pytest.mark.parametrize("name", ["frame", *TABLES])
def test_chinese_keeps_the_format_fields(name: str) -> None:
    for key, entry in _table(name).items():
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


@pytest.mark.parametrize("name", ["frame", *TABLES])
def test_chinese_is_written_in_chinese(name: str) -> None:
    # A copied English sentence would pass the tests above; only names and formulas may stay as they are.
    for key, entry in _table(name).items():
        if entry["zh"] == entry["en"]:
            assert SAME_IN_BOTH.match(entry["en"]), f"{key}: not translated"
        elif len(entry["en"]) > 20:
            assert HAN.search(entry["zh"]), f"{key}: no Chinese characters"


def test_chinese_text_uses_full_width_punctuation() -> None:
    for name in ("frame", *TABLES):
        for key, entry in _table(name).items():
            text = entry["zh"]
            assert not re.search(r"[\u4e00-\u9fff][,;:!?]", text), f"{key}: half-width punctuation: {text}"


@pytest.fixture
def chinese_widgets(monkeypatch: pytest.MonkeyPatch) -> None:
    # AppTest formats a widget's options outside the session too (to click), where t() has no language.
    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")


@pytest.mark.parametrize("page", [p.file for p in PAGES], ids=[p.url_path or "home" for p in PAGES])
def test_every_page_renders_in_chinese(page: str, chinese_widgets: None) -> None:
    name = page.removeprefix("pages/").removesuffix(".py")
    at = run_page(name, {"language": "zh"})
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    title = at.title[0].value
    assert HAN.search(title), title
    words = " ".join(m.value for m in at.markdown)
    assert len(HAN.findall(words)) > 20  # the page's explanations are in Chinese


def test_the_tours_run_in_chinese(chinese_widgets: None) -> None:
    at = run_script("forward", {"language": "zh"})
    assert at.title[0].value == f"➡️ {STRINGS['page.forward']['zh']}"
    at.button(key="tour.start").click().run()
    assert not at.exception
    assert STRINGS["tour.forward.padding.title"]["zh"] in " ".join(m.value for m in at.markdown)
    at = run_script("backward", {"language": "zh"})
    at.button(key="tour.start").click().run()
    for _ in range(6):
        at.button(key="tour.next").click().run()
        assert not at.exception
    assert STRINGS["tour.backward.gather.title"]["zh"] in " ".join(m.value for m in at.markdown)


def test_plotly_speaks_the_pages_language(chinese_widgets: None) -> None:
    # Plotly's own words (its mode bar's tooltips) come from a dictionary in each chart's config.
    chinese = json.loads(run_script("backward", {"language": "zh"}).get("plotly_chart")[0].proto.config)
    assert chinese["locale"] == "zh"
    assert chinese["locales"]["zh"]["dictionary"]["Download plot as a PNG"] == "下载为 PNG 图片"
    english = json.loads(run_script("backward", {"language": "en"}).get("plotly_chart")[0].proto.config)
    assert "locale" not in english


# Words in the formulas that stay as they are: a subscript's name, and an English term given beside its
# translation.
FORMULA_NAMES = {"pad", "relative error"}


@pytest.mark.parametrize(
    "page, settings",
    [(p.file.removeprefix("pages/").removesuffix(".py"), {}) for p in PAGES]
    + [("backward", {"conv.activation": "leaky_relu", "backward.loss": "impulse"})],
)
def test_formulas_speak_chinese(page: str, settings: dict, chinese_widgets: None) -> None:
    # The words inside KaTeX's \text{...} are the page's too: "so far", "otherwise", "if" in Chinese.
    at = run_page(page, {"language": "zh", **settings})
    assert not at.exception
    formulas = [m.value for m in at.markdown] + [m.value for m in at.latex]
    words = {w for f in formulas for w in re.findall(r"\\text\{([^{}]*)\}", f)}
    english = {w for w in words if re.search(r"[A-Za-z]{2,}", w)} - FORMULA_NAMES
    assert not english, english
