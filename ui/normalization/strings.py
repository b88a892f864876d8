"""Strings of the normalization, split and concatenation page (pages/normalization.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "normalization.intro": {
        "en": "Three layers a CNN uses besides convolution and pooling, each with its forward and backward "
        "pass on small arrays you can read number by number. Colours: blue negative, white zero, red "
        "positive.",
        "zh": "除了卷积和池化，CNN 还会用到下面三种层。每种层都在小数组上演示前向与反向传播，"
        "数组小到可以逐个数字地读。颜色：蓝色为负，白色为零，红色为正。",
    },
    "normalization.bn_header": {"en": "Batch normalization", "zh": "批归一化"},
    "normalization.N": {"en": "Examples N", "zh": "样本数 N"},
    "normalization.C": {"en": "Channels C", "zh": "通道数 C"},
    "normalization.H": {"en": "Height H", "zh": "高度 H"},
    "normalization.W": {"en": "Width W", "zh": "宽度 W"},
    "normalization.seed": {"en": "Random seed", "zh": "随机种子"},
    "normalization.upstream": {"en": "Seed of ∂L/∂y", "zh": "∂L/∂y 的种子"},
    "normalization.upstream_help": {
        "en": "The upstream gradient is random: changing its seed draws another.",
        "zh": "上游梯度是随机生成的：更换种子会重新抽取一组。",
    },
    "normalization.gamma": {"en": "γ of channel {c}", "zh": "通道 {c} 的 γ"},
    "normalization.beta": {"en": "β of channel {c}", "zh": "通道 {c} 的 β"},
    "normalization.kept": {
        "en": "The results below are those of the last settings that worked.",
        "zh": "下面的结果来自上一次可用的设置。",
    },
    "normalization.bn_text": {
        "en": "Batch norm normalizes **each channel** with the mean μ and the variance σ² of all its values "
        "in the batch (every example, every position: m = N·H·W values), then scales by γ and shifts by β. "
        "The statistics and parameters per channel:",
        "zh": "批归一化对**每个通道**分别归一化：先用该通道在整批中全部值（每个样本、每个位置，共 m = N·H·W "
        "个值）的均值 μ 和方差 σ² 做标准化，再乘以 γ 缩放、加上 β 平移。各通道的统计量和参数如下：",
    },
    "normalization.table.channel": {"en": "channel", "zh": "通道"},
    "normalization.x": {"en": "x", "zh": "输入 x"},
    "normalization.x_hat": {"en": "x̂", "zh": "归一化 x̂"},
    "normalization.y": {"en": "y = γx̂ + β", "zh": "输出 y = γx̂ + β"},
    "normalization.dy": {"en": "∂L/∂y", "zh": "∂L/∂y"},
    "normalization.dx": {"en": "∂L/∂x", "zh": "∂L/∂x"},
    "normalization.example": {"en": "example", "zh": "样本"},
    "normalization.channel": {"en": "ch.", "zh": "通道"},
    "normalization.forward_header": {
        "en": "Forward: x, the normalized x̂, and y",
        "zh": "前向：x、归一化后的 x̂ 与 y",
    },
    "normalization.forward_alt": {
        "en": "Heatmaps of the input, the normalized input and the output of batch norm, one row per "
        "example and one column per channel, with their numbers.",
        "zh": "批归一化的输入、归一化后的输入和输出的热力图，每行一个样本，每列一个通道，带数值。",
    },
    "normalization.backward_header": {
        "en": "Backward: a random upstream gradient ∂L/∂y, and ∂L/∂x",
        "zh": "反向：随机的上游梯度 ∂L/∂y，以及 ∂L/∂x",
    },
    "normalization.backward_alt": {
        "en": "Heatmaps of the upstream gradient and of the gradient with respect to the input, one row per "
        "example and one column per channel.",
        "zh": "上游梯度与对输入的梯度的热力图，每行一个样本，每列一个通道。",
    },
    "normalization.check.dx": {"en": "Check of ∂L/∂x", "zh": "∂L/∂x 的检验"},
    "normalization.check.dgamma": {"en": "Check of ∂L/∂γ", "zh": "∂L/∂γ 的检验"},
    "normalization.check.dbeta": {"en": "Check of ∂L/∂β", "zh": "∂L/∂β 的检验"},
    "normalization.check_help": {
        "en": "Largest relative error against central differences of Σ ∂L/∂y ⊙ y (1e-7 or less: they agree).",
        "zh": "与 Σ ∂L/∂y ⊙ y 的中心差分相比的最大相对误差（不超过 1e-7 即表示两者一致）。",
    },
    "normalization.formulas_header": {
        "en": "The formulas, with the numbers of one entry",
        "zh": "公式，代入某一个元素的数值",
    },
    "normalization.formulas_text": {
        "en": "Every x of a channel changes μ and σ² and therefore every x̂ of that channel: the backward "
        "pass has three terms (the direct path, the path through μ, the path through σ²) that collapse to "
        "the compact formula below. Pick an entry x(n, c, i, j):",
        "zh": "一个通道中的每个 x 都会影响 μ 和 σ²，从而影响该通道的每一个 x̂："
        "所以反向传播有三项（直接路径、经过 μ 的路径、经过 σ² 的路径），它们可以合并成下面的紧凑公式。"
        "选择一个元素 x(n, c, i, j)：",
    },
    "normalization.entry_n": {"en": "example n", "zh": "样本 n"},
    "normalization.entry_c": {"en": "channel c", "zh": "通道 c"},
    "normalization.entry_i": {"en": "row i", "zh": "行 i"},
    "normalization.entry_j": {"en": "column j", "zh": "列 j"},
    "normalization.bn_source": {
        "en": "The engine's code: batch norm forward and backward",
        "zh": "引擎代码：批归一化的前向与反向传播",
    },
    "normalization.split_header": {"en": "Split: one array, two branches", "zh": "拆分：一个数组，两个分支"},
    "normalization.split_text": {
        "en": "A split layer hands the same array to two branches (a residual connection, an Inception "
        "block). In the backward pass each branch returns a gradient, and the gradients of the copies **add "
        "up**: x reached the loss along both paths.",
        "zh": "拆分层把同一个数组交给两个分支（如残差连接、Inception 模块）。反向传播时，"
        "每个分支各返回一个梯度，各副本的梯度要**相加**：x 沿两条路径都影响了损失。",
    },
    "normalization.split_x": {"en": "x", "zh": "x"},
    "normalization.copy": {"en": "copy", "zh": "副本"},
    "normalization.split_dx": {"en": "∂L/∂x = sum", "zh": "∂L/∂x = 两者之和"},
    "normalization.branch": {"en": "∂L/∂x from branch", "zh": "∂L/∂x，来自分支"},
    "normalization.split_alt": {
        "en": "Top row: an array and its two copies. Bottom row: the gradient from each branch and their "
        "sum.",
        "zh": "上行：一个数组及其两个副本。下行：每个分支的梯度，以及它们的和。",
    },
    "normalization.split_source": {
        "en": "The engine's code: split forward and backward",
        "zh": "引擎代码：拆分的前向与反向传播",
    },
    "normalization.concat_header": {
        "en": "Concatenation: joining along the channels",
        "zh": "拼接：沿通道连接",
    },
    "normalization.concat_text": {
        "en": "A concatenation (fusion) layer stacks the channels of a and b into one array y (as in "
        "Inception or U-Net). Nothing is computed, only moved:",
        "zh": "拼接（融合）层把 a 和 b 的通道叠放成一个数组 y（如 Inception 或 U-Net 中那样）。"
        "这里不做任何计算，只是搬移数据：",
    },
    "normalization.C1": {"en": "Channels of a", "zh": "a 的通道数"},
    "normalization.C2": {"en": "Channels of b", "zh": "b 的通道数"},
    "normalization.concat_alt": {
        "en": "Top row: the channels of a and b. Bottom row: the same channels stacked into y.",
        "zh": "上行：a 和 b 的各个通道。下行：同样的通道叠放成 y。",
    },
    "normalization.concat_back_text": {
        "en": "Backward, the gradient ∂L/∂y is cut back along the channels: the first channels go to a, the "
        "rest to b.",
        "zh": "反向传播时，梯度 ∂L/∂y 沿通道切分送回：前面的通道给 a，其余的给 b。",
    },
    "normalization.concat_back_alt": {
        "en": "Top row: the channels of the upstream gradient. Bottom row: the same channels handed back "
        "to a and b.",
        "zh": "上行：上游梯度的各个通道。下行：同样的通道分别交还给 a 和 b。",
    },
    "normalization.concat_source": {
        "en": "The engine's code: concatenation forward and backward",
        "zh": "引擎代码：拼接的前向与反向传播",
    },
}
