"""Strings of the download panel."""

STRINGS: dict[str, dict[str, str]] = {
    "export.title": {"en": "Download: animation and numbers", "zh": "下载：动画与数值"},
    "export.hint": {
        "en": "A GIF of the animation for slides; the arrays as CSV (spreadsheets) or .npy (NumPy). "
        "Each figure's camera icon saves it as a PNG.",
        "zh": "动画的 GIF 可用于幻灯片；数组可导出为 CSV（电子表格）或 .npy（NumPy）。"
        "点击每张图上的相机图标，可将其保存为 PNG。",
    },
    "export.gif": {"en": "Animation as GIF", "zh": "动画 GIF"},
}
