"""The backward page's own settings ("backward.<name>" session-state keys) and their defaults.

The image, kernels and geometry are the convolution settings shared with the forward page
(ui/conv/state.py); these are what only the backward page asks: the loss, the cell of the one-hot loss,
the gradient check's step and the learning rate. Registered like the shared ones (`SETTINGS`, named in the
page's frame call), so `ui.common.state.bind` keeps their widgets' values when the user visits another
page and comes back.
"""

from __future__ import annotations

from typing import Any

from engine.mistakes import LAYER_MISTAKES, NONE
from ui.common.links import Choice, Domain, Flag, FloatRange, IntRange, Nearest, SettingGroup
from ui.conv.state import MAX_INDEX, MAX_KERNELS, PRESET_NAMES, RANDOM

LOSS_KINDS: tuple[str, ...] = ("sum", "mse", "impulse")
# The closer looks below the heatmaps, one at a time (only the one shown is computed): the animated
# steps, the row-by-row sweep, dX as a convolution, the gradient check, learning the kernel.
VIEWS: tuple[str, ...] = ("steps", "sweep", "gather", "check", "learn")
EPS_CHOICES: tuple[float, ...] = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9)

BACKWARD_DEFAULTS: dict[str, Any] = {
    "backward.view": "steps",  # one of VIEWS
    "backward.loss": "mse",  # one of LOSS_KINDS: MSE first, its gradient has the most to show
    "backward.target": "sobel_y",  # preset the target map is made with (MSE loss, learning)
    "backward.kernel": 0,  # the kernel whose δ, animation and gather view are shown
    "backward.channel": 0,  # the channel of dX shown in the animation, sweep and gather view
    "backward.cell_i": -1,  # the one-hot loss's output cell; −1: the middle of the map
    "backward.cell_j": -1,
    "backward.pixel_u": -1,  # the input pixel whose gradient is written out (gather); −1: the middle
    "backward.pixel_v": -1,
    "backward.eps": 1e-4,  # ε of the gradient check
    "backward.richardson": True,  # combine central differences at ε and ε/2
    "backward.check_limit": 300,  # entries checked per array, at most
    "backward.lr": 0.5,  # η of gradient descent
    "backward.steps": 50,  # N of "run N steps"
    "backward.mistake": NONE,  # a wrong backward pass planted in the gradient check (engine.mistakes)
    "backward.guess": False,  # "Which mistake is it?": the app plants one at random and hides its name
}
# What the "Introduce a mistake" control offers: none, or one of the engine's planted mistakes.
MISTAKE_CHOICES: tuple[str, ...] = (NONE, *LAYER_MISTAKES)


def _backward_links() -> dict[str, Domain]:
    """The backward page's settings: the widgets' bounds in ui/backward/controls.py."""
    index = IntRange(-1, 4 * MAX_INDEX)  # −1: the middle; the page clips the rest to its map
    return {
        "backward.view": Choice(VIEWS),
        "backward.loss": Choice(LOSS_KINDS),
        "backward.target": Choice((*PRESET_NAMES, RANDOM)),
        "backward.kernel": IntRange(0, MAX_KERNELS - 1),
        "backward.channel": IntRange(0, 2),
        "backward.cell_i": index,
        "backward.cell_j": index,
        "backward.pixel_u": index,
        "backward.pixel_v": index,
        "backward.eps": Nearest(EPS_CHOICES),
        "backward.richardson": Flag(),
        "backward.check_limit": IntRange(5, 2000),
        "backward.lr": FloatRange(0.001, 100.0),
        "backward.steps": IntRange(1, 1000),
        "backward.mistake": Choice(MISTAKE_CHOICES),
        "backward.guess": Flag(),
    }


# The backward page's own settings (the page names them in its frame call, with the convolution's).
SETTINGS = SettingGroup(BACKWARD_DEFAULTS, _backward_links())
