"""What helps a reader learn: links between chapters, questions, glossary."""

from __future__ import annotations

import streamlit as st

from yiwu.loaders import load_table


def after_section(section, lang: str) -> None:
    """Extras under a section (glossary terms found in it)."""


def after_chapter(chapter, lang: str) -> None:
    """Previous and next chapter links at the end of a chapter."""
    from yiwu.nav import link

    ids = list(load_table("chapters").sort_values("order")["id"])
    i = ids.index(chapter.id)
    st.divider()
    left, right = st.columns(2)
    with left:
        if i > 0:
            link(ids[i - 1], lang, icon="⬅️")
        else:
            link("home", lang, icon="⬅️")
    with right:
        if i + 1 < len(ids):
            link(ids[i + 1], lang, icon="➡️")
