"""Benchmark: script time of the convolution pages' reruns, and the size of their animated figures.

What it leaves out: it times the page script under AppTest, not the server. The real server also
serialises and hashes every message, wakes its event loop for each one and sends it over the websocket
(and, with Streamlit's defaults, runs gc.collect(2) and the file watcher after each run): measured
2-4x the time printed here. The server's own CPU per run is measured by benchmarks/bench_hall.py.

Runs the pages with Streamlit's AppTest (the script run the server does for a browser, without the
browser) and prints medians against the budgets of DESIGN.md measured in the same run:
  - a rerun that changes nothing, at default settings: ≤ 30 ms;
  - a parameter change on a 512×512 RGB image (a new bias, so every cache misses): ≤ 150 ms;
  - the animated figures' JSON: ≤ 1 MB at default settings, never over 3 MB.
As a reference it also times the same parameter change with every cache cleared first (what a rerun
would cost without caching). On the backward page it also times the parameter change until the static
heatmaps (δ, dW, db, dX) have been sent, and the whole page with each of its closer views shown.

    python benchmarks/bench_app.py [--repeats 7] [--pages forward backward]
"""

from __future__ import annotations

import argparse
import itertools
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
_RUN_STARTED: list[float] = []
_exec = script_runner.exec_func_with_error_handling


def _timed_exec(func, ctx):
    start = time.perf_counter()
    _RUN_STARTED.append(start)
    try:
        return _exec(func, ctx)
    finally:
        _RUN_SECONDS.append(time.perf_counter() - start)


script_runner.exec_func_with_error_handling = _timed_exec

# When the script sent a given chart: st.plotly_chart is looked up on the module at each call, so a
# wrapper here sees every figure a page shows (ui.common.display.show_figure calls it).
_CHART_SENT: dict[str, float] = {}
_plotly_chart = st.plotly_chart


def _noted_chart(*args, **kwargs):
    result = _plotly_chart(*args, **kwargs)
    _CHART_SENT[str(kwargs.get("key"))] = time.perf_counter()
    return result


st.plotly_chart = _noted_chart
# The last of a page's static figures: the time until it is sent is the page's "static figures" time.
LAST_STATIC_FIGURE = {"backward": "backward.chart.dx"}
# Pages that show one closer view at a time: the setting and its choices (each is timed on its own).
VIEW_SETTINGS = {"backward": ("backward.view", ("steps", "sweep", "gather", "check", "learn"))}

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


def timed_run(at: AppTest, until: str | None = None) -> float:
    """Server seconds of one rerun (the script's execution), or until the chart keyed `until` was sent."""
    _RUN_SECONDS.clear()
    _RUN_STARTED.clear()
    _CHART_SENT.clear()
    at.run()
    if until is None:
        return sum(_RUN_SECONDS)
    return _CHART_SENT[until] - _RUN_STARTED[0]


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


_new_biases = itertools.count(1)


def changed_runs(page: str, repeats: int, state: dict, until: str | None = None) -> list[float]:
    """Server seconds of reruns on the 512² RGB image, each after a bias never used before in this process
    (the caches are the process's: a value seen in an earlier measurement would hit them)."""
    big = page_test(page, {**BIG, **state})
    times = []
    for _ in range(repeats):
        big.session_state["conv.k0.bias"] = 0.001 * next(_new_biases)
        times.append(timed_run(big, until))
    return times


def bench_views(page: str, repeats: int) -> None:
    """The parameter change with each closer view of the page shown, and until its static figures."""
    budget = "budget 150 ms  ratio"
    static = LAST_STATIC_FIGURE.get(page)
    if static is not None:
        ms = median_ms(changed_runs(page, repeats, {}, until=static))
        print(f"  {'parameter change, until static heatmaps':<37}{ms:7.1f} ms  {budget} {ms / 150:.2f}")
    setting, views = VIEW_SETTINGS.get(page, (None, ()))
    for view in views:
        ms = median_ms(changed_runs(page, repeats, {setting: view}))
        print(f"  {f'parameter change, view {view!r}':<37}{ms:7.1f} ms  {budget} {ms / 150:.2f}")


def bench_page(page: str, repeats: int) -> None:
    at = page_test(page, {})
    unchanged = [timed_run(at) for _ in range(repeats)]
    default_sizes = figure_sizes(at)
    big = page_test(page, BIG)
    changed = changed_runs(page, repeats, {})
    uncached = []
    for _ in range(max(3, repeats // 2)):
        st.cache_data.clear()
        st.cache_resource.clear()
        big.session_state["conv.k0.bias"] = -0.001 * next(_new_biases)
        uncached.append(timed_run(big))
    setting, views = VIEW_SETTINGS.get(page, (None, ()))
    worst_states = [{**WORST, setting: view} for view in views] or [WORST]
    worst_sizes = [size for state in worst_states for size in figure_sizes(page_test(page, state))]
    t_unchanged, t_changed, t_uncached = median_ms(unchanged), median_ms(changed), median_ms(uncached)
    print(f"[{page}] script time under AppTest (server CPU: bench_hall.py), median of {repeats}")
    rows = [
        ("rerun, nothing changed (defaults)", t_unchanged, f"budget  30 ms  ratio {t_unchanged / 30:.2f}"),
        ("parameter change, 512² RGB", t_changed, f"budget 150 ms  ratio {t_changed / 150:.2f}"),
        ("same change, caches cleared (ref.)", t_uncached, f"cached/uncached {t_changed / t_uncached:.2f}"),
    ]
    for what, ms, budget in rows:
        print(f"  {what:<37}{ms:7.1f} ms  {budget}")
    bench_views(page, repeats)
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
