"""The frame every page starts with: page config, session state, navigation, shared sidebar, title.

`PAGES` is the one registry of pages: `app.py` builds `st.navigation` from it, the sidebar links and the
home page's cards are drawn from it. A page joins the app by having its file in `pages/` and a line in
`_ALL_PAGES`; a line whose file does not exist yet is left out everywhere, so nothing links to it.

Every page script calls `frame("<its file stem>")` first. That keeps a page identical whether `app.py`
runs it through `st.navigation` or Streamlit's legacy mode runs it alone (a page opened by its own URL
on a freshly started server, see TESTING.md, "Multipage").
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path
from typing import NamedTuple

# Imported here, by the first page any session opens, so that pandas is complete before a page runs:
# Plotly looks pandas up in sys.modules without importing it, and on a fresh server with several pages
# opened at once a session caught another one half-way through importing it ("partially initialized
# module 'pandas'", measured by tests/e2e/test_deep_links.py).
import pandas  # noqa: F401
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from ui.common import predict
from ui.common.controls import say_refused
from ui.common.i18n import LANGUAGE_KEY, LANGUAGES, t
from ui.common.links import (
    SettingGroup,
    refuse_impossible_settings,
    restore_from_url,
    say_ignored_link_parts,
    share_link,
    sync_url,
    use_settings,
)
from ui.common.state import bind, init_state, keep_settings
from ui.common.widget_guard import install as install_widget_guard

APP_ROOT = Path(__file__).resolve().parents[2]  # ui/common/frame.py -> the app root
STYLE_PATH = APP_ROOT / "assets" / "style.css"
# The app's scripts: the keyboard reaches what scrolls sideways; a clicker and the arrow keys step the
# animation.
SCRIPT_PATHS = (APP_ROOT / "assets" / "keyboard_scrolling.js", APP_ROOT / "assets" / "clicker.js")

# How much presentation mode enlarges the type, relative to theme.baseFontSize (Streamlit's default: 16 px).
PRESENTATION_SCALE = 1.3
DEFAULT_FONT_PX = 16
# The line of assets/style.css after which the rules apply in presentation mode only.
PRESENTATION_MARKER = "/* === presentation mode only === */"
# Session keys of the frame: the page this run draws (app.py writes its link after the page has run),
# and whether the sidebar is kept collapsed (a session that opened in presentation mode).
PAGE_KEY = "_page"
# The most settings a refusal names: more would be a wall of names, and one is enough to look for.
MAX_NAMED = 5
COLLAPSED_KEY = "_sidebar_collapsed"


class PageSpec(NamedTuple):
    """One page of the app.

    `url_path` is the file's stem (or "" for the home page): in legacy mode Streamlit derives a page's
    URL from its file name, so any other path would make a shared link break after a restart.
    """

    file: str  # the script, relative to the app root: "pages/<stem>.py"
    url_path: str  # "" for the home page, else the file stem: the page's URL is "/<url_path>"
    title_key: str  # ui.common.i18n string id of the page's title
    icon: str  # an emoji: Material icons need web fonts that fail offline

    @property
    def page_id(self) -> str:
        """The id a page passes to `frame`: its file stem."""
        return Path(self.file).stem

    @property
    def is_home(self) -> bool:
        """True for the home page, the app's default page at "/"."""
        return self.url_path == ""


# Every planned page, in the order the navigation lists them. Adding a page is one line here.
_ALL_PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "", "page.home", "🏠"),
    PageSpec("pages/forward.py", "forward", "page.forward", "➡️"),
    PageSpec("pages/backward.py", "backward", "page.backward", "⬅️"),
    PageSpec("pages/transposed.py", "transposed", "page.transposed", "🔼"),
    PageSpec("pages/matrix.py", "matrix", "page.matrix", "🧮"),
    PageSpec("pages/pooling.py", "pooling", "page.pooling", "🔽"),
    PageSpec("pages/activations.py", "activations", "page.activations", "📈"),
    PageSpec("pages/dense.py", "dense", "page.dense", "🕸️"),
    PageSpec("pages/chain_rule.py", "chain_rule", "page.chain_rule", "🔗"),
    PageSpec("pages/normalization.py", "normalization", "page.normalization", "⚖️"),
    PageSpec("pages/train.py", "train", "page.train", "🏋️"),
)

# The pages that exist: the only ones the app registers and links to.
PAGES: list[PageSpec] = [spec for spec in _ALL_PAGES if (APP_ROOT / spec.file).is_file()]


def page_spec(page_id: str) -> PageSpec:
    """Return the registered page whose file stem is `page_id`."""
    for spec in PAGES:
        if spec.page_id == page_id:
            return spec
    raise ValueError(f"No page '{page_id}' in the registry of ui/common/frame.py (pages/{page_id}.py).")


def topic_pages() -> list[PageSpec]:
    """Return the registered pages other than home, in navigation order."""
    return [spec for spec in PAGES if not spec.is_home]


def frame(page_id: str, *settings: SettingGroup) -> None:
    """Draw what every page shares: page config, session defaults, style, sidebar and the page title.

    Args:
        page_id: the calling page's file stem, e.g. "forward" for pages/forward.py.
        settings: the topic settings the page uses (e.g. ui.conv.state.SETTINGS): registered here, before
            a link is read and the defaults are filled in.
    """
    spec = page_spec(page_id)
    install_widget_guard()  # before the next request: states no control could send are dropped
    use_settings(*settings)
    restore_from_url(page_id)  # a shared link's settings, read once per session, before the defaults
    init_state()
    keep_settings()  # before any widget: the settings of widgets this run does not draw are kept
    refused = refuse_impossible_settings()
    st.session_state[PAGE_KEY] = page_id
    title = t(spec.title_key)
    app_name = t("app.name")
    # Called once per run, by the page itself. Streamlit 1.67 accepts several calls in a run (measured),
    # but app.py sets nothing here: a page run alone (legacy mode) must get the same tab title, icon
    # and layout as the page reached through app.py.
    st.set_page_config(
        page_title=app_name if spec.is_home else f"{title} · {app_name}",
        page_icon=spec.icon,
        layout="wide",
        initial_sidebar_state=_sidebar_state(),
    )
    _inject_style()
    _sidebar(spec)
    # Here for a page run alone (legacy mode); app.py writes it again once the page has run.
    sync_url(page_id)
    if spec.is_home:
        st.title(app_name)
        # A tagline is not a section's heading (HTML's rule): a paragraph, styled large in assets/style.css.
        st.markdown(f'<p class="cnn-tagline">{escape(t("app.tagline"))}</p>', unsafe_allow_html=True)
    else:
        st.title(f"{spec.icon} {title}")
    say_ignored_link_parts()  # under the title, once: what the session's link could not use or moved
    say_refused(refused[:MAX_NAMED])


def _sidebar_state() -> str:
    """The sidebar's state for `st.set_page_config`: collapsed for a session opened in presentation mode.

    Streamlit applies a changed `initial_sidebar_state` at once (measured in 1.67): collapsing it when
    presentation mode is switched on would hide the switch just clicked and the page links. So only a
    session that starts in presentation mode (a lecturer's link) opens with the sidebar collapsed; it
    stays as the user leaves it until presentation mode is switched off.
    """
    state = st.session_state
    if COLLAPSED_KEY not in state:
        state[COLLAPSED_KEY] = state["presentation"]
    if not state["presentation"]:
        state[COLLAPSED_KEY] = False
    return "collapsed" if state[COLLAPSED_KEY] else "expanded"


@cache
def _stylesheets() -> tuple[str, str]:
    """Return the app's CSS: always, and in presentation mode only (read once per process)."""
    always, _, presentation = STYLE_PATH.read_text(encoding="utf-8").partition(PRESENTATION_MARKER)
    return always, presentation


def _inject_style() -> None:
    """Add the app's CSS; in presentation mode also its high-contrast rules and a larger root font size."""
    css, presentation = _stylesheets()
    if st.session_state["presentation"]:
        # Every Streamlit size is in rem, so raising the root size enlarges the whole page at once.
        base_px = st.get_option("theme.baseFontSize") or DEFAULT_FONT_PX
        css += presentation + f"\nhtml {{ font-size: {base_px * PRESENTATION_SCALE:.0f}px; }}"
    # A style-only st.html goes to Streamlit's event container: it takes no room on the page.
    st.html(f"<style>{css}</style>")


@cache
def _script() -> str:
    """Return the app's scripts, one after the other (read once per process).

    Streamlit's sanitizer (DOMPurify) silently drops a script whose text holds something like a tag
    ("<" then a letter, "/" or "!"): refused here, loudly, instead.
    """
    scripts = []
    for path in SCRIPT_PATHS:
        script = path.read_text(encoding="utf-8")
        if re.search(r"<[/\w!]", script):
            raise ValueError(f"{path.name} holds '<' before a letter, '/' or '!': the browser would drop it.")
        scripts.append(script)
    return "\n".join(scripts)


def _scripts() -> None:
    """Install the app's scripts in the browser tab (each installs itself once per tab).

    assets/keyboard_scrolling.js lets the keyboard reach what scrolls sideways (a display formula or a
    code block wider than its column takes no focus: the script gives the boxes that overflow
    `tabindex="0"`, axe-core's scrollable-region-focusable); assets/clicker.js makes the arrow keys step
    the animation like a clicker's PageDown/PageUp, and steps an animated figure on a page without step
    buttons. Drawn last in the sidebar, where its empty element takes no room.
    """
    st.html(f"<script>{_script()}</script>", unsafe_allow_javascript=True)


def _sidebar(spec: PageSpec) -> None:
    """Draw the sidebar: links to every page, the shared settings, and the link to this view."""
    with st.sidebar:
        st.markdown(f"## 🧠 {t('app.name')}")
        page_links(PAGES)
        st.divider()
        _settings()
        _share(spec)
        _scripts()


def page_links(specs: list[PageSpec], *, captions: bool = False) -> None:
    """Draw a link to each page of `specs`, with its one-line description below when `captions` is set.

    A page script run on its own with no navigation at all (an `AppTest` of a single page) has no pages
    to link to: the links are left out there, and the rest of the frame still runs.
    """
    for spec in specs:
        try:
            st.page_link(spec.file, label=t(spec.title_key), icon=spec.icon)
        except StreamlitPageNotFoundError:
            return
        if captions:
            st.caption(t(f"blurb.{spec.page_id}"))


def _settings() -> None:
    """Draw the shared settings; each widget writes back to its plain session-state key (ui.common.state)."""
    st.selectbox(
        t("sidebar.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        **bind(LANGUAGE_KEY),
    )
    st.toggle(t("sidebar.presentation"), help=t("sidebar.presentation_help"), **bind("presentation"))
    predict.toggle()  # the pages that ask (forward, backward, pooling) read it


def _share(spec: PageSpec) -> None:
    """A button that shows the link to this view, as the view is when the button is pressed.

    A dialog rather than a box in the sidebar: the sidebar is not redrawn when a fragment reruns
    alone (the forward page's step buttons, the tour), so a link shown there could be a step behind;
    the button reruns the whole page and makes the link then.
    """
    if st.button(f"🔗 {t('sidebar.share')}", key="share.open", width="stretch"):
        st.dialog(t("sidebar.share"))(_share_dialog)(spec)


def _share_dialog(spec: PageSpec) -> None:
    """The dialog's content: what the link keeps, the link (st.code has a copy button), and what it can't."""
    st.markdown(t("sidebar.share_help"))
    st.code(share_link(st.context.url, spec.url_path, spec.page_id), language=None, wrap_lines=True)
    if st.session_state.get("conv.source", "sample") != "sample":
        st.warning(t("sidebar.share_upload"), icon="🖼️")
