"""Engine errors are written once, where they are raised: the English template is the message's id.

Every `EngineError(...)` and `Phrase(...)` of engine/*.py gives its template as a string literal, so this
file can read them all from the source (`engine_templates`; tests/app/test_error_sentences.py checks that
each has its translations), and every check a user can trip raises its template.

The table CASES holds one representative bad input per raise site, named by the first words of the
template it raises; the errors it raises must, between them and the words inside them, use every
template of the engine.
"""

from __future__ import annotations

import ast
import pickle
import string
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

import engine
import engine.activation_views as activation_views
import engine.expression as expression
import engine.images as images
import engine.pool_trace as pool_trace
import engine.samples as samples
from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.data import image_to_input, load_dataset, load_digits, make_bars
from engine.dense import dense_forward
from engine.descent import descend
from engine.errors import EngineError, Named, Phrase
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
from engine.transposed import conv_transpose2d, transposed_output_size

ENGINE_DIR = Path(engine.__file__).resolve().parent
TESTS_DIR = Path(__file__).resolve().parent


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


# --- the templates, read from the engine's source --------------------------------------------------------


def _called(func: ast.expr) -> str | None:
    """The name a call calls: `EngineError(...)` and `errors.EngineError(...)` both call "EngineError"."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """EngineError, Phrase and the classes the engine derives from EngineError (ImageLoadError)."""
    names = {"EngineError", "Phrase"}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_called(base) in names for base in node.bases):
                names.add(node.name)
    return names


def _template_calls(tree: ast.Module, classes: set[str]) -> list[tuple[int, str | None]]:
    """(line, template) of every call of these classes in a module.

    The template is the first argument when it is a string literal (adjacent literals are one), and None
    when it is anything else (a name, an f-string, a lookup in a table).
    """
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node.func) in classes:
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            calls.append((node.lineno, first.value if literal else None))
    return calls


@cache
def _engine_calls() -> tuple[tuple[str, str | None], ...]:
    """("geometry.py:118", template or None) for every error and phrase made in engine/*.py."""
    paths = sorted(ENGINE_DIR.glob("*.py"))
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    classes = _error_classes(trees)
    return tuple(
        (f"{path.name}:{line}", template)
        for path, tree in zip(paths, trees)
        for line, template in _template_calls(tree, classes)
    )


def engine_templates() -> frozenset[str]:
    """Every template the engine's source writes in an `EngineError(...)` or `Phrase(...)`."""
    return frozenset(template for _, template in _engine_calls() if template is not None)


def _template(start: str) -> str:
    """The one template of the engine that starts with these words."""
    matches = [template for template in engine_templates() if template.startswith(start)]
    assert len(matches) == 1, f"{start!r} starts {len(matches)} templates of the engine: {matches}"
    return matches[0]


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
    ("The {name} must be a whole number or a (height, width) pair", _conv(stride=(1, 2, 3))),
    ("The {name} must be a whole number or a (height, width) pair", _conv(dilation=1.5)),
    ("The {name} must be a whole number or a (height, width) pair", _conv(padding=((1, 2), (0.5, 1)))),
    ('The padding must be a number, "same" or "valid"', _conv(padding="full")),
    ("The padding cannot be negative.", lambda: resolve_padding(-1, (3, 3))),
    ("The padding cannot be negative.", lambda: conv_output_size(5, 3, padding=(0, -1))),
    ("The stride must be at least 1 (it is {stride}).", lambda: conv_output_size(5, 3, stride=0)),
    ("The dilation must be at least 1", lambda: conv_output_size(5, 3, dilation=0)),
    ("The kernel size must be at least 1", lambda: conv_output_size(5, 0)),
    ("The kernel covers {span} cells", lambda: conv_output_size(4, 3, padding=0, dilation=2)),
    ("Along the {axis}: {reason}", _conv(w_shape=(1, 1, 5, 3))),
    ("Along the {axis}: {reason}", _conv(w_shape=(1, 1, 3, 7))),
    ("The padding mode must be one of {modes}", _conv(pad_mode="mirror")),
    ("Reflect padding of {widest}", _conv(padding=4, pad_mode="reflect")),
    ("Circular padding of {widest}", _conv(padding=(1, 7), pad_mode="circular")),
    # transposed convolution.
    ("The input needs at least one cell along each axis", lambda: transposed_output_size(0, 3)),
    (
        "The output padding ({output_padding}) must be smaller",
        lambda: transposed_output_size(2, 2, stride=2, output_padding=2),
    ),
    ("The stamps cover {canvas} cells", lambda: transposed_output_size(2, 2, padding=2)),
    (
        "Along the {axis}: {reason}",
        lambda: conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), padding=(0, 9)),
    ),
    # pool.
    ("The pooling mode must be", _pool(mode="min")),
    ("The window {axis} must be at least 1", _pool(size=(2, 0))),
    ("The stride must be at least 1 (it is {s} along the {axis}).", _pool(stride=0)),
    ("The padding cannot be negative.", _pool(padding=-1)),
    ("The {name} must be a whole number or a (height, width) pair", _pool(size="big")),
    ("The padding ({p}) can be at most half the window", _pool(size=2, padding=2)),
    ("The window {axis} ({K}) is bigger than the padded input", _pool(size=4)),
    # activations, dense layer, losses.
    (
        "The activation must be one of {choices}, not {kind!r}.",
        lambda: activation_forward(np.zeros(3), "softplus"),
    ),
    ("The input must be 2-D", lambda: dense_forward(np.zeros(3), np.zeros((2, 3)), np.zeros(2))),
    ("The weights must be 2-D", lambda: dense_forward(np.zeros((1, 3)), np.zeros(3), np.zeros(2))),
    ("The biases must be 1-D", lambda: dense_forward(np.zeros((1, 3)), np.zeros((2, 3)), np.zeros((2, 1)))),
    (
        "Each example has {features} features",
        lambda: dense_forward(np.zeros((1, 4)), np.zeros((2, 3)), np.zeros(2)),
    ),
    (
        "The layer has {outputs} outputs but {biases} biases",
        lambda: dense_forward(np.zeros((1, 3)), np.zeros((2, 3)), np.zeros(5)),
    ),
    ("Predictions {y_shape} and targets {t_shape}", lambda: mse_loss(np.zeros((2, 3)), np.zeros((3, 2)))),
    ("The loss needs a batch of at least one example", lambda: mse_loss(np.zeros((0, 3)), np.zeros((0, 3)))),
    ("The logits must be 2-D", lambda: softmax_cross_entropy(np.zeros(3), np.array([0]))),
    (
        "The loss needs at least one example and one class",
        lambda: softmax_cross_entropy(np.zeros((2, 0)), np.array([0, 0])),
    ),
    ("There are {N} rows of logits", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))),
    ("The labels must be 1-D", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.zeros((2, 1), int))),
    (
        "The labels must be whole class indices",
        lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])),
    ),
    ("Each label must be a class index", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))),
    # normalization, split, concat.
    ("Batch norm expects", lambda: batchnorm_forward(np.zeros((2, 3, 4)), np.ones(3), np.zeros(3))),
    (
        "{name} must hold one number per channel",
        lambda: batchnorm_forward(np.zeros((2, 3)), np.ones(2), np.zeros(3)),
    ),
    ("Batch norm needs a batch", lambda: batchnorm_forward(np.zeros((0, 3)), np.ones(3), np.zeros(3))),
    (
        "Batch norm needs more than one value per channel",
        lambda: batchnorm_forward(np.zeros((1, 2, 1, 1)), np.ones(2), np.zeros(2)),
    ),
    (
        "Batch norm needs more than one value per channel",
        lambda: batchnorm_forward(np.zeros((1, 3)), np.ones(3), np.zeros(3)),
    ),
    ("The {what} must be one of {choices}", lambda: pool_trace.upstream_gradient("zeros", (2, 2))),
    ("The {what} must be one of {choices}", lambda: activation_views.upstream_gradient("zeros", (2, 2))),
    ("A split makes a whole number of copies", lambda: split_forward(np.zeros(3), 0)),
    ("Concatenation needs at least one input.", lambda: concat_forward([])),
    ("The inputs have {ndim} axes", lambda: concat_forward([np.zeros((2, 3))], axis=2)),
    ("Input {i} has shape {shape}", lambda: concat_forward([np.zeros((2, 3)), np.zeros((2, 4))], axis=0)),
    # the fully connected network of the dense page.
    ("Layer {l}: {reason}", _network(biases=(np.zeros(3), np.zeros(2)))),
    ("The learning rate must be a finite number.", lambda: run_network(classic_example(), lr=float("inf"))),
    ("The targets must have one row per example", _network(t=np.zeros((1, 3)))),
    ("Every target must be a number", _network(t=np.array([[np.nan, 0.1]]))),
    ("The network needs at least one layer.", _network(weights=(), biases=(), activations=())),
    ("Give each of the {L} layers", _network(activations=("sigmoid",))),
    ("The input needs at least one example", _network(x=np.zeros((1, 0)))),
    ("Every {name} entry must be a number", _network(x=np.array([[np.nan, 0.1]]))),
    ("Every {name} entry must be a number", _network(weights=(np.full((2, 2), np.nan), np.zeros((2, 2))))),
    ("Every {name} entry must be a number", _network(biases=(np.zeros(2), np.array([np.inf, 0.0])))),
    (
        "Layer {l} has no units",
        _network(weights=(np.zeros((0, 2)), np.zeros((2, 0))), biases=(np.zeros(0),) * 2),
    ),
    ("Every layer needs at least one unit", lambda: random_example((2, 0, 1), ("relu", "relu"))),
    # the tiny CNN of the training page.
    ("A conv block has between 1 and {limit} kernels.", lambda: check_config(ModelConfig(kernels=0))),
    ("The kernel size must be one of {sizes}.", lambda: check_config(ModelConfig(kernel_size=2))),
    ("The activation must be one of {choices}.", lambda: check_config(ModelConfig(activation="softplus"))),
    ("The pooling must be one of {choices}.", lambda: check_config(ModelConfig(pool="min"))),
    ("A classifier needs at least two classes.", lambda: check_config(ModelConfig(n_classes=1))),
    ("A {H} × {W} image is too small", lambda: check_config(ModelConfig(in_shape=(1, 3, 5), kernels2=2))),
    (
        "The learning rate must be positive and the momentum",
        lambda: sgd_step({}, {}, {}, lr=0.0, momentum=0.5),
    ),
    (
        "The network takes images of shape",
        lambda: model_forward(init_params(ModelConfig()), np.zeros((1, 1, 8, 9)), ModelConfig()),
    ),
    ("The digits file {path} is missing", lambda: load_digits(Path("/no/such/digits.npz"))),
    ("The bars need at least one training", lambda: make_bars(n_train=0)),
    ("The data set must be one of {choices}", lambda: load_dataset("cifar")),
    ("The image must be one grayscale channel", lambda: image_to_input(np.zeros((2, 3, 4)), 8)),
    ("The learning rate must be positive.", lambda: check_train_config(TrainConfig(lr=0.0))),
    ("The momentum must be at least 0", lambda: check_train_config(TrainConfig(momentum=1.0))),
    ("The batch size must be between", lambda: check_train_config(TrainConfig(batch_size=0))),
    ("The number of epochs must be between", lambda: check_train_config(TrainConfig(epochs=0))),
    ("The network expects {classes} classes", lambda: new_run(make_bars(4, 2), ModelConfig(), TrainConfig())),
    # kernel presets.
    ("The {title} kernel comes in sizes", lambda: kernel_preset("sobel_x", 4)),
    ("A kernel needs at least one axis", lambda: random_kernel((3, 0))),
    ("There is no kernel preset", lambda: kernel_preset("sobel")),
    # images: uploads and samples.
    ("The file is empty", _load(b"")),
    ("An image must be given as the file's bytes", _load("picture.png")),
    ("The image size must be a whole number", _load(_png(), size=0)),
    ("The file ({size}) is over the {limit} limit", _load(_png(), max_bytes=50)),
    ("The file ({size}) is over the {limit} limit", _load(bytes(3000), max_bytes=2048)),
    ("The file ({size}) is over the {limit} limit", _load(bytes(3 * 2**20), max_bytes=2**20)),
    ("This file is not an image", _load(b"Dear student, this is not a picture.")),
    ("The image file is damaged", _load(_noise_png()[:600])),
    ("The image has {claimed}", _load(_png(size=(600, 400)), max_pixels=1000)),
    ("The image has {claimed}", _load(_png(size=(1500, 1000)), max_pixels=1_200_000)),
    ("A working size of {size:,} pixels", _load(_png(), size=5000, max_pixels=10**6)),
    ("The image is {width:,} × {height:,} pixels; the app accepts", _load(_png("L", (1, 70_000)))),
    ("There is no sample image", lambda: samples.load_sample("nope")),
    # the chain-rule page: parsing.
    ("Type an expression", _graph("  ")),
    ("The expression has {length} characters", _graph("x" + " + x" * 60)),
    ("This is not a valid expression: {reason}.", _graph("x +")),
    ("This is not a valid expression: {reason}.", _graph("x\x00")),
    ("This is not a valid expression (near character {offset})", _graph("x y")),
    ("This is not a valid expression (near character {offset})", _graph("f(x y)")),
    ("This is not a valid expression (near character {offset})", _graph("(x")),
    ("This is not a valid expression (near character {offset})", _graph("x)")),
    ("This is not a valid expression (near character {offset})", _graph("(x]")),
    ("This is not a valid expression (near character {offset})", _graph("2x")),
    ("This is not a valid expression (near character {offset})", _graph("x ∑ y")),
    ("The expression needs more than {limit} nodes", _graph("-" * (MAX_NODES + 1) + "x")),
    *[
        ("{what} cannot be used here", _graph(text))
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
            "(yield)",
            "(yield from x)",
            "[x]",
            "(x, y)",
            "{1: x}",
            "{x}",
            "await x",
        )
    ],
    ("The operator {symbol} is not allowed: {allowed}", _graph("x % 2")),
    ("The operator {symbol} is not allowed: {allowed}", _graph("~x")),
    ("The operator {symbol} is not allowed (for a power write **)", _graph("x ^ 2")),
    ("Only the functions {functions} can be called", _graph("x.exp(1)")),
    ("Unknown function {name!r}", _graph("sqrt(x)")),
    ("{name}(...) takes plain arguments", _graph("exp(x=1)")),
    ("{name} takes exactly one argument", _graph("exp(x, y)")),
    ("{name} takes two or more arguments", _graph("max(x)")),
    ("{name} is a function", _graph("exp + 1")),
    ("{name!r} cannot be a variable", _graph("_x + 1")),
    (
        "The expression has more than {limit} variables.",
        _graph(" + ".join(f"v{i}" for i in range(MAX_VARIABLES + 1))),
    ),
    ("{value!r} is not a number", _graph("'a' + x")),
    ("A number in the expression is too large.", _graph("x * 1e999")),
    # the chain-rule page: computing.
    ("Cannot compute {text} at these values", _graph("1 / (x - y)", x=1.0, y=1.0)),
    ("Cannot compute {text} at these values", _graph("x ** 100", x=2.0)),
    ("Cannot compute {text} at these values", _graph("x ** -1", x=0.0)),
    ("Cannot compute {text} at these values", _graph("x ** 0.5", x=-4.0)),
    ("Cannot compute {text} at these values", _graph("x ** 0.5", x=0.0)),
    ("Cannot compute {text} at these values", _graph("log(x)", x=-2.0)),
    ("Cannot compute {text}: a variable exponent", _graph("x ** y", x=-2.0, y=2.0)),
    ("Cannot compute {text}: the numbers get too large", _graph("exp(x)", x=1000.0)),
    ("Cannot compute {text}: the numbers get too large", _graph("x * 1e308 * 10", x=1.0)),
    ("Give the variable {name} a value.", _graph("x + y", x=1.0)),
    ("The value of {name} must be a finite number.", _graph("x + 1", x=float("nan"))),
    # engine/trace.py and the backward page's engine: the animated region, the loss, the check, descent.
    ("The chosen region has no output cells", lambda: check_region((3, 3, 0, 4), (8, 8))),
    ("The chosen region has {cells} cells", lambda: check_region((0, 30, 0, 30), (40, 40), max_steps=400)),
    ("The loss must be one of {choices}", lambda: check_loss(LossSpec("hinge"), (1, 4, 4))),
    (
        "The target map must have the output's shape",
        lambda: check_loss(LossSpec("mse", np.zeros((1, 3, 4))), (1, 4, 4)),
    ),
    ("The one-hot loss needs an output cell", lambda: check_loss(LossSpec("impulse"), (1, 4, 4))),
    (
        "The output cell (kernel {kernel}, row {i}, column {j}) is outside",
        lambda: check_loss(LossSpec("impulse", cell=(0, 9, 0)), (1, 4, 4)),
    ),
    ("The step ε must be positive", lambda: _small_check(eps=0.0)),
    ("The learning rate η must be positive", lambda: _small_descent(lr=-1.0, steps=3)),
    ("The number of steps cannot be negative", lambda: _small_descent(lr=0.1, steps=-1)),
]


def _raised(call: Callable[[], object]) -> EngineError:
    with pytest.raises(EngineError) as caught:
        call()
    return caught.value


def _templates_inside(value: object) -> set[str]:
    """The templates of an error and of every Phrase or error in its fields, all the way down."""
    if not isinstance(value, (EngineError, Phrase)):
        return set()
    return {value.template}.union(*(_templates_inside(field) for field in value.fields.values()))


# --- the templates in the source -------------------------------------------------------------------------


def test_every_template_is_a_literal_where_the_error_is_made() -> None:
    # A template chosen at run time (a variable, an f-string, a table lookup) is one no scan can read, so
    # its translation could be missing unseen: choose among several by writing each call out.
    calls = _engine_calls()
    assert len(calls) > 100 and len(engine_templates()) > 100  # the scan sees the raise sites
    assert [where for where, template in calls if template is None] == []


def test_the_scan_reads_literals_and_refuses_anything_else() -> None:
    source = """
class ImageLoadError(EngineError): ...
raise EngineError("The stride must be at least 1 "
                  "(it is {stride}).", stride=s)
words = errors.Phrase("height")
raise ImageLoadError(f"The file {name} is empty.")
raise EngineError(TEMPLATES[kind], n=n)
"""
    tree = ast.parse(source)
    assert _template_calls(tree, _error_classes([tree])) == [
        (3, "The stride must be at least 1 (it is {stride})."),
        (5, "height"),
        (6, None),
        (7, None),
    ]


def test_the_engine_tests_need_no_app() -> None:
    # The engine is tested as a student uses it in a notebook: without the app's ui package.
    importers = []
    for path in sorted(TESTS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            importers += [f"{path.name}: {m}" for m in modules if m == "ui" or m.startswith("ui.")]
    assert importers == []


# --- the raise sites -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "call"), CASES, ids=[f"{k}-{start[:40]}" for k, (start, _) in enumerate(CASES)]
)
def test_bad_input_raises_its_template(start: str, call: Callable[[], object]) -> None:
    err = _raised(call)
    assert err.template == _template(start)
    assert isinstance(err, ValueError)  # callers that catch ValueError keep working
    assert str(err) == err.template.format(**err.fields)
    assert set(_fields(err.template)) == set(err.fields)  # every field given, none left over
    assert "{" not in str(err) and "Phrase(" not in str(err)


# Templates whose raise sites need a broken Pillow, a missing file or no memory (see the tests below).
_MONKEYPATCHED_FAILURES = (
    "The image file could not be read",
    "The image is too large for the memory",
    "The image uses a colour mode",
    "The image uses a transparent colour mode",
    "The sample file {filename} is missing",
    "far too many pixels",
    "this kind of expression",
)


def test_every_template_is_used_by_some_raise_site() -> None:
    used = set().union(*(_templates_inside(_raised(call)) for _, call in CASES))
    used |= {_template(start) for start in _MONKEYPATCHED_FAILURES}
    assert engine_templates() - used == set()


def test_a_syntax_node_the_app_has_no_name_for(monkeypatch: pytest.MonkeyPatch) -> None:
    # A construct a newer Python may add: said in words, never by its class name.
    monkeypatch.setattr(expression, "_REFUSED_NAMES", {})
    err = _raised(_graph("x.real"))
    assert err.template == "{what} cannot be used here: {allowed}"
    assert err.fields["what"] == Phrase("this kind of expression")
    assert "Attribute" not in str(err)


def test_an_unreadable_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_load(self):
        raise SyntaxError("broken")

    monkeypatch.setattr(ImageFile.ImageFile, "load", broken_load)
    assert _raised(_load(_png())).template == _template("The image file could not be read")


def test_no_memory_for_the_image(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory(*args):
        raise MemoryError

    monkeypatch.setattr(images, "_decode", no_memory)
    assert _raised(_load(_png())).template == _template("The image is too large for the memory")


@pytest.mark.parametrize(
    ("mode", "start"),
    [("P", "The image uses a colour mode"), ("RGBA", "The image uses a transparent colour mode")],
)
def test_a_colour_mode_pillow_cannot_convert(monkeypatch: pytest.MonkeyPatch, mode: str, start: str) -> None:
    data = _png(mode)

    def refuse(self, *args, **kwargs):
        raise ValueError("conversion not supported")

    monkeypatch.setattr(Image.Image, "convert", refuse)
    err = _raised(_load(data))
    assert (err.template, err.fields) == (_template(start), {"mode": mode})


def test_a_missing_sample_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    samples._sample_bytes.cache_clear()
    monkeypatch.setattr(samples, "ASSETS_DIR", tmp_path)
    try:
        err = _raised(lambda: samples.load_sample("astronaut"))
        assert err.template == _template("The sample file {filename} is missing")
    finally:
        samples._sample_bytes.cache_clear()


def test_pillows_own_pixel_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    err = _raised(_load(_png(size=(20, 10)), max_pixels=10**9))
    assert err.template == _template("The image has {claimed}")
    assert err.fields == {"claimed": Phrase("far too many pixels"), "limit": Phrase("{n:,}", n=100)}
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
    assert err.fields["axis"] == Phrase("width")
    assert err.fields["reason"].template == _template("The kernel covers {span} cells")
    preset = _raised(lambda: kernel_preset("laplacian", 4)).fields["title"]
    assert preset == Named("preset", "laplacian", "Laplacian edge") and f"{preset}" == "Laplacian edge"


# --- the error classes -----------------------------------------------------------------------------------


def test_image_load_error_is_an_engine_error() -> None:
    err = _raised(_load(b""))
    assert type(err) is images.ImageLoadError and isinstance(err, EngineError)


def test_an_error_survives_pickling() -> None:
    err = _raised(_conv(w_shape=(1, 1, 5, 3)))
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.template, str(again)) == (EngineError, err.template, str(err))
    assert again.fields["axis"] == err.fields["axis"]
    assert str(again.fields["reason"]) == str(err.fields["reason"])
    image_error = pickle.loads(pickle.dumps(_raised(_load(b""))))
    assert type(image_error) is images.ImageLoadError
    # A sentence holding braces (the bracket the student left open) comes back the same.
    braces = _raised(_graph("{x"))
    assert (
        str(pickle.loads(pickle.dumps(braces)))
        == str(braces)
        == ("This is not a valid expression (near character 1): '{' was never closed.")
    )


def test_a_missing_field_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="stride"):
        EngineError("The stride must be at least 1 (it is {stride}).")
    with pytest.raises(KeyError, match="n"):
        Phrase("{n:.3g} MB")


def test_engine_error_is_public() -> None:
    assert engine.EngineError is EngineError
