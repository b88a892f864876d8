"""Benchmark: the backward page's gather_dx and dw_by_row against references measured in the same run.

References, on the same δ and kernels: the engine's scatter (conv_fast.backward_padded: dX_pad and dW by
im2col), gather_dx as it was first written (np.pad, one whole-map tensordot per tap of the rotated
kernel, a copy of each field: the "before" of this benchmark), and scipy.signal.correlate2d of P with
each rotated, dilated kernel (when SciPy is installed; it is a dev dependency only). Median of
interleaved runs, float64. Prints each median and the ratios gather / reference (below 1: gather_dx is
faster), and the median of dw_by_row (dW row by row, for the sweep) on the same problem.

    python benchmarks/bench_backward_views.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import interleaved_medians
from engine.conv_fast import backward_padded
from engine.gather import gather_dx, gather_dx_reference
from engine.geometry import conv_geometry, pad_input
from engine.running_totals import dw_by_row

try:
    from scipy import signal
except ImportError:  # SciPy is an optional reference
    signal = None

# (label, F, C, H, W, K, stride, padding, dilation)
WORKLOADS = [
    ("1 kernel, 3×512², 3×3", 1, 3, 512, 512, 3, 1, 1, 1),
    ("4 kernels, 3×512², 5×5", 4, 3, 512, 512, 5, 1, 2, 1),
    ("1 kernel, 1×256², 3×3 s2 d2", 1, 1, 256, 256, 3, 2, 2, 2),
]


def scipy_full(padded: np.ndarray, rotated_dilated: np.ndarray) -> np.ndarray:
    """Σ_f correlate2d(P(f), rot180(W)(f, c) dilated, "valid") for each channel c."""
    F, C = rotated_dilated.shape[:2]
    return np.stack(
        [
            sum(signal.correlate2d(padded[f], rotated_dilated[f, c], mode="valid") for f in range(F))
            for c in range(C)
        ]
    )


def measure(workload: tuple, repeats: int, rng: np.random.Generator) -> dict[str, float]:
    """Median seconds of gather_dx, dw_by_row and each reference on one workload (nan where absent)."""
    _, F, C, H, W, K, stride, padding, dilation = workload
    geometry = conv_geometry((1, C, H, W), (F, C, K, K), stride, padding, dilation)
    x, w = rng.random((C, H, W)), rng.normal(size=(F, C, K, K))
    delta = rng.normal(size=(F, *geometry.out_size))
    x_pad = pad_input(x[None], geometry.padding)
    view = gather_dx(delta, w, geometry)
    # The references compute the same numbers: checked once, so a fast wrong answer cannot win.
    for mine, readable in zip(view, gather_dx_reference(delta, w, geometry)):
        np.testing.assert_allclose(mine, readable, atol=1e-10)
    np.testing.assert_allclose(
        view.dx_pad, backward_padded(delta[None], x_pad, w, geometry)[0][0], atol=1e-10
    )
    contenders = {
        "gather_dx": partial(gather_dx, delta, w, geometry),
        "scatter": partial(backward_padded, delta[None], x_pad, w, geometry),
        "reference": partial(gather_dx_reference, delta, w, geometry),
        "dw_by_row": partial(dw_by_row, x, delta[0], geometry),
    }
    if signal is not None:
        np.testing.assert_allclose(view.full, scipy_full(view.padded, view.rotated_dilated), atol=1e-10)
        contenders["scipy"] = partial(scipy_full, view.padded, view.rotated_dilated)
    return {"scipy": float("nan"), **interleaved_medians(contenders, repeats)}


def run(args) -> None:
    rng = np.random.default_rng(0)
    print(machine_line())
    print(
        f"{'workload':<30} {'gather ms':>9} {'scatter ms':>10} {'g/scatter':>9} {'ref ms':>9} "
        f"{'g/ref':>8} {'scipy ms':>8} {'g/scipy':>7} {'dw_by_row ms':>12}"
    )
    for workload in WORKLOADS:
        t = measure(workload, args.repeats, rng)
        g = t["gather_dx"]
        print(
            f"{workload[0]:<30} {g * 1e3:>9.2f} {t['scatter'] * 1e3:>10.2f} {g / t['scatter']:>9.2f} "
            f"{t['reference'] * 1e3:>9.2f} {g / t['reference']:>8.2f} {t['scipy'] * 1e3:>8.1f} "
            f"{g / t['scipy']:>7.2f} {t['dw_by_row'] * 1e3:>12.2f}",
            flush=True,
        )
    if signal is None:
        print("SciPy is not installed: no scipy column.")


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}, float64"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    run(parser.parse_args())
