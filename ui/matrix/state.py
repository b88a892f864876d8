"""The matrix page's settings ("matrix.<name>" session keys), their defaults and what a link may set.

Registered like the transposed page's (`SETTINGS`, named in the page's frame call): the frame keeps them
across pages, writes them into the page's link, reads them back from a link, and puts back a value no
widget could hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ui.common.links import Choice, Domain, IntRange, SettingGroup

SOURCES: tuple[str, ...] = ("preset", "random")
MAX_SIDE = 8  # input rows and columns: C has up to 64 columns, still one picture
MAX_KERNEL = 4
MAX_STRIDE = 3
MAX_PADDING = 3
MAX_DILATION = 3
# The longest output side: 8 + 2·3 cells with a 1 × 1 kernel.
MAX_OUT = MAX_SIDE + 2 * MAX_PADDING
MAX_SEED = 9999

MATRIX_DEFAULTS: dict[str, Any] = {
    # A 4 × 4 input and a 3 × 3 kernel: C is the 4 × 16 matrix of Dumoulin & Visin's guide to
    # convolution arithmetic, small enough to print every number.
    "matrix.rows": 4,
    "matrix.cols": 4,
    "matrix.kernel": 3,  # K: the kernel is K × K
    "matrix.stride": 1,
    "matrix.padding": 0,
    "matrix.dilation": 1,
    "matrix.source": "preset",  # one of SOURCES: x, W and δ together
    "matrix.seed": 0,  # used when source is "random"
    "matrix.cell_0": 0,  # the output cell (a row of C), clipped to the output
    "matrix.cell_1": 0,
    "matrix.input.cell_0": 1,  # the input cell (a column of C)
    "matrix.input.cell_1": 1,
    "matrix.tap.cell_0": 0,  # the kernel tap (a column of im2col)
    "matrix.tap.cell_1": 0,
}


def _links() -> dict[str, Domain]:
    """The settings' domains: the widgets' bounds in ui/matrix/controls.py."""
    out, side, tap = IntRange(0, MAX_OUT - 1), IntRange(0, MAX_SIDE - 1), IntRange(0, MAX_KERNEL - 1)
    return {
        "matrix.rows": IntRange(1, MAX_SIDE),
        "matrix.cols": IntRange(1, MAX_SIDE),
        "matrix.kernel": IntRange(1, MAX_KERNEL),
        "matrix.stride": IntRange(1, MAX_STRIDE),
        "matrix.padding": IntRange(0, MAX_PADDING),
        "matrix.dilation": IntRange(1, MAX_DILATION),
        "matrix.source": Choice(SOURCES),
        "matrix.seed": IntRange(0, MAX_SEED),
        "matrix.cell_0": out,
        "matrix.cell_1": out,
        "matrix.input.cell_0": side,
        "matrix.input.cell_1": side,
        "matrix.tap.cell_0": tap,
        "matrix.tap.cell_1": tap,
    }


def _in_link(setting: str, state: Mapping[str, Any]) -> bool | None:
    """False for the seed while the values are the example (it changes nothing on screen); None otherwise."""
    if setting == "matrix.seed":
        return state.get("matrix.source") == "random"
    return None


SETTINGS = SettingGroup(MATRIX_DEFAULTS, _links(), _in_link)
