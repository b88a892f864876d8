"""Benchmark: server time of the convolution pages' reruns, and the size of their animated figures.

Runs the pages with Streamlit's AppTest (the script run the server does for a browser, without the
browser) and prints medians against the budgets of DESIGN.md measured in the same run:
  - a rerun that changes nothing, at default settings: ≤ 30 ms;
  - a parameter change on a 512×512 RGB image (a new bias, so every cache misses): ≤ 150 ms;
  - the animated figures' JSON: ≤ 1 MB at default settings, never over 3 MB.
As a reference it also times the same parameter change with every cache cleared first (what a rerun
would cost without caching).

    python benchmarks/bench_app.py [--repeats 7] [--pages forward backward]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# Server time of a script run: the time Streamlit spends executing the page script (widgets, engine,
# figures, serialising every element), measured around the call that runs it. AppTest's own polling
# (it sleeps while it waits for the run) is not part of it.
_RUN_SECONDS: list[float] = []
_exec = script_runner.exec_func_with_error_handling


def _timed_exec(func, ctx):
    start = time.perf_counter()
    try:
        return _exec(func, ctx)
    finally:
        _RUN_SECONDS.append(time.perf_counter() - start)


script_runner.exec_func_with_error_handling = _timed_exec

BIG = {"conv.size": 512, "conv.color": True, "conv.sample": "coffee"}
WORST = {
    "conv.size": 512,
    "conv.color": True,
    "conv.kh": 11,
    **{f"conv.k{n}.kind": "random" for n in range(4)},
    "conv.dil_h": 2,
    "conv.dil_w": 2,
    "conv.pad_kind": "same",
    "conv.crop_size": 20,
    "conv.kernel_count": 4,
}


def page_test(page: str, state: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return at


def timed_run(at: AppTest) -> float:
    """Server seconds of one rerun (the script's execution)."""
    _RUN_SECONDS.clear()
    at.run()
    return sum(_RUN_SECONDS)


def median_ms(values: list[float]) -> float:
    return float(np.median(values)) * 1e3


def figure_sizes(at: AppTest) -> list[int]:
    """Bytes of each animated figure's JSON on the page."""
    sizes = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("frames"):
            sizes.append(len(chart.proto.spec.encode("utf-8")))
    return sizes


def bench_page(page: str, repeats: int) -> None:
    at = page_test(page, {})
    unchanged = [timed_run(at) for _ in range(repeats)]
    default_sizes = figure_sizes(at)
    big = page_test(page, BIG)
    changed = []
    for k in range(repeats):
        big.session_state["conv.k0.bias"] = 0.001 * (k + 1)  # a new value: every cache misses
        changed.append(timed_run(big))
    uncached = []
    for k in range(max(3, repeats // 2)):
        st.cache_data.clear()
        st.cache_resource.clear()
        big.session_state["conv.k0.bias"] = -0.001 * (k + 1)
        uncached.append(timed_run(big))
    worst_sizes = figure_sizes(page_test(page, WORST))
    t_unchanged, t_changed, t_uncached = median_ms(unchanged), median_ms(changed), median_ms(uncached)
    print(f"[{page}] server time of a script run, median of {repeats}")
    rows = [
        ("rerun, nothing changed (defaults)", t_unchanged, f"budget  30 ms  ratio {t_unchanged / 30:.2f}"),
        ("parameter change, 512² RGB", t_changed, f"budget 150 ms  ratio {t_changed / 150:.2f}"),
        ("same change, caches cleared (ref.)", t_uncached, f"cached/uncached {t_changed / t_uncached:.2f}"),
    ]
    for what, ms, budget in rows:
        print(f"  {what:<37}{ms:7.1f} ms  {budget}")
    print(f"  animated figures at defaults: {_megabytes(default_sizes)}  (budget 1 MB each)")
    print(f"  animated figures, worst case: {_megabytes(worst_sizes)}  (budget 3 MB each)")


def _megabytes(sizes: list[int]) -> str:
    return ", ".join(f"{s / 1e6:.3f} MB" for s in sizes) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pages", nargs="+", default=["forward"])
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for page in args.pages:
        bench_page(page, args.repeats)


if __name__ == "__main__":
    main()
