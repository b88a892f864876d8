"""Presentation mode's layout of an animated figure: its panels in one row, planned for a projector.

A lecture projects at 1280×720 or 1920×1080 and the room reads from the back. The figure must fit the first
screen under a compact title, with the step buttons below it (the pages put them there), and every number
in its grids must be at least MIN_PROJECTED_PX. The server does not know the screen, so the figure's
height is fixed by its content (at most HEIGHT) and its panels are planned for the plot area of a 1280-px
window with the sidebar collapsed (PLOT_PX); on a wider screen they keep their size (cells are square,
their height is fixed) and the gaps between them grow. The panels of one family (the small grids of a
step) share one cell size. A panel whose numbers would not fit at MIN_PROJECTED_PX shows its colours
only, never smaller or clipped numbers; the pages pick crops small enough that this does not happen
(`fits`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from viz.numbers import MIN_PROJECTED_PX, cell_px_for, fitting_font
from viz.theme import font_size

# The plot area planned for: its width in a 1280-px window (the sidebar collapsed, room for a scroll bar)
# and its largest height; with the margins the figure is at most HEIGHT px tall, which fits a 720-px
# screen under the compact title with the step buttons below.
PLOT_PX = (1170, 330)
MARGIN = {"l": 48, "r": 10, "t": 56, "b": 96}
HEIGHT = PLOT_PX[1] + MARGIN["t"] + MARGIN["b"]
TICK_PX = 44  # room for the row labels left of a panel that has them (the first panel's: the margin)
GAP_PX = 26  # between two panels
TEXT_LINE_PX = 30  # a line of the step's arithmetic under the small grids
MAX_CELL_PX = 72
PICTURE_CELL_PX = 12  # the smallest cell of a panel that prints no numbers
TICK_FONT = 18
TITLE_SHIFT = 22  # titles sit above the column numbers of the panels that have them
TITLE_PX = font_size(True) + 1  # the panels' titles (bold)
# Numbers in the worst case, to plan crops before the values are known: "0.98" (an image) and "−1.99".
WORST = {"image": ["0.00"], "signed": ["−0.00"]}


class Panel(NamedTuple):
    """One panel of the row."""

    name: str
    shape: tuple[int, int]  # rows, cols
    texts: Sequence[str]  # the numbers it prints, as formatted (empty: colours or a picture only)
    family: str  # panels of one family share their cell size
    ticks: bool = False  # row and column numbers
    above_text: bool = False  # the step's arithmetic is written under this panel
    priority: int = 0  # a narrow row gives numbers to the panels of lowest priority first
    title: str = ""  # its title (HTML): a narrow panel gets room for it, so titles never run together


class RowLayout(NamedTuple):
    """Where each panel goes (paper fractions of the plot area) and the size of its numbers."""

    x: dict[str, tuple[float, float]]
    y: dict[str, tuple[float, float]]
    fonts: dict[str, int]  # px, one size for a family; 0: the panel prints no numbers
    cells: dict[str, float]  # px of a cell, by family
    text_x: tuple[float, float]
    text_y: tuple[float, float]
    height: int  # of the figure: the tallest panel (or the small grids and their text) and the margins


def _text_px(text_lines: int) -> float:
    return text_lines * TEXT_LINE_PX + 16 if text_lines else 0.0


def title_px(text: str, font_px: float = TITLE_PX) -> float:
    """Width in pixels of a title's longest line, bold (0.55 em a letter, 1 em a CJK character)."""
    lines = re.sub(r"<br>", "\n", text)
    lines = re.sub(r"<[^>]+>", "", lines).split("\n")
    return max(sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in line) for line in lines) * font_px


def _slots(panels: Sequence[Panel], widths: Sequence[float]) -> list[float]:
    """Each panel's room in the row: its cells, or its title less the gaps it may reach into."""
    return [max(width, title_px(p.title) - GAP_PX) if p.title else width for p, width in zip(panels, widths)]


def _family_cells(panels: Sequence[Panel], text_lines: int, reserve: float = 0.0) -> dict[str, float]:
    """The cell side of each family: what its numbers need, grown into the room there is.

    When the row is too narrow for every family's numbers, the families get theirs in the order of
    `panels`' priorities (the first panel's family first); the others show colours only, in what is left.
    `reserve`: px of the row kept for titles wider than their panels.
    """
    W, H = PLOT_PX
    need, cap, cols = {}, {}, {}
    for p in panels:
        rows, n_cols = p.shape
        room_h = H - (_text_px(text_lines) if p.above_text else 0)
        want = cell_px_for(list(p.texts)) if p.texts else PICTURE_CELL_PX
        need[p.family] = max(need.get(p.family, 0.0), want)
        cap[p.family] = min(cap.get(p.family, MAX_CELL_PX), room_h / rows)
        cols[p.family] = cols.get(p.family, 0) + n_cols
    room = W - reserve - sum(GAP_PX + (TICK_PX if p.ticks else 0) for p in panels[1:])
    cells = {f: min(cap[f], PICTURE_CELL_PX) for f in need}
    for f in sorted(need, key=_priority(panels)):  # each family its numbers' size, while there is room
        wanted = min(cap[f], need[f])
        if sum(cols[g] * cells[g] for g in need) + cols[f] * (wanted - cells[f]) <= room:
            cells[f] = wanted
    grown = [f for f in need if cells[f] >= need[f]] or list(need)
    used = sum(cols[f] * cells[f] for f in need)
    k = max(1.0, 1 + (room - used) / max(1.0, sum(cols[f] * cells[f] for f in grown)))
    return {f: min(cap[f], cells[f] * k) if f in grown else cells[f] for f in need}


def _priority(panels: Sequence[Panel]):
    order = [p.family for p in sorted(panels, key=lambda p: p.priority)]
    return order.index


def row_layout(panels: Sequence[Panel], text_lines: int = 0) -> RowLayout:
    """Plan a row of panels for the projector (see the module's docstring).

    Args:
        panels: left to right.
        text_lines: lines of arithmetic written under the panels marked `above_text`.
    """
    W = PLOT_PX[0]
    cells = _family_cells(panels, text_lines)
    widths = [p.shape[1] * cells[p.family] for p in panels]
    fixed = sum(GAP_PX + (TICK_PX if p.ticks else 0) for p in panels[1:])
    if fixed + sum(_slots(panels, widths)) > W:  # the titles need room the cells took: plan again
        cells = _family_cells(panels, text_lines, sum(_slots(panels, widths)) - sum(widths))
        widths = [p.shape[1] * cells[p.family] for p in panels]
    slots = _slots(panels, widths)
    tall = [p.shape[0] * cells[p.family] + (_text_px(text_lines) if p.above_text else 0) for p in panels]
    H = round(min(PLOT_PX[1], max(tall)))  # the plot is no taller than its tallest panel
    extra = max(0.0, W - fixed - sum(slots)) / max(1, len(panels) - 1)
    fonts: dict[str, int] = {}
    for p in panels:  # one size for a family: its widest numbers' (0 when one of them does not fit)
        if p.texts:
            size = fitting_font(list(p.texts), cells[p.family])
            fonts[p.family] = min(fonts.get(p.family, size), size)
    x, y, left = {}, {}, 0.0
    for n, (p, slot) in enumerate(zip(panels, slots)):  # a slot wider than its panel centres it
        if n:
            left += GAP_PX + extra + (TICK_PX if p.ticks else 0)
        x[p.name] = (left / W, min(1.0, (left + slot) / W))
        y[p.name] = (max(0.0, 1 - p.shape[0] * cells[p.family] / H), 1.0)
        left += slot
    under = [p.name for p in panels if p.above_text]
    right = 1.0 if panels[-1].above_text else max((x[name][1] for name in under), default=1.0)
    text_x = (min((x[name][0] for name in under), default=0.0), right)
    top = min((y[name][0] for name in under), default=1.0) - 16 / H
    panel_fonts = {p.name: fonts[p.family] if p.texts else 0 for p in panels}
    height = H + MARGIN["t"] + MARGIN["b"]
    return RowLayout(x, y, panel_fonts, cells, text_x, (0.0, max(0.02, top)), height)


def fits(panels: Sequence[Panel], text_lines: int = 0, names: Sequence[str] | None = None) -> bool:
    """Whether every panel that prints numbers (of `names`, by default all) gets them at 18 px or more."""
    fonts = row_layout(panels, text_lines).fonts
    chosen = [p for p in panels if p.texts and (names is None or p.name in names)]
    return all(fonts[p.name] >= MIN_PROJECTED_PX for p in chosen)


class FigurePlan(NamedTuple):
    """An animated figure's layout: where its panels go (paper domains), the size of each grid's numbers,
    its height and margins, and whether it has colour bars (a projector's figure prints its numbers)."""

    x: dict[str, tuple[float, float]]
    y: dict[str, tuple[float, float]]
    fonts: dict[str, int]  # px, by panel; 0: no numbers
    height: int
    margin: dict[str, int]
    colorbar: bool


def figure_plan(row: RowLayout, margin: dict[str, int] | None = None) -> FigurePlan:
    """A projector's figure plan from its row of panels (the text's domain under the name "text")."""
    margin = margin or MARGIN
    height = row.height - MARGIN["t"] - MARGIN["b"] + margin["t"] + margin["b"]
    x, y = {**row.x, "text": row.text_x}, {**row.y, "text": row.text_y}
    return FigurePlan(x, y, row.fonts, height, margin, False)


def tick_axes(axes: dict) -> dict:
    """Axes of a projector's figure: every row and column numbered (a crop has a few), in TICK_FONT."""
    for axis in axes.values():
        if axis.get("showticklabels") and axis.get("visible", True):
            axis.update(tickfont={"size": TICK_FONT}, dtick=1, tickmode="linear")
    return axes


def title_place(domain: Sequence[float], text: str, font_px: float = TITLE_PX) -> tuple[float, str]:
    """Where a panel's title goes (paper x, xanchor): centred over the panel, or flush with the plot's
    edge where a centred title wider than its panel would be cut there (planned at PLOT_PX's width)."""
    centre, half = (domain[0] + domain[1]) / 2, title_px(text, font_px) / 2 / PLOT_PX[0]
    if centre + half > 1.0:
        return 1.0, "right"
    if centre - half < 0.0:
        return 0.0, "left"
    return centre, "center"
