"""Strings of the activations page (pages/activations.py): ids "activations.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "activations.intro": {
        "en": "An activation function σ acts on every cell of the feature map on its own: **A = σ(Z)**. "
        "In the backward pass each cell's gradient is multiplied by the local slope: "
        "**δ_Z = δ_A ⊙ σ'(Z)**. Where σ'(Z) = 0 the gradient stops."
    },
    # Controls
    "activations.kind": {"en": "Activation σ"},
    "activations.kind.identity": {"en": "Identity"},
    "activations.kind.relu": {"en": "ReLU"},
    "activations.kind.leaky_relu": {"en": "Leaky ReLU"},
    "activations.kind.sigmoid": {"en": "Sigmoid"},
    "activations.kind.tanh": {"en": "Tanh"},
    "activations.sample": {"en": "Image X"},
    "activations.size": {"en": "Working size (long side, pixels)"},
    "activations.size_help": {"en": "Small enough to see every cell; at 16 or less the numbers are printed."},
    "activations.kernel": {"en": "Kernel W (3 × 3)"},
    "activations.kernel.sobel_x": {"en": "Sobel x (vertical edges)"},
    "activations.kernel.sobel_y": {"en": "Sobel y (horizontal edges)"},
    "activations.kernel.laplacian": {"en": "Laplacian (edges, all directions)"},
    "activations.kernel.outline": {"en": "Outline"},
    "activations.kernel.sharpen": {"en": "Sharpen"},
    "activations.kernel.emboss": {"en": "Emboss"},
    "activations.kernel.box_blur": {"en": "Box blur"},
    "activations.kernel.identity": {"en": "Identity (Z = X + b)"},
    "activations.bias": {"en": "Bias b"},
    "activations.bias_help": {
        "en": "Added to every cell of Z: a negative bias switches more ReLU cells off."
    },
    "activations.upstream": {"en": "Upstream gradient δ_A = ∂L/∂A"},
    "activations.upstream.ones": {"en": "All ones"},
    "activations.upstream.random": {"en": "Random"},
    "activations.seed": {"en": "Gradient seed"},
    "activations.cell_row": {"en": "Cell row"},
    "activations.cell_col": {"en": "Cell column"},
    # Sections
    "activations.curves_header": {"en": "The functions and their slopes"},
    "activations.maps_header": {"en": "On a feature map: forward (top) and backward (bottom)"},
    "activations.cell_header": {"en": "One cell in numbers"},
    "activations.general": {"en": "In general:"},
    "activations.this_cell": {"en": "For cell ({r}, {c}) (outlined in every map):"},
    "activations.source_code": {"en": "The engine's code: activation forward, derivative and backward"},
    # What the derivative map says
    "activations.summary.relu": {
        "en": "**Dead ReLU cells** (Z ≤ 0, so σ'(Z) = 0): **{n} of {total} ({pct})**. No gradient flows "
        "back through them: they are white in σ'(Z) and in δ_Z."
    },
    "activations.summary.leaky_relu": {
        "en": "Cells with Z ≤ 0: **{n} of {total} ({pct})**. They pass back only α = {alpha} of their "
        "gradient: small, but never zero, so no unit dies."
    },
    "activations.summary.sigmoid": {
        "en": "σ'(Z) is never 0 for the sigmoid, and at most 0.25 (at Z = 0): every gradient shrinks by at "
        "least 4×. **{n} of {total} cells ({pct})** are saturated (σ'(Z) < {threshold}) and pass almost "
        "nothing back."
    },
    "activations.summary.tanh": {
        "en": "σ'(Z) is never 0 for tanh, and at most 1 (at Z = 0). **{n} of {total} cells ({pct})** are "
        "saturated (σ'(Z) < {threshold}) and pass almost nothing back."
    },
    "activations.summary.identity": {
        "en": "The identity passes every gradient back unchanged: σ'(Z) = 1 in all {total} cells."
    },
    # Figure words
    "activations.fig.function": {"en": "σ(z)"},
    "activations.fig.derivative": {"en": "σ'(z), dashed"},
    "activations.fig.histogram": {"en": "share of the map's Z cells"},
    "activations.fig.cell": {"en": "chosen cell"},
    "activations.fig.x": {"en": "z"},
    "activations.fig.y": {"en": "σ(z) and σ'(z)"},
    "activations.fig.x_title": {"en": "X (input)"},
    "activations.fig.z_title": {"en": "Z = X ⋆ W + b"},
    "activations.fig.a_title": {"en": "A = σ(Z)"},
    "activations.fig.da_title": {"en": "δ_A = ∂L/∂A (upstream)"},
    "activations.fig.slope_title": {"en": "σ'(Z): the local slope"},
    "activations.fig.dz_title": {"en": "δ_Z = δ_A ⊙ σ'(Z)"},
    "activations.fig.x_bar": {"en": "brightness: black 0 → white 1"},
    "activations.fig.signed_bar": {"en": "blue < 0 < red"},
    "activations.fig.slope_bar": {"en": "white = 0: the gradient stops"},
    "activations.curves_alt": {
        "en": "Line plot of the five activation functions over z from −6 to 6; {name} is drawn bold with "
        "its derivative dashed, over a histogram of the feature map's Z values."
    },
    "activations.maps_alt": {
        "en": "Six heatmaps: the input image, Z, A = {name}(Z); the upstream gradient, the local slope "
        "σ'(Z) and the gradient δ_Z that flows back."
    },
}
