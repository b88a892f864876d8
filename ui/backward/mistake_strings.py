"""Strings of the backward page's planted mistakes (ui/backward/mistakes.py): ids "mistake.*".

Each mistake of engine.mistakes.LAYER_MISTAKES has a name, a sentence on how it shows up in real code and
how to spot it, and a sentence for settings where it does no harm.
"""

STRINGS: dict[str, dict[str, str]] = {
    # Controls
    "mistake.control": {"en": "Introduce a mistake", "zh": "植入一个错误"},
    "mistake.control_help": {
        "en": "Swaps the engine's backward pass for one of the classic wrong ones, then checks it against "
        "central differences: the check fails and the maps below show where.",
        "zh": "把引擎的反向传播换成一个经典的错误写法，再用中心差分检验它："
        "检验不通过，下面的图显示错在哪里。",
    },
    "mistake.none": {"en": "None (the engine's backward pass)", "zh": "无（引擎自己的反向传播）"},
    "mistake.guess": {"en": "Which mistake is it?", "zh": "猜猜是哪个错误？"},
    "mistake.guess_help": {
        "en": "The app plants one mistake at random and hides its name: find it from the check and the maps.",
        "zh": "应用随机植入一个错误并隐藏它的名字：根据检验结果和差值图找出它。",
    },
    "mistake.another": {"en": "Another one", "zh": "换一个"},
    "mistake.pick": {"en": "Which mistake is planted?", "zh": "植入的是哪个错误？"},
    "mistake.submit": {"en": "Check my answer", "zh": "核对答案"},
    "mistake.guess_intro": {
        "en": "A mistake is planted in the backward pass; its name is hidden. Run the check, read the maps "
        "of where the gradients are wrong, then pick the mistake.",
        "zh": "反向传播里植入了一个错误，名字被隐藏了。运行检验，"
        "看看差值图上哪里的梯度错了，再选出这个错误。",
    },
    "mistake.right": {"en": "Right: it is **{name}**.", "zh": "答对了：这是**{name}**。"},
    "mistake.wrong": {
        "en": "Not this one: you picked **{picked}**, the planted mistake is **{name}**.",
        "zh": "不对：你选的是**{picked}**，植入的错误是**{name}**。",
    },
    "mistake.planted": {"en": "Planted mistake: **{name}**.", "zh": "植入的错误：**{name}**。"},
    "mistake.press": {
        "en": "Run the check to see what the planted mistake does.",
        "zh": "运行检验，看看植入的错误会造成什么结果。",
    },
    "mistake.check_bad": {
        "en": "Above 10⁻⁷: the planted mistake, not ε, makes the gradients disagree.",
        "zh": "高于 10⁻⁷：是植入的错误（而不是 ε）让梯度对不上。",
    },
    "mistake.source": {
        "en": "The code: the planted mistake, then the engine's right function",
        "zh": "代码：先是植入的错误，然后是引擎中正确的函数",
    },
    "mistake.passes": {
        "en": "The check passes: with these settings the planted mistake changes no gradient.",
        "zh": "检验通过：在当前设置下，植入的错误没有改变任何梯度。",
    },
    "mistake.diff_lead": {
        "en": "Where the planted gradient differs from the numerical one (planted − numerical; blue < 0 < "
        "red, white: equal). Grey cells were not checked: check more entries to fill them in.",
        "zh": "植入错误后的梯度与数值梯度相差的地方（植入 − 数值；蓝 < 0 < 红，白色：相等）。"
        "灰色格子没有被检验：增加检验的条目数即可填满。",
    },
    "mistake.diff_db": {
        "en": "db − numerical, kernel by kernel: {values}.",
        "zh": "db − 数值梯度，逐个卷积核：{values}。",
    },
    "mistake.fig.dw": {"en": "dW − numerical, kernel {f}{suffix}", "zh": "dW − 数值，卷积核 {f}{suffix}"},
    "mistake.fig.dx": {"en": "dX − numerical{suffix}", "zh": "dX − 数值{suffix}"},
    "mistake.fig.bar": {"en": "planted − numerical", "zh": "植入 − 数值"},
    "mistake.fig.unchecked": {"en": "not checked", "zh": "未检验"},
    "mistake.fig.row": {"en": "row", "zh": "行"},
    "mistake.fig.col": {"en": "column", "zh": "列"},
    "mistake.alt_diff": {
        "en": "Heatmaps of the planted gradient minus the numerical one, for dW and dX: coloured where the "
        "mistake shows, white where the gradients agree.",
        "zh": "植入错误的梯度减去数值梯度的热力图（dW 与 dX）：错误出现的地方有颜色，梯度一致的地方为白色。",
    },
    # The mistakes: name, how it shows up in real code and how to spot it, when it does no harm.
    "mistake.no_rotation.name": {
        "en": "Forgot to rotate the kernel (gather form)",
        "zh": "忘了旋转卷积核（gather 形式）",
    },
    "mistake.no_rotation.sentence": {
        "en": "Written as a convolution of δ, dX needs the kernel rotated by 180° (`w[..., ::-1, ::-1]`, "
        "`torch.flip(w, (2, 3))`); code that slides W itself mirrors every tap. Spot it with an asymmetric "
        "kernel: only dX is wrong, and an antisymmetric one such as Sobel gives exactly −dX.",
        "zh": "把 dX 写成 δ 的卷积时，卷积核要旋转 180°（`w[..., ::-1, ::-1]`，`torch.flip(w, (2, 3))`）；"
        "直接用 W 滑动的代码会把每个抽头镜像。用不对称的卷积核就能发现：只有 dX 错，"
        "而 Sobel 这样的反对称卷积核恰好给出 −dX。",
    },
    "mistake.no_rotation.hidden": {
        "en": "This kernel equals its own 180° rotation, which hides the mistake: pick an asymmetric one "
        "(Sobel, or random).",
        "zh": "这个卷积核旋转 180° 后不变，错误因此被掩盖：换一个不对称的卷积核（Sobel 或随机）。",
    },
    "mistake.overwrite.name": {
        "en": "Overwrote instead of accumulating",
        "zh": "用赋值代替了累加",
    },
    "mistake.overwrite.sentence": {
        "en": "A scatter or col2im loop writes `dx[window] = dout * w` where `+=` belongs: a cell that "
        "several windows read keeps only the last window's share. dX is wrong exactly where windows "
        "overlap (dW and db are right); with a stride of at least the kernel's span no two windows "
        "share a cell.",
        "zh": "scatter 或 col2im 循环写成了 `dx[window] = dout * w`，而应该是 `+=`："
        "被多个窗口读取的格子只留下最后一个窗口的那一份。dX 恰好在窗口重叠的地方出错（dW 和 db 是对的）；"
        "步幅不小于卷积核跨度时，没有两个窗口共用一个格子。",
    },
    "mistake.overwrite.hidden": {
        "en": "No two windows share a cell here, so nothing is overwritten: make the stride smaller than the "
        "kernel.",
        "zh": "这里没有两个窗口共用同一个格子，所以什么都没被覆盖：把步幅设得比卷积核小。",
    },
    "mistake.ignore_stride.name": {"en": "Ignored the stride", "zh": "忽略了步幅"},
    "mistake.ignore_stride.sentence": {
        "en": "The backward pass puts window (i, j) at (i, j) as if the stride were 1; in the gather form, δ "
        "is not spread out by s − 1 zeros. dW and dX are both wrong at any stride above 1 and right at "
        "stride 1, so tests that only try stride 1 never see it.",
        "zh": "反向传播把窗口 (i, j) 放在 (i, j)，好像步幅是 1；"
        "在 gather 形式中，就是 δ 没有用 s − 1 个零展开。"
        "步幅大于 1 时 dW 和 dX 都错，步幅为 1 时却是对的，所以只测步幅 1 的测试永远发现不了。",
    },
    "mistake.ignore_stride.hidden": {
        "en": "The stride is 1 here, where ignoring it changes nothing: set the stride to 2.",
        "zh": "这里步幅是 1，忽略它不会改变任何东西：把步幅设为 2。",
    },
    "mistake.sigma_for_slope.name": {
        "en": "Multiplied by σ(z) instead of σ′(z)",
        "zh": "乘了 σ(z) 而不是 σ′(z)",
    },
    "mistake.sigma_for_slope.sentence": {
        "en": "δ = dA * sigmoid(z) (or reusing the forward output `a` instead of `a * (1 - a)`): the "
        "activation's value where its derivative belongs. dW, db and dX are all wrong wherever σ(z) ≠ σ′(z); "
        "with ReLU they are right where the unit is off (both are 0).",
        "zh": "δ = dA * sigmoid(z)（或者直接复用前向输出 `a`，而不是 `a * (1 - a)`）："
        "在该用导数的地方用了激活值。"
        "凡是 σ(z) ≠ σ′(z) 的地方，dW、db 和 dX 全都出错；用 ReLU 时，单元关闭处（两者都是 0）是对的。",
    },
    "mistake.sigma_for_slope.hidden": {
        "en": "With these settings σ(z) and σ′(z) agree on every output cell: pick another activation.",
        "zh": "在当前设置下，每个输出格子上的 σ(z) 与 σ′(z) 都相等：换一个激活函数。",
    },
    "mistake.no_slope.name": {"en": "Forgot the activation's slope", "zh": "忘了乘激活函数的斜率"},
    "mistake.no_slope.sentence": {
        "en": "δ = dA, as if there were no activation: the `* (z > 0)` mask or the `* (1 - a**2)` factor is "
        "missing. dW, db and dX are all wrong; with ReLU exactly where the unit was off (z ≤ 0), where the "
        "right δ is 0. The identity activation hides it.",
        "zh": "δ = dA，好像没有激活函数：漏掉了 `* (z > 0)` 掩码或 `* (1 - a**2)` 因子。"
        "dW、db 和 dX 全都出错；"
        "用 ReLU 时恰好错在单元关闭的地方（z ≤ 0），那里正确的 δ 是 0。恒等激活会掩盖这个错误。",
    },
    "mistake.no_slope.hidden": {
        "en": "The slope is 1 everywhere here (the identity activation, or every unit on): choose ReLU, "
        "sigmoid or tanh.",
        "zh": "这里斜率处处为 1（恒等激活，或者所有单元都开启）：选择 ReLU、sigmoid 或 tanh。",
    },
    "mistake.no_crop.name": {
        "en": "Forgot to crop the padding's gradient",
        "zh": "忘了裁掉填充部分的梯度",
    },
    "mistake.no_crop.sentence": {
        "en": "The gradient of the padded input must lose its border (`dx_pad[..., p:-p, p:-p]`). Returning "
        "`dx_pad` fails on the shape; slicing `dx_pad[..., :H, :W]` runs and shifts dX down and right by "
        "the padding: look for a map that is off by p at its edges. Without padding it does no harm.",
        "zh": "填充后输入的梯度必须去掉边框（`dx_pad[..., p:-p, p:-p]`）。直接返回 `dx_pad` 会在形状上报错；"
        "写成 `dx_pad[..., :H, :W]` 则能运行，却把 dX 向下、向右移了 p 格：留意边缘错开 p 格的图。"
        "没有填充时这个错误无害。",
    },
    "mistake.no_crop.hidden": {
        "en": "There is no padding here, so there is nothing to crop: set the padding to 1 or more.",
        "zh": "这里没有填充，也就没有什么可裁：把填充设为 1 或更多。",
    },
    "mistake.swapped_hw.name": {
        "en": "Swapped the kernel's height and width",
        "zh": "把卷积核的高和宽弄反了",
    },
    "mistake.swapped_hw.sentence": {
        "en": "An im2col written with KH where KW belongs (CS231n's distributed im2col had this bug) reads "
        "every window as KW rows × KH columns. A square kernel hides it completely, so square-only tests "
        "pass; with a non-square kernel (e.g. 3 × 2) dW and dX are wrong. Test with non-square kernels.",
        "zh": "im2col 在该用 KW 的地方写了 KH（CS231n 发布的 im2col 就有这个错误），"
        "把每个窗口读成 KW 行 × KH 列。"
        "正方形卷积核会把它完全掩盖，只用正方形的测试都能通过；用非正方形卷积核（例如 3 × 2）时 dW 和 dX "
        "都会出错。请用非正方形卷积核测试。",
    },
    "mistake.swapped_hw.hidden": {
        "en": "The kernel is square here, which hides this mistake completely: give it a different height "
        "and width (e.g. 3 × 2).",
        "zh": "这里的卷积核是正方形，完全掩盖了这个错误：让它的高和宽不同（例如 3 × 2）。",
    },
}
