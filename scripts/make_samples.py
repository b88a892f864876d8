"""Make the sample images in assets/: synthetic patterns, and with --photos the photographs and the digit.

    python scripts/make_samples.py            # synthetic patterns only: needs NumPy and Pillow
    python scripts/make_samples.py --photos   # also the photographs and the handwritten digit

The synthetic patterns are deterministic (integer arithmetic on pixel indices, no randomness). The
photographs come from scikit-image's data module and the digit from scikit-learn's copy of the UCI digits;
both packages are tools for this script only, not dependencies of the app:
`pip install scikit-image scikit-learn`. Sources and licences are listed in assets/README.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
PHOTO_LONG_SIDE = 512
DIGIT_INDEX = 3  # the fourth image of load_digits(): a clearly written "3"
DIGIT_SCALE = 8  # 8×8 → 64×64, each cell an 8×8 block


def stripes(H: int = 128, W: int = 192, period: int = 16) -> np.ndarray:
    """Vertical black and white stripes, `period` pixels per black + white pair: (H, W) uint8."""
    j = np.arange(W)
    row = np.where((j // (period // 2)) % 2 == 1, 255, 0)
    return np.broadcast_to(row, (H, W)).astype(np.uint8)


def checkerboard(H: int = 160, W: int = 160, square: int = 20) -> np.ndarray:
    """A checkerboard of `square`-pixel squares, white in the top-left corner: (H, W) uint8."""
    i, j = np.indices((H, W))
    return np.where((i // square + j // square) % 2 == 0, 255, 0).astype(np.uint8)


def house(H: int = 160, W: int = 192) -> np.ndarray:
    """A white house silhouette on black (walls, a 45° roof, a dark door and window): (H, W) uint8."""
    i, j = np.indices((H, W))
    centre, eaves, ground = W // 2, 70, 140
    half_width = 50
    walls = (i >= eaves) & (i < ground) & (abs(j - centre) < half_width)
    # The roof rises one pixel per pixel from the eaves: a 45° edge, whose apex sits at row eaves − 60.
    roof = (i < eaves) & (abs(j - centre) < half_width + 10 - (eaves - i))
    door = (i >= ground - 40) & (i < ground) & (abs(j - (centre - 20)) < 8)
    window = (i >= eaves + 15) & (i < eaves + 35) & (abs(j - (centre + 22)) < 12)
    shape = (walls | roof) & ~door & ~window
    return np.where(shape, 255, 0).astype(np.uint8)


def ramp(H: int = 96, W: int = 256) -> np.ndarray:
    """A left-to-right ramp 0 → 0.6 with a step of +0.4 at the middle column: (H, W) uint8.

    The ramp has a constant slope (a derivative filter answers with a small constant) and the step a jump
    (it answers with one strong line): the difference between a gradient and an edge.
    """
    j = np.arange(W)
    row = 0.6 * j / (W - 1) + 0.4 * (j >= W // 2)
    return np.broadcast_to(np.rint(255 * row), (H, W)).astype(np.uint8)


SYNTHETIC: dict[str, Callable[[], np.ndarray]] = {
    "stripes.png": stripes,
    "checkerboard.png": checkerboard,
    "house.png": house,
    "ramp.png": ramp,
}


def save_png(pixels: np.ndarray, filename: str) -> None:
    """Write a uint8 (H, W) or (H, W, 3) array to assets/ as an optimised PNG and say how big it is."""
    path = ASSETS_DIR / filename
    Image.fromarray(pixels).save(path, format="PNG", optimize=True)
    print(f"{filename:18s} {pixels.shape[1]:4d}×{pixels.shape[0]:<4d} {path.stat().st_size / 1024:6.1f} KB")


def shrink_to_long_side(pixels: np.ndarray, long_side: int) -> np.ndarray:
    """Shrink a photograph (LANCZOS) so its long side is at most `long_side`; smaller ones are kept."""
    image = Image.fromarray(pixels)
    scale = long_side / max(image.size)
    if scale >= 1:
        return pixels
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS))


def make_photos() -> None:
    """Export the public-domain / CC0 photographs of skimage.data (licences in their docstrings)."""
    import skimage.data

    photos = {
        "astronaut.png": skimage.data.astronaut,  # NASA, public domain
        "camera.png": skimage.data.camera,  # Lav Varshney, CC0
        "chelsea.png": skimage.data.chelsea,  # Stefan van der Walt, CC0
        "coffee.png": skimage.data.coffee,  # Rachel Michetti, CC0
        "rocket.png": skimage.data.rocket,  # SpaceX, public domain
        "brick.png": skimage.data.brick,  # CC0Textures, CC0
    }
    for filename, loader in photos.items():
        save_png(shrink_to_long_side(loader(), PHOTO_LONG_SIDE), filename)


def make_digit() -> None:
    """Export one 8×8 UCI digit (values 0..16, ink high) as a 64×64 PNG, white ink on black, cells kept."""
    from sklearn.datasets import load_digits

    cells = load_digits().images[DIGIT_INDEX]
    pixels = np.rint(cells * 255 / 16).astype(np.uint8)
    save_png(np.kron(pixels, np.ones((DIGIT_SCALE, DIGIT_SCALE), dtype=np.uint8)), "digit.png")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--photos",
        action="store_true",
        help="also export the photographs and the digit (scikit-image, scikit-learn)",
    )
    args = parser.parse_args()
    ASSETS_DIR.mkdir(exist_ok=True)
    for filename, make in SYNTHETIC.items():
        save_png(make(), filename)
    if args.photos:
        make_photos()
        make_digit()


if __name__ == "__main__":
    main()
