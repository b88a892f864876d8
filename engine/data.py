"""The data sets the tiny CNN trains on, and the conversion of any image into the network's input.

- **Digits**: the UCI optical handwritten digits (E. Alpaydin, C. Kaynak), 1,797 images of 8×8 cells,
  each cell the number of inked pixels (0..16) in a 4×4 block of a 32×32 bitmap; shipped as
  assets/digits.npz (exported once from scikit-learn by scripts/export_digits.py). Pixel values are
  scaled to [0, 1] (count / 16, ink high) and split once, by a fixed permutation, into 1,437 training
  and 360 held-out images: the same split in every session.
- **Bars**: 16×16 images generated on the fly from a seed, each a short straight bar in one of four
  directions (horizontal, vertical, and the two diagonals) at a random place, with a little noise.
  A network that sorts them learns kernels that are visibly oriented edge or line detectors.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image

from engine.errors import EngineError

DIGITS_PATH: Path = Path(__file__).resolve().parent.parent / "assets" / "digits.npz"
DIGITS_HELD_OUT = 360  # 1,797 − 360 = 1,437 training images (scikit-learn's 80 / 20 split sizes)
SPLIT_SEED = 0  # the permutation that splits the digits: fixed, so every session sees the same split
DIGIT_LEVELS = 16  # a cell counts the inked pixels of a 4×4 block: 0 … 16
DATASETS: tuple[str, ...] = ("digits", "bars")
BAR_CLASSES: tuple[str, ...] = ("horizontal", "vertical", "diagonal_down", "diagonal_up")
BAR_SIZE = 16
# Unit steps (row, col) along each bar direction, in BAR_CLASSES order.
_BAR_STEPS: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (-1, 1))
_UPSAMPLE = 4  # image_to_input draws a binary bitmap 4× finer than the input, as the UCI digits were made


class Dataset(NamedTuple):
    """Images and labels, split into a training set and a held-out set (never trained on)."""

    name: str  # one of DATASETS
    x_train: np.ndarray  # (N_train, C, H, W) float64 in [0, 1]
    y_train: np.ndarray  # (N_train,) int64 class indices
    x_test: np.ndarray  # (N_test, C, H, W)
    y_test: np.ndarray  # (N_test,)
    classes: tuple[str, ...]  # a stable id per class index ("0" … "9", or BAR_CLASSES)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        return tuple(self.x_train.shape[1:])


def load_digits(path: Path = DIGITS_PATH) -> Dataset:
    """The UCI digits from the shipped file, scaled to [0, 1] and split 1,437 / 360.

    Args:
        path: the .npz file with `images` (1797, 8, 8) uint8 in 0..16 and `labels` (1797,) in 0..9.

    Returns:
        a Dataset of (1437, 1, 8, 8) training and (360, 1, 8, 8) held-out images; read-only arrays
        (one copy is shared by every session).
    """
    images, labels = _read_digits(str(path))
    order = np.random.default_rng(SPLIT_SEED).permutation(images.shape[0])
    train, test = order[:-DIGITS_HELD_OUT], order[-DIGITS_HELD_OUT:]
    x = images[:, None].astype(np.float64) / DIGIT_LEVELS
    parts = (x[train], labels[train], x[test], labels[test])
    for part in parts:
        part.setflags(write=False)
    return Dataset("digits", *parts, tuple(str(k) for k in range(10)))


@functools.lru_cache(maxsize=2)
def _read_digits(path: str) -> tuple[np.ndarray, np.ndarray]:
    """Read the digits file once per process (the arrays are made read-only before they are shared)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            images, labels = data["images"], data["labels"].astype(np.int64)
    except (OSError, KeyError, ValueError) as err:
        raise EngineError(
            "The digits file {path} is missing or damaged; run scripts/export_digits.py to make it.",
            path=path,
        ) from err
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def make_bars(n_train: int = 800, n_test: int = 200, seed: int = 0, noise: float = 0.1) -> Dataset:
    """A synthetic set of 16×16 bars in four directions, generated from a seed.

    Each image holds one bar of length 7…12 pixels and thickness 1 or 2, brightness 0.7…1, centred at a
    random place away from the border, plus Gaussian noise of standard deviation `noise`, clipped to
    [0, 1]. The classes are balanced (they cycle through BAR_CLASSES before shuffling).

    Args:
        n_train, n_test: how many images in each part (each ≥ 1).
        seed: the same seed gives the same images.
        noise: standard deviation of the pixel noise (≥ 0).

    Returns:
        a Dataset of (n_train, 1, 16, 16) and (n_test, 1, 16, 16) images, classes BAR_CLASSES; read-only
        arrays (a page shares one copy between sessions).
    """
    if n_train < 1 or n_test < 1 or noise < 0:
        raise EngineError("The bars need at least one training and one held-out image, and noise ≥ 0.")
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    labels = rng.permutation(np.arange(n) % len(BAR_CLASSES))
    x = np.stack([_draw_bar(int(label), rng) for label in labels])
    x = np.clip(x + rng.normal(0.0, noise, size=x.shape), 0.0, 1.0)[:, None]
    parts = (x[:n_train], labels[:n_train], x[n_train:], labels[n_train:])
    for part in parts:
        part.setflags(write=False)
    return Dataset("bars", *parts, BAR_CLASSES)


def _draw_bar(label: int, rng: np.random.Generator) -> np.ndarray:
    """One (16, 16) image with a bar in direction BAR_CLASSES[label] on a black background."""
    image = np.zeros((BAR_SIZE, BAR_SIZE))
    dr, dc = _BAR_STEPS[label]
    length, thickness = int(rng.integers(7, 13)), int(rng.integers(1, 3))
    # Keep the bar's centre far enough from the border that the whole bar fits.
    half = length // 2 + 1
    r0, c0 = rng.integers(half, BAR_SIZE - half, size=2)
    t = np.arange(length) - length // 2
    for offset in range(thickness):
        # Thicken across the bar: one pixel down for horizontal and diagonal bars, right for vertical ones.
        across = (0, offset) if label == 1 else (offset, 0)
        image[r0 + t * dr + across[0], c0 + t * dc + across[1]] = rng.uniform(0.7, 1.0)
    return image


def load_dataset(name: str, seed: int = 0) -> Dataset:
    """The data set called `name` (one of DATASETS); `seed` only matters for generated ones."""
    if name == "digits":
        return load_digits()
    if name == "bars":
        return make_bars(seed=seed)
    raise EngineError(
        "The data set must be one of {choices}, not {name!r}.", choices=", ".join(DATASETS), name=name
    )


def image_to_input(image: np.ndarray, size: int, invert: bool | None = None, crop: bool = True) -> np.ndarray:
    """Turn any grayscale image into a network input made the way the UCI digits were made.

    The steps: ink is made bright (inverting a dark-on-light drawing), the image is cropped to its ink and
    padded to a square with the ink centred (aspect ratio kept), drawn as a binary bitmap 4× finer than
    the input (threshold at half the brightest ink), and each cell of the input counts the inked pixels
    of its 4×4 block, divided by 16: the same [0, 1] scale as the training digits.

    Args:
        image: (1, H, W) or (H, W) values in [0, 1] (e.g. from `engine.images.load_image`).
        size: side of the square input (8 for digits, 16 for bars).
        invert: True to invert, False not to; None decides from the image: a bright background
            (median above 0.5) means dark ink, which is inverted.
        crop: crop to the ink first (False keeps the whole frame, e.g. for a bar whose place matters).

    Returns:
        (1, size, size) float64 in [0, 1]; all zeros when the image holds no ink.
    """
    g = np.asarray(image, dtype=np.float64)
    g = g[0] if g.ndim == 3 and g.shape[0] == 1 else g
    if g.ndim != 2 or g.size == 0:
        raise EngineError(
            "The image must be one grayscale channel (1, H, W) or (H, W), not {shape}.", shape=np.shape(image)
        )
    if invert if invert is not None else float(np.median(g)) > 0.5:
        g = 1.0 - g
    g = g - g.min()  # a gray background counts as no ink
    if g.max() <= 1e-6:
        return np.zeros((1, size, size))
    if crop:
        g = _crop_to_ink(g, 0.5 * g.max())
    g = _pad_to_square(g)
    fine = _resize(g, size * _UPSAMPLE) > 0.5 * g.max()
    cells = fine.reshape(size, _UPSAMPLE, size, _UPSAMPLE).mean(axis=(1, 3))
    return cells[None]


def _crop_to_ink(g: np.ndarray, threshold: float) -> np.ndarray:
    """The smallest rectangle of g holding every pixel above the threshold."""
    rows, cols = np.nonzero(g > threshold)
    return g[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _pad_to_square(g: np.ndarray) -> np.ndarray:
    """Pad the short side with zeros on both sides (ink centred) so that height = width."""
    H, W = g.shape
    side = max(H, W)
    top, left = (side - H) // 2, (side - W) // 2
    return np.pad(g, ((top, side - H - top), (left, side - W - left)))


def _resize(g: np.ndarray, side: int) -> np.ndarray:
    """Resize a square float image to side × side (bilinear: smooth enough to threshold)."""
    resized = Image.fromarray(g.astype(np.float32)).resize((side, side), resample=Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float64)
