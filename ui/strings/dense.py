"""Strings of the fully connected layer page (pages/dense.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "dense.intro": {
        "en": "A small fully connected network: every unit of a layer is connected to every unit of the "
        "layer before it. Choose the layers, type any number into the grids, and follow the forward pass, "
        "the **δ of every layer** (computed backwards from the loss), the gradients and one step of gradient "
        "descent. Colours: blue negative, white zero, red positive."
    },
    "dense.preset": {"en": "Start from"},
    "dense.preset.classic": {"en": "Classic 2-2-2 sigmoid example"},
    "dense.preset.random": {"en": "Random numbers"},
    "dense.preset_help": {
        "en": "The classic example has inputs 0.05, 0.10, targets 0.01, 0.99 and its loss ½Σ(y − t)² is "
        "0.298371109. Random numbers fit any architecture you choose."
    },
    "dense.layers": {"en": "Layers"},
    "dense.layers_help": {"en": "Number of layers with weights (hidden layers + the output layer)."},
    "dense.batch": {"en": "Examples N"},
    "dense.batch_help": {"en": "Examples in the batch: the gradients are averaged over them."},
    "dense.seed": {"en": "Random seed"},
    "dense.seed_help": {"en": "Changing the seed draws new random numbers for every grid."},
    "dense.lr": {"en": "Learning rate η"},
    "dense.lr_help": {"en": "The step of gradient descent: W := W − η ∂L/∂W."},
    "dense.inputs": {"en": "Inputs n₀"},
    "dense.units": {"en": "Units of layer {l}"},
    "dense.units_help": {"en": "From 1 to 8 (0 shows what happens with an empty layer)."},
    "dense.activation": {"en": "Activation f{l}"},
    "dense.act.identity": {"en": "identity"},
    "dense.act.relu": {"en": "ReLU"},
    "dense.act.leaky_relu": {"en": "leaky ReLU"},
    "dense.act.sigmoid": {"en": "sigmoid"},
    "dense.act.tanh": {"en": "tanh"},
    "dense.numbers": {"en": "Numbers: inputs, targets, weights and biases (click a cell to edit it)"},
    "dense.example": {"en": "example {n}"},
    "dense.grid.xt": {"en": "**Inputs x and targets t**: one row per example"},
    "dense.grid.wb": {
        "en": "**Layer {l}: W{l} ({rows} × {cols}) and b{l}**. Row i: the weights into unit i, one per unit "
        "of the layer before, then its bias"
    },
    "dense.kept": {"en": "The results below are those of the last numbers that worked."},
    "dense.loss": {"en": "Loss L"},
    "dense.loss_help": {"en": "L = Σ (y − t)² / (2N): for one example this is ½ Σ (y − t)²."},
    "dense.new_loss": {"en": "Loss after one step"},
    "dense.check": {"en": "Gradient check (largest relative error)"},
    "dense.check_help": {
        "en": "Every gradient compared with a numerical derivative of the loss (central differences): "
        "1e-7 or less means they agree."
    },
    "dense.convention": {
        "en": "Loss convention: L = Σ (y − t)² / (2N) over the N examples (engine.losses.mse_loss). For one "
        "example it is ½ Σ (y − t)²; with more, every δ below carries the factor 1/N."
    },
    "dense.show": {"en": "Show on the diagram"},
    "dense.show.forward": {"en": "forward: activations a and weights w"},
    "dense.show.backward": {"en": "backward: δ = ∂L/∂z and ∂L/∂w"},
    "dense.shown": {"en": "Example shown"},
    "dense.layer.input": {"en": "inputs"},
    "dense.layer": {"en": "layer {l} ({f})"},
    "dense.diagram.forward": {
        "en": "Forward pass, example {n}: activations on the units, weights on the edges"
    },
    "dense.diagram.backward": {
        "en": "Backward pass, example {n}: δ on the units, ∂L/∂w (whole batch) on the edges"
    },
    "dense.diagram.value": {"en": "value"},
    "dense.diagram.gradient": {"en": "gradient"},
    "dense.diagram_alt": {
        "en": "Diagram of a fully connected network with {L} layers: units as circles coloured by their "
        "value, edges coloured and thickened by their weight."
    },
    "dense.tab.forward": {"en": "Forward pass"},
    "dense.tab.delta": {"en": "δ of every layer"},
    "dense.tab.gradients": {"en": "Gradients and update"},
    "dense.tab.shapes": {"en": "Shapes"},
    "dense.tab.check": {"en": "Gradient check"},
    "dense.forward_text": {
        "en": "Each layer multiplies the previous activations by its weights, adds its biases and applies "
        "its activation function (example {n}, as columns):"
    },
    "dense.delta_text": {
        "en": "δ = ∂L/∂z is computed from the output layer backwards: the output layer starts from the loss, "
        "every hidden layer takes the δ of the layer above, sends it back through the transposed weights "
        "and multiplies by its own f′(z) (example {n}):"
    },
    "dense.gradient_text": {
        "en": "With the batch in rows (Δ: one δ per row, A: one activation per row), each gradient collects "
        "all examples; then one step of gradient descent moves every parameter against its gradient:"
    },
    "dense.panel.w": {"en": "W{l}"},
    "dense.panel.dw": {"en": "∂L/∂W{l}"},
    "dense.panel.new_w": {"en": "W{l} after the step"},
    "dense.panel_alt": {"en": "Heatmaps of W{l}, its gradient and its value after one step, with numbers."},
    "dense.shapes_text": {
        "en": "Every gradient has exactly the shape of the quantity it belongs to: a quick check of any "
        "backward pass."
    },
    "dense.table.parameter": {"en": "quantity"},
    "dense.table.shape": {"en": "shape"},
    "dense.table.gradient": {"en": "gradient"},
    "dense.table.gradient_shape": {"en": "gradient's shape"},
    "dense.table.same": {"en": "same shape"},
    "dense.table.error": {"en": "relative error"},
    "dense.table.verdict": {"en": "agrees (≤ 1e-7)"},
    "dense.check_text": {
        "en": "Each weight and bias is nudged by ±ε and the loss recomputed: the slope must match the "
        "backpropagated gradient (Richardson extrapolation of central differences, so ε can be 1e-4)."
    },
    "dense.check_formula": {
        "en": r"\frac{\partial L}{\partial \theta} \approx \frac{L(\theta + \varepsilon) - L(\theta - "
        r"\varepsilon)}{2\varepsilon}, \qquad \text{relative error} = \frac{|a - n|}{|a| + |n|}"
    },
    "dense.source": {"en": "The engine's code behind these numbers"},
}
