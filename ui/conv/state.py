"""The convolution settings shared by the forward and backward pages, and their defaults.

Every setting is a plain session-state key named "conv.<name>" (see ui/common/state.py for why), so the image,
the kernels and the geometry chosen on one page are there on the other. They are flat, simple values
(str, int, float, bool, small lists) so that a URL can carry them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from engine.activations import ACTIVATIONS
from engine.geometry import PAD_MODES
from engine.presets import PRESETS
from engine.samples import list_samples
from ui.common.links import Choice, Domain, Flag, FloatRange, Grid, IntRange, Nearest, SettingGroup

MAX_KERNELS = 4
MAX_KERNEL_SIZE = 11
SIZES = (6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)

# Kernel kinds besides the engine's presets.
CUSTOM = "custom"
RANDOM = "random"

CONV_DEFAULTS: dict[str, Any] = {
    "conv.source": "sample",  # sample | upload | camera
    "conv.sample": "house",
    "conv.color": False,
    "conv.size": 32,  # long side of the working image, pixels
    "conv.kernel_count": 1,
    "conv.kh": 3,
    "conv.kw": 3,
    "conv.seed": 0,
    "conv.activation": "identity",
    "conv.flip": False,
    "conv.per_axis": False,
    "conv.stride_h": 1,
    "conv.stride_w": 1,
    "conv.pad_kind": "number",  # number | same | valid
    "conv.pad_h": 1,
    "conv.pad_w": 1,
    "conv.pad_mode": "zeros",
    "conv.dil_h": 1,
    "conv.dil_w": 1,
    "conv.anim_kernel": 0,  # which kernel the step-by-step view animates
    "conv.crop_i": -1,  # top-left output cell of the animated crop; −1: centred on the map
    "conv.crop_j": -1,
    "conv.crop_size": 8,  # output cells per side of the animated crop
    "conv.step": 0,  # the step shown first
}
# One entry per kernel slot: its kind (a preset name, "custom" or "random"), bias and custom numbers.
_DEFAULT_KINDS = ("sobel_x", "sobel_y", "gaussian_blur", "laplacian")
for _n, _kind in enumerate(_DEFAULT_KINDS):
    CONV_DEFAULTS[f"conv.k{_n}.kind"] = _kind
    CONV_DEFAULTS[f"conv.k{_n}.bias"] = 0.0
    CONV_DEFAULTS[f"conv.k{_n}.values"] = None  # custom numbers, a KH×KW nested list once edited


PRESET_NAMES = tuple(p.name for p in PRESETS)
# The largest output map: an index beyond it is clipped again by the page, to the map it has.
MAX_INDEX = max(SIZES)


def _conv_links() -> dict[str, Domain]:
    """The convolution settings and their domains: the widgets' bounds in ui/conv/controls.py."""
    links: dict[str, Domain] = {
        "conv.sample": Choice(tuple(s.name for s in list_samples())),
        "conv.color": Flag(),
        "conv.size": Nearest(SIZES),
        "conv.kernel_count": IntRange(1, MAX_KERNELS),
        "conv.kh": IntRange(1, MAX_KERNEL_SIZE),
        "conv.kw": IntRange(1, MAX_KERNEL_SIZE),
        "conv.seed": IntRange(0, 2**31 - 1),
        "conv.activation": Choice(ACTIVATIONS),
        "conv.flip": Flag(),
        "conv.per_axis": Flag(),
        "conv.stride_h": IntRange(1, 8),
        "conv.stride_w": IntRange(1, 8),
        "conv.pad_kind": Choice(("number", "same", "valid")),
        "conv.pad_h": IntRange(0, 10),
        "conv.pad_w": IntRange(0, 10),
        "conv.pad_mode": Choice(PAD_MODES),
        "conv.dil_h": IntRange(1, 6),
        "conv.dil_w": IntRange(1, 6),
        "conv.anim_kernel": IntRange(0, MAX_KERNELS - 1),
        "conv.crop_i": IntRange(-1, 2 * MAX_INDEX),  # the page clips the crop to its map
        "conv.crop_j": IntRange(-1, 2 * MAX_INDEX),
        "conv.crop_size": IntRange(1, 20),
        "conv.step": IntRange(0, 1000),
    }
    kinds = Choice((*PRESET_NAMES, CUSTOM, RANDOM))
    for n in range(MAX_KERNELS):
        links[f"conv.k{n}.kind"] = kinds
        links[f"conv.k{n}.bias"] = FloatRange(-10.0, 10.0)
        links[f"conv.k{n}.values"] = Grid(MAX_KERNEL_SIZE)
    return links


_KERNEL_SETTING = re.compile(r"conv\.k(\d+)\.")  # a kernel slot's kind, bias or numbers


def _in_link(setting: str, state: Mapping[str, Any]) -> bool | None:
    """False for a setting that changes nothing on screen: a kernel slot not in use (or its numbers while
    it is a preset), a width while both axes share the height's value; None for the others."""
    kernel = _KERNEL_SETTING.match(setting)
    if kernel:
        n = int(kernel.group(1))
        in_use = n < state.get("conv.kernel_count", 1)
        custom = state.get(f"conv.k{n}.kind") == CUSTOM
        return in_use and (custom or not setting.endswith(".values"))
    if setting in ("conv.kw", "conv.stride_w", "conv.pad_w", "conv.dil_w"):
        return bool(state.get("conv.per_axis"))  # otherwise the same as the height's
    return None


# Shared by the forward and backward pages: each names it in its frame call, so that `ui.common.state.bind`
# keeps the widgets across pages and links carry the settings.
SETTINGS = SettingGroup(CONV_DEFAULTS, _conv_links(), _in_link)
