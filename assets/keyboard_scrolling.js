// CNN Explorer: lets the keyboard reach what scrolls sideways (ui/common/frame.py): a display formula
// wider than its column (KaTeX's .katex-display, overflow-x: auto) and a code block's long lines (the pre
// element of st.code). Such a box takes no focus: the mouse scrolls it, the keyboard cannot (axe-core's rule
// scrollable-region-focusable). Each box that overflows gets tabindex="0", so Tab reaches it and the
// arrow keys scroll it; a box that fits again loses it, so what fits adds no tab stops.
// Installed once per browser tab: the page's elements change under it (reruns, other pages).
// No less-than sign followed by a letter anywhere here: Streamlit's HTML sanitizer (DOMPurify) drops a
// script whose text looks like a tag.
(() => {
  if (window.cnnKeyboardScrolling) return;
  const BOXES = ".katex-display, .stCode pre";
  const watched = new WeakSet();
  const given = new WeakSet(); // the boxes this script made focusable (and only those it may change back)

  function update(box) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      given.add(box);
    } else if (!overflows && given.has(box)) {
      box.removeAttribute("tabindex");
      given.delete(box);
    }
  }

  // A box's size changes with its column, the font size (presentation mode) and its expander opening.
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));

  let pending = false;
  function scan() {
    pending = false;
    document.querySelectorAll(BOXES).forEach((box) => {
      if (!watched.has(box)) {
        watched.add(box);
        resized.observe(box);
      }
      update(box);
    });
  }

  // A formula's content changes with a rerun: look again once per frame after the page changed, but
  // not for the charts' own changes (an animation redraws its figure many times a second).
  const inChart = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element !== null && element.closest(".js-plotly-plot") !== null;
  };
  window.cnnKeyboardScrolling = new MutationObserver((records) => {
    if (pending || records.every((record) => inChart(record.target))) return;
    pending = true;
    requestAnimationFrame(scan);
  });
  const changes = { childList: true, characterData: true, subtree: true };
  window.cnnKeyboardScrolling.observe(document.body, changes);
  scan();
})();
