"""The home page's picture, encoded once for every session."""

from __future__ import annotations

from engine.images import encode_picture, to_uint8
from engine.samples import load_sample
from ui.common.caching import cached_resource

# Long side of the home page's picture, in pixels: small enough to send once, big enough to see.
PICTURE_SIZE = 320


@cached_resource()
def sample_picture(name: str) -> bytes:
    """Return the sample image `name` as JPEG bytes, encoded once for every session.

    Given pixels, st.image encodes them again on every rerun: measured at a fifth of the home page's
    server CPU (py-spy, in the real server).
    """
    pixels = to_uint8(load_sample(name, color=True, size=PICTURE_SIZE))
    return encode_picture(pixels, "JPEG")
