"""Errors a user can cause, each with a stable message id, so an app can say them in any language.

An `EngineError` is a ValueError with a `code` ("geometry.kernel_too_big") and the `fields` its sentence
needs ({"span": 5, "k": 3, ...}); `str(err)` is the English sentence, `MESSAGES[code].format(**fields)`.
The engine knows no other language: an app looks the code up in its own table and fills in the same
fields. A field can itself be words, which the app translates too:

- a `Phrase`: a code of MESSAGES with its own fields: an axis name ("height"), a unit ("12.3 MB"), or the
  reason another sentence wraps ("Along the height: <reason>");
- a `Named` thing the app already has a name for, such as a kernel preset ("Sobel x").

MESSAGES is the one place the English text is written.

    >>> err = EngineError("geometry.stride_below_one", stride=0)
    >>> str(err), err.code, err.fields
    ('The stride must be at least 1 (it is 0).', 'geometry.stride_below_one', {'stride': 0})
"""

from __future__ import annotations

from typing import NamedTuple

# Message id -> English template (str.format fields). Ids are "<engine module>.<what went wrong>";
# "term.*" and "unit.*" are words used inside other sentences.
MESSAGES: dict[str, str] = {
    # Words used inside other sentences.
    "term.height": "height",
    "term.width": "width",
    "term.stride": "stride",
    "term.dilation": "dilation",
    "term.padding": "padding",
    "term.window_size": "window size",
    "term.input": "input",
    "term.weights": "weights",
    "term.biases": "biases",
    "unit.bytes": "{n} bytes",
    "unit.kilobytes": "{n:.3g} KB",
    "unit.megabytes": "{n:.3g} MB",
    "unit.count": "{n:,}",
    "unit.millions": "{n:.3g} million",
    # engine/geometry.py: stride, padding, dilation and the output size.
    "geometry.not_pair": "The {name} must be a whole number or a (height, width) pair of whole numbers, "
    "not {value!r}.",
    "geometry.padding_word": 'The padding must be a number, "same" or "valid", not "{padding}".',
    "geometry.padding_negative": "The padding cannot be negative.",
    "geometry.stride_below_one": "The stride must be at least 1 (it is {stride}).",
    "geometry.dilation_below_one": "The dilation must be at least 1 (it is {dilation}); "
    "1 means no gaps between taps.",
    "geometry.kernel_below_one": "The kernel size must be at least 1 (it is {k}).",
    "geometry.kernel_too_big": "The kernel covers {span} cells (size {k}, dilation {dilation}) but the "
    "padded input has only {padded} ({n} + {before} + {after}): use a smaller kernel or dilation, or more "
    "padding.",
    "geometry.along_axis": "Along the {axis}: {reason}",
    "geometry.pad_mode_unknown": "The padding mode must be one of {modes}, not {pad_mode!r}.",
    "geometry.reflect_too_wide": "Reflect padding of {widest} needs an input {axis} of more than {widest} "
    "(it is {n}): a mirror copies the cells next to the border, so there must be that many to copy.",
    "geometry.circular_too_wide": "Circular padding of {widest} needs an input {axis} of at least {widest} "
    "(it is {n}).",
    # engine/pool.py.
    "pool.mode_unknown": 'The pooling mode must be "max" or "avg", not {mode!r}.',
    "pool.window_below_one": "The window {axis} must be at least 1 (it is {K}).",
    "pool.stride_below_one": "The stride must be at least 1 (it is {s} along the {axis}).",
    "pool.padding_over_half": "The padding ({p}) can be at most half the window {axis} ({K} // 2 = {half}), "
    "so that every window holds at least one input cell: use less padding or a bigger window.",
    "pool.window_too_big": "The window {axis} ({K}) is bigger than the padded input {axis} "
    "({n} + 2·{p} = {padded}): use a smaller window or a bigger image.",
    # engine/activations.py.
    "activations.unknown": "The activation must be one of {choices}, not {kind!r}.",
    # engine/dense.py.
    "dense.input_not_2d": "The input must be 2-D (examples, features); its shape is {shape}.",
    "dense.weights_not_2d": "The weights must be 2-D (outputs, inputs); their shape is {shape}.",
    "dense.biases_not_1d": "The biases must be 1-D (one per output); their shape is {shape}.",
    "dense.features_mismatch": "Each example has {features} features but the weights expect {inputs} inputs "
    "(weights {shape} = (outputs, inputs)).",
    "dense.biases_mismatch": "The layer has {outputs} outputs but {biases} biases: give one per output.",
    # engine/losses.py.
    "losses.shape_mismatch": "Predictions {y_shape} and targets {t_shape} must have the same shape.",
    "losses.empty_batch": "The loss needs a batch of at least one example (the first axis).",
    "losses.logits_not_2d": "The logits must be 2-D (examples, classes); their shape is {shape}.",
    "losses.logits_empty": "The loss needs at least one example and one class; the logits are {shape}.",
    "losses.label_count": "There are {N} rows of logits but {labels} labels: give one per row.",
    "losses.labels_not_1d": "The labels must be 1-D (one class index per example), not {shape}.",
    "losses.labels_not_integers": "The labels must be whole class indices, not {dtype} values.",
    "losses.label_range": "Each label must be a class index from 0 to {top}; these go from {low} to {high}.",
    # engine/norm.py.
    "norm.input_axes": "Batch norm expects (batch, channels, height, width) or (batch, features), "
    "not {shape}.",
    "norm.parameter_shape": "{name} must hold one number per channel, shape ({C},), not {shape}.",
    "norm.empty_batch": "Batch norm needs a batch of at least one example.",
    "norm.split_copies": "A split makes a whole number of copies, at least 1 (not {copies!r}).",
    "norm.concat_empty": "Concatenation needs at least one input.",
    "norm.concat_axis": "The inputs have {ndim} axes, so the axis must be {low}…{high}, not {axis}.",
    "norm.concat_shapes": "Input {i} has shape {shape} but input 0 has {first}: all inputs must match on "
    "every axis except axis {axis}, the one they are stacked along.",
    # engine/network.py.
    "network.layer": "Layer {l}: {reason}",
    "network.lr_not_finite": "The learning rate must be a finite number.",
    "network.targets_shape": "The targets must have one row per example and one column per output unit, "
    "shape {expected}, not {shape}.",
    "network.targets_not_numbers": "Every target must be a number: a cell of the targets is empty or not a "
    "number.",
    "network.no_layers": "The network needs at least one layer.",
    "network.layer_parts": "Give each of the {L} layers its weights, its biases and its activation.",
    "network.input_empty": "The input needs at least one example and one feature; its shape is {shape}.",
    "network.not_numbers": "Every {name} entry must be a number: a cell is empty or not a number.",
    "network.layer_no_units": "Layer {l} has no units: every layer needs at least one.",
    "network.sizes": "Every layer needs at least one unit and the batch at least one example.",
    # engine/model.py.
    "model.kernel_count": "A conv block has between 1 and {limit} kernels.",
    "model.kernel_size": "The kernel size must be one of {sizes}.",
    "model.activation": "The activation must be one of {choices}.",
    "model.pool": "The pooling must be one of {choices}.",
    "model.classes": "A classifier needs at least two classes.",
    "model.image_too_small": "A {H} × {W} image is too small for {blocks} pooling step(s), which each halve "
    "its size.",
    "model.sgd": "The learning rate must be positive and the momentum in [0, 1).",
    "model.input_shape": "The network takes images of shape (N, {shape}), not {got}.",
    # engine/data.py.
    "data.digits_missing": "The digits file {path} is missing or damaged; run scripts/export_digits.py to "
    "make it.",
    "data.bars": "The bars need at least one training and one held-out image, and noise ≥ 0.",
    "data.unknown": "The data set must be one of {choices}, not {name!r}.",
    "data.image_shape": "The image must be one grayscale channel (1, H, W) or (H, W), not {shape}.",
    # engine/training.py.
    "training.lr": "The learning rate must be positive.",
    "training.momentum": "The momentum must be at least 0 and below 1.",
    "training.batch_size": "The batch size must be between 1 and {limit}.",
    "training.epochs": "The number of epochs must be between 1 and {limit}.",
    "training.data_mismatch": "The network expects {classes} classes of images {shape}; the data set has "
    "{data_classes} classes of images {data_shape}.",
    # engine/presets.py.
    "presets.size": "The {title} kernel comes in sizes {sizes}; {size!r} is not one of them.",
    "presets.random_shape": "A kernel needs at least one axis and every size at least 1, not {shape}.",
    "presets.unknown": "There is no kernel preset {name!r}; the presets are {choices}.",
    # engine/images.py.
    "images.formats": "PNG, JPEG, GIF, BMP, WEBP or TIFF",
    "images.damaged": "The image file is damaged or incomplete (perhaps cut off while copying); save it "
    "again and upload it.",
    "images.unreadable": "The image file could not be read; save it again as PNG or JPEG and upload the new "
    "file.",
    "images.out_of_memory": "The image is too large for the memory available; upload a smaller one.",
    "images.sample_unknown": "There is no sample image called {name!r}; choose one of: {names}.",
    "images.sample_missing": "The sample file {filename} is missing from the assets folder; run "
    "scripts/make_samples.py.",
    "images.size_argument": "The image size must be a whole number of pixels of at least 1, not {size!r}.",
    "images.not_bytes": "An image must be given as the file's bytes (for example Path(...).read_bytes()), "
    "not as {kind}.",
    "images.empty": "The file is empty; choose an image file ({formats}).",
    "images.file_too_big": "The file ({size}) is over the {limit} limit; upload a smaller or more "
    "compressed image.",
    "images.not_an_image": "This file is not an image the app can read; upload a {formats} file.",
    "images.pixels": "{width:,} × {height:,} pixels",
    "images.far_too_many_pixels": "far too many pixels",
    "images.too_many_pixels": "The image has {claimed}, more than the {limit} the app accepts; shrink it "
    "and upload it again.",
    "images.working_size_too_big": "A working size of {size:,} pixels would make the image {width:,} × "
    "{height:,} pixels, more than the {limit} the app accepts; choose a smaller size.",
    "images.colour_mode": "The image uses a colour mode ({mode}) the app cannot convert; save it as an "
    "ordinary RGB or grayscale PNG or JPEG.",
    "images.transparent_mode": "The image uses a transparent colour mode ({mode}) the app cannot convert; "
    "save it as an ordinary RGBA or RGB PNG.",
    # engine/graph.py: the expression parser and the forward pass of a typed expression.
    "graph.empty": "Type an expression, for example (x + y) * z.",
    "graph.too_long": "The expression has {length} characters; the limit is {limit}.",
    "graph.syntax": "This is not a valid expression: {reason}.",
    "graph.syntax_at": "This is not a valid expression (near character {offset}): {reason}.",
    "graph.syntax.invalid": "invalid syntax",
    "graph.syntax.comma": "invalid syntax. Perhaps you forgot a comma?",
    "graph.syntax.never_closed": "'{bracket}' was never closed",
    "graph.syntax.unmatched": "unmatched '{bracket}'",
    "graph.syntax.mismatched": "closing parenthesis '{closing}' does not match opening parenthesis "
    "'{opening}'",
    "graph.syntax.bad_number": "invalid decimal literal",
    "graph.syntax.bad_character": "invalid character '{character}' (U+{codepoint})",
    "graph.too_many_nodes": "The expression needs more than {limit} nodes; make it shorter.",
    "graph.allowed": "use numbers, variable names, + − * / **, and the functions {functions}.",
    "graph.refused": "{what} cannot be used here: {allowed}",
    "graph.construct.attribute": "attribute access (a.b)",
    "graph.construct.indexing": "indexing (a[i])",
    "graph.construct.lambda": "lambda",
    "graph.construct.comprehensions": "comprehensions",
    "graph.construct.f_strings": "f-strings",
    "graph.construct.comparisons": "comparisons",
    "graph.construct.and_or": "and/or",
    "graph.construct.if_else": "if/else",
    "graph.construct.lists": "lists",
    "graph.construct.tuples": "tuples",
    "graph.construct.dictionaries": "dictionaries",
    "graph.construct.sets": "sets",
    "graph.operator": "The operator {symbol} is not allowed: {allowed}",
    "graph.operator_caret": "The operator {symbol} is not allowed (for a power write **): {allowed}",
    "graph.call_by_name": "Only the functions {functions} can be called, by their names.",
    "graph.unknown_function": "Unknown function {name!r}: the functions are {functions}.",
    "graph.plain_arguments": "{name}(...) takes plain arguments, without names or *.",
    "graph.one_argument": "{name} takes exactly one argument, not {count}.",
    "graph.two_arguments": "{name} takes two or more arguments, not {count}.",
    "graph.call_function": "{name} is a function: call it, as in {name}(x).",
    "graph.bad_variable": "{name!r} cannot be a variable: a variable name starts with a letter.",
    "graph.too_many_variables": "The expression has more than {limit} variables.",
    "graph.not_a_number": "{value!r} is not a number: {allowed}",
    "graph.number_too_large": "A number in the expression is too large.",
    "graph.cannot_compute": "Cannot compute {text} at these values: {reason}.",
    "graph.variable_exponent": "Cannot compute {text}: a variable exponent needs a positive base.",
    "graph.overflow": "Cannot compute {text}: the numbers get too large for a float (overflow).",
    "graph.missing_value": "Give the variable {name} a value.",
    "graph.value_not_finite": "The value of {name} must be a finite number.",
    "graph.reason.divide_by_zero": "it divides by zero",
    "graph.reason.exponent_limit": "the exponent {b:g} is beyond ±{limit:g}, the limit here",
    "graph.reason.zero_negative_power": "0 to a negative power divides by zero",
    "graph.reason.fractional_power": "a negative number to a fractional power is not a real number",
    "graph.reason.infinite_derivative": "the derivative of a**{b:g} is infinite at a = 0",
    "graph.reason.log_domain": "log needs a positive number, and {a:g} is not",
    # engine/trace.py, and the backward page's engine (layer_loss.py, layer_check.py, descent.py): its ids
    # keep the prefix of engine/backward_views.py, where they were raised first (apps' tables use them).
    "trace.region_empty": "The chosen region has no output cells: pick rows and columns inside the output.",
    "trace.region_too_big": "The chosen region has {cells} cells; at most {limit} animate.",
    "backward_views.loss_unknown": "The loss must be one of {choices}, not {kind!r}.",
    "backward_views.target_shape": "The target map must have the output's shape {shape}, not {got}.",
    "backward_views.impulse_cell": "The one-hot loss needs an output cell (kernel, row, column).",
    "backward_views.cell_outside": "The output cell (kernel {kernel}, row {i}, column {j}) is outside the "
    "output ({F} kernel(s) of {H_out}×{W_out}): pick a cell inside it.",
    "backward_views.eps": "The step ε must be positive (it is {eps}).",
    "backward_views.lr": "The learning rate η must be positive (it is {lr}).",
    "backward_views.steps": "The number of steps cannot be negative (it is {steps}).",
}


def english(code: str, fields: dict[str, object]) -> str:
    """The English sentence of a message id with its fields filled in (Phrase and Named fields as words)."""
    try:
        template = MESSAGES[code]
    except KeyError:
        raise KeyError(f"No English text for the message id {code!r} in engine/errors.py.") from None
    return template.format(**fields)


class Phrase:
    """Words inside an error sentence: a message id of MESSAGES and its fields; str() is the English."""

    __slots__ = ("code", "fields")

    def __init__(self, code: str, /, **fields: object) -> None:
        if code not in MESSAGES:
            raise KeyError(f"No English text for the message id {code!r} in engine/errors.py.")
        self.code = code
        self.fields = fields

    def __str__(self) -> str:
        return english(self.code, self.fields)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({self.code!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.code, self.fields) == (other.code, other.fields)

    __hash__ = None  # type: ignore[assignment]  # fields is a dict: not hashable


class Named(NamedTuple):
    """Something with a name of its own inside an error sentence (a kernel preset): str() is the English.

    An app shows its own name for it, found by `kind` and `id` (e.g. "preset", "sobel_x").
    """

    kind: str
    id: str
    text: str

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


class EngineError(ValueError):
    """A bad input, said as a sentence: `code` names the sentence, `fields` holds its numbers and names.

    Args:
        code: a message id of MESSAGES, e.g. "geometry.kernel_too_big".
        **fields: the values of the template's fields (numbers, shapes, names, Phrase or Named words,
            or another EngineError whose sentence this one wraps).
    """

    def __init__(self, code: str, /, **fields: object) -> None:
        super().__init__(english(code, fields))
        self.code = code
        self.fields = fields

    def __reduce__(self):
        # The default pickling would call EngineError(<English sentence>), which is not a message id.
        return _rebuild, (type(self), self.code, self.fields)


def _rebuild(cls: type[EngineError], code: str, fields: dict[str, object]) -> EngineError:
    return cls(code, **fields)
