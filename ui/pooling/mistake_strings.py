"""Strings of the pooling page's planted mistake (ui/pooling/mistakes.py): ids "pooling.mistake*"."""

STRINGS: dict[str, dict[str, str]] = {
    "pooling.mistake": {"en": "Introduce a mistake", "zh": "植入一个错误"},
    "pooling.mistake_help": {
        "en": "Swaps the engine's pooling backward pass for a classic wrong one and shows where its ∂L/∂X "
        "differs from the right one.",
        "zh": "把引擎的池化反向传播换成一个经典的错误写法，并显示它的 ∂L/∂X 与正确结果相差的地方。",
    },
    "pooling.mistake.none": {"en": "None (the engine's backward pass)", "zh": "无（引擎自己的反向传播）"},
    "pooling.mistake.pool_overwrite": {
        "en": "Assigned instead of accumulating (overlapping windows)",
        "zh": "用赋值代替了累加（窗口重叠时）",
    },
    "pooling.mistake.pool_overwrite.sentence": {
        "en": "The backward loop writes `dx[n, c, r, s] = dout[n, c, i, j]` where `+=` belongs: a cell that "
        "several overlapping windows send their gradient to keeps only the last one's. Windows side by side "
        "(the usual 2 × 2 at stride 2) never share a cell, so tests at those settings pass; with overlapping "
        "windows the cells that get two or more shares are wrong.",
        "zh": "反向传播循环写成了 `dx[n, c, r, s] = dout[n, c, i, j]`，而应该是 `+=`："
        "多个重叠窗口都把梯度传给同一个格子时，它只留下最后一个窗口的那一份。"
        "并排的窗口（常见的 2 × 2、步幅 2）从不共用格子，所以用这种设置的测试都能通过；"
        "窗口重叠时，得到两份或更多梯度的格子就会出错。",
    },
    "pooling.mistake.source": {
        "en": "The code: the planted mistake, then the engine's right function",
        "zh": "代码：先是植入的错误，然后是引擎中正确的函数",
    },
    "pooling.mistake.no_overlap": {
        "en": "With a {K} × {K} window at stride {s} the windows do not overlap, so no cell gets two shares "
        "and this mistake is invisible here: set the stride to 1 to see it.",
        "zh": "{K} × {K} 的窗口、步幅为 {s} 时窗口互不重叠，没有格子会得到两份梯度，"
        "所以这里看不出这个错误：把步幅设为 1 就能看到。",
    },
    "pooling.mistake.no_shared_winner": {
        "en": "The windows overlap, but no cell receives two shares on this map (no cell wins two windows): "
        "try another map or the average.",
        "zh": "窗口虽然重叠，但这张图上没有格子得到两份梯度（没有格子同时在两个窗口中胜出）："
        "换一张图或改用平均池化试试。",
    },
    "pooling.mistake.wrong_cells": {
        "en": "{n} cell(s) of ∂L/∂X are wrong: those that several windows send their gradient to.",
        "zh": "∂L/∂X 中有 {n} 个格子出错：正是多个窗口都把梯度传给它们的那些格子。",
    },
    "pooling.mistake.fig.right": {"en": "∂L/∂X, right", "zh": "∂L/∂X，正确"},
    "pooling.mistake.fig.planted": {"en": "∂L/∂X, planted mistake", "zh": "∂L/∂X，植入错误"},
    "pooling.mistake.fig.diff": {"en": "planted − right", "zh": "植入 − 正确"},
    "pooling.mistake.fig.bar": {"en": "blue < 0 < red", "zh": "蓝 < 0 < 红"},
    "pooling.mistake.fig.none": {"en": "no number", "zh": "无数值"},
    "pooling.mistake.fig.row": {"en": "row", "zh": "行"},
    "pooling.mistake.fig.col": {"en": "column", "zh": "列"},
    "pooling.mistake.alt": {
        "en": "Three heatmaps: the right ∂L/∂X, the one with the planted mistake, and their difference, "
        "coloured where the mistake shows.",
        "zh": "三张热力图：正确的 ∂L/∂X、植入错误后的 ∂L/∂X，以及两者之差，有颜色的地方就是错误出现的地方。",
    },
}
