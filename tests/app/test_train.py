"""The training page in AppTest: it opens untrained, trains in steps (the fragment runs once per
`at.run()`), stops and resumes, finishes with its results, and takes pictures from three sources."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_page, run_script
from ui.common.i18n import t
from ui.train.controls import RUNNING_KEY, STATE_KEY


def _progress(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def _step(at: AppTest) -> int:
    return at.session_state[STATE_KEY].step


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def at() -> AppTest:
    return run_script("train")


def test_the_page_opens_with_an_untrained_network(at: AppTest) -> None:
    assert not at.exception
    assert _step(at) == 0 and not at.session_state[RUNNING_KEY]
    assert _progress(at).startswith(t("train.progress_ready", acc="", chance="")[:15])
    assert [b.label for b in at.button][:1] == [t("train.start")]
    assert any("input 1×8×8" in c.value and "dense 128 → 10" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 6  # curves, kernels, gradients; input, probabilities, maps
    assert at.info[0].value == t("train.results_none")


def test_the_page_opens_through_the_navigation() -> None:
    at = run_page("train")
    assert not at.exception
    assert at.title[0].value.endswith(t("page.train"))


def test_training_runs_in_steps_stops_and_resumes(at: AppTest) -> None:
    at.button(key="train.start").click().run()
    assert at.session_state[RUNNING_KEY]
    steps = [_step(at)]
    for _ in range(2):
        at.run()  # the live fragment trains a quarter of an epoch per run
        steps.append(_step(at))
    assert steps == [12, 24, 36]
    assert len(at.session_state[STATE_KEY].history.test_acc) == 4
    assert _progress(at).startswith(
        t("train.progress", epoch=1, epochs=8, batch=36, batches=45, acc="").rstrip()
    )
    assert at.slider(key="train.kernels").disabled  # the settings wait while the network trains
    curves = _charts(at)[0]
    assert len(curves["data"][1]["x"]) == 4 and len(curves["data"][0]["x"]) == 36

    at.button(key="train.stop").click().run()
    stopped = _step(at)
    at.run()
    assert _step(at) == stopped and not at.session_state[RUNNING_KEY]
    assert not at.slider(key="train.kernels").disabled
    assert any(c.value.startswith(t("train.status.paused")) for c in at.caption)
    assert len(at.get("plotly_chart")) == 8  # + the confusion matrix and the mistakes

    at.button(key="train.resume").click().run()
    assert _step(at) > stopped
    assert not at.exception


def test_a_short_run_finishes_with_its_results(at: AppTest) -> None:
    at.radio(key="train.dataset").set_value("bars").run()
    at.slider(key="train.epochs").set_value(1).run()
    assert any("input 1×16×16" in c.value for c in at.caption)
    at.button(key="train.start").click().run()
    for _ in range(10):
        if not at.session_state[RUNNING_KEY]:
            break
        at.run()
    state = at.session_state[STATE_KEY]
    assert state.done and not at.session_state[RUNNING_KEY]
    assert _progress(at).startswith(t("train.progress_done", epochs=1, acc="").rstrip())
    assert at.button(key="train.start").label == t("train.restart")
    assert at.metric[0].label == t("train.accuracy_metric")
    confusion = next(
        c for c in _charts(at) if c["layout"].get("title", {}).get("text") == t("train.fig.confusion")
    )
    assert confusion["data"][0]["x"] == [t(f"train.class.{name}") for name in state.data.classes]
    assert not at.exception


def test_settings_shape_the_network(at: AppTest) -> None:
    at.slider(key="train.kernels").set_value(3).run()
    at.toggle(key="train.second").set_value(True).run()
    at.slider(key="train.kernels2").set_value(5).run()
    caption = next(c.value for c in at.caption if c.value.startswith("The network"))
    assert "conv 3 @ 3×3" in caption and "conv 5 @ 3×3" in caption and "5×2×2" in caption
    state = at.session_state[STATE_KEY]
    assert state.model.kernels == 3 and state.model.kernels2 == 5 and state.step == 0
    kernels = _charts(at)[1]
    assert len(kernels["layout"]["annotations"]) == 3
    features = _charts(at)[-1]
    assert len(features["data"]) == 4  # two blocks: maps and pooled maps each
    assert not at.exception


def test_a_changed_setting_after_training_is_announced(at: AppTest) -> None:
    at.button(key="train.start").click().run()
    at.button(key="train.stop").click().run()
    at.select_slider(key="train.lr").set_value(0.1).run()
    assert any(info.value == t("train.changed") for info in at.info)
    assert at.session_state[STATE_KEY].step > 0  # the trained run is kept


def test_a_sample_image_and_an_upload_are_classified(at: AppTest) -> None:
    at.radio(key="train.source").set_value("sample").run()
    assert any(m.value.startswith("The network says") for m in at.markdown)
    at.radio(key="train.source").set_value("upload").run()
    drawing = np.full((120, 90), 255, dtype=np.uint8)
    drawing[20:100, 40:50] = 0  # a dark "1" on white paper
    at.file_uploader(key="train.upload").set_value(("one.png", _png(drawing), "image/png")).run()
    assert not at.exception
    assert any(m.value.startswith("The network says") for m in at.markdown)
    assert t("train.convert_note") in [c.value for c in at.caption]


def test_a_file_that_is_not_an_image_says_so(at: AppTest) -> None:
    at.radio(key="train.source").set_value("upload").run()
    at.file_uploader(key="train.upload").set_value(("notes.png", b"not an image", "image/png")).run()
    assert not at.exception
    assert at.error and "image" in at.error[0].value


def test_the_gradient_check_agrees_with_backprop(at: AppTest) -> None:
    at.button(key="train.gradcheck_button").click().run()
    assert not at.exception
    table = at.table[0].value  # a DataFrame
    errors = [float(v) for v in table[t("train.gradcheck.error")]]
    assert list(table[t("train.gradcheck.param")]) == ["conv1.w", "conv1.b", "dense.w", "dense.b"]
    assert max(errors) < 1e-6
    assert set(table[t("train.gradcheck.verdict")]) == {t("train.gradcheck.ok")}


def test_settings_and_the_run_survive_a_visit_to_another_page() -> None:
    at = run_page("train")
    at.slider(key="train.kernels").set_value(3).run()
    at.button(key="train.start").click().run()
    at.button(key="train.stop").click().run()
    step = _step(at)
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/train.py").run()
    assert not at.exception and not at.warning
    assert at.slider(key="train.kernels").value == 3
    assert _step(at) == step
    assert not any(info.value == t("train.changed") for info in at.info)
