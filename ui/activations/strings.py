"""Strings of the activations page (pages/activations.py): ids "activations.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "activations.intro": {
        "en": "An activation function σ acts on every cell of the feature map on its own: **A = σ(Z)**. "
        "In the backward pass each cell's gradient is multiplied by the local slope: "
        "**δ_Z = δ_A ⊙ σ'(Z)**. Where σ'(Z) = 0 the gradient stops.",
        "zh": "激活函数 σ 独立地作用于特征图的每一个格子：**A = σ(Z)**。反向传播时，"
        "每个格子的梯度都要乘以该处的局部斜率：**δ_Z = δ_A ⊙ σ'(Z)**。在 σ'(Z) = 0 的地方，梯度就停止了。",
    },
    # Controls
    "activations.kind": {"en": "Activation σ", "zh": "激活函数 σ"},
    "activations.kind.identity": {"en": "Identity", "zh": "恒等"},
    "activations.kind.relu": {"en": "ReLU", "zh": "ReLU"},
    "activations.kind.leaky_relu": {"en": "Leaky ReLU", "zh": "Leaky ReLU"},
    "activations.kind.sigmoid": {"en": "Sigmoid", "zh": "Sigmoid"},
    "activations.kind.tanh": {"en": "Tanh", "zh": "Tanh"},
    "activations.sample": {"en": "Image X", "zh": "图像 X"},
    "activations.size": {"en": "Working size (long side, pixels)", "zh": "处理尺寸（长边，像素）"},
    "activations.size_help": {
        "en": "Small enough to see every cell; at 16 or less the numbers are printed.",
        "zh": "足够小才能看清每个格子；不超过 16 时会显示数字。",
    },
    "activations.kernel": {"en": "Kernel W (3 × 3)", "zh": "卷积核 W（3 × 3）"},
    "activations.kernel.sobel_x": {"en": "Sobel x (vertical edges)", "zh": "Sobel x（竖直边缘）"},
    "activations.kernel.sobel_y": {"en": "Sobel y (horizontal edges)", "zh": "Sobel y（水平边缘）"},
    "activations.kernel.laplacian": {
        "en": "Laplacian (edges, all directions)",
        "zh": "拉普拉斯（各个方向的边缘）",
    },
    "activations.kernel.outline": {"en": "Outline", "zh": "轮廓"},
    "activations.kernel.sharpen": {"en": "Sharpen", "zh": "锐化"},
    "activations.kernel.emboss": {"en": "Emboss", "zh": "浮雕"},
    "activations.kernel.box_blur": {"en": "Box blur", "zh": "均值模糊"},
    "activations.kernel.identity": {"en": "Identity (Z = X + b)", "zh": "恒等（Z = X + b）"},
    "activations.bias": {"en": "Bias b", "zh": "偏置 b"},
    "activations.bias_help": {
        "en": "Added to every cell of Z: a negative bias switches more ReLU cells off.",
        "zh": "加到 Z 的每个格子上：偏置为负时，会有更多 ReLU 格子被关闭。",
    },
    "activations.upstream": {"en": "Upstream gradient δ_A = ∂L/∂A", "zh": "上游梯度 δ_A = ∂L/∂A"},
    "activations.upstream.ones": {"en": "All ones", "zh": "全为 1"},
    "activations.upstream.random": {"en": "Random", "zh": "随机"},
    "activations.seed": {"en": "Gradient seed", "zh": "梯度种子"},
    "activations.cell_row": {"en": "Cell row", "zh": "格子所在行"},
    "activations.cell_col": {"en": "Cell column", "zh": "格子所在列"},
    # Sections
    "activations.curves_header": {"en": "The functions and their slopes", "zh": "函数及其斜率"},
    "activations.maps_header": {
        "en": "On a feature map: forward (top) and backward (bottom)",
        "zh": "作用在特征图上：前向（上）与反向（下）",
    },
    "activations.cell_header": {"en": "One cell in numbers", "zh": "一个格子的具体数值"},
    "activations.general": {"en": "In general:", "zh": "一般形式："},
    "activations.this_cell": {
        "en": "For cell ({r}, {c}) (outlined in every map):",
        "zh": "对格子 ({r}, {c})（在每张图中都已框出）：",
    },
    "activations.source_code": {
        "en": "The engine's code: activation forward, derivative and backward",
        "zh": "引擎代码：激活函数的前向、导数与反向传播",
    },
    # What the derivative map says
    "activations.summary.relu": {
        "en": "**Dead ReLU cells** (Z ≤ 0, so σ'(Z) = 0): **{n} of {total} ({pct})**. No gradient flows "
        "back through them: they are white in σ'(Z) and in δ_Z.",
        "zh": "**死亡的 ReLU 格子**（Z ≤ 0，因此 σ'(Z) = 0）：**{total} 个中有 {n} 个（{pct}）**。"
        "梯度无法经过它们回传：它们在 σ'(Z) 和 δ_Z 中都是白色。",
    },
    "activations.summary.leaky_relu": {
        "en": "Cells with Z ≤ 0: **{n} of {total} ({pct})**. They pass back only α = {alpha} of their "
        "gradient: small, but never zero, so no unit dies.",
        "zh": "Z ≤ 0 的格子：**{total} 个中有 {n} 个（{pct}）**。它们只回传梯度的 α = {alpha}：很小，"
        "但从不为零，所以不会有单元死亡。",
    },
    "activations.summary.sigmoid": {
        "en": "σ'(Z) is never 0 for the sigmoid, and at most 0.25 (at Z = 0): every gradient shrinks by at "
        "least 4×. **{n} of {total} cells ({pct})** are saturated (σ'(Z) < {threshold}) and pass almost "
        "nothing back.",
        "zh": "Sigmoid 的 σ'(Z) 从不为 0，但最大只有 0.25（在 Z = 0 处）：每经过一次，梯度至少缩小为原来的 "
        "1/4。**{total} 个格子中有 {n} 个（{pct}）**已经饱和（σ'(Z) < {threshold}），几乎不回传任何梯度。",
    },
    "activations.summary.tanh": {
        "en": "σ'(Z) is never 0 for tanh, and at most 1 (at Z = 0). **{n} of {total} cells ({pct})** are "
        "saturated (σ'(Z) < {threshold}) and pass almost nothing back.",
        "zh": "tanh 的 σ'(Z) 从不为 0，最大为 1（在 Z = 0 处）。**{total} 个格子中有 {n} 个（{pct}）"
        "**已经饱和（σ'(Z) < {threshold}），几乎不回传任何梯度。",
    },
    "activations.summary.identity": {
        "en": "The identity passes every gradient back unchanged: σ'(Z) = 1 in all {total} cells.",
        "zh": "恒等函数把每个梯度原样回传：全部 {total} 个格子的 σ'(Z) 都等于 1。",
    },
    # Figure words
    "activations.fig.function": {"en": "σ(z)", "zh": "σ(z)"},
    "activations.fig.derivative": {"en": "σ'(z), dashed", "zh": "σ'(z)，虚线"},
    "activations.fig.histogram": {"en": "share of the map's Z cells", "zh": "特征图中 Z 值的占比"},
    "activations.fig.cell": {"en": "chosen cell", "zh": "选中的格子"},
    "activations.fig.x": {"en": "z", "zh": "z"},
    "activations.fig.y": {"en": "σ(z) and σ'(z)", "zh": "σ(z) 与 σ'(z)"},
    "activations.fig.x_title": {"en": "X (input)", "zh": "X（输入）"},
    "activations.fig.z_title": {"en": "Z = X ⋆ W + b", "zh": "Z = X ⋆ W + b"},
    "activations.fig.a_title": {"en": "A = σ(Z)", "zh": "A = σ(Z)"},
    "activations.fig.da_title": {"en": "δ_A = ∂L/∂A (upstream)", "zh": "δ_A = ∂L/∂A（上游）"},
    "activations.fig.slope_title": {"en": "σ'(Z): the local slope", "zh": "σ'(Z)：局部斜率"},
    "activations.fig.dz_title": {"en": "δ_Z = δ_A ⊙ σ'(Z)", "zh": "δ_Z = δ_A ⊙ σ'(Z)"},
    "activations.fig.x_bar": {"en": "brightness: black 0 → white 1", "zh": "亮度：黑 0 → 白 1"},
    "activations.fig.signed_bar": {"en": "blue < 0 < red", "zh": "蓝 < 0 < 红"},
    "activations.fig.slope_bar": {"en": "white = 0: the gradient stops", "zh": "白色 = 0：梯度在此停止"},
    "activations.curves_alt": {
        "en": "Line plot of the five activation functions over z from −6 to 6; {name} is drawn bold with "
        "its derivative dashed, over a histogram of the feature map's Z values.",
        "zh": "五种激活函数在 z 从 −6 到 6 范围内的曲线；{name} 用粗线画出，其导数用虚线，背景是特征图中 Z "
        "值的直方图。",
    },
    "activations.maps_alt": {
        "en": "Six heatmaps: the input image, Z, A = {name}(Z); the upstream gradient, the local slope "
        "σ'(Z) and the gradient δ_Z that flows back.",
        "zh": "六张热力图：输入图像、Z、A = {name}(Z)；上游梯度、局部斜率 σ'(Z)，以及回传的梯度 δ_Z。",
    },
}
