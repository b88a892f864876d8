"""Strings of the forward-pass page."""

STRINGS: dict[str, dict[str, str]] = {
    "forward.lead": {
        "en": "The kernel slides over the padded input; at each position the window's values are multiplied "
        "by the kernel, summed, and the bias is added: one cell of the feature map."
    },
    "forward.output_size": {"en": "Output size"},
    "forward.step_by_step": {"en": "Step by step"},
    "forward.animate_kernel": {"en": "Kernel to animate"},
    "forward.crop_size": {"en": "Crop (output cells per side)"},
    "forward.crop_i": {"en": "Crop: first output row"},
    "forward.crop_j": {"en": "Crop: first output column"},
    "forward.crop_help": {"en": "Or click a feature map below to move the crop there."},
    "forward.step": {"en": "Step shown (and where Play starts)"},
    "forward.prev": {"en": "◀ Previous"},
    "forward.next": {"en": "Next ▶"},
    "forward.click_hint": {"en": "Click an output cell in the figure to jump there."},
    "forward.fig.input": {"en": "Padded input (crop)"},
    "forward.fig.output": {"en": "Output {what} (crop)"},
    "forward.fig.window": {"en": "Window"},
    "forward.fig.kernel": {"en": "Kernel"},
    "forward.fig.products": {"en": "Window × kernel"},
    "forward.fig.step_prefix": {"en": "Output cell (row, col): "},
    "forward.fig.slow": {"en": "▶ Slow"},
    "forward.fig.play": {"en": "▶ Play"},
    "forward.fig.fast": {"en": "▶ Fast"},
    "forward.fig.pause": {"en": "⏸ Pause"},
    "forward.fig.sum": {"en": "Σ window × kernel = {total}"},
    "forward.fig.bias": {"en": "+ bias {bias} → z = {z}"},
    "forward.fig.activation": {"en": "{name}(z) = {{a}}"},
    "forward.fig.value": {"en": "value"},
    "forward.fig.padding": {"en": "padding cell"},
    "forward.fig.channels": {"en": "R,G,B"},
    "forward.alt_animation": {
        "en": "Animation of the kernel window sliding over the padded input, with the window's numbers, the "
        "kernel, their products and the output value of each step."
    },
    "forward.whole_image": {"en": "The whole image"},
    "forward.maps_tab": {"en": "Feature maps (full resolution)"},
    "forward.sweep_tab": {"en": "Row-by-row sweep"},
    "forward.fig.input_full": {"en": "Input"},
    "forward.fig.map_title": {"en": "{n}: {name}"},
    "forward.fig.sweep_output": {"en": "Output of kernel {n}"},
    "forward.fig.map_click": {"en": "click: animate here"},
    "forward.fig.rows": {"en": "Output rows: "},
    "forward.alt_maps": {"en": "The input image and each kernel's feature map at full resolution."},
    "forward.alt_sweep": {"en": "Animation of the window sweeping the whole image row by row."},
    "forward.explain": {"en": "The arithmetic of the step shown"},
    "forward.correlation_note": {
        "en": "Deep-learning “convolution” is cross-correlation: the kernel is not flipped. "
        "Turn on *True convolution* in the sidebar to flip it."
    },
    "forward.source": {"en": "The engine's code for this page (readable reference path)"},
    "forward.z_or_a.z": {"en": "Z"},
    "forward.z_or_a.a": {"en": "A = σ(Z)"},
    "forward.shape_line": {
        "en": "Input {C}×{H}×{W} → {F} kernel(s) of {C}×{KH}×{KW} → output {F}×{H_out}×{W_out} "
        "({params} parameters: {weights} weights + {F} biases)."
    },
}
