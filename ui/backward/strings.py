"""Strings of the backward-pass page ("backward.*"): its sections, then its view picker and gradient check."""

STRINGS: dict[str, dict[str, str]] = {
    "backward.lead": {
        "en": "The forward pass turned the input X into A = σ(Z) with the kernels W and the biases b. A "
        "loss L at the end now sends its gradient back: through the activation (δ), then through the "
        "convolution to the kernels (dW), the biases (db) and the input (dX). The image, kernels and "
        "geometry are the forward page's (in the sidebar).",
        "zh": "前向传播用卷积核 W 和偏置 b 把输入 X 变成了 A = σ(Z)。现在，末端的损失 L 把它的梯度往回传："
        "先穿过激活函数（得到 δ），再穿过卷积层，传到卷积核（dW）、偏置（db）和输入（dX）。图像、"
        "卷积核以及步幅、填充、膨胀都沿用前向传播页的设置（在侧边栏中）。",
    },
    "backward.shapes": {
        "en": "**Shapes** · X {C}×{H}×{W} · W {F}×{C}×{KH}×{KW} · b {F} · Z, A and δ {F}×{H_out}×{W_out}. "
        "Every gradient has the shape of what it belongs to: dW {F}×{C}×{KH}×{KW}, db {F}, dX "
        "{C}×{H}×{W}.",
        "zh": "**形状** · X {C}×{H}×{W} · W {F}×{C}×{KH}×{KW} · b {F} · Z、A 和 δ {F}×{H_out}×{W_out}。"
        "每个梯度的形状都与它所属的量相同：dW {F}×{C}×{KH}×{KW}，db {F}，dX {C}×{H}×{W}。",
    },
    "backward.kernel_shown": {"en": "Kernel shown", "zh": "显示的卷积核"},
    "backward.channel_shown": {"en": "Channel of dX shown", "zh": "显示的 dX 通道"},
    "backward.channel_help": {
        "en": "dX has one map per input channel; the animations and the gather view show one of them.",
        "zh": "dX 的每个输入通道各有一张图；动画和汇集视图只显示其中一张。",
    },
    # 1. The loss.
    "backward.loss_header": {"en": "1 · Where the gradient comes from", "zh": "1 · 梯度从哪里来"},
    "backward.loss": {"en": "Loss L at the end of the layer", "zh": "层末端的损失 L"},
    "backward.loss.sum": {
        "en": "L = Σ A (every output cell pulls the same)",
        "zh": "L = Σ A（每个输出格的作用相同）",
    },
    "backward.loss.mse": {"en": "Mean squared error to a target map", "zh": "与目标图之间的均方误差"},
    "backward.loss.impulse": {"en": "One output cell (one-hot)", "zh": "单个输出格（独热）"},
    "backward.loss_help.sum": {
        "en": "∂L/∂A is 1 everywhere. With no activation δ is 1 too, and dX shows how often each pixel is "
        "read, weighted by the kernel.",
        "zh": "∂L/∂A 处处为 1。没有激活函数时 δ 也处处为 1，此时 dX 显示的是每个像素被读取的次数，"
        "并按卷积核的权重加权。",
    },
    "backward.loss_help.mse": {
        "en": "The target T is what the target kernel makes of the same image; ∂L/∂A = (A − T)/M pulls the "
        "output toward it.",
        "zh": "目标 T 是目标卷积核作用于同一幅图像得到的结果；∂L/∂A = (A − T)/M 把输出拉向 T。",
    },
    "backward.loss_help.impulse": {
        "en": "∂L/∂A is 1 at one output cell and 0 elsewhere: dX shows the kernel's footprint there, and "
        "dW the window that cell saw.",
        "zh": "∂L/∂A 在一个输出格上为 1，其余各处为 0：dX 显示的是卷积核落在该处的样子，dW "
        "显示的是该格看到的窗口。",
    },
    "backward.target": {"en": "Target kernel", "zh": "目标卷积核"},
    "backward.target_help": {
        "en": "Makes the target map T of the MSE loss, and is what “Learn the kernel” (section 8) moves "
        "the kernels toward.",
        "zh": "用来生成均方误差损失的目标图 T；“学习卷积核”（第 8 节）也会让卷积核朝它移动。",
    },
    "backward.cell_row": {"en": "One-hot cell: row (0–{top})", "zh": "独热格：行（0–{top}）"},
    "backward.cell_col": {"en": "One-hot cell: column (0–{top})", "zh": "独热格：列（0–{top}）"},
    "backward.cell_help": {"en": "Or click a cell in the maps below.", "zh": "也可以点击下方图中的某一格。"},
    "backward.cell_help_other": {
        "en": "Click a cell in the maps below to see its δ worked out; until then it is the cell where "
        "|δ| is largest (outlined).",
        "zh": "点击下方图中的某一格，即可看到它的 δ 的计算过程；在此之前显示的是 |δ| 最大的那一格（已框出）"
        "。",
    },
    # 2. δ.
    "backward.delta_header": {
        "en": "2 · Through the activation: δ = ∂L/∂A ⊙ σ'(Z)",
        "zh": "2 · 穿过激活函数：δ = ∂L/∂A ⊙ σ'(Z)",
    },
    "backward.delta_lead": {
        "en": "The loss gives ∂L/∂A. The activation multiplies it, cell by cell, by its own slope σ'(Z): "
        "the result δ = ∂L/∂Z is what the convolution receives. Where σ' is 0 (ReLU's negative "
        "side), the gradient stops.",
        "zh": "损失给出 ∂L/∂A。激活函数把它逐格乘以自身的斜率 σ'(Z)：得到的 δ = ∂L/∂Z "
        "就是卷积层接收到的梯度。在 σ' 为 0 的地方（ReLU 的负半轴），梯度就停止了。",
    },
    "backward.fig.z": {"en": "Output A = Z · {shape}", "zh": "输出 A = Z · {shape}"},
    "backward.fig.a": {"en": "Output A = σ(Z) · {shape}", "zh": "输出 A = σ(Z) · {shape}"},
    "backward.fig.target": {"en": "Target T · {shape}", "zh": "目标 T · {shape}"},
    "backward.fig.da": {"en": "∂L/∂A · {shape}", "zh": "∂L/∂A · {shape}"},
    "backward.fig.dsigma": {"en": "σ'(Z) · {shape}", "zh": "σ'(Z) · {shape}"},
    "backward.fig.delta": {"en": "δ = ∂L/∂Z · {shape}", "zh": "δ = ∂L/∂Z · {shape}"},
    "backward.fig.click": {"en": "click: pick this cell", "zh": "点击：选中这一格"},
    "backward.fig.constant": {"en": "{value} everywhere", "zh": "处处为 {value}"},
    "backward.chain_click": {
        "en": "Click a cell (outlined): the formula below works out its δ, the one-hot loss moves there, and "
        "the step-by-step view (section 4, dotted frame) jumps to it.",
        "zh": "点击某一格（框出的即为所选格）：下方的公式会算出它的 δ，独热损失会移到那里，逐步演示（第 4 "
        "节，虚线框）也会跳到这一格。",
    },
    "backward.alt_loss": {
        "en": "Heatmaps of the layer's output A and, for the squared error, the target map T.",
        "zh": "热力图：该层的输出 A，以及（使用均方误差时的）目标图 T。",
    },
    "backward.alt_delta": {
        "en": "Heatmaps of the loss's gradient ∂L/∂A, the activation's slope σ'(Z), and their product δ.",
        "zh": "热力图：损失的梯度 ∂L/∂A、激活函数的斜率 σ'(Z)，以及二者的乘积 δ。",
    },
    # 3. The gradients.
    "backward.gradients_header": {"en": "3 · The gradients of W, b and X", "zh": "3 · W、b 和 X 的梯度"},
    "backward.gradients_lead": {
        "en": "From δ the convolution gives three gradients, each with the shape of what it belongs to: dW "
        "like the kernels, db one number per kernel, dX like the input.",
        "zh": "由 δ 出发，卷积层给出三个梯度，每个梯度的形状都与它所属的量相同：dW 与卷积核相同，db "
        "每个卷积核一个数，dX 与输入相同。",
    },
    "backward.fig.dw": {"en": "dW kernel {n}{channel} · {shape}", "zh": "dW（卷积核 {n}{channel}）· {shape}"},
    "backward.fig.db": {"en": "db({n})", "zh": "db({n})"},
    "backward.fig.input": {"en": "Input X · {shape}", "zh": "输入 X · {shape}"},
    "backward.fig.dx": {"en": "dX{channel} · {shape}", "zh": "dX{channel} · {shape}"},
    "backward.fig.gradient": {"en": "gradient", "zh": "梯度"},
    "backward.alt_weights": {
        "en": "The gradient of each kernel, channel by channel, with its numbers, and the gradient of each "
        "bias.",
        "zh": "每个卷积核逐通道的梯度（附数值），以及每个偏置的梯度。",
    },
    "backward.alt_dx": {
        "en": "The input image and the gradient of the loss with respect to each of its channels.",
        "zh": "输入图像，以及损失对其每个通道的梯度。",
    },
    "backward.dx_transposed": {
        "en": "dX is a transposed convolution of δ: see it stamp by stamp",
        "zh": "dX 是 δ 的转置卷积：一个印章接一个印章地看",
    },
    "backward.formulas": {"en": "The formulas (one image)", "zh": "公式（单幅图像）"},
    "backward.formulas_note": {
        "en": "s: stride, d: dilation, X_pad: the padded input. Below, with this image's numbers: db and "
        "the first entry of dW of the kernel shown.",
        "zh": "s：步幅，d：膨胀，X_pad：填充后的输入。下面代入这幅图像的数值：db，以及所显示卷积核的 dW "
        "的第一个元素。",
    },
    # 4. Step by step.
    "backward.step_header": {
        "en": "4 · Step by step: each output cell sends its δ back",
        "zh": "4 · 逐步演示：每个输出格把它的 δ 传回去",
    },
    "backward.step_lead": {
        "en": "The window visits the output cells of a crop in order. At each, δ(i, j) scales the input "
        "window into dW, scales the kernel into dX's window (the scatter form) and adds itself to "
        "db. The totals build up; over the whole map they end at dW, db and dX.",
        "zh": "窗口按顺序访问演示区域中的各个输出格。在每一格，δ(i, j) 乘以输入窗口后累加到 dW，"
        "乘以卷积核后累加到 dX 的对应窗口（分发形式），并把自身加到 db 上。这些总和逐步累积；扫过整张图后，"
        "它们就是 dW、db 和 dX。",
    },
    "backward.fig.delta_crop": {"en": "δ (crop)", "zh": "δ（局部）"},
    "backward.fig.dx_crop": {"en": "dX_pad so far{channel}", "zh": "目前累计的 dX_pad{channel}"},
    "backward.fig.dw_step": {"en": "δ(i, j) × window", "zh": "δ(i, j) × 窗口"},
    "backward.fig.dw_total": {"en": "dW so far", "zh": "目前累计的 dW"},
    "backward.fig.dx_step": {"en": "δ(i, j) × W", "zh": "δ(i, j) × 卷积核"},
    "backward.fig.delta_line": {"en": "δ({i}, {j}) = {delta}", "zh": "δ({i}, {j}) = {delta}"},
    # Predict, then reveal (ui/backward/predict.py).
    "predict.backward.dw": {
        "en": "The next step sends δ({i}, {j}) back. What is dW({k}, {l}), the kernel's middle tap, "
        "after it?",
        "zh": "下一步把 δ({i}, {j}) 传回。之后卷积核中间的 dW({k}, {l}) 是多少？",
    },
    "predict.backward.dw_answer": {
        "en": "$dW({k}, {l}) = {value}$: what it was, plus δ times the window's value there. Press Next ▶.",
        "zh": "$dW({k}, {l}) = {value}$：原来的值加上 δ 乘以窗口在该处的值。按“下一步 ▶”。",
    },
    # Words inside the formulas (KaTeX \\text).
    "backward.tex.so_far": {"en": "so far", "zh": "（目前累计）"},
    "backward.tex.otherwise": {"en": "otherwise", "zh": "其他"},
    "backward.tex.unread": {"en": "no window reads this cell", "zh": "没有窗口读到这个格子"},
    "backward.tex.window": {"en": "window", "zh": "窗口"},
    "backward.tex.if": {"en": "if", "zh": "当"},
    "backward.tex.else": {"en": "else", "zh": "否则为"},
    "backward.fig.db_line": {"en": "db so far = {db}", "zh": "目前累计的 db = {db}"},
    "backward.fig.db_sweep": {"en": "db so far<br>= {db}", "zh": "目前累计的 db<br>= {db}"},
    "backward.fig.padding": {
        "en": "padding cell: its gradient is cropped or folded back",
        "zh": "填充格：它的梯度会被裁掉或折回",
    },
    "backward.fig.jump": {"en": "click: show this step", "zh": "点击：显示这一步"},
    "backward.step_click": {
        "en": "Click a δ cell in the figure to jump to its step. The crop and the step are shared with the "
        "forward page.",
        "zh": "点击图中的某个 δ 格，即可跳到对应的步骤。演示区域和当前步骤与前向传播页共用。",
    },
    "backward.step_explain": {"en": "What output cell ({i}, {j}) adds", "zh": "输出格 ({i}, {j}) 的贡献"},
    "backward.alt_animation": {
        "en": "Animation of the backward pass: the window visits each output cell; δ times the window adds "
        "to dW, δ times the kernel adds to dX, and db accumulates.",
        "zh": "动画：反向传播时窗口依次访问每个输出格；δ 乘以窗口累加到 dW，δ 乘以卷积核累加到 dX，db "
        "也随之累积。",
    },
    # 5. The whole image.
    "backward.sweep_header": {"en": "5 · The whole image, row by row", "zh": "5 · 整幅图像，逐行扫描"},
    "backward.sweep_lead": {
        "en": "The same pass over every output row: the band of windows moves down, dX receives its "
        "gradient (pale rows still receive some from the next rows; hidden rows none yet) and dW "
        "adds up.",
        "zh": "对每一行输出都做同样的计算：一排窗口逐行下移，dX "
        "接收它的梯度（浅色的行还会从后面的行接收梯度；隐藏的行尚未接收任何梯度），dW 也不断累加。",
    },
    "backward.fig.sweep_delta": {"en": "δ of kernel {n}", "zh": "卷积核 {n} 的 δ"},
    "backward.fig.sweep_dx": {"en": "dX from kernel {n}{channel}", "zh": "来自卷积核 {n} 的 dX{channel}"},
    "backward.alt_sweep": {
        "en": "Animation of the backward pass over the whole image, one band of rows at a time.",
        "zh": "动画：反向传播扫过整幅图像，每次处理由若干行组成的一条带。",
    },
    # 6. Gather.
    "backward.gather_header": {"en": "6 · Why dX is a convolution", "zh": "6 · 为什么 dX 是一次卷积"},
    "backward.gather_lead": {
        "en": "**Scatter** (section 4): each output cell adds δ(i, j)·W into its window. **Gather**: each "
        "input cell collects δ × the weight that read it, from every window that read it. Collecting "
        "everywhere at once is itself a convolution: spread δ out by the stride (s − 1 zeros between "
        "entries), pad it by d·(K − 1) on each side, and slide the kernel rotated by 180° (dilated) "
        "over it. Top row: the gather form's arrays. Bottom row: both results, and what happens to "
        "the padding.",
        "zh": "**分发**（scatter，第 4 节）：每个输出格把 δ(i, j)·W 加到它的窗口中。**汇集**（gather）："
        "每个输入格从所有读取过它的窗口中，收集 δ × 读取它的那个权重。同时在所有位置做汇集，"
        "本身就是一次卷积：按步幅把 δ 拉开（相邻元素之间插入 s − 1 个零），每侧填充 d·(K − 1)，再让旋转 "
        "180° 的卷积核（带膨胀）在上面滑动。上排：汇集形式用到的各个数组。下排：两种形式的结果，"
        "以及填充处的梯度如何处理。",
    },
    "backward.fig.g_delta": {"en": "δ", "zh": "δ"},
    "backward.fig.g_spread": {"en": "δ spread by the stride", "zh": "按步幅拉开的 δ"},
    "backward.fig.g_padded": {"en": "… padded by d·(K − 1)", "zh": "…再填充 d·(K − 1)"},
    "backward.fig.g_rotated": {"en": "W rotated 180°{channel}", "zh": "旋转 180° 的 W{channel}"},
    "backward.fig.g_gather": {
        "en": "Gather: padded ⋆ rotated W{channel}",
        "zh": "汇集：<br>填充后的 δ ⋆ 旋转的 W{channel}",
    },
    "backward.fig.g_scatter": {
        "en": "Scatter: Σ δ·W into windows{channel}",
        "zh": "分发：<br>向各窗口累加 δ·W{channel}",
    },
    "backward.fig.g_border_zeros": {"en": "On padding cells: cropped off", "zh": "落在填充格上：<br>裁掉"},
    "backward.fig.g_border_fold": {"en": "On padding cells: folded back", "zh": "落在填充格上：<br>折回"},
    "backward.fig.g_dx": {"en": "dX{channel}", "zh": "dX{channel}"},
    "backward.alt_gather": {
        "en": "The gather form of dX step by step (δ, δ spread by the stride, padded, the rotated kernel) "
        "and the gradient of the padded input computed by gather and by scatter, side by side.",
        "zh": "逐步展示 dX 的汇集形式（δ、按步幅拉开的 δ、填充后的 δ、旋转后的卷积核），"
        "并把用汇集和分发两种方式算出的填充后输入的梯度并排对比。",
    },
    "backward.gather_equal": {
        "en": "Both forms give the same dX_pad: their largest difference is {gap} (rounding). Over every "
        "kernel, the gather form's dX and the engine's conv2d_backward differ by at most {total}.",
        "zh": "两种形式给出相同的 dX_pad：最大差值为 {gap}（舍入误差）。对所有卷积核，汇集形式算出的 dX "
        "与引擎的 conv2d_backward 之差最多为 {total}。",
    },
    "backward.border_zeros": {
        "en": "**Padding.** With zero padding the padding cells copied nothing from the input, so the "
        "gradient that lands on them (the ring outside the dashed frame) is simply cropped off.",
        "zh": "**填充。** 补零填充时，填充格没有从输入复制任何值，所以落在它们上面的梯度（虚线框外的一圈）"
        "直接被裁掉。",
    },
    "backward.border_fold": {
        "en": "**Padding.** With {mode} padding each padding cell is a copy of an input cell, so the "
        "gradient that lands on it is folded back (added) onto the cell it copied: dX is dX_pad's "
        "inside plus the folded-back border.",
        "zh": "**填充。** 使用{mode}填充时，每个填充格都是某个输入格的副本，"
        "所以落在填充格上的梯度会折回（加）到它所复制的那个输入格上：dX 等于 dX_pad 的内部加上折回的边缘。",
    },
    "backward.pixel_header": {"en": "One input pixel, gathered", "zh": "汇集一个输入像素的梯度"},
    "backward.pixel_row": {"en": "Input row (0–{top})", "zh": "输入行（0–{top}）"},
    "backward.pixel_col": {"en": "Input column (0–{top})", "zh": "输入列（0–{top}）"},
    "backward.pixel_same": {
        "en": "Pixel ({u}, {v}) of X is cell ({u} + {top}, {v} + {left}) of X_pad: dX({u}, {v}) is this sum.",
        "zh": "X 的像素 ({u}, {v}) 就是 X_pad 的格 ({u} + {top}, {v} + {left})：dX({u}, {v}) "
        "就是上面这个和。",
    },
    "backward.pixel_note": {
        "en": "Pixel ({u}, {v}) of X is cell ({u} + {top}, {v} + {left}) of X_pad; the padding cells that "
        "copy it add {folded}, so dX({u}, {v}) = {value}.",
        "zh": "X 的像素 ({u}, {v}) 就是 X_pad 的格 ({u} + {top}, {v} + {left})；复制它的填充格又加上 "
        "{folded}，所以 dX({u}, {v}) = {value}。",
    },
    "backward.overlap_header": {"en": "How often each input cell is read", "zh": "每个输入格被读取了多少次"},
    "backward.overlap_even": {
        "en": "At stride 1 every cell well inside the image is read by the same number of (window, tap) "
        "pairs (the kernel's {taps} taps); only cells near the border are read less: {low} to {high} "
        "times inside the image.",
        "zh": "步幅为 1 时，图像内部远离边缘的每一格被读取的（窗口，抽头）对数都相同（即卷积核的 {taps} "
        "个抽头）；只有靠近边缘的格被读取得少一些：在图像内，读取次数为 {low} 到 {high} 次。",
    },
    "backward.overlap_uneven": {
        "en": "With a stride above 1 the windows overlap unevenly: inside the image, cells are read from "
        "{low} to {high} times, so some pixels collect gradient from more windows than their "
        "neighbours (and a cell read 0 times gets none).",
        "zh": "步幅大于 1 时，窗口的重叠并不均匀：在图像内，各格被读取 {low} 到 {high} 次，"
        "因此有些像素会比相邻像素从更多的窗口收集梯度（被读取 0 次的格则得不到任何梯度）。",
    },
    "backward.fig.overlap": {
        "en": "Windows reading each cell of X_pad (the image, {shape}, dashed)",
        "zh": "读取 X_pad 每一格的窗口数（虚线框内为 {shape} 的图像）",
    },
    "backward.fig.overlap_bar": {"en": "windows", "zh": "窗口数"},
    "backward.alt_overlap": {
        "en": "A map of how many windows read each cell of the padded input.",
        "zh": "一张图：填充后的输入的每一格分别被多少个窗口读取。",
    },
    # 7. Gradient check.
    "backward.check_header": {"en": "7 · Gradient check", "zh": "7 · 梯度检验"},
    "backward.check_lead": {
        "en": "Is the backward pass right? Nudge one number θ (a weight, a bias or a pixel) by ±ε, run the "
        "whole layer forward again (convolution, activation, loss) and compare (L(θ + ε) − L(θ − ε)) "
        "/ 2ε with the analytic gradient a. The relative error |a − n| / (|a| + |n|) should be about "
        "10⁻⁷ or less; 10⁻² or more means a bug. Entries whose gradient is (almost) 0 are measured "
        "against 10⁻³ × the largest entry of their array, since a finite difference cannot measure a "
        "zero to relative precision.",
        "zh": "反向传播算得对吗？把一个数 θ（某个权重、偏置或像素）加减 ε，把整层（卷积、激活函数、损失）"
        "重新前向计算一遍，再把数值梯度 n = (L(θ + ε) − L(θ − ε)) / 2ε 与解析梯度 a 相比较。相对误差 |a − "
        "n| / (|a| + |n|) 应在 10⁻⁷ 左右或更小；达到 10⁻² 或更大就说明实现有误。梯度（几乎）为 0 的元素，"
        "则以所在数组中最大元素的 10⁻³ 倍作为衡量基准，因为有限差分无法以相对精度测出一个零。",
    },
    "backward.eps": {"en": "Step ε", "zh": "步长 ε"},
    "backward.eps_help": {
        "en": "Too large, and the loss's curvature spoils the difference; too small, and rounding does.",
        "zh": "ε 太大，损失函数的曲率会使差分失准；ε 太小，舍入误差又会使它失准。",
    },
    "backward.richardson": {"en": "Combine ε and ε/2 (Richardson)", "zh": "组合 ε 与 ε/2（理查森外推）"},
    "backward.richardson_help": {
        "en": "(4·D(ε/2) − D(ε)) / 3 cancels the ε² error of a central difference D: sigmoid and tanh need "
        "it to reach 10⁻⁷.",
        "zh": "(4·D(ε/2) − D(ε)) / 3 可以消去中心差分 D 的 ε² 误差项：sigmoid 和 tanh 需要它才能达到 10⁻⁷。",
    },
    "backward.check_limit": {"en": "Entries checked per array (at most)", "zh": "每个数组最多检验的元素个数"},
    "backward.check_run": {"en": "Run the gradient check", "zh": "运行梯度检验"},
    "backward.check_press": {
        "en": "Press the button to compare the analytic gradients with finite differences for these "
        "settings.",
        "zh": "点击按钮，在当前设置下比较解析梯度与有限差分的结果。",
    },
    "backward.check_running": {
        "en": "Running the layer forward again for every entry…",
        "zh": "正在为每个元素重新前向计算整层……",
    },
    "backward.check_counts": {
        "en": "Checked: dW {w} of {w_all} entries, db {b} of {b_all}, dX {x} of {x_all}.",
        "zh": "已检验：dW {w_all} 个元素中的 {w} 个，db {b_all} 个中的 {b} 个，dX {x_all} 个中的 {x} 个。",
    },
    "backward.check_result": {
        "en": "Largest relative error **{worst}**; overall ‖a − n‖ / (‖a‖ + ‖n‖) = {overall}; {n} entries.",
        "zh": "最大相对误差 **{worst}**；整体 ‖a − n‖ / (‖a‖ + ‖n‖) = {overall}；共 {n} 个元素。",
    },
    "backward.check_good": {"en": "The analytic gradients are right.", "zh": "解析梯度是正确的。"},
    "backward.check_bad": {
        "en": "Above 10⁻⁷: try another ε, or turn on Richardson.",
        "zh": "高于 10⁻⁷：换一个 ε 试试，或者打开理查森外推。",
    },
    "backward.check_all_kinks": {
        "en": "Every sampled entry sits at a kink of the activation (see below), so none can be checked "
        "here: choose a smooth activation (sigmoid, tanh) or none.",
        "zh": "抽样的每个元素都位于激活函数的折点上（见下文），因此这里一个也无法检验："
        "请选择光滑的激活函数（sigmoid、tanh），或者不用激活函数。",
    },
    "backward.check_kinks": {
        "en": "{n} entries sit at a kink: nudging them moved some Z across 0, where ReLU's slope jumps, so "
        "no finite difference can match (the engine takes the slope of the negative side at exactly "
        "0). They are drawn as × and left out of the errors above.",
        "zh": "有 {n} 个元素位于折点上：扰动它们会使某些 Z 越过 0，而 ReLU 的斜率在 0 处跳变，"
        "因此任何有限差分都无法与之吻合（Z 恰好为 0 时，引擎取负半轴一侧的斜率）。它们用 × 标出，"
        "不计入上面的误差。",
    },
    "backward.check_sampled": {
        "en": "A large input: fewer entries are sampled to keep the check to about a second.",
        "zh": "输入较大：减少了抽样的元素个数，使检验在一秒左右完成。",
    },
    "backward.col.array": {"en": "gradient", "zh": "梯度"},
    "backward.col.index": {"en": "index", "zh": "索引"},
    "backward.col.analytic": {"en": "analytic", "zh": "解析梯度"},
    "backward.col.numeric": {"en": "numeric", "zh": "数值梯度"},
    "backward.col.error": {"en": "relative error", "zh": "相对误差"},
    "backward.col.kink": {"en": "at a kink", "zh": "位于折点"},
    "backward.fig.check_w": {"en": "dW", "zh": "dW"},
    "backward.fig.check_b": {"en": "db", "zh": "db"},
    "backward.fig.check_x": {"en": "dX", "zh": "dX"},
    "backward.fig.check_smooth": {"en": "checked entry", "zh": "已检验的元素"},
    "backward.fig.check_kink": {"en": "at a kink (left out)", "zh": "位于折点（不计入）"},
    "backward.fig.check_line": {"en": "10⁻⁷", "zh": "阈值 10⁻⁷"},
    "backward.fig.check_y": {"en": "relative error", "zh": "相对误差"},
    "backward.fig.check_exact": {"en": "exactly equal", "zh": "完全相等"},
    "backward.alt_check": {
        "en": "The relative error of every checked gradient entry on a log scale.",
        "zh": "每个已检验梯度元素的相对误差（对数坐标）。",
    },
    # 8. Learn the kernel.
    "backward.learn_header": {"en": "8 · Learn the kernel", "zh": "8 · 学习卷积核"},
    "backward.learn_lead": {
        "en": "Gradient descent on the MSE loss to the map that **{target}** makes: W ← W − η·dW and b ← b "
        "− η·db, again and again. The loss falls and the kernels move toward {target} (as far as the "
        "image has the patterns that tell them apart).",
        "zh": "对均方误差损失做梯度下降，目标是 **{target}** 生成的特征图：W ← W − η·dW，b ← b − η·db，"
        "一遍又一遍。损失不断下降，卷积核也逐渐移向 {target}（只要图像中有足以把它们区分开的图案）。",
    },
    "backward.lr": {"en": "Learning rate η", "zh": "学习率 η"},
    "backward.lr_help": {
        "en": "With no activation the loss is quadratic in W and b, and descent converges on this image "
        "for η below {stable} (2 / the largest eigenvalue of the windows' second-moment matrix); "
        "above it the loss blows up.",
        "zh": "没有激活函数时，损失是 W 和 b 的二次函数。η 小于 {stable}（即 2 / "
        "窗口二阶矩矩阵的最大特征值）时，梯度下降在这幅图像上收敛；超过这个值，损失就会发散。",
    },
    "backward.steps": {"en": "Steps N", "zh": "步数 N"},
    "backward.step_once": {"en": "Step once", "zh": "单步执行"},
    "backward.run_steps": {"en": "Run {n} steps", "zh": "运行 {n} 步"},
    "backward.reset": {"en": "Reset", "zh": "重置"},
    "backward.learn_start": {
        "en": "Press **Step once** or **Run** to start from the kernels in the sidebar.",
        "zh": "点击 **单步执行** 或 **运行 N 步**，以侧边栏中的卷积核为起点开始训练。",
    },
    "backward.learn_running": {"en": "Step {n} of {total}", "zh": "第 {n} 步，共 {total} 步"},
    "backward.learn_result": {
        "en": "After **{n}** steps the loss went from {first} to **{last}**; the largest gap between the "
        "kernels and the target went from {start} to {gap}.",
        "zh": "经过 **{n}** 步，损失从 {first} 变为 **{last}**；卷积核与目标之间的最大差距从 {start} 变为 "
        "{gap}。",
    },
    "backward.learn_diverged": {
        "en": "The loss blew up and descent stopped: η is too large for this image. Lower it and press "
        "Reset.",
        "zh": "损失发散，梯度下降已停止：对这幅图像来说 η 太大了。请调小 η，再点击“重置”。",
    },
    "backward.fig.loss_curve": {"en": "Loss L (log scale)", "zh": "损失 L（对数坐标）"},
    "backward.fig.step_axis": {"en": "step", "zh": "步数"},
    "backward.fig.loss_axis": {"en": "L", "zh": "L"},
    "backward.fig.k_start": {"en": "Start", "zh": "初始"},
    "backward.fig.k_now": {"en": "Now", "zh": "当前"},
    "backward.fig.k_target": {"en": "Target", "zh": "目标"},
    "backward.fig.step_prefix": {"en": "After step: ", "zh": "已完成步数："},
    "backward.alt_learn": {
        "en": "The loss curve of gradient descent and the kernel moving toward its target.",
        "zh": "梯度下降的损失曲线，以及逐渐移向目标的卷积核。",
    },
    "backward.code": {
        "en": "The code for this page: the loss, δ, dX, dW and db in NumPy with the engine, and in PyTorch "
        "with backward()",
        "zh": "本页的代码：用引擎（NumPy）计算损失、δ、dX、dW 和 db，以及用 PyTorch 的 backward() 计算",
    },
    "backward.source": {
        "en": "The engine's code for this page: the scatter form (readable backward), the padding's fold, "
        "the gather form and the overlap counts",
        "zh": "本页使用的引擎代码：分发形式（易读的反向传播实现）、填充的折回、汇集形式以及读取次数的统计",
    },
    # --- Strings of the backward page's view picker: the closer looks below the heatmaps, one at a time.
    "backward.view_label": {"en": "Look closer", "zh": "仔细看"},
    "backward.view_help": {
        "en": "One view at a time: only the view shown is computed, so every change of a setting stays fast "
        "on a large image.",
        "zh": "一次显示一个视图：只计算正在显示的视图，因此在大图像上改变设置也依然很快。",
    },
    "backward.view.steps": {"en": "4 · Step by step", "zh": "4 · 逐步演示"},
    "backward.view.sweep": {"en": "5 · Row by row", "zh": "5 · 逐行扫描"},
    "backward.view.gather": {"en": "6 · dX as a convolution", "zh": "6 · dX 也是卷积"},
    "backward.view.check": {"en": "7 · Gradient check", "zh": "7 · 梯度检验"},
    "backward.view.learn": {"en": "8 · Learn the kernel", "zh": "8 · 学习卷积核"},
    # --- Strings of the backward page's gradient-check hover text and of the channel named in its titles.
    # Hover text of each checked entry in the gradient-check figure: the word before each number.
    "backward.fig.check_analytic": {"en": "analytic", "zh": "解析梯度"},
    "backward.fig.check_numeric": {"en": "numeric", "zh": "数值梯度"},
    "backward.fig.check_error": {"en": "error", "zh": "相对误差"},
    # The colour channel of an RGB image added to a title: "dW kernel 1, R" / "dX_pad so far (R)".
    "backward.fig.channel_suffix": {"en": ", {channel}", "zh": "，{channel}"},
    "backward.fig.channel_paren": {"en": " ({channel})", "zh": "（{channel}）"},
}
