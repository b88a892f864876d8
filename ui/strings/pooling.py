"""Strings of the pooling page (pages/pooling.py): ids "pooling.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "pooling.intro": {
        "en": "Pooling shrinks a feature map by keeping the **maximum** (or the **average**) of each window. "
        "It has **no parameters** to learn. Information is lost in the forward pass, so the gradient that "
        "flows back is **sparse** for max pooling (each window's whole δ goes to one cell) and **spread "
        "out** for average pooling (every cell of the window gets δ / (K·K))."
    },
    # Controls
    "pooling.source": {"en": "Feature map X"},
    "pooling.source.preset": {"en": "Example 6 × 8 (with ties)"},
    "pooling.source.random": {"en": "Random integers"},
    "pooling.source.image": {"en": "Sample image"},
    "pooling.seed": {"en": "Seed"},
    "pooling.rows": {"en": "Rows H"},
    "pooling.cols": {"en": "Columns W"},
    "pooling.sample": {"en": "Image"},
    "pooling.sample_size": {"en": "Size (long side, cells)"},
    "pooling.sample_size_help": {"en": "The image is shrunk this small so that every number stays readable."},
    "pooling.mode": {"en": "Pooling"},
    "pooling.mode.max": {"en": "Max"},
    "pooling.mode.avg": {"en": "Average"},
    "pooling.size": {"en": "Window K × K"},
    "pooling.stride": {"en": "Stride s"},
    "pooling.stride_help": {
        "en": "A stride smaller than the window makes the windows overlap: in the backward pass their "
        "gradients add up."
    },
    "pooling.padding": {"en": "Padding p"},
    "pooling.padding_help": {
        "en": "Max pooling pads with −∞ (a padding cell never wins); average pooling pads with 0 and "
        "still divides by K·K. The padding may be at most half the window."
    },
    "pooling.upstream": {"en": "Upstream gradient δ = ∂L/∂y"},
    "pooling.upstream.ones": {"en": "All ones"},
    "pooling.upstream.random": {"en": "Random"},
    "pooling.upstream_seed": {"en": "Gradient seed"},
    "pooling.sizes": {
        "en": "Input {H} × {W} → output {H_out} × {W_out}, since H_out = ⌊(H + 2p − K) / s⌋ + 1 "
        "(and W_out alike). {steps} windows."
    },
    "pooling.kept": {"en": "The figures below still show the last settings that worked."},
    # Forward
    "pooling.forward_header": {"en": "Forward: slide the window"},
    "pooling.forward_caption.max": {
        "en": "Orange: the window. Black outline: the cell that wins the maximum (dotted: cells that tie "
        "with it but lose). Press ▶ or drag the slider."
    },
    "pooling.forward_caption.avg": {
        "en": "Orange: the window. Its cells are summed and divided by K·K, padding cells (0) included. "
        "Press ▶ or drag the slider."
    },
    "pooling.forward_alt": {
        "en": "Animation of {mode} pooling: a {K} by {K} window slides with stride {s} over the input map "
        "and each output cell fills in with the window's result."
    },
    # Backward
    "pooling.backward_header": {"en": "Backward: route the gradient"},
    "pooling.backward_caption.max": {
        "en": "Each window sends its **whole** δ to the cell that won its maximum in the forward pass; "
        "every other cell of the window gets 0. Where windows overlap, a cell that wins several of them "
        "collects the **sum** of their δ."
    },
    "pooling.backward_caption.avg": {
        "en": "Each window **spreads** its δ evenly: each of its K·K cells gets δ / (K·K). Shares that "
        "land on the padding are dropped (the padding is no input). Where windows overlap, the shares "
        "add up."
    },
    "pooling.ties": {
        "en": "**Ties.** When several cells of a window hold the maximum, the **first one in row-major "
        "order** (top row first, then left to right) wins and gets the whole gradient; the others get 0. "
        "That is what `np.argmax` and PyTorch do. The example map has ties: look at window (0, 1)."
    },
    "pooling.backward_alt": {
        "en": "Animation of the backward pass of {mode} pooling: each upstream gradient cell is routed "
        "into its window of the input gradient, which accumulates."
    },
    # One cell
    "pooling.cell_header": {"en": "One output cell in numbers"},
    "pooling.cell_row": {"en": "Output row i"},
    "pooling.cell_col": {"en": "Output column j"},
    "pooling.general.max": {
        "en": "In general (m(i, j) is the input cell that wins window (i, j), the first maximum in "
        "row-major order):"
    },
    "pooling.general.avg": {"en": "In general (R(i, j) is the set of input cells under window (i, j)):"},
    "pooling.this_cell": {"en": "For output cell ({i}, {j}):"},
    "pooling.source_code": {"en": "The engine's code: pooling forward and backward, loop by loop"},
    # Figure words
    "pooling.fig.input": {"en": "Input X"},
    "pooling.fig.output": {"en": "Output y"},
    "pooling.fig.upstream": {"en": "Upstream δ"},
    "pooling.fig.dx": {"en": "∂L/∂X so far"},
    "pooling.fig.value_bar": {"en": "value: blue < 0 < red"},
    "pooling.fig.gradient_bar": {"en": "gradient: blue < 0 < red"},
    "pooling.fig.step": {"en": "output cell (i, j) = "},
    "pooling.fig.slow": {"en": "▶ Slow"},
    "pooling.fig.play": {"en": "▶ Play"},
    "pooling.fig.fast": {"en": "▶▶ Fast"},
    "pooling.fig.pause": {"en": "⏸ Pause"},
    "pooling.fig.padding": {"en": "padding"},
}
