"""Export the UCI handwritten digits (8×8, 1,797 images) from scikit-learn to assets/digits.npz, once.

The app reads the compressed file with NumPy alone (engine/data.py); scikit-learn is a tool for this
script only, never a dependency of the app. Run it in a throwaway environment:

    python -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn
    /tmp/skvenv/bin/python scripts/export_digits.py

The file holds `images` (1797, 8, 8) uint8 with values 0..16 (ink high: the number of inked pixels in
each 4×4 block of the original 32×32 bitmap) and `labels` (1797,) uint8 with values 0..9, in
scikit-learn's order. Source and licence: assets/README_digits.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "assets" / "digits.npz"


def main() -> None:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.asarray(digits.images)
    # The values are whole counts 0..16 stored as floats: uint8 loses nothing.
    if not np.array_equal(images, np.round(images)) or images.min() < 0 or images.max() > 16:
        raise SystemExit("unexpected values in load_digits().images")
    np.savez_compressed(OUT, images=images.astype(np.uint8), labels=np.asarray(digits.target, dtype=np.uint8))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {images.shape[0]} images)")


if __name__ == "__main__":
    main()
