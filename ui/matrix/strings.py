"""Strings of the matrix page (pages/matrix.py): ids "matrix.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "matrix.intro": {
        "en": "A convolution is **linear** in its input, so it is a **matrix**: lay the input out as one "
        "long vector vec(x) (row after row) and the output as vec(y); then **vec(y) = C·vec(x)**. Row r of C "
        "is output cell r: the kernel's taps, placed at the input cells its window reads. Taps on the "
        "padding read zeros, so they are simply **missing** from C (blank below). The backward pass is the "
        "same matrix **transposed**: dX = Cᵀδ. Libraries never build C (it is mostly blank); their fast "
        "path builds **im2col**, the windows as rows, and multiplies it by the kernel: this app's engine "
        "does exactly that, and its own im2col is drawn here.",
        "zh": "卷积对输入是**线性**的，所以它就是一个**矩阵**：把输入逐行展开成一个长向量 vec(x)，"
        "输出展开成 vec(y)，那么 **vec(y) = C·vec(x)**。C 的第 r 行就是第 r 个输出格："
        "卷积核的各个抽头被放在它的窗口读取的输入格上。落在填充上的抽头读到的是零，"
        "所以它们在 C 中直接**缺失**（下图中的空白）。反向传播用的是同一个矩阵的**转置**：dX = Cᵀδ。"
        "深度学习库从不构造 C（它几乎全是空白）；它们的快速路径构造 **im2col**，即把窗口排成行，"
        "再乘以卷积核：本应用的引擎正是这样做的，下面画的就是它自己的 im2col。",
    },
    "matrix.kept": {
        "en": "The figures below still show the last settings that worked.",
        "zh": "下面的图仍显示上一次可用的设置。",
    },
    # Controls
    "matrix.rows": {"en": "Input rows H", "zh": "输入行数 H"},
    "matrix.cols": {"en": "Input columns W", "zh": "输入列数 W"},
    "matrix.kernel": {"en": "Kernel K × K", "zh": "卷积核 K × K"},
    "matrix.stride": {"en": "Stride s", "zh": "步幅 s"},
    "matrix.padding": {"en": "Padding p", "zh": "填充 p"},
    "matrix.padding_help": {
        "en": "Zero padding adds no columns to C: a tap that falls on the padding multiplies a zero, so its "
        "entry is left out. In im2col, which copies the padded input, it is a 0 (shaded).",
        "zh": "零填充不会给 C 增加列：落在填充上的抽头乘的是零，所以它的元素被省略。"
        "在复制填充后输入的 im2col 中，它是一个 0（灰色阴影）。",
    },
    "matrix.dilation": {"en": "Dilation d", "zh": "膨胀 d"},
    "matrix.source": {"en": "Values of x, W and δ", "zh": "x、W 和 δ 的值"},
    "matrix.source.preset": {"en": "Example", "zh": "示例"},
    "matrix.source.random": {"en": "Random", "zh": "随机"},
    "matrix.seed": {"en": "Seed", "zh": "种子"},
    # Sizes
    "matrix.sizes": {
        "en": "x has H·W = {n} entries and y has H_out·W_out = {m}: C is {m} × {n}, and im2col is "
        "{m} × {taps} (one row per output cell, one column per kernel tap). {filled} of C's {cells} entries "
        "are taps.",
        "zh": "x 有 H·W = {n} 个元素，y 有 H_out·W_out = {m} 个：C 是 {m} × {n} 的矩阵，"
        "im2col 是 {m} × {taps} 的矩阵（每个输出格一行，每个卷积核抽头一列）。"
        "C 的 {cells} 个元素中有 {filled} 个是抽头。",
    },
    # Forward
    "matrix.forward_header": {"en": "Forward: y = C · vec(x)", "zh": "前向传播：y = C · vec(x)"},
    "matrix.forward_caption": {
        "en": "Row r of C (outlined in vermilion) times vec(x) above it gives y_r at its right end. Orange: "
        "the entries of vec(x) that row reads, and the same cells on the input grid X: the window. Blank "
        "cells are entries C does not have (zeros). Blue < 0 < red. Press ▶ or drag the slider to step "
        "through the rows.",
        "zh": "C 的第 r 行（朱红色框）乘以它上方的 vec(x)，得到它右端的 y_r。"
        "橙色：这一行读取的 vec(x) 元素，以及输入网格 X 上对应的格子，也就是窗口。"
        "空白格是 C 中不存在的元素（即零）。蓝色 < 0 < 红色。点击 ▶ 或拖动滑块逐行查看。",
    },
    "matrix.forward_alt": {
        "en": "The {m} by {n} matrix C with row {r} outlined, the input as a row vector above it, the output "
        "as a column vector at its right, and the input and output grids on either side.",
        "zh": "{m} × {n} 的矩阵 C，第 {r} 行被框出；输入作为行向量画在它上方，输出作为列向量画在它右侧，"
        "两边是输入网格和输出网格。",
    },
    "matrix.cell_row": {"en": "Output row i", "zh": "输出行 i"},
    "matrix.cell_col": {"en": "Output column j", "zh": "输出列 j"},
    "matrix.this_row": {
        "en": "Output cell ({i}, {j}) is row r = i·W_out + j = {r} of C:",
        "zh": "输出格 ({i}, {j}) 是 C 的第 r = i·W_out + j = {r} 行：",
    },
    "matrix.row_padding": {
        "en": "{n} of its window's {taps} taps fall on the padding: they read zeros and are missing from "
        "this row.",
        "zh": "它的窗口的 {taps} 个抽头中有 {n} 个落在填充上：它们读到的是零，在这一行中缺失。",
    },
    # im2col
    "matrix.im2col_header": {
        "en": "The fast path's im2col: y = im2col · vec(W)",
        "zh": "快速路径的 im2col：y = im2col · vec(W)",
    },
    "matrix.im2col_caption": {
        "en": "The engine's `conv_fast.columns` copies every window into a row (it stores the matrix "
        "transposed, one row per tap: the layout its matrix product wants), then multiplies by the kernel "
        "laid out as a vector: one matrix product for the whole layer. Row r is the window C's row r "
        "reads, and the same row is outlined; grey: zeros copied from the padding.",
        "zh": "引擎的 `conv_fast.columns` 把每个窗口复制成一行（它存储的是转置后的矩阵，每个抽头一行："
        "这是它的矩阵乘法需要的布局），然后乘以展开成向量的卷积核：整层只需一次矩阵乘法。"
        "第 r 行就是 C 的第 r 行所读取的窗口，同一行被框出；灰色：从填充复制来的零。",
    },
    "matrix.im2col_alt": {
        "en": "The {m} by {taps} im2col matrix with row {r} outlined, the kernel as a row vector above it "
        "and the output as a column vector at its right.",
        "zh": "{m} × {taps} 的 im2col 矩阵，第 {r} 行被框出；卷积核作为行向量画在它上方，"
        "输出作为列向量画在它右侧。",
    },
    "matrix.forward_same": {
        "en": "Largest difference from the engine's `conv2d_forward`: {y}.",
        "zh": "与引擎的 `conv2d_forward` 的最大差值：{y}。",
    },
    # Backward: dX
    "matrix.dx_header": {"en": "Backward: dX = Cᵀ · vec(δ)", "zh": "反向传播：dX = Cᵀ · vec(δ)"},
    "matrix.dx_caption": {
        "en": "Read C **down a column** and it is a row of Cᵀ: column q (outlined) times δ at the right "
        "gives dX_q under it. Orange: the outputs whose windows read input cell q, on δ's grid too. Each "
        "input cell collects δ from exactly the windows that read it, weighted by the tap that read it.",
        "zh": "把 C **按列往下读**，就是 Cᵀ 的一行：第 q 列（框出）乘以右侧的 δ，得到它下方的 dX_q。"
        "橙色：窗口读取了输入格 q 的那些输出，δ 的网格上也标出了。"
        "每个输入格恰好从读取它的那些窗口收集 δ，权重是读取它的那个抽头。",
    },
    "matrix.dx_alt": {
        "en": "The matrix C with column {q} outlined, the upstream gradient as a column vector at its right "
        "and dX as a row vector under it, with the gradient grids on either side.",
        "zh": "矩阵 C，第 {q} 列被框出；上游梯度作为列向量画在它右侧，dX 作为行向量画在它下方，"
        "两边是梯度的网格。",
    },
    "matrix.input_row": {"en": "Input row u", "zh": "输入行 u"},
    "matrix.input_col": {"en": "Input column v", "zh": "输入列 v"},
    "matrix.this_column": {
        "en": "Input cell ({u}, {v}) is column q = u·W + v = {q} of C:",
        "zh": "输入格 ({u}, {v}) 是 C 的第 q = u·W + v = {q} 列：",
    },
    "matrix.no_window": {
        "en": "No window reads this cell (the stride or the dilation steps over it): its column of C is "
        "blank and its gradient is 0.",
        "zh": "没有任何窗口读取这个格子（步幅或膨胀跨过了它）：它在 C 中的那一列是空白，它的梯度为 0。",
    },
    "matrix.dx_same": {
        "en": "Largest difference from the engine's `conv2d_backward` dX: {dx}. The transposed-convolution "
        "page draws the same product as stamps.",
        "zh": "与引擎的 `conv2d_backward` 的 dX 的最大差值：{dx}。转置卷积页面把同一个乘积画成盖印的过程。",
    },
    # Backward: dW
    "matrix.dw_header": {
        "en": "Backward: dW = im2colᵀ · vec(δ), db = Σ δ",
        "zh": "反向传播：dW = im2colᵀ · vec(δ)，db = Σ δ",
    },
    "matrix.dw_caption": {
        "en": "Column t of im2col holds what kernel tap t saw in every window; times δ and summed, it is "
        "dW_t. The fast path's backward pass is this one product with the same im2col. Grey cells (padding "
        "zeros) add nothing.",
        "zh": "im2col 的第 t 列是卷积核抽头 t 在每个窗口中看到的值；乘以 δ 再求和，就是 dW_t。"
        "快速路径的反向传播就是用同一个 im2col 做这一次乘法。灰色格子（填充的零）不贡献任何值。",
    },
    "matrix.dw_alt": {
        "en": "The im2col matrix with column {t} outlined, the upstream gradient at its right and dW as a "
        "row vector under it.",
        "zh": "im2col 矩阵，第 {t} 列被框出；上游梯度画在它右侧，dW 作为行向量画在它下方。",
    },
    "matrix.tap_row": {"en": "Kernel row k", "zh": "卷积核行 k"},
    "matrix.tap_col": {"en": "Kernel column l", "zh": "卷积核列 l"},
    "matrix.this_tap": {
        "en": "Tap ({k}, {l}) is column t = k·K + l = {t} of im2col:",
        "zh": "抽头 ({k}, {l}) 是 im2col 的第 t = k·K + l = {t} 列：",
    },
    "matrix.dw_same": {
        "en": "Largest difference from the engine's `conv2d_backward`: dW {dw}, db {db}.",
        "zh": "与引擎的 `conv2d_backward` 的最大差值：dW 为 {dw}，db 为 {db}。",
    },
    "matrix.general": {"en": "In general:", "zh": "一般形式："},
    "matrix.source_code": {
        "en": "The engine's code: C from the taps, and the fast path's im2col",
        "zh": "引擎代码：由抽头构造 C，以及快速路径的 im2col",
    },
    # Figure words
    "matrix.fig.output_cell": {"en": "output cell (i, j) = ", "zh": "输出格 (i, j) = "},
    "matrix.fig.input_cell": {"en": "input cell (u, v) = ", "zh": "输入格 (u, v) = "},
    "matrix.fig.tap": {"en": "kernel tap (k, l) = ", "zh": "卷积核抽头 (k, l) = "},
    "matrix.fig.slow": {"en": "▶ Slow", "zh": "▶ 慢速"},
    "matrix.fig.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "matrix.fig.fast": {"en": "▶▶ Fast", "zh": "▶▶ 快速"},
    "matrix.fig.pause": {"en": "⏸ Pause", "zh": "⏸ 暂停"},
}
