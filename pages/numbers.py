"""The numbers: pick a series, see its chart, table, sources; download it."""

import streamlit as st

from yiwu.i18n import current_lang, t

lang = current_lang()
st.title("📈 " + t("nav.numbers", lang))
st.info(t("chart.coming", lang, name="numbers"))
