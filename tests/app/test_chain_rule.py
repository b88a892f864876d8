"""The chain-rule page under AppTest: presets give their classic numbers, the stepper walks the backward
pass, and anything typed that the parser refuses (or cannot compute) becomes a sentence."""

from __future__ import annotations

import pytest

from tests.app.conftest import run_page, run_script
from tests.plotly_spec import spec_of
from viz.graph import GRADIENT_COLOR


def figure(at) -> dict:
    return spec_of(at.get("plotly_chart")[0].proto.spec)


def gradient_labels(at) -> list[str]:
    return [
        a["text"]
        for a in figure(at)["layout"]["annotations"]
        if a.get("font", {}).get("color") == GRADIENT_COLOR and a.get("yshift")
    ]


def latex(at) -> str:
    return " ".join(element.value for element in at.latex)


def test_default_is_the_circuit_at_the_forward_pass():
    at = run_script("chain_rule")
    assert not at.exception and not at.error
    assert "= -12" in latex(at)
    assert gradient_labels(at) == []
    assert at.slider(key="chain_rule.step").value == 0
    assert [n.label for n in at.number_input] == ["x", "y", "z"]


def test_runs_inside_the_app_too():
    at = run_page("chain_rule")
    assert not at.exception
    assert "= -12" in latex(at)


def test_next_and_back_walk_the_backward_pass():
    at = run_script("chain_rule")
    at.button(key="chain_rule.next").click().run()
    assert at.slider(key="chain_rule.step").value == 1
    assert r"\frac{\partial f}{\partial f} = 1" in latex(at)
    at.button(key="chain_rule.next").click().run()
    assert at.slider(key="chain_rule.step").value == 2
    assert sorted(gradient_labels(at)) == sorted(
        ["<b>−4</b>", "<b>−4</b>", "<b>−4</b>", "<b>3</b>", "<b>1</b>"]
    )
    table = at.dataframe[0].value  # the last step shows the gradients beside their numerical check
    assert list(table.iloc[:, 1]) == ["-4", "-4", "3"]
    at.button(key="chain_rule.back").click().run()
    assert at.slider(key="chain_rule.step").value == 1
    assert not at.exception


@pytest.mark.parametrize(
    ("preset", "grads"),
    [
        (
            "neuron",
            {
                "w0": "-0.19661193",
                "x0": "0.39322387",
                "w1": "-0.39322387",
                "x1": "-0.5898358",
                "w2": "0.19661193",
            },
        ),
        ("max_gate", {"y1": "0", "y2": "0.60653066"}),
    ],
)
def test_presets_reach_their_classic_gradients(preset, grads):
    at = run_script("chain_rule")
    at.selectbox(key="chain_rule.preset").set_value(preset).run()
    total = at.slider(key="chain_rule.step").max
    at.slider(key="chain_rule.step").set_value(total).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    shown = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    for name, value in grads.items():
        assert shown[name] == value


def test_changing_a_value_changes_the_result():
    at = run_script("chain_rule")
    at.number_input(key="chain_rule.var.z").set_value(2.0).run()
    assert not at.exception
    assert "= 6" in latex(at)


BAD = {
    "import": ("__import__('os')", "Unknown function '__import__'"),
    "attribute": ("x.__class__", "attribute access"),
    "syntax": ("(x + ", "not a valid expression"),
    "too long": ("x" + " + x" * 80, "the limit is 200"),
    "huge power": ("9**9**9", "beyond"),
    "empty": ("", "Type an expression"),
    "yield": ("(yield)", "yield cannot be used here"),
    "await": ("await x", "await cannot be used here"),
}


@pytest.mark.parametrize(
    "typed",
    ["(x − y) × z", "(x - y)\u00a0·\u00a0z", "（x－y）＊z", "(x – y) ⋅ z"],
    ids=["minus and times", "no-break spaces and middle dot", "full-width", "en dash and dot operator"],
)
def test_typographic_operators_mean_what_they_look_like(typed):
    # The page's own sentences print − and ×; a student copies them, or types with a Chinese input method.
    state = {"chain_rule.preset": "custom", "chain_rule.var.x": 5.0, "chain_rule.var.y": 2.0}
    at = run_script("chain_rule", {**state, "chain_rule.expr": typed, "chain_rule.var.z": -5.0})
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [n.label for n in at.number_input] == ["x", "y", "z"]
    assert "= -15" in latex(at)  # (5 − 2) · (−5); the default circuit gives −12


@pytest.mark.parametrize(("text", "message"), BAD.values(), ids=BAD.keys())
def test_refused_expressions_show_a_sentence_and_keep_the_last_graph(text, message):
    at = run_script("chain_rule", {"chain_rule.preset": "custom", "chain_rule.expr": text})
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "= -12" in latex(at)  # the last graph that worked (the default circuit)
    assert len(at.get("plotly_chart")) == 1


def test_a_value_the_expression_cannot_take_shows_a_sentence():
    at = run_script(
        "chain_rule", {"chain_rule.preset": "custom", "chain_rule.expr": "log(x)", "chain_rule.var.x": -1.0}
    )
    assert not at.exception
    assert any("log needs a positive number" in e.value for e in at.error)
    at.number_input(key="chain_rule.var.x").set_value(2.0).run()
    assert not at.error and "0.6931" in latex(at)


def test_an_expression_without_operations_has_nothing_to_step():
    at = run_script("chain_rule", {"chain_rule.preset": "custom", "chain_rule.expr": "x"})
    assert not at.exception and not at.error
    assert len(at.slider) == 0
    assert at.dataframe[0].value.iloc[0, 1] == "1"


def test_typing_leaves_the_preset_and_restarts_the_steps():
    at = run_script("chain_rule")
    at.slider(key="chain_rule.step").set_value(2).run()
    at.text_input(key="chain_rule.expr").input("sigmoid(a * b) + a").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="chain_rule.preset").value == "custom"
    assert at.slider(key="chain_rule.step").value == 0
    assert [n.label for n in at.number_input] == ["a", "b"]
