"""The code the pages show (engine/snippets.py) runs and gives the page's numbers.

Each case builds a random layer (sample or .npy image, grey or RGB, 1–3 kernels of random numbers, any
stride, padding, padding mode, dilation and activation, and for the backward pass a loss), writes its
snippet, runs it in a fresh Python (`sys.executable -c`, from the project's folder as a student would)
and compares the arrays it leaves with the engine's own for the same settings. The PyTorch snippet is
run too where torch is installed (the benchmark environment); elsewhere those tests are skipped.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.activations import ACTIVATIONS, activation_forward
from engine.conv import conv2d_forward
from engine.errors import EngineError
from engine.geometry import PAD_MODES, conv_geometry
from engine.layer_loss import LossSpec, layer_gradients, target_map
from engine.samples import load_sample
from engine.snippets import ImageSource, LayerCode, LossCode, nested_literal, numpy_code, torch_code

APP_ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-9
# Few examples: each starts a Python (~0.3 s with NumPy and the engine); together they still reach every
# padding mode, activation and loss (hypothesis is derandomized: the same cases on every run).
EXAMPLES = 8
SNIPPET_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# PyTorch starts slower (~1.5 s a run): fewer cases where it is installed.
TORCH_SETTINGS = settings(SNIPPET_SETTINGS, max_examples=5)
FORWARD_NAMES = ("Z", "A")
BACKWARD_NAMES = ("Z", "A", "L", "delta", "dX", "dW", "db")


class Case(NamedTuple):
    """A layer, its loss (None for the forward page) and the (C, H, W) image the page would use."""

    layer: LayerCode
    loss: LossCode | None
    image: np.ndarray


@st.composite
def cases(draw, with_loss: bool) -> Case:
    """Random page settings: invalid combinations (a window larger than the padded input) are skipped."""
    color = draw(st.booleans())
    C = 3 if color else 1
    if draw(st.booleans()):
        name = draw(st.sampled_from(["house", "checkerboard", "digit", "coffee"]))
        size = draw(st.sampled_from([6, 8, 12]))
        source, image = ImageSource(name, color, size), load_sample(name, color=color, size=size)
    else:
        H, W = draw(st.integers(3, 9)), draw(st.integers(3, 9))
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        source, image = ImageSource(None, color, max(H, W)), rng.random((C, H, W))
    F, KH, KW = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = draw(
        st.one_of(st.sampled_from(["same", "valid"]), st.tuples(st.integers(0, 2), st.integers(0, 2)))
    )
    pad_mode = draw(st.sampled_from(PAD_MODES))
    try:
        geometry = conv_geometry((1, *image.shape), (F, C, KH, KW), stride, padding, dilation, pad_mode)
    except EngineError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    w, b = rng.normal(size=(F, C, KH, KW)), rng.normal(size=F)
    layer = LayerCode(source, w, b, draw(st.sampled_from(ACTIVATIONS)), padding, geometry)
    loss = draw(losses(F, geometry.out_size, w.shape)) if with_loss else None
    return Case(layer, loss, image)


@st.composite
def losses(draw, F: int, out_size: tuple[int, int], shape: tuple[int, ...]) -> LossCode:
    kind = draw(st.sampled_from(["sum", "mse", "impulse"]))
    if kind == "mse":
        return LossCode("mse", target_w=np.random.default_rng(draw(st.integers(0, 99))).normal(size=shape))
    if kind == "impulse":
        cell = (
            draw(st.integers(0, F - 1)),
            draw(st.integers(0, out_size[0] - 1)),
            draw(st.integers(0, out_size[1] - 1)),
        )
        return LossCode("impulse", cell=cell)
    return LossCode("sum")


def _hyper(layer: LayerCode) -> dict:
    g = layer.geometry
    return {"stride": g.stride, "padding": layer.padding, "dilation": g.dilation, "pad_mode": g.pad_mode}


def engine_arrays(case: Case) -> dict[str, np.ndarray]:
    """What the page shows for these settings, computed as the pages compute it (batch axis added)."""
    layer, x = case.layer, case.image
    if case.loss is None:
        z, _ = conv2d_forward(x[None], layer.w, layer.b, **_hyper(layer))
        return {"Z": z, "A": activation_forward(z, layer.activation)[0]}
    loss = case.loss
    target = None
    if loss.kind == "mse":
        F = layer.w.shape[0]
        target = target_map(x, loss.target_w, np.zeros(F), layer.activation, **_hyper(layer))
    spec = LossSpec(loss.kind, target, loss.cell)
    g = layer_gradients(x, layer.w, layer.b, layer.activation, spec, **_hyper(layer))
    return {
        "Z": g.z[None],
        "A": g.a[None],
        "L": np.float64(g.loss),
        "delta": g.delta[None],
        "dX": g.dx[None],
        "dW": g.dw,
        "db": g.db,
    }


def run_snippet(code: str, names: tuple[str, ...], folder: Path) -> dict[str, np.ndarray]:
    """Run `code` in a fresh Python from the project's folder; return the arrays it leaves under `names`."""
    out = folder / "out.npz"
    # Tensors (PyTorch) become arrays; the snippet's own print goes to the captured stdout.
    save = (
        f"\nnp.savez({str(out)!r}, **{{n: np.asarray(v.detach() if hasattr(v, 'detach') else v) "
        f"for n, v in ((n, globals()[n]) for n in {names!r})}})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code + save], cwd=APP_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"{result.stderr}\n--- the snippet ---\n{code}"
    with np.load(out) as saved:
        return {name: saved[name] for name in names}


def check_snippet(case: Case, language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        # The page's "input.npy" button: the image the page uses, saved as it saves it.
        path = Path(folder) / "input.npy"
        np.save(path, case.image)
        layer = case.layer._replace(image=case.layer.image._replace(path=str(path)))
        build = numpy_code if language == "numpy" else torch_code
        names = FORWARD_NAMES if case.loss is None else BACKWARD_NAMES
        got = run_snippet(build(layer, case.loss), names, Path(folder))
    for name, expected in engine_arrays(case).items():
        assert got[name].shape == expected.shape, name
        np.testing.assert_allclose(got[name], expected, rtol=TOLERANCE, atol=TOLERANCE, err_msg=name)


@SNIPPET_SETTINGS
@given(cases(with_loss=False))
def test_the_numpy_forward_snippet_gives_the_pages_maps(case: Case) -> None:
    check_snippet(case, "numpy")


@SNIPPET_SETTINGS
@given(cases(with_loss=True))
def test_the_numpy_backward_snippet_gives_the_pages_gradients(case: Case) -> None:
    check_snippet(case, "numpy")


# importorskip in the test, not at import: the NumPy tests above run everywhere.
_TORCH = importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(not _TORCH, reason="torch is not installed (the benchmark environment has it)")
@TORCH_SETTINGS
@given(cases(with_loss=False))
def test_the_torch_forward_snippet_gives_the_pages_maps(case: Case) -> None:
    pytest.importorskip("torch")
    check_snippet(case, "torch")


@pytest.mark.skipif(not _TORCH, reason="torch is not installed (the benchmark environment has it)")
@TORCH_SETTINGS
@given(cases(with_loss=True))
def test_the_torch_backward_snippet_gives_the_pages_gradients(case: Case) -> None:
    pytest.importorskip("torch")
    check_snippet(case, "torch")


# --- the text itself ------------------------------------------------------------------------------------


def test_numbers_are_written_exactly() -> None:
    a = np.array([[0.1 + 0.2, -0.0, 1e-300], [2.0 / 3.0, -1e17, 5e-324]])
    literal = nested_literal(a, column=4)
    assert np.array_equal(np.array(ast.literal_eval(literal)), a)
    assert literal.splitlines()[1].startswith(" " * 5 + "[")  # the second row lines up under the first


def _layer(padding, stride=(1, 1), pad_mode="zeros", sample="house", hw=(7, 9)) -> LayerCode:
    w = np.arange(18.0).reshape(2, 1, 3, 3) / 7
    geometry = conv_geometry((1, 1, *hw), w.shape, stride, padding, (1, 1), pad_mode)
    return LayerCode(ImageSource(sample, False, 9), w, np.array([0.5, -1.0]), "relu", padding, geometry)


def test_same_padding_at_a_stride_is_padded_explicitly_in_torch() -> None:
    code = torch_code(_layer("same", stride=(2, 2)))
    # 7 rows at stride 2: 4 outputs span 3·2 + 3 = 9 rows, 2 of padding; 9 columns: 5 outputs span 11,
    # 2 of padding; both even, so F.conv2d pads them itself.
    assert "padding=(1, 1)" in code and "F.pad" not in code
    # 8 × 10 at stride 2: 4 × 5 outputs span 9 × 11, one cell of padding each way, which goes after.
    code = torch_code(_layer("same", stride=(2, 2), hw=(8, 10)))
    assert 'X_pad = F.pad(X, (0, 1, 0, 1), mode="constant")' in code
    assert 'padding="same"' not in code
    assert '"same" pads (top, bottom) = (0, 1)' in numpy_code(_layer("same", stride=(2, 2), hw=(8, 10)))


@pytest.mark.parametrize(
    ("pad_mode", "torch_mode"),
    [("reflect", "reflect"), ("replicate", "replicate"), ("circular", "circular")],
)
def test_padding_modes_use_f_pad(pad_mode: str, torch_mode: str) -> None:
    code = torch_code(_layer((1, 2), pad_mode=pad_mode))
    assert f'F.pad(X, (2, 2, 1, 1), mode="{torch_mode}")' in code
    assert f'pad_mode="{pad_mode}"' in numpy_code(_layer((1, 2), pad_mode=pad_mode))


def test_the_image_is_loaded_the_way_a_student_can() -> None:
    sample = numpy_code(_layer(1))
    assert 'X = engine.load_sample("house", color=False, size=9)[None]' in sample
    upload = numpy_code(_layer(1, sample=None))
    assert 'X = np.load("input.npy")[None]' in upload
    assert 'np.load("input.npy")' in torch_code(_layer(1))  # a notebook with PyTorch has no engine


def test_the_loss_and_backward_are_written_out() -> None:
    code = torch_code(_layer(1), LossCode("impulse", cell=(1, 2, 3)))
    assert "L = A[0, 1, 2, 3]" in code and "L.backward()" in code and "requires_grad=True" in code
    code = numpy_code(_layer(1), LossCode("mse", target_w=np.ones((2, 1, 3, 3))))
    assert "engine.mse_loss" in code and "engine.conv2d_backward(delta, cache)" in code
