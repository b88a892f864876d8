"""The home page's pictures, made once for every session."""

from __future__ import annotations

import numpy as np

from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from engine.samples import load_sample
from ui.common.caching import cached_resource
from viz.preview import sweep_gif

# The moving preview is the forward page's first setup: its sample at its working size, its first kernel,
# padding 1 (ui/conv/state.py CONV_DEFAULTS), so the forward page opens on what the preview promised.
PREVIEW_SAMPLE, PREVIEW_SIZE, PREVIEW_KERNEL, PREVIEW_PADDING = "house", 32, "sobel_x", 1


@cached_resource()
def forward_preview() -> bytes:
    """The forward pass at work, as a looping GIF (viz.preview): made once per process (~0.2 s, ~150 KB)."""
    image = load_sample(PREVIEW_SAMPLE, size=PREVIEW_SIZE)  # (1, H, W)
    kernel = kernel_preset(PREVIEW_KERNEL, 3)
    feature, _ = conv2d_forward(image[None], kernel[None, None], np.zeros(1), padding=PREVIEW_PADDING)
    return sweep_gif(image[0], feature[0, 0], kernel.shape[0], PREVIEW_PADDING)
