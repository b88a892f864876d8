"""Engine errors reach the user in the session's language, the words inside them translated too.

The pages pass the exception itself to `show_problem`; `problem_text` looks its English template up in the
table ui/common/error_strings.py. In English the page says exactly the engine's sentence; in Chinese, the
Chinese one.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

import ui.common.display
import ui.common.i18n
from engine.errors import EngineError, Phrase
from engine.graph import build_graph
from engine.presets import kernel_preset
from tests.app.conftest import run_script
from tests.engine.test_errors import CASES
from ui.common.display import problem_text
from ui.common.error_strings import TRANSLATIONS
from ui.common.i18n import LANGUAGES

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offer Chinese and make it the default (AppTest also formats widget options outside the session)."""
    monkeypatch.setitem(LANGUAGES, "zh", "简体中文")
    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")


def _speak(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """Outside a Streamlit run: a session whose language is `language`."""
    monkeypatch.setitem(LANGUAGES, "zh", "简体中文")
    monkeypatch.setattr(ui.common.i18n, "st", SimpleNamespace(session_state={"language": language}))


def _raised(call) -> EngineError:
    with pytest.raises(EngineError) as caught:
        call()
    return caught.value


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


# --- the pages ------------------------------------------------------------------------------------------


def _after_a_good_run(state: dict):
    """The forward page in Chinese, then `state` set (as a student would, after a picture that worked)."""
    at = run_script("forward", {"language": "zh"})
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (
            {"conv.size": 8, "conv.kh": 11, "conv.pad_h": 0, "conv.k0.kind": "gaussian_blur"},
            "卷积核覆盖 11 格",
        ),
        ({"conv.pad_mode": "reflect", "conv.pad_h": 10, "conv.size": 8}, "反射填充 10 格，要求输入的"),
        (
            {"conv.kh": 4, "conv.k0.kind": "gaussian_blur"},
            "高斯模糊 卷积核只有这些尺寸：1, 3, 5, 7, 9, 11；4 不在其中。",
        ),
    ],
)
def test_the_forward_page_says_an_impossible_setting_in_chinese(chinese, state: dict, words: str) -> None:
    at = _after_a_good_run(state)
    assert not at.exception
    assert any(words in text for text in _errors(at)), _errors(at)
    assert not any(re.search(r"[A-Za-z]{4,}", text.replace("Same", "")) for text in _errors(at)), _errors(at)


def test_the_forward_page_names_the_axis_in_chinese(chinese) -> None:
    state = {"conv.size": 8, "conv.kh": 11, "conv.pad_h": 0, "conv.k0.kind": "gaussian_blur"}
    at = _after_a_good_run(state)
    assert any(text.startswith(("在高度方向上：", "在宽度方向上：")) for text in _errors(at)), _errors(at)


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        ({"chain_rule.expr": "(x + "}, "这不是一个有效的表达式（第 1 个字符附近）：'(' 没有闭合。"),
        ({"chain_rule.expr": "x.__class__"}, "这里不能使用属性访问 (a.b)："),
        ({"chain_rule.expr": "x ^ 2"}, "不允许使用运算符 ^（乘方请写 **）：请使用数字、变量名"),
        (
            {"chain_rule.expr": "log(x)", "chain_rule.var.x": -1.0},
            "在这些取值下无法计算 log(x)：log 需要正数，而 -1 不是正数。",
        ),
    ],
)
def test_the_chain_rule_page_says_a_bad_expression_in_chinese(chinese, state: dict, sentence: str) -> None:
    at = run_script("chain_rule", {"language": "zh", "chain_rule.preset": "custom", **state})
    assert not at.exception
    assert any(text.startswith(sentence) for text in _errors(at)), _errors(at)


def test_in_english_the_page_says_the_engines_sentence() -> None:
    at = run_script("chain_rule", {"chain_rule.preset": "custom", "chain_rule.expr": "(x + "})
    assert _errors(at) == ["This is not a valid expression (near character 1): '(' was never closed."]


# --- problem_text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "call"), CASES, ids=[f"{k}-{start[:40]}" for k, (start, _) in enumerate(CASES)]
)
def test_every_error_reads_the_same_in_english_and_is_chinese_in_chinese(
    monkeypatch: pytest.MonkeyPatch, start: str, call
) -> None:
    err = _raised(call)
    _speak(monkeypatch, "en")
    assert problem_text(err) == str(err)
    _speak(monkeypatch, "zh")
    chinese = problem_text(err)
    assert HAN.search(chinese) and "{" not in chinese
    assert chinese != str(err)


def test_words_inside_are_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    _speak(monkeypatch, "zh")
    assert (
        problem_text(_raised(lambda: kernel_preset("sobel_x", 9)))
        == "Sobel x 卷积核只有这些尺寸：3, 5, 7；9 不在其中。"
    )
    reason = EngineError(
        "The layer has {outputs} outputs but {biases} biases: give one per output.", outputs=3, biases=4
    )
    nested = EngineError("Layer {l}: {reason}", l=2, reason=reason)
    assert problem_text(nested) == "第 2 层：这一层有 3 个输出，却有 4 个偏置：每个输出需要一个偏置。"
    window = EngineError("The window {axis} must be at least 1 (it is {K}).", axis=Phrase("width"), K=0)
    assert problem_text(window) == "窗口的宽度至少为 1（当前为 0）。"


def test_a_template_without_a_translation_says_the_english(monkeypatch: pytest.MonkeyPatch) -> None:
    _speak(monkeypatch, "zh")
    err = _raised(lambda: build_graph("x + y", {"x": 1.0}))
    monkeypatch.delitem(TRANSLATIONS, "Give the variable {name} a value.")
    assert problem_text(err) == "Give the variable y a value."


def test_a_translation_with_a_wrong_field_says_the_english(monkeypatch: pytest.MonkeyPatch) -> None:
    _speak(monkeypatch, "zh")
    err = _raised(lambda: build_graph("x + y", {"x": 1.0}))
    monkeypatch.setitem(
        TRANSLATIONS, "Give the variable {name} a value.", {"zh": "请给变量 {nam} 赋一个值。"}
    )
    assert problem_text(err) == "Give the variable y a value."


def test_other_problems_say_their_own_text() -> None:
    assert problem_text("Already a sentence.") == "Already a sentence."
    assert problem_text(ValueError("A plain error.")) == "A plain error."


def test_show_problem_takes_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr(ui.common.display, "st", SimpleNamespace(error=lambda text, icon: shown.append(text)))
    _speak(monkeypatch, "zh")
    ui.common.display.show_problem(_raised(lambda: build_graph("", {})))
    assert shown == ["请输入一个表达式，例如 (x + y) * z。"]
