"""Home: the hook, the headline figures, the contents and how to use the app."""

import streamlit as st

from yiwu.i18n import current_lang
from yiwu.loaders import DataError, load_words
from yiwu.nav import chapter_links, leave_legacy_mpa
from yiwu.story import figures_block, show_data_error

leave_legacy_mpa()

lang = current_lang()
try:
    home = load_words("home", lang)
except DataError as err:
    show_data_error(err, lang)
    st.stop()

st.title(home["title"])
st.markdown(home["hook"])

st.header(home["figures_heading"], anchor="figures")
try:
    figures_block(("products", "categories", "market_entities", "trade_partners", "trade_2025", "jobs"), lang)
except DataError as err:
    show_data_error(err, lang)

st.header(home["toc_heading"], anchor="contents")
chapter_links(lang)

st.header(home["how_heading"], anchor="how-to-use")
solo, klass = st.columns(2)
for col, key in ((solo, "solo"), (klass, "class")):
    with col.container(border=True):
        st.subheader(home[f"{key}_title"])
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(home[f"{key}_steps"], 1)))
