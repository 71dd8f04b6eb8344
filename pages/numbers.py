"""The numbers: pick a series, see its chart, table, sources; download it."""

import streamlit as st

from yiwu import chart_view
from yiwu.i18n import current_lang, t
from yiwu.loaders import DataError
from yiwu.nav import leave_legacy_mpa
from yiwu.story import show_data_error

leave_legacy_mpa()  # a shared link (?series=…) may be the first visit after the server starts
lang = current_lang()
st.title(t("nav.numbers", lang))
try:
    chart_view.explorer(lang)
except DataError as err:
    show_data_error(err, lang)
