"""CNN Explorer's entry point: registers the pages of ui/common/frame.py's registry and runs the chosen one.

Run it with `streamlit run app.py` (or `bash scripts/run.sh`). Each page draws its own frame (title,
navigation, shared sidebar), so the navigation here stays hidden: a page looks the same whether it is
reached through this script or opened by its own URL on a freshly started server. The frame also keeps
the address bar a link to what is on screen (ui/common/links.py); this script writes it once more after the
page has run.
"""

import streamlit as st

from ui.common.frame import PAGE_KEY, PAGES
from ui.common.i18n import t
from ui.common.links import sync_url
from ui.common.state import init_state

init_state()
pages = [
    # url_path is the file stem even for home (whose public path is "" as the default page): the page's
    # identity then matches the one Streamlit's legacy mode gives the same file.
    st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=spec.page_id, default=spec.is_home)
    for spec in PAGES
]
st.navigation(pages, position="hidden").run()
# The page has run: write the link again, with what the page itself settled (e.g. a value it clipped).
if PAGE_KEY in st.session_state:
    sync_url(st.session_state[PAGE_KEY])
