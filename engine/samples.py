"""The built-in sample images: what each is, where it comes from, and loading one like an upload.

The files live in assets/ (made or fetched by scripts/make_samples.py); `load_sample` reads a file once and
decodes it with engine/images.py's `load_image`, so a sample goes through exactly the steps an upload does.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np

from engine.images import ImageLoadError, load_image

ASSETS_DIR: Path = Path(__file__).resolve().parent.parent / "assets"


class SampleInfo(NamedTuple):
    """A built-in sample image: `name` is the stable id used in URLs, `title` the name shown to people."""

    name: str
    title: str
    filename: str
    description: str
    source: str
    licence: str


# --- built-in samples -------------------------------------------------------------------------------------

_SKIMAGE = "scikit-image's data module (skimage.data"
# fmt: off
_SAMPLES: tuple[SampleInfo, ...] = (
    SampleInfo(
        "astronaut", "Astronaut", "astronaut.png",
        "Portrait of NASA astronaut Eileen Collins: a face, fabric, flags and fine print.",
        f"NASA Great Images, via {_SKIMAGE}.astronaut)", "public domain",
    ),
    SampleInfo(
        "camera", "Camera man", "camera.png",
        "A man with a camera on a tripod, in grayscale: strong edges against a smooth sky.",
        f"Lav Varshney, via {_SKIMAGE}.camera)", "CC0",
    ),
    SampleInfo(
        "cat", "Chelsea the cat", "chelsea.png",
        "A cat's face: fur texture and whiskers, edges in many directions and at many scales.",
        f"Stefan van der Walt, via {_SKIMAGE}.chelsea)", "CC0",
    ),
    SampleInfo(
        "coffee", "Coffee cup", "coffee.png",
        "A cup of coffee on a saucer: ellipses, smooth porcelain and coarse wood grain.",
        f"Rachel Michetti for Pikolo Espresso Bar, via {_SKIMAGE}.coffee)", "CC0",
    ),
    SampleInfo(
        "rocket", "Rocket launch", "rocket.png",
        "A Falcon 9 rocket lifting off: a bright plume, a tower of thin lines and sky.",
        f"SpaceX, via {_SKIMAGE}.rocket)", "public domain",
    ),
    SampleInfo(
        "brick", "Brick wall", "brick.png",
        "A grayscale brick wall: a regular grid of horizontal and vertical mortar lines.",
        f"CC0Textures (Bricks25), via {_SKIMAGE}.brick)", "CC0",
    ),
    SampleInfo(
        "digit", "Handwritten digit", "digit.png",
        "A handwritten 8×8 digit enlarged to 64×64 with its cells kept sharp, like a CNN's tiny input.",
        "UCI Optical Recognition of Handwritten Digits (E. Alpaydin, C. Kaynak), via scikit-learn's "
        "load_digits", "CC BY 4.0",
    ),
    SampleInfo(
        "house", "House shape", "house.png",
        "A white house on black: vertical, horizontal and diagonal edges, a door and a window.",
        "made by scripts/make_samples.py", "CC0",
    ),
    SampleInfo(
        "stripes", "Vertical stripes", "stripes.png",
        "Black and white vertical stripes: only vertical edges, so an edge detector sees one direction.",
        "made by scripts/make_samples.py", "CC0",
    ),
    SampleInfo(
        "checkerboard", "Checkerboard", "checkerboard.png",
        "An 8×8 checkerboard: horizontal and vertical edges and corners on a regular grid.",
        "made by scripts/make_samples.py", "CC0",
    ),
    SampleInfo(
        "ramp", "Ramp with a step", "ramp.png",
        "A smooth left-to-right brightness ramp with a sudden step in the middle: slope versus edge.",
        "made by scripts/make_samples.py", "CC0",
    ),
)
# fmt: on


def list_samples() -> list[SampleInfo]:
    """List the built-in sample images, in the order a picker should show them (the first is the default).

    Returns:
        one `SampleInfo` per sample.
    """
    return list(_SAMPLES)


def load_sample(name: str, *, color: bool = False, size: int | None = None) -> np.ndarray:
    """Load a built-in sample image by its stable name (e.g. "astronaut"), as `load_image` does for uploads.

    Args:
        name: a `SampleInfo.name` from `list_samples()`.
        color: True for (3, H, W) RGB, False for (1, H, W) grayscale.
        size: the long side in pixels, or None for the stored size.

    Returns:
        (1, H, W) or (3, H, W) float64 array in [0, 1].

    Raises:
        ImageLoadError: for an unknown name or a missing sample file.
    """
    by_name = {sample.name: sample for sample in _SAMPLES}
    if name not in by_name:
        names = ", ".join(by_name)
        raise ImageLoadError(
            "There is no sample image called {name!r}; choose one of: {names}.", name=name, names=names
        )
    return load_image(_sample_bytes(by_name[name].filename), color=color, size=size)


@functools.lru_cache(maxsize=len(_SAMPLES))
def _sample_bytes(filename: str) -> bytes:
    """Read a sample file once: bytes are immutable, so sharing them between callers is safe."""
    try:
        return (ASSETS_DIR / filename).read_bytes()
    except OSError as err:
        raise ImageLoadError(
            "The sample file {filename} is missing from the assets folder; run scripts/make_samples.py.",
            filename=filename,
        ) from err
