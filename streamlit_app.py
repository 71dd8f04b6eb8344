"""Small Commodities, Big Market · 小商品,大市场 — the router.

Sets the page config, resolves the reader's language, shows the language
switch, builds the navigation from the chapter registry and runs the page.
"""

import streamlit as st

from yiwu import ASSETS
from yiwu.i18n import declare_lang, language_link, resolve_lang, t
from yiwu.nav import close_stale_page_not_found, in_legacy_mpa, navigation

lang = resolve_lang()
# First of all elements: the browser learns the language before the page's text
# is laid out, instead of laying everything out again when it changes.
declare_lang(lang)
first_session = in_legacy_mpa()
page = navigation(lang)
# One page config per run, made here: the classroom presentation is wide and
# starts with the sidebar closed, every other page is a centred column. (When
# the presentation set its own, the two calls made the layout flip between
# wide and narrow from one step to the next.) The browser tab, and a screen
# reader arriving on the page, read the page's title with the app's name.
tab_title = f"{page.title} · {t('app.title', lang)}"
if page.url_path == "present":
    st.set_page_config(page_title=tab_title, page_icon="🛒", layout="wide", initial_sidebar_state="collapsed")
else:
    st.set_page_config(page_title=tab_title, page_icon="🛒", layout="centered")
st.html(ASSETS / "app.css")  # style only: Streamlit puts it out of the page's flow
if first_session and page.url_path:
    close_stale_page_not_found()
switch = st.container(key="lang-switch")  # the language link, at the top, filled in once the page has run
try:
    page.run()
finally:
    with switch:
        language_link(lang, page)
