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
