"""Home page: what the app is and where to start, in one screen."""

import streamlit as st

from ui.common.frame import frame, page_links, topic_pages
from ui.common.i18n import t
from ui.home.compute import forward_preview

CARDS_PER_ROW = 4


frame("home")
topics = topic_pages()
text, picture = st.columns([3, 2], gap="large")
with text:
    st.markdown(t("home.intro"))
    st.info(t("home.correlation"), icon="💡")
    if topics:
        st.markdown(t("home.start", page=t(topics[0].title_key)))
with picture:  # the app at work before a word is read: the forward page's first setup, moving
    st.image(forward_preview(), caption=t("home.preview_caption"), alt=t("home.preview_alt"))

if topics:
    for first in range(0, len(topics), CARDS_PER_ROW):
        row = topics[first : first + CARDS_PER_ROW]
        for column, spec in zip(st.columns(CARDS_PER_ROW), row, strict=False):
            with column.container(border=True, height="stretch"):
                page_links([spec], captions=True)
