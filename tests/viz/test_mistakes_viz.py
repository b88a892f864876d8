"""viz/mistakes.py: the difference maps are centred on 0, one panel per array, blank where no number."""

from __future__ import annotations

import json

import numpy as np

from viz.mistakes import DifferenceLabels, difference_figure

LABELS = DifferenceLabels("planted − numerical", "not checked", "row", "column")


def test_each_panel_is_centred_on_zero_with_its_own_limits(rng):
    dw, dx = rng.normal(size=(3, 2)), 100 * rng.normal(size=(5, 7))
    dx[1, 2] = np.nan
    spec = difference_figure([("dW", dw), ("dX", dx)], LABELS)
    first, second = spec["data"]
    assert first["zmin"] == -first["zmax"] == -np.abs(dw).max()
    assert second["zmin"] == -second["zmax"] == -np.nanmax(np.abs(dx))
    assert second["z"][1][2] is None and "not checked" in second["text"][1][2]
    assert np.shape(first["z"]) == (3, 2) and np.shape(second["z"]) == (5, 7)
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["dW", "dX"]
    json.dumps(spec)  # plain JSON: no NaN, no arrays


def test_a_map_with_no_number_or_all_zeros_still_draws(rng):
    spec = difference_figure([("none", np.full((2, 3), np.nan)), ("zero", np.zeros((4, 4)))], LABELS)
    assert [trace["zmax"] for trace in spec["data"]] == [1.0, 1.0]
    json.dumps(spec)
