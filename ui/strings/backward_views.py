"""Strings of the backward page's view picker: the closer looks below the heatmaps, one at a time."""

STRINGS: dict[str, dict[str, str]] = {
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
}
