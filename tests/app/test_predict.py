"""Predict, then reveal on the forward page: asked before shown, checked within the stated tolerance."""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import run_script
from ui.common.i18n import t
from ui.common.predict import close_enough

PREDICTING = {"predict": True}


def _fields(at) -> list:
    return [n for n in at.number_input if str(n.key).startswith("predict.guess.")]


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("guess", "truth", "exact", "right"),
    [
        (0.0235, 0.0235, False, True),
        (0.03, 0.0235, False, True),  # within 0.01
        (0.04, 0.0235, False, False),
        (101.0, 100.0, False, True),  # within 1 %
        (102.0, 100.0, False, False),
        (32.0, 32.0, True, True),
        (31.0, 32.0, True, False),
        (float("nan"), 1.0, False, False),
    ],
)
def test_a_guess_counts_within_the_stated_tolerance(guess, truth, exact, right) -> None:
    assert close_enough(guess, truth, exact) is right


def test_the_output_size_is_asked_before_it_is_shown() -> None:
    at = run_script("forward", PREDICTING)
    assert not at.exception
    assert t("forward.output_size") not in _markdown(at)  # the shapes wait for the prediction
    H_out, W_out = at.session_state["forward.last_good"].maps.geometry.out_size
    _fields(at)[0].set_value(H_out).run()
    _fields(at)[1].set_value(W_out - 1).run()
    _button(at, t("predict.check")).click().run()
    assert not at.exception
    assert at.warning and str(W_out - 1) in at.warning[0].value  # the width was wrong
    assert t("forward.output_size") in _markdown(at)
    assert t("predict.score", right=0, checked=1) in " ".join(c.value for c in at.caption)


def test_the_next_value_is_asked_under_the_step_and_checked() -> None:
    at = run_script("forward", PREDICTING)
    size = at.session_state["forward.last_good"].maps.geometry.out_size  # the engine's
    for field, value in zip(_fields(at)[:2], size):
        field.set_value(value).run()
    _button(at, t("predict.check")).click().run()
    assert at.success  # the size was right
    question = next(f for f in _fields(at) if str(f.key).startswith("predict.guess.forward.z."))
    *_, kernel, i, j, _ = str(question.key).split(".")  # predict.guess.forward.z.<setup>.<f>.<i>.<j>.0
    step_z = at.session_state["forward.last_good"].maps.z[int(kernel), int(i), int(j)]
    question.set_value(float(step_z)).run()
    _button(at, t("predict.check")).click().run()
    assert not at.exception
    assert len(at.success) == 2
    assert t("predict.score", right=2, checked=2) in " ".join(c.value for c in at.caption)


def test_presentation_mode_reveals_instead_of_asking() -> None:
    at = run_script("forward", {**PREDICTING, "presentation": True})
    assert not _fields(at)  # the room answers aloud
    reveal = [b for b in at.button if b.label == t("predict.reveal")]
    assert reveal
    reveal[0].click().run()
    assert not at.exception
    assert at.info  # the answer, no verdict


def test_predictions_speak_chinese() -> None:
    at = run_script("forward", {**PREDICTING, "language": "zh"})
    assert not at.exception
    assert any("输出是多大" in m.value for m in at.markdown)


def test_predictions_are_off_by_default() -> None:
    at = run_script("forward")
    assert not _fields(at)
    assert t("forward.output_size") in _markdown(at)


def test_the_backward_page_asks_for_the_next_dw() -> None:
    at = run_script("backward", PREDICTING)
    assert not at.exception
    question = next(f for f in _fields(at) if str(f.key).startswith("predict.guess.backward.dw."))
    question.set_value(1e6).run()
    _button(at, t("predict.check")).click().run()
    assert not at.exception
    verdict = at.warning[0].value
    assert "dW(1, 1)" in verdict
    assert t("predict.score", right=0, checked=1) in " ".join(c.value for c in at.caption)
    # The revealed answer (the engine's, 4 significant digits) counts as right in a new session.
    answer = float(re.search(r"dW\(1, 1\) = (-?[0-9.e+-]+)\$", verdict.replace("−", "-")).group(1))
    again = run_script("backward", PREDICTING)
    next(f for f in _fields(again) if str(f.key).startswith("predict.guess.backward.dw.")).set_value(
        answer
    ).run()
    _button(again, t("predict.check")).click().run()
    assert again.success


def test_pooling_asks_what_each_cell_of_an_average_window_gets() -> None:
    from engine.pool_trace import window_share
    from ui.pooling.compute import compute

    at = run_script("pooling", {**PREDICTING, "pooling.mode": "avg"})
    assert not at.exception
    share = window_share(compute(at.session_state["pooling.last_good"]), 0, 0)  # the engine's
    question = next(f for f in _fields(at) if str(f.key).startswith("predict.guess.pooling.avg."))
    question.set_value(share).run()
    _button(at, t("predict.check")).click().run()
    assert not at.exception
    assert at.success and "(0, 0)" in at.success[0].value
    # The next window is asked at once.
    assert any("(0, 1)" in str(f.key) for f in _fields(at))


def test_pooling_shows_the_window_to_click_and_reveals_on_a_projector() -> None:
    at = run_script("pooling", PREDICTING)
    assert any(str(c.key).startswith("predict.pick.pooling.max.") for c in at.get("plotly_chart"))
    at = run_script("pooling", {**PREDICTING, "presentation": True})
    _button(at, t("predict.reveal")).click().run()
    assert not at.exception
    assert any("X(1, 0)" in i.value for i in at.info)  # window (0, 0) of the example: its maximum, 2
