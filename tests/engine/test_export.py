"""Array exports: CSV and .npy round-trip the numbers."""

from __future__ import annotations

from io import BytesIO, StringIO

import numpy as np
import pytest

from engine.export import array_to_csv, array_to_npy


@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3), (7,), ()])
def test_npy_round_trips_exactly(rng, shape):
    a = rng.normal(size=shape)
    np.testing.assert_array_equal(np.load(BytesIO(array_to_npy(a))), a)


def test_csv_of_a_matrix(rng):
    a = rng.normal(size=(3, 5))
    back = np.loadtxt(StringIO(array_to_csv(a, digits=17)), delimiter=",")
    np.testing.assert_allclose(back, a, rtol=1e-15)


def test_csv_of_channels_has_one_block_each(rng):
    a = rng.normal(size=(3, 2, 4))
    text = array_to_csv(a)
    assert text.count("# channel") == 3
    blocks = [b for b in text.split("# channel") if b.strip()]
    for c, block in enumerate(blocks):
        back = np.loadtxt(StringIO(block.split("\n", 1)[1]), delimiter=",")
        np.testing.assert_allclose(back, a[c], rtol=1e-5)


def test_csv_refuses_four_axes():
    with pytest.raises(ValueError, match="three axes"):
        array_to_csv(np.zeros((1, 1, 1, 1)))
