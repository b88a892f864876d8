"""The forward page's guided tour: numbered steps that move the animation and say what to look at."""

from __future__ import annotations

import string

import pytest
from streamlit.testing.v1 import AppTest

from engine.presets import kernel_preset
from engine.samples import load_sample
from engine.trace import forward_trace
from tests.app.conftest import APP_ROOT, TIMEOUT_S, formulas, run_script
from tests.plotly_spec import spec_of
from ui.common.i18n import LANGUAGES, STRINGS, t
from ui.conv.tour import FORWARD_STEPS, forward_formulas, forward_values

N = len(FORWARD_STEPS)


def start(state: dict | None = None) -> AppTest:
    at = run_script("forward", state)
    at.button(key="tour.start").click().run()
    assert not at.exception
    return at


def heading(at: AppTest) -> str:
    """The tour's "Guided tour · Step k of n" line."""
    return next(m.value for m in at.markdown if t("tour.title") in m.value)


def animation(at: AppTest) -> dict:
    """The step-by-step figure (the first chart with frames)."""
    specs = [spec_of(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(spec for spec in specs if spec.get("frames"))


def shown_cell(at: AppTest) -> tuple[int, int]:
    """The output cell the animation shows first (its slider's active step)."""
    spec = animation(at)
    slider = spec["layout"]["sliders"][0]
    label = slider["steps"][slider["active"]]["label"]
    i, j = label.strip("()").split(",")
    return int(i), int(j)


def test_the_tour_starts_closed_with_a_start_button() -> None:
    at = run_script("forward")
    assert at.session_state["tour.forward"] == 0
    assert at.button(key="tour.start").label == t("tour.start")
    assert not [m for m in at.markdown if t("tour.title") in m.value]


def test_start_opens_step_one_on_the_padded_corner() -> None:
    at = start()
    assert at.session_state["tour.forward"] == 1
    assert t("tour.progress", k=1, n=N) in heading(at)
    assert at.session_state["conv.crop_i"] == 0 and at.session_state["conv.crop_j"] == 0
    assert at.session_state["conv.step"] == 0
    assert shown_cell(at) == (0, 0)
    # The callout names the panel the text is about.
    assert t("forward.fig.input") in at.info[0].value
    assert at.query_params["tour"] == "1"


def test_next_walks_every_step_and_moves_the_window() -> None:
    at = start()
    cells = [shown_cell(at)]
    titles = [t("tour.forward.padding.title")]
    for k in range(2, N + 1):
        at.button(key="tour.next").click().run()
        assert not at.exception
        assert at.session_state["tour.forward"] == k
        assert t("tour.progress", k=k, n=N) in heading(at)
        cells.append(shown_cell(at))
        titles.append(t(f"tour.forward.{FORWARD_STEPS[k - 1].name}.title"))
        assert f"## {titles[-1]}" in [m.value for m in at.markdown]
        assert at.query_params["tour"] == str(k)
        assert at.query_params.get("step", "0") == str(at.session_state["conv.step"])
    assert at.button(key="tour.next").disabled
    # Steps 3–5 explain one window off the border; step 7 shows the next one to its right.
    assert cells[2] == cells[3] == cells[4]
    assert cells[6] == (cells[4][0], cells[4][1] + 1)
    assert cells[0] == (0, 0)


def test_the_size_step_shows_the_last_output_cell_and_the_formula() -> None:
    at = start()
    size_step = [step.name for step in FORWARD_STEPS].index("size") + 1
    for _ in range(size_step - 1):
        at.button(key="tour.next").click().run()
    # House at 32 px is 27×32; a 3×3 kernel with padding 1 keeps it: the last cell is (26, 31).
    assert shown_cell(at) == (26, 31)
    assert any("H_{out}" in formula for formula in formulas(at))


def test_back_and_end() -> None:
    at = start()
    at.button(key="tour.next").click().run()
    at.button(key="tour.back").click().run()
    assert at.session_state["tour.forward"] == 1
    assert at.button(key="tour.back").disabled
    at.button(key="tour.end").click().run()
    assert not at.exception
    assert at.session_state["tour.forward"] == 0
    assert "tour" not in at.query_params
    assert at.button(key="tour.start")


def test_a_link_opens_a_tour_step_as_it_was_shared() -> None:
    at = AppTest.from_file(str(APP_ROOT / "pages/forward.py"), default_timeout=TIMEOUT_S)
    at.query_params.update({"tour": "5", "step": "12", "crop_i": "3"})
    at.run()
    assert not at.exception
    assert t("tour.progress", k=5, n=N) in heading(at)
    # The link's own step and crop stay: the tour moves the window only when Back / Next is pressed.
    assert at.session_state["conv.step"] == 12
    assert at.session_state["conv.crop_i"] == 3


def test_step_texts_carry_the_engines_numbers() -> None:
    at = start()
    for _ in range(4):  # to step 5: the sum
        at.button(key="tour.next").click().run()
    i, j = shown_cell(at)
    x = load_sample("house", size=32)
    trace = forward_trace(x, kernel_preset("sobel_x")[None], 0.0, padding=1, region=(i, i + 1, j, j + 1))
    step = trace.steps[0]
    text = " ".join(m.value for m in at.markdown)
    assert f"z = {step.z:.4g}".replace("-", "−") in text
    assert f"({i}, {j})" in text


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    "state",
    [{}, {"conv.pad_h": 0, "conv.pad_w": 0, "conv.activation": "relu"}, {"conv.color": True}],
    ids=["default", "no padding + ReLU", "rgb"],
)
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_step_text_is_filled(state: dict, language: str) -> None:
    at = run_script("forward", state)
    assert not at.exception
    setup, _ = at.session_state["forward.last_good"]
    region = (0, 2, 0, 3)
    trace = forward_trace(setup.image, setup.kernels[0], float(setup.biases[0]), region=region, **setup.hyper)
    values = forward_values(setup, 0, trace, trace.steps[4])
    for step in FORWARD_STEPS:
        for part in ("title", "text", "where"):
            entry = STRINGS[f"tour.forward.{step.name}.{part}"]
            assert _fields(entry[language]) <= set(values), (step.name, part)
            assert "{" not in entry[language].format(**values)
    assert set(forward_formulas(trace)) == {"size"}
