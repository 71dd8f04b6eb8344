"""Classroom presentation: the story step by step."""

import streamlit as st

from yiwu.i18n import current_lang, t

lang = current_lang()
st.title("🎓 " + t("nav.present", lang))
st.info(t("chart.coming", lang, name="present"))
