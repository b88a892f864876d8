"""Strings of the pooling page (pages/pooling.py): ids "pooling.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "pooling.intro": {
        "en": "Pooling shrinks a feature map by keeping the **maximum** (or the **average**) of each window. "
        "It has **no parameters** to learn. Information is lost in the forward pass, so the gradient that "
        "flows back is **sparse** for max pooling (each window's whole δ goes to one cell) and **spread "
        "out** for average pooling (every cell of the window gets δ / (K·K)).",
        "zh": "池化保留每个窗口中的**最大值**（或**平均值**），从而缩小特征图。它**没有需要学习的参数**。"
        "前向传播会丢失信息，因此回传的梯度在最大池化中是**稀疏**的（每个窗口的整个 δ 只传给一个格子），"
        "在平均池化中则是**均匀分摊**的（窗口中的每个格子得到 δ / (K·K)）。",
    },
    # Controls
    "pooling.source": {"en": "Feature map X", "zh": "特征图 X"},
    "pooling.unknown_source": {
        "en": "The feature map must come from one of {sources}, not “{source}”.",
        "zh": "特征图必须来自 {sources} 之一，而不是“{source}”。",
    },
    "pooling.source.preset": {"en": "Example 6 × 8 (with ties)", "zh": "示例 6 × 8（含并列最大值）"},
    "pooling.source.random": {"en": "Random integers", "zh": "随机整数"},
    "pooling.source.image": {"en": "Sample image", "zh": "示例图像"},
    "pooling.seed": {"en": "Seed", "zh": "种子"},
    "pooling.rows": {"en": "Rows H", "zh": "行数 H"},
    "pooling.cols": {"en": "Columns W", "zh": "列数 W"},
    "pooling.sample": {"en": "Image", "zh": "图像"},
    "pooling.sample_size": {"en": "Size (long side, cells)", "zh": "尺寸（长边，格数）"},
    "pooling.sample_size_help": {
        "en": "The image is shrunk this small so that every number stays readable.",
        "zh": "把图像缩到这么小，每个数字才都能看清。",
    },
    "pooling.mode": {"en": "Pooling", "zh": "池化方式"},
    "pooling.mode.max": {"en": "Max", "zh": "最大值"},
    "pooling.mode.avg": {"en": "Average", "zh": "平均值"},
    "pooling.size": {"en": "Window K × K", "zh": "窗口 K × K"},
    "pooling.stride": {"en": "Stride s", "zh": "步幅 s"},
    "pooling.stride_help": {
        "en": "A stride smaller than the window makes the windows overlap: in the backward pass their "
        "gradients add up.",
        "zh": "步幅小于窗口时，窗口会相互重叠：反向传播时，它们的梯度会相加。",
    },
    "pooling.padding": {"en": "Padding p", "zh": "填充 p"},
    "pooling.padding_help": {
        "en": "Max pooling pads with −∞ (a padding cell never wins); average pooling pads with 0 and "
        "still divides by K·K. The padding may be at most half the window.",
        "zh": "最大池化用 −∞ 填充（填充格永远不会胜出）；平均池化用 0 填充，但仍除以 K·K。"
        "填充最多为窗口的一半。",
    },
    "pooling.upstream": {"en": "Upstream gradient δ = ∂L/∂y", "zh": "上游梯度 δ = ∂L/∂y"},
    "pooling.upstream.ones": {"en": "All ones", "zh": "全为 1"},
    "pooling.upstream.random": {"en": "Random", "zh": "随机"},
    "pooling.upstream_seed": {"en": "Gradient seed", "zh": "梯度种子"},
    "pooling.sizes": {
        "en": "Input {H} × {W} → output {H_out} × {W_out}, since H_out = ⌊(H + 2p − K) / s⌋ + 1 "
        "(and W_out alike). {steps} windows.",
        "zh": "输入 {H} × {W} → 输出 {H_out} × {W_out}，因为 H_out = ⌊(H + 2p − K) / s⌋ + 1（W_out 同理）。"
        "共 {steps} 个窗口。",
    },
    "pooling.kept": {
        "en": "The figures below still show the last settings that worked.",
        "zh": "下面的图仍显示上一次可用的设置。",
    },
    # Forward
    "pooling.forward_header": {"en": "Forward: slide the window", "zh": "前向传播：滑动窗口"},
    "pooling.forward_caption.max": {
        "en": "Orange: the window. Black outline: the cell that wins the maximum (dotted: cells that tie "
        "with it but lose). Press ▶ or drag the slider.",
        "zh": "橙色：窗口。黑色框：取得最大值的格子（虚线框：与它并列但落选的格子）。点击 ▶ 或拖动滑块。",
    },
    "pooling.forward_caption.avg": {
        "en": "Orange: the window. Its cells are summed and divided by K·K, padding cells (0) included. "
        "Press ▶ or drag the slider.",
        "zh": "橙色：窗口。窗口内的格子求和后除以 K·K，填充格（0）也计算在内。点击 ▶ 或拖动滑块。",
    },
    "pooling.forward_alt": {
        "en": "Animation of {mode} pooling: a {K} by {K} window slides with stride {s} over the input map "
        "and each output cell fills in with the window's result.",
        "zh": "{mode}池化动画：{K} × {K} 的窗口以步幅 {s} 在输入特征图上滑动，"
        "每个输出格依次填入该窗口的结果。",
    },
    # Backward
    "pooling.backward_header": {"en": "Backward: route the gradient", "zh": "反向传播：分配梯度"},
    "pooling.backward_caption.max": {
        "en": "Each window sends its **whole** δ to the cell that won its maximum in the forward pass; "
        "every other cell of the window gets 0. Where windows overlap, a cell that wins several of them "
        "collects the **sum** of their δ.",
        "zh": "每个窗口把它的**整个** δ 传给前向传播中取得最大值的那个格子；窗口中的其他格子得到 0。"
        "窗口重叠时，在多个窗口中胜出的格子会收到这些 δ 的**总和**。",
    },
    "pooling.backward_caption.avg": {
        "en": "Each window **spreads** its δ evenly: each of its K·K cells gets δ / (K·K). Shares that "
        "land on the padding are dropped (the padding is no input). Where windows overlap, the shares "
        "add up.",
        "zh": "每个窗口把它的 δ **平均分摊**：K·K 个格子各得 δ / (K·K)。"
        "落在填充上的份额被丢弃（填充不是输入）。窗口重叠时，各份额相加。",
    },
    "pooling.ties": {
        "en": "**Ties.** When several cells of a window hold the maximum, the **first one in row-major "
        "order** (top row first, then left to right) wins and gets the whole gradient; the others get 0. "
        "That is what `np.argmax` and PyTorch do. The example map has ties: look at window (0, 1).",
        "zh": "**并列最大值。** 当窗口中有多个格子同为最大值时，按**行优先顺序**（先上面一行，再从左到右）"
        "排在**第一个**的格子胜出，得到全部梯度；其他格子得到 0。`np.argmax` 和 PyTorch 也是这样做的。"
        "示例特征图中就有并列：请看窗口 (0, 1)。",
    },
    "pooling.backward_alt": {
        "en": "Animation of the backward pass of {mode} pooling: each upstream gradient cell is routed "
        "into its window of the input gradient, which accumulates.",
        "zh": "{mode}池化的反向传播动画：每个上游梯度格被分配到输入梯度中对应的窗口，并不断累加。",
    },
    # One cell
    "pooling.cell_header": {"en": "One output cell in numbers", "zh": "一个输出格的具体数值"},
    "pooling.cell_row": {"en": "Output row i", "zh": "输出行 i"},
    "pooling.cell_col": {"en": "Output column j", "zh": "输出列 j"},
    "pooling.general.max": {
        "en": "In general (m(i, j) is the input cell that wins window (i, j), the first maximum in "
        "row-major order):",
        "zh": "一般形式（m(i, j) 是在窗口 (i, j) 中胜出的输入格，即按行优先顺序的第一个最大值）：",
    },
    "pooling.general.avg": {
        "en": "In general (R(i, j) is the set of input cells under window (i, j)):",
        "zh": "一般形式（R(i, j) 是窗口 (i, j) 覆盖的输入格集合）：",
    },
    "pooling.this_cell": {"en": "For output cell ({i}, {j}):", "zh": "对输出格 ({i}, {j})："},
    "pooling.source_code": {
        "en": "The engine's code: pooling forward and backward, loop by loop",
        "zh": "引擎代码：池化的前向与反向传播（逐个循环写出）",
    },
    # Figure words
    "pooling.fig.input": {"en": "Input X", "zh": "输入 X"},
    "pooling.fig.output": {"en": "Output y", "zh": "输出 y"},
    "pooling.fig.upstream": {"en": "Upstream δ", "zh": "上游 δ"},
    "pooling.fig.dx": {"en": "∂L/∂X so far", "zh": "目前累计的 ∂L/∂X"},
    "pooling.fig.value_bar": {"en": "value: blue < 0 < red", "zh": "数值：蓝 < 0 < 红"},
    "pooling.fig.gradient_bar": {"en": "gradient: blue < 0 < red", "zh": "梯度：蓝 < 0 < 红"},
    "pooling.fig.step": {"en": "output cell (i, j) = ", "zh": "输出格 (i, j) = "},
    "pooling.fig.slow": {"en": "▶ Slow", "zh": "▶ 慢速"},
    "pooling.fig.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "pooling.fig.fast": {"en": "▶▶ Fast", "zh": "▶▶ 快速"},
    "pooling.fig.pause": {"en": "⏸ Pause", "zh": "⏸ 暂停"},
    "pooling.fig.padding": {"en": "padding", "zh": "填充"},
    # Predict, then reveal (ui/pooling/predict.py).
    "predict.pooling.click": {
        "en": "Window ({i}, {j}) sends its gradient δ({i}, {j}) = ${delta}$ back. Which input cell gets it? "
        "Click it.",
        "zh": "窗口 ({i}, {j}) 把梯度 δ({i}, {j}) = ${delta}$ 传回。哪个输入格得到它？请点击该格。",
    },
    "predict.pooling.hover": {"en": "Click: this cell gets it", "zh": "点击：这个格子得到它"},
    "predict.pooling.alt": {
        "en": "The input map with window ({i}, {j}) outlined: click the cell that receives its gradient.",
        "zh": "输入图，窗口 ({i}, {j}) 已框出：点击得到其梯度的格子。",
    },
    "predict.pooling.click_answer": {
        "en": "Window ({i}, {j})'s gradient goes to its maximum, X({r}, {c}); the other cells get 0.",
        "zh": "窗口 ({i}, {j}) 的梯度传给它的最大值 X({r}, {c})；其他格子得到 0。",
    },
    "predict.pooling.share": {
        "en": "Window ({i}, {j}) sends δ({i}, {j}) = ${delta}$ back through an average of {K} × {L} cells. "
        "How much does each of its cells get?",
        "zh": "窗口 ({i}, {j}) 经过 {K} × {L} 个格子的平均把 δ({i}, {j}) = ${delta}$ 传回。"
        "它的每个格子得到多少？",
    },
    "predict.pooling.share_label": {"en": "each cell gets", "zh": "每个格子得到"},
    "predict.pooling.share_answer": {
        "en": "Each cell of window ({i}, {j}) gets δ / (K·K) = ${share}$.",
        "zh": "窗口 ({i}, {j}) 的每个格子得到 δ / (K·K) = ${share}$。",
    },
}
