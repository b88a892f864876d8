"""The code for what a page shows: Python text that reproduces its numbers, with the engine or with PyTorch.

A student copies it into a notebook and gets the page's feature map (Z and A) and, for the backward page,
its loss, δ, dX, dW and db. Two versions say the same layer: `numpy_code` calls the engine's public
functions (`import engine`, run from the project's folder), `torch_code` calls `torch.nn.functional`.

Every number is written with `repr`, the shortest text that reads back as the same float64, so the code
reproduces the page to rounding (~1e-15), not to the 3 digits a heatmap shows. The image is not written
out (a 512² RGB image is 786,432 numbers): the engine version loads a built-in sample the way the page
does, and both load anything else from the .npy file the page offers beside the code.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import numpy as np

from engine.activations import LEAKY_SLOPE
from engine.geometry import ConvGeometry

# The engine's padding modes by PyTorch's name for them in F.pad (the engine's own names follow
# nn.Conv2d's padding_mode, where zero padding is "zeros"; F.pad calls it "constant").
TORCH_PAD_MODE: dict[str, str] = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}
# σ in PyTorch, for each of the engine's activations: "{}" stands for its argument.
TORCH_ACTIVATION: dict[str, str] = {
    "identity": "{}",
    "relu": "torch.relu({})",
    "leaky_relu": "F.leaky_relu({}, negative_slope=" + repr(LEAKY_SLOPE) + ")",
    "sigmoid": "torch.sigmoid({})",
    "tanh": "torch.tanh({})",
}
# Array constructors around a nested-list literal ("{}").
NUMPY_ARRAY = "np.array({})"
TORCH_TENSOR = "torch.tensor({}, dtype=torch.float64)"
TORCH_PARAMETER = "torch.tensor({}, dtype=torch.float64, requires_grad=True)"
INPUT_FILE = "input.npy"


class ImageSource(NamedTuple):
    """Where the snippet finds the page's image: a built-in sample (by name), or a .npy file."""

    sample: str | None  # a sample's name (engine.samples), or None: the image is in `path`
    color: bool
    size: int  # the working size, long side in pixels
    path: str = INPUT_FILE  # the .npy file holding the (C, H, W) image


class LayerCode(NamedTuple):
    """One convolution layer as the page runs it."""

    image: ImageSource
    w: np.ndarray  # (F, C, KH, KW), as the page uses them (already flipped for true convolution)
    b: np.ndarray  # (F,)
    activation: str  # one of engine.activations.ACTIVATIONS
    padding: str | tuple[int, int]  # the page's padding argument: "same", "valid" or an (h, w) pair
    geometry: ConvGeometry  # the resolved stride, padding, dilation and padding mode


class LossCode(NamedTuple):
    """The loss of the backward page (engine.layer_loss.LossSpec, with the target's kernels, not its map)."""

    kind: str  # "sum", "mse" or "impulse"
    target_w: np.ndarray | None = None  # (F, C, KH, KW) the target kernels of "mse" (zero bias)
    cell: tuple[int, int, int] | None = None  # (f, i, j) of "impulse"


def numpy_code(layer: LayerCode, loss: LossCode | None = None) -> str:
    """Python that reproduces the page with the engine: Z, A (1, F, H_out, W_out); with a loss also
    L, delta (1, F, H_out, W_out), dX (1, C, H, W), dW (F, C, KH, KW), db (F,)."""
    lines = ["import numpy as np", "", "import engine", ""]
    lines += _numpy_image(layer.image)
    lines += _parameters(layer, NUMPY_ARRAY)
    lines += ["", *_numpy_forward(layer)]
    if loss is not None:
        lines += ["", *_numpy_loss(layer, loss), *_numpy_backward()]
    else:
        lines.append('print("A:", A.shape)')
    return "\n".join(lines) + "\n"


def torch_code(layer: LayerCode, loss: LossCode | None = None) -> str:
    """Python that reproduces the page with PyTorch: the same names and shapes as `numpy_code` gives,
    as float64 tensors."""
    grad = loss is not None  # the backward page asks autograd for the gradients of X, W and b
    lines = ["import numpy as np", "import torch", "import torch.nn.functional as F", ""]
    lines += _torch_image(layer.image, grad)
    lines += _parameters(layer, TORCH_PARAMETER if grad else TORCH_TENSOR)
    lines += ["", *_torch_forward(layer, grad)]
    if loss is not None:
        lines += ["", *_torch_loss(layer, loss), *_torch_backward()]
    else:
        lines.append('print("A:", tuple(A.shape))')
    return "\n".join(lines) + "\n"


# --- the input and the parameters ------------------------------------------------------------------------


def _numpy_image(image: ImageSource) -> list[str]:
    """X (1, C, H, W): the sample loaded as the page loads it, or the page's .npy file."""
    if image.sample is None:
        return [
            f"# The input X (1, C, H, W) in [0, 1]: the page's image, saved by its {image.path} button.",
            f"X = np.load({_py(image.path)})[None]",
        ]
    colour = "RGB" if image.color else "grayscale"
    return [
        f'# The input X (1, C, H, W) in [0, 1]: the sample "{image.sample}", {colour}, {image.size} pixels '
        "on its long side.",
        f"X = engine.load_sample({_py(image.sample)}, color={image.color}, size={image.size})[None]",
    ]


def _torch_image(image: ImageSource, grad: bool) -> list[str]:
    """X (1, C, H, W) as a float64 tensor, from the page's .npy file (a notebook has no engine)."""
    lines = [f"# The input X (1, C, H, W) in [0, 1]: the page's image, saved by its {image.path} button."]
    if image.sample is not None:
        lines.append(
            f"# (In the project's folder: engine.load_sample({_py(image.sample)}, color={image.color}, "
            f"size={image.size}).)"
        )
    tail = ".requires_grad_()" if grad else ""
    return [*lines, f"X = torch.from_numpy(np.load({_py(image.path)})).unsqueeze(0){tail}"]


def _parameters(layer: LayerCode, wrap: str) -> list[str]:
    """W and b as literals, each number exact, in the array constructor `wrap`."""
    F, C, KH, KW = layer.w.shape
    return [
        f"# The kernels W (F, C, KH, KW) = ({F}, {C}, {KH}, {KW}) and their biases b (F,), as on the page.",
        _assign("W", wrap, layer.w),
        _assign("b", wrap, layer.b),
    ]


def _assign(name: str, wrap: str, a: np.ndarray) -> str:
    """`name = constructor(literal, ...)`; after a literal of several lines, the other arguments go on a
    line of their own, lined up under it (a long last line would hide them off the screen)."""
    prefix, suffix = wrap.split("{}")
    start = f"{name} = {prefix}"
    literal = nested_literal(a, len(start))
    if "\n" in literal and suffix.startswith(", "):
        suffix = ",\n" + " " * len(start) + suffix.removeprefix(", ")
    return start + literal + suffix


def nested_literal(a: np.ndarray, column: int = 0) -> str:
    """A nested-list literal of `a`, every number its exact `repr`; inner rows line up under `column`.

    Args:
        a: any shape with at least one axis.
        column: where the opening bracket stands on its line.
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in a) + "]"
    rows = [nested_literal(row, column + 1) for row in a]
    return "[" + (",\n" + " " * (column + 1)).join(rows) + "]"


# --- the layer -------------------------------------------------------------------------------------------


def _hyper(layer: LayerCode) -> str:
    """The engine's keyword arguments, with the page's own padding argument."""
    g = layer.geometry
    return (
        f"stride={_py(g.stride)}, padding={_py(layer.padding)}, dilation={_py(g.dilation)}, "
        f"pad_mode={_py(g.pad_mode)}"
    )


def _py(value: Any) -> str:
    """Python source for a setting: strings in double quotes, NumPy integers as plain ints (their repr
    would read `np.int64(1)`), pairs as tuples."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_py(v) for v in value) + ")"
    return str(int(value))


def _same_comment(layer: LayerCode) -> list[str]:
    """What "same" resolved to, when it pads unevenly (at a stride above 1 it depends on the input)."""
    (top, bottom), (left, right) = layer.geometry.padding
    if layer.padding != "same" or (top == bottom and left == right):
        return []
    return [
        f'# "same" pads (top, bottom) = ({top}, {bottom}), (left, right) = ({left}, {right}): TensorFlow\'s '
        "rule, the extra cell after."
    ]


def _numpy_forward(layer: LayerCode) -> list[str]:
    return [
        f"hyper = dict({_hyper(layer)})",
        *_same_comment(layer),
        "# Z = b + Σ X_pad ⋆ W (cross-correlation, as in every deep-learning library): (1, F, H_out, W_out)",
        "Z, cache = engine.conv2d_forward(X, W, b, **hyper)",
        f"A, activation_cache = engine.activation_forward(Z, {_py(layer.activation)})  # A = σ(Z)",
    ]


def _torch_padding(layer: LayerCode) -> tuple[list[str], str, str]:
    """The lines that pad X (none when F.conv2d can pad), the tensor to convolve, and conv2d's padding.

    F.conv2d pads the same number of zeros on both sides of an axis; anything else (another mode, or
    uneven "same" padding at a stride above 1, which F.conv2d's padding="same" refuses) is F.pad first.
    """
    g = layer.geometry
    (top, bottom), (left, right) = g.padding
    if g.pad_mode == "zeros" and top == bottom and left == right:
        return [], "X", f", padding={_py((top, left))}"
    mode = TORCH_PAD_MODE[g.pad_mode]
    pads = (left, right, top, bottom)
    pad = f"F.pad(X, {_py(pads)}, mode={_py(mode)})"
    return [f"X_pad = {pad}  # F.pad takes (left, right, top, bottom)"], "X_pad", ""


def _torch_conv(layer: LayerCode, x: str, w: str, b: str, padding: str) -> str:
    g = layer.geometry
    return f"F.conv2d({x}, {w}, {b}, stride={_py(g.stride)}{padding}, dilation={_py(g.dilation)})"


def _torch_forward(layer: LayerCode, grad: bool) -> list[str]:
    pad_lines, x, padding = _torch_padding(layer)
    lines = [*_same_comment(layer), *pad_lines]
    lines.append("# Z = b + Σ X_pad ⋆ W (F.conv2d is cross-correlation too): (1, F, H_out, W_out)")
    lines.append(f"Z = {_torch_conv(layer, x, 'W', 'b', padding)}")
    if grad:
        lines.append("Z.retain_grad()  # keep δ = ∂L/∂Z, which the page shows")
    lines.append(f"A = {TORCH_ACTIVATION[layer.activation].format('Z')}  # A = σ(Z), σ = {layer.activation}")
    return lines


# --- the loss and the backward pass ----------------------------------------------------------------------


def _target_kernels(loss: LossCode, wrap: str) -> list[str]:
    return [
        "# The target map T: what the target kernels make on the same image (bias 0, same σ).",
        _assign("W_target", wrap, loss.target_w),
    ]


def _numpy_loss(layer: LayerCode, loss: LossCode) -> list[str]:
    """L and dA = ∂L/∂A (1, F, H_out, W_out), as engine.layer_loss computes them."""
    if loss.kind == "sum":
        return ["L = A.sum()  # L = Σ A", "dA = np.ones_like(A)  # ∂L/∂A = 1 everywhere"]
    if loss.kind == "impulse":
        f, i, j = (int(v) for v in loss.cell)
        return [
            f"L = A[0, {f}, {i}, {j}]  # one output cell: kernel {f + 1}, row {i}, column {j}",
            "dA = np.zeros_like(A)",
            f"dA[0, {f}, {i}, {j}] = 1.0  # ∂L/∂A is one-hot",
        ]
    return [
        *_target_kernels(loss, NUMPY_ARRAY),
        "T, _ = engine.activation_forward(engine.conv2d_forward(X, W_target, None, **hyper)[0], "
        f"{_py(layer.activation)})",
        "# L = Σ (A − T)² / 2M over the M output cells; each cell is one example of mse_loss.",
        "L, dA = engine.mse_loss(A.reshape(-1, 1), T.reshape(-1, 1))",
        "dA = dA.reshape(A.shape)  # ∂L/∂A = (A − T) / M",
    ]


def _numpy_backward() -> list[str]:
    return [
        "delta = engine.activation_backward(dA, activation_cache)  # δ = ∂L/∂Z = ∂L/∂A ⊙ σ'(Z)",
        "dX, dW, db = engine.conv2d_backward(delta, cache)  # (1, C, H, W), (F, C, KH, KW), (F,)",
        'print("L =", L)',
    ]


def _torch_loss(layer: LayerCode, loss: LossCode) -> list[str]:
    """The scalar L, as engine.layer_loss defines it."""
    if loss.kind == "sum":
        return ["L = A.sum()  # L = Σ A"]
    if loss.kind == "impulse":
        f, i, j = (int(v) for v in loss.cell)
        return [f"L = A[0, {f}, {i}, {j}]  # one output cell: kernel {f + 1}, row {i}, column {j}"]
    _, x, padding = _torch_padding(layer)  # X_pad is there already: the layer's own lines made it
    conv = _torch_conv(layer, x, "W_target", "None", padding)
    return [
        *_target_kernels(loss, TORCH_TENSOR),
        "with torch.no_grad():  # T is a constant: no gradient flows into X through it",
        f"    T = {TORCH_ACTIVATION[layer.activation].format(conv)}",
        "L = 0.5 * F.mse_loss(A, T)  # Σ (A − T)² / 2M: half of PyTorch's mean squared error",
    ]


def _torch_backward() -> list[str]:
    return [
        "L.backward()",
        "delta, dX, dW, db = Z.grad, X.grad, W.grad, b.grad  # δ, then (1, C, H, W), (F, C, KH, KW), (F,)",
        'print("L =", L.item())',
    ]
