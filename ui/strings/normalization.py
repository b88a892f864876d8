"""Strings of the normalization, split and concatenation page (pages/normalization.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "normalization.intro": {
        "en": "Three layers a CNN uses besides convolution and pooling, each with its forward and backward "
        "pass on small arrays you can read number by number. Colours: blue negative, white zero, red "
        "positive."
    },
    "normalization.bn_header": {"en": "Batch normalization"},
    "normalization.N": {"en": "Examples N"},
    "normalization.C": {"en": "Channels C"},
    "normalization.H": {"en": "Height H"},
    "normalization.W": {"en": "Width W"},
    "normalization.seed": {"en": "Random seed"},
    "normalization.upstream": {"en": "Seed of ∂L/∂y"},
    "normalization.upstream_help": {
        "en": "The upstream gradient is random: changing its seed draws another."
    },
    "normalization.gamma": {"en": "γ of channel {c}"},
    "normalization.beta": {"en": "β of channel {c}"},
    "normalization.kept": {"en": "The results below are those of the last settings that worked."},
    "normalization.bn_text": {
        "en": "Batch norm normalizes **each channel** with the mean μ and the variance σ² of all its values "
        "in the batch (every example, every position: m = N·H·W values), then scales by γ and shifts by β. "
        "The statistics and parameters per channel:"
    },
    "normalization.table.channel": {"en": "channel"},
    "normalization.x": {"en": "x"},
    "normalization.x_hat": {"en": "x̂"},
    "normalization.y": {"en": "y = γx̂ + β"},
    "normalization.dy": {"en": "∂L/∂y"},
    "normalization.dx": {"en": "∂L/∂x"},
    "normalization.example": {"en": "example"},
    "normalization.channel": {"en": "ch."},
    "normalization.forward_header": {"en": "Forward: x, the normalized x̂, and y"},
    "normalization.forward_alt": {
        "en": "Heatmaps of the input, the normalized input and the output of batch norm, one row per "
        "example and one column per channel, with their numbers."
    },
    "normalization.backward_header": {"en": "Backward: a random upstream gradient ∂L/∂y, and ∂L/∂x"},
    "normalization.backward_alt": {
        "en": "Heatmaps of the upstream gradient and of the gradient with respect to the input, one row per "
        "example and one column per channel."
    },
    "normalization.check.dx": {"en": "Check of ∂L/∂x"},
    "normalization.check.dgamma": {"en": "Check of ∂L/∂γ"},
    "normalization.check.dbeta": {"en": "Check of ∂L/∂β"},
    "normalization.check_help": {
        "en": "Largest relative error against central differences of Σ ∂L/∂y ⊙ y (1e-7 or less: they agree)."
    },
    "normalization.formulas_header": {"en": "The formulas, with the numbers of one entry"},
    "normalization.formulas_text": {
        "en": "Every x of a channel changes μ and σ² and therefore every x̂ of that channel: the backward "
        "pass has three terms (the direct path, the path through μ, the path through σ²) that collapse to "
        "the compact formula below. Pick an entry x(n, c, i, j):"
    },
    "normalization.entry_n": {"en": "example n"},
    "normalization.entry_c": {"en": "channel c"},
    "normalization.entry_i": {"en": "row i"},
    "normalization.entry_j": {"en": "column j"},
    "normalization.bn_source": {"en": "The engine's code: batch norm forward and backward"},
    "normalization.split_header": {"en": "Split: one array, two branches"},
    "normalization.split_text": {
        "en": "A split layer hands the same array to two branches (a residual connection, an Inception "
        "block). In the backward pass each branch returns a gradient, and the gradients of the copies **add "
        "up**: x reached the loss along both paths."
    },
    "normalization.split_x": {"en": "x"},
    "normalization.copy": {"en": "copy"},
    "normalization.split_dx": {"en": "∂L/∂x = sum"},
    "normalization.branch": {"en": "∂L/∂x from branch"},
    "normalization.split_alt": {
        "en": "Top row: an array and its two copies. Bottom row: the gradient from each branch and their sum."
    },
    "normalization.split_source": {"en": "The engine's code: split forward and backward"},
    "normalization.concat_header": {"en": "Concatenation: joining along the channels"},
    "normalization.concat_text": {
        "en": "A concatenation (fusion) layer stacks the channels of a and b into one array y (as in "
        "Inception or U-Net). Nothing is computed, only moved:"
    },
    "normalization.C1": {"en": "Channels of a"},
    "normalization.C2": {"en": "Channels of b"},
    "normalization.concat_alt": {
        "en": "Top row: the channels of a and b. Bottom row: the same channels stacked into y."
    },
    "normalization.concat_back_text": {
        "en": "Backward, the gradient ∂L/∂y is cut back along the channels: the first channels go to a, the "
        "rest to b."
    },
    "normalization.concat_back_alt": {
        "en": "Top row: the channels of the upstream gradient. Bottom row: the same channels handed back "
        "to a and b."
    },
    "normalization.concat_source": {"en": "The engine's code: concatenation forward and backward"},
}
