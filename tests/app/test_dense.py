"""The fully connected page under AppTest: the classic example's numbers, edge inputs as sentences,
controls that change the result."""

from __future__ import annotations

import numpy as np
import pytest

from tests.app.conftest import run_page, run_script
from tests.plotly_spec import spec_of

CLASSIC_LOSS = "0.298371109"


def metrics(at) -> list[str]:
    return [m.value for m in at.metric]


def charts(at) -> list[dict]:
    return [spec_of(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_default_is_the_classic_example():
    at = run_script("dense")
    assert not at.exception
    assert not at.error
    assert metrics(at)[0] == CLASSIC_LOSS
    assert metrics(at)[2].endswith("✓")
    diagram = charts(at)[0]
    circles = [trace for trace in diagram["data"] if trace.get("mode") == "markers+text"]
    assert [trace["text"] for trace in circles] == [["0.05", "0.1"], ["0.593", "0.597"], ["0.751", "0.773"]]
    latex = " ".join(element.value for element in at.latex)
    assert "0.3775" in latex and r"\delta^{(1)}" in latex and "0.3589" in latex
    editors = [d for d in at.dataframe if d.key and d.key.startswith("dense.edit.")]
    assert len(editors) == 3  # [x | t], [W1 | b1], [W2 | b2]
    assert len(at.dataframe) == 3  # the two small tables are Markdown
    shapes, check = (table_rows(m.value) for m in at.markdown if m.value.startswith("| "))
    # W1, b1, z1/a1, W2, b2, z2/a2: every parameter's gradient has its shape
    assert len(shapes) == 6 and {row[-1] for row in shapes} == {"✓"}
    assert [row[0] for row in check] == ["∂L/∂W1", "∂L/∂b1", "∂L/∂W2", "∂L/∂b2"]
    assert {row[-1] for row in check} == {"✓"}


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of a Markdown table, cell by cell."""
    lines = markdown.splitlines()[2:]  # after the header and its rule
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_runs_inside_the_app_too():
    at = run_page("dense")
    assert not at.exception
    assert metrics(at)[0] == CLASSIC_LOSS


def test_backward_view_puts_deltas_on_the_diagram():
    at = run_script("dense")
    at.radio(key="dense.backward").set_value(True).run()
    assert not at.exception
    circles = [t for t in charts(at)[0]["data"] if t.get("mode") == "markers+text"]
    assert circles[0]["text"] == ["", ""]  # the inputs have no δ
    assert circles[2]["text"] == ["0.138", "−0.0381"]  # δ of the output layer


def test_learning_rate_changes_the_new_loss():
    at = run_script("dense")
    before = metrics(at)[1]
    at.number_input(key="dense.lr").set_value(2.0).run()
    assert not at.exception
    assert metrics(at)[1] != before
    assert metrics(at)[0] == CLASSIC_LOSS


def test_random_preset_and_seed_change_the_numbers():
    at = run_script("dense")
    at.selectbox(key="dense.preset").set_value("random").run()
    assert not at.exception
    first = metrics(at)[0]
    assert first != CLASSIC_LOSS
    at.number_input(key="dense.seed").set_value(5).run()
    assert not at.exception and metrics(at)[0] != first


EDGE_SETTINGS = {
    "zero-size layer": ({"dense.units.1": 0}, "Layer 1 has no units"),
    "zero inputs": ({"dense.n0": 0}, "at least one example and one feature"),
    "empty cell": (
        {
            "dense.numbers": {
                "x": np.array([[np.nan, 0.1]]),
                "t": np.array([[0.01, 0.99]]),
                "W1": np.full((2, 2), 0.1),
                "b1": np.zeros(2),
                "W2": np.full((2, 2), 0.1),
                "b2": np.zeros(2),
            }
        },
        "must be a number",
    ),
}


@pytest.mark.parametrize(("state", "message"), EDGE_SETTINGS.values(), ids=EDGE_SETTINGS.keys())
def test_bad_inputs_show_a_sentence_and_keep_the_last_result(state, message):
    at = run_script("dense", state)
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert metrics(at)[0] == CLASSIC_LOSS  # the last network that worked (the default)
    assert len(at.get("plotly_chart")) >= 1


BIG = {"dense.preset": "random", "dense.n0": 8, "dense.layers": 4, "dense.batch": 4}
BIG.update({f"dense.units.{l}": 8 for l in range(1, 5)})
BIG.update({f"dense.act.{l}": f for l, f in enumerate(["relu", "tanh", "leaky_relu", "identity"], start=1)})


@pytest.mark.parametrize(
    "state",
    [
        BIG,
        {"dense.layers": 1, "dense.units.1": 1, "dense.act.1": "identity"},
        {"dense.batch": 3, "dense.shown": 3},
    ],
    ids=["4 layers of 8, batch 4", "one unit", "batch of 3"],
)
def test_architectures_run_without_exception(state):
    at = run_script("dense", state)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)[2].endswith("✓")


def test_layer_count_adds_a_layer():
    at = run_script("dense")
    at.slider(key="dense.layers").set_value(3).run()
    assert not at.exception and not at.error
    circles = [t for t in charts(at)[0]["data"] if t.get("mode") == "markers+text"]
    assert len(circles) == 4
