"""Translations: every string id has every language, and `t` never breaks a page."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from types import SimpleNamespace

import pytest

import ui.common.i18n
from tests.app.conftest import APP_ROOT
from ui.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, STRINGS, _merge, all_strings, current_language, t

SHIPPED_DIRS = ("ui", "pages")


def _fields(text: str) -> set[str]:
    """The names of the `{field}`s of a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _shipped_files() -> list[Path]:
    files = [APP_ROOT / "app.py"]
    for folder in SHIPPED_DIRS:
        files += sorted((APP_ROOT / folder).rglob("*.py"))
    return files


def _literal_keys(path: Path) -> set[str]:
    """The string ids passed as a literal to `t(...)` in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "t"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_has_every_language(language: str) -> None:
    missing = [key for key, entry in STRINGS.items() if not entry.get(language, "").strip()]
    assert not missing, f"no '{language}' text for: {missing}"


def test_no_string_has_a_language_outside_the_table() -> None:
    # Languages being translated (ui.common.i18n.PLANNED_LANGUAGES) may have entries before they are offered.
    known = set(LANGUAGES) | set(getattr(ui.common.i18n, "PLANNED_LANGUAGES", {}))
    unknown = {key: sorted(set(entry) - known) for key, entry in STRINGS.items()}
    assert not {key: codes for key, codes in unknown.items() if codes}


def test_translations_keep_the_format_fields() -> None:
    for key, entry in STRINGS.items():
        fields = {language: _fields(text) for language, text in entry.items()}
        assert len({frozenset(names) for names in fields.values()}) == 1, f"{key}: {fields}"


def test_default_language_is_in_the_table() -> None:
    assert DEFAULT_LANGUAGE in LANGUAGES


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda path: path.relative_to(APP_ROOT).as_posix())
def test_every_string_id_used_in_the_code_exists(path: Path) -> None:
    unknown = sorted(_literal_keys(path) - set(STRINGS))
    assert not unknown, f"string ids missing from ui/common/i18n.py STRINGS: {unknown}"


def test_page_tables_are_merged_into_the_one_table() -> None:
    for key, entry in all_strings().items():
        assert STRINGS[key] == entry


def test_an_id_defined_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        _merge({"a.b": {"en": "one"}}, {"a.b": {"en": "two"}})


def test_missing_string_id_comes_back_visibly() -> None:
    assert t("no.such.string") == "no.such.string"


def test_fields_are_filled() -> None:
    assert t("home.start", page="Forward pass") == "New here? Start with **Forward pass**."


def test_a_wrong_field_name_does_not_break_the_page() -> None:
    assert t("home.start", wrong="x") == STRINGS["home.start"]["en"]


def test_missing_translation_falls_back_to_the_default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(LANGUAGES, "xx", "Test language")
    monkeypatch.setattr(ui.common.i18n, "st", SimpleNamespace(session_state={"language": "xx"}))
    monkeypatch.setitem(STRINGS, "test.only", {"en": "English text", "xx": "Translated"})

    assert t("test.only") == "Translated"
    assert t("app.name") == STRINGS["app.name"]["en"]


@pytest.mark.parametrize("stored", [None, "xx-unknown", 42])
def test_an_unknown_language_reads_as_the_default(monkeypatch: pytest.MonkeyPatch, stored: object) -> None:
    state = {} if stored is None else {"language": stored}
    monkeypatch.setattr(ui.common.i18n, "st", SimpleNamespace(session_state=state))
    assert current_language() == DEFAULT_LANGUAGE
