"""Translated labels for the convolution figures (the viz builders take words, never look them up)."""

from __future__ import annotations

from ui.common.i18n import t
from viz.feature_maps import FeatureMapLabels
from viz.forward import ForwardLabels

# How σ is written in formulas; None for no activation.
ACTIVATION_TEX = {
    "identity": None,
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
}


def speeds() -> tuple[str, str, str]:
    return t("forward.fig.slow"), t("forward.fig.play"), t("forward.fig.fast")


def forward_labels(activation: str, channels: int) -> ForwardLabels:
    """Labels of the step-by-step animation."""
    what = t("forward.z_or_a.z") if activation == "identity" else t("forward.z_or_a.a")
    activation_line = (
        "" if activation == "identity" else t("forward.fig.activation", name=t(f"act.{activation}"))
    )
    # The string keeps an {a} field ("{{a}}" in the table) for the figure to fill in at each step.
    return ForwardLabels(
        input_title=t("forward.fig.input"),
        output_title=t("forward.fig.output", what=what),
        window_title=t("forward.fig.window"),
        kernel_title=t("forward.fig.kernel"),
        products_title=t("forward.fig.products"),
        step_prefix=t("forward.fig.step_prefix"),
        speeds=speeds(),
        pause=t("forward.fig.pause"),
        sum_line=t("forward.fig.sum"),
        bias_line=t("forward.fig.bias"),
        activation_line=activation_line,
        channel_names=tuple(t("forward.fig.channels").split(",")) if channels == 3 else ("",),
        output_colorbar=t("forward.fig.value"),
        padding_hover=t("forward.fig.padding"),
    )


def feature_map_labels(kernel_number: int) -> FeatureMapLabels:
    """Labels of the whole-image figures."""
    return FeatureMapLabels(
        input_title=t("forward.fig.input_full"),
        output_title=t("forward.fig.sweep_output", n=kernel_number),
        colorbar=t("forward.fig.value"),
        click_hint=t("forward.fig.map_click"),
        row_prefix=t("forward.fig.rows"),
        speeds=speeds(),
        pause=t("forward.fig.pause"),
    )
