"""Strings of the backward page's guided tour (ui/backward/tour.py): one output cell sends its δ back."""

STRINGS: dict[str, dict[str, str]] = {
    "tour.backward.start_help": {
        "en": "Seven short steps through the backward pass of one output cell, from the loss to dW, db and "
        "dX, and why dX is a convolution: for a lecture, or on your own.",
        "zh": "用七个简短的步骤讲解一个输出格的反向传播：从损失到 dW、db 和 dX，再说明为什么 dX "
        "也是一次卷积。适合课堂讲解，也适合自学。",
    },
    "tour.backward.elsewhere": {
        "en": "The guided tour is at step {k} of {n}, in view “{view}”.",
        "zh": "分步导览停在第 {k} 步（共 {n} 步），位于视图“{view}”。",
    },
    "tour.backward.resume": {"en": "🧭 Back to the tour", "zh": "🧭 回到导览"},
    # 1. the loss
    "tour.backward.loss.title": {"en": "Where the gradient starts", "zh": "梯度从哪里开始"},
    "tour.backward.loss.text": {
        "en": "The backward pass starts at the loss: {loss_name}, here L = {loss}. Its gradient ∂L/∂A says, "
        "for every output cell, how much L changes when that cell's activation A changes a little. "
        "Everything below is this one number's gradient, passed back one rule at a time.",
        "zh": "反向传播从损失开始：{loss_name}，这里 L = {loss}。它的梯度 ∂L/∂A 告诉我们："
        "每个输出格的激活值 A 稍微变化时，L 会变化多少。下面的一切，"
        "都是这一个数的梯度按链式法则一步一步往回传。",
    },
    "tour.backward.loss.where": {
        "en": "Section 1 at the top of the page: the loss formula with its value, and the maps it is "
        "computed from. The animation below is at output cell ({i}, {j}), where |δ| is largest in the crop.",
        "zh": "页面顶部的第 1 节：损失公式及其数值，以及计算它所用的图。下面的动画停在输出格 ({i}, {j})，"
        "也就是演示区域中 |δ| 最大的位置。",
    },
    # 2. δ
    "tour.backward.delta.title": {"en": "Through the activation: δ", "zh": "穿过激活函数：δ"},
    "tour.backward.delta.text": {
        "en": "At output cell ({i}, {j}) the chain rule multiplies the loss's gradient by the activation's "
        "slope: δ({i}, {j}) = ∂L/∂A · σ'(Z) = {da} · {dsigma} = {delta}. δ = ∂L/∂Z is what every gradient "
        "of the layer is built from.",
        "zh": "在输出格 ({i}, {j})，链式法则把损失的梯度乘以激活函数的斜率：δ({i}, {j}) = ∂L/∂A · σ'(Z) = "
        "{da} · {dsigma} = {delta}。δ = ∂L/∂Z 是这一层所有梯度的原料。",
    },
    "tour.backward.delta.where": {
        "en": "Top middle panel, “{delta_panel}”: the outlined cell is ({i}, {j}). Red is positive, blue "
        "negative, white near zero.",
        "zh": "上排中间的面板“{delta_panel}”：带框的格子就是 ({i}, {j})。红色为正，蓝色为负，白色接近零。",
    },
    # 3. dW
    "tour.backward.dw.title": {"en": "Into dW: δ times the window", "zh": "流向 dW：δ 乘以窗口"},
    "tour.backward.dw.text": {
        "en": "In the forward pass this cell was computed from the {KH}×{KW} window of the input under the "
        "kernel. So each weight's gradient gets δ({i}, {j}) times the input value it multiplied: dW += "
        "{delta} · window. Over every output cell these shares add up to dW.",
        "zh": "前向传播时，这个输出格是由卷积核下方 {KH}×{KW} 的输入窗口算出来的。所以每个权重的梯度都加上 "
        "δ({i}, {j}) 乘以它当时相乘的那个输入值：dW += {delta} · 窗口。把所有输出格的这些份额加起来就是 dW。",
    },
    "tour.backward.dw.where": {
        "en": "Bottom row, left: “{dw_step_panel}” is this cell's share; next to it, “{dw_total_panel}” is "
        "the running total. The orange square on the input is the window.",
        "zh": "下排左侧：“{dw_step_panel}”是这个输出格的份额；旁边的“{dw_total_panel}”是累计的总和。"
        "输入上的橙色方框就是窗口。",
    },
    # 4. dX
    "tour.backward.dx.title": {"en": "Into dX: δ times the kernel", "zh": "流向 dX：δ 乘以卷积核"},
    "tour.backward.dx.text": {
        "en": "Each input value under the window was multiplied by one weight, so its gradient gets δ({i}, "
        "{j}) times that weight: the kernel, scaled by {delta}, is added into dX over the window (the "
        "scatter form). Input cells under several windows collect several shares.",
        "zh": "窗口下的每个输入值都乘过一个权重，所以它的梯度加上 δ({i}, {j}) 乘以那个权重：把卷积核乘以 "
        "{delta}，加到 dX 中窗口所在的位置（分发形式）。被多个窗口覆盖的输入格会收到多份贡献。",
    },
    "tour.backward.dx.where": {
        "en": "Bottom row, right: “{dx_step_panel}” is what this cell adds; top right, “{dx_panel}” is dX "
        "so far, with the window outlined.",
        "zh": "下排右侧：“{dx_step_panel}”是这个输出格加上的部分；右上方的“{dx_panel}”是目前为止的 dX，"
        "窗口用方框标出。",
    },
    # 5. db
    "tour.backward.db.title": {"en": "Into db: δ itself", "zh": "流向 db：δ 本身"},
    "tour.backward.db.text": {
        "en": "The bias was added to every output cell with weight 1, so its gradient is the sum of δ over "
        "the map: this cell adds {delta}. So far, over the steps shown, db = {db}; over the whole map it is "
        "{db_total}, as in section 3.",
        "zh": "偏置以权重 1 加到了每个输出格上，所以它的梯度就是 δ 在整张图上的总和：这个输出格贡献 "
        "{delta}。到目前为止的各步累计 db = {db}；整张图上它等于 {db_total}，与第 3 节一致。",
    },
    "tour.backward.db.where": {
        "en": "Right of the bottom row: the lines “δ(i, j)” and “db so far”. Press ▶ Play to watch all "
        "three totals build up cell by cell.",
        "zh": "下排右边的两行文字“δ(i, j)”和“db 累计”。按 ▶ 播放，可以看到三个总和逐格累积起来。",
    },
    # 6. the border
    "tour.backward.border.title": {"en": "At the border: padding", "zh": "在边缘：填充"},
    "tour.backward.border.text": {
        "en": "The crop is now in the top-left corner, at output cell ({i}, {j}). {padding}",
        "zh": "演示区域现在位于左上角，停在输出格 ({i}, {j})。{padding}",
    },
    "tour.backward.border.some": {
        "en": "This window hangs over the padding, so part of δ·W lands on padding cells. They are not part "
        "of the image: with “{mode}” padding their gradient is {fate}.",
        "zh": "这个窗口伸到了填充区域上，所以 δ·W 有一部分落在填充格上。填充格不属于图像：在“{mode}”填充下，"
        "它们的梯度会被{fate}。",
    },
    "tour.backward.border.cropped": {"en": "cropped off", "zh": "直接裁掉"},
    "tour.backward.border.folded": {
        "en": "folded back onto the image cells it was copied from",
        "zh": "折回到它当初复制自的图像格上",
    },
    "tour.backward.border.none": {
        "en": "This layer has no padding (try padding 1 in the sidebar): every share lands on an image "
        "cell, but the corner cells are read by fewer windows than the middle ones, so they collect fewer "
        "shares.",
        "zh": "这一层没有填充（可以在侧边栏把填充设为 1 试试）：每一份贡献都落在图像格上，"
        "但角落的格子被读到的次数比中间的少，所以收到的份额也更少。",
    },
    "tour.backward.border.where": {
        "en": "Top right, “{dx_panel}”: the grey-outlined cells are padding (hover over one).",
        "zh": "右上方的“{dx_panel}”：带灰色边框的格子是填充（把鼠标悬停在上面即可看到）。",
    },
    # 7. gather
    "tour.backward.gather.title": {"en": "dX is a convolution too", "zh": "dX 也是一次卷积"},
    "tour.backward.gather.text": {
        "en": "Instead of each output cell scattering δ·W, each input cell can gather what it receives: "
        "spread δ by the stride ({sh}×{sw}), pad it by d·(K − 1), and slide the kernel rotated by 180° over "
        "it. That is a convolution, so the backward pass of a convolution is again a convolution, and "
        "frameworks compute it with the same fast code.",
        "zh": "除了让每个输出格把 δ·W 分发出去，也可以让每个输入格把它收到的汇集起来：按步幅（{sh}×{sw}）把 "
        "δ 展开，四周填充 d·(K − 1)，再用旋转 180° 的卷积核在上面滑动。这就是一次卷积，"
        "所以卷积的反向传播本身又是卷积，深度学习框架也用同一套快速代码来算它。",
    },
    "tour.backward.gather.where": {
        "en": "The figure below: top row, the gather form's arrays; bottom row, both results side by side. "
        "The green line under it gives the largest difference between them: rounding error only.",
        "zh": "下面的图：上排是汇集形式的各个数组；下排把两种结果并排放在一起。"
        "图下方的绿色提示给出两者的最大差值：只有舍入误差。",
    },
}
