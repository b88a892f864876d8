"""Engine errors carry a message id: every id has one English text (engine/errors.py) and a Chinese one
(ui/common/error_strings.py) with the same fields, and every check a user can trip raises its id.

The table CASES holds one representative bad input per raise site; the errors it raises must, between
them and the words inside them, use every message id (except the ones waiting for their raise site in
engine/trace.py and engine/backward_views.py).
"""

from __future__ import annotations

import ast
import pickle
import string
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

import engine
import engine.images as images
from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.data import image_to_input, load_dataset, load_digits, make_bars
from engine.dense import dense_forward
from engine.descent import descend
from engine.errors import MESSAGES, EngineError, Named, Phrase, english
from engine.geometry import conv_output_size, resolve_padding
from engine.graph import MAX_NODES, MAX_VARIABLES, build_graph
from engine.layer_check import gradient_check
from engine.layer_loss import LossSpec, check_loss
from engine.losses import mse_loss, softmax_cross_entropy
from engine.model import ModelConfig, check_config, init_params, model_forward, sgd_step
from engine.network import classic_example, random_example, run_network
from engine.norm import batchnorm_forward, concat_forward, split_forward
from engine.pool import pool2d_forward
from engine.presets import kernel_preset, random_kernel
from engine.trace import check_region
from engine.training import TrainConfig, check_train_config, new_run
from ui.common.error_strings import STRINGS as ERROR_STRINGS

ENGINE_DIR = Path(engine.__file__).resolve().parent
# Ids whose raise sites are not converted yet (their text ready in both tables): none.
PENDING: set[str] = set()


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _png(mode: str = "RGB", size: tuple[int, int] = (6, 4)) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def _noise_png() -> bytes:
    """A PNG whose pixel data is long enough that cutting the file cuts into the pixels."""
    noise = np.random.default_rng(7).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    buffer = BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    return buffer.getvalue()


def _conv(x_shape=(1, 1, 4, 6), w_shape=(1, 1, 3, 3), **hyper) -> Callable[[], object]:
    return lambda: conv2d_forward(np.zeros(x_shape), np.zeros(w_shape), None, **hyper)


def _pool(x_shape=(1, 1, 3, 5), **options) -> Callable[[], object]:
    return lambda: pool2d_forward(np.zeros(x_shape), **options)


def _network(**changes) -> Callable[[], object]:
    return lambda: run_network(classic_example()._replace(**changes))


def _graph(text: str, **values: float) -> Callable[[], object]:
    return lambda: build_graph(text, values)


def _load(data: bytes, **options) -> Callable[[], object]:
    return lambda: images.load_image(data, **options)


# (message id raised, the bad input). Several rows may share an id: one per raise site.
def _small_check(**options) -> object:
    x, w = np.ones((1, 4, 4)), np.ones((1, 1, 3, 3))
    return gradient_check(x, w, np.zeros(1), "identity", LossSpec("sum"), **options)


def _small_descent(lr: float, steps: int) -> object:
    x, w = np.ones((1, 4, 4)), np.ones((1, 1, 3, 3))
    return descend(x, w, np.zeros(1), np.zeros((1, 2, 2)), "identity", lr, steps)


CASES: list[tuple[str, Callable[[], object]]] = [
    # geometry: the convolution's hyper-parameters.
    ("geometry.not_pair", _conv(stride=(1, 2, 3))),
    ("geometry.not_pair", _conv(dilation=1.5)),
    ("geometry.not_pair", _conv(padding=((1, 2), (0.5, 1)))),
    ("geometry.padding_word", _conv(padding="full")),
    ("geometry.padding_negative", lambda: resolve_padding(-1, (3, 3))),
    ("geometry.padding_negative", lambda: conv_output_size(5, 3, padding=(0, -1))),
    ("geometry.stride_below_one", lambda: conv_output_size(5, 3, stride=0)),
    ("geometry.dilation_below_one", lambda: conv_output_size(5, 3, dilation=0)),
    ("geometry.kernel_below_one", lambda: conv_output_size(5, 0)),
    ("geometry.kernel_too_big", lambda: conv_output_size(4, 3, padding=0, dilation=2)),
    ("geometry.along_axis", _conv(w_shape=(1, 1, 5, 3))),
    ("geometry.along_axis", _conv(w_shape=(1, 1, 3, 7))),
    ("geometry.pad_mode_unknown", _conv(pad_mode="mirror")),
    ("geometry.reflect_too_wide", _conv(padding=4, pad_mode="reflect")),
    ("geometry.circular_too_wide", _conv(padding=(1, 7), pad_mode="circular")),
    # pool.
    ("pool.mode_unknown", _pool(mode="min")),
    ("pool.window_below_one", _pool(size=(2, 0))),
    ("pool.stride_below_one", _pool(stride=0)),
    ("geometry.padding_negative", _pool(padding=-1)),
    ("geometry.not_pair", _pool(size="big")),
    ("pool.padding_over_half", _pool(size=2, padding=2)),
    ("pool.window_too_big", _pool(size=4)),
    # activations, dense layer, losses.
    ("activations.unknown", lambda: activation_forward(np.zeros(3), "softplus")),
    ("dense.input_not_2d", lambda: dense_forward(np.zeros(3), np.zeros((2, 3)), np.zeros(2))),
    ("dense.weights_not_2d", lambda: dense_forward(np.zeros((1, 3)), np.zeros(3), np.zeros(2))),
    ("dense.biases_not_1d", lambda: dense_forward(np.zeros((1, 3)), np.zeros((2, 3)), np.zeros((2, 1)))),
    ("dense.features_mismatch", lambda: dense_forward(np.zeros((1, 4)), np.zeros((2, 3)), np.zeros(2))),
    ("dense.biases_mismatch", lambda: dense_forward(np.zeros((1, 3)), np.zeros((2, 3)), np.zeros(5))),
    ("losses.shape_mismatch", lambda: mse_loss(np.zeros((2, 3)), np.zeros((3, 2)))),
    ("losses.empty_batch", lambda: mse_loss(np.zeros((0, 3)), np.zeros((0, 3)))),
    ("losses.logits_not_2d", lambda: softmax_cross_entropy(np.zeros(3), np.array([0]))),
    ("losses.logits_empty", lambda: softmax_cross_entropy(np.zeros((2, 0)), np.array([0, 0]))),
    ("losses.label_count", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))),
    ("losses.labels_not_1d", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.zeros((2, 1), int))),
    ("losses.labels_not_integers", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))),
    ("losses.label_range", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))),
    # normalization, split, concat.
    ("norm.input_axes", lambda: batchnorm_forward(np.zeros((2, 3, 4)), np.ones(3), np.zeros(3))),
    ("norm.parameter_shape", lambda: batchnorm_forward(np.zeros((2, 3)), np.ones(2), np.zeros(3))),
    ("norm.empty_batch", lambda: batchnorm_forward(np.zeros((0, 3)), np.ones(3), np.zeros(3))),
    ("norm.split_copies", lambda: split_forward(np.zeros(3), 0)),
    ("norm.concat_empty", lambda: concat_forward([])),
    ("norm.concat_axis", lambda: concat_forward([np.zeros((2, 3))], axis=2)),
    ("norm.concat_shapes", lambda: concat_forward([np.zeros((2, 3)), np.zeros((2, 4))], axis=0)),
    # the fully connected network of the dense page.
    ("network.layer", _network(biases=(np.zeros(3), np.zeros(2)))),
    ("network.lr_not_finite", lambda: run_network(classic_example(), lr=float("inf"))),
    ("network.targets_shape", _network(t=np.zeros((1, 3)))),
    ("network.targets_not_numbers", _network(t=np.array([[np.nan, 0.1]]))),
    ("network.no_layers", _network(weights=(), biases=(), activations=())),
    ("network.layer_parts", _network(activations=("sigmoid",))),
    ("network.input_empty", _network(x=np.zeros((1, 0)))),
    ("network.not_numbers", _network(x=np.array([[np.nan, 0.1]]))),
    ("network.not_numbers", _network(weights=(np.full((2, 2), np.nan), np.zeros((2, 2))))),
    ("network.not_numbers", _network(biases=(np.zeros(2), np.array([np.inf, 0.0])))),
    (
        "network.layer_no_units",
        _network(weights=(np.zeros((0, 2)), np.zeros((2, 0))), biases=(np.zeros(0),) * 2),
    ),
    ("network.sizes", lambda: random_example((2, 0, 1), ("relu", "relu"))),
    # the tiny CNN of the training page.
    ("model.kernel_count", lambda: check_config(ModelConfig(kernels=0))),
    ("model.kernel_size", lambda: check_config(ModelConfig(kernel_size=2))),
    ("model.activation", lambda: check_config(ModelConfig(activation="softplus"))),
    ("model.pool", lambda: check_config(ModelConfig(pool="min"))),
    ("model.classes", lambda: check_config(ModelConfig(n_classes=1))),
    ("model.image_too_small", lambda: check_config(ModelConfig(in_shape=(1, 3, 5), kernels2=2))),
    ("model.sgd", lambda: sgd_step({}, {}, {}, lr=0.0, momentum=0.5)),
    (
        "model.input_shape",
        lambda: model_forward(init_params(ModelConfig()), np.zeros((1, 1, 8, 9)), ModelConfig()),
    ),
    ("data.digits_missing", lambda: load_digits(Path("/no/such/digits.npz"))),
    ("data.bars", lambda: make_bars(n_train=0)),
    ("data.unknown", lambda: load_dataset("cifar")),
    ("data.image_shape", lambda: image_to_input(np.zeros((2, 3, 4)), 8)),
    ("training.lr", lambda: check_train_config(TrainConfig(lr=0.0))),
    ("training.momentum", lambda: check_train_config(TrainConfig(momentum=1.0))),
    ("training.batch_size", lambda: check_train_config(TrainConfig(batch_size=0))),
    ("training.epochs", lambda: check_train_config(TrainConfig(epochs=0))),
    ("training.data_mismatch", lambda: new_run(make_bars(4, 2), ModelConfig(), TrainConfig())),
    # kernel presets.
    ("presets.size", lambda: kernel_preset("sobel_x", 4)),
    ("presets.random_shape", lambda: random_kernel((3, 0))),
    ("presets.unknown", lambda: kernel_preset("sobel")),
    # images: uploads and samples.
    ("images.empty", _load(b"")),
    ("images.not_bytes", _load("picture.png")),
    ("images.size_argument", _load(_png(), size=0)),
    ("images.file_too_big", _load(_png(), max_bytes=50)),
    ("images.file_too_big", _load(bytes(3000), max_bytes=2048)),
    ("images.file_too_big", _load(bytes(3 * 2**20), max_bytes=2**20)),
    ("images.not_an_image", _load(b"Dear student, this is not a picture.")),
    ("images.damaged", _load(_noise_png()[:600])),
    ("images.too_many_pixels", _load(_png(size=(600, 400)), max_pixels=1000)),
    ("images.too_many_pixels", _load(_png(size=(1500, 1000)), max_pixels=1_200_000)),
    ("images.working_size_too_big", _load(_png(), size=5000, max_pixels=10**6)),
    ("images.sample_unknown", lambda: images.load_sample("nope")),
    # the chain-rule page: parsing.
    ("graph.empty", _graph("  ")),
    ("graph.too_long", _graph("x" + " + x" * 60)),
    ("graph.syntax", _graph("x +")),
    ("graph.syntax", _graph("x\x00")),
    ("graph.syntax_at", _graph("x y")),
    ("graph.syntax_at", _graph("f(x y)")),
    ("graph.syntax_at", _graph("(x")),
    ("graph.syntax_at", _graph("x)")),
    ("graph.syntax_at", _graph("(x]")),
    ("graph.syntax_at", _graph("2x")),
    ("graph.syntax_at", _graph("x × y")),
    ("graph.too_many_nodes", _graph("-" * (MAX_NODES + 1) + "x")),
    *[
        ("graph.refused", _graph(text))
        for text in (
            "x.real",
            "x[0]",
            "lambda: 1",
            "[x for x in y]",
            "f'{x}'",
            "x < y",
            "x and y",
            "x if y else z",
            "(x := 3)",
            "[x]",
            "(x, y)",
            "{1: x}",
            "{x}",
            "await x",
        )
    ],
    ("graph.operator", _graph("x % 2")),
    ("graph.operator", _graph("~x")),
    ("graph.operator_caret", _graph("x ^ 2")),
    ("graph.call_by_name", _graph("x.exp(1)")),
    ("graph.unknown_function", _graph("sqrt(x)")),
    ("graph.plain_arguments", _graph("exp(x=1)")),
    ("graph.one_argument", _graph("exp(x, y)")),
    ("graph.two_arguments", _graph("max(x)")),
    ("graph.call_function", _graph("exp + 1")),
    ("graph.bad_variable", _graph("_x + 1")),
    ("graph.too_many_variables", _graph(" + ".join(f"v{i}" for i in range(MAX_VARIABLES + 1)))),
    ("graph.not_a_number", _graph("'a' + x")),
    ("graph.number_too_large", _graph("x * 1e999")),
    # the chain-rule page: computing.
    ("graph.cannot_compute", _graph("1 / (x - y)", x=1.0, y=1.0)),
    ("graph.cannot_compute", _graph("x ** 100", x=2.0)),
    ("graph.cannot_compute", _graph("x ** -1", x=0.0)),
    ("graph.cannot_compute", _graph("x ** 0.5", x=-4.0)),
    ("graph.cannot_compute", _graph("x ** 0.5", x=0.0)),
    ("graph.cannot_compute", _graph("log(x)", x=-2.0)),
    ("graph.variable_exponent", _graph("x ** y", x=-2.0, y=2.0)),
    ("graph.overflow", _graph("exp(x)", x=1000.0)),
    ("graph.overflow", _graph("x * 1e308 * 10", x=1.0)),
    ("graph.missing_value", _graph("x + y", x=1.0)),
    ("graph.value_not_finite", _graph("x + 1", x=float("nan"))),
    # engine/trace.py and engine/backward_views.py: the animated region, the backward page's loss, check
    # and descent.
    ("trace.region_empty", lambda: check_region((3, 3, 0, 4), (8, 8))),
    ("trace.region_too_big", lambda: check_region((0, 30, 0, 30), (40, 40), max_steps=400)),
    ("backward_views.loss_unknown", lambda: check_loss(LossSpec("hinge"), (1, 4, 4))),
    ("backward_views.target_shape", lambda: check_loss(LossSpec("mse", np.zeros((1, 3, 4))), (1, 4, 4))),
    ("backward_views.impulse_cell", lambda: check_loss(LossSpec("impulse"), (1, 4, 4))),
    ("backward_views.cell_outside", lambda: check_loss(LossSpec("impulse", cell=(0, 9, 0)), (1, 4, 4))),
    ("backward_views.eps", lambda: _small_check(eps=0.0)),
    ("backward_views.lr", lambda: _small_descent(lr=-1.0, steps=3)),
    ("backward_views.steps", lambda: _small_descent(lr=0.1, steps=-1)),
]


def _raised(call: Callable[[], object]) -> EngineError:
    with pytest.raises(EngineError) as caught:
        call()
    return caught.value


def _codes_inside(value: object) -> set[str]:
    """The message ids of an error and of every Phrase or error in its fields, all the way down."""
    if not isinstance(value, (EngineError, Phrase)):
        return set()
    return {value.code}.union(*(_codes_inside(field) for field in value.fields.values()))


# --- the tables ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", MESSAGES)
def test_every_id_has_chinese_with_the_same_fields(code: str) -> None:
    entry = ERROR_STRINGS[f"error.{code}"]
    assert entry["en"] == MESSAGES[code]  # the UI's English is the engine's, word for word
    assert entry["zh"].strip()
    assert _fields(entry["zh"]) == _fields(entry["en"])


def test_the_ui_table_holds_exactly_the_engine_ids() -> None:
    assert set(ERROR_STRINGS) == {f"error.{code}" for code in MESSAGES}


def test_every_id_written_in_the_engine_exists() -> None:
    # A misspelt id would only fail when its raise site runs: check every literal id in engine/*.py.
    constructors = {"EngineError", "ImageLoadError", "Phrase"}
    unknown = []
    for path in sorted(ENGINE_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in constructors
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in MESSAGES
            ):
                unknown.append(f"{path.name}:{node.lineno} {node.args[0].value}")
    assert not unknown


# --- the raise sites -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "call"), CASES, ids=[f"{code}-{k}" for k, (code, _) in enumerate(CASES)])
def test_bad_input_raises_its_message_id(code: str, call: Callable[[], object]) -> None:
    err = _raised(call)
    assert err.code == code
    assert isinstance(err, ValueError)  # callers that catch ValueError keep working
    assert str(err) == english(code, err.fields) == MESSAGES[code].format(**err.fields)
    assert "{" not in str(err) and "Phrase(" not in str(err)


def test_every_id_is_used_by_some_raise_site() -> None:
    used = set().union(*(_codes_inside(_raised(call)) for _, call in CASES))
    used |= _codes_of_monkeypatched_failures()
    assert set(MESSAGES) - PENDING - used == set()


def _codes_of_monkeypatched_failures() -> set[str]:
    """Ids whose raise sites need a broken Pillow, a missing file or no memory (see the tests below)."""
    return {
        "images.unreadable",
        "images.out_of_memory",
        "images.colour_mode",
        "images.transparent_mode",
        "images.sample_missing",
        "images.far_too_many_pixels",
    }


def test_an_unreadable_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_load(self):
        raise SyntaxError("broken")

    monkeypatch.setattr(ImageFile.ImageFile, "load", broken_load)
    assert _raised(_load(_png())).code == "images.unreadable"


def test_no_memory_for_the_image(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory(*args):
        raise MemoryError

    monkeypatch.setattr(images, "_decode", no_memory)
    assert _raised(_load(_png())).code == "images.out_of_memory"


@pytest.mark.parametrize(("mode", "code"), [("P", "images.colour_mode"), ("RGBA", "images.transparent_mode")])
def test_a_colour_mode_pillow_cannot_convert(monkeypatch: pytest.MonkeyPatch, mode: str, code: str) -> None:
    data = _png(mode)

    def refuse(self, *args, **kwargs):
        raise ValueError("conversion not supported")

    monkeypatch.setattr(Image.Image, "convert", refuse)
    err = _raised(_load(data))
    assert (err.code, err.fields) == (code, {"mode": mode})


def test_a_missing_sample_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    images._sample_bytes.cache_clear()
    monkeypatch.setattr(images, "ASSETS_DIR", tmp_path)
    try:
        assert _raised(lambda: images.load_sample("astronaut")).code == "images.sample_missing"
    finally:
        images._sample_bytes.cache_clear()


def test_pillows_own_pixel_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    err = _raised(_load(_png(size=(20, 10)), max_pixels=10**9))
    assert err.code == "images.too_many_pixels"
    assert err.fields == {
        "claimed": Phrase("images.far_too_many_pixels"),
        "limit": Phrase("unit.count", n=100),
    }
    assert str(err).startswith("The image has far too many pixels, more than the 100 the app accepts;")


# --- the English sentences, word for word ----------------------------------------------------------------

ALLOWED = (
    "use numbers, variable names, + − * / **, and the functions exp, log, abs, sigmoid, relu, tanh, max, min."
)


@pytest.mark.parametrize(
    ("call", "sentence"),
    [
        (
            _conv(w_shape=(1, 1, 5, 3)),
            "Along the height: The kernel covers 5 cells (size 5, dilation 1) but the padded input has "
            "only 4 (4 + 0 + 0): use a smaller kernel or dilation, or more padding.",
        ),
        (_pool(stride=(1, 0)), "The stride must be at least 1 (it is 0 along the width)."),
        (
            _conv(stride=(1, 2, 3)),
            "The stride must be a whole number or a (height, width) pair of whole numbers, not (1, 2, 3).",
        ),
        (
            _network(biases=(np.zeros(3), np.zeros(2))),
            "Layer 1: The layer has 2 outputs but 3 biases: give one per output.",
        ),
        (
            _network(x=np.array([[np.nan, 0.1]])),
            "Every input entry must be a number: a cell is empty or not a number.",
        ),
        (
            lambda: kernel_preset("sobel_x", 4),
            "The Sobel x kernel comes in sizes 3, 5, 7; 4 is not one of them.",
        ),
        (
            _load(bytes(3000), max_bytes=2048),
            "The file (2.93 KB) is over the 2 KB limit; upload a smaller or more compressed image.",
        ),
        (
            _load(_png(size=(1500, 1000)), max_pixels=1_200_000),
            "The image has 1,500 × 1,000 pixels, more than the 1.2 million the app accepts; shrink it and "
            "upload it again.",
        ),
        (_graph("(x"), "This is not a valid expression (near character 1): '(' was never closed."),
        (
            _graph("x ^ 2"),
            "The operator ^ is not allowed (for a power write **): " + ALLOWED,
        ),
        (
            _graph("x[0]"),
            "indexing (a[i]) cannot be used here: " + ALLOWED,
        ),
        (
            _graph("log(x)", x=-2.0),
            "Cannot compute log(x) at these values: log needs a positive number, and -2 is not.",
        ),
    ],
)
def test_the_english_sentence(call: Callable[[], object], sentence: str) -> None:
    assert str(_raised(call)) == sentence


def test_an_unknown_python_reason_is_kept_as_python_wrote_it() -> None:
    err = _raised(_graph("x\x00"))
    assert err.fields["reason"] == "source code string cannot contain null bytes"


def test_words_inside_a_sentence_are_phrases_and_names() -> None:
    err = _raised(_conv(w_shape=(1, 1, 3, 7)))
    assert err.fields["axis"] == Phrase("term.width")
    assert err.fields["reason"].code == "geometry.kernel_too_big"
    preset = _raised(lambda: kernel_preset("laplacian", 4)).fields["title"]
    assert preset == Named("preset", "laplacian", "Laplacian edge") and f"{preset}" == "Laplacian edge"


# --- the error classes -----------------------------------------------------------------------------------


def test_image_load_error_is_an_engine_error() -> None:
    err = _raised(_load(b""))
    assert type(err) is images.ImageLoadError and isinstance(err, EngineError)


def test_an_error_survives_pickling() -> None:
    err = _raised(_conv(w_shape=(1, 1, 5, 3)))
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.code, str(again)) == (EngineError, err.code, str(err))
    assert again.fields["axis"] == err.fields["axis"]
    image_error = pickle.loads(pickle.dumps(_raised(_load(b""))))
    assert type(image_error) is images.ImageLoadError


def test_an_unknown_id_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match=r"no\.such"):
        EngineError("no.such.id")
    with pytest.raises(KeyError, match=r"no\.such"):
        Phrase("no.such.id")


def test_engine_error_is_public() -> None:
    assert engine.EngineError is EngineError
