"""Small Commodities, Big Market · 小商品,大市场 — the router.

Sets the page config, resolves the reader's language, shows the language
switch, builds the navigation from the chapter registry and runs the page.
"""

import streamlit as st

from yiwu.i18n import declare_lang, language_link, resolve_lang
from yiwu.nav import close_stale_page_not_found, in_legacy_mpa, navigation

# No page_title: each st.Page's translated title names the browser tab.
st.set_page_config(page_icon="🛒", layout="centered")
lang = resolve_lang()
first_session = in_legacy_mpa()
page = navigation(lang)
if first_session and page.url_path:
    close_stale_page_not_found()
switch = st.container()  # the language link, at the top, filled in once the page has run
try:
    page.run()
finally:
    with switch:
        language_link(lang, page)
    declare_lang(lang)
