"""The convolution settings shared by the forward and backward pages, and their defaults.

Every setting is a plain session-state key named "conv.<name>" (see ui/common/state.py for why), so the image,
the kernels and the geometry chosen on one page are there on the other. They are flat, simple values
(str, int, float, bool, small lists) so that a URL can carry them.
"""

from __future__ import annotations

from typing import Any

from ui.common.state import DEFAULTS

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

# Registering them as shared settings lets `ui.common.state.bind` keep their widgets across pages.
DEFAULTS.update(CONV_DEFAULTS)
