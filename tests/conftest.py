"""Shared fixtures: a seeded random generator per test (never global seeding)."""

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)
