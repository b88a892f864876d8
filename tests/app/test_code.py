"""The code for what is on screen (issue 15, item 5): the forward and backward pages show it in both
versions and both languages, it follows the page's settings, and the code the page shows gives the
page's numbers when run (engine/snippets.py's own tests run random settings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ui.common.i18n
from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.images import encode_picture
from engine.layer_loss import LossSpec, layer_gradients, target_map
from engine.presets import kernel_preset
from engine.samples import load_sample
from tests.app.conftest import APP_ROOT, run_script
from ui.common.state import widget_key


def code_tabs(at) -> dict[str, str]:
    """The page's code blocks by the label of the tab holding them."""
    tabs = {tab.label: tab for tab in at.tabs}
    return {label: tab.code[0].value for label, tab in tabs.items() if len(tab.code)}


def run_code(code: str, names: tuple[str, ...], folder: Path) -> dict[str, np.ndarray]:
    """Run the code a page shows in a fresh Python, from the project's folder as a student would."""
    out = folder / "out.npz"
    save = f"\nnp.savez({str(out)!r}, **{{n: globals()[n] for n in {names!r}}})\n"
    done = subprocess.run([sys.executable, "-c", code + save], cwd=APP_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with np.load(out) as saved:
        return {name: saved[name] for name in names}


def test_the_forward_page_shows_the_code_for_its_settings(tmp_path: Path) -> None:
    at = run_script(
        "forward", {"forward.code.open": True, "conv.pad_kind": "same", "conv.activation": "relu"}
    )
    assert not at.exception
    code = code_tabs(at)
    assert set(code) == {"Python (NumPy engine)", "PyTorch"}
    assert "stride=(1, 1)" in code["PyTorch"] and "torch.relu(Z)" in code["PyTorch"]
    at.number_input(key=widget_key("conv.stride_h")).set_value(2).run()
    assert not at.exception
    code = code_tabs(at)
    assert "stride=(2, 2)" in code["Python (NumPy engine)"] and "stride=(2, 2)" in code["PyTorch"]
    # The house is 27 × 32. At stride 2 "same" keeps ⌈27 / 2⌉ = 14 rows, which span 13·2 + 3 = 29: one
    # row of padding above and one below; 16 columns span 33: one column, after (left 0, right 1).
    assert "X_pad = F.pad(X, (0, 1, 1, 1)" in code["PyTorch"]
    assert 'engine.load_sample("house", color=False, size=32)' in code["Python (NumPy engine)"]
    got = run_code(code["Python (NumPy engine)"], ("A",), tmp_path)
    x = load_sample("house", size=32)[None]
    z, _ = conv2d_forward(x, kernel_preset("sobel_x")[None, None], np.zeros(1), stride=2, padding="same")
    np.testing.assert_allclose(got["A"], activation_forward(z, "relu")[0], rtol=1e-12, atol=1e-12)
    assert [b.label for b in at.get("download_button")] == ["input.npy: the image, 1×27×32"]


@pytest.mark.parametrize("presentation", [False, True])
def test_the_backward_page_shows_the_code_of_its_loss(presentation: bool, tmp_path: Path) -> None:
    at = run_script("backward", {"backward.code.open": True, "presentation": presentation})
    assert not at.exception
    code = code_tabs(at)
    assert "L.backward()" in code["PyTorch"] and "0.5 * F.mse_loss(A, T)" in code["PyTorch"]
    if presentation:
        return  # the same panel, at the foot of a projector's page
    got = run_code(code["Python (NumPy engine)"], ("L", "dX", "dW", "db"), tmp_path)
    x = load_sample("house", size=32)
    w = kernel_preset("sobel_x")[None, None]
    target = target_map(x, kernel_preset("sobel_y")[None, None], np.zeros(1), "identity", padding=1)
    expected = layer_gradients(x, w, np.zeros(1), "identity", LossSpec("mse", target), padding=1)
    for name, value in (
        ("L", expected.loss),
        ("dX", expected.dx[None]),
        ("dW", expected.dw),
        ("db", expected.db),
    ):
        np.testing.assert_allclose(got[name], value, rtol=1e-12, atol=1e-15, err_msg=name)
    at.radio(key=widget_key("backward.loss")).set_value("sum").run()
    assert not at.exception
    code = code_tabs(at)
    assert "L = A.sum()" in code["PyTorch"] and "dA = np.ones_like(A)" in code["Python (NumPy engine)"]


def test_the_panel_costs_nothing_while_it_is_closed() -> None:
    at = run_script("forward")
    assert not at.exception
    assert not code_tabs(at)


def test_an_uploaded_image_is_read_from_the_npy_file() -> None:
    picture = encode_picture(np.tile(np.arange(10, dtype=np.uint8) * 25, (6, 1)))
    upload = {"name": "ramp.png", "digest": "ramp", "data": picture}
    at = run_script("forward", {"forward.code.open": True, "conv.source": "upload", "conv.upload": upload})
    assert not at.exception
    code = code_tabs(at)
    assert 'X = np.load("input.npy")[None]' in code["Python (NumPy engine)"]
    assert "load_sample" not in code["Python (NumPy engine)"]


def test_the_panel_speaks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.common.i18n, "DEFAULT_LANGUAGE", "zh")
    at = run_script("backward", {"language": "zh", "backward.code.open": True})
    assert not at.exception
    assert set(code_tabs(at)) == {"Python（NumPy 引擎）", "PyTorch"}
    assert any(e.label.startswith("🧾 本页的代码") for e in at.expander)
