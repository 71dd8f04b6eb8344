"""Maps placed in the story: map, legend, source line, text alternative."""

from __future__ import annotations

import streamlit as st

from yiwu.i18n import t


def render(name: str, lang: str) -> None:
    st.info(t("map.coming", lang, name=name))
