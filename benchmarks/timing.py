"""Timing shared by the benchmarks: medians of interleaved runs."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def interleaved_medians(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each function, the runs interleaved (a, b, a, b, ...) after one warm-up each.

    Interleaving gives every contender the same share of whatever else the machine is doing.
    """
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(values)) for name, values in times.items()}
