"""The numbers: pick a series, see its chart, table, sources; download it."""

import streamlit as st

from yiwu import chart_view
from yiwu.i18n import current_lang, t
from yiwu.loaders import DataError
from yiwu.story import show_data_error

lang = current_lang()
st.title("📈 " + t("nav.numbers", lang))
try:
    chart_view.explorer(lang)
except DataError as err:
    show_data_error(err, lang)
