"""Home page: what the app is and where to start, in one screen."""

import streamlit as st

from engine.images import encode_picture, list_samples, load_sample, to_uint8
from ui.common.frame import frame, page_links, topic_pages
from ui.common.i18n import t

# Long side of the home page's picture, in pixels: small enough to send once, big enough to see;
# shown at PICTURE_WIDTH so that the picture beside the text leaves room for the cards on one screen.
PICTURE_SIZE = 320
PICTURE_WIDTH = 200
CARDS_PER_ROW = 4


@st.cache_resource
def sample_picture(name: str) -> bytes:
    """Return the sample image `name` as JPEG bytes, encoded once for every session.

    Given pixels, st.image encodes them again on every rerun: measured at a fifth of the home page's
    server CPU (py-spy, in the real server).
    """
    pixels = to_uint8(load_sample(name, color=True, size=PICTURE_SIZE))
    return encode_picture(pixels, "JPEG")


frame("home")
topics = topic_pages()
text, picture = st.columns([4, 1], gap="large")
with text:
    st.markdown(t("home.intro"))
    st.info(t("home.correlation"), icon="💡")
    if topics:
        st.markdown(t("home.start", page=t(topics[0].title_key)))
with picture:
    st.image(sample_picture(list_samples()[0].name), caption=t("home.sample_caption"), width=PICTURE_WIDTH)

if topics:
    for first in range(0, len(topics), CARDS_PER_ROW):
        row = topics[first : first + CARDS_PER_ROW]
        for column, spec in zip(st.columns(CARDS_PER_ROW), row, strict=False):
            with column.container(border=True, height="stretch"):
                page_links([spec], captions=True)
