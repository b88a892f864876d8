"""Strings of the backward page's gradient-check hover text and of the channel named in its titles."""

STRINGS: dict[str, dict[str, str]] = {
    # Hover text of each checked entry in the gradient-check figure: the word before each number.
    "backward.fig.check_analytic": {"en": "analytic", "zh": "解析梯度"},
    "backward.fig.check_numeric": {"en": "numeric", "zh": "数值梯度"},
    "backward.fig.check_error": {"en": "error", "zh": "相对误差"},
    # The colour channel of an RGB image added to a title: "dW kernel 1, R" / "dX_pad so far (R)".
    "backward.fig.channel_suffix": {"en": ", {channel}", "zh": "，{channel}"},
    "backward.fig.channel_paren": {"en": " ({channel})", "zh": "（{channel}）"},
}
