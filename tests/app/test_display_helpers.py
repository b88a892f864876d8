"""Small helpers of ui.common: the Markdown table and the keyword-calling caches."""

from __future__ import annotations

from ui.common.caching import cached_data, cached_resource
from ui.common.display import markdown_table


def test_markdown_table_has_a_header_a_rule_and_one_line_per_row():
    rows = [{"name": "W1", "shape": "(2, 2)"}, {"name": "b1", "shape": "(2,)"}]
    assert markdown_table(rows).splitlines() == [
        "| name | shape |",
        "|---|---|",
        "| W1 | (2, 2) |",
        "| b1 | (2,) |",
    ]


def test_markdown_table_escapes_a_bar_inside_a_cell():
    assert markdown_table([{"a": "x|y"}]).splitlines()[-1] == r"| x\|y |"


def test_markdown_table_of_no_rows_is_empty():
    assert markdown_table([]) == ""


def test_cached_resource_runs_once_for_positional_and_keyword_calls():
    calls = []

    @cached_resource(max_entries=4)
    def double(x: int, _ignored: object = None) -> int:
        calls.append(x)
        return 2 * x

    assert double(3) == 6
    assert double(x=3) == 6
    assert double(3, object()) == 6  # an argument named with "_" stays out of the key, as in Streamlit
    assert calls == [3]
    assert double(4) == 8
    assert calls == [3, 4]
    double.clear()
    assert double(3) == 6
    assert calls == [3, 4, 3]


def test_cached_data_gives_each_caller_its_own_copy():
    @cached_data(max_entries=4)
    def numbers(n: int) -> list[int]:
        return list(range(n))

    first = numbers(3)
    first.append(99)
    assert numbers(3) == [0, 1, 2]


def _skeleton_page() -> None:
    """A page that computes the square root of what its state holds, through the shared skeleton."""
    import math

    import streamlit as st

    from ui.common.controls import result_or_last_good

    def compute(x: float) -> float:
        if x < 0:
            raise ValueError(f"{x} has no real square root.")
        return math.sqrt(x)

    shown, result = result_or_last_good(
        compute, st.session_state["x"], key="demo.last_good", default=4.0, kept="The last good one stays."
    )
    st.markdown(f"sqrt({shown}) = {result}")


def test_the_page_skeleton_keeps_the_last_good_result_and_says_why() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_skeleton_page)
    at.session_state["x"] = 9.0
    at.run()
    assert [m.value for m in at.markdown] == ["sqrt(9.0) = 3.0"]
    at.session_state["x"] = -1.0
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["-1.0 has no real square root."]
    assert [c.value for c in at.caption] == ["The last good one stays."]
    assert [m.value for m in at.markdown] == ["sqrt(9.0) = 3.0"]  # the previous input, not the default
    fresh = AppTest.from_function(_skeleton_page)
    fresh.session_state["x"] = -1.0
    fresh.run()
    assert [m.value for m in fresh.markdown] == ["sqrt(4.0) = 2.0"]  # nothing worked yet: the default
