"""Home page: what the app is and where to start, in one screen."""

import streamlit as st

from engine.samples import list_samples
from ui.common.frame import frame, page_links, topic_pages
from ui.common.i18n import t
from ui.home.compute import sample_picture

# The picture (ui.home.compute.PICTURE_SIZE pixels) is shown this wide, so that beside the text it
# leaves room for the cards on one screen.
PICTURE_WIDTH = 200
CARDS_PER_ROW = 4


frame("home")
topics = topic_pages()
text, picture = st.columns([4, 1], gap="large")
with text:
    st.markdown(t("home.intro"))
    st.info(t("home.correlation"), icon="💡")
    if topics:
        st.markdown(t("home.start", page=t(topics[0].title_key)))
with picture:
    sample = list_samples()[0].name
    alt = t("home.sample_alt", name=t(f"sample.{sample}"))
    st.image(sample_picture(sample), caption=t("home.sample_caption"), width=PICTURE_WIDTH, alt=alt)

if topics:
    for first in range(0, len(topics), CARDS_PER_ROW):
        row = topics[first : first + CARDS_PER_ROW]
        for column, spec in zip(st.columns(CARDS_PER_ROW), row, strict=False):
            with column.container(border=True, height="stretch"):
                page_links([spec], captions=True)
