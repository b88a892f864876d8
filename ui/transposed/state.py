"""The transposed page's settings ("transposed.<name>" session keys), their defaults and what a link may set.

Registered like the convolution pages' settings (`SETTINGS`, named in the page's frame call): the frame
keeps them when the user visits another page and comes back, writes them into the page's link, reads them
back from a link, and puts back a value no widget could hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ui.common.links import Choice, Domain, IntRange, SettingGroup

SOURCES: tuple[str, ...] = ("preset", "random")
MAX_SIDE = 6  # input rows and columns: every number of every grid stays readable
MAX_KERNEL = 5
MAX_STRIDE = 3
MAX_PADDING = 4
MAX_OUTPUT_PADDING = 2  # below max(stride, dilation) ≤ 3, as PyTorch requires
MAX_DILATION = 3
# The longest output side: (6 − 1)·3 + 3·(5 − 1) + 2 + 1 = 30 cells, without padding.
MAX_OUT = (MAX_SIDE - 1) * MAX_STRIDE + MAX_DILATION * (MAX_KERNEL - 1) + MAX_OUTPUT_PADDING + 1
MAX_SEED = 9999

TRANSPOSED_DEFAULTS: dict[str, Any] = {
    "transposed.rows": 3,
    "transposed.cols": 3,
    "transposed.x_source": "preset",  # one of SOURCES
    "transposed.x_seed": 0,  # used when x_source is "random"
    "transposed.kernel": 3,  # K: the kernel is K × K
    "transposed.w_source": "preset",
    "transposed.w_seed": 1,
    # Stride 2 with a 3 × 3 kernel: stamps overlap on every other row and column (the checkerboard).
    "transposed.stride": 2,
    "transposed.padding": 0,
    "transposed.output_padding": 0,
    "transposed.dilation": 1,
    "transposed.cell_0": 2,  # the output cell written out as its sum (clipped to the output)
    "transposed.cell_1": 2,
}


def _links() -> dict[str, Domain]:
    """The settings' domains: the widgets' bounds in ui/transposed/controls.py."""
    cell = IntRange(0, MAX_OUT - 1)
    seed = IntRange(0, MAX_SEED)
    return {
        "transposed.rows": IntRange(1, MAX_SIDE),
        "transposed.cols": IntRange(1, MAX_SIDE),
        "transposed.x_source": Choice(SOURCES),
        "transposed.x_seed": seed,
        "transposed.kernel": IntRange(1, MAX_KERNEL),
        "transposed.w_source": Choice(SOURCES),
        "transposed.w_seed": seed,
        "transposed.stride": IntRange(1, MAX_STRIDE),
        "transposed.padding": IntRange(0, MAX_PADDING),
        "transposed.output_padding": IntRange(0, MAX_OUTPUT_PADDING),
        "transposed.dilation": IntRange(1, MAX_DILATION),
        "transposed.cell_0": cell,
        "transposed.cell_1": cell,
    }


def _in_link(setting: str, state: Mapping[str, Any]) -> bool | None:
    """False for a seed while its values are the preset (it changes nothing on screen); None otherwise."""
    for name in ("x", "w"):
        if setting == f"transposed.{name}_seed":
            return state.get(f"transposed.{name}_source") == "random"
    return None


SETTINGS = SettingGroup(TRANSPOSED_DEFAULTS, _links(), _in_link)
