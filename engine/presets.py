"""Kernel presets for the convolution pages: classic image filters as 2-D float64 arrays.

Sign convention: the network "convolution" is CROSS-correlation, Z(i, j) = Σ_k Σ_l X(i+k, j+l) · W(k, l)
(the kernel is not flipped), and these kernels are written for it. So Sobel x = [[−1, 0, 1], [−2, 0, 2],
[−1, 0, 1]] gives a POSITIVE response where the image goes from dark (left) to bright (right), and Sobel y
a positive response where it goes from dark (top) to bright (bottom). Under true convolution (flipped
kernel) every derivative kernel here would change sign.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.errors import EngineError, Named

ODD_SIZES: tuple[int, ...] = (1, 3, 5, 7, 9, 11)


class KernelPreset(NamedTuple):
    """A named kernel: id, display title, one sentence of what it does, the sizes it comes in."""

    name: str  # id used in code and URLs, e.g. "sobel_x"
    title: str  # e.g. "Sobel x"
    description: str
    sizes: tuple[int, ...]


PRESETS: tuple[KernelPreset, ...] = (
    KernelPreset(
        "identity", "Identity", "Copies the image unchanged: 1 in the centre, 0 elsewhere.", ODD_SIZES
    ),
    KernelPreset("box_blur", "Box blur", "Blurs by averaging every pixel of the window equally.", ODD_SIZES),
    KernelPreset(
        "gaussian_blur",
        "Gaussian blur",
        "Blurs smoothly, weighting near pixels more than far ones (a bell curve).",
        ODD_SIZES,
    ),
    KernelPreset(
        "sharpen", "Sharpen", "Makes edges crisper by subtracting the neighbours from the centre.", (3,)
    ),
    KernelPreset(
        "laplacian",
        "Laplacian edge",
        "Finds edges in every direction: bright where a pixel is brighter than its neighbours.",
        (3, 5),
    ),
    KernelPreset(
        "sobel_x",
        "Sobel x",
        "Finds vertical edges: positive where dark turns bright left to right.",
        (3, 5, 7),
    ),
    KernelPreset(
        "sobel_y",
        "Sobel y",
        "Finds horizontal edges: positive where dark turns bright top to bottom.",
        (3, 5, 7),
    ),
    KernelPreset(
        "prewitt_x",
        "Prewitt x",
        "Finds vertical edges like Sobel x, with equal weights on the three rows.",
        (3,),
    ),
    KernelPreset(
        "prewitt_y",
        "Prewitt y",
        "Finds horizontal edges like Sobel y, with equal weights on the three columns.",
        (3,),
    ),
    KernelPreset(
        "scharr_x",
        "Scharr x",
        "Finds vertical edges like Sobel x, with weights that treat diagonals more fairly.",
        (3,),
    ),
    KernelPreset(
        "scharr_y",
        "Scharr y",
        "Finds horizontal edges like Sobel y, with weights that treat diagonals more fairly.",
        (3,),
    ),
    KernelPreset(
        "emboss",
        "Emboss",
        "Makes the image look like a raised relief lit from one side: edges along the diagonal stand out.",
        (3,),
    ),
    KernelPreset(
        "outline",
        "Outline",
        "Finds edges in all eight directions: a strong centre minus its eight neighbours.",
        (3,),
    ),
)
_BY_NAME: dict[str, KernelPreset] = {preset.name: preset for preset in PRESETS}


def preset_sizes(name: str) -> tuple[int, ...]:
    """The kernel sizes a preset comes in, e.g. (3, 5, 7) for "sobel_x".

    Raises:
        EngineError: for an unknown name, listing the known ones.
    """
    return _preset(name).sizes


def kernel_preset(name: str, size: int = 3) -> np.ndarray:
    """The preset kernel `name` at size × size, for cross-correlation.

    Args:
        name: a preset id (see PRESETS), e.g. "gaussian_blur".
        size: side of the square kernel; one of `preset_sizes(name)`.

    Returns:
        float64 array (size, size), a new array the caller may change.

    Raises:
        EngineError: for an unknown name, or a size the preset does not have (the sentence lists its sizes).
    """
    preset = _preset(name)
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size not in preset.sizes:
        sizes = ", ".join(str(s) for s in preset.sizes)
        title = Named("preset", preset.name, preset.title)
        raise EngineError(
            "The {title} kernel comes in sizes {sizes}; {size!r} is not one of them.",
            title=title,
            sizes=sizes,
            size=size,
        )
    return np.array(_BUILDERS[name](int(size)), dtype=np.float64)


def random_kernel(shape: tuple[int, ...], seed: int | None = None) -> np.ndarray:
    """A random kernel drawn like He initialization: normal, mean 0, standard deviation sqrt(2 / fan_in).

    fan_in is the number of inputs one output sums over: C_in·KH·KW for a 4-D (C_out, C_in, KH, KW) bank,
    and the product of all sizes for a single (KH, KW) or (C_in, KH, KW) kernel. This scale keeps the
    variance of ReLU activations steady from layer to layer.

    Args:
        shape: kernel shape, e.g. (3, 3) or (F, C, KH, KW).
        seed: seed of np.random.default_rng; the same seed gives the same kernel.

    Returns:
        float64 array of the given shape.
    """
    shape = tuple(int(s) for s in shape)
    if not shape or min(shape) < 1:
        raise EngineError(
            "A kernel needs at least one axis and every size at least 1, not {shape}.", shape=shape
        )
    fan_in = int(np.prod(shape[1:] if len(shape) == 4 else shape))
    return np.random.default_rng(seed).normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def gaussian_sigma(size: int) -> float:
    """OpenCV's default σ for a Gaussian kernel of this size: 0.3·((size − 1)/2 − 1) + 0.8."""
    return 0.3 * ((size - 1) * 0.5 - 1) + 0.8


def _preset(name: str) -> KernelPreset:
    if name not in _BY_NAME:
        raise EngineError(
            "There is no kernel preset {name!r}; the presets are {choices}.",
            name=name,
            choices=", ".join(_BY_NAME),
        )
    return _BY_NAME[name]


def _identity(size: int) -> np.ndarray:
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def _gaussian(size: int) -> np.ndarray:
    # A 2-D Gaussian is the outer product of two 1-D ones (separable); normalized so it keeps brightness.
    offsets = np.arange(size) - size // 2
    g = np.exp(-(offsets**2) / (2 * gaussian_sigma(size) ** 2))
    kernel = np.outer(g, g)
    return kernel / kernel.sum()


# Extended Sobel kernels: smoothing across the edge (binomial rows) times a derivative along it (the
# binomial row convolved with [−1, 0, 1]), the construction OpenCV's getDerivKernels uses.
_SOBEL_SMOOTH = {3: [1, 2, 1], 5: [1, 4, 6, 4, 1], 7: [1, 6, 15, 20, 15, 6, 1]}
_SOBEL_DERIVATIVE = {3: [-1, 0, 1], 5: [-1, -2, 0, 2, 1], 7: [-1, -4, -5, 0, 5, 4, 1]}


def _sobel_x(size: int) -> np.ndarray:
    # Row k weighs smoothing, column l the derivative: kernel(k, l) = smooth(k) · derivative(l).
    return np.outer(_SOBEL_SMOOTH[size], _SOBEL_DERIVATIVE[size])


# Laplacian kernels are given as −∇² (positive centre), so a bright spot or thin bright line is positive.
_LAPLACIAN = {
    3: [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],
    # The standard 5×5 Laplacian-of-Gaussian approximation (also positive centre).
    5: [[0, 0, -1, 0, 0], [0, -1, -2, -1, 0], [-1, -2, 16, -2, -1], [0, -1, -2, -1, 0], [0, 0, -1, 0, 0]],
}
_PREWITT_X = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]
_SCHARR_X = [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]

_BUILDERS: dict[str, Callable[[int], np.ndarray]] = {
    "identity": _identity,
    "box_blur": lambda size: np.full((size, size), 1.0 / size**2),
    "gaussian_blur": _gaussian,
    "sharpen": lambda size: np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplacian": lambda size: np.array(_LAPLACIAN[size]),
    "sobel_x": _sobel_x,
    "sobel_y": lambda size: _sobel_x(size).T,
    "prewitt_x": lambda size: np.array(_PREWITT_X),
    "prewitt_y": lambda size: np.array(_PREWITT_X).T,
    "scharr_x": lambda size: np.array(_SCHARR_X),
    "scharr_y": lambda size: np.array(_SCHARR_X).T,
    "emboss": lambda size: np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "outline": lambda size: np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
}
