"""Arrays to files, in memory: CSV for spreadsheets and slides, .npy for notebooks."""

from __future__ import annotations

from io import BytesIO, StringIO

import numpy as np


def array_to_csv(a: np.ndarray, digits: int = 6) -> str:
    """CSV text of an array: a 2-D array as its rows; a 3-D one (C, H, W) channel by channel.

    Channels are separated by a blank line and a "# channel c" line, which spreadsheets show as text.

    Args:
        a: a scalar, (W,), (H, W) or (C, H, W).
        digits: significant digits written.
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim > 3:
        raise ValueError(
            f"A CSV holds at most three axes (channels, rows, columns); this array has {a.ndim}."
        )
    out = StringIO()
    if a.ndim == 3:
        for c, channel in enumerate(a):
            out.write(("\n" if c else "") + f"# channel {c}\n")
            np.savetxt(out, channel, delimiter=",", fmt=f"%.{digits}g")
    else:
        np.savetxt(out, np.atleast_2d(a), delimiter=",", fmt=f"%.{digits}g")
    return out.getvalue()


def array_to_npy(a: np.ndarray) -> bytes:
    """The bytes of a .npy file holding the array (np.load reads it back exactly)."""
    buffer = BytesIO()
    np.save(buffer, np.asarray(a), allow_pickle=False)
    return buffer.getvalue()
