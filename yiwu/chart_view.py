"""Charts placed in the story: chart, source line, text alternative."""

from __future__ import annotations

import streamlit as st

from yiwu.i18n import t


def render(name: str, lang: str) -> None:
    st.info(t("chart.coming", lang, name=name))
