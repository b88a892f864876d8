"""Benchmark: what the widget guard (ui/common/widget_guard.py) adds to a rerun request.

A browser sends the state of every control with each rerun; the guard deserializes each plain one once
more (twice for a number, slider, select slider or checkbox: read back and compare) before Streamlit
stores it. This times that check for the states a tab of each page sends (every widget the page drew,
at its current value), against the reference measured in the same run: Streamlit's own deserialization
of the same states, which every rerun does anyway. The whole server's cost of a rerun (9-23 ms of CPU
a page, README) is measured by benchmarks/bench_hall.py.

    python benchmarks/bench_widget_guard.py [--repeats 2000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import unpack_widget_state_value

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.app.conftest import run_page  # noqa: E402
from ui.common.frame import PAGES  # noqa: E402
from ui.common.widget_guard import PLAIN_FIELDS, usable  # noqa: E402


def page_states(page_id: str) -> list[tuple[object, WidgetState]]:
    """(metadata, state) of every plain widget the page drew, its state as the browser would send it."""
    at = run_page(page_id)
    session = vars(vars(at.session_state)["_state"])["_state"]
    pairs = []
    for widget_id, metadata in session._new_widget_state.widget_metadata.items():
        if metadata.value_type not in PLAIN_FIELDS or widget_id not in session:
            continue
        serialized = metadata.serializer(session[widget_id])
        if serialized is None:
            continue
        state = WidgetState(id=widget_id)
        if metadata.value_type.endswith("array_value"):
            getattr(state, metadata.value_type).data.extend(serialized)
        else:
            setattr(state, metadata.value_type, serialized)
        pairs.append((metadata, state))
    return pairs


def per_request_us(check, pairs, repeats: int) -> float:
    """Microseconds to run `check` over every state of one request (the best of 5 rounds)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            for metadata, state in pairs:
                check(metadata, state)
        best = min(best, (time.perf_counter() - start) / repeats)
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # AppTest's "missing ScriptRunContext" lines

    def streamlit_only(metadata, state):
        return metadata.deserializer(unpack_widget_state_value(state))

    def guard(metadata, state):
        return usable(metadata, state, exact=True)

    print(f"{'page':<14} {'states':>6} {'Streamlit µs':>13} {'guard µs':>9} {'ratio':>6}")
    for spec in PAGES:
        pairs = page_states(spec.page_id)
        if not pairs:
            continue
        reference = per_request_us(streamlit_only, pairs, args.repeats)
        checked = per_request_us(guard, pairs, args.repeats)
        ratio = checked / reference
        print(f"{spec.page_id:<14} {len(pairs):>6} {reference:>13.1f} {checked:>9.1f} {ratio:>6.2f}")


if __name__ == "__main__":
    main()
