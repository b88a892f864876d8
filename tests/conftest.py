"""Shared fixtures: a seeded random generator per test (never global seeding); hypothesis's CI profile."""

import os

import numpy as np
import pytest
from hypothesis import settings

# In CI (CI=true, as .ci/run sets it) the property tests draw fixed examples (derandomized, no example
# database): a run fails for a change, never for a rare draw. A local run keeps exploring new examples
# (what it finds is saved in .hypothesis and tried first next time).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)
