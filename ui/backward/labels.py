"""Translated words of the backward page's figures (the viz builders take words, never look them up)."""

from __future__ import annotations

from ui.common.i18n import t
from ui.conv.labels import speeds
from viz.backward import AnimationLabels, CheckLabels, DescentLabels, SweepLabels


def channel_names(C: int) -> list[str]:
    """("R", "G", "B") for a colour image, ("",) for gray."""
    return t("forward.fig.channels").split(",") if C == 3 else [""] * C


def channel_suffix(C: int, c: int) -> str:
    """ ", R" style suffix naming channel c of an RGB image (the separator is translated); empty for gray."""
    return t("backward.fig.channel_suffix", channel=channel_names(C)[c]) if C > 1 else ""


def _channel_paren(channel_name: str) -> str:
    """ " (R)" style suffix naming a channel (translated brackets); empty for gray."""
    return t("backward.fig.channel_paren", channel=channel_name) if channel_name else ""


def shape(*sizes: int) -> str:
    return "×".join(str(s) for s in sizes)


def loss_titles(out_size: tuple[int, int], activation: str, mse: bool) -> tuple[str, ...]:
    """Titles of A (and T): each with the shape of one kernel's map."""
    size = shape(*out_size)
    output = "backward.fig.z" if activation == "identity" else "backward.fig.a"
    return (t(output, shape=size), *((t("backward.fig.target", shape=size),) if mse else ()))


def chain_titles(out_size: tuple[int, int]) -> tuple[str, ...]:
    """Titles of ∂L/∂A, σ'(Z) and δ."""
    size = shape(*out_size)
    return tuple(t(f"backward.fig.{name}", shape=size) for name in ("da", "dsigma", "delta"))


def weight_titles(
    kernel_shape: tuple[int, int, int, int],
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Titles of each dW panel ([f][c]) and each db panel ([f])."""
    F, C, KH, KW = kernel_shape
    dw = tuple(
        tuple(
            t("backward.fig.dw", n=f + 1, channel=channel_suffix(C, c), shape=shape(KH, KW)) for c in range(C)
        )
        for f in range(F)
    )
    return dw, tuple(t("backward.fig.db", n=f + 1) for f in range(F))


def input_titles(C: int, H: int, W: int) -> tuple[str, ...]:
    """The input's title, then dX's per channel."""
    return (
        t("backward.fig.input", shape=shape(C, H, W)),
        *(t("backward.fig.dx", channel=channel_suffix(C, c), shape=shape(H, W)) for c in range(C)),
    )


def gather_titles(view, channel: int, C: int, mode: str) -> tuple[str, ...]:
    """Titles of the eight panels of the scatter-and-gather figure, each with its shape on a second line."""
    suffix = channel_suffix(C, channel)
    padded = shape(*view.dx_pad.shape[1:])
    border = "backward.fig.g_border_zeros" if mode == "zeros" else "backward.fig.g_border_fold"
    titles = (
        (t("backward.fig.g_delta"), shape(*view.delta.shape[1:])),
        (t("backward.fig.g_spread"), shape(*view.spread.shape[1:])),
        (t("backward.fig.g_padded"), shape(*view.padded.shape[1:])),
        (t("backward.fig.g_rotated", channel=suffix), shape(*view.rotated_dilated.shape[2:])),
        (t("backward.fig.g_gather", channel=suffix), padded),
        (t("backward.fig.g_scatter", channel=suffix), padded),
        (t(border), padded),
        (t("backward.fig.g_dx", channel=suffix), shape(*view.dx.shape[1:])),
    )
    # A long title breaks after its colon ("Gather:<br>padded ⋆ rotated W"): four panels share a row.
    return tuple(f"{text.replace(': ', ':<br>', 1)}<br>{size}" for text, size in titles)


def animation_labels(channel_name: str) -> AnimationLabels:
    suffix = _channel_paren(channel_name)
    return AnimationLabels(
        input_title=t("forward.fig.input"),
        delta_title=t("backward.fig.delta_crop"),
        dx_title=t("backward.fig.dx_crop", channel=suffix),
        dw_step_title=t("backward.fig.dw_step"),
        dw_total_title=t("backward.fig.dw_total"),
        dx_step_title=t("backward.fig.dx_step"),
        step_prefix=t("forward.fig.step_prefix"),
        speeds=speeds(),
        pause=t("forward.fig.pause"),
        delta_line=t("backward.fig.delta_line"),
        db_line=t("backward.fig.db_line"),
        colorbar=t("backward.fig.gradient"),
        padding_hover=t("backward.fig.padding"),
        click_hint=t("backward.fig.jump"),
    )


def sweep_labels(kernel_number: int, channel_name: str) -> SweepLabels:
    suffix = _channel_paren(channel_name)
    return SweepLabels(
        input_title=t("forward.fig.input_full"),
        delta_title=t("backward.fig.sweep_delta", n=kernel_number),
        dx_title=t("backward.fig.sweep_dx", n=kernel_number, channel=suffix),
        dw_title=t("backward.fig.dw_total"),
        db_line=t("backward.fig.db_sweep"),
        row_prefix=t("forward.fig.rows"),
        speeds=speeds(),
        pause=t("forward.fig.pause"),
        colorbar=t("backward.fig.gradient"),
    )


def check_labels() -> CheckLabels:
    return CheckLabels(
        arrays=(t("backward.fig.check_w"), t("backward.fig.check_b"), t("backward.fig.check_x")),
        smooth=t("backward.fig.check_smooth"),
        kink=t("backward.fig.check_kink"),
        threshold=t("backward.fig.check_line"),
        y_title=t("backward.fig.check_y"),
        exact=t("backward.fig.check_exact"),
        analytic=t("backward.fig.check_analytic"),
        numeric=t("backward.fig.check_numeric"),
        error=t("backward.fig.check_error"),
    )


def descent_labels() -> DescentLabels:
    return DescentLabels(
        loss_title=t("backward.fig.loss_curve"),
        x_title=t("backward.fig.step_axis"),
        y_title=t("backward.fig.loss_axis"),
        start_title=t("backward.fig.k_start"),
        now_title=t("backward.fig.k_now"),
        target_title=t("backward.fig.k_target"),
        step_prefix=t("backward.fig.step_prefix"),
        speeds=speeds(),
        pause=t("forward.fig.pause"),
    )
