"""Strings every page shares: the download panel ("export.*"), what a link could not use ("links.*"), then the
guided tours ("tour.*")."""

STRINGS: dict[str, dict[str, str]] = {
    "export.title": {"en": "Download: animation and numbers", "zh": "下载：动画与数值"},
    "export.hint": {
        "en": "A GIF of the animation for slides; the arrays as CSV (spreadsheets) or .npy (NumPy). "
        "Each figure's camera icon saves it as a PNG.",
        "zh": "动画的 GIF 可用于幻灯片；数组可导出为 CSV（电子表格）或 .npy（NumPy）。"
        "点击每张图上的相机图标，可将其保存为 PNG。",
    },
    "export.gif": {"en": "Animation as GIF", "zh": "动画 GIF"},
    # What a link could not use, or moved into range (ui/common/links.py, say_ignored_link_parts): {parts}
    # and {part} are parameters of the link as "name=value", {value} the value the setting took.
    "links.ignored_one": {
        "en": "This link's {parts} could not be used and was left out.",
        "zh": "链接中的 {parts} 无法使用，已被忽略。",
    },
    "links.ignored_many": {
        "en": "This link's {parts} could not be used and were left out.",
        "zh": "链接中的 {parts} 无法使用，已被忽略。",
    },
    "links.largest": {
        "en": "{part} was set to {value}, the largest allowed.",
        "zh": "{part} 已改为允许的最大值 {value}。",
    },
    "links.smallest": {
        "en": "{part} was set to {value}, the smallest allowed.",
        "zh": "{part} 已改为允许的最小值 {value}。",
    },
    "links.nearest": {
        "en": "{part} was set to {value}, the nearest allowed.",
        "zh": "{part} 已改为最接近的允许值 {value}。",
    },
    "links.adjusted_more": {
        "en": "{n} more values were moved into range.",
        "zh": "另有 {n} 个值被调整到允许范围内。",
    },
    "links.more": {"en": "{n} more", "zh": "另外 {n} 项"},
    "links.comma": {"en": ", ", "zh": "、"},
    "links.and": {"en": " and ", "zh": " 和 "},
    # --- Strings of the guided tours (ui/common/tour.py): the shared controls, then each page's steps.
    # The controls every tour shares.
    "tour.title": {"en": "Guided tour", "zh": "分步导览"},
    "tour.start": {"en": "🧭 Guided tour", "zh": "🧭 分步导览"},
    "tour.progress": {"en": "Step {k} of {n}", "zh": "第 {k} 步，共 {n} 步"},
    "tour.back": {"en": "◀ Back", "zh": "◀ 返回"},
    "tour.next": {"en": "Continue ▶", "zh": "继续 ▶"},
    "tour.end": {"en": "✕ End the tour", "zh": "✕ 结束导览"},
    # The forward page's tour: one output cell, from the padded input to the output size.
    "tour.forward.start_help": {
        "en": "Seven short steps through the computation of one output cell: for a lecture, or on your own.",
        "zh": "用七个简短的步骤讲解一个输出格是如何算出来的，适合课堂讲解，也适合自学。",
    },
    "tour.forward.padding.title": {"en": "The padded input", "zh": "填充后的输入"},
    "tour.forward.padding.text": {
        "en": "The image is {H}×{W} pixels. {padding} Padding lets the kernel reach the border pixels, "
        "and it is one of the numbers that decide the size of the output.",
        "zh": "图像大小为 {H}×{W} 像素。{padding}填充让卷积核能够覆盖到边缘的像素，"
        "它也是决定输出尺寸的数之一。",
    },
    "tour.forward.padding.some": {
        "en": "Before the kernel slides, the image gets a border of padding: {top} row(s) above, {bottom} "
        "below, {left} column(s) on the left and {right} on the right, filled by the “{mode}” rule.",
        "zh": "卷积核滑动之前，图像四周先加上一圈填充：上方 {top} 行、下方 {bottom} 行、左侧 {left} 列、"
        "右侧 {right} 列，按“{mode}”规则填值。",
    },
    "tour.forward.padding.none": {
        "en": "This layer has no padding (try padding 1 in the sidebar): the window never leaves the image, "
        "so the output is smaller than the input.",
        "zh": "这一层没有填充（可以在侧边栏把填充设为 1 试试）：窗口始终不会越出图像，所以输出比输入小。",
    },
    "tour.forward.padding.where": {
        "en": "Left panel, “{input_panel}”: the grey-shaded cells are padding (hover over one). The "
        "animation shows the first output cell, where the orange window covers the top-left corner.",
        "zh": "左侧面板“{input_panel}”：带灰色阴影的格子是填充（把鼠标悬停在上面即可看到）。"
        "动画停在第一个输出格，橙色窗口盖住了左上角。",
    },
    "tour.forward.kernel.title": {"en": "The kernel", "zh": "卷积核"},
    "tour.forward.kernel.text": {
        "en": "The kernel “{name}” is a {KH}×{KW} grid of weights (in a real network they are learned). The "
        "same weights are used at every position of the image: that is why the layer has only {params} "
        "parameters, however big the image is.",
        "zh": "卷积核“{name}”是一个 {KH}×{KW} 的权重网格（在真实的网络中，这些权重是训练出来的）。"
        "图像上每个位置都使用同一组权重，所以无论图像多大，这一层都只有 {params} 个参数。",
    },
    "tour.forward.kernel.where": {
        "en": "Right column, middle panel, “{kernel_panel}”: red cells are positive weights, blue cells "
        "negative ones, white cells are near zero.",
        "zh": "右列中间的面板“{kernel_panel}”：红色格子是正权重，蓝色格子是负权重，白色格子接近零。",
    },
    "tour.forward.window.title": {"en": "The window at one position", "zh": "某一位置上的窗口"},
    "tour.forward.window.text": {
        "en": "Take output cell ({i}, {j}). The kernel is laid on the padded input with its top-left tap at "
        "row {r0}, column {c0}. The {KH}×{KW} input values under its taps are the window.",
        "zh": "来看输出格 ({i}, {j})。把卷积核放到填充后的输入上，使它左上角的抽头位于第 {r0} 行、第 {c0} "
        "列。卷积核各个抽头下方的 {KH}×{KW} 个输入值就是窗口。",
    },
    "tour.forward.window.where": {
        "en": "Left panel: the orange square is the window. Its numbers are repeated in the top panel on "
        "the right, “{window_panel}”.",
        "zh": "左侧面板：橙色方框就是窗口。它的数值在右列顶部的面板“{window_panel}”中再次列出。",
    },
    "tour.forward.products.title": {"en": "Multiply, element by element", "zh": "逐元素相乘"},
    "tour.forward.products.text": {
        "en": "Each value of the window is multiplied by the kernel weight at the same place: {taps} "
        "products. Nothing is added up yet.",
        "zh": "窗口中的每个值都与卷积核同一位置上的权重相乘，得到 {taps} 个乘积。此时还没有求和。",
    },
    "tour.forward.products.where": {
        "en": "Right column, bottom panel, “{products_panel}”: red products push the output up, blue ones "
        "pull it down.",
        "zh": "右列底部的面板“{products_panel}”：红色的乘积使输出变大，蓝色的乘积使输出变小。",
    },
    "tour.forward.sum.title": {
        "en": "Sum, plus the bias: one output cell",
        "zh": "求和再加偏置：得到一个输出格",
    },
    "tour.forward.sum.text": {
        "en": "The {taps} products add up to {total}; adding the bias {bias} gives z = {z}. {activation}"
        "This is output cell ({i}, {j}).",
        "zh": "{taps} 个乘积之和为 {total}；加上偏置 {bias} 得到 z = {z}。{activation}这就是输出格 ({i}, "
        "{j}) 的值。",
    },
    "tour.forward.sum.activation": {
        "en": "The activation function then gives a = {a}. ",
        "zh": "再经过激活函数，得到 a = {a}。",
    },
    "tour.forward.sum.where": {
        "en": "Under the panels on the right: the sum and the bias. In the middle panel, “{output_panel}”, "
        "the cell outlined in vermillion (red-orange) is the one just computed. The formula below the "
        "figure writes the whole sum out.",
        "zh": "右侧各面板的下方是求和与偏置。在中间的面板“{output_panel}”中，用朱红色（橙红色）"
        "框出的格子就是刚刚算出的那一格。图下方的公式写出了完整的求和过程。",
    },
    "tour.forward.size.title": {"en": "How big is the output?", "zh": "输出有多大？"},
    "tour.forward.size.text": {
        "en": "An output cell exists only where the whole window fits in the padded input. Along the height "
        "it fits at {H_out} positions, along the width at {W_out}: the feature map is {H_out}×{W_out}. "
        "The formula counts the positions:",
        "zh": "只有当整个窗口都落在填充后的输入之内时，才会产生一个输出格。沿高度方向窗口可以放在 {H_out} "
        "个位置，沿宽度方向可以放在 {W_out} 个位置：特征图的大小为 {H_out}×{W_out}。"
        "下面的公式数出了这些位置：",
    },
    "tour.forward.size.where": {
        "en": "Press ▶ Play in the figure: the output panel fills in, one cell per position of the window. "
        "The step shown now is the last cell of the animated crop.",
        "zh": "点击图中的 ▶ 播放：窗口每移到一个位置，输出面板就填上一格。现在显示的是动画区域的最后一格。",
    },
    "tour.forward.stride.title": {"en": "Stride and dilation", "zh": "步幅与膨胀"},
    "tour.forward.stride.text": {
        "en": "From one output cell to the next, the window jumps by the stride: {sh} row(s) down, {sw} "
        "column(s) to the right. The dilation ({dh}×{dw}) spreads the taps apart: with dilation 2 there is "
        "a gap of one pixel between taps, so a 3×3 kernel covers a 5×5 area. Try stride 2 or dilation 2 "
        "in the sidebar.",
        "zh": "从一个输出格到下一个，窗口按步幅跳动：向下 {sh} 行，向右 {sw} 列。膨胀（{dh}×{dw}）"
        "把抽头彼此拉开：膨胀为 2 时，相邻抽头之间隔一个像素，于是 3×3 的卷积核覆盖 5×5 的区域。"
        "可以在侧边栏把步幅或膨胀设为 2 试试。",
    },
    "tour.forward.stride.where": {
        "en": "Left panel: the orange window is one output cell to the right of step 5, so it moved {sw} "
        "column(s). Step back and forth with the buttons above the figure to compare.",
        "zh": "左侧面板：橙色窗口比第 5 步向右移了一个输出格，也就是移动了 {sw} 列。"
        "用图上方的按钮前后切换来对比。",
    },
}
