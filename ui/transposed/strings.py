"""Strings of the transposed page (pages/transposed.py): ids "transposed.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "transposed.intro": {
        "en": "A **transposed convolution** makes a map **larger**: every input cell **stamps** the kernel, "
        "scaled by its value, onto the output, the stamps **s cells apart**, and where stamps overlap they "
        "**add up**. Decoders and GANs use it to upsample. It is no inverse of a convolution: it is the "
        "convolution's **backward pass** used as a layer: the gradient dX = Cᵀδ of the convolution with "
        "the same kernel, stride, padding and dilation.",
        "zh": "**转置卷积**把特征图变**大**：每个输入格把按自己的值缩放后的卷积核**盖印**到输出上，"
        "相邻的印章相隔 **s 格**，印章重叠的地方**相加**。解码器和 GAN 用它来上采样。"
        "它并不是卷积的逆运算，而是把卷积的**反向传播**当作一层来用：即卷积核、步幅、填充和膨胀都相同的"
        "卷积的梯度 dX = Cᵀδ。",
    },
    "transposed.kept": {
        "en": "The figures below still show the last settings that worked.",
        "zh": "下面的图仍显示上一次可用的设置。",
    },
    # Controls
    "transposed.rows": {"en": "Input rows H", "zh": "输入行数 H"},
    "transposed.cols": {"en": "Input columns W", "zh": "输入列数 W"},
    "transposed.x_source": {"en": "Input values x", "zh": "输入值 x"},
    "transposed.w_source": {"en": "Kernel values W", "zh": "卷积核的值 W"},
    "transposed.source.preset": {"en": "Example", "zh": "示例"},
    "transposed.source.random": {"en": "Random", "zh": "随机"},
    "transposed.seed": {"en": "Seed", "zh": "种子"},
    "transposed.kernel": {"en": "Kernel K × K", "zh": "卷积核 K × K"},
    "transposed.stride": {"en": "Stride s", "zh": "步幅 s"},
    "transposed.padding": {"en": "Padding p", "zh": "填充 p"},
    "transposed.padding_help": {
        "en": "In a transposed convolution the padding **crops**: p cells come off each side of what the "
        "stamps cover (the convolution it is the backward of pads its input by p).",
        "zh": "在转置卷积中，填充是**裁剪**：从印章覆盖的区域每一边去掉 p 格"
        "（它所对应的卷积会把输入填充 p 格）。",
    },
    "transposed.output_padding": {"en": "Output padding o", "zh": "输出填充 o"},
    "transposed.output_padding_help": {
        "en": "Adds o rows at the bottom and o columns at the right. A strided convolution maps several "
        "input sizes to one output size; o picks which of them the transposed convolution gives back. As in "
        "PyTorch, o must be smaller than the stride or the dilation.",
        "zh": "在下方添加 o 行、在右侧添加 o 列。带步幅的卷积会把几种不同的输入尺寸映射成同一个输出尺寸；"
        "o 决定转置卷积还原出其中的哪一个。与 PyTorch 相同，o 必须小于步幅或膨胀。",
    },
    "transposed.dilation": {"en": "Dilation d", "zh": "膨胀 d"},
    # The output size
    "transposed.size_header": {"en": "The output size", "zh": "输出尺寸"},
    "transposed.size_lead": {
        "en": "The stamps cover (H − 1)·s + d·(K − 1) + 1 rows; the padding takes p off each end and the "
        "output padding adds o:",
        "zh": "印章覆盖 (H − 1)·s + d·(K − 1) + 1 行；填充从两端各去掉 p 行，输出填充再加上 o 行：",
    },
    # The animation
    "transposed.stamp_header": {"en": "Stamp by stamp", "zh": "一个印章接一个印章"},
    "transposed.stamp_caption": {
        "en": "Vermilion: the input cell that stamps. Orange: where its stamp x·W lands. Grey: cells the "
        "padding crops off; the dashed outline is the output. Numbers are in output coordinates. "
        "Press ▶ or drag the slider.",
        "zh": "朱红色：正在盖印的输入格。橙色：它的印章 x·W 落下的位置。灰色：被填充裁掉的格子；"
        "虚线框是输出。编号是输出坐标。点击 ▶ 或拖动滑块。",
    },
    "transposed.stamp_alt": {
        "en": "Animation of a transposed convolution: each of the {cells} input cells in turn stamps the "
        "{K} by {K} kernel, scaled by its value, onto the output with stride {s}; the output accumulates "
        "to {H_out} by {W_out} cells.",
        "zh": "转置卷积动画：{cells} 个输入格依次把按自己的值缩放的 {K} × {K} 卷积核以步幅 {s} 盖印到输出上；"
        "输出逐步累加成 {H_out} × {W_out} 格。",
    },
    # The equivalent convolution
    "transposed.zero_header": {
        "en": "The same output: insert zeros, pad, convolve with the rotated kernel",
        "zh": "同样的输出：插入零、填充、再用旋转后的卷积核做卷积",
    },
    "transposed.zero_caption": {
        "en": "Put s − 1 = {gaps} zero(s) between neighbouring input cells, pad by d·(K − 1) − p = {q} "
        "on each side (and o = {o} more at the bottom and right), then slide the kernel rotated by 180° "
        "over it with stride 1 (dilation {d}). Each output cell collects the stamps that would have "
        "reached it. Grey cells hold no input value.",
        "zh": "在相邻输入格之间插入 s − 1 = {gaps} 个零，每一边填充 d·(K − 1) − p = {q} 格"
        "（下方和右侧再多填充 o = {o} 格），然后让旋转 180° 的卷积核以步幅 1（膨胀 {d}）在上面滑动。"
        "每个输出格收集本会落到它上面的所有印章。灰色格子不含输入值。",
    },
    "transposed.zero_cropped": {
        "en": "Here d·(K − 1) − p = {q} is negative: the zero-inserted input is **cropped** by {n} cell(s) "
        "on each side instead of padded.",
        "zh": "这里 d·(K − 1) − p = {q} 是负数：插入零后的输入每一边被**裁掉** {n} 格，而不是填充。",
    },
    "transposed.zero_alt": {
        "en": "Three grids: the input with zeros inserted and padding, the kernel rotated by 180 degrees, "
        "and their convolution, which equals the transposed convolution's output.",
        "zh": "三个网格：插入零并填充后的输入、旋转 180 度的卷积核，以及它们的卷积，它与转置卷积的输出相同。",
    },
    "transposed.same": {
        "en": "Largest difference from the stamped output: {error}.",
        "zh": "与盖印得到的输出的最大差值：{error}。",
    },
    # Overlaps
    "transposed.counts_header": {"en": "How many stamps reach each cell", "zh": "每个格子被多少个印章覆盖"},
    "transposed.uneven": {
        "en": "**Checkerboard.** K = {K} is not a multiple of s = {s}: away from the borders, some cells get "
        "more stamps than their neighbours, so even a constant input gives a striped output. This is the "
        "checkerboard artefact of upsampling by transposed convolution; a kernel size divisible by the "
        "stride (or resizing followed by a convolution) avoids it.",
        "zh": "**棋盘格。** K = {K} 不是 s = {s} 的倍数：远离边界的地方，有些格子比相邻格子得到更多的印章，"
        "所以即使输入是常数，输出也会出现条纹。这就是用转置卷积上采样时的棋盘格伪影；"
        "让卷积核大小能被步幅整除（或者先缩放再卷积）就可以避免。",
    },
    "transposed.uneven_dilated": {
        "en": "**Checkerboard.** With dilation d = {d} the taps sit at k·d = {taps}, which do not fall "
        "equally often on each of the s = {s} phases: away from the borders, some cells get more stamps "
        "than their neighbours.",
        "zh": "**棋盘格。** 膨胀 d = {d} 时，各抽头位于 k·d = {taps}，它们落在 s = {s} 个相位上的次数不相等："
        "远离边界的地方，有些格子比相邻格子得到更多的印章。",
    },
    "transposed.even": {
        "en": "Away from the borders every cell gets the same number of stamps (K = {K}, s = {s}): no "
        "checkerboard. Only the borders, reached by fewer stamps, differ.",
        "zh": "远离边界的地方，每个格子得到的印章数都相同（K = {K}，s = {s}）：没有棋盘格。"
        "只有边界处被较少的印章覆盖，数目不同。",
    },
    "transposed.counts_alt": {
        "en": "Heatmap of how many stamps reach each of the {H_out} by {W_out} output cells.",
        "zh": "热力图：{H_out} × {W_out} 个输出格中每一格被多少个印章覆盖。",
    },
    # One cell
    "transposed.cell_header": {"en": "One output cell in numbers", "zh": "一个输出格的具体数值"},
    "transposed.cell_row": {"en": "Output row u", "zh": "输出行 u"},
    "transposed.cell_col": {"en": "Output column v", "zh": "输出列 v"},
    "transposed.general": {
        "en": "In general: every stamp tap that lands on (u, v) adds its product; in matrix form the layer "
        "is the transpose of the convolution's matrix C:",
        "zh": "一般形式：每个落在 (u, v) 上的印章抽头都加上它的乘积；"
        "写成矩阵形式，这一层就是卷积矩阵 C 的转置：",
    },
    "transposed.this_cell": {"en": "For output cell ({u}, {v}):", "zh": "对输出格 ({u}, {v})："},
    "transposed.no_stamp": {
        "en": "No stamp reaches this cell (the stride, or the dilation, leaves gaps between the taps; or the "
        "output padding added it): it stays 0.",
        "zh": "没有任何印章到达这个格子（步幅或膨胀在抽头之间留下了空隙，"
        "或者它是输出填充添加的）：它保持为 0。",
    },
    # The backward pass
    "transposed.backward_header": {"en": "The backward pass of a convolution", "zh": "卷积的反向传播"},
    "transposed.backward": {
        "en": "Take a convolution with this kernel, stride s = {s}, padding p = {p} and dilation d = {d}, "
        "whose output has the size of this page's input. Its input gradient scatters each δ(i, j)·W onto "
        "the window (i, j) read: exactly the stamps above. So with δ = x, **dX = Cᵀδ is this page's "
        "output**, and every transposed convolution is some convolution's backward pass. The engine's "
        "`conv2d_backward` for that convolution gives the same numbers: largest difference {error}.",
        "zh": "取一个卷积核相同、步幅 s = {s}、填充 p = {p}、膨胀 d = {d} 的卷积，"
        "它的输出尺寸等于本页的输入尺寸。"
        "它对输入的梯度把每个 δ(i, j)·W 散布到窗口 (i, j) 读取的位置上：正是上面的印章。"
        "所以令 δ = x，**dX = Cᵀδ 就是本页的输出**，每个转置卷积都是某个卷积的反向传播。"
        "引擎对这个卷积的 `conv2d_backward` 给出相同的数值：最大差值 {error}。",
    },
    "transposed.source_code": {
        "en": "The engine's code: the stamps cell by cell, tap by tap, and as a convolution",
        "zh": "引擎代码：逐格盖印、逐抽头盖印，以及写成卷积的形式",
    },
    # Figure words
    "transposed.fig.input": {"en": "Input x", "zh": "输入 x"},
    "transposed.fig.kernel": {"en": "Kernel W", "zh": "卷积核 W"},
    "transposed.fig.stamp": {"en": "Stamp x(i, j)·W", "zh": "印章 x(i, j)·W"},
    "transposed.fig.canvas": {"en": "Output y, accumulating", "zh": "输出 y（累加中）"},
    "transposed.fig.padded": {"en": "Zeros inserted, padded", "zh": "插入零并填充后"},
    "transposed.fig.rotated": {"en": "W rotated 180°", "zh": "旋转 180° 的 W"},
    "transposed.fig.result": {"en": "Convolution = y", "zh": "卷积结果 = y"},
    "transposed.fig.counts": {"en": "Stamps per output cell", "zh": "每个输出格的印章数"},
    "transposed.fig.step": {"en": "input cell (i, j) = ", "zh": "输入格 (i, j) = "},
    "transposed.fig.step_line": {
        "en": "x({i}, {j}) = {x}: {x}·W added at",
        "zh": "x({i}, {j}) = {x}：{x}·W 加到",
    },
    "transposed.fig.step_where": {
        "en": "rows {r0}…{r1}, columns {c0}…{c1}",
        "zh": "第 {r0}…{r1} 行、第 {c0}…{c1} 列",
    },
    "transposed.fig.slow": {"en": "▶ Slow", "zh": "▶ 慢速"},
    "transposed.fig.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "transposed.fig.fast": {"en": "▶▶ Fast", "zh": "▶▶ 快速"},
    "transposed.fig.pause": {"en": "⏸ Pause", "zh": "⏸ 暂停"},
    "transposed.fig.cropped": {"en": "cropped by the padding", "zh": "被填充裁掉"},
    "transposed.fig.inserted": {"en": "an inserted zero", "zh": "插入的零"},
    "transposed.fig.padding": {"en": "padding", "zh": "填充"},
    "transposed.fig.value_bar": {"en": "value: blue < 0 < red", "zh": "数值：蓝 < 0 < 红"},
    "transposed.fig.count_bar": {"en": "stamps", "zh": "印章数"},
}
