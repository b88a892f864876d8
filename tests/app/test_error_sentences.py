"""The translations of the engine's error sentences (ui/common/error_strings.py), keyed by English template.

The templates are read from the engine's source (tests/engine/test_errors.py, `engine_templates`): every
one has every other language the app offers, with the same fields; the table holds nothing else; and the
Chinese follows the rules tests/app/test_chinese.py sets for the string tables.
"""

from __future__ import annotations

import re
import string

import ui.common.i18n
from tests.app.test_chinese import HAN, SAME_IN_BOTH
from tests.engine.test_errors import engine_templates
from ui.common.error_strings import TRANSLATIONS
from ui.common.i18n import LANGUAGES

ENGINE_LANGUAGE = "en"  # the language the engine writes its templates in: it needs no translation


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_template_has_every_language_with_the_same_fields() -> None:
    languages = [language for language in LANGUAGES if language != ENGINE_LANGUAGE]
    missing, mismatched = [], []
    for template in sorted(engine_templates()):
        for language in languages:
            text = TRANSLATIONS.get(template, {}).get(language, "")
            if not text.strip():
                missing.append((language, template))
            elif _fields(text) != _fields(template):
                mismatched.append((language, template, text))
    assert not missing, f"no translation for: {missing}"
    assert not mismatched, f"other fields than the English: {mismatched}"


def test_every_translation_is_of_a_template_the_engine_raises() -> None:
    # A sentence reworded in the engine leaves its old translation behind: it would never be shown.
    assert sorted(set(TRANSLATIONS) - engine_templates()) == []


def test_translations_are_in_the_apps_languages_only() -> None:
    known = set(LANGUAGES) | set(getattr(ui.common.i18n, "PLANNED_LANGUAGES", {}))
    known.discard(ENGINE_LANGUAGE)  # the English is the key itself
    unknown = {template: sorted(set(entry) - known) for template, entry in TRANSLATIONS.items()}
    assert not {template: codes for template, codes in unknown.items() if codes}


def test_chinese_is_written_in_chinese() -> None:
    # A copied English sentence would pass the tests above; only names, units and symbols stay as they are.
    for template, entry in TRANSLATIONS.items():
        if entry["zh"] == template:
            assert SAME_IN_BOTH.match(template), f"{template}: not translated"
        elif len(template) > 20:
            assert HAN.search(entry["zh"]), f"{template}: no Chinese characters"


def test_chinese_uses_full_width_punctuation() -> None:
    for template, entry in TRANSLATIONS.items():
        text = entry["zh"]
        assert not re.search(r"[\u4e00-\u9fff][,;:!?]", text), f"{template}: half-width punctuation: {text}"
