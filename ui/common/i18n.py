"""Translated user-facing strings: one table, looked up by string id and the session's language.

`STRINGS` is the one table: the frame's and home page's strings below, merged with the tables listed in
`STRING_TABLES`: each topic's `ui/<topic>/strings.py` (ids prefixed by the page id) and the shared ones in
`ui/common/`; an id defined twice is an error. The engine's error sentences are not string ids: their
translations are keyed by the English sentence itself, in ui/common/error_strings.py (see
`ui.common.display.problem_text`).
Adding a language means adding its code to `LANGUAGES` and its text to every entry of both tables: no code
changes.
A test checks that every string id has every language.
"""

from __future__ import annotations

import importlib

import streamlit as st

# Language code -> its name written in that language (what the language picker shows).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "简体中文",
}
DEFAULT_LANGUAGE = "en"
# Languages being translated, not offered yet: a table may hold their text before every table has it;
# a language moves to LANGUAGES once every table has it (tests/app/test_chinese.py shows how it is checked).
PLANNED_LANGUAGES: dict[str, str] = {}

# The session-state key holding the current language code (a shared setting, see ui/common/state.py).
LANGUAGE_KEY = "language"

# String id -> language code -> text: the strings of the frame and the home page.
_FRAME_STRINGS: dict[str, dict[str, str]] = {
    # The app as a whole.
    "app.name": {"en": "CNN Explorer", "zh": "CNN 探索器"},
    "app.tagline": {
        "en": "See how a convolutional network computes, forward and backward.",
        "zh": "看卷积神经网络如何计算：前向传播与反向传播。",
    },
    # Page titles: one per entry of the page registry in ui/common/frame.py.
    "page.home": {"en": "Home", "zh": "首页"},
    "page.forward": {"en": "Forward pass", "zh": "前向传播"},
    "page.backward": {"en": "Backward pass", "zh": "反向传播"},
    "page.transposed": {"en": "Transposed convolution", "zh": "转置卷积"},
    "page.matrix": {"en": "Convolution as a matrix", "zh": "卷积的矩阵形式"},
    "page.pooling": {"en": "Pooling", "zh": "池化"},
    "page.activations": {"en": "Activations", "zh": "激活函数"},
    "page.dense": {"en": "Fully connected layer", "zh": "全连接层"},
    "page.chain_rule": {"en": "Chain rule", "zh": "链式法则"},
    "page.normalization": {"en": "Normalization, split, concat", "zh": "归一化、拆分与拼接"},
    "page.train": {"en": "Train a tiny CNN", "zh": "训练一个小型 CNN"},
    # One line per topic page: what the student does there (the home page's cards).
    "blurb.forward": {
        "en": "Slide a kernel over an image and watch the feature map fill in, step by step.",
        "zh": "让卷积核在图像上滑动，一步一步地看特征图被填满。",
    },
    "blurb.backward": {
        "en": "Follow the gradient back through a convolution to δ, dW, db and dX.",
        "zh": "沿着梯度穿过卷积层往回走，得到 δ、dW、db 和 dX。",
    },
    "blurb.transposed": {
        "en": "Each input cell stamps the scaled kernel onto a larger output: a convolution's backward pass "
        "as a layer.",
        "zh": "每个输入格把缩放后的卷积核盖印到更大的输出上：把卷积的反向传播当作一层来用。",
    },
    "blurb.matrix": {
        "en": "A convolution is a matrix C: y = Cx forward, dX = Cᵀδ backward, and the im2col the fast path "
        "multiplies.",
        "zh": "卷积就是一个矩阵 C：前向 y = Cx，反向 dX = Cᵀδ，以及快速路径所乘的 im2col。",
    },
    "blurb.pooling": {
        "en": "Max and average pooling: which inputs win, and where their gradient goes.",
        "zh": "最大池化与平均池化：哪些输入胜出，它们的梯度又流向哪里。",
    },
    "blurb.activations": {
        "en": "ReLU, sigmoid, tanh and friends: their shape and their derivative.",
        "zh": "ReLU、sigmoid、tanh 等激活函数：它们的形状与导数。",
    },
    "blurb.dense": {
        "en": "A fully connected layer as a matrix product, forward and backward.",
        "zh": "把全连接层看作矩阵乘法：前向与反向。",
    },
    "blurb.chain_rule": {
        "en": "Type an expression and follow the chain rule through its graph.",
        "zh": "输入一个表达式，沿着它的计算图追踪链式法则。",
    },
    "blurb.normalization": {
        "en": "Batch and layer normalization, splitting and joining channels.",
        "zh": "批归一化与层归一化，以及通道的拆分与拼接。",
    },
    "blurb.train": {
        "en": "Train a small CNN in the browser and watch its kernels and loss change.",
        "zh": "在浏览器中训练一个小型 CNN，观察卷积核与损失如何变化。",
    },
    # A setting whose value its control could not hold (ui/common/links.py, refuse_impossible_settings).
    "frame.refused": {
        "en": "Some settings had values their controls cannot take ({names}); "
        "the last good values are shown.",
        "zh": "有些设置的值超出了控件允许的范围（{names}），页面显示的是上一次有效的设置。",
    },
    # Under the step buttons in presentation mode (ui/common/controls.py, clicker_hint).
    # Predict, then reveal (ui/common/predict.py), on every page that asks.
    "predict.toggle": {"en": "Predict, then reveal", "zh": "先预测，再揭晓"},
    "predict.toggle_help": {
        "en": "Before a step is shown, type what you expect; the page checks it, then shows the arithmetic. "
        "In presentation mode the room answers aloud and the lecturer presses Reveal.",
        "zh": "在显示某一步之前，先输入你的预测；页面检查后再显示计算过程。"
        "演示模式下由全场口头回答，讲师点击“揭晓”。",
    },
    "predict.title": {"en": "Your prediction:", "zh": "你的预测："},
    "predict.placeholder": {"en": "your answer", "zh": "你的答案"},
    "predict.check": {"en": "Check", "zh": "检查"},
    "predict.reveal": {"en": "Reveal", "zh": "揭晓"},
    "predict.tolerance": {
        "en": "Counted right within 0.01, or 1 % of the value.",
        "zh": "与正确值相差不超过 0.01 或其 1 % 即算正确。",
    },
    "predict.exact": {"en": "Whole numbers: counted right when equal.", "zh": "整数：相等才算正确。"},
    "predict.right": {"en": "Right! {answer}", "zh": "正确！{answer}"},
    "predict.wrong": {
        "en": "Not quite: you said {guess}. {answer}",
        "zh": "不太对：你的答案是 {guess}。{answer}",
    },
    "predict.revealed": {"en": "{answer}", "zh": "{answer}"},
    "predict.score": {
        "en": "Predictions this session: {right} of {checked} right.",
        "zh": "本次预测：{checked} 题中答对 {right} 题。",
    },
    "clicker.hint_play": {
        "en": "Clicker or keyboard: Page Down or → for the next step, Page Up or ← for the previous one, "
        "Space to play or pause.",
        "zh": "翻页笔或键盘：Page Down 或 → 下一步，Page Up 或 ← 上一步，空格键播放或暂停。",
    },
    "clicker.hint": {
        "en": "Clicker or keyboard: Page Down or → for the next step, Page Up or ← for the previous one.",
        "zh": "翻页笔或键盘：Page Down 或 → 下一步，Page Up 或 ← 上一步。",
    },
    # The shared sidebar.
    "sidebar.pages": {"en": "Pages", "zh": "页面"},
    "sidebar.settings": {"en": "Settings", "zh": "设置"},
    "sidebar.language": {"en": "Language", "zh": "语言"},
    "sidebar.presentation": {"en": "Presentation mode", "zh": "演示模式"},
    "sidebar.presentation_help": {
        "en": "Larger type, thicker lines and stronger contrast for a projector or a shared screen.",
        "zh": "为投影仪或共享屏幕放大字体、加粗线条、提高对比度。",
    },
    "sidebar.share": {"en": "Share this view", "zh": "分享当前视图"},
    "sidebar.share_help": {
        "en": "This link opens this page as it is now: image, kernels, sizes, stride, padding, dilation, "
        "step, language and presentation mode. Copy it with the button at its right.",
        "zh": "这个链接会按现在的样子打开本页：图像、卷积核、尺寸、步幅、填充、膨胀、步骤、语言和演示模式。"
        "用右侧的按钮复制。",
    },
    "sidebar.share_upload": {
        "en": "An uploaded image can't travel in a link: the link opens with the sample image instead.",
        "zh": "上传的图像无法放进链接：打开链接时会改用示例图像。",
    },
    # The home page.
    "home.intro": {
        "en": "This app makes the arithmetic of a convolutional network visible on a real image: "
        "pick an image and a kernel, watch the window slide and the feature map fill in, "
        "then follow the gradients back.",
        "zh": "本应用在真实图像上把卷积神经网络的计算过程直观地展示出来：选一张图像和一个卷积核，"
        "看窗口如何滑动、特征图如何逐步填满，然后沿着梯度反向追踪。",
    },
    "home.correlation": {
        "en": "What deep-learning libraries call convolution is cross-correlation: the kernel slides over "
        "the image without being flipped. True convolution flips it first.",
        "zh": "深度学习框架所说的卷积其实是互相关：卷积核在图像上滑动时不翻转。真正的卷积要先把卷积核翻转。",
    },
    "home.start": {"en": "New here? Start with **{page}**.", "zh": "第一次来？从 **{page}** 开始。"},
    # The picture's alternative text (the caption says what it is for; this, what it shows).
    "home.preview_alt": {
        "en": "Animation: a 3×3 window slides over a picture of a house, and beside it the feature map fills "
        "in cell by cell: red where the picture turns from dark to bright left to right, blue where it turns "
        "from bright to dark.",
        "zh": "动画：一个 3×3 窗口在一张房子的图片上滑动，旁边的特征图逐格填满：从左到右由暗变亮处为红色，"
        "由亮变暗处为蓝色。",
    },
    "home.preview_caption": {
        "en": "The forward pass at work: a Sobel kernel slides over the picture, each window gives one cell "
        "of the feature map (blue < 0 < red). Every page also takes your own image.",
        "zh": "前向传播的过程：Sobel 卷积核在图片上滑动，每个窗口得到特征图的一个格子（蓝 < 0 < 红）。"
        "每个页面也都可以使用你自己的图像。",
    },
}


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Join string tables into one; an id defined in two tables is an error (one would silently win)."""
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = sorted(set(merged) & set(table))
        if twice:
            raise ValueError(f"String ids defined twice: {twice}")
        merged.update(table)
    return merged


# Every string table besides the frame's, by module: a new topic adds its line here. Imported by name so
# that the shared part does not depend on the topics' code (a strings module holds only its table).
STRING_TABLES: tuple[str, ...] = (
    "ui.common.strings",
    "ui.conv.strings",
    "ui.backward.strings",
    "ui.backward.tour_strings",
    "ui.backward.mistake_strings",
    "ui.pooling.strings",
    "ui.pooling.mistake_strings",
    "ui.transposed.strings",
    "ui.matrix.strings",
    "ui.activations.strings",
    "ui.dense.strings",
    "ui.chain_rule.strings",
    "ui.normalization.strings",
    "ui.train.strings",
)


def table(module: str) -> dict[str, dict[str, str]]:
    """The string table (`STRINGS`) of one module of `STRING_TABLES`."""
    return importlib.import_module(module).STRINGS


def all_strings() -> dict[str, dict[str, str]]:
    """Every table of `STRING_TABLES`, merged (ValueError when two define the same id)."""
    return _merge(*(table(module) for module in STRING_TABLES))


STRINGS: dict[str, dict[str, str]] = _merge(_FRAME_STRINGS, all_strings())


def current_language() -> str:
    """Return the session's language code, or the default when it is unset or unknown."""
    language = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


# What separates two sentences: a space in English, nothing after Chinese full-width punctuation.
_SENTENCE_GAP = {"zh": ""}


def join_sentences(*sentences: str) -> str:
    """Sentences written one after the other, as the session's language separates them."""
    return _SENTENCE_GAP.get(current_language(), " ").join(s for s in sentences if s)


def t(key: str, **fmt: object) -> str:
    """Return the string `key` in the session's language, with `{name}` fields filled from `fmt`.

    A string id missing from the table comes back as the id itself, so the gap is visible on the page
    instead of crashing it; a language missing for an id falls back to the default language.

    Args:
        key: a string id of `STRINGS`, e.g. "page.forward".
        **fmt: values for the `{name}` fields of the string.

    Returns:
        The translated, formatted text.
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(current_language()) or entry.get(DEFAULT_LANGUAGE, key)
    if not fmt:
        return text
    try:
        return text.format(**fmt)
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong field name must not break the page: show it unformatted.
        return text
