// CNN Explorer: a presenter's clicker and the arrow keys step the animation (ui/common/frame.py).
// Streamlit binds PageDown and PageUp (what a clicker sends) to one pair of step buttons of the page
// (st.button(shortcut=...), ui/common/controls.py). This script adds:
// - the arrow keys: right and left press the button bound to PageDown and PageUp;
// - in presentation mode, on a page without such buttons (pooling), these four keys step the page's
//   first animated figure by one frame, and Space plays or pauses it (elsewhere they scroll the page).
// A key pressed inside something that uses it itself (a text or number field, a slider, a select, a radio
// group, a tab list, a data grid, a formula or code box that scrolls sideways, a focused button for Space)
// is left alone, as are keys with a modifier.
// Installed once per browser tab: the page's elements change under it (reruns, other pages).
// No less-than sign followed by a letter anywhere here: Streamlit's HTML sanitizer (DOMPurify) drops a
// script whose text looks like a tag.
(() => {
  if (window.cnnClicker) return;
  const STEP = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  const BOUND = { 1: "PageDown", "-1": "PageUp" };
  const USES_KEYS =
    "input, textarea, select, [contenteditable], [role=slider], [role=spinbutton], [role=combobox], " +
    "[role=listbox], [role=radiogroup], [role=radio], [role=tablist], [role=tab], [role=menu], " +
    // what scrolls sideways under the keyboard (assets/keyboard_scrolling.js), and the data grids
    ".katex-display, pre, .stDataFrame, [data-testid^=stDataFrame]";
  const USES_SPACE = USES_KEYS + ", button, a, summary, [role=button], [role=checkbox], [role=switch]";

  // Presentation mode's style sheet (assets/style.css) sets this property.
  const projected = () =>
    getComputedStyle(document.documentElement).getPropertyValue("--cnn-presentation").trim() === "1";

  const usesKey = (target, space) =>
    target instanceof Element && target.closest(space ? USES_SPACE : USES_KEYS) !== null;

  // The button Streamlit bound to PageDown (+1) or PageUp (−1), if the page has one.
  const boundButton = (direction) => {
    const hint = document.querySelector(`kbd[aria-label="Shortcut ${BOUND[direction]}"]`);
    return hint === null ? null : hint.closest("button");
  };

  // The page's first figure with frames, and the frame its slider shows.
  const animatedFigure = () =>
    [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')].find(
      (gd) => gd._transitionData && gd._transitionData._frames.length > 0,
    ) || null;
  const shownFrame = (gd) => {
    const slider = (gd._fullLayout.sliders || [])[0];
    return slider ? slider.active || 0 : 0;
  };
  // Whether the figure plays: Plotly queues a Play's frames and takes them one by one. A single step (a
  // key, the slider) queues none, even while it is still being drawn: Space right after it plays.
  const playing = (gd) => (gd._transitionData._frameQueue || []).length > 0;

  function stepFigure(gd, direction) {
    const frames = gd._transitionData._frames;
    const next = Math.min(frames.length - 1, Math.max(0, shownFrame(gd) + direction));
    window.Plotly.animate(gd, [frames[next].name], {
      frame: { duration: 0, redraw: true },
      transition: { duration: 0 },
      mode: "immediate",
    });
  }

  function playOrPause(gd) {
    if (playing(gd)) {
      window.Plotly.animate(gd, [null], { frame: { duration: 0, redraw: false }, mode: "immediate" });
      return;
    }
    // The figure's own Play button (the second of its buttons: Slow, Play, Fast, Pause), so that
    // Space plays at the speed a student would get from it.
    const buttons = gd.querySelectorAll(".updatemenu-button");
    const play = buttons.length > 1 ? buttons[1] : buttons[0];
    if (play) play.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }

  window.cnnClicker = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const space = event.key === " ";
    if (!(event.key in STEP) && !space) return;
    if (usesKey(event.target, space)) return;
    if (!space) {
      const button = boundButton(STEP[event.key]);
      if (button !== null) {
        // PageDown and PageUp reach the button through Streamlit's own shortcut.
        if (event.key.startsWith("Arrow")) {
          event.preventDefault();
          if (!button.disabled) button.click();
        }
        return;
      }
    }
    const gd = projected() ? animatedFigure() : null;
    if (gd === null || !window.Plotly) return;
    event.preventDefault();
    if (space) playOrPause(gd);
    else stepFigure(gd, STEP[event.key]);
  };
  document.addEventListener("keydown", window.cnnClicker);
})();
