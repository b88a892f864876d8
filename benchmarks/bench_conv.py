"""Benchmark: conv2d forward+backward of the fast path against references measured in the same run.

References: PyTorch's CPU conv2d (when torch is installed; it is not a dependency), scipy.signal
(forward only, correlate2d per kernel and channel) and the engine's own readable loops (slow: by
default only on the smallest image). Single RGB images, 8 kernels, K ∈ {3, 5}, stride ∈ {1, 2},
padding K // 2, float64 everywhere, median of several runs. Prints each median and the ratios.

    python benchmarks/bench_conv.py [--repeats 7] [--sizes 256 512 1024] [--reference-sizes 256]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from functools import partial
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import interleaved_medians, median_seconds
from engine.conv import conv2d_backward, conv2d_forward

try:
    import torch
except ImportError:  # PyTorch is an optional reference
    torch = None


def engine_step(x, w, b, stride, padding, dy, impl="fast"):
    _, cache = conv2d_forward(x, w, b, stride, padding, impl=impl)
    return conv2d_backward(dy, cache)


def torch_step(xt, wt, bt, stride, padding, dyt):
    y = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)
    return torch.autograd.grad(y, (xt, wt, bt), dyt)


def scipy_forward(x, w, stride, padding):
    x_pad = np.pad(x[0], ((0, 0), (padding, padding), (padding, padding)))
    return [
        sum(
            signal.correlate2d(x_pad[c], w[f, c], mode="valid")[::stride, ::stride] for c in range(x.shape[1])
        )
        for f in range(w.shape[0])
    ]


def measure(size: int, K: int, stride: int, args, rng) -> dict[str, float]:
    """Median seconds of the engine and each reference on one workload (nan where not measured)."""
    x = rng.random((1, 3, size, size))
    w = rng.normal(size=(8, 3, K, K))
    b = rng.normal(size=8)
    padding = K // 2
    y, _ = conv2d_forward(x, w, b, stride, padding)
    dy = rng.normal(size=y.shape)
    contenders = {"engine": partial(engine_step, x, w, b, stride, padding, dy)}
    if torch is not None:
        xt = torch.from_numpy(x).requires_grad_(True)
        wt = torch.from_numpy(w).requires_grad_(True)
        bt = torch.from_numpy(b).requires_grad_(True)
        contenders["torch"] = partial(torch_step, xt, wt, bt, stride, padding, torch.from_numpy(dy))
    result = {"torch": float("nan"), **interleaved_medians(contenders, args.repeats)}
    result["scipy"] = median_seconds(partial(scipy_forward, x, w, stride, padding), max(1, args.repeats // 3))
    result["reference"] = float("nan")
    if size in args.reference_sizes:
        reference = partial(engine_step, x, w, b, stride, padding, dy, "reference")
        result["reference"] = median_seconds(reference, 1)
    return result


def run(args) -> None:
    rng = np.random.default_rng(0)
    print(machine_line())
    print(
        f"{'image':>10} {'K':>2} {'s':>2} {'engine ms':>10} {'torch ms':>9} {'eng/torch':>9} "
        f"{'scipy fwd ms':>12} {'ref ms':>9} {'ref/engine':>10}"
    )
    ratios = []
    for size in args.sizes:
        for K in (3, 5):
            for stride in (1, 2):
                t = measure(size, K, stride, args, rng)
                if torch is not None:
                    ratios.append(t["engine"] / t["torch"])
                print(
                    f"{size:>5}²×3 {K:>2} {stride:>2} {t['engine'] * 1e3:>10.1f} {t['torch'] * 1e3:>9.1f} "
                    f"{t['engine'] / t['torch']:>9.2f} {t['scipy'] * 1e3:>12.1f} "
                    f"{t['reference'] * 1e3:>9.0f} {t['reference'] / t['engine']:>10.0f}",
                    flush=True,
                )
    if ratios:
        geo = float(np.exp(np.mean(np.log(ratios))))
        print(f"engine/torch: geometric mean {geo:.2f}, worst {max(ratios):.2f} over {len(ratios)} workloads")
    else:
        print("PyTorch is not installed: no engine/torch ratios (pip install torch==2.13.0).")


def machine_line() -> str:
    torch_info = f"torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else "torch absent"
    cpu = platform.processor() or platform.machine()
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, Python {python}, NumPy {np.__version__}, {torch_info}, float64"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--reference-sizes", type=int, nargs="*", default=[256])
    run(parser.parse_args())
