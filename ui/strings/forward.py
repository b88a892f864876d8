"""Strings of the forward-pass page."""

STRINGS: dict[str, dict[str, str]] = {
    "forward.lead": {
        "en": "The kernel slides over the padded input; at each position the window's values are multiplied "
        "by the kernel, summed, and the bias is added: one cell of the feature map.",
        "zh": "卷积核在填充后的输入上滑动；在每个位置，窗口中的值与卷积核逐元素相乘、求和，再加上偏置："
        "得到特征图中的一格。",
    },
    "forward.output_size": {"en": "Output size", "zh": "输出尺寸"},
    "forward.step_by_step": {"en": "Step by step", "zh": "逐步演示"},
    "forward.animate_kernel": {"en": "Kernel to animate", "zh": "要演示的卷积核"},
    "forward.crop_size": {"en": "Crop (output cells per side)", "zh": "演示区域（每边的输出格数）"},
    "forward.crop_i": {"en": "Crop: first output row", "zh": "演示区域：起始输出行"},
    "forward.crop_j": {"en": "Crop: first output column", "zh": "演示区域：起始输出列"},
    "forward.crop_help": {
        "en": "Or click a feature map below to move the crop there.",
        "zh": "也可以点击下方的特征图，把演示区域移到那里。",
    },
    "forward.step": {"en": "Step shown (and where Play starts)", "zh": "显示的步骤（也是播放的起点）"},
    "forward.prev": {"en": "◀ Previous", "zh": "◀ 上一步"},
    "forward.next": {"en": "Next ▶", "zh": "下一步 ▶"},
    "forward.click_hint": {
        "en": "Click an output cell in the figure to jump there.",
        "zh": "点击图中的输出格，即可跳到该格。",
    },
    "forward.fig.input": {"en": "Padded input (crop)", "zh": "填充后的输入（局部）"},
    "forward.fig.output": {"en": "Output {what} (crop)", "zh": "输出 {what}（局部）"},
    "forward.fig.window": {"en": "Window", "zh": "窗口"},
    "forward.fig.kernel": {"en": "Kernel", "zh": "卷积核"},
    "forward.fig.products": {"en": "Window × kernel", "zh": "窗口 × 卷积核"},
    "forward.fig.step_prefix": {"en": "Output cell (row, col): ", "zh": "输出格（行，列）："},
    "forward.fig.slow": {"en": "▶ Slow", "zh": "▶ 慢速"},
    "forward.fig.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "forward.fig.fast": {"en": "▶ Fast", "zh": "▶ 快速"},
    "forward.fig.pause": {"en": "⏸ Pause", "zh": "⏸ 暂停"},
    "forward.fig.sum": {"en": "Σ window × kernel = {total}", "zh": "Σ 窗口 × 卷积核 = {total}"},
    "forward.fig.bias": {"en": "+ bias {bias} → z = {z}", "zh": "+ 偏置 {bias} → z = {z}"},
    "forward.fig.activation": {"en": "{name}(z) = {{a}}", "zh": "{name}(z) = {{a}}"},
    "forward.fig.value": {"en": "value", "zh": "数值"},
    "forward.fig.padding": {"en": "padding cell", "zh": "填充格"},
    "forward.fig.channels": {"en": "R,G,B", "zh": "R,G,B"},
    "forward.alt_animation": {
        "en": "Animation of the kernel window sliding over the padded input, with the window's numbers, the "
        "kernel, their products and the output value of each step.",
        "zh": "动画：卷积核窗口在填充后的输入上滑动，同时显示窗口中的数值、卷积核、"
        "它们的乘积以及每一步的输出值。",
    },
    "forward.whole_image": {"en": "The whole image", "zh": "整幅图像"},
    "forward.maps_tab": {"en": "Feature maps (full resolution)", "zh": "特征图（原始分辨率）"},
    "forward.sweep_tab": {"en": "Row-by-row sweep", "zh": "逐行扫描"},
    "forward.fig.input_full": {"en": "Input", "zh": "输入"},
    "forward.fig.map_title": {"en": "{n}: {name}", "zh": "{n}：{name}"},
    "forward.fig.sweep_output": {"en": "Output of kernel {n}", "zh": "卷积核 {n} 的输出"},
    "forward.fig.map_click": {"en": "click: animate here", "zh": "点击：在此处演示"},
    "forward.fig.rows": {"en": "Output rows: ", "zh": "输出行："},
    "forward.alt_maps": {
        "en": "The input image and each kernel's feature map at full resolution.",
        "zh": "输入图像，以及每个卷积核在原始分辨率下的特征图。",
    },
    "forward.alt_sweep": {
        "en": "Animation of the window sweeping the whole image row by row.",
        "zh": "动画：窗口逐行扫过整幅图像。",
    },
    "forward.explain": {"en": "The arithmetic of the step shown", "zh": "当前步骤的计算过程"},
    "forward.correlation_note": {
        "en": "Deep-learning “convolution” is cross-correlation: the kernel is not flipped. "
        "Turn on *True convolution* in the sidebar to flip it.",
        "zh": "深度学习中的“卷积”其实是互相关：卷积核不翻转。在侧边栏打开 *真正的卷积* 即可翻转卷积核。",
    },
    "forward.source": {
        "en": "The engine's code for this page (readable reference path)",
        "zh": "本页使用的引擎代码（易读的参考实现）",
    },
    "forward.z_or_a.z": {"en": "Z", "zh": "Z"},
    "forward.z_or_a.a": {"en": "A = σ(Z)", "zh": "A = σ(Z)"},
    "forward.shape_line": {
        "en": "Input {C}×{H}×{W} → {F} kernel(s) of {C}×{KH}×{KW} → output {F}×{H_out}×{W_out} "
        "({params} parameters: {weights} weights + {F} biases).",
        "zh": "输入 {C}×{H}×{W} → {F} 个 {C}×{KH}×{KW} 的卷积核 → 输出 {F}×{H_out}×{W_out}（共 {params} "
        "个参数：{weights} 个权重 + {F} 个偏置）。",
    },
}
