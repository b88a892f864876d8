"""Strings of the training page (pages/train.py, ui/train_view.py): ids "train.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "train.intro": {
        "en": "The payoff: the **same forward and backward passes** as on the other pages, chained into a "
        "small network, **learn**. Each mini-batch goes forward through conv → activation → pool → dense → "
        "softmax, the loss's gradient flows back through every layer, and SGD with momentum nudges every "
        "weight downhill. Press **Train** and watch the loss fall and the kernels take shape."
    },
    # Settings
    "train.settings": {"en": "⚙️ Network and training settings"},
    "train.dataset": {"en": "Data set"},
    "train.dataset.digits": {"en": "Handwritten digits 8 × 8"},
    "train.dataset.bars": {"en": "Bars 16 × 16 (synthetic)"},
    "train.dataset_help": {
        "en": "Digits: 1,797 handwritten digits (UCI), 1,437 to train on and 360 held out. Bars: a bar in "
        "one of four directions, generated here; the kernels learn to see directions."
    },
    "train.kernels": {"en": "Kernels (conv 1)"},
    "train.kernel_size": {"en": "Kernel size K × K"},
    "train.activation": {"en": "Activation"},
    "train.activation.identity": {"en": "None (identity)"},
    "train.activation.relu": {"en": "ReLU"},
    "train.activation.leaky_relu": {"en": "Leaky ReLU"},
    "train.activation.sigmoid": {"en": "Sigmoid"},
    "train.activation.tanh": {"en": "tanh"},
    "train.pool": {"en": "Pooling 2 × 2"},
    "train.pool.max": {"en": "Max"},
    "train.pool.avg": {"en": "Average"},
    "train.second": {"en": "Second conv block"},
    "train.second_help": {"en": "Add conv → activation → pool again before the dense layer."},
    "train.kernels2": {"en": "Kernels (conv 2)"},
    "train.lr": {"en": "Learning rate η"},
    "train.lr_help": {"en": "How far each step moves the weights along the negative gradient."},
    "train.momentum": {"en": "Momentum μ"},
    "train.momentum_help": {
        "en": "v ← μ·v + g, θ ← θ − η·v: past gradients keep pushing, so steps along a steady direction "
        "grow up to 1 / (1 − μ) times."
    },
    "train.batch": {"en": "Batch size"},
    "train.epochs": {"en": "Epochs"},
    "train.seed": {"en": "Seed"},
    "train.seed_help": {"en": "The same seed gives the same starting weights and batch order: the same run."},
    "train.architecture": {"en": "The network: {layers}"},
    "train.layer.input": {"en": "input {shape}"},
    "train.layer.conv": {"en": "conv {F} @ {K}×{K} → {act}"},
    "train.layer.pool": {"en": "{mode} pool → {shape}"},
    "train.layer.dense": {"en": "dense {D} → {classes}"},
    "train.layer.softmax": {"en": "softmax"},
    "train.parameters": {"en": "{count:,} parameters."},
    # Controls of the run
    "train.start": {"en": "▶ Train"},
    "train.restart": {"en": "↺ Train again"},
    "train.start_help": {"en": "Start a new run from fresh random weights with the settings above."},
    "train.stop": {"en": "⏸ Stop"},
    "train.resume": {"en": "▶ Resume"},
    "train.changed": {
        "en": "The settings changed since this run started: the figures show the run as it was trained. "
        "Press **Train again** to train with the new settings."
    },
    "train.progress": {
        "en": "Epoch {epoch} / {epochs} · batch {batch} / {batches} · held-out accuracy {acc}"
    },
    "train.progress_ready": {"en": "Not trained yet: held-out accuracy {acc} (chance: {chance})"},
    "train.progress_done": {"en": "Done: {epochs} epoch(s), held-out accuracy {acc}"},
    "train.status.running": {"en": "Training… the figures update a few times per epoch."},
    "train.status.paused": {"en": "Paused. Resume to continue where it stopped."},
    "train.step_time": {
        "en": "Last step: {batches} mini-batches of {B} images, then the loss and accuracy of all {images:,} "
        "images, in {ms} ms."
    },
    # Live figures
    "train.live_header": {"en": "Training, live"},
    "train.fig.loss": {"en": "Loss (cross-entropy)"},
    "train.fig.accuracy": {"en": "Accuracy"},
    "train.fig.epoch": {"en": "epoch"},
    "train.fig.train": {"en": "training set"},
    "train.fig.test": {"en": "held-out set"},
    "train.fig.batch": {"en": "each mini-batch"},
    "train.curves_alt": {
        "en": "Loss and accuracy against epochs, for the training set and the held-out set."
    },
    "train.fig.kernels": {"en": "The kernels of conv 1, as they are now"},
    "train.fig.kernel": {"en": "kernel"},
    "train.fig.weight": {"en": "weight"},
    "train.kernels_alt": {
        "en": "The first conv layer's kernels as small heatmaps: red positive, blue negative."
    },
    "train.kernels_caption": {
        "en": "They start as random noise; training turns them into detectors of what tells the classes "
        "apart."
    },
    "train.fig.gradients": {"en": "Size of each layer's gradient"},
    "train.fig.rms": {"en": "RMS of ∂L/∂θ"},
    "train.fig.param.w": {"en": "{layer} weights"},
    "train.fig.param.b": {"en": "{layer} biases"},
    "train.gradients_alt": {
        "en": "The root-mean-square gradient of every layer's weights and biases at each mini-batch, "
        "on a log scale."
    },
    "train.gradients_caption": {
        "en": "How hard backprop pushes each layer: the root mean square of its gradient, averaged over an "
        "eighth of an epoch."
    },
    # Results
    "train.results_header": {"en": "Where the network goes wrong (held-out set)"},
    "train.results_none": {"en": "Train the network to see its confusion matrix and its mistakes here."},
    "train.results_running": {"en": "The confusion matrix and the mistakes appear when training stops."},
    "train.accuracy_metric": {"en": "Held-out accuracy"},
    "train.mistakes_metric": {"en": "Mistakes"},
    "train.fig.confusion": {"en": "Confusion matrix"},
    "train.fig.predicted": {"en": "predicted"},
    "train.fig.true": {"en": "true"},
    "train.fig.share": {"en": "share of the row"},
    "train.confusion_alt": {
        "en": "Confusion matrix of the held-out set: rows are true classes, columns predicted classes."
    },
    "train.fig.mistakes": {"en": "Mistakes: true → predicted (confidence)"},
    "train.mistakes_alt": {"en": "Held-out images the network got wrong, with true and predicted classes."},
    "train.no_mistakes": {"en": "No held-out image is misclassified."},
    # Try it
    "train.try_header": {"en": "Try the network on one image"},
    "train.try_untrained": {"en": "This network is untrained: its answers are guesses."},
    "train.try_running": {
        "en": "This shows the weights from when the page last redrew; it follows when training stops."
    },
    "train.source": {"en": "Image"},
    "train.source.held_out": {"en": "Held-out image"},
    "train.source.sample": {"en": "Sample image"},
    "train.source.upload": {"en": "Upload"},
    "train.index": {"en": "Held-out image number"},
    "train.sample": {"en": "Sample"},
    "train.upload": {"en": "An image of a digit (any size; it is converted to the network's input)"},
    "train.ink": {"en": "Ink"},
    "train.ink.auto": {"en": "Detect"},
    "train.ink.dark": {"en": "Dark on light"},
    "train.ink.light": {"en": "Light on dark"},
    "train.upload_too_big": {"en": "The file is over {limit} MB; upload a smaller image."},
    "train.convert_note": {
        "en": "Converted like the training digits: ink made bright, cropped to the ink and centred, drawn as "
        "a binary bitmap and each cell counting its inked pixels."
    },
    "train.prediction": {"en": "The network says **{label}** ({p:.0%} sure)."},
    "train.prediction_true": {
        "en": "The network says **{label}** ({p:.0%} sure); the true class is **{true}**."
    },
    "train.fig.probabilities": {"en": "Class probabilities (softmax)"},
    "train.fig.probability": {"en": "probability"},
    "train.probabilities_alt": {"en": "A bar per class: the probability the network gives it."},
    "train.fig.input": {"en": "Input"},
    "train.fig.activation": {"en": "conv {n} → activation: one map per kernel"},
    "train.fig.pooled": {"en": "pool {n}: each cell is its 2 × 2 window's {mode}"},
    "train.fig.value": {"en": "value"},
    "train.feature_alt": {"en": "The input and the feature maps of every layer for this image."},
    "train.mode.max": {"en": "maximum"},
    "train.mode.avg": {"en": "average"},
    # Classes of the bars set
    "train.class.horizontal": {"en": "horizontal"},
    "train.class.vertical": {"en": "vertical"},
    "train.class.diagonal_down": {"en": "diagonal ↘"},
    "train.class.diagonal_up": {"en": "diagonal ↗"},
    # Gradient check
    "train.gradcheck_header": {"en": "Gradient check of the whole network"},
    "train.gradcheck_intro": {
        "en": "Backprop's gradient of the loss, compared with central differences "
        "(L(θ + ε) − L(θ − ε)) / 2ε run through the whole network, on {n} held-out images and up to "
        "{m} entries of each parameter. Relative error ‖a − n‖ / (‖a‖ + ‖n‖): around 1e-7 or below is "
        "right, 1e-2 or above is a bug."
    },
    "train.gradcheck_run": {"en": "Run the check"},
    "train.gradcheck.param": {"en": "parameter"},
    "train.gradcheck.shape": {"en": "shape"},
    "train.gradcheck.entries": {"en": "entries checked"},
    "train.gradcheck.error": {"en": "relative error"},
    "train.gradcheck.verdict": {"en": "verdict"},
    "train.gradcheck.ok": {"en": "✓ matches"},
    "train.gradcheck.bad": {"en": "✗ differs"},
    "train.gradcheck_loss": {"en": "Loss on these images: {loss:.4f}."},
    "train.source_code": {
        "en": "The engine's code: the network's forward and backward pass, and the SGD step"
    },
}
