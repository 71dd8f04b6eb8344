"""Small Commodities, Big Market · 小商品,大市场 — the router.

Sets the page config, resolves the reader's language, shows the language
switch, builds the navigation from the chapter registry and runs the page.
"""

import streamlit as st

from yiwu import ASSETS
from yiwu.i18n import language_picker, resolve_lang
from yiwu.nav import navigation

# No page_title: each st.Page's translated title names the browser tab.
st.set_page_config(page_icon="🛒", layout="centered")
st.html(ASSETS / "app.css")
lang = resolve_lang()
page = navigation(lang)
language_picker(lang)
page.run()
