"""The GIF export: a valid animated GIF with one frame per step of the animation."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from engine.gif import forward_trace_gif
from engine.trace import forward_trace


@pytest.mark.parametrize(("C", "region"), [(1, (0, 3, 0, 4)), (3, (2, 6, 1, 3))])
def test_one_gif_frame_per_step(rng, C, region):
    x, w = rng.random((C, 9, 7)), rng.normal(size=(C, 3, 3))
    trace = forward_trace(x, w, 0.1, padding=1, region=region, activation="relu")
    data = forward_trace_gif(trace, duration_ms=200)
    gif = Image.open(BytesIO(data))
    assert gif.format == "GIF"
    assert gif.n_frames == len(trace.steps)
    assert gif.info.get("loop") == 0
    first = np.asarray(gif.convert("RGB"))
    gif.seek(gif.n_frames - 1)
    last = np.asarray(gif.convert("RGB"))
    assert not np.array_equal(first, last)  # the window moved and the output filled in
