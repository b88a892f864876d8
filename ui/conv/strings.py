"""Strings of the convolution controls (forward and backward pages), then of the forward page."""

STRINGS: dict[str, dict[str, str]] = {
    # Section headers.
    "conv.input": {"en": "Input image", "zh": "输入图像"},
    "conv.kernels": {"en": "Kernels", "zh": "卷积核"},
    "conv.geometry": {"en": "Stride, padding, dilation", "zh": "步幅、填充、膨胀"},
    # Image.
    "conv.source": {"en": "Image from", "zh": "图像来源"},
    "conv.source.sample": {"en": "Sample", "zh": "示例"},
    "conv.source.upload": {"en": "Upload", "zh": "上传"},
    "conv.source.camera": {"en": "Camera", "zh": "摄像头"},
    "conv.sample": {"en": "Sample image", "zh": "示例图像"},
    "conv.upload": {
        "en": "Upload an image (PNG, JPEG, GIF, BMP, WEBP, TIFF)",
        "zh": "上传图像（PNG、JPEG、GIF、BMP、WEBP、TIFF）",
    },
    "conv.upload_help": {
        "en": "The file stays in memory for this session only; nothing is saved.",
        "zh": "文件只在本次会话的内存中保留，不会被保存。",
    },
    "conv.upload_too_big": {
        "en": "This file is {size} MB; the limit is {limit} MB. Try a smaller image.",
        "zh": "该文件大小为 {size} MB，上限为 {limit} MB。请换一张较小的图像。",
    },
    "conv.upload_kept": {"en": "The previous image is still in use.", "zh": "仍在使用之前的图像。"},
    "conv.camera": {"en": "Take a snapshot", "zh": "拍一张照片"},
    "conv.no_upload": {
        "en": "No image uploaded yet: showing the sample image until you upload one.",
        "zh": "尚未上传图像：在你上传之前，先显示示例图像。",
    },
    "conv.using_upload": {"en": "Using your image **{name}**.", "zh": "正在使用你的图像 **{name}**。"},
    "conv.color": {
        "en": "Colour (RGB: 3 channels, each kernel 3 deep)",
        "zh": "彩色（RGB：3 个通道，每个卷积核的深度为 3）",
    },
    "conv.size": {"en": "Working size (pixels, long side)", "zh": "处理尺寸（像素，长边）"},
    "conv.size_help": {
        "en": "The image is resized to this; small sizes keep the numbers readable.",
        "zh": "图像会缩放到这个尺寸；尺寸越小，数字越清晰易读。",
    },
    # Kernels.
    "conv.kernel_count": {"en": "Number of kernels", "zh": "卷积核个数"},
    "conv.kernel_size": {"en": "Kernel size", "zh": "卷积核大小"},
    "conv.kh": {"en": "Kernel height", "zh": "卷积核高度"},
    "conv.kw": {"en": "Kernel width", "zh": "卷积核宽度"},
    "conv.kind": {"en": "Kernel {n}: preset or your own numbers", "zh": "卷积核 {n}：预设或自定义数值"},
    "conv.kind.custom": {"en": "Custom numbers", "zh": "自定义数值"},
    "conv.kind.random": {"en": "Random (seeded)", "zh": "随机（按种子生成）"},
    "conv.preset_square": {
        "en": "{preset} is a square kernel: make the kernel height and width equal, "
        "or choose custom numbers.",
        "zh": "{preset} 是方形卷积核：请把卷积核的高度和宽度设为相同，或者改用自定义数值。",
    },
    "conv.custom_help": {
        "en": "Type numbers in the grid; the same kernel is used on every channel.",
        "zh": "在网格中输入数值；每个通道都使用同一个卷积核。",
    },
    "conv.custom_bad": {
        "en": "Kernel {n} has an empty or non-numeric cell: fill every cell with a number.",
        "zh": "卷积核 {n} 中有空白或非数字的格子：请在每个格子里填入一个数。",
    },
    "conv.bias": {"en": "Bias of kernel {n}", "zh": "卷积核 {n} 的偏置"},
    "conv.seed": {"en": "Random seed", "zh": "随机种子"},
    "conv.activation": {"en": "Activation", "zh": "激活函数"},
    "conv.flip": {"en": "True convolution (flip the kernel)", "zh": "真正的卷积（翻转卷积核）"},
    "conv.flip_help": {
        "en": "Deep-learning libraries compute cross-correlation and call it convolution: the kernel is "
        "learned, so a flipped kernel is just as learnable, and skipping the flip is simpler.",
        "zh": "深度学习框架计算的是互相关，却称之为卷积：卷积核是学出来的，翻转后的卷积核同样可以学习，"
        "省去翻转也更简单。",
    },
    "conv.channels_note": {
        "en": "On an RGB image a preset is applied to each channel and the results summed.",
        "zh": "在 RGB 图像上，预设卷积核分别作用于每个通道，再把结果相加。",
    },
    # Geometry.
    "conv.per_axis": {"en": "Set height and width separately", "zh": "分别设置高度和宽度"},
    "conv.stride": {"en": "Stride", "zh": "步幅"},
    "conv.stride_h": {"en": "Stride (rows)", "zh": "步幅（行）"},
    "conv.stride_w": {"en": "Stride (columns)", "zh": "步幅（列）"},
    "conv.pad_kind": {"en": "Padding", "zh": "填充"},
    "conv.pad_kind.number": {"en": "Number", "zh": "指定数值"},
    "conv.pad_kind.same": {"en": "Same", "zh": "Same"},
    "conv.pad_kind_help": {
        "en": "Same keeps the size at stride 1. At stride s > 1 it follows TensorFlow: the output has "
        "⌈H / s⌉ rows and ⌈W / s⌉ columns, with just enough padding for the last window (an odd extra "
        "cell goes at the bottom or right).",
        "zh": "Same 在步幅为 1 时保持尺寸。步幅 s > 1 时按 TensorFlow 的规则：输出有 ⌈H / s⌉ 行、⌈W / s⌉ 列，"
        "只填充最后一个窗口所需的格子（多出的一格放在下方或右侧）。",
    },
    "conv.pad_kind.valid": {"en": "Valid (none)", "zh": "Valid（不填充）"},
    "conv.pad": {"en": "Padding (cells on each side)", "zh": "填充（每侧的格数）"},
    "conv.pad_h": {"en": "Padding (top and bottom)", "zh": "填充（上下）"},
    "conv.pad_w": {"en": "Padding (left and right)", "zh": "填充（左右）"},
    "conv.pad_mode": {"en": "Padding mode", "zh": "填充方式"},
    "conv.pad_mode.zeros": {"en": "Zeros", "zh": "补零"},
    "conv.pad_mode.reflect": {"en": "Reflect", "zh": "反射"},
    "conv.pad_mode.replicate": {"en": "Replicate", "zh": "复制边缘"},
    "conv.pad_mode.circular": {"en": "Circular", "zh": "循环"},
    "conv.dilation": {"en": "Dilation", "zh": "膨胀"},
    "conv.dil_h": {"en": "Dilation (rows)", "zh": "膨胀（行）"},
    "conv.dil_w": {"en": "Dilation (columns)", "zh": "膨胀（列）"},
    # Activations.
    "act.identity": {"en": "None", "zh": "无"},
    "act.relu": {"en": "ReLU", "zh": "ReLU"},
    "act.leaky_relu": {"en": "Leaky ReLU", "zh": "Leaky ReLU"},
    "act.sigmoid": {"en": "Sigmoid", "zh": "Sigmoid"},
    "act.tanh": {"en": "Tanh", "zh": "Tanh"},
    # Problems.
    # Predict, then reveal (ui/conv/predict.py).
    "predict.forward.size": {
        "en": "What size is the output? The input is {H} × {W}, the kernel {KH} × {KW}, stride {sh} × {sw}, "
        "padding {pad}, dilation {dh} × {dw}.",
        "zh": "输出是多大？输入 {H} × {W}，卷积核 {KH} × {KW}，步幅 {sh} × {sw}，"
        "填充 {pad}，膨胀 {dh} × {dw}。",
    },
    "predict.forward.height": {"en": "H_out (rows)", "zh": "H_out（行数）"},
    "predict.forward.width": {"en": "W_out (columns)", "zh": "W_out（列数）"},
    "predict.forward.size_answer": {
        "en": "The output is {H_out} × {W_out}: the formula below gives each axis.",
        "zh": "输出为 {H_out} × {W_out}：下面的公式给出每个方向的计算。",
    },
    "predict.forward.value": {
        "en": "What does the next step give? The window moves to output cell ({i}, {j}): "
        "z({i}, {j}) = Σ window × W + b, with b = ${b}$.",
        "zh": "下一步得到多少？窗口移到输出格 ({i}, {j})：z({i}, {j}) = Σ 窗口 × W + b，其中 b = ${b}$。",
    },
    "predict.forward.window": {"en": "window", "zh": "窗口"},
    "predict.forward.value_answer": {
        "en": "$z({i}, {j}) = {z}$. Press Next ▶ to see its arithmetic.",
        "zh": "$z({i}, {j}) = {z}$。按“下一步 ▶”查看计算过程。",
    },
    "conv.started_over": {
        "en": "The page opened with its first settings: the ones it was given do not fit together. {problem}",
        "zh": "页面以初始设置打开：收到的设置彼此不相容。{problem}",
    },
    "conv.previous_kept": {
        "en": "The figures below still show the last settings that worked.",
        "zh": "下面的图仍显示上一次可用的设置。",
    },
    "conv.axis_height": {"en": "Height", "zh": "高度"},
    "conv.axis_width": {"en": "Width", "zh": "宽度"},
    # Kernel presets (engine/presets.py names).
    "preset.identity": {"en": "Identity", "zh": "恒等"},
    "preset.box_blur": {"en": "Box blur", "zh": "均值模糊"},
    "preset.gaussian_blur": {"en": "Gaussian blur", "zh": "高斯模糊"},
    "preset.sharpen": {"en": "Sharpen", "zh": "锐化"},
    "preset.laplacian": {"en": "Laplacian edge", "zh": "拉普拉斯边缘"},
    "preset.sobel_x": {"en": "Sobel x", "zh": "Sobel x"},
    "preset.sobel_y": {"en": "Sobel y", "zh": "Sobel y"},
    "preset.prewitt_x": {"en": "Prewitt x", "zh": "Prewitt x"},
    "preset.prewitt_y": {"en": "Prewitt y", "zh": "Prewitt y"},
    "preset.scharr_x": {"en": "Scharr x", "zh": "Scharr x"},
    "preset.scharr_y": {"en": "Scharr y", "zh": "Scharr y"},
    "preset.emboss": {"en": "Emboss", "zh": "浮雕"},
    "preset.outline": {"en": "Outline", "zh": "轮廓"},
    # Sample images (engine/images.py names).
    "sample.astronaut": {"en": "Astronaut", "zh": "宇航员"},
    "sample.camera": {"en": "Camera man", "zh": "摄影师"},
    "sample.cat": {"en": "Chelsea the cat", "zh": "小猫 Chelsea"},
    "sample.coffee": {"en": "Coffee cup", "zh": "咖啡杯"},
    "sample.rocket": {"en": "Rocket launch", "zh": "火箭发射"},
    "sample.brick": {"en": "Brick wall", "zh": "砖墙"},
    "sample.digit": {"en": "Handwritten digit", "zh": "手写数字"},
    "sample.house": {"en": "House shape", "zh": "房子图形"},
    "sample.stripes": {"en": "Vertical stripes", "zh": "竖条纹"},
    "sample.checkerboard": {"en": "Checkerboard", "zh": "棋盘格"},
    "sample.ramp": {"en": "Ramp with a step", "zh": "带台阶的渐变"},
    # --- Strings of the forward-pass page.
    "forward.lead": {
        "en": "The kernel slides over the padded input; at each position the window's values are multiplied "
        "by the kernel, summed, and the bias is added: one cell of the feature map.",
        "zh": "卷积核在填充后的输入上滑动；在每个位置，窗口中的值与卷积核逐元素相乘、求和，再加上偏置："
        "得到特征图中的一格。",
    },
    "forward.output_size": {"en": "Output size", "zh": "输出尺寸"},
    "forward.same_strided": {
        "en": "“Same” at a stride above 1 follows TensorFlow: the output keeps ⌈size / stride⌉ cells and the "
        "padding is just enough for the last window, an odd extra cell at the bottom or right. {axes}.",
        "zh": "步幅大于 1 时，“Same”按 TensorFlow 的规则：输出保留 ⌈尺寸 / 步幅⌉ 个格子，"
        "填充只够最后一个窗口，多出的一格放在下方或右侧。{axes}。",
    },
    "forward.same_axis": {
        "en": "{axis}: ⌈{n} / {s}⌉ = {out}, padding {before} + {after}",
        "zh": "{axis}：⌈{n} / {s}⌉ = {out}，填充 {before} + {after}",
    },
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
    # The code for what the page shows (ui/conv/code.py), on the forward and backward pages.
    "conv.code_numpy": {"en": "Python (NumPy engine)", "zh": "Python（NumPy 引擎）"},
    "conv.code_torch": {"en": "PyTorch", "zh": "PyTorch"},
    "conv.code_hint_sample": {
        "en": "Copy it into a notebook: it gives this page's numbers to about 15 digits. The NumPy version "
        "imports this project's engine (run it from the project's folder), which loads the sample itself; "
        "the PyTorch version reads the image from **{file}**, the button below.",
        "zh": "把代码复制到笔记本中运行：它给出与本页相同的数字（约 15 位有效数字）。"
        "NumPy 版本导入本项目的引擎（请在项目文件夹中运行），由引擎自己载入示例图像；"
        "PyTorch 版本从 **{file}** 读取图像，即下面的按钮。",
    },
    "conv.code_hint_file": {
        "en": "Copy it into a notebook: it gives this page's numbers to about 15 digits. Both versions read "
        "your image from **{file}**, the button below; the NumPy version imports this project's engine "
        "(run it from the project's folder).",
        "zh": "把代码复制到笔记本中运行：它给出与本页相同的数字（约 15 位有效数字）。两个版本都从 **{file}** "
        "读取你的图像，即下面的按钮；NumPy 版本导入本项目的引擎（请在项目文件夹中运行）。",
    },
    "conv.code_input": {"en": "{file}: the image, {shape}", "zh": "{file}：图像，{shape}"},
    "forward.code": {
        "en": "The code for this page: Z and A in NumPy with the engine, and in PyTorch",
        "zh": "本页的代码：用引擎（NumPy）和 PyTorch 计算 Z 与 A",
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
