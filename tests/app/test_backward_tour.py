"""The backward page's guided tour: seven steps that move the animation to the cell they explain, fill
their texts with the engine's numbers, open the gather view at the end, and travel in links."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.app.conftest import run_script
from tests.app.test_backward import house_gradients
from ui.backward.tour import BACKWARD_STEPS
from ui.common.i18n import t

N = len(BACKWARD_STEPS)


def heading(at) -> str:
    """The tour's "Guided tour · Step k of n" line."""
    return next(m.value for m in at.markdown if t("tour.title") in m.value)


def tour_text(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)


def started(state: dict | None = None):
    at = run_script("backward", state or {})
    at.button(key="tour.start").click().run()
    assert not at.exception
    return at


def test_the_tour_starts_closed_and_opens_at_its_first_step() -> None:
    at = run_script("backward")
    assert at.session_state["tour.backward"] == 0
    assert at.button(key="tour.start").label == t("tour.start")
    at.button(key="tour.start").click().run()
    assert at.session_state["tour.backward"] == 1
    assert t("tour.progress", k=1, n=N) in heading(at)
    assert t("tour.backward.loss.title") in tour_text(at)
    assert at.query_params["tour"] == ["1"] or at.query_params["tour"] == "1"


def test_every_step_shows_its_title_and_the_last_opens_the_gather_view() -> None:
    at = started()
    for k in range(2, N + 1):
        at.button(key="tour.next").click().run()
        assert not at.exception
        assert at.session_state["tour.backward"] == k
        assert t("tour.progress", k=k, n=N) in heading(at)
        assert t(f"tour.backward.{BACKWARD_STEPS[k - 1].name}.title") in tour_text(at)
        assert at.session_state["backward.view"] == ("gather" if k == N else "steps")
    assert at.button(key="tour.next").disabled
    at.button(key="tour.back").click().run()
    assert at.session_state["backward.view"] == "steps"
    at.button(key="tour.end").click().run()
    assert at.session_state["tour.backward"] == 0
    assert at.button(key="tour.start")


def test_the_delta_step_names_a_cell_with_the_engines_numbers() -> None:
    at = started()
    at.button(key="tour.next").click().run()  # step 2: δ
    text = tour_text(at)
    found = re.search(r"δ\((\d+), (\d+)\) = ∂L/∂A · σ'\(Z\) = (\S+) · (\S+) = (\S+)。?\.? ", text)
    i, j = int(found.group(1)), int(found.group(2))
    da, dsigma, delta = (float(v.rstrip(".").replace("−", "-")) for v in found.groups()[2:])
    grads = house_gradients("mse")
    np.testing.assert_allclose([da, dsigma, delta], [grads.da[0, i, j], 1.0, grads.delta[0, i, j]], rtol=1e-3)
    # The animation is at that cell: the step's explanation below the figure names it.
    assert any(t("backward.step_explain", i=i, j=j) in m.value for m in at.markdown)
    # It is where |δ| is largest in the crop the animation shows (the crop is centred).
    assert at.session_state["conv.crop_i"] == -1
    assert abs(grads.delta[0, i, j]) >= 0.5 * np.abs(grads.delta[0]).max()


def test_the_border_step_moves_the_crop_to_the_padded_corner() -> None:
    at = started()
    for _ in range(5):
        at.button(key="tour.next").click().run()
    assert at.session_state["tour.backward"] == 6
    assert (at.session_state["conv.crop_i"], at.session_state["conv.crop_j"]) == (0, 0)
    assert at.session_state["conv.step"] == 0  # the first cell of the corner crop
    assert t("tour.backward.border.cropped") in tour_text(at)  # the default padding is zeros


def test_without_padding_the_border_step_says_so() -> None:
    at = started({"conv.pad_kind": "valid"})
    for _ in range(5):
        at.button(key="tour.next").click().run()
    assert t("tour.backward.border.none") in tour_text(at)


def test_another_view_says_where_the_tour_is_and_brings_it_back() -> None:
    at = started()
    at.session_state["backward.view"] = "sweep"
    at.run()
    assert not at.exception
    assert any(
        t("tour.backward.elsewhere", k=1, n=N, view=t("backward.view.steps")) in i.value for i in at.info
    )
    at.button(key="tour.resume").click().run()
    assert at.session_state["backward.view"] == "steps"
    assert t("tour.progress", k=1, n=N) in heading(at)


def test_a_link_opens_the_tour_at_a_step() -> None:
    from tests.app.test_url_state import open_link

    at = open_link({"tour": "7", "backward.view": "gather"}, page="pages/backward.py")
    assert not at.exception
    assert at.session_state["tour.backward"] == 7
    assert t("tour.progress", k=7, n=N) in heading(at)
    assert t("tour.backward.gather.title") in tour_text(at)


@pytest.mark.parametrize("state", [{"presentation": True}, {"conv.color": True, "conv.sample": "astronaut"}])
def test_the_tour_runs_through_on_other_settings(state: dict) -> None:
    at = started(state)
    for _ in range(N - 1):
        at.button(key="tour.next").click().run()
        assert not at.exception
        assert not at.error
    assert np.isfinite(at.session_state["conv.step"])


def test_a_link_to_a_tour_step_without_an_animation_step_shows_the_steps_cell() -> None:
    from tests.app.test_url_state import open_link

    at = open_link({"tour": "2"}, page="pages/backward.py")
    assert not at.exception
    # The step goes to the crop's strongest cell; with no crop chosen, the crop starts at the largest |δ|
    # (ui.conv.compute.crop_region), so that cell is its first step.
    assert at.session_state["conv.step"] == 0
    assert at.session_state["conv.crop_i"] == -1
    linked = open_link({"tour": "2", "step": "3"}, page="pages/backward.py")
    assert linked.session_state["conv.step"] == 3  # a link's own step wins
